"""Fixtures of the dashboard tests: a synthetic run folder and the app serving it."""

from __future__ import annotations

import pytest

from web.synthetic_run import write_synthetic_run


@pytest.fixture(scope="session")
def runs_dir(tmp_path_factory):
    runs = tmp_path_factory.mktemp("runs")
    write_synthetic_run(runs / "synthetic")
    return runs
