"""A flight that flies a trajectory: its start, its burns, its entry and its landing.

:func:`fly_mission` computes the whole flight from the program file alone (a pure function of
the flight, its vehicle and its launch time): the start state (insertion, elements, state
vector or ascent from the site), each burn in order, the coast to the entry interface and the
way down (:func:`stationsim.astro.entry.fly_entry`). The engine's process
(:func:`fly_trajectory`) then logs its events at their times; validation and campaigns call
:func:`fly_mission` directly. Between burns the orbit is flown by the numerical propagator
(EGM-96 zonals to J6, drag in the NRLMSIS table of the day, :mod:`stationsim.program.density`).

Burns are impulsive at the burn's middle: the rocket equation gives the velocity change of a
burn written by duration (thrust and Isp of the flight's vehicle unless written). The velocity
turns by 2.6 deg during a 40 s burn in an 89 min orbit, so a retrofire held along it loses
under 0.05 % of its impulse (1 - cos 1.3 deg) against the impulse at mid-burn; a long burn
(a translunar injection) wants a finite-burn model, which this is not.

Burn rules (``at: perigee`` ...) fire at the next apsis of the central body after the previous
burn; :data:`RULE_EVENTS` maps each Earth rule to the propagator's event. A trajectory about
the Moon or with third bodies is flown by :mod:`stationsim.program.lunar_mission` (the
cislunar coast, lunar rules), which lands through :func:`land` as this one does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike
from simpy.events import ProcessGenerator

from stationsim.astro.constants import DAY_S, DEG, G0_MPS2, KM, R_EARTH_M, R_POLAR_M
from stationsim.astro.elements import elements_to_state
from stationsim.astro.entry import (
    ConstantBank,
    EntryResult,
    EntryVehicle,
    GuidedBank,
    Parachute,
    fly_entry,
)
from stationsim.astro.frames import cross3, geodetic_to_itrf, itrf_to_gcrf
from stationsim.astro.propagate import APOGEE, PERIGEE, Numerical, OrbitState
from stationsim.astro.time import Epoch
from stationsim.errors import StationsimError

if TYPE_CHECKING:
    from stationsim.astro.atmosphere import DensityTable
    from stationsim.hardware.capsule import Capsule
    from stationsim.hardware.sites import LaunchSite
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.program.state import FlightRecord, SimState
    from stationsim.scenario.schema import Flight
    from stationsim.scenario.trajectory import Ascent, Burn, EntrySpec, Insertion, Trajectory

RULE_EVENTS = {"perigee": PERIGEE, "apogee": APOGEE}
"""Earth burn rules and the propagator event that places each."""
RULE_SEARCH_S = 2.0 * DAY_S  # a rule's apsis is looked for this far after the previous burn
ENTRY_SEARCH_S = 3.0 * DAY_S  # after the last burn, the coast to the entry interface


class MissionError(StationsimError):
    """A trajectory cannot be flown as written (names the flight and the reason)."""


@dataclass(frozen=True)
class MissionEvent:
    """One event of the flight: kind as in the results' events table, time, place, detail."""

    kind: str
    epoch: Epoch
    detail: str = ""
    lat_deg: float | None = None
    lon_deg: float | None = None


@dataclass(frozen=True)
class BurnDone:
    """A burn as flown: name, ignition, the impulse's time, velocity change and propellant."""

    name: str
    ignition: Epoch
    impulse: Epoch
    dv_mps: float
    propellant_kg: float


@dataclass(frozen=True)
class MissionResult:
    """The flight from its start to its landing (or to the end of its span in flight)."""

    start: OrbitState
    burns: list[BurnDone]
    events: list[MissionEvent]
    entry: EntryResult | None = None
    mass_kg: float = 0.0
    coast: list[OrbitState] = field(default_factory=list)

    @property
    def landing(self) -> MissionEvent | None:
        return next((e for e in self.events if e.kind == "land"), None)


