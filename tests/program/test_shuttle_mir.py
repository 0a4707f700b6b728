"""The bundled shuttle-mir program, run end to end and checked against the historical record.

The record is read from the reference tables beside the project (../shared/reference); the
program file takes launch times, ports and crews from them, and everything checked here that
is not an input (docking times, flight days, crew-days, altitudes) is computed by the physics.
"""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import duckdb
import pytest

from stationsim.program.engine import simulate
from stationsim.results.run_folder import save_run
from stationsim.scenario import load_program, program_path

REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"
needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(), reason="no ../shared/reference")
HOUR_S = 3600.0


def _reference(name: str) -> list[dict]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    folder = tmp_path_factory.mktemp("shuttle-mir")
    result = simulate(load_program("shuttle-mir"))
    saved = save_run(result, program_path("shuttle-mir"), folder, 0, 0.0, dt.datetime.now(dt.UTC))
    con = duckdb.connect(str(saved.store), read_only=True)
    yield con
    con.close()


def _flights(con) -> dict[str, dict]:
    cursor = con.execute("SELECT * FROM flights")
    names = [d[0] for d in cursor.description]
    return {row[0]: dict(zip(names, row, strict=True)) for row in cursor.fetchall()}


@needs_reference
def test_every_shuttle_docking_on_the_recorded_port_and_flight_day(store):
    flights = _flights(store)
    docked = 0
    for row in _reference("shuttle_mir_flights.csv"):
        flight = flights[row["flight"]]
        if not row["docking_flight_day"]:
            assert flight["dock_utc"] is None  # STS-60 and STS-63 did not dock
            continue
        docked += 1
        expected_port = ("kristall.axial" if row["mir_port"].startswith("Kristall")
                         else "mir-docking-module.forward")
        assert flight["port"] == expected_port, row["flight"]
        # Flight day 1 runs from launch to the first sleep, 6 to 18 h later depending on the
        # hour of launch; each later day is 24 h. So flight day N (N >= 2) lies between
        # 6 + 24 (N - 2) h and 18 + 24 (N - 1) h after launch.
        hours = (flight["dock_utc"] - flight["launch_utc"]).total_seconds() / HOUR_S
        day = int(row["docking_flight_day"])
        assert 6 + 24 * (day - 2) < hours < 18 + 24 * (day - 1), (row["flight"], hours)
    assert docked == 9


@needs_reference
def test_sts74_docks_within_half_a_revolution_of_the_record(store):
    # mir_modules.csv (Docking Module): docked with Atlantis 1995-11-15T06:27:38. The planner
    # starts from Mir as tracked 1.2 d before launch; half a revolution (46 min) is the margin
    # within which it chose the same final orbit as the flight designers.
    (dock,) = store.execute("SELECT dock_utc FROM flights WHERE flight = 'STS-74'").fetchone()
    recorded = dt.datetime(1995, 11, 15, 6, 27, 38)
    assert abs((dock - recorded).total_seconds()) < 46 * 60


@needs_reference
def test_soyuz_two_day_rendezvous_takes_about_34_orbits(store):
    # rendezvous_profiles.csv: the two-day profile, ~34 orbits (~52 h) from launch to docking;
    # the 34th revolution of an 89-92 min orbit ends 50.4-52.1 h after launch. Progress M-24
    # docked on its retry day after two aborted approaches (tests/program/test_approach_aborts).
    rows = store.execute(
        "SELECT flight, epoch_us(dock_utc) - epoch_us(launch_utc) FROM flights "
        "WHERE profile = 'soyuz-two-day' AND dock_utc IS NOT NULL "
        "AND flight NOT IN ('Progress M-35', 'Progress M-24')"
    ).fetchall()
    assert len(rows) >= 10
    for flight, micros in rows:
        assert 45.0 < micros / 1e6 / HOUR_S < 54.0, flight


@needs_reference
def test_the_seven_nasa_astronauts_hand_over_in_a_chain(store):
    stays = {row[0]: row[1:] for row in store.execute(
        "SELECT person, arrival_flight, departure_flight, arrived_utc, departed_utc "
        "FROM crew_stays WHERE agency = 'NASA' AND station = 'mir'").fetchall()}
    previous_departure = None
    for row in _reference("nasa_mir_astronauts.csv"):
        arrival, departure, arrived, departed = stays[row["astronaut"]]
        assert arrival == row["arrival_vehicle"].split(" (")[0]
        assert departure == row["departure_vehicle"].split(" (")[0]
        launched = dt.datetime.fromisoformat(row["launch_utc"])
        assert launched < arrived < launched + dt.timedelta(days=3)  # docking after launch
        assert departed == dt.datetime.fromisoformat(row["departure_undocking_utc"])
        if previous_departure is not None:
            assert arrival == previous_departure  # the next one came on the flight that ...
        previous_departure = departure if row["astronaut"] != "Norman Thagard" else None


