"""The bundled historical programs: each one loads, and its inputs agree with the reference tables.

The tables in ``/work/shared/reference`` (or ``$STATIONSIM_REFERENCE``) are read here on their own,
with the csv module, and compared with what the program files say: launch times, crews, ports,
module arrivals and tracking sets. Where a program departs from a table on purpose, the departure
is listed below with its reason, and checked to be justified.
"""

from __future__ import annotations

import csv
import math
import os
import re
from pathlib import Path

import erfa
import numpy as np
import pytest

from stationsim.hardware.catalog import load_catalog
from stationsim.scenario import bundled_names, load_program
from stationsim.scenario.schema import ElementsOrbit, RelocateEvent, TleOrbit, tle_rows

REFERENCE = Path(os.environ.get("STATIONSIM_REFERENCE", "/work/shared/reference"))
HISTORICAL = ("astp", "mir", "iss-assembly", "iss-commercial-crew", "tiangong-1", "sputnik-1",
              "explorer-1", "vostok-1", "friendship-7", "luna-2", "apollo-8", "apollo-11")
FREE_FLIGHTS = ("sputnik-1", "explorer-1", "vostok-1", "friendship-7")
TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?")

needs_reference = pytest.mark.skipif(not REFERENCE.is_dir(),
                                     reason=f"reference tables not found at {REFERENCE}")


