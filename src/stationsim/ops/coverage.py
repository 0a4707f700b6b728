"""Ground-station coverage: when a station is in view of the Russian command and measurement
stations (NIPs of the KIK network) that monitored Mir and the ISS's Russian segment.

Flight rules placed dockings inside that coverage: Shuttle-Mir dockings were timed for Russian
ground-station coverage of Mir (P. Chien 1995, satobs.org SeeSat Jun-1995/0077), and STS-96
held at 170 ft "to allow the station to move within range of Russian ground stations"
(astronautix STS-96; both in rendezvous_rules.csv). A station is in view of a site while its
elevation there is at least :data:`MIN_ELEVATION_RAD`; coverage is the union over the sites.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np

from stationsim.astro.constants import DEG
from stationsim.astro.frames import gcrf_to_itrf_fast, geodetic_to_itrf, itrf_to_gcrf_fast
from stationsim.astro.propagate import Propagator
from stationsim.astro.time import Epoch

# The lowest elevation a Russian space-radiocommunication station lists for tracking: 0.5 deg
# (Belgorod, ITU list "Stations in the space radiocommunication services", docest.com/doc/570056)
MIN_ELEVATION_RAD = 0.5 * DEG
SAMPLE_S = 10.0  # coverage edges to 10 s: a pass lasts ~10 min at 400 km
HORIZON_SLACK = 1e-6  # of |site|^2 in the horizontal-plane screen: 6 m, far above rounding
# The celestial pole's offset from GCRF's z axis: precession moves it about 0.56 deg a century
# from J2000 (IERS Conventions 2010 ch. 5, X = 2004.19" T), so 2 deg bounds 1650-2350
POLE_OFFSET_BOUND_RAD = 2.0 * DEG


@dataclass(frozen=True)
class GroundStation:
    """A tracking site: geodetic latitude and longitude (rad, WGS-84) and its source."""

    name: str
    latitude_rad: float
    longitude_rad: float
    source: str

    def position_gcrf_m(self, epochs: Epoch) -> np.ndarray:
        """GCRF position at ``epochs`` (IAU 2000B, polar motion ignored), shape (*, 3)."""
        return itrf_to_gcrf_fast(geodetic_to_itrf(self.latitude_rad, self.longitude_rad, 0.0),
                                 epochs)


_KIK = ("russianspaceweb.com/kik.html (the KIK network of NIPs); globalsecurity.org "
        "space/world/russia/network.htm; coordinates of the town, the site lies within ~30 km "
        "(0.3 deg, small beside the ~2,000 km radius of view at 400 km)")

# The NIPs in European Russia, Crimea, Kazakhstan, Siberia and the Far East (russianspaceweb
# KIK network page; globalsecurity: Yevpatoria, Ulan-Ude, Ussuriysk, Medvezhi Ozera/Shchelkovo)
RUSSIAN_GROUND_STATIONS: tuple[GroundStation, ...] = tuple(
    GroundStation(name, lat * DEG, lon * DEG, _KIK) for name, lat, lon in (
        ("Shchelkovo (NIP-14)", 55.92, 38.00),
        ("Yevpatoria (NIP-16)", 45.19, 33.37),
        ("Dzhusaly (NIP-1)", 45.48, 64.08),
        ("Kolpashevo (NIP-4)", 58.31, 82.90),
        ("Ulan-Ude (NIP-13)", 51.83, 107.58),
        ("Ussuriysk (NIP-15)", 43.80, 131.95),
        ("Petropavlovsk-Kamchatsky (NIP-6)", 53.02, 158.65),
    )
)


def in_view(station: Propagator, epochs: Epoch,
            sites: tuple[GroundStation, ...] = RUSSIAN_GROUND_STATIONS) -> np.ndarray:
    """True at each of ``epochs`` (1-D) where the station is in view of at least one site."""
    r_m, _ = station.states(epochs)
    sites_itrf_m = _sites_itrf_m(sites)
    visible = np.zeros(r_m.shape[0], dtype=bool)
    # Each epoch's test is its own (the same bits whichever others are tested), so only the
    # epochs that can be in view are tested. A positive elevation puts the station above the
    # site's horizontal plane (r . site > |site|^2), within the horizon's angle
    # arccos(|site| / |r|) of the site, so within that angle (and the pole's offset from
    # GCRF's z axis) of the site's latitude: first that band of latitude, then the plane.
    radius_m = np.linalg.norm(r_m, axis=-1)
    site_radius_m = np.linalg.norm(sites_itrf_m, axis=-1)
    site_latitude_rad = np.arcsin(sites_itrf_m[:, 2] / site_radius_m)
    reach_rad = math.acos(min(1.0, site_radius_m.min() / radius_m.max(initial=0.0))) \
        + POLE_OFFSET_BOUND_RAD
    low, high = site_latitude_rad.min() - reach_rad, site_latitude_rad.max() + reach_rad
    sine_latitude = r_m[:, 2] / radius_m
    band = np.flatnonzero((sine_latitude >= math.sin(max(low, -0.5 * math.pi)))
                          & (sine_latitude <= math.sin(min(high, 0.5 * math.pi))))
    if not band.size:
        return visible
    # in Earth-fixed axes: one rotation per epoch (the station's), not one per site and epoch
    r_itrf_m = gcrf_to_itrf_fast(r_m[band], epochs[band])  # (epochs, 3)
    above = np.any(r_itrf_m @ sites_itrf_m.T >= (1.0 - HORIZON_SLACK) * site_radius_m**2,
                   axis=1)
    site_m = sites_itrf_m[:, None, :]  # (sites, 1, 3)
    line = r_itrf_m[above] - site_m
    # sine of the elevation: the line of sight along the site's geocentric up, over its length
    sine = np.einsum("sij,sij->si", line, np.broadcast_to(site_m, line.shape)) / (
        np.linalg.norm(line, axis=-1) * np.linalg.norm(site_m, axis=-1))
    visible[band[above]] = np.any(sine >= math.sin(MIN_ELEVATION_RAD), axis=0)
    return visible


@functools.lru_cache(maxsize=8)
def _sites_itrf_m(sites: tuple[GroundStation, ...]) -> np.ndarray:
    """The sites' ITRF positions (sites, 3), read-only: placed once per set of sites."""
    sites_itrf_m = np.array([geodetic_to_itrf(site.latitude_rad, site.longitude_rad, 0.0)
                             for site in sites])
    sites_itrf_m.flags.writeable = False
    return sites_itrf_m


