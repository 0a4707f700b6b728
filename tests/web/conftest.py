"""Fixtures of the dashboard tests: a synthetic run folder and the app serving it."""

from __future__ import annotations

import pytest

from web.synthetic_run import write_synthetic_run


@pytest.fixture(scope="session")
def runs_dir(tmp_path_factory):
    runs = tmp_path_factory.mktemp("runs")
    write_synthetic_run(runs / "synthetic")
    return runs


@pytest.fixture(scope="session")
def stand_in_assets(tmp_path_factory):
    """Stand-in front-end files: the API tests never load them (test_browser.py does)."""
    from stationsim.web.assets import PACKAGES, VERSION_FILE

    assets = tmp_path_factory.mktemp("assets")
    for folder, files in PACKAGES.items():
        for kept in files.kept:
            (assets / folder / kept).parent.mkdir(parents=True, exist_ok=True)
            (assets / folder / kept).write_text("stand-in")
        (assets / folder / VERSION_FILE).write_text(files.label)
    return assets
