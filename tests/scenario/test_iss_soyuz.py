"""The crewed Soyuz flights of the bundled ISS assembly program, against the published record.

Sources of the expected values: Soyuz TM-34 (2002-04-25) was the last Soyuz-TM and Soyuz
TMA-1 (2002-10-30) the first Soyuz-TMA (http://spacefacts.net/mission/english/soyuz-tm34.htm);
Soyuz TMA-21 launched on 2011-04-04 22:18:20 UTC, after the span
(https://review.clateway.com/wiki/view_html.php?q=Soyuz_TMA-21). Expedition crews flew
'about six months' (russianspaceweb.com, Soyuz TMA-2 to TMA-16 pages: 182 to 199 days in
flight, 215 days for Soyuz TMA-9); the visitors who went up on one Soyuz and came down on the
one it replaced stayed 8 to 12 days (spacefacts: Vittori 9 d 21 h, Yi 10 d 21 h, Simonyi 13 d
19 h in flight, two days of it before docking). Expedition 6 (Bowersox, Budarin, Pettit) went up
on STS-113 and, the Shuttle grounded after the Columbia accident, came home on Soyuz TMA-1, the
only crew to go up on a Shuttle and come down on a Soyuz in 2002-2011 (NASA ISS status report
03-21, astronautix.com; the later Shuttle-launched members came home on the Shuttle).
"""

from __future__ import annotations

import re
from itertools import pairwise

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch

SERIES = re.compile(r"Soyuz TMA-(?P<number>\d+)")
PUBLISHED_FLIGHTS = {"Soyuz TM-34"} | {f"Soyuz TMA-{n}" for n in range(1, 21)}
TMA_21_LAUNCH_UTC = "2011-04-04T22:18:20Z"
# Ports of the Russian segment for a Soyuz, and the flight delivering each module (Zarya is the
# root, there from the start).
PORT_MODULES = {"zvezda.aft": "Zvezda", "zarya.nadir": None, "pirs.forward": "Pirs",
                "poisk.forward": "Poisk", "rassvet.forward": "STS-132"}
EXPEDITION_STAY_DAYS = (100.0, 220.0)
VISIT_DAYS = (6.0, 15.0)  # launch to undocking of the Soyuz the visitor came home in
SOYUZ_SEATS = 3
SHUTTLE_UP_SOYUZ_DOWN = {"Soyuz TMA-1": {"Kenneth Bowersox", "Nikolai Budarin", "Donald Pettit"}}


@pytest.fixture(scope="module")
def soyuz_flights(iss_assembly):
    return [flight for flight in iss_assembly.flights if flight.id in PUBLISHED_FLIGHTS]


def _number(flight) -> int:
    match = SERIES.fullmatch(flight.id)
    return int(match["number"]) if match else 0  # Soyuz TM-34 before Soyuz TMA-1


def test_the_manifest_holds_the_published_flights_and_no_later_one(iss_assembly, soyuz_flights):
    assert {flight.id for flight in soyuz_flights} == PUBLISHED_FLIGHTS
    names = [flight.id for flight in iss_assembly.flights]
    assert "Soyuz TMA-21" not in names
    # Soyuz TMA-21 is left out because it launched after the span ends
    assert Epoch.from_utc_iso(TMA_21_LAUNCH_UTC).tt_s > iss_assembly.span.end.tt_s
    for flight in soyuz_flights:
        expected = "soyuz-tm" if flight.id == "Soyuz TM-34" else "soyuz-tma"
        assert flight.vehicle == expected, flight.id


def test_launches_fall_inside_the_span_in_the_order_of_the_numbers(iss_assembly, soyuz_flights):
    for flight in soyuz_flights:
        span = iss_assembly.span
        assert span.start.tt_s < flight.launch.tt_s < span.end.tt_s, flight.id
    by_number = sorted(soyuz_flights, key=_number)
    for earlier, later in pairwise(by_number):
        assert earlier.launch.tt_s < later.launch.tt_s, (earlier.id, later.id)
    # a new Soyuz about every six months: 20 flights from 2002-04 to 2010-12
    span_days = (by_number[-1].launch.tt_s - by_number[0].launch.tt_s) / DAY_S
    assert 150.0 < span_days / (len(by_number) - 1) < 200.0


def test_every_crew_member_is_in_the_crew_list(iss_assembly, soyuz_flights):
    people = {person.name: person for person in iss_assembly.crew}
    for flight in soyuz_flights:
        assert 1 <= len(flight.crew_up) <= SOYUZ_SEATS, flight.id
        assert len(flight.crew_down) <= SOYUZ_SEATS, flight.id
        for name in flight.crew_up + flight.crew_down:
            assert name in people, (flight.id, name)
            assert people[name].agency and people[name].nationality, name


