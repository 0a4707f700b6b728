"""The fast orbit model the planners fly in: Kepler motion plus first-order J2 secular drift.

:class:`MeanJ2` is the same model as :class:`stationsim.astro.propagate.J2Secular` (the state
taken as mean elements; node, perigee and mean anomaly advanced at the rates of
:func:`stationsim.astro.kepler.j2_secular_rates`, Vallado 4th ed. eq. 9-41), written as motions
instead of element conversions: a Kepler step of dt * Mdot / n (universal variables), then a
rotation by argp_dot * dt about the orbit normal and by raan_dot * dt about the pole. Rotating
the whole state about h advances the perigee and the satellite together; rotating about z moves
the node and keeps i and the perigee's angle from the node. It agrees with ``J2Secular`` to
rounding (tests/ops/test_models.py) at a tenth of the cost, which the planners need: they
propagate a few hundred arcs per plan.
"""

from __future__ import annotations

import numpy as np

from stationsim.astro.constants import GM_EARTH_M3PS2
from stationsim.astro.kepler import j2_secular_rates, propagate_kepler
from stationsim.astro.propagate import OrbitState, Propagator
from stationsim.astro.time import Epoch


def _skew(axis: np.ndarray) -> np.ndarray:
    """Cross-product matrix K of a unit axis (K @ x = axis x x)."""
    x, y, z = axis
    return np.array([[0.0, -z, y], [z, 0.0, -x], [-y, x, 0.0]])


def _rotations(skew: np.ndarray, angle_rad: np.ndarray) -> np.ndarray:
    """Rodrigues rotation matrices I + sin K + (1 - cos) K^2, shape angle_rad.shape + (3, 3)."""
    sin = np.sin(angle_rad)[..., None, None]
    cos = np.cos(angle_rad)[..., None, None]
    return _IDENTITY + sin * skew + (1.0 - cos) * (skew @ skew)


def cross3(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a x b for (..., 3) arrays, written out (numpy.cross costs ~50 us per call in overhead)."""
    ax, ay, az = a[..., 0], a[..., 1], a[..., 2]
    bx, by, bz = b[..., 0], b[..., 1], b[..., 2]
    return np.stack([ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx], axis=-1)


_IDENTITY = np.eye(3)
_POLE_SKEW = _skew(np.array([0.0, 0.0, 1.0]))


class MeanJ2(Propagator):
    """Two-body + J2 secular propagation from (epoch0, r0_m, v0_mps); elliptic orbits only."""

    def __init__(self, epoch0: Epoch, r0_m, v0_mps):
        self.initial = OrbitState(epoch0, r0_m, v0_mps)
        r, v = self.initial.r_m, self.initial.v_mps
        h = cross3(r, v)
        radius_m = float(np.linalg.norm(r))
        a_m = 1.0 / (2.0 / radius_m - float(np.dot(v, v)) / GM_EARTH_M3PS2)
        e_vector = cross3(v, h) / GM_EARTH_M3PS2 - r / radius_m
        e = float(np.linalg.norm(e_vector))
        if not (a_m > 0.0 and e < 1.0):
            raise ValueError(f"MeanJ2 needs an elliptic orbit, got a_m={a_m!r}, e={e!r}")
        h_unit = h / np.linalg.norm(h)
        self.h_skew = _skew(h_unit)
        raan_dot, argp_dot, mean_anomaly_dot = j2_secular_rates(
            a_m, e, float(np.arccos(np.clip(h_unit[2], -1.0, 1.0))))
        self.raan_dot_radps = float(raan_dot)
        self.argp_dot_radps = float(argp_dot)
        self.time_scale = float(mean_anomaly_dot) / float(np.sqrt(GM_EARTH_M3PS2 / a_m**3))

    def states(self, epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
        if not isinstance(epochs, Epoch):
            raise ValueError(f"epochs must be an Epoch, got {type(epochs).__name__} {epochs!r}")
        dt_s = np.asarray(epochs - self.initial.epoch, dtype=float)
        r, v = propagate_kepler(self.initial.r_m, self.initial.v_mps, dt_s * self.time_scale)
        turn = _rotations(_POLE_SKEW, self.raan_dot_radps * dt_s) @ _rotations(
            self.h_skew, self.argp_dot_radps * dt_s)
        return (turn @ r[..., None])[..., 0], (turn @ v[..., None])[..., 0]
