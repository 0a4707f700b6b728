"""A trajectory between the Earth and the Moon: the coast across the sphere of influence, burns
by time or at perilune/apolune/perigee/apogee, lunar impact, and the way home to the entry.

Flown by :func:`stationsim.astro.cislunar.fly` (the central body's gravity with its zonal
terms, the Moon's or the Earth's pull and the Sun's, DE421), with the start written about the
trajectory's ``central_body``. Burns are impulsive: a timed burn at its middle (as in
:mod:`stationsim.program.mission`), a rule burn centred on its apsis, its ignition half the
burn earlier (the burn's length from the rocket equation at the vehicle's thrust and Isp);
``direction`` is taken in the orbit frame of the body the coast is about at the burn (inside
the Moon's sphere of influence, the Moon). A coast that meets the Moon's surface ends the flight
with an ``impact`` event at the selenographic place (:mod:`stationsim.astro.moon_frame`); one
that meets the Earth's entry interface goes on down through
:func:`stationsim.program.mission.land`. Each burn's event says the orbit it leaves about its
body (periapsis and apoapsis heights) when that orbit is closed. A burn with an External
delta-V holds the direction its maneuver PAD read up (:func:`external_direction`). Targeted
burns (cut off at an apoapsis or at a recorded cut-off energy, yawed into a tracked plane,
pitched to an entry angle) are solved here on the flown burn
(:mod:`stationsim.program.targeting` holds the searches and the entry's conic); tracked states
are taken up before the next timed burn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.cislunar import PERIGEE, PERILUNE, fly, recentre
from stationsim.astro.constants import DEG, MU_MOON_M3PS2, NMI_M, R_EARTH_M, R_MOON_M
from stationsim.astro.elements import elements_to_state, state_to_elements
from stationsim.astro.moon_frame import (
    inertial_to_moon_fixed,
    moon_fixed_to_inertial,
    selenographic,
    selenographic_to_moon_fixed,
)
from stationsim.astro.propagate import EventSpec, OrbitState
from stationsim.astro.time import Epoch
from stationsim.program.mission import (
    BurnDone,
    MissionError,
    MissionEvent,
    MissionResult,
    _at,
    burn_direction,
    burn_size,
    entry_vehicle,
    insertion_state,
    land,
    mean_of_date_to_gcrf,
    start_state,
)
from stationsim.program.navigation import refine_to_perilune
from stationsim.program.targeting import (
    FINITE_STEP_S,
    SEARCH_RTOL,
    SEARCH_STEP_S,
    arrival,
    coarse_then_fine,
    perigee_radius_for_entry_m,
    secant,
    vacuum_perigee_m,
)
from stationsim.scenario.trajectory import ENTRY_INTERFACE_KM

if TYPE_CHECKING:
    from stationsim.hardware.capsule import Capsule
    from stationsim.hardware.sites import LaunchSite
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.scenario.schema import Flight
    from stationsim.scenario.trajectory import Insertion, Plane, Tracked, Trajectory

RULES = {
    "perilune": PERILUNE,
    "apolune": ("moon", EventSpec("apsis", 0.0, -1)),
    "perigee": PERIGEE,
    "apogee": ("earth", EventSpec("apsis", 0.0, -1)),
}
_GM = {"earth": 3.986004418e14, "moon": MU_MOON_M3PS2}
_RADIUS = {"earth": R_EARTH_M, "moon": R_MOON_M}


def orbit_heights_m(state: OrbitState, central: str) -> tuple[float, float] | None:
    """(periapsis, apoapsis) heights of the osculating orbit about ``central`` above its mean
    (Moon) or equatorial (Earth) radius, m; None for an open orbit."""
    elements = state_to_elements(state.r_m, state.v_mps, _GM[central])
    a_m, e = float(elements.a_m), float(elements.e)
    if not (0.0 < a_m and e < 1.0):
        return None
    return a_m * (1.0 - e) - _RADIUS[central], a_m * (1.0 + e) - _RADIUS[central]


def fly_cislunar_mission(
    flight: Flight, vehicle: VehicleType, launch: Epoch, end: Epoch, site: LaunchSite | None = None,
    capsules: Mapping[str, Capsule] | None = None,
) -> MissionResult:
    """The flight of ``flight``'s trajectory about the Earth and the Moon (module doc)."""
    trajectory = flight.trajectory
    central = trajectory.central_body
    state = (start_state(trajectory, launch, site) if central == "earth"
             else lunar_start_state(trajectory, launch, flight.id))
    spec = trajectory.entry
    interface_m = spec.interface_m if spec is not None else ENTRY_INTERFACE_KM * 1e3
    refined = ""
    if trajectory.predicted_perilune is not None:
        state, refined = _refined_start(trajectory, launch, end, central, interface_m, flight.id)
    if state.epoch.tt_s < launch.tt_s:
        raise MissionError(f"{flight.id}: the trajectory starts at {state.epoch.utc_iso(0)}, "
                           f"before the launch {launch.utc_iso(0)}")
    mass_kg = vehicle.dry_mass_kg + vehicle.propellant_mass_kg
    events = [_located("insertion", state, central, f"{trajectory.start_key()} of the "
                       f"trajectory about the {central}" + refined)]
    burns: list[BurnDone] = []
    coast = [recentre(state, central, "earth")]
    pending = list(trajectory.tracked)
    for index, burn in enumerate(trajectory.burns):
        when = burn.epoch(launch)
        while pending and when is not None and pending[0].epoch(launch).tt_s <= when.tt_s:
            leg, state, event = _adopt(pending.pop(0), state, central, launch, interface_m)
            coast.extend(_track(leg))
            central = "moon"
            events.append(event)
        if burn.mass_kg is not None:  # part of the craft was left behind
            mass_kg = burn.mass_kg
        dv_mps, propellant_kg, duration_s = burn_size(burn, vehicle, mass_kg)
        ignition = burn.epoch(launch)
        if ignition is None:
            stop = RULES[burn.at]
            leg = fly(state, central, end, stop=(stop,), entry_altitude_m=interface_m)
            if leg.stop != stop:
                return _ended(flight, leg, burns, events, coast, mass_kg,
                              f"before {burn.at} for burn {burn.name!r}")
            middle = leg.state
            if burn.apoapsis_km is not None:  # sized to its target: centred again on the apsis
                dv_mps, propellant_kg, duration_s = _sized_to_apoapsis(
                    burn, vehicle, state, central, middle, dv_mps, duration_s, mass_kg,
                    interface_m)
            ignition = middle.epoch + (-0.5 * duration_s)
        else:
            leg = fly(state, central, ignition + 0.5 * duration_s, entry_altitude_m=interface_m)
            if leg.stop != "until":
                return _ended(flight, leg, burns, events, coast, mass_kg,
                              f"before burn {burn.name!r}")
            middle = leg.state
        if ignition.tt_s < state.epoch.tt_s:
            raise MissionError(f"{flight.id}: burn {burn.name!r} at {ignition.utc_iso(0)} "
                               f"comes before the state at {state.epoch.utc_iso(0)}")
        leg = fly(state, central, ignition, entry_altitude_m=interface_m)
        coast.extend(_track(leg))
        pitch_deg, yaw_deg = burn.pitch_deg, 0.0
        size = _sizing(burn, vehicle, leg, mass_kg, interface_m)
        if burn.plane is not None:
            yaw_deg = _yaw_for_plane(burn, leg, middle, size, mass_kg, interface_m,
                                     _plane_normal(burn.plane, launch))
        if burn.entry_angle_deg is not None:
            pitch_deg = _pitch_for_entry(burn, trajectory.burns[index + 1:], vehicle, launch,
                                         end, leg, middle, size, mass_kg, interface_m, yaw_deg)
        # held fixed in inertial space: the External delta-V read up, or the thrust
        # direction of the burn's middle
        unit = (external_direction(middle, burn.external_dv_mps)
                if burn.external_dv_mps is not None
                else _thrust(middle, burn.direction, pitch_deg, yaw_deg))
        if burn.cutoff is not None:
            dv_mps, propellant_kg, duration_s = size(unit, fine=True)
        state, central = _finite_burn(leg.state, leg.central, unit, dv_mps, propellant_kg,
                                      duration_s, mass_kg, interface_m)
        mass_kg -= propellant_kg
        burns.append(BurnDone(burn.name, ignition, middle.epoch, dv_mps, propellant_kg))
        heights = orbit_heights_m(state, central)
        orbit = "" if heights is None else (
            f"; {central} orbit {heights[1] / NMI_M:.1f} x {heights[0] / NMI_M:.1f} n mi")
        where = _located("burn", middle, leg.central, "")
        events.append(MissionEvent(
            "burn", ignition, f"{burn.name}: {dv_mps:.1f} m/s {burn.direction}"
            + (f", pitch {pitch_deg:.2f} deg" if pitch_deg else "")
            + (f", yaw {yaw_deg:.2f} deg" if yaw_deg else "")
            + (f", {duration_s:.1f} s" if duration_s else "") + orbit,
            where.lat_deg, where.lon_deg))
        coast.append(recentre(state, central, "earth"))
    for tracked in pending:
        leg, state, event = _adopt(tracked, state, central, launch, interface_m)
        coast.extend(_track(leg))
        central = "moon"
        events.append(event)
    leg = fly(state, central, end, entry_altitude_m=interface_m)
    if leg.stop == "impact":
        return _ended(flight, leg, burns, events, coast, mass_kg, "")
    coast.extend(_track(leg))
    if leg.stop != "entry":  # still in flight at the end of the span
        return MissionResult(coast[0], burns, events, None, mass_kg, coast)
    if spec is None:  # no entry written: the flight ends at the interface
        events.append(_located("entry", leg.state, "earth", f"entry interface, "
                               f"{interface_m / 1e3:g} km"))
        return MissionResult(coast[0], burns, events, None, mass_kg, coast)
    try:
        flown = land(spec, entry_vehicle(spec, capsules), leg.state, events)
    except ValueError as error:  # too shallow: the capsule skips back out of the air
        events.append(_located("entry", leg.state, "earth", f"entry interface, "
                               f"{spec.interface_km:g} km; no landing: {error}"))
        return MissionResult(coast[0], burns, events, None, mass_kg, coast)
    return MissionResult(coast[0], burns, events, flown, mass_kg, coast)