# --- the start ----------------------------------------------------------------------------
def start_state(
    trajectory: Trajectory,
    launch: Epoch,
    site: LaunchSite | None = None,
) -> OrbitState:
    """The GCRF state a trajectory starts from (module doc); ``site`` for an ascent."""
    key = trajectory.start_key()
    start = trajectory.start
    if key == "insertion":
        return insertion_state(start, start.epoch(launch))
    if key == "elements":
        a_m = R_EARTH_M + 0.5 * (start.perigee_km + start.apogee_km) * KM
        e = (start.apogee_km - start.perigee_km) * KM / (2.0 * a_m)
        r_m, v_mps = elements_to_state(a_m, e, start.inclination_deg * DEG, start.raan_deg * DEG,
                                       start.arg_perigee_deg * DEG, start.true_anomaly_deg * DEG)
        return OrbitState(start.epoch(launch), np.asarray(r_m), np.asarray(v_mps))
    if key == "state":
        epoch = start.epoch(launch)
        r_m, v_mps = start.r_m, start.v_mps
        if start.frame == "mean-of-date":
            r_m, v_mps = mean_of_date_to_gcrf(r_m, v_mps, start.frame_epoch)
        return OrbitState(epoch, r_m, v_mps)
    if site is None:
        raise MissionError("an ascent starts from the flight's launch site: give site")
    return ascent_state(start, launch, site)


def insertion_state(insertion: Insertion, epoch: Epoch) -> OrbitState:
    """GCRF state of an insertion written as records print it: height, inertial speed,
    flight-path angle and heading (from true north, in the local horizontal plane normal to
    the geocentric radius) over a latitude and longitude. The velocity is space-fixed: it is
    built in the Earth-fixed axes of the instant and turned to GCRF without the omega x r of
    the Earth's rotation (NASA SP-4029 tables give space-fixed velocity, flight-path angle and
    heading)."""
    lon_rad = insertion.longitude_deg * DEG
    height_m = insertion.altitude_km * KM
    if insertion.latitude_deg is not None:
        r_itrf = geodetic_to_itrf(insertion.latitude_deg * DEG, lon_rad, height_m)
    else:  # geocentric latitude: the height added along the radius to the ellipsoid's
        lat_rad = insertion.geocentric_latitude_deg * DEG
        unit = np.array([math.cos(lat_rad) * math.cos(lon_rad),
                         math.cos(lat_rad) * math.sin(lon_rad), math.sin(lat_rad)])
        radius_m = 1.0 / math.sqrt((math.cos(lat_rad) / R_EARTH_M) ** 2
                                   + (math.sin(lat_rad) / R_POLAR_M) ** 2)
        r_itrf = unit * (radius_m + height_m)
    r_itrf = np.asarray(r_itrf, dtype=float)
    up = r_itrf / np.linalg.norm(r_itrf)
    east = np.cross([0.0, 0.0, 1.0], up)
    east /= np.linalg.norm(east)
    north = np.cross(up, east)
    gamma = insertion.flight_path_angle_deg * DEG
    heading = insertion.heading_deg * DEG
    speed = insertion.velocity_kmps * KM
    v_itrf_axes = speed * (math.sin(gamma) * up + math.cos(gamma) * (
        math.cos(heading) * north + math.sin(heading) * east))
    r_gcrf, _ = itrf_to_gcrf(r_itrf, np.zeros(3), epoch)
    v_gcrf, _ = itrf_to_gcrf(v_itrf_axes, np.zeros(3), epoch)  # axes only
    return OrbitState(epoch, np.asarray(r_gcrf).reshape(3), np.asarray(v_gcrf).reshape(3))


def mean_of_date_to_gcrf(
    r_m: ArrayLike,
    v_mps: ArrayLike,
    frame_epoch: str,
) -> tuple[np.ndarray, np.ndarray]:
    """Rotate a state from the mean equator and equinox of ``frame_epoch`` to GCRF: the
    IAU 2006 precession with the frame bias (ERFA ``pmat06``: GCRS to mean of date)."""
    import erfa

    from stationsim.scenario.trajectory import frame_epoch_jd

    matrix = erfa.pmat06(*frame_epoch_jd(frame_epoch))
    return matrix.T @ np.asarray(r_m, dtype=float), matrix.T @ np.asarray(v_mps, dtype=float)


