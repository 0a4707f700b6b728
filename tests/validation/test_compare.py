"""The comparison machinery on synthetic run stores, and the shipped record itself."""

from __future__ import annotations

import csv
import datetime as dt
import math
from pathlib import Path

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.results.store import write_store
from stationsim.validation.compare import (
    QUANTITIES,
    compare_entry,
    compare_store,
    load_record,
    posix_s,
)

RECORD = load_record()
REFERENCE = Path(__file__).resolve().parents[3] / "shared" / "reference"


def _entry(program: str, quantity: str, subject: str):
    return next(e for e in RECORD.programs[program]
                if e.quantity == quantity and e.subject == subject)


def _utc(posix_seconds: float) -> str:
    return dt.datetime.fromtimestamp(posix_seconds, dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _store(tmp_path, **tables):
    return write_store(tmp_path / "results.duckdb", tables)


def test_every_entry_has_a_source_a_confidence_and_a_justified_tolerance():
    for program, entries in RECORD.programs.items():
        assert entries, program
        for entry in entries:
            assert entry.source and entry.confidence, (program, entry.label)
            assert entry.quantity in QUANTITIES
            if entry.kind == "text":
                continue
            assert entry.tolerance is not None and entry.tolerance.why, (program, entry.label)
            # the record itself compared with itself is within any tolerance (units must fit)
            reference = entry.value if entry.value is not None else entry.low
            simulated = (posix_s(reference) if entry.kind == "time"
                         else tuple(reference) if entry.kind == "place" else float(reference))
            assert compare_entry(entry, simulated).within, (program, entry.label)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference tables sit beside the clone")
def test_record_times_are_copied_from_the_reference_tables():
    # Every Shuttle landing in the record is the one of shuttle_mir_flights.csv (first time
    # given in the cell), and every NASA astronaut's departure is the csv's undocking.
    with open(REFERENCE / "shuttle_mir_flights.csv", newline="") as handle:
        flights = {row["flight"]: row for row in csv.DictReader(handle)}
    landings = [e for e in RECORD.programs["shuttle-mir"] if e.quantity == "land_utc"
                and e.subject.startswith("STS")]
    assert len(landings) >= 8
    for entry in landings:
        assert entry.value == flights[entry.subject]["landing_utc"].split(" ")[0] + "Z"
    with open(REFERENCE / "nasa_mir_astronauts.csv", newline="") as handle:
        departures = {row["astronaut"]: row["departure_undocking_utc"]
                      for row in csv.DictReader(handle)}
    stays = [e for e in RECORD.programs["shuttle-mir"] if e.quantity == "crew_days"]
    assert len(stays) == 7
    for entry in stays:
        ((start, _),) = entry.extra["intervals"]
        expected_s = posix_s(departures[entry.subject] + "Z")
        assert entry.value * DAY_S == pytest.approx(expected_s - posix_s(start), abs=1.0)


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference tables sit beside the clone")
def test_documented_dockings_fall_on_the_flight_plans_flight_day(tmp_path):
    # Independent check of the flight-day count against history: the published docking times
    # of the nine Shuttle-Mir dockings must fall on shuttle_mir_flights.csv's docking flight
    # day, counted from the csv's launch times.
    entries = [e for e in RECORD.programs["shuttle-mir"] if e.quantity == "dock_utc"
               and e.subject.startswith("STS")]
    with open(REFERENCE / "shuttle_mir_flights.csv", newline="") as handle:
        launches = {row["flight"]: row["launch_utc"].split(" ")[0] + "Z"
                    for row in csv.DictReader(handle)
                    if row["docking_flight_day"]}
    assert sorted(e.subject for e in entries) == sorted(launches)
    store = _store(tmp_path, flights={
        "flight": [e.subject for e in entries],
        "launch_utc": [launches[e.subject] for e in entries],
        "dock_utc": [e.value for e in entries]})
    days = [c for c in compare_store("shuttle-mir", store)
            if c.entry.quantity == "docking_flight_day" and c.entry.subject in launches]
    assert len(days) == len(launches)
    assert all(c.within for c in days), [(c.entry.subject, c.simulated) for c in days]


def test_times_are_judged_against_their_tolerance(tmp_path):
    sts74 = _entry("shuttle-mir", "dock_utc", "STS-74")
    sts79 = _entry("shuttle-mir", "dock_utc", "STS-79")
    allowed_s = sts74.tolerance.value * 3600.0
    store = _store(tmp_path, flights={
        "flight": ["STS-74", "STS-79"],
        "dock_utc": [_utc(posix_s(sts74.value) + 0.9 * allowed_s),
                     _utc(posix_s(sts79.value) - 1.1 * allowed_s)]})
    found = {c.entry.subject: c for c in compare_store("shuttle-mir", store)
             if c.entry.quantity == "dock_utc"}
    assert found["STS-74"].within and found["STS-74"].difference == pytest.approx(
        0.9 * allowed_s, abs=1e-3)
    assert found["STS-79"].within is False
    assert found["STS-79"].difference == pytest.approx(-1.1 * allowed_s, abs=1e-3)
    assert found["STS-71"].within is None and found["STS-71"].simulated is None


def test_ports_compare_the_module_or_the_whole_port(tmp_path):
    store = _store(tmp_path, flights={
        "flight": ["STS-74", "STS-71", "Soyuz TM-21", "Soyuz TM-23"],
        "port": ["mir-docking-module.forward", "mir-docking-module.forward", "kvant-1.aft",
                 "kvant-1.forward"]})
    ports = {c.entry.subject: c.within for c in compare_store("shuttle-mir", store)
             if c.entry.quantity == "port"}
    assert ports["STS-74"] is True  # record names the module only
    assert ports["STS-71"] is False  # record: Kristall
    assert ports["Soyuz TM-21"] is True  # record names the port
    assert ports["Soyuz TM-23"] is False


def test_crew_days_per_person_and_per_agency(tmp_path):
    thagard = _entry("shuttle-mir", "crew_days", "Norman Thagard")
    nasa = _entry("shuttle-mir", "agency_days", "NASA")
    # Thagard's stay as two visits that add up to the record plus 0.1 d
    store = _store(tmp_path, crew_stays={
        "person": ["Norman Thagard", "Norman Thagard", "Shannon Lucid"],
        "agency": ["NASA", "NASA", "NASA"],
        "station": ["mir", "mir", "mir"],
        "days": [thagard.value - 10.0, 10.1, nasa.value - thagard.value - 1.0]})
    found = {(c.entry.quantity, c.entry.subject): c for c in compare_store("shuttle-mir", store)}
    assert found["crew_days", "Norman Thagard"].difference == pytest.approx(0.1)
    assert found["crew_days", "Norman Thagard"].within
    assert found["agency_days", "NASA"].difference == pytest.approx(-0.9)
    assert found["agency_days", "NASA"].within  # 1.4 d for seven stays
    assert found["crew_days", "Shannon Lucid"].within is False


def test_station_quantities_at_a_date_and_over_a_window(tmp_path):
    mass = _entry("shuttle-mir", "mass_kg", "mir")
    at_s = posix_s(mass.extra["at"])
    hours = [at_s + 3600.0 * k for k in range(-2, 3)]
    perigee_km = [390.0, 330.0, 380.0, 380.0, 380.0]  # 330 km: before the date
    store = _store(tmp_path, station_states={
        "t_utc": [_utc(t) for t in hours],
        "station": ["mir"] * 5,
        "mass_kg": [1.0, 1.0, mass.value + 3000.0, 1.0, 1.0],
        "perigee_km": perigee_km,
        "apogee_km": [395.0] * 5})
    found = {(c.entry.quantity, c.entry.extra.get("at")): c
             for c in compare_store("shuttle-mir", store)}
    assert found["mass_kg", mass.extra["at"]].difference == pytest.approx(3000.0)
    assert found["mass_kg", mass.extra["at"]].within  # 4 t: sources' spread and cargo
    # a date with no sample within two hours is not simulated
    assert found["perigee_km", "1996-09-19T03:13:00Z"].simulated is None


def test_a_band_is_met_anywhere_inside_it():
    band = _entry("shuttle-mir", "lowest_perigee_km", "mir")
    allowed = band.tolerance.value
    inside = compare_entry(band, (band.low + band.high) / 2)
    assert inside.within and inside.difference == 0.0
    below = compare_entry(band, band.low - allowed - 1.0)
    assert below.within is False and below.difference == pytest.approx(-allowed - 1.0)
    above = compare_entry(band, band.high + allowed - 1.0)
    assert above.within and above.difference == pytest.approx(allowed - 1.0)


def test_reentry_tolerance_is_a_share_of_the_remaining_lifetime(tmp_path):
    entry = _entry("tiangong-1", "reentry_utc", "tiangong-1")
    remaining_s = posix_s(entry.value) - posix_s(entry.extra["since"])
    allowed_s = entry.tolerance.value / 100.0 * remaining_s
    store = _store(tmp_path, events={
        "t_utc": [_utc(posix_s(entry.value) + 0.95 * allowed_s)],
        "kind": ["reentry"], "station": ["tiangong-1"]})
    (found,) = [c for c in compare_store("tiangong-1", store) if c.entry is entry]
    assert found.allowed == pytest.approx(allowed_s)
    assert found.within
    late = compare_entry(entry, posix_s(entry.value) + 1.05 * allowed_s)
    assert late.within is False


def test_places_are_judged_by_their_great_circle_distance(tmp_path):
    # One degree of longitude at latitude phi on a sphere of the WGS-84 equatorial radius is
    # 6378.137 km * pi / 180 * cos(phi) = 111.32 km cos(phi); the entry's own point read back
    # from the events is 0 km away.
    entry = _entry("mir", "impact_place", "mir")
    lat_deg, lon_deg = entry.value
    store = _store(tmp_path, events={
        "t_utc": [_utc(1e9), _utc(1e9 + 60.0)], "kind": ["reentry", "impact"],
        "station": ["mir", "mir"], "lat_deg": [0.0, lat_deg], "lon_deg": [0.0, lon_deg]})
    (found,) = [c for c in compare_store("mir", store) if c.entry is entry]
    assert found.simulated == (lat_deg, lon_deg) and found.difference == pytest.approx(0.0)
    assert found.within
    assert compare_entry(entry, (lat_deg, lon_deg + 1.0)).difference == pytest.approx(
        111.32 * math.cos(math.radians(lat_deg)), rel=1e-3)
    far = compare_entry(entry, (lat_deg, lon_deg + 30.0))
    assert far.within is False


@pytest.mark.parametrize(("body", "message"), [
    ("groups: {g: [{quantity: dock_time, subject: X, value: 1}]}\nprograms: {p: [g]}",
     "quantity 'dock_time' is not one of"),
    ("groups: {g: [{quantity: mass_kg, subject: X, value: 1, tolerance: loose}]}\n"
     "programs: {p: [g]}", "unknown tolerance 'loose'"),
    ("groups: {}\nprograms: {p: [missing]}", "unknown group 'missing'"),
    ("groups: {g: [{quantity: mass_kg, subject: X, low: 1}]}\nprograms: {p: [g]}",
     "give value, intervals or both low and high"),
    ("tolerances: {t: {value: -1, unit: km, why: w}}", "value=-1.0 must be >= 0"),
])
def test_a_bad_record_is_refused_with_the_entry_named(tmp_path, body, message):
    path = tmp_path / "record.yaml"
    path.write_text(body)
    with pytest.raises(ValueError, match=message):
        load_record(str(path))


def test_a_tolerance_in_the_wrong_unit_is_refused(tmp_path):
    path = tmp_path / "record.yaml"
    path.write_text("groups: {g: [{quantity: mass_kg, subject: X, value: 1,\n"
                    "  tolerance: {value: 1, unit: km, why: w}}]}\nprograms: {p: [g]}")
    (entry,) = load_record(str(path)).programs["p"]
    with pytest.raises(ValueError, match="tolerance unit 'km' does not fit"):
        compare_entry(entry, 2.0)
