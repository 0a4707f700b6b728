"""Station keeping: reboosts that keep the mean altitude in a band, and deorbit burn sequences.

Mean altitude is the semi-major axis, averaged over one revolution (which removes J2's
short-period ~10 km swing), minus the WGS-84 equatorial radius. A reboost is a Hohmann pair
(Vallado 4th ed. Alg. 36) from the current mean altitude to the top of the band, flown by the
engine of highest Isp among those given that still has the propellant. Deorbit lowers perigee
at successive apogees, then times a last retro burn so that the entry interface (120 km above
WGS-84) falls closest to the aim point; below the interface drag moves the impact point
downrange by hundreds of km, which this plan does not model.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.atmosphere import exponential_table
from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.forces import altitude_m
from stationsim.astro.frames import lvlh_matrix, subpoint
from stationsim.astro.maneuvers import hohmann, propellant_mass_kg, vis_viva_speed_mps
from stationsim.astro.propagate import Numerical, OrbitState, Propagator, TwoBody
from stationsim.astro.time import Epoch
from stationsim.hardware.vehicle import VehicleType
from stationsim.ops.rendezvous import GROUND, Burn, OrbitModel

ENTRY_INTERFACE_ALT_M = 120.0e3  # the usual entry-interface height (NASA entry convention)
SAMPLES_PER_REVOLUTION = 32
SEARCH_STEP_S = 300.0  # the last burn's epoch is scanned on this grid, then refined


@dataclass(frozen=True)
class Engine:
    """A propulsion system that can push the station: a docked vehicle's or a module's."""

    name: str
    isp_s: float
    propellant_kg: float

    def __post_init__(self):
        if not (self.isp_s > 0.0 and self.propellant_kg >= 0.0):
            raise ValueError(f"engine {self.name!r}: isp_s={self.isp_s!r} must be > 0 and "
                             f"propellant_kg={self.propellant_kg!r} >= 0")

    @classmethod
    def of_vehicle(cls, vehicle: VehicleType, propellant_kg: float | None = None) -> Engine:
        """A docked vehicle's engine, with its full load unless ``propellant_kg`` is given."""
        left = vehicle.propellant_mass_kg if propellant_kg is None else propellant_kg
        return cls(vehicle.name, vehicle.isp_s, left)

    def propellant_for_dv_kg(self, dv_mps: float, mass_kg: float) -> float:
        """Tsiolkovsky: m0 (1 - exp(-dv / (Isp g0))), kg."""
        return float(propellant_mass_kg(dv_mps, self.isp_s, mass_kg))


def _period_s(r_m, v_mps) -> float:
    radius_m = float(np.linalg.norm(r_m))
    a_m = 1.0 / (2.0 / radius_m - float(np.dot(v_mps, v_mps)) / GM_EARTH_M3PS2)
    return 2.0 * math.pi * math.sqrt(a_m**3 / GM_EARTH_M3PS2)


def mean_altitude_m(propagator: Propagator, epoch: Epoch) -> float:
    """Semi-major axis averaged over the revolution starting at ``epoch``, minus R_EARTH_M."""
    r_m, v_mps = propagator.states(epoch)
    period_s = _period_s(r_m, v_mps)
    epochs = epoch + np.linspace(0.0, period_s, SAMPLES_PER_REVOLUTION, endpoint=False)
    r_all, v_all = propagator.states(epochs)
    radius_m = np.linalg.norm(r_all, axis=-1)
    a_m = 1.0 / (2.0 / radius_m - np.sum(v_all * v_all, axis=-1) / GM_EARTH_M3PS2)
    return float(np.mean(a_m)) - R_EARTH_M


def _impulse(engine: Engine, epoch: Epoch, name: str, r_m, v_mps, dv_inertial, mass_kg: float):
    dv_lvlh = lvlh_matrix(r_m, v_mps) @ dv_inertial
    propellant_kg = engine.propellant_for_dv_kg(float(np.linalg.norm(dv_inertial)), mass_kg)
    return Burn(epoch, name, dv_lvlh, propellant_kg, GROUND), v_mps + dv_inertial


