"""Shuttle-Mir's HTML report in headless Debian Chromium: small, drawn, self-contained.

The program is run end to end (about a minute); its report is opened from the file with every
request leaving the file refused, and each section is saved as a screenshot in the test's
output folder (pytest's tmp_path, named in the log).
"""

from __future__ import annotations

import datetime as dt

import pytest

from web.test_browser import ARGS, CHROMIUM, LOAD_TIMEOUT_MS, refuse_all_but

REPORT_LIMIT_MB = 5.0
DRAWN_SECTIONS = ("summary", "warnings", "ground-track", "tracking", "ports", "altitude", "crew")

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian chromium is not installed at /usr/bin/chromium")


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    from stationsim.program.engine import simulate
    from stationsim.results.run_folder import save_run
    from stationsim.scenario import load_program, program_path

    folder = tmp_path_factory.mktemp("shuttle-mir")
    result = simulate(load_program("shuttle-mir"))
    return save_run(result, program_path("shuttle-mir"), folder, 0, 0.0,
                    dt.datetime.now(dt.UTC)).report


def test_shuttle_mir_report_is_small_and_every_section_draws(report, tmp_path):
    from playwright.sync_api import sync_playwright

    size_mb = report.stat().st_size / 1e6
    assert size_mb < REPORT_LIMIT_MB, f"{size_mb:.2f} MB"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                             args=ARGS)
        context = browser.new_context(viewport={"width": 1300, "height": 900})
        refused, errors = refuse_all_but(context, "file:"), []
        tab = context.new_page()
        tab.on("pageerror", lambda exc: errors.append(str(exc)))
        tab.goto(report.as_uri())
        tab.wait_for_selector("body[data-plots='drawn']", state="attached",
                              timeout=LOAD_TIMEOUT_MS)
        for section in DRAWN_SECTIONS:
            element = tab.locator(f"section#{section}")
            assert element.count() == 1, section
            element.screenshot(path=str(tmp_path / f"report-{section}.png"))
        for section in ("ground-track", "tracking", "ports", "altitude", "crew"):
            assert tab.locator(f"section#{section} .plot .main-svg").count() >= 1, section
        # the map is drawn: land polygons from the embedded topology
        assert tab.locator("section#ground-track path.land, "
                           "section#ground-track .layer.land path").count() >= 1
        summary = tab.locator("section#summary").inner_text()
        for fact in ("span", "flights", "dockings", "crew-days", "warnings", "predicted"):
            assert fact in summary
        warnings = tab.locator("section#warnings").inner_text()
        assert "launch moved N min" in warnings
        browser.close()
    assert refused == [] and errors == []
    print(f"shuttle-mir report {size_mb:.2f} MB; screenshots in {tmp_path}")