def ascent_state(ascent: Ascent, launch: Epoch, site: LaunchSite) -> OrbitState:
    """The published orbit put in the plane through the site at lift-off (heading north-east,
    the ascending pass), inserted at perigee ``downrange_deg`` along the plane from the site
    ``get`` after lift-off (the site's inertial position at lift-off fixes the plane)."""
    from stationsim.ops.insertion import site_position_gcrf_m
    from stationsim.scenario.trajectory import get_s

    site_gcrf = np.asarray(site_position_gcrf_m(site, launch), dtype=float)
    u_site = site_gcrf / np.linalg.norm(site_gcrf)
    inclination = ascent.inclination_deg * DEG
    declination = math.asin(u_site[2])
    if abs(declination) > inclination + 1e-12:
        raise MissionError(f"the site at latitude {math.degrees(declination):.2f} deg lies "
                           f"outside an orbit of inclination {ascent.inclination_deg:g} deg")
    # argument of latitude of the site on the ascending pass, then the node's right ascension
    u_rad = math.asin(min(1.0, math.sin(declination) / math.sin(inclination)))
    site_ra = math.atan2(u_site[1], u_site[0])
    node_offset = math.atan2(math.cos(inclination) * math.sin(u_rad), math.cos(u_rad))
    raan = site_ra - node_offset
    a_m = R_EARTH_M + 0.5 * (ascent.perigee_km + ascent.apogee_km) * KM
    e = (ascent.apogee_km - ascent.perigee_km) * KM / (2.0 * a_m)
    u_insertion = u_rad + ascent.downrange_deg * DEG
    r_m, v_mps = elements_to_state(a_m, e, inclination, raan % (2.0 * math.pi),
                                   u_insertion % (2.0 * math.pi), 0.0)
    return OrbitState(launch + get_s(ascent.get), np.asarray(r_m), np.asarray(v_mps))


# --- burns --------------------------------------------------------------------------------
def burn_direction(
    r_m: ArrayLike,
    v_mps: ArrayLike,
    direction: str,
    pitch_rad: float,
) -> np.ndarray:
    """Unit thrust direction in GCRF: ``direction`` in the orbit frame of the central body,
    a prograde or retrograde thrust tilted by ``pitch_rad`` toward the body (positive) or
    away from it (negative). ``horizontal-prograde``/``-retrograde`` is the local horizontal
    in the orbit plane, the +X/-X axis of Apollo's local-vertical frame in which the ground
    read up a burn's external delta-v (Apollo 8 Flight Journal, MCC-5 maneuver PAD: "minus
    00050, plus all zeros, plus 00001", ft/s in X, Y, Z)."""
    r = np.asarray(r_m, dtype=float)
    v = np.asarray(v_mps, dtype=float)
    up = r / np.linalg.norm(r)
    normal = cross3(r, v)
    normal = normal / np.linalg.norm(normal)
    along = v / np.linalg.norm(v)
    horizontal = cross3(normal, up)
    base = {"prograde": along, "retrograde": -along, "radial-out": up, "radial-in": -up,
            "normal": normal, "anti-normal": -normal, "horizontal-prograde": horizontal,
            "horizontal-retrograde": -horizontal}[direction]
    if pitch_rad == 0.0:
        return base
    turned = math.cos(pitch_rad) * base - math.sin(pitch_rad) * up
    return turned / np.linalg.norm(turned)


def burn_size(burn: Burn, vehicle: VehicleType, mass_kg: float) -> tuple[float, float, float]:
    """(dv_mps, propellant_kg, duration_s) of a burn from ``mass_kg``: written delta-v (the
    rocket equation gives its propellant at the vehicle's Isp, none if unknown), or a
    duration at a thrust and Isp (the burn's own, else the vehicle's)."""
    isp_s = burn.isp_s or vehicle.isp_s
    if burn.dv_mps is not None:
        propellant = mass_kg * (1.0 - math.exp(-burn.dv_mps / (isp_s * G0_MPS2))) if isp_s else 0.0
        if propellant >= mass_kg:  # float rounding of a delta-v no craft can give
            raise MissionError(f"burn {burn.name!r} of {burn.dv_mps:g} m/s would burn the whole "
                               f"{mass_kg:.0f} kg craft at Isp {isp_s:g} s")
        thrust = burn.thrust_n or vehicle.thrust_n
        duration = propellant * isp_s * G0_MPS2 / thrust if thrust and isp_s else 0.0
        return burn.dv_mps, propellant, duration
    thrust_n = burn.thrust_n or vehicle.thrust_n
    propellant = thrust_n / (isp_s * G0_MPS2) * burn.duration_s
    if propellant >= mass_kg:
        raise MissionError(f"burn {burn.name!r} would use {propellant:.0f} kg, more than the "
                           f"{mass_kg:.0f} kg aboard")
    return isp_s * G0_MPS2 * math.log(mass_kg / (mass_kg - propellant)), propellant, (
        burn.duration_s)


