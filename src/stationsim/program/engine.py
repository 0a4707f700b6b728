"""The discrete-event simulation of a whole program, on SimPy.

The clock is TT seconds since J2000. Every flight is a process (:mod:`.flight`: launch,
rendezvous planned by its profile from the station's orbit at launch, docking at its port,
crew and cargo transfer, stay, undocking, landing); each station's tracking updates
(:mod:`.tracking_process`), each written station event (:mod:`.events`, one module per kind)
and each reboost policy (:mod:`.reboost_policy`) are processes too. They share one
:class:`~stationsim.program.state.SimState` and keep nothing of their own. Each station's
orbit is carried forward numerically between events with the Cd*A/m of its configuration at
the time (:mod:`stationsim.program.orbit`). Nothing here draws random numbers: the same
program gives the same record.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import simpy

from stationsim.program.events import event_process
from stationsim.program.flight import docked_at_start_process, flight_process
from stationsim.program.reboost_policy import reboost_policy_process
from stationsim.program.state import ProgramResult, RunOptions, SimState
from stationsim.program.station import DEFAULT_CD, advance, build_station
from stationsim.program.supply import supply_process
from stationsim.program.tracking import station_updates
from stationsim.program.tracking_process import tracking_process

if TYPE_CHECKING:
    from stationsim.scenario.schema import Program

__all__ = ["DEFAULT_CD", "ProgramResult", "RunOptions", "simulate"]


def _start(program, density_tables: dict | None, options: RunOptions) -> SimState:
    """The shared state at the program's start, stations built."""
    start_s, end_s = program.span.start.tt_s, program.span.end.tt_s
    state = SimState(
        program,
        program.catalog,  # the bundled catalog with the program's own hardware
        simpy.Environment(initial_time=start_s),
        start_s,
        end_s,
        station_updates(program, start_s, end_s),
        options=options,
    )
    for spec in program.stations:
        state.stations[spec.id] = build_station(state, spec,
                                                (density_tables or {}).get(spec.id),
                                                options.density_scale)
    return state


def _processes(state: SimState) -> None:
    """Every process of the run, in a fixed order (SimPy breaks ties by creation order)."""
    env, program = state.env, state.program
    for flight in program.flights:
        if flight.target is not None:
            state.stations[flight.target].arrivals[flight.id] = flight.launch.tt_s
        env.process(flight_process(state, flight))
    for station_id, updates in state.tracking.items():
        env.process(tracking_process(state, station_id, updates))
    for event in program.events:
        env.process(event_process(state, event))
    for spec in program.stations:
        for docked in spec.docked:
            env.process(docked_at_start_process(state, state.stations[spec.id], docked))
    for runtime in state.stations.values():
        if runtime.reboost is not None:
            env.process(reboost_policy_process(state, runtime))
    for spec in program.stations:
        env.process(supply_process(state, state.stations[spec.id], spec))


def _finish(state: SimState) -> ProgramResult:
    """Bring every station to the end of the span and gather the record."""
    for runtime in state.stations.values():
        advance(state, runtime)
        runtime.ledger.advance(state.end_s)
    if state.phase_assumed:
        count = len(state.phase_assumed)
        state.warnings.append(
            f"{count} flight{'s' if count > 1 else ''} launched with no tracking set in the "
            "2 days before and the station's phase outside the profile's reach: the station "
            "was moved along its orbit to the written launch's phase "
            "('phase-assumed' "
            "events; first " + ", ".join(state.phase_assumed[:3]) + "); their dockings are "
            "not predictions")
    return ProgramResult(
        state.program,
        state.start_s,
        state.end_s,
        list(state.flights.values()),
        state.events,
        state.maneuvers,
        state.roster,
        state.stations,
        state.drifts,
        state.warnings,
        state.vehicle_tracks,
        state.free_tracks,
    )


def simulate(
    program: Program,
    progress: Callable[[float], None] | None = None,
    density_tables: dict | None = None,
    density_scale: float = 1.0,
    options: RunOptions | None = None,
) -> ProgramResult:
    """Run ``program`` (a loaded :class:`stationsim.scenario.Program`) from start to end.

    ``progress`` is called with the fraction of simulated time done. Where the simulated
    history parts from the written one (a rendezvous the phase does not allow, a port whose
    module never arrived) the flight ends with an outcome and a warning; ProgramFailure (a
    StationsimError) is raised only when a port stays taken past a vehicle's loiter time.
    ``density_scale`` multiplies the atmosphere's density throughout; ``options`` holds it and
    the rest of what a whole-program campaign's sample changes (:class:`RunOptions`).
    """
    state = _start(program, density_tables, options or RunOptions(density_scale=density_scale))
    _processes(state)
    step_s = max((state.end_s - state.start_s) / 200.0, 1.0)
    t_s = state.start_s
    while t_s < state.end_s:
        t_s = min(t_s + step_s, state.end_s)
        state.env.run(until=t_s)
        if progress is not None:
            progress((t_s - state.start_s) / (state.end_s - state.start_s))
    return _finish(state)
