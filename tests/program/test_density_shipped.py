"""The density tables shipped with the package: NRLMSIS's own rows for the inputs their names
stand for, and the README's first program finds its table there with an empty cache."""

from __future__ import annotations

import numpy as np
import pytest

from stationsim.astro.atmosphere import msis_table
from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.program import density
from stationsim.program.engine import _start
from stationsim.program.state import RunOptions
from stationsim.scenario import load_program, program_path

SHIPPED = sorted(entry for entry in density.SHIPPED.iterdir() if entry.name.endswith(".npz"))


def test_the_readme_program_has_a_shipped_table():
    assert SHIPPED


@pytest.mark.parametrize("entry", SHIPPED, ids=lambda entry: entry.name)
def test_a_shipped_table_is_nrlmsis_for_the_inputs_of_its_name(entry):
    with entry.open("rb") as stream, np.load(stream) as saved:
        grid, log_rho, inputs = saved["grid"], saved["log_rho"], saved["inputs"]
    first_day_tt_s, last_day_tt_s, inclination_rad = (float(x) for x in inputs)
    assert density.table_name(first_day_tt_s, last_day_tt_s, inclination_rad) == entry.name
    assert log_rho.shape[0] == round((last_day_tt_s - first_day_tt_s) / DAY_S) + 1
    # the first days and the last, built again now (pymsis, the bundled space weather): the
    # same floats, since each day's row is computed on its own
    for first_s in (first_day_tt_s, last_day_tt_s - 2 * DAY_S):
        rebuilt = msis_table(Epoch(first_s), Epoch(first_s + 2 * DAY_S), inclination_rad,
                             **density.GRID)
        row = round((first_s - first_day_tt_s) / DAY_S)
        np.testing.assert_array_equal(rebuilt.log_rho, log_rho[row:row + 3])
        np.testing.assert_array_equal(np.array(rebuilt[1:4]), grid[1:4])


def test_the_readme_program_reads_its_table_from_the_package(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))  # an empty cache, as after install

    def refused(*args, **kwargs):
        raise AssertionError("the table was built, not read from the package")

    monkeypatch.setattr(density, "msis_table", refused)
    state = _start(load_program(program_path("shuttle-mir")), None, RunOptions())
    assert state.stations and not any(tmp_path.rglob("density-*.npz"))