def coverage_intervals(station: Propagator, start_tt_s: float, end_tt_s: float,
                       sites: tuple[GroundStation, ...] = RUSSIAN_GROUND_STATIONS,
                       ) -> np.ndarray:
    """Intervals (K, 2) of TT seconds within [start, end] when the station is in view of the
    sites, on a :data:`SAMPLE_S` grid (an interval open at an end is cut there)."""
    count = max(2, int(math.ceil((end_tt_s - start_tt_s) / SAMPLE_S)) + 1)
    grid_s = np.linspace(start_tt_s, end_tt_s, count)
    visible = in_view(station, Epoch(grid_s), sites)
    edges = np.diff(visible.astype(np.int8))
    starts = list(grid_s[1:][edges == 1])
    ends = list(grid_s[:-1][edges == -1])
    if visible[0]:
        starts.insert(0, grid_s[0])
    if visible[-1]:
        ends.append(grid_s[-1])
    return np.column_stack([starts, ends]) if starts else np.empty((0, 2))


def covered_instants(
    intervals: np.ndarray,
    earliest_s: float,
    latest_s: float,
    lead_s: float,
) -> Iterator[float]:
    """For each pass in order, the first instant t in [earliest, latest] such that
    [t - lead_s, t] lies in that pass (the final leg flown in view)."""
    for start_s, end_s in intervals:
        t_s = max(earliest_s, start_s + lead_s)
        if t_s <= min(end_s, latest_s):
            yield float(t_s)


def last_covered_instants(
    intervals: np.ndarray,
    earliest_s: np.ndarray,
    latest_s: np.ndarray,
    lead_s: float,
    trail_s: float,
) -> np.ndarray:
    """For each window [earliest, latest] (arrays (Q,)) and each pass (K, in order), the last
    instant t of the window such that [t - lead_s, t + trail_s] lies in that pass, NaN where
    none: shape (Q, K)."""
    starts_s, ends_s = intervals[:, 0], intervals[:, 1]
    t_s = np.minimum(np.asarray(latest_s, dtype=float)[:, None], ends_s[None, :] - trail_s)
    fits = t_s >= np.maximum(np.asarray(earliest_s, dtype=float)[:, None],
                             starts_s[None, :] + lead_s)
    return np.where(fits, t_s, np.nan)