# --- flying -------------------------------------------------------------------------------
@dataclass(frozen=True)
class FlightErrors:
    """Departures of one flown copy from the written flight (a campaign's sample), SI:
    the start state's error in its LVLH frame (x, y, z m, vx, vy, vz m/s), a factor on the
    air's density (orbit and entry), and per burn a proportional magnitude error and pointing
    errors about the two axes across the thrust (rad)."""

    start_lvlh: np.ndarray = field(default_factory=lambda: np.zeros(6))
    density_scale: float = 1.0
    burn_magnitude_frac: np.ndarray = field(default_factory=lambda: np.zeros(0))
    burn_pointing_rad: np.ndarray = field(default_factory=lambda: np.zeros((0, 2)))

    def burn(self, k: int) -> tuple[float, float, float]:
        """(magnitude fraction, pointing about the first and second transverse axis) of
        burn ``k`` (zero where none was drawn)."""
        fraction = float(self.burn_magnitude_frac[k]) if k < len(self.burn_magnitude_frac) else 0.0
        if k < len(self.burn_pointing_rad):
            return fraction, float(self.burn_pointing_rad[k][0]), float(
                self.burn_pointing_rad[k][1])
        return fraction, 0.0, 0.0


NO_ERRORS = FlightErrors()


def _pointed(unit: np.ndarray, r_m: np.ndarray, about_1_rad: float, about_2_rad: float):
    """``unit`` turned by small angles about two axes across it (one in the plane of
    ``unit`` and the radius, one normal to both)."""
    if about_1_rad == 0.0 and about_2_rad == 0.0:
        return unit
    side = np.cross(unit, r_m)
    side = side / np.linalg.norm(side)
    lift = np.cross(side, unit)
    turned = unit + about_1_rad * lift + about_2_rad * side
    return turned / np.linalg.norm(turned)