def lunar_start_state(trajectory: Trajectory, launch: Epoch, flight_id: str) -> OrbitState:
    """The Moon-centred state (GCRF axes) a trajectory about the Moon starts from: ``state``
    as written (r, v from the Moon's centre), ``elements`` with heights above the Moon's mean
    radius, or an ``insertion`` over a selenographic latitude and longitude (height above the
    mean radius; space-fixed speed, flight-path angle and heading in the Moon-fixed local
    horizontal of the instant, as the Apollo reports print lunar states)."""
    key, start = trajectory.start_key(), trajectory.start
    epoch = start.epoch(launch) if key != "ascent" else None
    if key == "state":
        r_m, v_mps = start.r_m, start.v_mps
        if start.frame == "mean-of-date":
            r_m, v_mps = mean_of_date_to_gcrf(r_m, v_mps, start.frame_epoch)
        return OrbitState(epoch, r_m, v_mps)
    if key == "elements":
        a_m = R_MOON_M + 0.5 * (start.perigee_km + start.apogee_km) * 1e3
        e = (start.apogee_km - start.perigee_km) * 1e3 / (2.0 * a_m)
        r_m, v_mps = elements_to_state(a_m, e, start.inclination_deg * DEG, start.raan_deg * DEG,
                                       start.arg_perigee_deg * DEG,
                                       start.true_anomaly_deg * DEG, MU_MOON_M3PS2)
        return OrbitState(epoch, np.asarray(r_m), np.asarray(v_mps))
    if key == "insertion":
        if start.latitude_deg is None:
            raise MissionError(f"{flight_id}: an insertion about the Moon gives latitude_deg "
                               "(selenographic), not geocentric_latitude_deg")
        return selenographic_state(epoch, start)
    raise MissionError(f"{flight_id}: an ascent starts from an Earth launch site; a trajectory "
                       "about the Moon starts from a state, elements or an insertion")


