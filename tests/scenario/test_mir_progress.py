"""The Progress cargo flights of the bundled Mir program, against the published record.

Sources of the expected values: "The eighteenth of sixty four Progress spacecraft to visit Mir"
(Progress M-1, https://www.knowpia.com/knowpedia/Progress_M-1); the Mir Progress flights are
Progress 25-42 (the Progress 7K-TG flights to Mir, NASA RP-1357 sec. 1.10.4.4,
https://en.wikisource.org/wiki/Page:RP1357.pdf/55), Progress M-1 to M-43 and Progress M1-1, M1-2
and M1-5 (M1-3 and M1-4 flew to the ISS).
"""

from __future__ import annotations

import re

import pytest

from stationsim.astro.time import Epoch
from stationsim.scenario import load_program
from stationsim.scenario.schema import DeorbitEvent

PUBLISHED_TOTAL = 64
PUBLISHED_FLIGHTS = (
    {f"Progress {n}" for n in range(25, 43)}
    | {f"Progress M-{n}" for n in range(1, 44)}
    | {"Progress M1-1", "Progress M1-2", "Progress M1-5"}
)
# Progress M-19 (1993) is not in the program: no source used gives its launch date.
LEFT_OUT = {"Progress M-19"}
# Series name -> catalog vehicle: Progress N is the 7K-TG, Progress M-N the 7K-TGM, Progress
# M1-N the 7K-TGM1.
SERIES = re.compile(r"Progress (?:(?P<m1>M1-)|(?P<m>M-))?(?P<number>\d+)")
PORTS = {"mir-core.aft", "mir-core.forward", "kvant-1.aft"}
# Kvant-1 took the core's aft port: launched 1987-03-31, hard-docked 1987-04-12 (mir_modules.csv).
KVANT_1_LAUNCH = Epoch.from_utc(1987, 3, 31)


@pytest.fixture(scope="module")
def mir():
    return load_program("mir")


@pytest.fixture(scope="module")
def progress_flights(mir):
    return [flight for flight in mir.flights if SERIES.fullmatch(flight.id)]


def _vehicle_for(name: str) -> str:
    match = SERIES.fullmatch(name)
    return "progress-m1" if match["m1"] else "progress-m" if match["m"] else "progress"


def test_the_manifest_holds_the_published_flights_but_the_one_left_out(progress_flights):
    assert len(PUBLISHED_FLIGHTS) == PUBLISHED_TOTAL
    names = [flight.id for flight in progress_flights]
    assert len(names) == len(set(names))
    assert set(names) == PUBLISHED_FLIGHTS - LEFT_OUT
    assert len(names) == PUBLISHED_TOTAL - len(LEFT_OUT)


def test_each_flight_flies_the_vehicle_of_its_series(progress_flights):
    for flight in progress_flights:
        assert flight.vehicle == _vehicle_for(flight.id), flight.id


def test_launches_fall_between_the_station_launch_and_the_deorbit(mir, progress_flights):
    start_s = mir.span.start.tt_s
    deorbit_s = max(event.at.tt_s for event in mir.events if isinstance(event, DeorbitEvent))
    for flight in progress_flights:
        assert start_s < flight.launch.tt_s < deorbit_s, flight.id
        assert flight.launch.tt_s < flight.undock.tt_s <= deorbit_s + 3600.0, flight.id


def test_each_series_launches_in_the_order_of_its_numbers(progress_flights):
    series: dict[str, list[tuple[int, float, str]]] = {}
    for flight in progress_flights:
        number = int(SERIES.fullmatch(flight.id)["number"])
        series.setdefault(flight.vehicle, []).append((number, flight.launch.tt_s, flight.id))
    assert set(series) == {"progress", "progress-m", "progress-m1"}
    for flights in series.values():
        by_number = [name for _, _, name in sorted(flights)]
        by_launch = [name for _, _, name in sorted(flights, key=lambda item: item[1])]
        assert by_number == by_launch


def test_the_core_aft_port_is_used_only_before_kvant_1_took_it(progress_flights):
    for flight in progress_flights:
        assert flight.port in PORTS, flight.id
        before_kvant = flight.launch.tt_s < KVANT_1_LAUNCH.tt_s
        assert (flight.port == "mir-core.aft") == before_kvant, flight.id


def test_cargo_brings_propellant_and_food_within_the_tankage(progress_flights):
    # Every Progress brought propellant and food (RP-1357 sec. 1.10.4.4). The 7K-TG tankage held
    # up to about 1200 kg of propellant, water and gas (RP-1357 p. 55); a Progress-M1 carried up
    # to 1950 kg of propellant (https://daviddarling.info/encyclopedia/P/Progress.html).
    for flight in progress_flights:
        if flight.id == "Progress M1-5":  # the deorbit tug: its propellant stays in its tanks
            continue
        cargo = flight.cargo
        assert cargo.food_kg > 0 and cargo.propellant_kg > 0, flight.id
        if flight.vehicle == "progress":
            assert cargo.propellant_kg + cargo.water_kg + cargo.o2_kg <= 1200.0, flight.id
        if flight.vehicle == "progress-m1":
            assert cargo.propellant_kg <= 1950.0, flight.id