def fly_mission(
    flight: Flight, vehicle: VehicleType, launch: Epoch, end: Epoch, site: LaunchSite | None = None,
    capsules: Mapping[str, Capsule] | None = None, density_table: DensityTable | None = None,
    errors: FlightErrors = NO_ERRORS,
) -> MissionResult:
    """The whole flight of ``flight`` (its ``trajectory``), ``vehicle`` its catalog entry,
    launched at ``launch``; flown until landing or ``end``. ``capsules``: the capsule catalog
    (default: the bundled one); ``density_table``: the orbit's NRLMSIS table (default: the
    cached table of the flight's days); ``errors``: a dispersed copy's departures."""
    trajectory = flight.trajectory
    if trajectory.central_body != "earth" or trajectory.third_bodies:
        from stationsim.program.lunar_mission import fly_cislunar_mission

        return fly_cislunar_mission(flight, vehicle, launch, end, site, capsules)
    state = start_state(trajectory, launch, site)
    if np.any(errors.start_lvlh):
        from stationsim.astro.frames import lvlh_to_inertial

        r_m, v_mps = lvlh_to_inertial(state.r_m, state.v_mps, errors.start_lvlh[:3],
                                      errors.start_lvlh[3:])
        state = OrbitState(state.epoch, np.asarray(r_m).reshape(3), np.asarray(v_mps).reshape(3))
    if state.epoch.tt_s < launch.tt_s:
        raise MissionError(f"{flight.id}: the trajectory starts at {state.epoch.utc_iso(0)}, "
                           f"before the launch {launch.utc_iso(0)}")
    mass_kg = vehicle.dry_mass_kg + vehicle.propellant_mass_kg
    if density_table is None:
        from stationsim.program.density import station_density_table

        inclination = math.acos(float(np.clip(cross3(state.r_m, state.v_mps)[2] / np.linalg.norm(
            cross3(state.r_m, state.v_mps)), -1.0, 1.0)))
        density_table = station_density_table(state.epoch, end, inclination)
    if errors.density_scale != 1.0:
        density_table = density_table._replace(
            log_rho=density_table.log_rho + math.log(errors.density_scale))
    events = [_at("insertion", state, f"{trajectory.start_key()} of the trajectory")]
    burns: list[BurnDone] = []
    coast = [state]
    interface_m = trajectory.entry.interface_m if trajectory.entry is not None else 100e3
    for k, burn in enumerate(trajectory.burns):
        cd_am = vehicle.cd * vehicle.drag_area_m2 / mass_kg
        propagator = Numerical(state.epoch, state.r_m, state.v_mps, cd_am, density_table,
                               reentry_altitude_m=min(interface_m, 100e3))
        ignition = burn.epoch(launch)
        if ignition is None:
            ignition = _rule_time(propagator, burn, state.epoch, flight.id)
        dv_mps, propellant_kg, duration_s = burn_size(burn, vehicle, mass_kg)
        fraction, about_1_rad, about_2_rad = errors.burn(k)
        dv_mps *= 1.0 + fraction
        impulse = ignition + 0.5 * duration_s
        if impulse.tt_s < state.epoch.tt_s:
            raise MissionError(f"{flight.id}: burn {burn.name!r} at {ignition.utc_iso(0)} comes "
                               f"before the trajectory's state at {state.epoch.utc_iso(0)}")
        before = propagator.propagate_to(impulse)
        if before.epoch.tt_s < impulse.tt_s - 1e-6:
            raise MissionError(f"{flight.id}: the orbit re-entered at "
                               f"{before.epoch.utc_iso(0)}, before burn {burn.name!r}")
        unit = _pointed(burn_direction(before.r_m, before.v_mps, burn.direction, burn.pitch_rad),
                        before.r_m, about_1_rad, about_2_rad)
        state = OrbitState(before.epoch, before.r_m, before.v_mps + dv_mps * unit)
        mass_kg -= propellant_kg
        burns.append(BurnDone(burn.name, ignition, impulse, dv_mps, propellant_kg))
        where = _at("burn", before, "")
        events.append(MissionEvent("burn", ignition, f"{burn.name}: {dv_mps:.1f} m/s "
                                   f"{burn.direction}" + (f", pitch {burn.pitch_deg:g} deg"
                                                          if burn.pitch_deg else "")
                                   + (f", {duration_s:.1f} s" if duration_s else ""),
                                   where.lat_deg, where.lon_deg))
        coast.append(state)
    if trajectory.entry is None:
        return MissionResult(coast[0], burns, events, None, mass_kg, coast)
    spec = trajectory.entry
    capsule = entry_vehicle(spec, capsules)
    propagator = Numerical(state.epoch, state.r_m, state.v_mps,
                           vehicle.cd * vehicle.drag_area_m2 / mass_kg, density_table,
                           reentry_altitude_m=spec.interface_m)
    last = min(end.tt_s, state.epoch.tt_s + ENTRY_SEARCH_S)
    arrived = propagator.run(Epoch(np.empty(0)), until=Epoch(last))
    if arrived.reentry is None:
        return MissionResult(coast[0], burns, events, None, mass_kg, coast)
    at_interface = OrbitState(arrived.reentry.epoch, arrived.reentry.r_m, arrived.reentry.v_mps)
    flown = land(spec, capsule, at_interface, events, errors.density_scale)
    return MissionResult(coast[0], burns, events, flown, mass_kg, coast)


def land(
    spec: EntrySpec, capsule: EntryVehicle, at_interface: OrbitState, events: list,
    density_scale: float = 1.0,
) -> EntryResult:
    """Fly the entry section ``spec`` from the entry interface (GCRF) to touchdown, adding its
    events (entry, parachutes, land) to ``events``; ``density_scale`` scales the air's
    density (a dispersed copy's)."""
    bank = ConstantBank(spec.bank.bank_rad) if spec.bank.mode == "constant" else GuidedBank(
        spec.target.latitude_deg * DEG, spec.target.longitude_deg * DEG)
    flown = fly_entry(at_interface.epoch, at_interface.r_m, at_interface.v_mps, capsule, bank,
                      spec.interface_m, density_scale=density_scale)
    for point in flown.events:
        kind = {"entry interface": "entry", "peak deceleration": None, "0.05 g": None,
                "touchdown": "land"}.get(point.name, "parachute")
        if kind is None:
            continue
        detail = {"entry": f"entry interface, {spec.interface_km:g} km",
                  "land": f"touchdown ({capsule.mass_kg:.0f} kg capsule, peak "
                          f"{flown.peak_load_g:.1f} g)"}.get(kind, f"{point.name} deployed at "
                                                             f"{point.altitude_m / KM:.1f} km")
        events.append(MissionEvent(kind, point.epoch, detail, point.lat_deg, point.lon_deg))
    return flown