def _refined_start(trajectory: Trajectory, launch: Epoch, end: Epoch, central: str,
                   interface_m: float, flight_id: str) -> tuple[OrbitState, str]:
    """The start state of a printed insertion refined to the ground's predicted perilune
    (:mod:`stationsim.program.navigation`), and the insertion event's words on it."""
    def state_of(printed: Insertion) -> OrbitState:
        epoch = printed.epoch(launch)
        return (insertion_state(printed, epoch) if central == "earth"
                else selenographic_state(epoch, printed))

    predicted = trajectory.predicted_perilune
    try:
        refinement = refine_to_perilune(trajectory.insertion, predicted, state_of, central, end,
                                        interface_m)
    except ValueError as error:
        raise MissionError(f"{flight_id}: the insertion refined to the predicted perilune: "
                           f"{error}") from None
    return state_of(refinement.insertion), "; " + refinement.summary(predicted)


def selenographic_state(epoch: Epoch, printed: Insertion | Tracked,
                        normal: np.ndarray | None = None) -> OrbitState:
    """The Moon-centred state (GCRF axes) of a state printed as the Apollo reports print lunar
    ones (``latitude_deg``, ``longitude_deg``, ``altitude_km`` above the mean radius,
    ``velocity_kmps``, ``flight_path_angle_deg``, ``heading_deg`` in the Moon-fixed local
    horizontal); with ``normal`` (a GCRF orbit normal) instead of a heading, the velocity
    lies in that plane."""
    r_fixed = selenographic_to_moon_fixed(printed.latitude_deg * DEG, printed.longitude_deg * DEG,
                                          printed.altitude_km * 1e3)
    r_m = moon_fixed_to_inertial(r_fixed, epoch)
    gamma, speed_mps = printed.flight_path_angle_deg * DEG, printed.velocity_kmps * 1e3
    if normal is not None:
        up = r_m / np.linalg.norm(r_m)
        along = np.cross(normal, up)
        along /= np.linalg.norm(along)
        return OrbitState(epoch, r_m, speed_mps * (np.sin(gamma) * up + np.cos(gamma) * along))
    up = r_fixed / np.linalg.norm(r_fixed)
    east = np.cross([0.0, 0.0, 1.0], up)
    east /= np.linalg.norm(east)
    north = np.cross(up, east)
    heading = printed.heading_deg * DEG
    v_fixed = speed_mps * (np.sin(gamma) * up + np.cos(gamma) * (
        np.cos(heading) * north + np.sin(heading) * east))
    return OrbitState(epoch, r_m, moon_fixed_to_inertial(v_fixed, epoch))


