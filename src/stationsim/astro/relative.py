"""Linearised relative motion in the target's LVLH frame: Clohessy-Wiltshire and Yamanaka-Ankersen.

Frame (see :mod:`stationsim.astro.frames`): +x V-bar (along the velocity), +z R-bar (toward
Earth's centre), +y = -orbit normal; relative velocity taken in the rotating frame. The state is
(rho_m, rho_dot_mps), each (..., 3); a 6x6 state transition matrix acts on [rho, rho_dot].
In these axes the Clohessy-Wiltshire equations read (Fehse, *Automated Rendezvous and Docking of
Spacecraft*, 2003, ch. 3)::

    x'' = 2 n z',    y'' = -n^2 y,    z'' = 3 n^2 z - 2 n x'

Linearisation error grows as separation^2 / orbit radius: at 100 m, 3 cm (at rest on V-bar) to
0.2 m (moving at 4 cm/s) after one LEO orbit.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import GM_EARTH_M3PS2
from stationsim.astro.elements import (
    finite_array,
    mean_motion_radps,
    mean_to_true,
    positive_array,
    state_to_elements,
    true_to_mean,
    vector_array,
)


def _apply(stm: np.ndarray, rho_m: np.ndarray, rho_dot_mps: np.ndarray):
    state = np.concatenate(np.broadcast_arrays(rho_m, rho_dot_mps), axis=-1)
    out = np.einsum("...ij,...j->...i", stm, state)
    return out[..., :3], out[..., 3:]


def cw_stm(n_radps: ArrayLike, dt_s: ArrayLike) -> np.ndarray:
    """Clohessy-Wiltshire state transition matrix in LVLH, shape (..., 6, 6).

    n_radps: mean motion of the circular target orbit, broadcast with dt_s.
    Fehse 2003 ch. 3; Vallado 4th ed. sec. 6.8 (Hill axes x radial, y along-track, which map
    to ours as x_hill = -z, y_hill = x, z_hill = -y).
    """
    n = positive_array("n_radps", n_radps)
    nt = n * finite_array("dt_s", dt_s)
    n, nt = np.broadcast_arrays(n, nt)
    s, c = np.sin(nt), np.cos(nt)
    phi = np.zeros(nt.shape + (6, 6))
    phi[..., 0, 0] = 1.0
    phi[..., 0, 2] = 6.0 * (nt - s)
    phi[..., 0, 3] = (4.0 * s - 3.0 * nt) / n
    phi[..., 0, 5] = 2.0 * (1.0 - c) / n
    phi[..., 1, 1] = c
    phi[..., 1, 4] = s / n
    phi[..., 2, 2] = 4.0 - 3.0 * c
    phi[..., 2, 3] = -2.0 * (1.0 - c) / n
    phi[..., 2, 5] = s / n
    phi[..., 3, 2] = 6.0 * n * (1.0 - c)
    phi[..., 3, 3] = 4.0 * c - 3.0
    phi[..., 3, 5] = 2.0 * s
    phi[..., 4, 1] = -n * s
    phi[..., 4, 4] = c
    phi[..., 5, 2] = 3.0 * n * s
    phi[..., 5, 3] = -2.0 * s
    phi[..., 5, 5] = c
    return phi


def cw_propagate(
    n_radps: ArrayLike,
    rho_m: ArrayLike,
    rho_dot_mps: ArrayLike,
    dt_s: ArrayLike,
) -> tuple[np.ndarray, np.ndarray]:
    """Propagate LVLH relative states by Clohessy-Wiltshire; returns (rho_m, rho_dot_mps).

    States (..., 3) and times dt_s (...) broadcast: for every state at every time pass
    ``dt_s[:, None]`` with states (N, 3) to get (T, N, 3). Circular target only.

    A 0.1 m/s radial burn toward Earth moves the chaser 4 dv / n ahead in half an orbit:

    >>> rho_m, rho_dot_mps = cw_propagate(1.1314e-3, [0, 0, 0], [0, 0, 0.1], np.pi / 1.1314e-3)
    >>> np.round(rho_m, 3)
    array([353.544,   0.   ,   0.   ])
    """
    stm = cw_stm(n_radps, dt_s)
    return _apply(stm, vector_array("rho_m", rho_m), vector_array("rho_dot_mps", rho_dot_mps))


def cw_two_impulse(
    n_radps: ArrayLike, rho0_m: ArrayLike, rho_dot0_mps: ArrayLike, rho_f_m: ArrayLike,
    transfer_s: ArrayLike, rho_dot_f_mps: ArrayLike | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Two burns that take a chaser from (rho0, rho_dot0) to rho_f in transfer_s (CW model).

    Returns (dv1_mps, dv2_mps) in LVLH: dv1 at the start puts the chaser on the arc that reaches
    rho_f_m after transfer_s; dv2 on arrival matches rho_dot_f_mps (default: at rest in LVLH).
    Fehse 2003 ch. 3; Curtis, *Orbital Mechanics for Engineering Students*, ch. 7. Where
    n t is a multiple of pi the out-of-plane motion refocuses whatever the burn: the y burn is
    then zero if rho_f is reachable. Raises ValueError where the transfer time makes the
    targeting singular (in plane: 8 - 8 cos nt = 3 nt sin nt, e.g. whole orbits).

    Radial hop along V-bar from 1 km to 100 m behind in 0.45 orbit (n of a 400 km orbit):

    >>> dv1_mps, dv2_mps = cw_two_impulse(1.1314e-3, [-1000.0, 0, 0], [0, 0, 0],
    ...                                   [-100.0, 0, 0], 0.45 * 2 * np.pi / 1.1314e-3)
    >>> np.round(dv1_mps, 4), np.round(dv2_mps, 4)
    (array([0.0242, 0.    , 0.3059]), array([-0.0242,  0.    ,  0.3059]))
    """
    transfer = positive_array("transfer_s", transfer_s)
    rho0 = vector_array("rho0_m", rho0_m)
    rho_dot0 = vector_array("rho_dot0_mps", rho_dot0_mps)
    rho_f = vector_array("rho_f_m", rho_f_m)
    rho_dot_f = np.zeros(3)
    if rho_dot_f_mps is not None:
        rho_dot_f = vector_array("rho_dot_f_mps", rho_dot_f_mps)
    phi = cw_stm(n_radps, transfer)
    nt = np.broadcast_to(positive_array("n_radps", n_radps) * transfer, phi.shape[:-2])
    batch = np.broadcast_shapes(nt.shape, rho0.shape[:-1], rho_dot0.shape[:-1], rho_f.shape[:-1])
    phi, nt = np.broadcast_to(phi, batch + (6, 6)), np.broadcast_to(nt, batch)
    rho0, rho_dot0, rho_f = (np.broadcast_to(v, batch + (3,)) for v in (rho0, rho_dot0, rho_f))
    in_plane = 8.0 - 8.0 * np.cos(nt) - 3.0 * nt * np.sin(nt)  # n^2 det of the x-z block
    if np.any(np.abs(in_plane) < 1e-9 * (1.0 + nt)):
        raise ValueError(
            f"transfer_s={transfer_s!r} makes in-plane CW targeting singular "
            "(8 - 8 cos nt = 3 nt sin nt, e.g. whole orbits); choose another transfer time"
        )
    departure = rho_dot0.copy()
    xz, rates = [0, 2], [3, 5]
    miss_xz = rho_f[..., xz] - np.einsum("...ij,...j->...i", phi[..., xz, :][..., :, xz],
                                         rho0[..., xz])
    departure[..., xz] = np.linalg.solve(phi[..., xz, :][..., :, rates], miss_xz[..., None])[..., 0]
    # Out of plane y(t) = cos(nt) y0 + sin(nt) / n y0': solvable for y0' unless sin(nt) = 0.
    miss_y = rho_f[..., 1] - phi[..., 1, 1] * rho0[..., 1]
    refocused = np.abs(np.sin(nt)) < 1e-9
    if np.any(refocused & (np.abs(miss_y) > 1e-6 + 1e-9 * np.abs(rho_f[..., 1]))):
        raise ValueError(
            f"transfer_s={transfer_s!r} is a multiple of half an orbit, when the out-of-plane "
            f"motion refocuses at y = {np.ravel(phi[..., 1, 1] * rho0[..., 1])[0]!r} m whatever "
            "the burn; choose another transfer time or aim there"
        )
    departure[..., 1] = np.where(refocused, rho_dot0[..., 1],
                                 miss_y / np.where(refocused, 1.0, phi[..., 1, 4]))
    arrival = np.einsum("...ij,...j->...i", phi[..., 3:, :3], rho0) + np.einsum(
        "...ij,...j->...i", phi[..., 3:, 3:], departure
    )
    return departure - rho_dot0, rho_dot_f - arrival


