"""A flight's launch in the run: the vehicle that flies, a written launch moved into the
model's plane, or the first workable window after an earliest date
(:mod:`stationsim.program.launch_time` holds the rules, shared with campaigns)."""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from stationsim.astro.propagate import J2Secular
from stationsim.astro.time import Epoch
from stationsim.program.launch_time import (
    LAUNCH_SEARCH_DAYS,
    first_workable_window,
    launch_in_plane,
)
from stationsim.program.phase import TRACKED_WITHIN_S
from stationsim.program.propulsion import MODULE_PROPULSION_LIKE
from stationsim.program.state import SimState
from stationsim.program.station import StationRuntime, advance

if TYPE_CHECKING:
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.scenario.schema import Flight, VehicleDefaults


def flying_vehicle(state: SimState, flight: Flight) -> VehicleType:
    """The vehicle type that flies: the catalog's, or a module flying itself."""
    if flight.vehicle is not None:
        return state.catalog.vehicle(flight.vehicle)
    return _module_as_vehicle(
        state.catalog.module(flight.delivers_module.module),
        state.catalog.vehicle(MODULE_PROPULSION_LIKE),
    )


def _module_as_vehicle(module, propulsion):
    """A module flying itself to the station, as a vehicle for the rendezvous planner."""
    port = next(iter(module.ports.values()))
    return replace(
        propulsion,
        name=module.name,
        display_name=module.display_name,
        dry_mass_kg=module.mass_kg,
        seats=0,
        mechanisms=(port.mechanism,),
        length_m=module.length_m,
        diameter_m=module.diameter_m,
        default_profile="coelliptic",
        source=module.source,
    )


def written_launch(
    state: SimState, flight: Flight, vehicle: VehicleType, runtime: StationRuntime,
    defaults: VehicleDefaults | None,
) -> Epoch:
    """The written launch time when it lies in the window of the model's station, or else
    the window's in-plane instant.

    History launched into the real station's plane; where the model's plane has moved
    (the node regresses 0.1 deg a day faster per 25 km of altitude error, J2), the launch
    follows the model's plane, as flight control would have timed it, with a warning
    giving the shift from the written time (the launch event says it too). A
    quasi-coplanar insertion (Soyuz/Progress: lift-off minutes before the site passes
    through the plane, the offset left to the first burns, Murtazin, IAC 2016;
    rendezvous_rules.csv) with a set from the last TRACKED_WITHIN_S before it keeps its
    written time: the model's plane is the one its operators timed it on, and the offset is
    the insertion's wedge.
    """
    orbit_state = advance(state, runtime)
    spec = _insertion(flight, vehicle, defaults)
    plane = J2Secular(orbit_state.epoch, orbit_state.r_m, orbit_state.v_mps)
    updates = state.tracking.get(runtime.id)
    tracked = updates.state_before(flight.launch.tt_s) if updates is not None else None
    if (spec.quasi_coplanar and tracked is not None
            and flight.launch.tt_s - tracked[0] <= TRACKED_WITHIN_S):
        return flight.launch
    if tracked is not None and tracked[0] > state.env.now:
        # a set from the hours before the written launch, which its operators had: the
        # plane is judged from it (the engine adopts it when its epoch comes)
        plane = J2Secular(Epoch(tracked[0]), tracked[1], tracked[2])
    launch = launch_in_plane(plane, state.catalog.site(flight.site), flight.launch, spec)
    if launch is None:
        launch = flight.launch
    if launch.tt_s != flight.launch.tt_s:
        shift_min = (launch.tt_s - flight.launch.tt_s) / 60.0
        state.warnings.append(
            f"{flight.id}: launch moved {shift_min:+.0f} min into the launch window of "
            f"{runtime.id}'s orbit as the model carries it (the written time is outside "
            "it)")
    return launch


def chosen_launch(
    state: SimState, flight: Flight, vehicle: VehicleType, runtime: StationRuntime,
    defaults: VehicleDefaults | None,
) -> Epoch | None:
    """The first in-plane window after the earliest launch date whose phase angle the
    flight's profile can work with (a degree inside its reachable leads, searched over
    LAUNCH_SEARCH_DAYS); None, with a warning, when there is none."""
    from stationsim.program.rendezvous import profile_name

    orbit_state = advance(state, runtime)
    profile = profile_name(flight, defaults) or vehicle.default_profile
    station = runtime.orbit.planning_propagator(runtime.cd_area_over_mass_m2pkg)
    spec = _insertion(flight, vehicle, defaults)
    # The plane's motion over days is J2 node regression; drag barely turns it.
    plane = J2Secular(orbit_state.epoch, orbit_state.r_m, orbit_state.v_mps)
    launch, reasons = first_workable_window(
        plane, station, vehicle, state.catalog.site(flight.site), Epoch(state.env.now), spec,
        profile, flight.docking_flight_day)
    if launch is not None:
        return launch
    state.warnings.append(
        f"{flight.id}: no launch window from {flight.site} within {LAUNCH_SEARCH_DAYS:g} "
        f"days after {flight.launch.utc_iso(0)} lets the {profile} profile rendezvous"
        + (f" (last reason: {reasons[-1]})" if reasons else "")
    )
    return None


def _insertion(flight: Flight, vehicle: VehicleType, defaults: VehicleDefaults | None):
    """The insertion spec of the profile the flight flies (its own, its defaults', its
    vehicle type's)."""
    from stationsim.ops.insertion import insertion_spec
    from stationsim.ops.rendezvous import get_profile
    from stationsim.program.rendezvous import profile_name

    return insertion_spec(get_profile(profile_name(flight, defaults)
                                      or vehicle.default_profile).insertion)