def reboost_burns(
    epoch0: Epoch, r0_m: ArrayLike, v0_mps: ArrayLike, until: Epoch, low_alt_m: float,
    high_alt_m: float, stack_mass_kg: float, engines: list[Engine], model: OrbitModel,
    check_every_s: float = 21600.0,
) -> list[Burn]:
    """Reboosts keeping the mean altitude within [low_alt_m, high_alt_m] from epoch0 to until.

    The orbit (GCRF state at ``epoch0``) flies in ``model`` (with drag, e.g. a Numerical
    factory, for decay to happen); every ``check_every_s`` the mean altitude is checked and,
    below ``low_alt_m``, a Hohmann pair raises it to ``high_alt_m`` (burns named
    ``reboost-1``/``reboost-2``, dv in the station's LVLH). Raises ValueError if no engine has
    the propellant.
    """
    if not (0.0 < low_alt_m < high_alt_m):
        raise ValueError(f"need 0 < low_alt_m < high_alt_m, got {low_alt_m!r}, {high_alt_m!r}")
    if not (math.isfinite(check_every_s) and check_every_s > 0.0):
        raise ValueError(f"check_every_s must be > 0, got {check_every_s!r}")
    left_kg = {engine.name: engine.propellant_kg for engine in engines}
    burns: list[Burn] = []
    epoch, r_m, v_mps, mass_kg = epoch0, np.asarray(r0_m, float), np.asarray(v0_mps, float), float(
        stack_mass_kg)
    orbit = model(epoch, r_m, v_mps)
    check = epoch
    while check < until:
        altitude_m = mean_altitude_m(orbit, check)
        if altitude_m < low_alt_m:
            transfer = hohmann(R_EARTH_M + altitude_m, R_EARTH_M + high_alt_m)
            total_mps = float(transfer.dv_total_mps)
            usable = [e for e in sorted(engines, key=lambda e: -e.isp_s)
                      if e.propellant_for_dv_kg(total_mps, mass_kg) <= left_kg[e.name]]
            if not usable:
                raise ValueError(
                    f"reboost at {check.utc_iso()} needs {total_mps:.1f} m/s; no engine has the "
                    f"propellant left ({left_kg})"
                )
            engine = usable[0]
            r_m, v_mps = orbit.states(check)
            for name, dv_mps, wait_s in (("reboost-1", float(transfer.dv1_mps),
                                          float(transfer.transfer_time_s)),
                                         ("reboost-2", float(transfer.dv2_mps), 0.0)):
                along = v_mps / np.linalg.norm(v_mps)
                burn, v_mps = _impulse(engine, check, name, r_m, v_mps, dv_mps * along, mass_kg)
                burns.append(burn)
                left_kg[engine.name] -= burn.propellant_kg
                mass_kg -= burn.propellant_kg
                orbit = model(check, r_m, v_mps)
                if wait_s:
                    check = check + wait_s
                    r_m, v_mps = orbit.states(check)
        check = check + check_every_s
    return burns


@dataclass(frozen=True)
class DeorbitPlan:
    """Deorbit burns and where the trajectory crosses the entry interface."""

    burns: list[Burn]
    entry_epoch: Epoch
    entry_latitude_rad: float
    entry_longitude_rad: float
    miss_m: float
    propellant_kg: float


def _heights_m(r_m: np.ndarray) -> np.ndarray:
    """Height above WGS-84 of GCRF positions (..., 3), m (astro.forces.altitude_m; Earth
    rotation does not change it)."""
    rows = np.reshape(r_m, (-1, 3))
    return np.array([altitude_m(x, y, z) for x, y, z in rows]).reshape(np.shape(r_m)[:-1])


def _entry(orbit: Propagator, after: Epoch, horizon_s: float):
    """First crossing of the entry interface (epoch, lat, lon) within horizon_s, or None."""
    offsets_s = np.linspace(0.0, horizon_s, 61)
    r_m, _ = orbit.states(after + offsets_s)
    below = np.flatnonzero(_heights_m(r_m) < ENTRY_INTERFACE_ALT_M)
    if not below.size or below[0] == 0:
        return None
    lo_s, hi_s = offsets_s[below[0] - 1], offsets_s[below[0]]
    while hi_s - lo_s > 0.01:  # bisection to 10 ms, ~80 m along the track
        mid_s = 0.5 * (lo_s + hi_s)
        if _heights_m(orbit.states(after + mid_s)[0]) < ENTRY_INTERFACE_ALT_M:
            hi_s = mid_s
        else:
            lo_s = mid_s
    when = after + hi_s
    lat, lon, _ = subpoint(orbit.states(when)[0], when)
    return when, float(lat), float(lon)


def ground_impact(state: OrbitState, cd_area_over_mass_m2pkg: float) -> OrbitState | None:
    """Where a body falling intact from ``state`` (below orbit) meets the ground: the far end
    of a break-up's debris footprint, its fragments (of higher area to mass) falling short.

    Propagated with its Cd*A/m through the exponential atmosphere of Vallado 4th ed. Table 8-4
    (US Standard Atmosphere 1976 below 150 km), which reaches the ground where the orbit's
    NRLMSIS tables end. None if it stays up for a day.
    """
    fall = Numerical(state.epoch, state.r_m, state.v_mps, cd_area_over_mass_m2pkg,
                     exponential_table(), reentry_altitude_m=0.0)
    result = fall.run(state.epoch + DAY_S)
    return None if result.reentry is None else result.stop