def _rule_time(propagator: Numerical, burn, after: Epoch, flight_id: str) -> Epoch:
    if burn.at not in RULE_EVENTS:
        raise MissionError(f"{flight_id}: burn {burn.name!r} at {burn.at} is a lunar rule, "
                           "flown by the lunar propagation, which this build does not have")
    found = propagator.events(after + RULE_SEARCH_S, [RULE_EVENTS[burn.at]])
    found = [event for event in found if event.spec is not None
             and event.epoch.tt_s > after.tt_s + 1.0]
    if not found:
        raise MissionError(f"{flight_id}: no {burn.at} within {RULE_SEARCH_S / DAY_S:g} days "
                           f"after {after.utc_iso(0)} for burn {burn.name!r}")
    return found[0].epoch


def entry_vehicle(spec: EntrySpec, capsules: Mapping[str, Capsule] | None = None) -> EntryVehicle:
    """The :class:`EntryVehicle` of an entry section: its catalog capsule or written aero,
    with the written mass if any."""
    if spec.aero is not None:
        aero = spec.aero
        chutes = tuple(Parachute(p.name, p.altitude_km * KM, p.cd_area_m2)
                       for p in aero.parachutes)
        vehicle = EntryVehicle(aero.mass_kg, aero.area_m2, aero.cd, aero.lift_to_drag, chutes)
    else:
        from stationsim.hardware.capsule import capsule_catalog

        vehicle = (capsules or capsule_catalog())[spec.capsule].entry_vehicle()
    if spec.mass_kg is not None:
        vehicle = EntryVehicle(spec.mass_kg, vehicle.area_m2, vehicle.cd, vehicle.lift_to_drag,
                               vehicle.parachutes)
    return vehicle


def track_arrays(states: list[OrbitState]) -> tuple[np.ndarray, np.ndarray]:
    """TT seconds and GCRF states (N, 6) of a flight's coast, in time order, one per instant."""
    t_s = np.array([s.epoch.tt_s for s in states])
    rows = np.array([np.concatenate([s.r_m, s.v_mps]) for s in states]).reshape(-1, 6)
    order = np.argsort(t_s, kind="stable")
    t_s, rows = t_s[order], rows[order]
    later = np.concatenate([[True], np.diff(t_s) > 0.0])
    return t_s[later], rows[later]


def _at(kind: str, state: OrbitState, detail: str) -> MissionEvent:
    from stationsim.astro.frames import subpoint

    lat, lon, _ = subpoint(state.r_m, state.epoch)
    return MissionEvent(kind, state.epoch, detail, float(np.degrees(lat)), float(np.degrees(lon)))


# --- the engine's process -----------------------------------------------------------------
def fly_trajectory(
    state: SimState,
    flight: Flight,
    vehicle: VehicleType,
    record: FlightRecord,
) -> ProcessGenerator:
    """The engine's process for a flight with a trajectory, from its launch (``state``: the
    run's :class:`stationsim.program.state.SimState`): each event of :func:`fly_mission`
    logged at its time, each burn a manoeuvre; the flight's record lands at touchdown."""
    from stationsim.program.state import LogEvent, Maneuver

    site = state.catalog.site(flight.site) if flight.site else None
    result = fly_mission(flight, vehicle, Epoch(state.env.now), Epoch(state.end_s), site)
    state.free_tracks[flight.id] = track_arrays(result.coast)
    events = result.events
    if flight.trajectory.sortie is not None:  # the lunar module's descent and return
        from stationsim.program.sortie_flight import sortie_events

        events = sorted(events + sortie_events(flight, Epoch(state.env.now)),
                        key=lambda e: e.epoch.tt_s)
    burns = iter(result.burns)
    for event in events:
        if event.epoch.tt_s > state.end_s:
            break
        yield state.wait_until(event.epoch.tt_s)
        state.events.append(LogEvent(state.env.now, event.kind, flight.id, detail=event.detail,
                                     lat_deg=event.lat_deg, lon_deg=event.lon_deg))
        if event.kind == "burn":
            done = next(burns)
            state.maneuvers.append(Maneuver(done.ignition.tt_s, flight.id, vehicle.name,
                                            done.name, done.dv_mps, done.propellant_kg))
        if event.kind == "land":
            record.land_s = state.env.now
            record.outcome = "landed"
    if record.land_s is None:
        record.outcome = "in flight"
