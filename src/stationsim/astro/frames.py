"""Reference frames: GCRF (inertial), ITRF (Earth-fixed), TEME (SGP4), geodetic, LVLH.

LVLH is the Shuttle/ISS convention (NASA JSC, ISS Flight Rules; Fehse, *Automated Rendezvous
and Docking of Spacecraft*, 2003, sec. 3.1): +x along the velocity (V-bar), +z toward Earth's
centre (R-bar), +y = z x x, opposite the orbit normal (-H-bar).
"""

from __future__ import annotations

import numpy as np


def _rows(name: str, value) -> np.ndarray:
    array = np.asarray(value, dtype=float)
    if array.shape[-1:] != (3,):
        raise ValueError(f"{name} must have shape (..., 3), got shape {array.shape}")
    if not np.all(np.isfinite(array)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return array


def lvlh_matrix(r_m, v_mps) -> np.ndarray:
    """Rotation from inertial to LVLH of the target at (r, v): ``x_lvlh = M @ x_inertial``.

    Rows of M are the LVLH unit vectors in inertial axes; shape (..., 3, 3).
    """
    r = _rows("r_m", r_m)
    v = _rows("v_mps", v_mps)
    h = np.cross(r, v)
    z = -r / np.linalg.norm(r, axis=-1, keepdims=True)
    y = -h / np.linalg.norm(h, axis=-1, keepdims=True)
    x = np.cross(y, z)
    return np.stack([x, y, z], axis=-2)


def inertial_to_lvlh(r_target_m, v_target_mps, r_chaser_m, v_chaser_mps):
    """Chaser state relative to the target, in the target's rotating LVLH frame.

    The relative velocity is taken in the rotating frame (the transport term omega x rho is
    removed, omega = h / r^2 along -y), as Clohessy-Wiltshire expects.
    Returns (rho_lvlh_m, rho_dot_lvlh_mps), shape (..., 3).
    """
    r_t = _rows("r_target_m", r_target_m)
    v_t = _rows("v_target_mps", v_target_mps)
    matrix = lvlh_matrix(r_t, v_t)
    omega = np.cross(r_t, v_t) / np.sum(r_t * r_t, axis=-1, keepdims=True)
    dr = _rows("r_chaser_m", r_chaser_m) - r_t
    dv = _rows("v_chaser_mps", v_chaser_mps) - v_t - np.cross(omega, dr)
    return np.einsum("...ij,...j->...i", matrix, dr), np.einsum("...ij,...j->...i", matrix, dv)


def lvlh_to_inertial(r_target_m, v_target_mps, rho_lvlh_m, rho_dot_lvlh_mps):
    """Inverse of :func:`inertial_to_lvlh`: the chaser's inertial (r_m, v_mps)."""
    r_t = _rows("r_target_m", r_target_m)
    v_t = _rows("v_target_mps", v_target_mps)
    matrix = lvlh_matrix(r_t, v_t)
    omega = np.cross(r_t, v_t) / np.sum(r_t * r_t, axis=-1, keepdims=True)
    dr = np.einsum("...ji,...j->...i", matrix, _rows("rho_lvlh_m", rho_lvlh_m))
    dv = np.einsum("...ji,...j->...i", matrix, _rows("rho_dot_lvlh_mps", rho_dot_lvlh_mps))
    return r_t + dr, v_t + dv + np.cross(omega, dr)
