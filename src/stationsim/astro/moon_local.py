"""Flight near the Moon in a frame frozen to the Moon-fixed axes at one epoch.

Landing, ascent and lunar-orbit rendezvous last hours, so they are flown in a Moon-centred
inertial frame whose axes are the Moon-fixed (mean-Earth/polar) axes of
:mod:`stationsim.astro.moon_frame` at a reference epoch: its z axis is then the spin axis that
J2 acts about (the pole moves < 0.01 deg in a day), and the surface turns under it at the
Moon's rotation. Surface points and velocities relative to the ground go through the rotation
of the IAU 2009 model itself (Archinal et al. 2011), so selenographic coordinates here are the
moon_frame ones.

States given the way the Apollo mission reports tabulate them (MSC-00171 Table 7-II:
selenographic latitude and longitude, altitude above a reference radius, space-fixed speed,
flight-path angle above the local horizontal and heading east of north) are turned into
vectors by :func:`state_from_flight_angles`.
"""

from __future__ import annotations

import erfa
import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import (
    DEG,
    J2_MOON,
    MU_MOON_M3PS2,
    R_MOON_GRAVITY_M,
    R_MOON_M,
)
from stationsim.astro.moon_frame import inertial_to_fixed_matrix, selenographic
from stationsim.astro.powered_flight import Body
from stationsim.astro.time import Epoch

MOON = Body(MU_MOON_M3PS2, R_MOON_GRAVITY_M, J2_MOON)
_RATE_STEP_S = 10.0  # central difference for the Moon's angular velocity


class FrozenMoonFrame:
    """The Moon-fixed axes at ``epoch0``, held inertial.

    >>> t0 = Epoch.from_utc(1969, 7, 20, 20, 5, 5)
    >>> frame = FrozenMoonFrame(t0)
    >>> r = frame.surface_point(0.0, 0.0, 1737.4e3, t0 + 86400.0)
    >>> round(float(np.degrees(np.arctan2(r[1], r[0]))), 1)  # the Moon turned ~13.2 deg
    13.2
    """

    def __init__(self, epoch0: Epoch):
        self.epoch0 = epoch0
        self._a0 = inertial_to_fixed_matrix(epoch0)

    def fixed_to_frozen(self, epoch: Epoch) -> np.ndarray:
        """Rotation taking Moon-fixed vectors at ``epoch`` to this frame."""
        return self._a0 @ inertial_to_fixed_matrix(epoch).T

    def from_gcrf_axes(self, vector: ArrayLike) -> np.ndarray:
        """A Moon-centred vector in GCRF axes (position or velocity) in this frame."""
        return self._a0 @ np.asarray(vector, dtype=float)

    def to_gcrf_axes(self, vector: ArrayLike) -> np.ndarray:
        """A vector of this frame in Moon-centred GCRF axes."""
        return self._a0.T @ np.asarray(vector, dtype=float)

    def spin_radps(self, epoch: Epoch) -> np.ndarray:
        """The Moon's angular velocity at ``epoch`` in this frame, rad/s."""
        step = _RATE_STEP_S
        before, after = self.fixed_to_frozen(epoch + -step), self.fixed_to_frozen(epoch + step)
        omega = (after - before) / (2.0 * step) @ self.fixed_to_frozen(epoch).T
        return 0.5 * np.array([omega[2, 1] - omega[1, 2], omega[0, 2] - omega[2, 0],
                               omega[1, 0] - omega[0, 1]])

    def surface_point(
        self, lat_rad: float, lon_rad: float, radius_m: float, epoch: Epoch,
    ) -> np.ndarray:
        """A point at selenographic latitude, east longitude and radius, at ``epoch``, m."""
        fixed = np.array([np.cos(lat_rad) * np.cos(lon_rad), np.cos(lat_rad) * np.sin(lon_rad),
                          np.sin(lat_rad)]) * radius_m
        return self.fixed_to_frozen(epoch) @ fixed

    def selenographic(self, r_m: ArrayLike, epoch: Epoch) -> tuple[float, float, float]:
        """(latitude rad, east longitude rad, radius m) of a position of this frame at ``epoch``."""
        lat, lon, height = selenographic(self.fixed_to_frozen(epoch).T @ np.asarray(r_m))
        return float(lat), float(lon), float(height) + R_MOON_M

    def ground_velocity_mps(self, r_m: ArrayLike, v_mps: ArrayLike, epoch: Epoch) -> np.ndarray:
        """Velocity relative to the turning surface, in this frame's axes."""
        return np.asarray(v_mps) - np.cross(self.spin_radps(epoch), np.asarray(r_m))


def state_from_flight_angles(
    frame: FrozenMoonFrame, epoch: Epoch, lat_deg: float, lon_deg: float, radius_m: float,
    speed_mps: float, flight_path_deg: float, heading_deg: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(r_m, v_mps) in ``frame`` of a vehicle tabulated as in MSC-00171 Table 7-II: selenographic
    latitude and longitude, radius, space-fixed speed, flight-path angle above the local
    horizontal, and space-fixed heading east of north.

    The report's lunar headings are measured from the inertial north, the Earth's mean pole
    (of date, IAU 2006 precession) projected on the local horizontal, not from the lunar
    meridian: read that way, six of its Apollo 11 lunar-orbit states (separation, DOI, PDI,
    insertion, CSI, TPI) lie in planes 178.5-179.0 deg inclined to the lunar equator, as the
    flight's near-equatorial retrograde orbit was; read from the lunar meridian they would lie
    in planes between 161.8 and 176.6 deg.
    """
    lat, lon = lat_deg * DEG, lon_deg * DEG
    up_fixed = np.array([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)])
    fixed_to_inertial = inertial_to_fixed_matrix(epoch).T
    up = fixed_to_inertial @ up_fixed
    pole = erfa.pmat06(*epoch.tt_two_part())[2]  # mean pole of date in GCRF axes
    east = np.cross(pole, up)
    east /= np.linalg.norm(east)
    north = np.cross(up, east)
    gamma, psi = flight_path_deg * DEG, heading_deg * DEG
    v_inertial = speed_mps * (np.sin(gamma) * up + np.cos(gamma) * (
        np.cos(psi) * north + np.sin(psi) * east))
    to_frame = frame.fixed_to_frozen(epoch) @ fixed_to_inertial.T
    return to_frame @ (up * radius_m), to_frame @ v_inertial


def gcrf_state_from_flight_angles(
    epoch: Epoch, lat_deg: float, lon_deg: float, radius_m: float, speed_mps: float,
    flight_path_deg: float, heading_deg: float,
) -> tuple[np.ndarray, np.ndarray]:
    """As :func:`state_from_flight_angles`, in Moon-centred GCRF axes."""
    frame = FrozenMoonFrame(epoch)
    r, v = state_from_flight_angles(frame, epoch, lat_deg, lon_deg, radius_m, speed_mps,
                                    flight_path_deg, heading_deg)
    return frame.to_gcrf_axes(r), frame.to_gcrf_axes(v)