def _adopt(tracked, state: OrbitState, central: str, launch: Epoch, interface_m: float):
    """Coast to a tracked state's time and take it up: (the coast, the state about the Moon,
    the ``tracking`` event saying how far the model was from it)."""
    epoch = tracked.epoch(launch)
    leg = fly(state, central, epoch, entry_altitude_m=interface_m)
    if leg.stop != "until":
        raise MissionError(f"the coast stopped at {leg.stop} at {leg.state.epoch.utc_iso(0)}, "
                           f"before the tracked state of {epoch.utc_iso(0)}")
    model = recentre(leg.state, leg.central, "moon")
    if tracked.heading_deg is None:
        normal = np.cross(model.r_m, model.v_mps)
        normal /= np.linalg.norm(normal)
    else:
        normal = printed_normal(epoch, tracked)
    adopted = selenographic_state(epoch, tracked, normal)
    apart_km = float(np.linalg.norm(adopted.r_m - model.r_m)) / 1e3
    where = _located("tracking", adopted, "moon", f"tracked state adopted (the model's was "
                     f"{apart_km:,.1f} km away" + (", its orbit plane kept)"
                                                   if tracked.heading_deg is None else ")"))
    return leg, adopted, where


def _sized_to_apoapsis(burn, vehicle, state: OrbitState, central: str, middle: OrbitState,
                       dv_mps: float, duration_s: float, mass_kg: float, interface_m: float):
    """(dv_mps, propellant_kg, duration_s) of a burn centred on the apsis ``middle`` (reached
    from ``state``) that leaves the orbit's apoapsis at ``burn.apoapsis_km``
    (:mod:`stationsim.program.targeting`)."""
    unit = burn_direction(middle.r_m, middle.v_mps, burn.direction, 0.0)
    early = fly(state, central, middle.epoch + (-duration_s), entry_altitude_m=interface_m)

    def size(dv):
        return burn_size(burn.model_copy(update={"dv_mps": dv}), vehicle, mass_kg)

    def miss_m(dv, step_s):
        _dv, propellant, duration = size(dv)
        ignition = fly(early.state, early.central, middle.epoch + (-0.5 * duration),
                       entry_altitude_m=interface_m, rtol=SEARCH_RTOL)
        after, about = _finite_burn(ignition.state, ignition.central, unit, dv, propellant,
                                    duration, mass_kg, interface_m, SEARCH_RTOL, step_s)
        heights = orbit_heights_m(after, about)
        return (heights[1] if heights is not None else math.inf) - burn.apoapsis_km * 1e3

    try:
        return size(coarse_then_fine(miss_m, dv_mps, 0.99 * dv_mps, 50.0))
    except ValueError as error:
        raise MissionError(f"burn {burn.name!r} sized to a {burn.apoapsis_km:g} km apoapsis: "
                           f"{error}") from None


