"""The expedition crews and members the Shuttle exchanged at the ISS, 2002-2009, against the record.

Sources of the expected values (the page of each flight is on it in iss-assembly.yaml):
STS-111 took Expedition 5 up and Expedition 4 down, STS-113 Expedition 6 up and Expedition 5
down, and Expedition 6 came home on Soyuz TMA-1 (NASA status reports; amsat.org sarex archive
2003-05). The single long-duration members of 2006-2009 each came home on the Shuttle that
brought the next one up (NASA STS-116 to STS-129 status reports and fact sheets; Wikipedia,
Expedition 17 and Expedition 20: 'Arrived aboard' / 'Departed aboard'). Time in space, launch to
landing: Expedition 4 196 days (NASA STS-111 status report #30); Expedition 5 185 days
(Wikipedia, STS-113); Expedition 6 a 162-day mission (RSC Energia, spacenews.com); Williams
194 d 18 h 02 min (spacefacts, STS-116); Tani 120 days (livescience.com, STS-122 landing);
Eyharts 'nearly 50 days', seven weeks aboard (BBC News 2008-03-26); Magnus 134 days if landed
at the first opportunity, 6.5 h before the landing made (NASA STS-119 status report #21); Kopra
58 days (NASA STS-128 status report #29); Stott 'more than 90 days' (NASA STS-129 status
report #17).
"""

from __future__ import annotations

from itertools import pairwise

from stationsim.astro.constants import DAY_S

ORBITERS = {"atlantis", "discovery", "endeavour"}
SHUTTLE_PORT = "pma-2.apas"
# flight: (who went up on it to join the station crew, who came down on it from the station)
EXCHANGES: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "STS-111": (("Valery Korzun", "Peggy Whitson", "Sergei Treshchev"),
                ("Yuri Onufrienko", "Carl Walz", "Daniel Bursch")),
    "STS-113": (("Kenneth Bowersox", "Nikolai Budarin", "Donald Pettit"),
                ("Valery Korzun", "Peggy Whitson", "Sergei Treshchev")),
    "Soyuz TMA-1": ((), ("Kenneth Bowersox", "Nikolai Budarin", "Donald Pettit")),
    "STS-121": (("Thomas Reiter",), ()),
    "STS-116": (("Sunita Williams",), ("Thomas Reiter",)),
    "STS-117": (("Clayton Anderson",), ("Sunita Williams",)),
    "STS-120": (("Daniel Tani",), ("Clayton Anderson",)),
    "STS-122": (("Leopold Eyharts",), ("Daniel Tani",)),
    "STS-123": (("Garrett Reisman",), ("Leopold Eyharts",)),
    "STS-124": (("Gregory Chamitoff",), ("Garrett Reisman",)),
    "STS-126": (("Sandra Magnus",), ("Gregory Chamitoff",)),
    "STS-119": (("Koichi Wakata",), ("Sandra Magnus",)),
    "STS-127": (("Timothy Kopra",), ("Koichi Wakata",)),
    "STS-128": (("Nicole Stott",), ("Timothy Kopra",)),
    "STS-129": ((), ("Nicole Stott",)),
}
# The long-duration members exchanged one for one by the Shuttle, in the order they flew.
CHAIN = ("Thomas Reiter", "Sunita Williams", "Clayton Anderson", "Daniel Tani",
         "Leopold Eyharts", "Garrett Reisman", "Gregory Chamitoff", "Sandra Magnus",
         "Koichi Wakata", "Timothy Kopra", "Nicole Stott")
# A full increment aboard: launch of the flight up to undocking of the flight down.
INCREMENT_DAYS = (100.0, 220.0)
# The stays cut short by the one-for-one exchanges (Eyharts, Kopra, Stott) or the Shuttle
# schedule (Reisman), aboard from launch to undocking, well under a full increment.
SHORT_STAYS = {"Leopold Eyharts", "Garrett Reisman", "Timothy Kopra", "Nicole Stott"}
SHORT_STAY_DAYS = (40.0, 100.0)
# Published time in space, launch to landing (days), and the tolerance of the figure (days).
PUBLISHED_IN_SPACE_DAYS = {
    "Yuri Onufrienko": (196.0, 1.0), "Carl Walz": (196.0, 1.0), "Daniel Bursch": (196.0, 1.0),
    "Valery Korzun": (185.0, 1.0), "Peggy Whitson": (185.0, 1.0),
    "Sergei Treshchev": (185.0, 1.0),
    "Kenneth Bowersox": (162.0, 1.0), "Nikolai Budarin": (162.0, 1.0),
    "Donald Pettit": (162.0, 1.0),
    "Sunita Williams": (194.0 + 18.0 / 24.0 + 2.0 / 1440.0, 0.01),
    "Daniel Tani": (120.0, 1.0),
    "Leopold Eyharts": (49.0, 1.0),
    "Sandra Magnus": (134.0, 0.5),
    "Timothy Kopra": (58.0, 1.0),
    "Nicole Stott": (91.0, 1.0),
}


