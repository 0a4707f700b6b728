"""The apollo-11 program's lunar-module sortie: the ``sortie:`` block flown in a run, its
touchdown and docking events compared with the validation record (group apollo-11-lunar) the
way validate-history compares them; the block's inputs against space_race_inputs.csv."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationsim.astro.constants import NMI_M
from stationsim.errors import ProgramError
from stationsim.program.mission import MissionError
from stationsim.program.sortie_flight import sortie_events, sortie_inputs
from stationsim.scenario import load_bytes, load_program

FT = 0.3048
BROKEN = Path(__file__).parents[1] / "scenario" / "broken" / (
    "trajectory-sortie-burns-out-of-order.yaml")
LUNAR = ("lunar_touchdown_utc", "lunar_touchdown_place", "lunar_docking_utc")


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from stationsim.program.engine import simulate
    from stationsim.results.store import write_store
    from stationsim.results.tables import result_tables

    run_row = {"program": "apollo-11", "program_sha256": "", "seed": 0,
               "stationsim_version": "t", "started_utc": "2026-01-01T00:00:00", "wall_s": 0.0,
               "tracking_updates": 0}
    return write_store(tmp_path_factory.mktemp("apollo-11") / "results.duckdb",
                       result_tables(simulate(load_program("apollo-11")), run_row))


def test_the_run_logs_the_touchdown_and_the_docking(store):
    import duckdb

    con = duckdb.connect(str(store), read_only=True)
    try:
        rows = con.execute("SELECT kind, flight, lat_deg FROM events WHERE kind IN "
                           "('lunar_touchdown', 'lunar_docking') ORDER BY t_utc").fetchall()
    finally:
        con.close()
    assert [(kind, flight) for kind, flight, _ in rows] == [
        ("lunar_touchdown", "Apollo 11"), ("lunar_docking", "Apollo 11")]
    assert rows[0][2] is not None  # the touchdown is placed on the Moon


def test_validate_history_finds_the_sortie_within_the_record(store):
    # record.yaml tolerances: touchdown 2 min and 10 km, docking crewed-docking-time (1.5 h)
    from stationsim.validation.compare import compare_store

    compared = {c.entry.quantity: c for c in compare_store("apollo-11", store)
                if c.entry.quantity in LUNAR}
    assert set(compared) == set(LUNAR)
    for quantity, result in compared.items():
        assert result.within, f"{quantity}: {result.difference} from the record"


def test_the_block_carries_the_inputs_as_published():
    # space_race_inputs.csv: PDI 6.4 n mi, 5,564.9 ft/s; the CSM 63.5 n mi, 5,332.3 ft/s and its
    # 255 n mi lead; lift-off 10,776.6 lb: the program's SI values convert back to them
    flight = load_program("apollo-11").flights[0]
    pdi, plan = sortie_inputs(flight.trajectory.sortie, flight.launch)
    assert pdi.altitude_m / NMI_M == pytest.approx(6.4, abs=1e-6)
    assert pdi.speed_mps / FT == pytest.approx(5564.9, abs=1e-6)
    assert plan.csm_lead_at_insertion_m / NMI_M == pytest.approx(255.0, abs=1e-6)
    assert plan.ascent_mass_kg / 0.45359237 == pytest.approx(10776.6, abs=0.1)
    assert (plan.rendezvous.tpi - flight.launch) == pytest.approx(127 * 3600 + 3 * 60 + 51.8,
                                                                 abs=1e-3)


def test_a_sortie_needs_a_flight_at_the_moon():
    text = BROKEN.read_text().replace("      third_bodies: [moon, sun]\n", "").replace(
        'csi: "126:17:49.6", cdh: "125:19:35.0"', 'csi: "125:19:35.0", cdh: "126:17:49.6"')
    with pytest.raises(ProgramError) as caught:
        load_bytes(text.encode(), "earth-sortie.yaml")
    assert caught.value.errors == [
        "earth-sortie.yaml:11:7: flights[0].trajectory: a sortie leaves a flight at the Moon: "
        "give it on a trajectory with central_body: moon or third_bodies: [moon, sun]"]


def test_a_sortie_that_cannot_be_flown_names_the_flight():
    flight = load_program("apollo-11").flights[0]
    sortie = flight.trajectory.sortie
    early = sortie.model_copy(update={"liftoff": sortie.liftoff.model_copy(
        update={"get": "102:40:00"})})
    flight = flight.model_copy(update={"trajectory": flight.trajectory.model_copy(
        update={"sortie": early})})
    with pytest.raises(MissionError, match="Apollo 11: the lunar-module sortie cannot be flown: "
                                           "lift-off .* before the touchdown"):
        sortie_events(flight, flight.launch)
