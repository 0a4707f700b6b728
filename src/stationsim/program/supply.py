"""Life support that can run out, and gaps in a station's continuous presence, as a SimPy
process per station.

The stocks (:class:`~stationsim.program.consumables.ConsumablesLedger`) change linearly
between events, so the instant a stock runs out is known exactly: the process sleeps until
then or until the stocks or the crew change. A stock the program writes for the station is
tracked; its running out is a ``shortage`` event and a warning, and when the station's
``shortage_rule`` names it (water by default) the crew aboard leave on the crew vehicles
docked, landing SOYUZ_DESCENT_S later. The crew count falling to zero after the station was
first crewed opens a ``presence_gap``; the next crew to board closes it with its length.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.program.consumables import RESOURCES
from stationsim.program.state import SimState
from stationsim.program.station import StationRuntime

if TYPE_CHECKING:
    from stationsim.scenario.schema import Station

# Undocking to landing of a Soyuz return: 3 h 21 min for both Soyuz TMA-16 (2010-03-18, 08:03
# to 11:24 UTC) and TMA-18 (2010-06-02, 00:04 to 03:25 UTC), as iss-assembly.yaml gives them.
SOYUZ_DESCENT_S = 3 * 3600.0 + 21 * 60.0


def tracked_resources(spec: Station) -> set[str]:
    """The life-support stocks the program writes for the station (the others are not
    modelled, e.g. a station file giving only its propellant)."""
    written = spec.consumables.model_fields_set
    return {resource for resource in RESOURCES if f"{resource}_kg" in written}


def supply_process(state: SimState, runtime: StationRuntime, spec: Station) -> ProcessGenerator:
    """Shortages and presence gaps of one station, as they happen."""
    ledger = runtime.ledger
    tracked = tracked_resources(spec)
    crewed = ledger.crew_count > 0
    gap_from_s = None
    while True:
        changed = state.env.event()
        ledger.on_change = lambda event=changed: event.triggered or event.succeed()
        empty = ledger.next_empty(tracked)
        if empty is None or empty[0] > state.end_s:
            yield changed
        else:
            yield state.wait_until(empty[0]) | changed
        ledger.on_change = None
        if empty is not None and state.env.now >= empty[0] and not changed.triggered:
            ledger.advance(state.env.now)
            _shortage(state, runtime, spec, empty[1])
        count = ledger.crew_count
        if crewed and count == 0 and gap_from_s is None:
            gap_from_s = state.env.now
            state.log("presence_gap", station=runtime.id,
                      detail="nobody aboard: continuous presence broken")
        elif count > 0 and gap_from_s is not None:
            days = (state.env.now - gap_from_s) / DAY_S
            state.log("presence_resumed", station=runtime.id,
                      detail=f"crew aboard again after {days:.1f} days uncrewed")
            state.warnings.append(
                f"{runtime.id} uncrewed from {Epoch(gap_from_s).utc_iso(0)} to "
                f"{Epoch(state.env.now).utc_iso(0)} ({days:.1f} days)")
            gap_from_s = None
        crewed = crewed or count > 0


def _shortage(state: SimState, runtime: StationRuntime, spec, resource: str) -> None:
    """``resource`` ran out now: the event, the warning, and the rule's answer."""
    aboard = state.roster.aboard(runtime.id)
    evacuate = resource in spec.shortage_rule.evacuate_on
    state.log("shortage", station=runtime.id, detail=(
        f"{resource} ran out with {len(aboard)} aboard"
        + ("; the crew leave on their vehicles" if evacuate and aboard else "")))
    state.warn(f"{runtime.id} ran out of {resource} with {len(aboard)} aboard")
    if evacuate and aboard:
        _evacuate(state, runtime, aboard, f"{resource} ran out")


def _evacuate(state: SimState, runtime: StationRuntime, aboard: list[str], cause: str) -> None:
    """Everyone aboard leaves on the crew vehicles docked, in the order they docked, as many
    as each has seats; who finds no seat stays, with a warning."""
    from stationsim.program.flight import undock_now

    left = list(aboard)
    for name in runtime.graph.docked_vehicles():
        vehicle = runtime.graph.item(name).item
        record = state.flights.get(name)
        if not left or vehicle.seats == 0 or record is None:
            continue
        crew, left = left[:vehicle.seats], left[vehicle.seats:]
        undock_now(state, runtime, name, record, crew)
        record.outcome = "returned early"
        state.left_early.add(name)
        state.log("early_return", name, runtime.id, detail=cause)
        state.env.process(_land(state, record, state.env.now + SOYUZ_DESCENT_S))
    if left:
        state.warn(f"{', '.join(left)} found no seat to leave {runtime.id} ({cause})")


def _land(state: SimState, record, t_s: float):
    yield state.wait_until(t_s)
    record.land_s = state.env.now
    state.log("land", record.flight)
