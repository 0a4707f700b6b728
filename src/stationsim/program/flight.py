"""A flight as a SimPy process: launch, rendezvous, docking with crew and cargo, stay,
undocking, and its way home (landing, or a cargo ship's destructive re-entry); a free flight's
decay; a vehicle docked when the program starts."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from simpy.events import ProcessGenerator

from stationsim.astro.constants import DAY_S, R_EARTH_M
from stationsim.astro.maneuvers import apply_impulse_vnb, vis_viva_speed_mps
from stationsim.astro.propagate import Numerical
from stationsim.astro.time import Epoch
from stationsim.errors import DockingError
from stationsim.program.approach import fly_aborted_attempts
from stationsim.program.cargo import docked_mass_kg, load_return, unload
from stationsim.program.carried import attach_delivered, berth_carried
from stationsim.program.launch import chosen_launch, flying_vehicle, written_launch
from stationsim.program.launch_time import PLANE_SEARCH_S
from stationsim.program.ports import free_port, relocate, take_port
from stationsim.program.relief import held_undock_s, hold_lifeboats
from stationsim.program.rendezvous import plan, station_phase_at_launch
from stationsim.program.state import FlightRecord, Maneuver, SimState
from stationsim.program.station import StationRuntime, advance, snapshot
from stationsim.program.supply import SOYUZ_DESCENT_S

if TYPE_CHECKING:
    from stationsim.scenario.schema import Docked, Flight

CARGO_DEORBIT_PERIGEE_M = -50e3  # a cargo ship's deorbit targets a perigee below the surface


def flight_process(state: SimState, flight: Flight) -> ProcessGenerator:
    """One flight: launch, rendezvous, docking, stay, undocking, and its way home."""
    defaults = state.program.defaults.get(flight.vehicle or "")
    vehicle = flying_vehicle(state, flight)
    record = FlightRecord(flight.id, vehicle.name, flight.site, flight.profile)
    if flight.launch_utc is not None:
        record.launch_written_s = flight.launch.tt_s
    state.flights[flight.id] = record
    if flight.carried_by is not None:  # joins when its carrier docks (program.carried)
        return
    runtime = state.stations.get(flight.target) if flight.target is not None else None
    launch = flight.launch
    if runtime is not None and flight.launch_utc is not None:
        yield state.wait_until(launch.tt_s - PLANE_SEARCH_S)
        launch = written_launch(state, flight, vehicle, runtime, defaults)
    yield state.wait_until(launch.tt_s)
    if flight.launch_utc is None and runtime is not None:
        launch = chosen_launch(state, flight, vehicle, runtime, defaults)
        if launch is None:
            record.outcome = "no-launch-window"
            runtime.arrivals.pop(flight.id, None)
            return
        yield state.wait_until(launch.tt_s)
    record.launch_s = state.env.now
    moved_min = (launch.tt_s - flight.launch.tt_s) / 60.0 if flight.launch_utc else 0.0
    state.log("launch", flight.id, flight.target, detail=f"{vehicle.name} from {flight.site}"
              + (f"; moved {moved_min:+.1f} min from the written time to the model's plane"
                 if moved_min else ""))
    if flight.launch_failure is not None:
        yield from _launch_failure(state, flight, record, runtime)
        return
    port = flight.port or (defaults.port if defaults else None)
    if flight.target is not None:
        if flight.launch_utc is not None:  # once, before the flight's first plan
            station_phase_at_launch(state, flight, vehicle, runtime, defaults)
        made = plan(state, flight, vehicle, runtime, record, defaults)
        if made is not None and flight.approach_aborts:
            made = yield from fly_aborted_attempts(state, flight, vehicle, runtime, record,
                                                   defaults, made)
        if made is None:
            runtime.arrivals.pop(flight.id, None)
            yield from _return(state, flight, record)
            return
        yield state.wait_until(made.docking_epoch.tt_s)
        runtime.arrivals.pop(flight.id, None)
        if port is None and flight.delivers_module is None:
            record.outcome = "rendezvous"
            state.log("burn", flight.id, runtime.id, detail="rendezvous without docking")
        else:
            try:
                yield from _dock(state, flight, vehicle, runtime, record, made, port)
            except DockingError as exc:  # history diverged: the port is not there
                record.outcome = "no-docking"
                state.warnings.append(f"{flight.id}: no docking ({exc})")
                state.log("dock", flight.id, runtime.id, None, detail=f"refused at {port}: {exc}")
            else:
                left_early = yield from _stay(state, flight, vehicle, runtime, record)
                if left_early:
                    return  # the early return lands it
    elif flight.trajectory is not None:
        from stationsim.program.mission import fly_trajectory

        yield from fly_trajectory(state, flight, vehicle, record)
        return
    elif flight.orbit is not None:
        yield from _free_flight(state, flight, vehicle, record)
    yield from _return(state, flight, record)


def _launch_failure(state: SimState, flight, record, runtime):
    """The launch fails: vehicle and cargo are lost; a crew is saved by the abort and lands
    (at the flight's landing time when written, else at once)."""
    record.outcome = "launch-failure"
    if runtime is not None:
        runtime.arrivals.pop(flight.id, None)
    cargo_kg = flight.cargo.total_kg
    crew = (f"; the crew ({', '.join(flight.crew_up)}) returned by the abort"
            if flight.crew_up else "")
    state.log("launch_failure", flight.id, flight.target, detail=(
        f"{flight.launch_failure.cause or 'cause not given'}: vehicle and {cargo_kg:.0f} kg of "
        f"cargo lost{crew}"))
    state.warn(f"{flight.id} lost at launch"
               + (f"; {', '.join(flight.crew_up)} never reached {flight.target}"
                  if flight.crew_up and flight.target else ""))
    if flight.crew_up and runtime is not None:
        hold_lifeboats(state, runtime, flight)
    if flight.crew_up:
        if flight.landing is not None:
            yield state.wait_until(flight.landing.tt_s)
        record.land_s = state.env.now
        state.log("land", flight.id, detail="abort landing")


def _dock(state: SimState, flight, vehicle, runtime: StationRuntime, record, made, port):
    """Take the port (waiting if it is still busy), attach, move crew and cargo."""
    yield from berth_carried(state, flight, runtime, record)
    delivered = flight.delivers_module
    if delivered is not None:
        yield from attach_delivered(state, flight, runtime, vehicle)
    if flight.vehicle is not None:
        port = yield from take_port(state, runtime, flight, port, vehicle, elsewhere=True)
        advance(state, runtime)
        runtime.graph.attach(
            flight.id,
            vehicle,
            at=port,
            t_s=state.env.now,
            mass_kg=docked_mass_kg(vehicle, made.propellant_kg, flight.cargo.total_kg),
        )
        runtime.propellant_kg[flight.id] = max(vehicle.propellant_mass_kg - made.propellant_kg,
                                               0.0)
    record.dock_s, record.station = state.env.now, runtime.id
    record.port = port if flight.vehicle is not None else delivered.berth_at
    record.outcome = "docked"
    if flight.vehicle is None:  # a module that flew itself is part of the station now
        record.outcome, record.undock_s = "joined", state.env.now
    manual = bool(flight.approach_aborts) and flight.approach_aborts[-1].retry_docking == "manual"
    state.log("dock", flight.id, runtime.id, record.port,
              detail="manual docking (TORU)" if manual else "")
    boarding = [p for p in flight.crew_up if p not in _visitors(flight, vehicle, state.env.now)]
    for person in boarding:
        try:
            state.roster.board(person, runtime.id, state.env.now, flight.id)
        except ValueError as exc:  # never left on a flight that did not dock
            state.warn(str(exc))
    if boarding:
        state.log("crew_transfer", flight.id, runtime.id, detail="aboard: " + ", ".join(boarding))
    runtime.ledger.set_crew(state.env.now, state.roster.count(runtime.id))
    unload(state, runtime, flight, vehicle if flight.vehicle is not None else None)
    snapshot(state, runtime)


def _stay(state: SimState, flight, vehicle, runtime: StationRuntime, record):
    """Relocations while docked, then undocking with the crew going home; True when the
    flight had left early instead (an ``early_return`` event, or the crew leaving at a
    shortage): it is then landed by what sent it."""
    if flight.vehicle is None:
        return False
    for move in flight.relocations:
        yield state.wait_until(move.at.tt_s)
        if flight.id in state.left_early:
            return True
        yield from relocate(state, runtime, flight.id, move.to, flight=flight.id)
    undock = flight.undock
    if undock is None:
        return False
    visitors = _visitors(flight, vehicle, record.dock_s)
    yield state.wait_until(undock.tt_s)
    yield from _held(state, flight.id)
    if flight.id in state.left_early:
        return True
    leaving = [p for p in flight.crew_down if p not in visitors]
    if not _still_docked(state, runtime, flight.id):
        return False
    load_return(runtime, flight, vehicle)
    undock_now(state, runtime, flight.id, record, leaving)
    if flight.landing is None and vehicle.seats == 0:
        yield from _destructive_reentry(state, flight, vehicle, runtime, record)
    return False


def _held(state: SimState, flight_id: str):
    """Wait on while a lost relief holds the flight's undocking (:mod:`.relief`)."""
    while (held_s := held_undock_s(state, flight_id)) is not None and held_s > state.env.now:
        yield state.wait_until(held_s)


def _landing_s(state: SimState, flight_id: str, written_s: float) -> float:
    """The written landing, or for a held lifeboat its undocking plus a Soyuz's descent."""
    if held_undock_s(state, flight_id) is None:
        return written_s
    return held_undock_s(state, flight_id) + SOYUZ_DESCENT_S


def _still_docked(state: SimState, runtime: StationRuntime, flight_id: str) -> bool:
    """Whether ``flight_id`` is at its port for its written undocking (it may be away,
    undocked to redock later, which is a warning)."""
    if flight_id in runtime.graph:
        return True
    state.warn(f"{flight_id} is not docked to {runtime.id} at its undocking time")
    state.away.pop(flight_id, None)
    return False


def undock_now(
    state: SimState, runtime: StationRuntime, flight_id: str, record: FlightRecord,
    leaving: list[str],
) -> None:
    """``flight_id`` leaves its port now, with ``leaving`` aboard; one whose own flight never
    docked (history diverged) is not aboard, which is a warning, not a failure."""
    advance(state, runtime)
    for person in leaving:
        try:
            state.roster.leave(person, state.env.now, flight_id)
        except ValueError as exc:
            state.warn(str(exc))
    if leaving:
        state.log("crew_transfer", flight_id, runtime.id, detail="leaving: " + ", ".join(leaving))
    where = runtime.graph.item(flight_id).at
    runtime.graph.detach(flight_id)
    free_port(state, where)
    record.undock_s = state.env.now
    record.outcome = "undocked"  # until its landing or re-entry
    runtime.ledger.set_crew(state.env.now, state.roster.count(runtime.id))
    snapshot(state, runtime)
    state.log("undock", flight_id, runtime.id, where)


def _free_flight(state: SimState, flight, vehicle, record):
    """A flight that meets no station: its orbit decays under drag until re-entry, unless
    the flight plan lands it first (:func:`stationsim.program.freeflight.free_flight_decay`,
    the computation validation uses too). The event carries the prediction's spread."""
    from stationsim.program.freeflight import free_flight_decay, reentry_spread

    decay = free_flight_decay(flight, vehicle, state.end_s)
    if decay.reentry is None:
        return
    if flight.landing is not None and flight.landing.tt_s <= decay.reentry.tt_s:
        return
    yield state.wait_until(decay.reentry.tt_s)
    record.land_s = state.env.now
    record.outcome = "reentered"
    spread = reentry_spread(flight.orbit, decay)
    state.log(
        "reentry",
        flight.id,
        detail=f"decay under drag ({decay.mode} mode), {decay.lifetime_s / DAY_S:.1f} "
        f"days after the orbit's epoch; {spread.describe()}",
    )


def _return(state: SimState, flight, record):
    """Landing at the flight plan's time; a flight that failed keeps its failure as the
    outcome (the landing time says it came home)."""
    if flight.landing is None:
        if record.outcome == "planned":
            record.outcome = "in flight"
        return
    yield state.wait_until(_landing_s(state, flight.id, flight.landing.tt_s))
    record.land_s = state.env.now
    if not record.outcome.startswith("no-"):
        record.outcome = "landed"
    state.log("land", flight.id)


def _destructive_reentry(state: SimState, flight, vehicle, runtime: StationRuntime, record):
    """A cargo ship's deorbit burn after undocking, followed down to its re-entry."""
    orbit_state = runtime.orbit.state
    r_m = float(np.linalg.norm(orbit_state.r_m))
    target_m = R_EARTH_M + CARGO_DEORBIT_PERIGEE_M
    dv_mps = float(vis_viva_speed_mps(r_m, 0.5 * (r_m + target_m))) - float(
        np.linalg.norm(orbit_state.v_mps)
    )
    _, v_after = apply_impulse_vnb(orbit_state.r_m, orbit_state.v_mps, [dv_mps, 0.0, 0.0])
    state.maneuvers.append(
        Maneuver(
            state.env.now,
            flight.id,
            vehicle.name,
            "deorbit",
            abs(dv_mps),
            float(vehicle.propellant_for_dv_kg(abs(dv_mps), vehicle.dry_mass_kg)),
        )
    )
    down = Numerical(orbit_state.epoch, orbit_state.r_m, v_after).propagate_to(
        orbit_state.epoch + DAY_S)
    yield state.wait_until(down.epoch.tt_s)
    record.land_s = state.env.now
    record.outcome = "reentered"
    state.log("reentry", flight.id, detail="destructive re-entry of the cargo ship")


def docked_at_start_process(
    state: SimState,
    runtime: StationRuntime,
    docked: Docked,
) -> ProcessGenerator:
    """A vehicle docked when the program starts: its undocking and landing."""
    record = state.flights[docked.id]
    if docked.undock is None:
        return
    yield state.wait_until(docked.undock.tt_s)
    yield from _held(state, docked.id)
    if docked.id in state.left_early or not _still_docked(state, runtime, docked.id):
        return
    undock_now(state, runtime, docked.id, record, list(docked.crew_down))
    vehicle = state.catalog.vehicle(docked.vehicle)
    if docked.landing_utc is not None:
        yield state.wait_until(_landing_s(state, docked.id,
                                          Epoch.from_utc_iso(docked.landing_utc).tt_s))
        record.land_s = state.env.now
        record.outcome = "landed"
        state.log("land", docked.id)
    elif vehicle.seats == 0:  # a cargo ship goes down with the station's rubbish
        yield from _destructive_reentry(state, docked, vehicle, runtime, record)


def _visitors(flight, vehicle, dock_s: float) -> set[str]:
    """People who fly up and down on the same vehicle within its free-flight endurance.

    They live aboard their own vehicle while it is docked (a Shuttle crew during joint
    operations) and are not counted aboard the station; everyone else of ``crew_up`` joins the
    station at docking and everyone of ``crew_down`` leaves it at undocking.
    """
    undock = flight.undock
    if vehicle is None or undock is None or undock.tt_s - dock_s > vehicle.autonomous_s:
        return set()
    return set(flight.crew_up) & set(flight.crew_down)
