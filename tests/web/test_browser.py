"""The run page in headless Debian Chromium (Playwright): globe drawn, timeline, crew on the clock.

Skipped only where /usr/bin/chromium is absent (CI installs it). Needs the CesiumJS
and Swagger UI files (``python -m stationsim.web.assets``). Screenshots go to tests/web/artifacts/.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync",
        "--enable-unsafe-swiftshader"]
ARTIFACTS = Path(__file__).parent / "artifacts"
LOAD_TIMEOUT_MS = 90_000

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian chromium is not installed at /usr/bin/chromium")

# Share of the globe canvas that must differ from the black of space: the Earth alone covers
# about a fifth of it in the default view.
MIN_LIT_FRACTION = 0.05
COUNT_LIT_PIXELS = """() => {
  const source = document.querySelector('#globe canvas');
  const copy = document.createElement('canvas');
  copy.width = source.width; copy.height = source.height;
  const context = copy.getContext('2d');
  context.drawImage(source, 0, 0);
  const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
  let lit = 0;
  for (let k = 0; k < pixels.length; k += 4) {
    if (pixels[k] + pixels[k + 1] + pixels[k + 2] > 90) lit += 1;
  }
  return lit / (pixels.length / 4);
}"""


@pytest.fixture(scope="module")
def server(runs_dir):
    import uvicorn

    from stationsim.web.app import create_app

    config = uvicorn.Config(create_app(runs_dir), host="127.0.0.1", port=0, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30.0
    while not running.started and time.monotonic() < deadline:
        time.sleep(0.05)
    port = running.servers[0].sockets[0].getsockname()[1]
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10.0)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                              args=ARGS)
        yield launched
        launched.close()


def refuse_all_but(context, *allowed: str) -> list[str]:
    """Make ``context`` refuse every request not to ``allowed`` prefixes (data: and blob: are
    always let through) as a machine with no network would; returns the refused URLs."""
    refused: list[str] = []

    def route(request_route):
        if request_route.request.url.startswith((*allowed, "data:", "blob:")):
            request_route.continue_()
        else:
            refused.append(request_route.request.url)
            request_route.abort()

    context.route("**/*", route)
    return refused


def new_tab(browser, server):
    """A tab that records every request not made to ``server`` in ``outside_requests``."""
    tab = browser.new_page(viewport={"width": 1400, "height": 1100})
    tab.outside_requests = []
    tab.on("request", lambda request: None if request.url.startswith(
        (server, "data:", "blob:")) else tab.outside_requests.append(request.url))
    return tab


@pytest.fixture(scope="module")
def page(browser, server):
    tab = new_tab(browser, server)
    tab.goto(f"{server}/runs/synthetic")
    tab.wait_for_selector("body[data-ready='true'][data-czml-loaded='true']",
                          state="attached", timeout=LOAD_TIMEOUT_MS)
    tab.wait_for_function("window.stationsimViewer.scene.globe.tilesLoaded",
                          timeout=LOAD_TIMEOUT_MS)
    return tab


def test_the_globe_is_drawn_from_local_files_only(page):
    ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(ARTIFACTS / "run-start.png"))
    assert page.evaluate(COUNT_LIT_PIXELS) > MIN_LIT_FRACTION
    assert page.outside_requests == []


def test_the_runs_page_and_the_api_page_need_nothing_from_outside(browser, server):
    page = new_tab(browser, server)
    page.goto(f"{server}/")
    assert page.locator("#runs a").all_inner_texts() == ["synthetic"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "runs.png"))
    page.goto(f"{server}/docs")
    page.wait_for_selector(".opblock", timeout=LOAD_TIMEOUT_MS)
    assert page.locator(".opblock").count() >= 8
    page.screenshot(path=str(ARTIFACTS / "api.png"))
    assert page.outside_requests == []
    page.close()


def test_the_timeline_lists_the_docked_flights(page):
    labels = page.locator("#timeline g.flight").evaluate_all(
        "groups => groups.map(g => g.dataset.flight)")
    assert sorted(labels) == ["STS-71", "Soyuz TM-21"]
    assert "kristall.axial" in page.locator("#timeline").text_content()


def test_moving_the_slider_changes_the_crew_and_configuration(page):
    def crew():
        return sorted(page.locator("#crew li").all_inner_texts())

    page.locator("#time-slider").fill("0")
    page.wait_for_timeout(300)
    assert crew() == ["Elena Kondakova (RKA), mir", "Valeri Polyakov (RKA), mir"]
    # Halfway through the two days: 1995-03-15T00:00Z, both vehicles docked, five aboard.
    page.locator("#time-slider").fill("500000")
    page.wait_for_function("document.querySelectorAll('#configuration g.vehicle').length == 2",
                           timeout=10_000)
    assert page.locator("#clock-utc").inner_text().startswith("1995-03-15T00:00:00")
    assert len(crew()) == 5 and "Robert Gibson (NASA), mir" in crew()
    # the synthetic water: 1175 kg left at 25 kg a day
    page.wait_for_function("document.querySelector('#supply')?.textContent.includes('47.0 d')",
                           timeout=10_000)
    assert page.locator("#supply td").all_inner_texts() == ["mir water", "1175 kg", "47.0 d"]
    assert page.locator("#supply-gap").is_hidden()
    page.screenshot(path=str(ARTIFACTS / "run-docked.png"))


def test_serve_shows_the_dashboard_with_no_network(browser, runs_dir, tmp_path):
    """``stationsim serve`` as a user starts it, with the web files in place: its registry is
    a closed port and the browser may reach nothing but the server, and the globe is drawn."""
    import os
    import socket
    import subprocess
    import sys
    import urllib.request

    from stationsim.web.assets import ASSETS_ENV, REGISTRY_ENV, assets_dir, check_assets

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    env = {**os.environ, ASSETS_ENV: str(check_assets(assets_dir())),
           REGISTRY_ENV: "http://127.0.0.1:9"}
    command = [sys.executable, "-c", "import sys; from stationsim.cli import main; "
               "sys.exit(main())", "serve", "--runs", str(runs_dir), "--port", str(port)]
    log = (tmp_path / "serve.log").open("w")
    server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60.0
        while True:
            try:
                urllib.request.urlopen(f"{url}/api/runs", timeout=2).close()
                break
            except OSError:
                assert server.poll() is None, (tmp_path / "serve.log").read_text()
                assert time.monotonic() < deadline, "serve did not answer within 60 s"
                time.sleep(0.25)
        context = browser.new_context(viewport={"width": 1400, "height": 1100})
        blocked = refuse_all_but(context, url)
        tab = context.new_page()
        tab.goto(f"{url}/runs/synthetic")
        tab.wait_for_selector("body[data-ready='true'][data-czml-loaded='true']",
                              state="attached", timeout=LOAD_TIMEOUT_MS)
        tab.wait_for_function("window.stationsimViewer.scene.globe.tilesLoaded",
                              timeout=LOAD_TIMEOUT_MS)
        tab.wait_for_timeout(1000)
        tab.screenshot(path=str(tmp_path / "serve-offline.png"))
        assert tab.evaluate(COUNT_LIT_PIXELS) > MIN_LIT_FRACTION
        assert blocked == []
        context.close()
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()
