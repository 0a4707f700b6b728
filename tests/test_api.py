"""The public Python surface: ``stationsim.__all__``, validated changes, results as tables."""

from __future__ import annotations

import pydoc

import pandas as pd
import pytest

import stationsim as ss
from stationsim.astro.time import Epoch
from stationsim.results.run_folder import save_run
from stationsim.results.store import TABLES


@pytest.fixture(scope="module")
def results():
    return ss.simulate(ss.load_program("example-small"))


def test_the_public_surface_is_listed_documented_and_importable():
    for name in ss.__all__:
        assert getattr(ss, name) is not None, name
    assert {"load_program", "simulate", "open_run", "Program", "Results"} <= set(dir(ss))
    text = pydoc.render_doc(ss, renderer=pydoc.plaintext)
    assert "load_program(name_or_path" in text and "simulate(program" in text
    with pytest.raises(AttributeError, match="no attribute 'simulat'"):
        ss.simulat  # noqa: B018


def test_replace_validates_and_cross_checks_where_model_copy_does_not():
    program = ss.load_program("example-small")
    flights = [f.replace(launch_utc="1995-11-13T12:30:43Z") if f.id == "STS-74" else f
               for f in program.flights]
    slipped = program.replace(flights=flights)
    assert slipped.flight("STS-74").launch_utc == "1995-11-13T12:30:43Z"
    assert program.flight("STS-74").launch_utc == "1995-11-12T12:30:43Z"  # unchanged
    assert slipped.source == program.source
    # pydantic's model_copy takes any value; replace names the field and what it expects
    assert program.flight("STS-74").model_copy(update={"launch_utc": "soon"}).launch_utc == "soon"
    with pytest.raises(ss.ProgramError, match=r"launch_utc: not a UTC time .*got 'soon'"):
        program.flight("STS-74").replace(launch_utc="soon")
    with pytest.raises(ss.ProgramError, match=r"port: .*no such module"):
        program.replace(flights=[f.replace(port="kvant-9.aft") if f.id == "STS-74" else f
                                 for f in program.flights])
    with pytest.raises(ss.ProgramError, match=r"lanch_utc: not a field of Flight"):
        program.flight("STS-74").replace(lanch_utc="1995-11-13T12:30:43Z")


def test_results_are_tables_with_utc_datetimes(results):
    flights = results.flights.to_pandas()
    assert isinstance(flights, pd.DataFrame) and list(flights.columns) == results.flights.columns
    assert str(flights["dock_utc"].dtype) == "datetime64[us, UTC]"
    # the engine's TT seconds of each docking, to the microsecond, as UTC datetimes
    for record, dock in zip(results.raw.flights, flights["dock_utc"], strict=True):
        if record.dock_s is None:
            assert pd.isna(dock)
        else:
            assert dock.to_pydatetime() == Epoch(record.dock_s).to_datetime()
    rows = list(results.flights)
    assert [r.flight for r in rows] == list(flights["flight"])
    schema = results.trajectories.to_arrow().schema
    assert schema.field("x_m").metadata == {b"unit": b"m", b"frame": b"GCRF"}
    assert set(results.tables) == set(TABLES)
    assert results.warnings == results.raw.warnings


def test_a_run_folder_reads_back_to_the_same_tables(results, tmp_path):
    import datetime as dt

    from stationsim.scenario import program_path

    save_run(results.raw, program_path("example-small"), tmp_path / "example-small", seed=0,
             wall_s=0.0, started=dt.datetime.now(dt.UTC))
    again = ss.open_run("example-small", runs_dir=tmp_path)
    for name in ("flights", "crew_stays", "trajectories"):
        fresh, stored = getattr(results, name).to_pandas(), getattr(again, name).to_pandas()
        pd.testing.assert_frame_equal(fresh, stored)
    assert str(again.trajectories.to_pandas()["t_utc"].dtype) == "datetime64[us, UTC]"
