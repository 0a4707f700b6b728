"""Impulsive manoeuvres: burns in LVLH and VNB, Hohmann, bi-elliptic, phasing, plane changes,
and the rocket equation.

SI throughout (m, m/s, s, rad, kg). Transfers are between circular, coplanar orbits unless the
name says otherwise (Vallado, *Fundamentals of Astrodynamics and Applications*, 4th ed., ch. 6).
Every function broadcasts over arrays of radii, angles and masses.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import G0_MPS2, GM_EARTH_M3PS2
from stationsim.astro.elements import TWO_PI, finite_array, positive_array, vector_array
from stationsim.astro.frames import lvlh_matrix


class Hohmann(NamedTuple):
    """Hohmann transfer: burns along the velocity (negative = retrograde, when lowering)."""

    dv1_mps: np.ndarray
    dv2_mps: np.ndarray
    dv_total_mps: np.ndarray  # |dv1| + |dv2|
    transfer_time_s: np.ndarray  # half the transfer ellipse's period
    a_transfer_m: np.ndarray


class BiElliptic(NamedTuple):
    """Bi-elliptic transfer through an intermediate apoapsis: three tangential burns."""

    dv1_mps: np.ndarray
    dv2_mps: np.ndarray
    dv3_mps: np.ndarray
    dv_total_mps: np.ndarray  # |dv1| + |dv2| + |dv3|
    transfer_time_s: np.ndarray  # two half ellipses
    a_transfer1_m: np.ndarray
    a_transfer2_m: np.ndarray


class Phasing(NamedTuple):
    """Co-orbital phasing: leave the circle, fly whole revolutions of a phasing ellipse, return."""

    a_phasing_m: np.ndarray
    periapsis_m: np.ndarray
    apoapsis_m: np.ndarray
    dv1_mps: np.ndarray  # along the velocity: negative to drop into a faster, lower ellipse
    dv_total_mps: np.ndarray  # 2 |dv1|
    duration_s: np.ndarray  # revolutions x phasing period


class CombinedPlaneChange(NamedTuple):
    """Hohmann transfer that also turns the plane, split ``split`` : 1 - split between burns."""

    dv1_mps: np.ndarray
    dv2_mps: np.ndarray
    dv_total_mps: np.ndarray
    split: np.ndarray  # fraction of delta_i_rad taken at the first burn
    transfer_time_s: np.ndarray


def _mu(mu_m3ps2: float) -> float:
    return float(positive_array("mu_m3ps2", mu_m3ps2))


def circular_speed_mps(radius_m: ArrayLike, mu_m3ps2: float = GM_EARTH_M3PS2) -> np.ndarray:
    """Speed on a circular orbit of radius ``radius_m``: sqrt(mu / r), m/s."""
    return np.sqrt(_mu(mu_m3ps2) / positive_array("radius_m", radius_m))


def vis_viva_speed_mps(
    radius_m: ArrayLike,
    a_m: ArrayLike,
    mu_m3ps2: float = GM_EARTH_M3PS2,
) -> np.ndarray:
    """Speed at ``radius_m`` on a conic of semi-major axis ``a_m`` (vis-viva), m/s."""
    radius = positive_array("radius_m", radius_m)
    a = finite_array("a_m", a_m)
    return np.sqrt(_mu(mu_m3ps2) * (2.0 / radius - 1.0 / a))


def _half_period_s(a_m, mu: float) -> np.ndarray:
    return np.pi * np.sqrt(a_m**3 / mu)


def vnb_matrix(r_m: ArrayLike, v_mps: ArrayLike) -> np.ndarray:
    """Rotation from inertial to VNB at (r, v): rows V = v/|v|, N = h/|h|, B = V x N.

    Vallado 4th ed. ch. 3 (satellite coordinate systems); shape (..., 3, 3).
    """
    r = vector_array("r_m", r_m)
    v = vector_array("v_mps", v_mps)
    h = np.cross(r, v)
    v_hat = v / np.linalg.norm(v, axis=-1, keepdims=True)
    n_hat = h / np.linalg.norm(h, axis=-1, keepdims=True)
    return np.stack(np.broadcast_arrays(v_hat, n_hat, np.cross(v_hat, n_hat)), axis=-2)


def _apply_impulse(matrix: np.ndarray, v_mps: np.ndarray, dv_local_mps) -> np.ndarray:
    dv_local = vector_array("dv_mps", dv_local_mps)
    return v_mps + np.einsum("...ji,...j->...i", matrix, dv_local)


def apply_impulse_lvlh(
    r_m: ArrayLike,
    v_mps: ArrayLike,
    dv_lvlh_mps: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """State just after an impulse given in the vehicle's own LVLH frame (x V-bar, z R-bar).

    Returns (r_m, v_mps) in the inertial frame of the input; position is unchanged.
    """
    v = vector_array("v_mps", v_mps)
    r = vector_array("r_m", r_m)
    return np.broadcast_to(r, np.broadcast_shapes(r.shape, v.shape)).copy(), _apply_impulse(
        lvlh_matrix(r, v), v, dv_lvlh_mps
    )


def apply_impulse_vnb(
    r_m: ArrayLike,
    v_mps: ArrayLike,
    dv_vnb_mps: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """State just after an impulse given in VNB (see :func:`vnb_matrix`); (r_m, v_mps)."""
    v = vector_array("v_mps", v_mps)
    r = vector_array("r_m", r_m)
    return np.broadcast_to(r, np.broadcast_shapes(r.shape, v.shape)).copy(), _apply_impulse(
        vnb_matrix(r, v), v, dv_vnb_mps
    )


def hohmann(
    r_initial_m: ArrayLike,
    r_final_m: ArrayLike,
    mu_m3ps2: float = GM_EARTH_M3PS2,
) -> Hohmann:
    """Hohmann transfer between coplanar circles (Vallado 4th ed. Alg. 36, Example 6-1)."""
    mu = _mu(mu_m3ps2)
    r1 = positive_array("r_initial_m", r_initial_m)
    r2 = positive_array("r_final_m", r_final_m)
    a_transfer = 0.5 * (r1 + r2)
    dv1 = vis_viva_speed_mps(r1, a_transfer, mu) - circular_speed_mps(r1, mu)
    dv2 = circular_speed_mps(r2, mu) - vis_viva_speed_mps(r2, a_transfer, mu)
    return Hohmann(dv1, dv2, np.abs(dv1) + np.abs(dv2), _half_period_s(a_transfer, mu),
                   a_transfer)


def bielliptic(
    r_initial_m: ArrayLike,
    r_intermediate_m: ArrayLike,
    r_final_m: ArrayLike,
    mu_m3ps2: float = GM_EARTH_M3PS2,
) -> BiElliptic:
    """Bi-elliptic transfer via apoapsis ``r_intermediate_m`` (Vallado 4th ed. Alg. 37, Ex. 6-2)."""
    mu = _mu(mu_m3ps2)
    r1 = positive_array("r_initial_m", r_initial_m)
    rb = positive_array("r_intermediate_m", r_intermediate_m)
    r2 = positive_array("r_final_m", r_final_m)
    if np.any(rb < np.maximum(r1, r2)):
        raise ValueError(
            f"r_intermediate_m must be >= both end radii, got {r_intermediate_m!r}"
        )
    a1 = 0.5 * (r1 + rb)
    a2 = 0.5 * (rb + r2)
    dv1 = vis_viva_speed_mps(r1, a1, mu) - circular_speed_mps(r1, mu)
    dv2 = vis_viva_speed_mps(rb, a2, mu) - vis_viva_speed_mps(rb, a1, mu)
    dv3 = circular_speed_mps(r2, mu) - vis_viva_speed_mps(r2, a2, mu)
    return BiElliptic(dv1, dv2, dv3, np.abs(dv1) + np.abs(dv2) + np.abs(dv3),
                      _half_period_s(a1, mu) + _half_period_s(a2, mu), a1, a2)


def phasing(
    radius_m: ArrayLike, target_lead_rad: ArrayLike, revs: ArrayLike,
    target_revs: ArrayLike | None = None, mu_m3ps2: float = GM_EARTH_M3PS2,
) -> Phasing:
    """Catch up a co-orbital target on a circle in ``revs`` revolutions of a phasing ellipse.

    Vallado 4th ed. sec. 6.6, Alg. 44 (his phase angle theta is -target_lead_rad). In the
    same time the target flies ``target_revs`` revolutions (default ``revs``) minus its lead.
    With equal revolutions, a target ahead (``target_lead_rad`` > 0) means a lower, faster
    ellipse (retrograde burn, dv1_mps < 0) and a target behind a higher one. Both burns happen
    at the same point of the circle. The periapsis may lie inside the planet: check it.
    """
    mu = _mu(mu_m3ps2)
    radius = positive_array("radius_m", radius_m)
    lead = finite_array("target_lead_rad", target_lead_rad)
    interceptor_revs = positive_array("revs", revs)
    k_target = interceptor_revs if target_revs is None else positive_array("target_revs",
                                                                           target_revs)
    n_target = np.sqrt(mu / radius**3)
    duration = (TWO_PI * k_target - lead) / n_target
    if np.any(duration <= 0.0):
        raise ValueError(f"target_lead_rad {target_lead_rad!r} is more than target_revs turns")
    period_phasing = duration / interceptor_revs
    a_phasing = np.cbrt(mu * (period_phasing / TWO_PI) ** 2)
    other_apsis = 2.0 * a_phasing - radius
    if np.any(other_apsis <= 0.0):
        raise ValueError(
            f"no phasing ellipse: target_lead_rad {target_lead_rad!r} in {revs!r} revs needs "
            "a degenerate orbit; use more revs"
        )
    dv1 = vis_viva_speed_mps(radius, a_phasing, mu) - circular_speed_mps(radius, mu)
    return Phasing(a_phasing, np.minimum(radius, other_apsis), np.maximum(radius, other_apsis),
                   dv1, 2.0 * np.abs(dv1), duration)


def plane_change_dv_mps(
    speed_mps: ArrayLike,
    delta_i_rad: ArrayLike,
    flight_path_angle_rad: ArrayLike = 0.0,
) -> np.ndarray:
    """Delta-v to turn the orbit plane by ``delta_i_rad`` at constant speed, m/s.

    2 v cos(fpa) sin(di/2) at a node (Vallado 4th ed. Alg. 39, Example 6-4); the burn is
    smallest where the speed is lowest (apoapsis).
    """
    speed = finite_array("speed_mps", speed_mps)
    if np.any(speed < 0.0):
        raise ValueError(f"speed_mps must be >= 0, got {speed_mps!r}")
    angle = finite_array("delta_i_rad", delta_i_rad)
    fpa = finite_array("flight_path_angle_rad", flight_path_angle_rad)
    return 2.0 * speed * np.cos(fpa) * np.abs(np.sin(0.5 * angle))


def combined_burn_dv_mps(
    speed_before_mps: ArrayLike,
    speed_after_mps: ArrayLike,
    delta_i_rad: ArrayLike,
) -> np.ndarray:
    """One burn that changes speed and turns the plane by ``delta_i_rad`` (law of cosines), m/s.

    Vallado 4th ed. sec. 6.4 (combined changes to a and i), written as
    (v1 - v2)^2 + 4 v1 v2 sin^2(di / 2): the textbook's v1^2 + v2^2 - 2 v1 v2 cos(di) cancels,
    giving 0 for a 1e-8 rad turn at 7.7 km/s (77 um/s) and a 1e-5 m/s error on a cm/s burn.
    """
    v1 = finite_array("speed_before_mps", speed_before_mps)
    v2 = finite_array("speed_after_mps", speed_after_mps)
    angle = finite_array("delta_i_rad", delta_i_rad)
    half_turn = np.sin(0.5 * angle)
    return np.sqrt(np.maximum((v1 - v2) ** 2 + 4.0 * v1 * v2 * half_turn * half_turn, 0.0))


def combined_plane_change(
    r_initial_m: ArrayLike, r_final_m: ArrayLike, delta_i_rad: ArrayLike,
    mu_m3ps2: float = GM_EARTH_M3PS2, split: ArrayLike | None = None,
) -> CombinedPlaneChange:
    """Hohmann transfer that also changes inclination by ``delta_i_rad`` (Vallado 4th ed. 6.4.3).

    Each burn turns the plane by part of ``delta_i_rad`` (``split`` at the first); with
    ``split=None`` the split minimising the total is found by golden-section search (to 1e-12),
    Vallado's minimum combined plane change (Alg. 42, Example 6-7).
    """
    mu = _mu(mu_m3ps2)
    transfer = hohmann(r_initial_m, r_final_m, mu)
    r1 = positive_array("r_initial_m", r_initial_m)
    r2 = positive_array("r_final_m", r_final_m)
    angle = finite_array("delta_i_rad", delta_i_rad)
    v_circle1, v_circle2 = circular_speed_mps(r1, mu), circular_speed_mps(r2, mu)
    v_transfer1 = vis_viva_speed_mps(r1, transfer.a_transfer_m, mu)
    v_transfer2 = vis_viva_speed_mps(r2, transfer.a_transfer_m, mu)

    def burns(fraction):
        return (combined_burn_dv_mps(v_circle1, v_transfer1, fraction * angle),
                combined_burn_dv_mps(v_transfer2, v_circle2, (1.0 - fraction) * angle))

    def total(fraction):
        first, second = burns(fraction)
        return first + second

    if split is None:
        shape = np.broadcast_shapes(np.shape(v_circle1), np.shape(v_circle2), angle.shape)
        low, high = np.zeros(shape), np.ones(shape)
        ratio = 0.5 * (np.sqrt(5.0) - 1.0)
        while np.any(high - low > 1e-12):
            left = high - ratio * (high - low)
            right = low + ratio * (high - low)
            left_better = total(left) < total(right)
            high = np.where(left_better, right, high)
            low = np.where(left_better, low, left)
        fraction = 0.5 * (low + high)
    else:
        fraction = finite_array("split", split)
        if np.any((fraction < 0.0) | (fraction > 1.0)):
            raise ValueError(f"split must be in [0, 1], got {split!r}")
    dv1, dv2 = burns(fraction)
    return CombinedPlaneChange(dv1, dv2, dv1 + dv2, fraction, transfer.transfer_time_s)


def _rocket_inputs(isp_s, initial_mass_kg) -> tuple[np.ndarray, np.ndarray]:
    return positive_array("isp_s", isp_s) * G0_MPS2, positive_array("initial_mass_kg",
                                                                    initial_mass_kg)


def propellant_mass_kg(
    dv_mps: ArrayLike,
    isp_s: ArrayLike,
    initial_mass_kg: ArrayLike,
) -> np.ndarray:
    """Propellant burnt for ``dv_mps``: m0 (1 - exp(-dv / (Isp g0))) (Tsiolkovsky), kg."""
    dv = finite_array("dv_mps", dv_mps)
    if np.any(dv < 0.0):
        raise ValueError(f"dv_mps must be >= 0, got {dv_mps!r}")
    exhaust_speed, mass = _rocket_inputs(isp_s, initial_mass_kg)
    return mass * -np.expm1(-dv / exhaust_speed)


def dv_from_propellant_mps(
    propellant_kg: ArrayLike,
    isp_s: ArrayLike,
    initial_mass_kg: ArrayLike,
) -> np.ndarray:
    """Delta-v from burning ``propellant_kg`` out of ``initial_mass_kg``: Isp g0 ln(m0/m1), m/s."""
    propellant = finite_array("propellant_kg", propellant_kg)
    exhaust_speed, mass = _rocket_inputs(isp_s, initial_mass_kg)
    if np.any((propellant < 0.0) | (propellant >= mass)):
        raise ValueError(
            f"propellant_kg must be in [0, initial_mass_kg), got {propellant_kg!r} of "
            f"{initial_mass_kg!r}"
        )
    return -exhaust_speed * np.log1p(-propellant / mass)