def great_circle_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Haversine distance on a sphere of R_EARTH_M, m."""
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2.0 * R_EARTH_M * math.asin(min(1.0, math.sqrt(h)))


def plan_deorbit(
    epoch0: Epoch, r0_m: ArrayLike, v0_mps: ArrayLike, mass_kg: float, engine: Engine,
    aim_latitude_rad: float, aim_longitude_rad: float, perigee_steps_alt_m: tuple[float, ...] = (),
    final_perigee_alt_m: float = 0.0, search_s: float = 86400.0, model: OrbitModel = TwoBody,
) -> DeorbitPlan:
    """Retro burns from the orbit (GCRF at ``epoch0``) to an entry near the aim point.

    ``perigee_steps_alt_m``: perigee altitudes reached by burns at successive apogees first
    (Mir, 2001: two lowering burns, then the deorbit burn). The last burn, within ``search_s``
    of the previous one, lowers the perigee to ``final_perigee_alt_m`` and is timed to put the
    entry interface crossing nearest (aim_latitude_rad, aim_longitude_rad). Arcs fly in
    ``model`` (two-body by default: a few hours, where drag and J2 move the entry by ~10 km).
    """
    if not (math.isfinite(search_s) and search_s > 0.0):
        raise ValueError(f"search_s must be > 0, got {search_s!r}")
    burns: list[Burn] = []
    epoch, r_m, v_mps, mass = epoch0, np.asarray(r0_m, float), np.asarray(v0_mps, float), mass_kg
    orbit = model(epoch, r_m, v_mps)

    def retro_to_perigee(r, v, perigee_alt_m):
        radius_m = float(np.linalg.norm(r))
        a_m = 0.5 * (radius_m + R_EARTH_M + perigee_alt_m)
        speed_mps = float(vis_viva_speed_mps(radius_m, a_m))
        return v / np.linalg.norm(v) * speed_mps - v

    for index, perigee_alt_m in enumerate(perigee_steps_alt_m, start=1):
        period_s = _period_s(r_m, v_mps)
        grid = epoch + np.linspace(0.0, period_s, 181)
        r_grid, _ = orbit.states(grid)
        k = int(np.argmax(np.linalg.norm(r_grid, axis=-1)))
        epoch = grid[k]
        r_m, v_mps = orbit.states(epoch)
        burn, v_mps = _impulse(engine, epoch, f"deorbit-{index}", r_m, v_mps,
                               retro_to_perigee(r_m, v_mps, perigee_alt_m), mass)
        burns.append(burn)
        mass -= burn.propellant_kg
        orbit = model(epoch, r_m, v_mps)

    def entry_after_burn(offset_s: float):
        when = epoch + offset_s
        r_b, v_b = orbit.states(when)
        v_after = v_b + retro_to_perigee(r_b, v_b, final_perigee_alt_m)
        return when, r_b, v_b, v_after, _entry(model(when, r_b, v_after), when, 0.75 * _period_s(
            r_b, v_after))

    def miss(offset_s: float) -> float:
        hit = entry_after_burn(offset_s)[4]
        if hit is None:
            return 4.0e7
        return great_circle_m(hit[1], hit[2], aim_latitude_rad, aim_longitude_rad)

    offsets_s = np.arange(0.0, search_s, SEARCH_STEP_S)
    coarse = np.array([miss(s) for s in offsets_s])
    k = int(np.argmin(coarse))
    from scipy.optimize import minimize_scalar  # ~0.7 s to import: only this search needs it

    best = minimize_scalar(miss, bounds=(max(0.0, offsets_s[k] - SEARCH_STEP_S),
                                         offsets_s[k] + SEARCH_STEP_S),
                           method="bounded", options={"xatol": 0.05})
    when, r_b, v_b, v_after, hit = entry_after_burn(float(best.x))
    if hit is None:
        raise ValueError(f"final_perigee_alt_m={final_perigee_alt_m} never reaches the entry "
                         f"interface at {ENTRY_INTERFACE_ALT_M / 1e3:.0f} km")
    burn, _ = _impulse(engine, when, "deorbit", r_b, v_b, v_after - v_b, mass)
    burns.append(burn)
    propellant_kg = sum(b.propellant_kg for b in burns)
    if propellant_kg > engine.propellant_kg:
        raise ValueError(f"the deorbit needs {propellant_kg:.0f} kg of propellant; "
                         f"{engine.name!r} carries {engine.propellant_kg:.0f} kg")
    return DeorbitPlan(burns, hit[0], hit[1], hit[2], float(best.fun), propellant_kg)