def _sizing(burn, vehicle, leg, mass_kg: float, interface_m: float):
    """``size(unit)`` -> (dv_mps, propellant_kg, duration_s) of a burn flown from ``leg``'s end
    along ``unit``: as written, or, with ``burn.cutoff``, until the craft's energy about the
    central body is that of the recorded cut-off state (:mod:`stationsim.program.targeting`)."""
    written = burn_size(burn, vehicle, mass_kg)
    if burn.cutoff is None:
        return lambda unit, fine=False: written
    gm = _GM[leg.central]
    goal = 0.5 * (burn.cutoff.velocity_kmps * 1e3) ** 2 - gm / (
        _RADIUS[leg.central] + burn.cutoff.altitude_km * 1e3)

    def of(dv):
        return burn_size(burn.model_copy(update={"dv_mps": float(dv)}), vehicle, mass_kg)

    guess = [written[0]]  # the last size found: the next search starts there

    def size(unit, fine=False):
        def miss(dv, step_s):
            after, about = _finite_burn(leg.state, leg.central, unit, *of(dv), mass_kg,
                                        interface_m, SEARCH_RTOL, step_s)
            after = recentre(after, about, leg.central)
            return (0.5 * float(after.v_mps @ after.v_mps)
                    - gm / float(np.linalg.norm(after.r_m)) - goal)

        try:
            guess[0] = (coarse_then_fine(miss, guess[0], guess[0] + 0.5, 1.0) if fine else
                        secant(lambda dv: miss(dv, SEARCH_STEP_S), guess[0], guess[0] + 0.5,
                               1.0))
        except ValueError as error:
            raise MissionError(f"burn {burn.name!r} sized to its cut-off state: "
                               f"{error}") from None
        return of(guess[0])
    return size


def external_direction(middle: OrbitState,
                       external_dv_mps: list[float]) -> np.ndarray:
    """The unit thrust (GCRF) of a burn's External delta-V as the maneuver PAD read it up, in
    Apollo's local-vertical frame (X the local horizontal forward, Y against the orbit normal,
    Z down) at the burn's ``middle``, where the ground's impulsive solution lies; held fixed in
    inertial space, as the SPS burns were flown at a constant attitude (H. W. Tindall, "External
    Delta V for LOI", MSC memo 68-PA-T-11A, 16 January 1968; the PAD's targets, time of
    ignition and three components in the local horizontal frame: memo 67-FM-T-100)."""
    r = np.asarray(middle.r_m, dtype=float)
    z = -r / np.linalg.norm(r)
    y = -np.cross(r, middle.v_mps)
    y /= np.linalg.norm(y)
    x = np.cross(y, z)
    unit = np.asarray(external_dv_mps, dtype=float) @ np.array([x, y, z])
    return unit / np.linalg.norm(unit)


def _thrust(middle: OrbitState, direction: str, pitch_deg: float, yaw_deg: float) -> np.ndarray:
    """The unit thrust of ``direction`` at ``middle`` pitched toward the central body and
    yawed toward the orbit normal (degrees)."""
    unit = burn_direction(middle.r_m, middle.v_mps, direction, pitch_deg * DEG)
    if not yaw_deg:
        return unit
    normal = np.cross(middle.r_m, middle.v_mps)
    normal /= np.linalg.norm(normal)
    return np.cos(yaw_deg * DEG) * unit + np.sin(yaw_deg * DEG) * normal


