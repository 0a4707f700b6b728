"""Launch sites: WGS-84 geodetic position and the launch azimuths the range allows.

Angles in radians inside (degrees only in ``catalog/launch_sites.yaml``). Azimuth is measured
from north through east; an allowed range may start below zero to cross north
(Kourou: -10.5 deg .. 93.5 deg).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike


@dataclass(frozen=True)
class LaunchSite:
    """A launch pad: geodetic latitude/longitude (rad, WGS-84), height (m), azimuth range (rad)."""

    name: str
    latitude_rad: float
    longitude_rad: float
    height_m: float
    azimuth_min_rad: float
    azimuth_max_rad: float
    source: str
    display_name: str = ""
    notes: str = ""

    def __post_init__(self):
        if not (math.isfinite(self.latitude_rad) and abs(self.latitude_rad) <= math.pi / 2):
            raise ValueError(f"site {self.name!r}: latitude_rad={self.latitude_rad!r}")
        if not (math.isfinite(self.longitude_rad) and abs(self.longitude_rad) <= math.pi):
            raise ValueError(f"site {self.name!r}: longitude_rad={self.longitude_rad!r}")
        if not (-math.pi <= self.azimuth_min_rad < self.azimuth_max_rad <= 2 * math.pi):
            raise ValueError(
                f"site {self.name!r}: azimuth range [{self.azimuth_min_rad!r}, "
                f"{self.azimuth_max_rad!r}] rad must be increasing within [-pi, 2 pi]"
            )

    def allows_azimuth(self, azimuth_rad: ArrayLike) -> Any:
        """True where the launch azimuth (rad from north, any turn) is in the allowed range."""
        azimuth_rad = np.asarray(azimuth_rad, dtype=float)
        offset_rad = np.mod(azimuth_rad - self.azimuth_min_rad, 2 * math.pi)
        allowed = offset_rad <= self.azimuth_max_rad - self.azimuth_min_rad
        return allowed if allowed.ndim else bool(allowed)
