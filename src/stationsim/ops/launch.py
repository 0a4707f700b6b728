"""Launch windows: the instants when the station's orbital plane passes over a launch site.

The site (WGS-84, rotating with the Earth; GCRF by the IAU 2000B fast path of
:func:`~stationsim.astro.frames.itrf_to_gcrf_fast`, within 5 cm of IERS 2010) is in the plane
when ``h_hat . r_site_hat = 0``, h_hat the station's orbit normal from its propagator, so node
regression (J2, ~5 deg/day at 51.6 deg) is whatever the propagator carries. Roots are bracketed
on a 2-minute grid and refined by the Illinois method to 1 ms. A window is open while the site's
angular distance from the plane stays within the vehicle's steering capacity
(:class:`~stationsim.ops.insertion.InsertionSpec`); its width is that angle over the rate at
which the site leaves the plane.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, OMEGA_EARTH_RADPS, R_EARTH_M
from stationsim.astro.frames import cross3
from stationsim.astro.time import Epoch
from stationsim.hardware.catalog import load_catalog
from stationsim.hardware.sites import LaunchSite
from stationsim.ops.insertion import InsertionSpec, insert, site_position_gcrf_m

if TYPE_CHECKING:
    from stationsim.astro.propagate import Propagator

GRID_STEP_S = 120.0  # the plane sweeps a site twice a day: a 2-min grid cannot skip a root
ROOT_TOLERANCE_S = 1e-3
ASCENDING = "ascending"
DESCENDING = "descending"


@dataclass(frozen=True)
class LaunchWindow:
    """One in-plane opportunity from a site.

    ``direction``: ``ascending`` when the site lies on the northbound half of the orbit (launch
    to the north-east for a prograde orbit), ``descending`` otherwise. ``azimuth_rad``: launch
    azimuth from north through east over the rotating Earth. ``phase_angle_rad``: how far the
    station leads the vehicle at insertion for a launch at ``in_plane``, [0, 2 pi).
    """

    site: str
    opens: Epoch
    in_plane: Epoch
    closes: Epoch
    direction: str
    azimuth_rad: float
    phase_angle_rad: float

    @property
    def duration_s(self) -> float:
        return float(self.closes - self.opens)


def find_site(name: str) -> LaunchSite:
    """A catalog launch site by id, also written the usual short way (``KSC-39A``, ``SLC-41``)."""
    catalog = load_catalog()
    key = name.strip().lower()
    if key in catalog.sites:
        return catalog.sites[key]

    def squeeze(text: str) -> str:
        return re.sub(r"[^a-z0-9]", "", text.lower().replace("lc-", "").replace("slc-", ""))

    matches = [site for site_id, site in catalog.sites.items()
               if squeeze(site_id).endswith(squeeze(key))]
    if len(matches) == 1:
        return matches[0]
    return catalog.site(name)  # raises UnknownNameError with suggestions


def _plane_offset(station, site: LaunchSite, tt_s) -> np.ndarray:
    """sin of the site's angular distance from the station's orbit plane (signed, + along h)."""
    epochs = Epoch(tt_s)
    r_m, v_mps = station.states(epochs)
    h = cross3(r_m, v_mps)
    h /= np.linalg.norm(h, axis=-1, keepdims=True)
    site_m = site_position_gcrf_m(site, epochs)
    return np.sum(h * site_m, axis=-1) / np.linalg.norm(site_m, axis=-1)


def launch_azimuth_rad(
    inclination_rad: float,
    latitude_rad: float,
    direction: str,
    radius_m: float,
) -> float:
    """Launch azimuth (rad from north, rotating Earth) into a plane of ``inclination_rad``.

    Inertial azimuth from sin(Az) = cos(i) / cos(lat) (spherical right triangle of the ground
    track; Curtis, *Orbital Mechanics for Engineering Students*, launch-azimuth relation), then
    corrected for the site's eastward speed against the circular speed at ``radius_m``.
    """
    ratio = math.cos(inclination_rad) / math.cos(latitude_rad)
    if abs(ratio) > 1.0:
        raise ValueError(
            f"inclination {math.degrees(inclination_rad):.2f} deg is below the site latitude "
            f"{math.degrees(latitude_rad):.2f} deg: the plane never passes over the site"
        )
    inertial_rad = math.asin(ratio)
    if direction == DESCENDING:
        inertial_rad = math.pi - inertial_rad
    speed_mps = math.sqrt(GM_EARTH_M3PS2 / radius_m)
    east_mps = speed_mps * math.sin(inertial_rad) - OMEGA_EARTH_RADPS * R_EARTH_M * math.cos(
        latitude_rad)
    north_mps = speed_mps * math.cos(inertial_rad)
    return math.atan2(east_mps, north_mps) % (2.0 * math.pi)


def launch_windows(
    station: Propagator, site: LaunchSite, start: Epoch, duration_s: float,
    insertion: InsertionSpec, directions: tuple[str, ...] = (ASCENDING, DESCENDING),
) -> list[LaunchWindow]:
    """All windows from ``site`` in [start, start + duration_s] whose azimuth the site allows.

    ``station``: a propagator of the station (``states(Epoch)``), e.g. SGP4 from a TLE or a
    numerical one: the plane's regression is the propagator's. ``directions`` filters ascending /
    descending passes. Windows are in time order.
    """
    if not (math.isfinite(duration_s) and duration_s > 0.0):
        raise ValueError(f"duration_s must be > 0, got {duration_s!r}")
    for direction in directions:
        if direction not in (ASCENDING, DESCENDING):
            raise ValueError(f"direction {direction!r} must be {ASCENDING!r} or {DESCENDING!r}")
    t0_s = float(start.tt_s)
    grid_s = t0_s + np.arange(0.0, duration_s + GRID_STEP_S, GRID_STEP_S)
    grid_s = grid_s[grid_s <= t0_s + duration_s]
    offsets = _plane_offset(station, site, grid_s)
    crossings = np.flatnonzero(np.sign(offsets[:-1]) * np.sign(offsets[1:]) < 0.0)
    windows = []
    for k in crossings:
        in_plane_s = _root_between(lambda t: float(_plane_offset(station, site, t)),
                                   grid_s[k], grid_s[k + 1], ROOT_TOLERANCE_S)
        window = _window_at(station, site, in_plane_s, insertion)
        if window is not None and window.direction in directions:
            windows.append(window)
    return windows


def _root_between(function, a: float, b: float, tolerance: float) -> float:
    """Root of ``function`` between ``a`` and ``b`` (where it changes sign), to ``tolerance``.

    Illinois method (Dowell & Jarratt 1971, BIT 11, 168): regula falsi with the value at the
    end kept twice in a row halved, so that both ends close in (superlinear, order ~1.44).
    """
    f_a, f_b = function(a), function(b)
    for _ in range(200):
        if abs(b - a) <= tolerance:
            break
        c = b - f_b * (b - a) / (f_b - f_a)
        f_c = function(c)
        if f_c == 0.0:
            return c
        if (f_c > 0.0) != (f_b > 0.0):
            a, f_a = b, f_b
        else:
            f_a *= 0.5
        b, f_b = c, f_c
    return b


def _window_at(station, site: LaunchSite, in_plane_s: float, insertion: InsertionSpec):
    """The window around one in-plane instant, or None if the site forbids the azimuth."""
    in_plane = Epoch(in_plane_s)
    r_m, v_mps = station.states(in_plane)
    h = cross3(r_m, v_mps)
    h /= np.linalg.norm(h)
    inclination_rad = math.acos(h[2])
    site_m = site_position_gcrf_m(site, in_plane)
    # The site's argument of latitude in the plane: northbound half where its cosine is > 0.
    node = cross3([0.0, 0.0, 1.0], h)
    u_rad = math.atan2(float(np.dot(site_m, cross3(h, node))), float(np.dot(site_m, node)))
    direction = ASCENDING if math.cos(u_rad) > 0.0 else DESCENDING
    azimuth_rad = launch_azimuth_rad(inclination_rad, site.latitude_rad, direction,
                                     insertion.radius_m)
    if not site.allows_azimuth(azimuth_rad):
        return None
    step_s = 1.0
    rate_per_s = abs(float(_plane_offset(station, site, in_plane_s + step_s)
                           - _plane_offset(station, site, in_plane_s - step_s))) / (2.0 * step_s)
    half_width_s = math.asin(insertion.out_of_plane_capacity_rad) / rate_per_s
    phase_rad = insert(station, site, in_plane, insertion).phase_angle_rad
    return LaunchWindow(site.name, in_plane - half_width_s, in_plane, in_plane + half_width_s,
                        direction, azimuth_rad, phase_rad)


def nearest_launch_window(
    station: Propagator, site: LaunchSite, epoch: Epoch, insertion: InsertionSpec,
    within_s: float = 0.5 * DAY_S,
) -> LaunchWindow | None:
    """The window whose in-plane instant is nearest ``epoch`` (either side, within
    ``within_s``: half a day holds one window of each direction the site allows), or None."""
    windows = launch_windows(station, site, epoch - within_s, 2.0 * within_s, insertion)
    return min(windows, key=lambda w: abs(float(w.in_plane - epoch)), default=None)


def next_launch_window(
    station: Propagator, site: LaunchSite, after: Epoch, insertion: InsertionSpec,
    direction: str = ASCENDING, search_days: float = 3.0,
) -> LaunchWindow:
    """The first window of ``direction`` from ``site`` after ``after`` (searched for some days)."""
    windows = launch_windows(station, site, after, search_days * DAY_S, insertion, (direction,))
    if not windows:
        raise ValueError(
            f"no {direction} window from {site.name!r} within {search_days:g} days after "
            f"{after.utc_iso()}; the plane's inclination or the site's azimuths exclude it"
        )
    return windows[0]
