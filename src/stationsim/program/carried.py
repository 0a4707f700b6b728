"""Modules carried in another flight's vehicle and berthed on the station after it docks.

The Shuttle brought modules in its payload bay and the arm put them on the station: STS-88's
Unity (with PMA-1) was mated to Zarya at the docking itself, on flight day 4 (NASA STS-88
status report #9), STS-130's Tranquility was installed two crew days after the docking, on
flight day 5, during the first spacewalk (NASA STS-130 status reports #08, #09; NSS, 'STS-130
on the Move', 2010-02-08). A carried module (``carried_by``) flies no rendezvous: it joins when
its carrier docks, or on the flight plan's ``berth_flight_day`` (an input) at the time of the
crew day the docking had (crew days are 24 h, :class:`stationsim.ops.rendezvous.
FlightDaySchedule`), so only that time of day is predicted, through the carrier's docking.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.astro.constants import DAY_S
from stationsim.program.ports import take_port
from stationsim.program.station import advance, snapshot

if TYPE_CHECKING:
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.program.state import FlightRecord, SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import Flight


def attach_delivered(state: SimState, flight: Flight, runtime: StationRuntime,
                     vehicle: VehicleType | None = None) -> ProcessGenerator:
    """Put the flight's delivered module on its berth (waiting for the port as long as
    ``vehicle`` can loiter) and log it."""
    delivered = flight.delivers_module
    assert delivered is not None, f"{flight.id} delivers no module"  # the schema's rule
    yield from take_port(state, runtime, flight, delivered.berth_at, vehicle)
    advance(state, runtime)
    runtime.graph.attach(delivered.instance, state.catalog.module(delivered.module),
                         at=delivered.berth_at, via_port=delivered.via, t_s=state.env.now)
    state.log("module_attach", flight.id, runtime.id, delivered.berth_at,
              detail=delivered.instance)


def berth_carried(state: SimState, carrier: Flight, runtime: StationRuntime,
                  carrier_record: FlightRecord) -> ProcessGenerator:
    """At the carrier's docking: the modules it carries that are due now join at once, in the
    program's order (before the carrier's own module and its docking); later ones join on their
    berthing day."""
    for flight in state.program.flights:
        if flight.carried_by != carrier.id:
            continue
        days = (0 if flight.berth_flight_day is None or carrier.docking_flight_day is None
                else flight.berth_flight_day - carrier.docking_flight_day)
        berth_s = state.env.now + days * DAY_S
        if days == 0:
            yield from _join(state, flight, runtime, carrier_record)
        else:
            state.env.process(_join_at(state, flight, runtime, carrier_record, berth_s))


def _join_at(state: SimState, flight: Flight, runtime: StationRuntime,
             carrier_record: FlightRecord, berth_s: float) -> ProcessGenerator:
    yield state.wait_until(berth_s)
    yield from _join(state, flight, runtime, carrier_record)


def _join(state: SimState, flight: Flight, runtime: StationRuntime,
          carrier_record: FlightRecord) -> ProcessGenerator:
    """The carried module becomes part of the station now."""
    yield from attach_delivered(state, flight, runtime)
    runtime.arrivals.pop(flight.id, None)
    record = state.flights[flight.id]
    record.launch_s = carrier_record.launch_s
    record.dock_s = record.undock_s = state.env.now
    assert flight.delivers_module is not None, f"{flight.id} delivers no module"
    record.station, record.port = runtime.id, flight.delivers_module.berth_at
    record.outcome = "joined"
    state.log("dock", flight.id, runtime.id, record.port,
              detail=f"berthed from {flight.carried_by}")
    snapshot(state, runtime)