def _plane_normal(plane, launch: Epoch) -> np.ndarray:
    """The unit normal (GCRF) of a tracked plane about the Moon: ``r x v`` of its vector, or
    of its printed place and heading (a horizontal velocity: the flight-path angle does not
    turn the plane)."""
    epoch = plane.epoch(launch)
    if plane.r_km is not None:
        r_m, v_mps = np.asarray(plane.r_km) * 1e3, np.asarray(plane.v_kmps) * 1e3
        if plane.frame == "mean-of-date":
            r_m, v_mps = mean_of_date_to_gcrf(r_m, v_mps, plane.frame_epoch)
    else:
        return printed_normal(epoch, plane)
    normal = np.cross(r_m, v_mps)
    return normal / np.linalg.norm(normal)


def printed_normal(epoch: Epoch, printed: Tracked | Plane) -> np.ndarray:
    """The unit orbit normal (GCRF) of a lunar state printed as the Apollo reports print it: a
    selenographic place and a space-fixed heading, measured from the north of the Moon-centred
    inertial frame (the Earth's mean equator of B1969). So read, the rows of MSC-00171 Table
    7-II give one plane to 0.7 deg from the trans-Earth injection's ignition to its cut-off,
    and their headings (-52 to -107 deg) fit an orbit that stays within 1.6 deg of the lunar
    equator, as their latitudes do; read from selenographic north they differ by 4.2 deg."""
    r_m = moon_fixed_to_inertial(selenographic_to_moon_fixed(
        printed.latitude_deg * DEG, printed.longitude_deg * DEG, 0.0), epoch)
    up = r_m / np.linalg.norm(r_m)
    pole = mean_of_date_to_gcrf(np.array([0.0, 0.0, 1.0]), np.zeros(3), "B1969.0")[0]
    east = np.cross(pole, up)
    east /= np.linalg.norm(east)
    heading = printed.heading_deg * DEG
    along = np.cos(heading) * np.cross(up, east) + np.sin(heading) * east
    normal = np.cross(up, along)
    return normal / np.linalg.norm(normal)


def _yaw_for_plane(burn, leg, middle: OrbitState, size, mass_kg: float, interface_m: float,
                   target: np.ndarray) -> float:
    """The yaw (deg) that leaves the craft, after a burn flown from ``leg``'s end (sized by
    ``size``, unpitched), in the plane of unit normal ``target``: the turn about the local
    vertical from the plane reached to it is zero (:mod:`stationsim.program.targeting`)."""
    def turn_deg(yaw_deg, step_s):
        unit = _thrust(middle, burn.direction, burn.pitch_deg, yaw_deg)
        dv_mps, propellant_kg, duration_s = size(unit, fine=step_s == FINITE_STEP_S)
        after, about = _finite_burn(leg.state, leg.central, unit, dv_mps, propellant_kg,
                                    duration_s, mass_kg, interface_m, SEARCH_RTOL, step_s)
        after = recentre(after, about, "moon")
        normal = np.cross(after.r_m, after.v_mps)
        normal /= np.linalg.norm(normal)
        up = after.r_m / np.linalg.norm(after.r_m)
        return float(np.degrees(np.arcsin(np.cross(normal, target) @ up)))

    try:
        return coarse_then_fine(turn_deg, 0.0, 0.5, 1e-3)
    except ValueError as error:
        raise MissionError(f"burn {burn.name!r} yawed to its tracked plane: {error}") from None


def _pitch_for_entry(burn, later, vehicle, launch: Epoch, end: Epoch, leg, middle: OrbitState,
                     size, mass_kg: float, interface_m: float, yaw_deg: float = 0.0) -> float:
    """The pitch (deg) of a burn flown from ``leg``'s end (sized by ``size``) that brings the
    way home, with the ``later`` timed burns as written (impulses at their middles), to the
    entry interface at ``burn.entry_angle_deg`` (:mod:`stationsim.program.targeting`)."""
    angle = burn.entry_angle_deg * DEG

    def miss_m(pitch_deg, step_s):
        unit = _thrust(middle, burn.direction, pitch_deg, yaw_deg)
        dv_mps, propellant_kg, duration_s = size(unit, fine=step_s == FINITE_STEP_S)
        state, central = _finite_burn(leg.state, leg.central, unit, dv_mps, propellant_kg,
                                      duration_s, mass_kg, interface_m, SEARCH_RTOL, step_s)
        left_kg = mass_kg - propellant_kg
        for other in later:
            ignition = other.epoch(launch)
            if ignition is None:
                raise MissionError(f"burn {burn.name!r} is aimed at the entry: the burns after "
                                   f"it are timed (got {other.name!r} at {other.at})")
            dv, propellant, duration = burn_size(other, vehicle, left_kg)
            coast = fly(state, central, ignition + 0.5 * duration, entry_altitude_m=interface_m,
                        rtol=SEARCH_RTOL)
            state, central = coast.state, coast.central
            unit = burn_direction(state.r_m, state.v_mps, other.direction, other.pitch_rad)
            state = OrbitState(state.epoch, state.r_m, state.v_mps + dv * unit)
            left_kg -= propellant
        home = arrival(state, central, end, interface_m)
        return vacuum_perigee_m(home) - perigee_radius_for_entry_m(home, angle, interface_m)

    try:
        return coarse_then_fine(miss_m, 0.0, 0.5, 100.0)
    except ValueError as error:
        raise MissionError(f"burn {burn.name!r} aimed at a {burn.entry_angle_deg:g} deg entry: "
                           f"{error}") from None