@needs_reference
def test_mir_stays_in_its_historical_altitude_band(store):
    # mir_station_summary.csv: 296-421 km over Mir's life; the Shuttle-era flights reported
    # 340-400 km.
    low, high = store.execute(
        "SELECT min(perigee_km), max(apogee_km) FROM station_states").fetchone()
    assert 340.0 <= low and high <= 421.0


def test_modules_that_flew_themselves_end_when_they_join_the_station(store):
    # Spektr and Priroda docked at the core's forward port and became part of Mir: their
    # flights end there (outcome joined, undock_utc the joining), and the module stays in the
    # station's module_attach events.
    flights = _flights(store)
    for module in ("Spektr", "Priroda"):
        flight = flights[module]
        assert flight["outcome"] == "joined"
        assert flight["dock_utc"] is not None and flight["undock_utc"] == flight["dock_utc"]
        attached = store.execute("SELECT count(*) FROM events WHERE kind = 'module_attach' AND "
                                 "flight = ?", [module]).fetchone()[0]
        assert attached == 1


def test_a_flight_that_left_is_never_docked(store):
    # after its undocking a flight is landed (a 'land' event: it came home at the written
    # time), reentered (a cargo ship's deorbit) or undocked (no landing given), never docked
    flights = _flights(store)
    landed = {row[0] for row in store.execute("SELECT flight FROM events WHERE kind = 'land'")
              .fetchall()}
    left = [name for name, flight in flights.items()
            if flight["undock_utc"] is not None and flight["outcome"] != "joined"]
    assert len(left) > 30
    for name in left:
        outcome = flights[name]["outcome"]
        assert outcome in ("landed", "reentered", "undocked"), (name, outcome)
        assert (outcome == "landed") == (name in landed), name
    assert flights["STS-71"]["outcome"] == "landed"
    # Soyuz TM-18 was docked at the start and undocked on 1994-07-09; the program gives no
    # landing time, so the store does not invent one
    assert flights["Soyuz TM-18"]["outcome"] == "undocked"
    assert flights["Soyuz TM-18"]["land_utc"] is None


def test_the_written_launch_is_kept_beside_the_flown_one(store):
    # STS-71's written launch (1995-06-27T19:32:19Z) lies outside the model's launch window:
    # the flown launch moves into it, the written one stays for launch-to-docking.
    program = load_program("shuttle-mir")
    flights = _flights(store)
    for flight in program.flights:
        row = flights[flight.id]
        if flight.launch_utc is None:
            assert row["launch_written_utc"] is None
            continue
        written = dt.datetime.fromisoformat(flight.launch_utc.removesuffix("Z"))
        assert abs((row["launch_written_utc"] - written).total_seconds()) < 1e-3, flight.id
    sts71 = flights["STS-71"]
    assert sts71["launch_utc"] != sts71["launch_written_utc"]
    # one launch event, at the flown time, saying how far it moved
    (launch_s, detail), = store.execute(
        "SELECT epoch(t_utc), detail FROM events WHERE kind = 'launch' AND flight = 'STS-71'"
    ).fetchall()
    assert launch_s == pytest.approx(sts71["launch_utc"].replace(tzinfo=dt.UTC).timestamp(),
                                     abs=1e-3)
    moved_min = (sts71["launch_utc"] - sts71["launch_written_utc"]).total_seconds() / 60.0
    assert f"moved {moved_min:+.1f} min" in detail


def test_station_phase_is_assumed_only_where_no_tracking_and_never_flown(store):
    # no station phasing burns of the engine's own; each phase-assumed flight launched with no
    # tracking set of Mir in the two days before
    burns = store.execute("SELECT count(*) FROM events WHERE detail LIKE '%phasing%' AND kind IN "
                          "('burn', 'reboost')").fetchone()[0]
    assert burns == 0
    tracked = [row[0] for row in store.execute(
        "SELECT t_utc FROM events WHERE kind = 'tracking' ORDER BY t_utc").fetchall()]
    for flight, when in store.execute(
            "SELECT e.flight, f.launch_utc FROM events e JOIN flights f USING (flight) "
            "WHERE e.kind = 'phase-assumed'").fetchall():
        recent = [t for t in tracked if dt.timedelta(0) <= when - t <= dt.timedelta(days=2)]
        assert not recent, flight