def ya_stm(
    p_m: ArrayLike, ecc: ArrayLike, theta0_rad: ArrayLike, dt_s: ArrayLike,
    mu_m3ps2: float = GM_EARTH_M3PS2,
) -> np.ndarray:
    """Yamanaka-Ankersen state transition matrix in LVLH for an elliptical target orbit.

    p_m: semi-latus rectum, ecc: eccentricity (0 <= e < 1), theta0_rad: target true anomaly at
    the start, dt_s: elapsed time; all broadcast, result shape (..., 6, 6) acting on
    [rho_m, rho_dot_mps]. Yamanaka & Ankersen, JGCD 25(1), 2002; their LVLH is ours
    (x along velocity, z to the centre, y to -h), so the matrices need no axis change. Reduces
    to :func:`cw_stm` at e = 0.
    """
    p = positive_array("p_m", p_m)
    e = finite_array("ecc", ecc)
    if not np.all((e >= 0.0) & (e < 1.0)):
        raise ValueError(f"ecc must be in [0, 1) for the Yamanaka-Ankersen STM, got {ecc!r}")
    mu = float(positive_array("mu_m3ps2", mu_m3ps2))
    theta0 = finite_array("theta0_rad", theta0_rad)
    dt = finite_array("dt_s", dt_s)
    p, e, theta0, dt = np.broadcast_arrays(p, e, theta0, dt)
    k2 = np.sqrt(mu / p**3)  # h / p^2, so that d(theta)/dt = k2 rho^2
    mean_motion = mean_motion_radps(p / (1.0 - e * e), mu)
    theta = mean_to_true(true_to_mean(theta0, e) + mean_motion * dt, e)
    j = k2 * dt

    def to_tilde(th):
        # [rho, rho_dot] -> [rho~, rho~'] with rho~ = (1 + e cos th) rho, ' = d/d(theta).
        rho = 1.0 + e * np.cos(th)
        m = np.zeros(th.shape + (6, 6))
        for axis in range(3):
            m[..., axis, axis] = rho
            m[..., 3 + axis, axis] = -e * np.sin(th)
            m[..., 3 + axis, 3 + axis] = 1.0 / (k2 * rho)
        return m

    rho0 = 1.0 + e * np.cos(theta0)
    s0, c0 = rho0 * np.sin(theta0), rho0 * np.cos(theta0)
    # Inverse in-plane fundamental matrix at theta0 (pseudo-initial values), [x~, z~, x~', z~'].
    inv = np.zeros(theta0.shape + (4, 4))
    inv[..., 0, 0] = 1.0 - e * e
    inv[..., 0, 1] = 3.0 * e * s0 / rho0 * (1.0 + 1.0 / rho0)
    inv[..., 0, 2] = -e * s0 * (1.0 + 1.0 / rho0)
    inv[..., 0, 3] = -e * c0 + 2.0
    inv[..., 1, 1] = -3.0 * s0 / rho0 * (1.0 + e * e / rho0)
    inv[..., 1, 2] = s0 * (1.0 + 1.0 / rho0)
    inv[..., 1, 3] = c0 - 2.0 * e
    inv[..., 2, 1] = -3.0 * (c0 / rho0 + e)
    inv[..., 2, 2] = c0 * (1.0 + 1.0 / rho0) + e
    inv[..., 2, 3] = -s0
    inv[..., 3, 1] = 3.0 * rho0 + e * e - 1.0
    inv[..., 3, 2] = -rho0 * rho0
    inv[..., 3, 3] = e * s0
    inv /= (1.0 - e * e)[..., None, None]

    rho = 1.0 + e * np.cos(theta)
    s, c = rho * np.sin(theta), rho * np.cos(theta)
    s_d = np.cos(theta) + e * np.cos(2.0 * theta)
    c_d = -(np.sin(theta) + e * np.sin(2.0 * theta))
    # In-plane fundamental matrix at theta.
    fund = np.zeros(theta.shape + (4, 4))
    fund[..., 0, 0] = 1.0
    fund[..., 0, 1] = -c * (1.0 + 1.0 / rho)
    fund[..., 0, 2] = s * (1.0 + 1.0 / rho)
    fund[..., 0, 3] = 3.0 * rho * rho * j
    fund[..., 1, 1] = s
    fund[..., 1, 2] = c
    fund[..., 1, 3] = 2.0 - 3.0 * e * s * j
    fund[..., 2, 1] = 2.0 * s
    fund[..., 2, 2] = 2.0 * c - e
    fund[..., 2, 3] = 3.0 * (1.0 - 2.0 * e * s * j)
    fund[..., 3, 1] = s_d
    fund[..., 3, 2] = c_d
    fund[..., 3, 3] = -3.0 * e * (s_d * j + s / rho**2)
    in_plane = fund @ inv

    # Out-of-plane: y~ is a harmonic oscillator in theta.
    dtheta = theta - theta0
    tilde = np.zeros(theta.shape + (6, 6))
    plane = [0, 2, 3, 5]  # x~, z~, x~', z~' in the 6-vector
    for row in range(4):
        for col in range(4):
            tilde[..., plane[row], plane[col]] = in_plane[..., row, col]
    tilde[..., 1, 1] = np.cos(dtheta)
    tilde[..., 1, 4] = np.sin(dtheta)
    tilde[..., 4, 1] = -np.sin(dtheta)
    tilde[..., 4, 4] = np.cos(dtheta)
    return np.linalg.inv(to_tilde(theta)) @ tilde @ to_tilde(theta0)


def ya_propagate(
    r_target_m: ArrayLike, v_target_mps: ArrayLike, rho_m: ArrayLike, rho_dot_mps: ArrayLike,
    dt_s: ArrayLike, mu_m3ps2: float = GM_EARTH_M3PS2,
) -> tuple[np.ndarray, np.ndarray]:
    """Propagate LVLH relative states by Yamanaka-Ankersen about an elliptical target.

    The target's inertial state (r_target_m, v_target_mps) is taken at the start; states and
    times broadcast as in :func:`cw_propagate`. Returns (rho_m, rho_dot_mps) in the target's
    LVLH at t + dt_s. Accurate to second order in separation / orbit radius.
    """
    elements = state_to_elements(r_target_m, v_target_mps, mu_m3ps2)
    stm = ya_stm(elements.p_m, elements.e, elements.nu_rad, dt_s, mu_m3ps2)
    return _apply(stm, vector_array("rho_m", rho_m), vector_array("rho_dot_mps", rho_dot_mps))
