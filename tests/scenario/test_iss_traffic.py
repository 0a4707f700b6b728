"""The Progress cargo flights of the bundled ISS assembly program, against the published record.

Sources of the expected values: NASA numbers the Progress flights to the station 1P, 2P, ...;
Progress M1-3 was 1P (https://friendlywiki.com/article/index.php?title=Progress_M1-3) and
Progress M-09M, the last launched before the span ends, 41P
(https://en.wikipedia.org/wiki/Progress_M-09M); the module carriers Progress M-SO1 (Pirs) and
M-MIM2 (Poisk) are not in that count. Progress M1-5 (2001) went to Mir.
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.scenario.ports import earliest_docking_s

PUBLISHED_TOTAL = 41  # 1P (Progress M1-3) to 41P (Progress M-09M)
PUBLISHED_FLIGHTS = (
    {f"Progress M1-{n}" for n in (3, 4, 6, 7, 8, 9, 10, 11)}
    | {f"Progress M-{n}" for n in range(44, 68)}
    | {f"Progress M-{n:02d}M" for n in range(1, 10)}
)
# Progress M1-N is the 7K-TGM1; Progress M-NN and Progress M-NNM (11F615A60) fly as progress-m.
SERIES = re.compile(r"Progress M(?P<m1>1)?-(?P<number>\d+)(?P<mm>M)?")
# Ports of the record (Zvezda aft, Zarya nadir, Pirs) and the flight delivering each module
# (Zarya is the root, there from the start).
PORT_MODULES = {"zvezda.aft": "Zvezda", "zarya.nadir": None, "pirs.forward": "Pirs"}
# A vehicle holds its port from its docking, no earlier than two days after launch: the Soyuz
# and Progress of 1998-2011 flew the two-day profile, docking on the 34th revolution (33 or more
# revolutions of ~92 min, over two days), and the Shuttle docked on flight day 3 or later
# (rendezvous_profiles.csv); a flight whose plan's docking day is written holds it from that
# day (scenario/ports.py; ATV-2: flight day 8).
EARLIEST_DOCKING_S = 2.0 * DAY_S


@pytest.fixture(scope="module")
def progress_flights(iss_assembly):
    return [flight for flight in iss_assembly.flights if SERIES.fullmatch(flight.id)]


def _series(name: str) -> str:
    match = SERIES.fullmatch(name)
    return "M1" if match["m1"] else "M-M" if match["mm"] else "M"


def test_the_manifest_holds_the_published_flights(progress_flights):
    names = [flight.id for flight in progress_flights]
    assert len(PUBLISHED_FLIGHTS) == PUBLISHED_TOTAL
    assert len(names) == len(set(names))
    assert set(names) == PUBLISHED_FLIGHTS


def test_each_flight_flies_the_vehicle_of_its_series(progress_flights):
    for flight in progress_flights:
        expected = "progress-m1" if _series(flight.id) == "M1" else "progress-m"
        assert flight.vehicle == expected, flight.id


def test_launches_fall_inside_the_span_and_stays_outlast_a_rendezvous(iss_assembly,
                                                                      progress_flights):
    for flight in progress_flights:
        span = iss_assembly.span
        assert span.start.tt_s < flight.launch.tt_s < span.end.tt_s, flight.id
        if flight.undock is not None:
            assert flight.undock.tt_s - flight.launch.tt_s > EARLIEST_DOCKING_S, flight.id
    # only the last one, undocked 2011-04-22, outlasts the span
    staying = [flight.id for flight in progress_flights if flight.undock is None]
    assert staying == ["Progress M-09M"]


def test_each_series_launches_in_the_order_of_its_numbers(progress_flights):
    series: dict[str, list[tuple[int, float, str]]] = {}
    for flight in progress_flights:
        number = int(SERIES.fullmatch(flight.id)["number"])
        series.setdefault(_series(flight.id), []).append((number, flight.launch.tt_s, flight.id))
    assert set(series) == {"M1", "M", "M-M"}
    for iss_flights in series.values():
        by_number = [name for _, _, name in sorted(iss_flights)]
        by_launch = [name for _, _, name in sorted(iss_flights, key=lambda item: item[1])]
        assert by_number == by_launch


def test_each_flight_docks_at_a_port_of_a_module_already_there(iss_assembly, progress_flights):
    launches = {flight.id: flight.launch.tt_s for flight in iss_assembly.flights}
    for flight in progress_flights:
        assert flight.port in PORT_MODULES, flight.id
        carrier = PORT_MODULES[flight.port]
        if carrier is not None:
            assert launches[carrier] < flight.launch.tt_s, flight.id


def test_no_two_vehicles_hold_a_port_at_once(iss_assembly):
    # Every docked stay of a vehicle, split at its relocations: (port, from, to, flight).
    stays: list[tuple[str, float, float, str]] = []
    for flight in iss_assembly.flights:
        if flight.vehicle is None or flight.port is None:
            continue
        end_s = flight.undock.tt_s if flight.undock is not None else iss_assembly.span.end.tt_s
        start_s = max(flight.launch.tt_s + EARLIEST_DOCKING_S, earliest_docking_s(flight))
        port = flight.port
        for move in flight.relocations:
            stays.append((port, start_s, move.at.tt_s, flight.id))
            port, start_s = move.to, move.at.tt_s
        stays.append((port, start_s, end_s, flight.id))
    stays.sort()
    for (port_a, _, end_a, name_a), (port_b, start_b, _, name_b) in pairwise(stays):
        if port_a == port_b:
            assert end_a <= start_b, f"{name_a} and {name_b} at {port_a}"


def test_cargo_brings_propellant_within_the_tankage(progress_flights):
    # Every Progress to the station refuelled it; a Progress-M1 carried up to 1950 kg of
    # propellant (https://daviddarling.info/encyclopedia/P/Progress.html) and the Progress-M
    # flights here at most 880 kg (Progress M-55 and M-04M, the largest published figures).
    for flight in progress_flights:
        propellant_kg = flight.cargo.propellant_kg
        limit_kg = 1950.0 if flight.vehicle == "progress-m1" else 880.0
        assert 0.0 < propellant_kg <= limit_kg, flight.id


def test_the_reboost_burners_are_the_progress_types_and_modules_of_the_station(iss_assembly):
    station = iss_assembly.stations[0]
    modules = {station.modules.root} | {
        flight.delivers_module.instance for flight in iss_assembly.flights if flight.delivers_module
    }
    vehicles = {flight.vehicle for flight in iss_assembly.flights if flight.vehicle}
    burners = station.reboost.by
    assert {"progress-m", "progress-m1"} <= set(burners)
    assert all(name in vehicles or name in modules for name in burners)
    assert station.reboost.min_mean_altitude_km < station.reboost.max_mean_altitude_km
