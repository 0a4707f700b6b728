"""iss-commercial-crew, 2019-2025: its manifest against the traffic table, and a run in which a
crew is aboard every day and the reboosts are flown by the ships docked at the time."""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import numpy as np
import pytest

from stationsim.astro.constants import DAY_S
from stationsim.scenario import load_program

REFERENCE = Path(os.environ.get("STATIONSIM_REFERENCE", "/work/shared/reference"))
needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(),
                                     reason=f"reference tables not found at {REFERENCE}")

# The flights of 2019-2024 to the station (NASA's mission lists; iss_traffic_2019_2024.csv),
# less Soyuz MS-14 (its redocking at another port is not expressible; see the program's header),
# the Axiom visits and Starliner OFT (which never reached the station).
EXPECTED = (
    {f"Soyuz MS-{n}" for n in range(12, 27) if n != 14}
    | {f"Progress MS-{n}" for n in range(11, 30)}
    | {"Demo-1", "Demo-2"} | {f"Crew-{n}" for n in range(1, 10)}
    | {"OFT-2", "CFT"}
    | {f"CRS-{n}" for n in range(17, 32)}
    | {f"NG-{n}" for n in range(11, 22)}
    | {"HTV-8", "HTV-9"}
)


@pytest.fixture(scope="module")
def program():
    return load_program("iss-commercial-crew")


@pytest.fixture(scope="module")
def result(program):
    from stationsim.program.engine import simulate

    return simulate(program)


def test_the_manifest_holds_every_flight_of_the_era(program):
    assert {flight.id for flight in program.flights} == EXPECTED


@needs_reference
def test_launch_times_agree_with_the_traffic_table(program):
    # Rows whose launch the table gives to the minute (the parsec launch logs, high confidence).
    with open(REFERENCE / "iss_traffic_2019_2024.csv", newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    names = {"Crew Dragon Demo-1 (DM-1)": "Demo-1", "Crew Dragon Demo-2 (DM-2)": "Demo-2",
             "Starliner OFT-2": "OFT-2", "Cygnus NG-": "NG-", "Dragon CRS-": "CRS-",
             "HTV-8 (Kounotori 8)": "HTV-8", "HTV-9 (Kounotori 9)": "HTV-9"}
    checked = 0
    for row in rows:
        minute = re.match(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", row["launch_utc"])
        flight_id = row["flight"]
        for prefix, ours in names.items():
            flight_id = flight_id.replace(prefix, ours) if prefix.endswith("-") else (
                ours if flight_id == prefix else flight_id)
        if minute is None or flight_id not in EXPECTED:
            continue
        assert program.flight(flight_id).launch.utc_iso(0)[:16] == minute.group(0), flight_id
        checked += 1
    assert checked >= 40


def test_a_crew_is_aboard_every_day_of_the_span(result):
    station = result.stations["iss"]
    times_s = np.array([t_s for t_s, _, _, _ in station.history])
    crew = np.array([count for _, _, _, count in station.history])
    days_s = np.arange(result.start_s, result.end_s, DAY_S)
    # the crew count after the last change at or before each day's start
    index = np.searchsorted(times_s, days_s, side="right") - 1
    assert (index >= 0).all()
    assert crew[index].min() >= 2, "a day with fewer than two aboard"
    every_change = crew[times_s <= result.end_s]
    assert every_change.min() >= 2  # not even between two daily samples


def test_the_tracked_stocks_never_run_out(result, program):
    # oxygen, water and food start from the program's stocks and live on the ships' manifests
    stocks = program.stations[0].consumables
    assert min(stocks.o2_kg, stocks.water_kg, stocks.food_kg) > 0.0  # all three are tracked
    assert not [e for e in result.events if e.kind == "shortage"]
    water = [kg for _, resource, kg in result.stations["iss"].ledger.history
             if resource == "water"]
    assert min(water) > 0.0 and max(water) > water[0]  # resupplied, never empty


def test_reboosts_come_from_docked_progress_or_zvezda(result, program):
    from stationsim.astro.time import Epoch

    records = {record.flight: record for record in result.flights}
    reboosts = [m for m in result.maneuvers if m.name.startswith("reboost")]
    # the policy burns when the mean altitude falls under its floor; the set adopted at each
    # launch carries the station's real reboosts, so the model burns where the weeks between
    # sets let it decay that far: through the solar maximum of 2023-2024 the decay is fastest
    years = {int(Epoch(m.t_s).utc_iso(0)[:4]) for m in reboosts}
    assert years >= {2023, 2024}
    at_start = {docked.id: docked for docked in program.stations[0].docked}
    for maneuver in reboosts:
        burner = maneuver.vehicle
        if burner == "zvezda":  # its engines, on the propellant the Progress delivered
            continue
        if burner in at_start:
            assert at_start[burner].vehicle == "progress-ms"
            assert maneuver.t_s <= at_start[burner].undock.tt_s
            continue
        record = records[burner]
        assert record.vehicle == "progress-ms"
        assert record.dock_s <= maneuver.t_s <= (record.undock_s or result.end_s)