def _journeys(iss_assembly) -> dict[str, list[tuple[float, str, str]]]:
    """Each person's flights up (launch) and down (undocking), in time order."""
    moves: dict[str, list[tuple[float, str, str]]] = {}
    for flight in iss_assembly.flights:
        for name in flight.crew_up:
            moves.setdefault(name, []).append((flight.launch.tt_s, "up", flight.id))
        if flight.undock is not None:
            for name in flight.crew_down:
                moves.setdefault(name, []).append((flight.undock.tt_s, "down", flight.id))
    return {name: sorted(journey) for name, journey in moves.items()}


def test_each_persons_flights_up_and_down_alternate(iss_assembly):
    for name, journey in _journeys(iss_assembly).items():
        directions = [direction for _, direction, _ in journey]
        assert directions[0] == "up", name
        assert all(a != b for a, b in pairwise(directions)), (name, journey)


def test_expedition_stays_and_visits_last_as_published(iss_assembly, soyuz_flights):
    journeys = _journeys(iss_assembly)
    soyuz_ids = {flight.id for flight in soyuz_flights}
    expeditions = visits = 0
    for name, journey in journeys.items():
        for (up_s, up, up_flight), (down_s, down, down_flight) in pairwise(journey):
            if up != "up" or down != "down" or up_flight not in soyuz_ids:
                continue
            days = (down_s - up_s) / DAY_S
            if up_flight == down_flight:
                expeditions += 1
                low, high = EXPEDITION_STAY_DAYS
            else:
                visits += 1
                low, high = VISIT_DAYS
            assert low < days < high, (name, up_flight, down_flight, days)
    assert expeditions >= 30 and visits >= 15


def test_only_expedition_6_went_up_on_a_shuttle_and_came_down_on_a_soyuz(iss_assembly,
                                                                          soyuz_flights):
    soyuz_ids = {flight.id for flight in soyuz_flights}
    vehicles = {flight.id: flight.vehicle for flight in iss_assembly.flights}
    found: dict[str, set[str]] = {}
    for name, journey in _journeys(iss_assembly).items():
        for (_, up, up_flight), (_, down, down_flight) in pairwise(journey):
            if (up, down) == ("up", "down") and down_flight in soyuz_ids \
                    and vehicles[up_flight] not in {"soyuz-tm", "soyuz-tma"}:
                found.setdefault(down_flight, set()).add(name)
    assert found == SHUTTLE_UP_SOYUZ_DOWN


def test_each_soyuz_uses_a_russian_port_of_a_module_already_there(iss_assembly, soyuz_flights):
    launches = {flight.id: flight.launch.tt_s for flight in iss_assembly.flights}
    for flight in soyuz_flights:
        moves = [(flight.launch.tt_s, flight.port)]
        moves += [(move.at.tt_s, move.to) for move in flight.relocations]
        for when_s, port in moves:
            assert port in PORT_MODULES, (flight.id, port)
            carrier = PORT_MODULES[port]
            if carrier is not None:
                assert launches[carrier] < when_s, (flight.id, port)
        times = [when_s for when_s, _ in moves]
        end_s = flight.undock.tt_s if flight.undock is not None else iss_assembly.span.end.tt_s
        assert times == sorted(times) and times[-1] < end_s, flight.id


def test_a_soyuz_lifeboat_is_docked_from_soyuz_tm_33_to_soyuz_tma_19(iss_assembly, soyuz_flights):
    # A docked stay counts from two days after launch (the two-day rendezvous, see
    # test_iss_traffic.py); a Soyuz left only after its replacement had docked. From Soyuz
    # TMA-19's undocking (2010-11-26) to Soyuz TMA-20's docking the lifeboat was Soyuz TMA-01M
    # (the flight before TMA-20, https://en.wikipedia.org/wiki/Soyuz_TMA-20), which stays past
    # the span.
    tm_33 = next(flight for flight in iss_assembly.flights if flight.id == "Soyuz TM-33")
    stays = sorted(
        (flight.launch.tt_s + 2.0 * DAY_S, flight.undock.tt_s, flight.id)
        for flight in [tm_33, *soyuz_flights] if flight.undock is not None
    )
    covered_to_s = stays[0][1]
    for start_s, end_s, name in stays[1:]:
        assert start_s <= covered_to_s, name
        covered_to_s = max(covered_to_s, end_s)
    assert stays[-1][2] == "Soyuz TMA-19"
    staying = [flight.id for flight in soyuz_flights if flight.undock is None]
    assert staying == ["Soyuz TMA-20"]