def _finite_burn(state: OrbitState, central: str, unit, dv_mps: float, propellant_kg: float,
                 duration_s: float, mass_kg: float, interface_m: float,
                 rtol: float = 1e-12, step_s: float = FINITE_STEP_S) -> tuple[OrbitState, str]:
    """The burn from its ignition ``state``: ``dv_mps`` along the fixed ``unit`` spread over
    ``duration_s`` as impulses of at most ``step_s`` of burning each, at their middles,
    each the rocket equation's share at the falling mass (constant thrust and Isp: the
    velocity gained by time t is ve ln(m0 / (m0 - mdot t))); returns the state at cut-off and
    its central body."""
    if duration_s <= 0.0:
        return OrbitState(state.epoch, state.r_m, state.v_mps + dv_mps * unit), central
    n = max(1, int(np.ceil(duration_s / step_s)))
    step_s = duration_s / n
    mdot_kgps = propellant_kg / duration_s
    ve_mps = dv_mps / np.log(mass_kg / (mass_kg - propellant_kg)) if propellant_kg else 0.0
    start = state.epoch
    done_mps = 0.0
    for k in range(n):
        leg = fly(state, central, start + (k + 0.5) * step_s, entry_altitude_m=interface_m,
                  rtol=rtol)
        state, central = leg.state, leg.central
        burned = (ve_mps * np.log(mass_kg / (mass_kg - mdot_kgps * (k + 1) * step_s))
                  if ve_mps else dv_mps * (k + 1) / n)
        state = OrbitState(state.epoch, state.r_m, state.v_mps + (burned - done_mps) * unit)
        done_mps = burned
    leg = fly(state, central, start + duration_s, entry_altitude_m=interface_m, rtol=rtol)
    return leg.state, leg.central


def _track(leg) -> list[OrbitState]:
    """The coast's geocentric samples as states."""
    return [OrbitState(Epoch(t), r, v) for t, r, v in zip(
        leg.track_epochs.tt_s, leg.track_r_gcrf_m, leg.track_v_gcrf_mps, strict=True)]


def _located(kind: str, state: OrbitState, central: str, detail: str) -> MissionEvent:
    """An event placed under the vehicle: geodetic about the Earth, selenographic about the
    Moon."""
    if central == "earth":
        return _at(kind, state, detail)
    lat, lon, _ = selenographic(inertial_to_moon_fixed(state.r_m, state.epoch))
    return MissionEvent(kind, state.epoch, detail, float(np.degrees(lat)),
                        float(np.degrees(lon)))


def _ended(flight, leg, burns, events, coast, mass_kg, when: str) -> MissionResult:
    """A coast that stopped short of what came next: an impact on the Moon ends the flight;
    anything else is an error naming the flight."""
    coast.extend(_track(leg))
    if leg.stop == "impact":
        events.append(_located("impact", leg.state, "moon", "impact on the Moon (selenographic "
                               "place)"))
        return MissionResult(coast[0], burns, events, None, mass_kg, coast)
    what = {"entry": "reached the entry interface", "until": "reached the end of the span"}.get(
        leg.stop, f"stopped at {leg.stop}")
    raise MissionError(f"{flight.id}: the coast {what} at {leg.state.epoch.utc_iso(0)}, {when}")