def _stays(iss_assembly) -> dict[str, list[tuple[object, object]]]:
    """Each person's (flight up, flight down) pairs, from the program's own crews, in time order."""
    moves: dict[str, list[tuple[float, str, object]]] = {}
    for flight in iss_assembly.flights:
        for name in flight.crew_up:
            if name not in flight.crew_down:
                moves.setdefault(name, []).append((flight.launch.tt_s, "up", flight))
        if flight.undock is not None:
            for name in flight.crew_down:
                if name not in flight.crew_up:
                    moves.setdefault(name, []).append((flight.undock.tt_s, "down", flight))
    stays: dict[str, list[tuple[object, object]]] = {}
    for name, journey in moves.items():
        journey.sort(key=lambda move: move[0])
        stays[name] = [(up, down) for (_, a, up), (_, b, down) in pairwise(journey)
                       if (a, b) == ("up", "down")]
    return stays


def _stay_of(stays, name):
    (stay,) = stays[name]  # one stay each in 2002-2009 for these people
    return stay


def test_the_exchanges_are_on_the_published_flights(iss_flights):
    for flight_id, (up, down) in EXCHANGES.items():
        flight = iss_flights[flight_id]
        for name in up:
            assert name in flight.crew_up and name not in flight.crew_down, (flight_id, name)
        for name in down:
            assert name in flight.crew_down and name not in flight.crew_up, (flight_id, name)
        if flight.vehicle in ORBITERS:
            # the Shuttle crew itself went up and came down on the same flight
            assert len(flight.crew_up) - len(up) == len(flight.crew_down) - len(down), flight_id


def test_every_shuttle_of_the_exchanges_docks_at_pma_2(iss_flights, iss_assembly):
    people = {person.name: person for person in iss_assembly.crew}
    for flight_id in EXCHANGES:
        flight = iss_flights[flight_id]
        if flight.vehicle in ORBITERS:
            assert flight.port == SHUTTLE_PORT, flight_id
            assert flight.launch.tt_s < flight.undock.tt_s < flight.landing.tt_s, flight_id
        for name in flight.crew_up + flight.crew_down:
            assert people[name].agency and people[name].nationality, name


def test_each_expedition_member_stays_an_increment_or_a_published_short_stay(iss_assembly):
    stays = _stays(iss_assembly)
    members = {name for up, down in EXCHANGES.values() for name in up + down}
    checked = 0
    for name in sorted(members):
        up, down = _stay_of(stays, name)
        days = (down.undock.tt_s - up.launch.tt_s) / DAY_S
        low, high = SHORT_STAY_DAYS if name in SHORT_STAYS else INCREMENT_DAYS
        assert low < days < high, (name, up.id, down.id, days)
        checked += 1
    assert checked == len(members) == 3 * 3 + len(CHAIN)


def test_time_in_space_matches_the_published_figures(iss_assembly):
    stays = _stays(iss_assembly)
    for name, (published_days, tolerance_days) in PUBLISHED_IN_SPACE_DAYS.items():
        up, down = _stay_of(stays, name)
        days = (down.landing.tt_s - up.launch.tt_s) / DAY_S
        assert abs(days - published_days) <= tolerance_days, (name, days, published_days)


def test_the_long_duration_members_form_a_chain(iss_assembly):
    stays = _stays(iss_assembly)
    chain = [_stay_of(stays, name) for name in CHAIN]
    assert chain[0][0].id == "STS-121" and chain[-1][1].id == "STS-129"
    for (name, (_, down)), (next_name, (next_up, _)) in pairwise(zip(CHAIN, chain, strict=True)):
        # the flight that brought one home brought the next up: one member aboard at a time
        assert down.id == next_up.id, (name, down.id, next_name, next_up.id)
    launches = [up.launch.tt_s for up, _ in chain]
    assert launches == sorted(launches)
    # no Shuttle exchanges after STS-129: its returning member had no successor (a chain
    # member may fly again as a visitor, up and down on one flight: Anderson on STS-131)
    assert all(name not in flight.crew_up or name in flight.crew_down
               for flight in iss_assembly.flights
               if flight.launch.tt_s > chain[-1][1].launch.tt_s for name in CHAIN)