def table(name: str) -> list[dict[str, str]]:
    with open(REFERENCE / name, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def first_time(text: str) -> str | None:
    """The first ISO date or date-time in a table cell, seconds added when only minutes."""
    match = TIMESTAMP.search(text or "")
    if match is None:
        return None
    value = match.group(0)
    return value + ":00" if len(value) == 16 else value


def same_instant(program_utc: str | None, table_value: str) -> bool:
    """A table date matches the program's day; a table time matches to the second."""
    if program_utc is None:
        return False
    stamp = program_utc.removesuffix("Z")
    return stamp[:10] == table_value if len(table_value) == 10 else stamp == table_value


def surnames(cell: str) -> set[str]:
    """Last names in a '; '-separated crew cell, without roles, agencies or question marks."""
    names = [re.sub(r"\(.*?\)", "", part).replace("?", "").strip() for part in cell.split(";")]
    return {name.split()[-1] for name in names if name}


def surnames_of(people: list[str]) -> set[str]:
    return {name.split()[-1] for name in people}


@pytest.fixture(scope="module")
def programs():
    return {name: load_program(name) for name in HISTORICAL}


# --- every program ------------------------------------------------------------------------
@pytest.mark.parametrize("name", HISTORICAL)
def test_bundled_program_loads_with_a_description(programs, name):
    program = programs[name]
    assert name in bundled_names()
    assert program.name == name
    assert program.description.strip()
    assert program.flights


@pytest.mark.parametrize("name", FREE_FLIGHTS)
def test_first_flights_fly_alone(programs, name):
    program = programs[name]
    assert program.stations == []
    assert [flight.target for flight in program.flights] == [None]


@pytest.mark.parametrize(("name", "retrofire_utc"), [
    ("vostok-1", "1961-04-12T07:25"),        # space_race_inputs.csv: 07:25 UTC, to the minute
    ("friendship-7", "1962-02-20T19:20:47"),  # space_race_inputs.csv: GET 04:33:08
])
def test_crewed_first_flights_fly_their_retrofire_to_a_predicted_landing(programs, name,
                                                                         retrofire_utc):
    flight = programs[name].flights[0]
    assert flight.landing_utc is None  # the landing is the model's, never written
    assert flight.trajectory.entry is not None
    first = flight.trajectory.burns[0].epoch(flight.launch)
    assert first.utc_iso(0).startswith(retrofire_utc)


# --- Mir --------------------------------------------------------------------------------------
@needs_reference
def test_shuttle_mir_dockings_match_the_flight_table(programs):
    mir = programs["mir"]
    docking_rows = [row for row in table("shuttle_mir_flights.csv") if row["docking_flight_day"]]
    assert len(docking_rows) == 9
    for row in docking_rows:
        flight = mir.flight(row["flight"])
        assert same_instant(flight.launch_utc, first_time(row["launch_utc"])), row["flight"]
        assert same_instant(flight.undock_utc, first_time(row["undocking_utc"])), row["flight"]
        assert same_instant(flight.landing_utc, first_time(row["landing_utc"])), row["flight"]
        assert flight.docking_flight_day == int(row["docking_flight_day"])
        assert flight.vehicle == row["orbiter"].split()[0].lower()
        assert flight.site == row["launch_pad"].replace("KSC ", "ksc-").lower().replace(" ", "-")
        expected_port = ("kristall.axial" if row["mir_port"].startswith("Kristall")
                         else "mir-docking-module.forward")
        assert flight.port == expected_port
        launched = surnames(row["crew_launched"])
        landed = launched if row["crew_landed"].startswith("same") else surnames(
            row["crew_landed"])
        assert surnames_of(flight.crew_up) == launched, row["flight"]
        assert surnames_of(flight.crew_down) == landed, row["flight"]


# Soyuz TM-25: the table puts it on the core's forward port, where Soyuz TM-24 stayed until
# 1997-03-02 (the same table); the program uses Kvant-1's aft port.
PORT_DEPARTURES = {"Soyuz TM-25"}
# Soyuz TM-20: the table's launch date (low confidence there) is the Moscow date; the program
# has the UTC time, which must fall on that date in Moscow time (UTC+3).
MOSCOW_DATES = {"Soyuz TM-20"}
MOSCOW_OFFSET_S = 3 * 3600.0
SOYUZ_PORTS = {"Kvant-1 aft": "kvant-1.aft", "core forward axial": "mir-core.forward"}


@needs_reference
def test_soyuz_tm_flights_match_the_soyuz_table(programs):
    mir = programs["mir"]
    for row in table("soyuz_tm_1995_1998.csv"):
        flight = mir.flight(row["flight"])
        launch = flight.launch_utc or flight.earliest_launch_utc  # a date only where unknown
        if row["flight"] in MOSCOW_DATES:
            launch = (flight.launch + MOSCOW_OFFSET_S).utc_iso(0)
        assert same_instant(launch, first_time(row["launch_utc"])), row["flight"]
        if row["undocking_utc"]:
            assert same_instant(flight.undock_utc, first_time(row["undocking_utc"]))
        if flight.landing_utc is not None:
            assert same_instant(flight.landing_utc, first_time(row["landing_utc"]))
        if row["mir_port"] and row["flight"] not in PORT_DEPARTURES:
            assert flight.port == SOYUZ_PORTS[row["mir_port"]], row["flight"]
        assert surnames_of(flight.crew_up) == surnames(row["crew_up"]), row["flight"]
        down = row["crew_up"] if row["crew_down"] == "same" else row["crew_down"]
        assert surnames_of(flight.crew_down) == surnames(down), row["flight"]


@needs_reference
def test_the_port_departure_is_forced_by_the_table_itself():
    rows = {row["flight"]: row for row in table("soyuz_tm_1995_1998.csv")}
    tm24, tm25 = rows["Soyuz TM-24"], rows["Soyuz TM-25"]
    assert tm24["mir_port"] == tm25["mir_port"] == "core forward axial"
    assert first_time(tm25["launch_utc"]) < first_time(tm24["undocking_utc"])


@needs_reference
def test_nasa_astronauts_go_up_and_down_on_the_tabled_flights(programs):
    mir = programs["mir"]
    for row in table("nasa_mir_astronauts.csv"):
        surname = row["astronaut"].split()[-1]
        up = mir.flight(row["arrival_vehicle"].split(" (")[0])
        down = mir.flight(row["departure_vehicle"].split(" (")[0])
        assert surname in surnames_of(up.crew_up) and surname not in surnames_of(up.crew_down)
        assert surname in surnames_of(down.crew_down)
        assert same_instant(up.launch_utc, first_time(row["launch_utc"]))
        assert same_instant(down.undock_utc, first_time(row["departure_undocking_utc"]))


@needs_reference
def test_russians_on_the_shuttle_fly_as_tabled(programs):
    mir = programs["mir"]
    flights = {flight.id: flight for flight in mir.flights}
    checked = 0
    for row in table("russians_on_shuttle.csv"):
        flight = flights.get(row["flight"])
        if flight is None:  # STS-60 and STS-63 did not dock
            continue
        surname = row["person"].split()[-1]
        went_up = surname in surnames_of(flight.crew_up)
        came_down = surname in surnames_of(flight.crew_down)
        direction = row["up_or_down"]
        expected = ((True, True) if direction.startswith("round trip") else
                    (True, False) if direction.startswith("up only") else (False, True))
        assert (went_up, came_down) == expected, row["person"]
        checked += 1
    assert checked == 11  # all but STS-60 and STS-63


def _final_port(program, module: str) -> str:
    """Where a module ends up: its arrival berth, then each relocation event in time order."""
    delivered = [flight.delivers_module for flight in program.flights
                 if flight.delivers_module is not None
                 and flight.delivers_module.instance == module]
    assert len(delivered) == 1, module
    moves = sorted((event for event in program.events
                    if isinstance(event, RelocateEvent) and event.module == module),
                   key=lambda event: event.at.tt_s)
    return moves[-1].to if moves else delivered[0].berth_at


def _delivering_flight(program, module: str):
    return next(flight for flight in program.flights
                if flight.delivers_module is not None and flight.delivers_module.module == module)


MIR_MODULE_IDS = {"Kvant-1": "kvant-1", "Kvant-2": "kvant-2", "Kristall": "kristall",
                  "Spektr": "spektr", "Docking Module": "mir-docking-module",
                  "Priroda": "priroda"}
NODE_PORTS = {"+Y": "plus-y", "-Y": "minus-y", "+Z": "plus-z", "-Z": "minus-z"}


@needs_reference
def test_mir_modules_arrive_when_and_where_the_module_table_says(programs):
    mir = programs["mir"]
    for row in table("mir_modules.csv"):
        if row["module"] == "Mir Core Module":
            assert mir.stations[0].modules.root == "mir-core"
            assert same_instant(mir.span.start_utc, first_time(row["launch_utc"]))
            continue
        module = MIR_MODULE_IDS[row["module"]]
        assert same_instant(_delivering_flight(mir, module).launch_utc,
                            first_time(row["launch_utc"])), module
        side = re.search(r"[+-][YZ]", row["final_port"])
        if "Kristall axial" in row["final_port"]:  # the Docking Module
            expected = "kristall.axial"
        elif row["final_port"].startswith("core aft"):
            expected = "mir-core.aft"
        else:
            expected = "mir-core." + NODE_PORTS[side.group(0)]
        assert _final_port(mir, module) == expected, module


@needs_reference
def test_mir_ends_with_the_deorbit_planned_from_the_eve_tracking_set(programs):
    mir = programs["mir"]
    summary = {row["parameter"]: row["value"] for row in table("mir_station_summary.csv")}
    deorbit = sorted((event for event in mir.events if event.type == "deorbit"),
                     key=lambda event: event.at.tt_s)
    # mir_station_summary.csv: "Three Progress M1-5 burns on 23 Mar 2001", each lower
    assert len(deorbit) == 3
    assert all(event.at_utc.startswith(summary["deorbit_date"]) for event in deorbit)
    perigees_km = [event.target_perigee_km for event in deorbit]
    assert perigees_km == sorted(perigees_km, reverse=True)
    last_tracking = max(entry.epoch.tt_s for entry in mir.tracking)
    hours_before_s = deorbit[0].at.tt_s - last_tracking
    assert 0.0 < hours_before_s < 12 * 3600.0
    last_crew_leaves = max(flight.undock_utc for flight in mir.flights if flight.crew_down)
    assert last_crew_leaves.startswith("2000-")


def _normalised(tle) -> list[str]:
    return [" ".join(row.split()) for row in tle_rows(tle)[-2:]]


def _tle_checksum(line: str) -> int:
    """Spacetrack Report No. 3: digits summed, '-' counts 1, modulo 10 over columns 1-68."""
    return sum(int(c) if c.isdigit() else c == "-" for c in line[:68]) % 10


@needs_reference
@pytest.mark.parametrize(("program_name", "table_name"), [
    ("mir", "tle_mir_tracking.csv"), ("iss-assembly", "tle_iss_tracking.csv")])
def test_tracking_sets_are_the_tabled_ones(programs, program_name, table_name):
    # the same element sets (epoch and mean elements), pasted or in a tracking file (whose
    # copies of a set may print '+' signs and leading zeros differently)
    from stationsim.astro.tle import parse_tle_lines

    def key(tle):
        return tuple(round(value, 9) for value in (
            tle.epoch.tt_s, tle.inclination_rad, tle.raan_rad, tle.eccentricity,
            tle.arg_perigee_rad, tle.mean_anomaly_rad, tle.mean_motion_radps))

    program = programs[program_name]
    tracked = sorted([key(entry.record) for entry in program.tracking]
                     + [key(tle) for _, sets in program.tracking_file_sets() for tle in sets])
    expected = [key(parse_tle_lines(row["line1"], row["line2"])) for row in table(table_name)]
    assert [entry for entry in tracked if entry in expected] == expected  # all, in order


@needs_reference
def test_the_bundled_iss_archive_is_the_reference_file_verbatim(programs):
    # iss-assembly's first tracking file is tle_iss_1998_2001.txt, every line as published
    files = [entry.file for entry in programs["iss-assembly"].tracking_files]
    sets = programs["iss-assembly"].tracking_file_sets()[files.index("iss-1998-2001.tle.gz")][1]
    lines = [line for tle in sets for line in tle.lines]
    assert lines == (REFERENCE / "tle_iss_1998_2001.txt").read_text().splitlines()


def test_every_iss_launch_from_2001_has_a_set_from_the_day_before_it(programs):
    # iss-2001-2024.tle.gz holds the last public set before each launch of the two ISS
    # programs after the 1998-2001 archive: every written launch finds one under a day old
    from stationsim.astro.time import Epoch
    from stationsim.scenario.tracking import read_tracking_file, tracking_path

    sets = read_tracking_file(tracking_path("iss-2001-2024.tle.gz", "<program>"))
    epochs_s = np.array([tle.epoch.tt_s for tle in sets])
    assert np.all(np.diff(epochs_s) > 0.0) and {tle.norad_id for tle in sets} == {25544}
    after_s = Epoch.from_utc_iso("2001-04-01T00:00:00Z").tt_s
    for name in ("iss-assembly", "iss-commercial-crew"):
        for flight in programs[name].flights:
            launch_s = flight.launch.tt_s
            if flight.launch_utc is None or launch_s < after_s:
                continue
            before = epochs_s[epochs_s < launch_s]
            assert launch_s - before.max() < 86400.0, flight.id


@needs_reference
def test_mir_1993_set_is_vallados_with_only_the_checksums_recomputed(programs):
    row = next(row for row in table("tle_historical.csv")
               if row["epoch_utc_approx"].startswith("1993-12-18"))
    rows = tle_rows(programs["mir"].tracking[0].tle)
    for printed, used in zip((row["line1"], row["line2"]), rows, strict=True):
        assert used[:68] == printed[:68]
        assert _tle_checksum(printed) != int(printed[68])  # the textbook's digit fails
        assert int(used[68]) == _tle_checksum(used)


@needs_reference
@pytest.mark.parametrize(("program_name", "epoch_prefix"), [
    ("mir", "1986-02-22"), ("iss-assembly", "1998-11-20")])
def test_starting_orbits_are_the_first_tabled_element_sets(programs, program_name, epoch_prefix):
    orbit = programs[program_name].stations[0].orbit
    assert isinstance(orbit, TleOrbit)
    row = next(row for row in table("tle_historical.csv")
               if row["epoch_utc_approx"].startswith(epoch_prefix))
    assert _normalised(orbit.tle) == [" ".join(row["line1"].split()),
                                      " ".join(row["line2"].split())]


# --- ISS ----------------------------------------------------------------------------------
ISS_MODULE_IDS = {"Unity": "unity", "Zvezda": "zvezda", "Destiny": "destiny", "Quest": "quest",
                  "Pirs": "pirs", "Harmony": "harmony", "Columbus": "columbus",
                  "Kibo ELM-PS": "kibo-jem-elm-ps", "Kibo JEM-PM": "kibo-jem-pm",
                  "Poisk": "poisk", "Tranquility": "tranquility", "Cupola": "cupola",
                  "Rassvet": "rassvet", "Leonardo PMM": "leonardo-pmm"}
LOCATION_MODULES = {"Unity": "unity", "Zvezda": "zvezda", "Destiny": "destiny",
                    "Harmony": "harmony", "JPM": "kibo-jem-pm", "Tranquility": "tranquility",
                    "Zarya": "zarya"}


@needs_reference
def test_iss_modules_arrive_when_and_where_the_module_table_says(programs):
    iss = programs["iss-assembly"]
    checked = 0
    for row in table("iss_modules.csv"):
        if row["module"] == "Zarya":
            assert iss.stations[0].modules.root == "zarya"
            assert same_instant(iss.span.start_utc, first_time(row["launch_utc"]))
            continue
        module = ISS_MODULE_IDS[row["module"]]
        flight = _delivering_flight(iss, module)
        assert same_instant(flight.launch_utc, first_time(row["launch_utc"])), module
        shuttle_flight = re.search(r"\((STS-\d+)", row["assembly_flight"])
        if shuttle_flight is not None:
            assert flight.id.endswith(shuttle_flight.group(1) + ")") or (
                flight.id == shuttle_flight.group(1)), module
        where = re.match(r"(\w+) (forward|aft|port|starboard|zenith|nadir)\b", row["location"])
        if where is not None and where.group(1) in LOCATION_MODULES:
            expected = f"{LOCATION_MODULES[where.group(1)]}.{where.group(2)}"
            assert _final_port(iss, module) == expected, module
            checked += 1
    assert checked >= 11


@needs_reference
def test_commercial_crew_launches_and_ports_match_the_table(programs):
    crew = programs["iss-commercial-crew"]
    notes = {row["event"]: row for row in table("later_stations_and_docking.csv")}
    demo2 = re.search(r"Launch (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2}) UTC",
                      notes["first crewed docking (Demo-2)"]["notes"])
    assert crew.flight("Demo-2").launch_utc == f"{demo2.group(1)}T{demo2.group(2)}Z"
    oft2 = re.search(r"\((\d{2}:\d{2}) UTC\)", notes["first docking (uncrewed OFT-2)"]["notes"])
    assert crew.flight("OFT-2").launch_utc.startswith("2022-05-19T" + oft2.group(1))
    assert crew.flight("CRS-18").launch_utc.startswith("2019-07-25")
    for flight_id in ("Demo-1", "Demo-2", "OFT-2", "CFT"):  # all docked at Harmony forward
        assert crew.flight(flight_id).port == "ida-2.idss"
    assert crew.flight("CRS-18").delivers_module.berth_at == "pma-3.apas"


# --- Tiangong-1 and Apollo-Soyuz --------------------------------------------------------------
@needs_reference
def test_tiangong_span_runs_from_launch_past_the_reentry(programs):
    tiangong = programs["tiangong-1"]
    rows = {row["event"]: row for row in table("later_stations_and_docking.csv")
            if row["item"] == "Tiangong-1"}
    assert same_instant(tiangong.span.start_utc, first_time(rows["launch"]["datetime_utc"]))
    reentry = first_time(rows["re-entry"]["datetime_utc"])
    assert tiangong.span.end_utc[:10] > reentry
    assert max(entry.epoch.utc_iso(0) for entry in tiangong.tracking)[:10] < reentry
    # the station's reboosts end, and it tumbles, when its service ended (before any tracking
    # set after it): the decay to the re-entry is the model's
    (tumble,) = tiangong.events
    assert tumble.type == "attitude" and tumble.mode == "tumbling"
    assert tiangong.stations[0].reboost.until_utc == tumble.at_utc
    assert tumble.at_utc[:10] < max(entry.epoch.utc_iso(0) for entry in tiangong.tracking)[:10]


def test_apollo_launched_seven_and_a_half_hours_after_soyuz_19(programs):
    astp = programs["astp"]
    apollo = astp.flight("Apollo (ASTP)")
    # NASA SP-4209: Soyuz 19 at 12:20 UTC, Apollo at 19:50 UTC on 1975-07-15
    assert apollo.launch - astp.span.start == pytest.approx(7.5 * 3600.0, abs=1.0)
    assert apollo.profile == "apollo"
    assert apollo.port == "astp-docking-module.apollo"
    assert astp.stations[0].docked[0].port == "astp-docking-module.apas"


def _in_plane_raan_deg(site_id: str, utc: str, inclination_deg: float) -> float:
    """RAAN (GCRF) of the plane through a pad at an ascending pass, from ERFA directly.

    The pad's GCRF position comes from erfa.c2t06a (IAU 2006/2000A, UT1 = UTC: under 1 s, so
    under 0.005 deg); then RAAN = right ascension - atan2(cos i sin u, cos u) with
    sin u = sin(declination) / sin i (Vallado, Fundamentals of Astrodynamics 4th ed., sec. 6.4,
    launch-window geometry).
    """
    site = load_catalog().site(site_id)
    r_itrf_m = erfa.gd2gc(1, site.longitude_rad, site.latitude_rad, site.height_m)  # 1 = WGS-84
    stamp = TIMESTAMP.search(utc).group(0)
    utc1, utc2 = erfa.dtf2d("UTC", int(stamp[:4]), int(stamp[5:7]), int(stamp[8:10]),
                            int(stamp[11:13]), int(stamp[14:16]), float(stamp[17:19]))
    tai1, tai2 = erfa.utctai(utc1, utc2)
    tt1, tt2 = erfa.taitt(tai1, tai2)
    celestial_to_terrestrial = erfa.c2t06a(tt1, tt2, utc1, utc2, 0.0, 0.0)
    r_gcrf_m = celestial_to_terrestrial.T @ r_itrf_m
    declination = math.asin(r_gcrf_m[2] / np.linalg.norm(r_gcrf_m))
    right_ascension = math.atan2(r_gcrf_m[1], r_gcrf_m[0])
    inclination = math.radians(inclination_deg)
    u = math.asin(math.sin(declination) / math.sin(inclination))
    raan = right_ascension - math.atan2(math.cos(inclination) * math.sin(u), math.cos(u))
    return math.degrees(raan) % 360.0


@pytest.mark.parametrize(("name", "site_id", "launch_utc"), [
    ("astp", "baikonur-site-1", "1975-07-15T12:20:00Z"),       # Soyuz 19
    ("tiangong-1", "jiuquan-lc-43-921", "2011-10-31T21:58:10Z"),  # Shenzhou 8
])
def test_derived_starting_planes_contain_the_launch_pad(programs, name, site_id, launch_utc):
    orbit = programs[name].stations[0].orbit
    assert isinstance(orbit, ElementsOrbit)
    expected_deg = _in_plane_raan_deg(site_id, launch_utc, orbit.inclination_deg)
    assert abs(orbit.raan_deg - expected_deg) < 0.02  # the file keeps 0.01 deg
