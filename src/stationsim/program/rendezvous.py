"""A flight's rendezvous in the run: the plan made at launch from the station's orbit as
then predicted, the check of the station's phase at a written launch
(:mod:`stationsim.program.phase`), and the vehicle's path for the dashboard."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.constants import DAY_S
from stationsim.astro.kepler import propagate_j2_secular
from stationsim.astro.time import Epoch
from stationsim.errors import PropagationError, StationsimError
from stationsim.program.state import Maneuver, SimState
from stationsim.program.station import StationRuntime, advance
from stationsim.scenario.feasibility import propellant_shortfall

if TYPE_CHECKING:
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.ops.rendezvous import Profile, RendezvousPlan
    from stationsim.program.state import FlightRecord
    from stationsim.scenario.schema import Flight, VehicleDefaults


def plan(
    state: SimState, flight: Flight, vehicle: VehicleType, runtime: StationRuntime,
    record: FlightRecord, defaults: VehicleDefaults | None, retry: bool = False,
) -> RendezvousPlan | None:
    """Plan the rendezvous from the station's orbit as predicted at launch, docking on the
    flight's ``docking_flight_day`` when it names one; ``retry``: an aborted approach's retry
    on that day (:mod:`stationsim.ops.retry` for a profile that docks on a revolution count)."""
    from stationsim.ops.rendezvous import RendezvousError, plan_rendezvous
    from stationsim.ops.retry import retry_profile_named

    advance(state, runtime)
    # a retry's new plan no longer flies the written burn times
    profile = flown_profile(flight, vehicle, defaults) if not retry else \
        retry_profile_named(profile_name(flight, defaults) or vehicle.default_profile)
    if runtime.orbit.reentered is not None:
        record.outcome = "no-rendezvous"
        state.warnings.append(f"{flight.id}: no rendezvous, {runtime.id} has re-entered "
                              "in the model (no tracking update since)")
        return None
    station = runtime.orbit.planning_propagator(runtime.cd_area_over_mass_m2pkg)
    try:
        made = plan_rendezvous(
            station,
            vehicle,
            state.catalog.site(flight.site),
            Epoch(state.env.now),
            profile=profile,
            docking_flight_day=flight.docking_flight_day,
        )
    except (RendezvousError, PropagationError, ValueError) as exc:
        # the profile's rules find no plan from this phase, or its targeting diverges
        record.outcome = "no-rendezvous"
        state.warnings.append(f"{flight.id}: no rendezvous ({exc})")
        state.log("insertion", flight.id, runtime.id, detail=f"no rendezvous: {exc}")
        return None
    record.profile = made.profile
    record.rendezvous_dv_mps = made.total_dv_mps
    shortfall = propellant_shortfall(flight.id, vehicle, float(made.propellant_kg))
    if shortfall and flight.vehicle is not None:  # a module's own tanks are not catalogued
        record.outcome = "out-of-propellant"
        state.warnings.append(shortfall)
        state.log("insertion", flight.id, runtime.id, detail=shortfall)
        return None
    state.log(
        "insertion",
        flight.id,
        runtime.id,
        detail=f"{made.insertion_epoch.utc_iso(0)}, phase "
        f"{np.degrees(made.phase_angle_rad):.1f} deg",
    )
    if state.options.keep_tracks:
        state.vehicle_tracks[flight.id] = (runtime.id, *_chaser_track(
            made, station, runtime.orbit.sample_times(made.insertion.epoch.tt_s,
                                                      made.aim_epoch.tt_s)))
    state.maneuvers.extend(plan_maneuvers(flight, vehicle, made))
    return made


def profile_name(flight: Flight, defaults: VehicleDefaults | None) -> str | None:
    """The profile a flight names, or its vehicle defaults' (None: the vehicle type's)."""
    return flight.profile or (defaults.profile if defaults else None)


def flown_profile(flight: Flight, vehicle: VehicleType,
                  defaults: VehicleDefaults | None) -> str | Profile | None:
    """The profile a flight flies: its name (or None, the vehicle's), or, where the flight
    writes them, that profile on its flight plan's burn times (``burns_utc``) and from its
    crew's docking-day wake-up (``docking_day_wake_utc``)."""
    name = profile_name(flight, defaults)
    wake = flight.docking_day_wake
    if not flight.burns_utc and wake is None:
        return name
    from stationsim.ops.rendezvous import resolve_profile, timed_profile, with_wake_up

    profile = resolve_profile(name, vehicle)
    if flight.burns_utc:
        profile = timed_profile(profile, {burn: Epoch.from_utc_iso(utc)
                                          for burn, utc in flight.burns_utc.items()})
    return profile if wake is None else with_wake_up(profile, wake, flight.docking_flight_day)


def plan_maneuvers(flight: Flight, vehicle: VehicleType, made: RendezvousPlan) -> list[Maneuver]:
    """The burns of a rendezvous plan as manoeuvre-log entries."""
    return [Maneuver(b.epoch.tt_s, flight.id, vehicle.name, b.name, b.dv_mps, b.propellant_kg)
            for b in made.burns]


def station_phase_at_launch(
    state: SimState, flight: Flight, vehicle: VehicleType, runtime: StationRuntime,
    defaults: VehicleDefaults | None,
) -> None:
    """Check the station's lead at insertion against the profile's reach at a written
    launch (:mod:`stationsim.program.phase`).

    The engine never flies station phasing burns of its own: the station's orbit holds
    what tracking and the program's written events made of it. Where a tracking set from
    the last TRACKED_WITHIN_S told the model where the station is and the lead is out of
    reach, that is a warning naming the lead and the reachable range, and the plan fails
    (or docks in a later window) as it may. Where no set did, the model's position along
    the orbit is its own drift, not knowledge: when the lead is outside the profile's
    reach, the station is moved along its orbit to the nearest lead inside it from which
    the planner docks (the operators' launch plan put it there), logged as a
    ``phase-assumed`` event with the shift; such a docking is not a prediction.
    """
    from stationsim.ops.rendezvous import reachable_leads, resolve_profile
    from stationsim.program.phase import (
        TRACKED_WITHIN_S,
        candidate_shifts_rad,
        lead_inside,
        reach_text,
    )

    advance(state, runtime)
    if runtime.orbit.reentered is not None:
        return  # the plan says so
    now_s = state.env.now
    profile = flown_profile(flight, vehicle, defaults)
    updates = state.tracking.get(runtime.id)
    last_s = updates.last_before(now_s) if updates is not None else None
    tracked = last_s is not None and now_s - last_s <= TRACKED_WITHIN_S
    station = runtime.orbit.planning_propagator(runtime.cd_area_over_mass_m2pkg)
    site = state.catalog.site(flight.site)
    try:
        lead_rad, intervals_rad = reachable_leads(station, vehicle, site, Epoch(now_s),
                                                  profile, flight.docking_flight_day)
    except (StationsimError, ValueError):
        return  # the plan itself will say why it cannot be made
    if lead_inside(lead_rad, intervals_rad):
        return
    lead_text = (f"a phase angle of {np.degrees(lead_rad):.1f} deg at insertion, outside "
                 f"the {resolve_profile(profile, vehicle).name} profile's reach "
                 f"({reach_text(intervals_rad)})")
    if tracked:
        state.warnings.append(
            f"{flight.id}: {lead_text}, with {runtime.id} tracked "
            f"{(now_s - last_s) / 3600.0:.0f} h before the launch: the station is "
            "not moved")
        return
    shift_rad = _assumed_shift(state, flight, vehicle, runtime, profile, candidate_shifts_rad(
        lead_rad, intervals_rad))
    if shift_rad is None:
        state.warnings.append(f"{flight.id}: {lead_text}, and no phase of that reach lets the "
                              "planner dock: the station is not moved")
        return
    state.phase_assumed.append(flight.id)
    since = ("no tracking set before the launch" if last_s is None else
             f"last tracking set {(now_s - last_s) / DAY_S:.1f} days before the "
             "launch")
    state.log("phase-assumed", flight.id, runtime.id, detail=(
        f"station moved {np.degrees(shift_rad):+.1f} deg along its orbit (energy "
        f"unchanged): {lead_text}; {since}, so its position along the orbit is taken "
        "from the written launch plan"))


def _assumed_shift(state: SimState, flight, vehicle, runtime: StationRuntime, profile,
                   shifts_rad) -> float | None:
    """The first of ``shifts_rad`` from which the planner docks, with the station moved by
    it along its orbit (None, the station unmoved, when none does)."""
    from stationsim.ops.rendezvous import RendezvousError, plan_rendezvous

    original = runtime.orbit.state
    for shift_rad in shifts_rad:
        runtime.orbit.state = original
        runtime.orbit.shift_along_track(float(shift_rad))
        try:
            plan_rendezvous(runtime.orbit.planning_propagator(
                runtime.cd_area_over_mass_m2pkg), vehicle, state.catalog.site(flight.site),
                Epoch(state.env.now), profile=profile,
                docking_flight_day=flight.docking_flight_day)
        except (RendezvousError, PropagationError, ValueError):
            continue
        return float(shift_rad)
    runtime.orbit.state = original
    return None


def _chaser_track(made, station, times_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The vehicle's path from insertion to the start of its final approach, relative to the
    station, at ``times_s``: (times_s (N,), LVLH position and velocity (N, 6)).

    The planner flies chaser and station in one model (two-body + J2 secular) between the
    impulsive burns; the relative motion it plans is what the vehicle flies (re-targeted in
    flight, the absolute paths of the planning model drift from the numerical orbit). From the
    approach on, the vehicle flies with the station.
    """
    from stationsim.astro.frames import inertial_to_lvlh
    from stationsim.astro.maneuvers import apply_impulse_lvlh
    from stationsim.ops.insertion import station_at_insertion

    # the planning model's kernel itself, as its propagator (J2Secular) calls it from a state
    insertion_s = t_s = made.insertion.epoch.tt_s
    r_m, v_mps = np.asarray(made.insertion.r_m), np.asarray(made.insertion.v_mps)
    r_s, v_s, _ = station_at_insertion(station, made.insertion.epoch)  # the plan's, kept
    # the insertion state already includes an insertion burn (OMS-2)
    stops = [(b.epoch.tt_s, b.dv_lvlh_mps) for b in made.burns if b.epoch.tt_s > t_s]
    stops.append((made.aim_epoch.tt_s, None))
    grids, r_c, v_c = [], [], []  # the chaser's coasts between burns
    for stop_s, dv_lvlh_mps in sorted(stops, key=lambda item: item[0]):
        grid = times_s[(times_s >= t_s) & (times_s < stop_s)]
        if grid.size:
            grids.append(grid)
            for states, coast in zip((r_c, v_c), propagate_j2_secular(r_m, v_mps, grid - t_s),
                                     strict=True):
                states.append(coast)
        r_m, v_mps = propagate_j2_secular(r_m, v_mps, stop_s - t_s)
        if dv_lvlh_mps is not None:
            r_m, v_mps = apply_impulse_lvlh(r_m, v_mps, dv_lvlh_mps)
        t_s = stop_s
    if not grids:
        return np.empty(0), np.empty((0, 6))
    grid = np.concatenate(grids)  # the station's coast is one: its states row by row at once
    rho, rho_dot = inertial_to_lvlh(*propagate_j2_secular(r_s, v_s, grid - insertion_s),
                                    np.vstack(r_c), np.vstack(v_c))
    return grid, np.hstack([rho, rho_dot])
