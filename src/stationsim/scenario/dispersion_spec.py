"""The dispersion spec of a Monte Carlo campaign, as ``--vary`` and a program's ``campaign:
vary:`` write it: the quantities that may vary, the kinds of distribution, and how far a draw
may reach. Read here, below the campaign, so that ``validate`` checks a program's specs where
the file states them (docs/campaign.md).

A spec reads ``NAME=KIND(A, B)``, e.g. ``launch_slip_s=normal(0, 600)``; kinds are
``normal(mean, sigma)``, ``uniform(low, high)`` and ``lognormal(mu, sigma)`` (of the natural
log). Names carry the unit of the values as written; ``to_si`` converts them once.

>>> parse_vary("launch_slip_s=normal(0, 600)")
('launch_slip_s', Distribution(kind='normal', a=0.0, b=600.0))
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from stationsim.astro.constants import DEG

KINDS = ("normal", "uniform", "lognormal")


class Quantity(NamedTuple):
    """A dispersed quantity: how many values per sample (``per`` axis, burn or target step),
    its nominal value, the factor to SI and the largest size a draw may reach (units of the
    name; see :data:`REACH_SIGMAS`)."""

    per: str  # "sample", "burn", "burn-transverse" (2 per burn) or "target-axis" (3 per target)
    nominal: float
    to_si: float
    meaning: str
    limit: float
    lowest: float = -math.inf  # a factor is not negative


# Limits: a launch a day late is a new plan (and leaves the flight's density table, which spans
# a day either side of launch and docking); launchers put a vehicle within kilometres and metres
# per second of their target orbit, and 100 km or 100 m/s is another orbit; NRLMSIS densities
# err by tens of percent (Emmert 2015, Adv. Space Res. 56), and the density at 400 km changes
# tenfold over a solar cycle: a factor of 100 is no error of the day's density, and a negative
# one none at all; a burn errs by less than all of itself and points within a half turn.
QUANTITIES: dict[str, Quantity] = {
    "launch_slip_s": Quantity("sample", 0.0, 1.0, "launch delay after the planned instant, s",
                              86400.0),
    "insertion_x_m": Quantity("sample", 0.0, 1.0, "insertion position error along V-bar, m",
                              1e5),
    "insertion_y_m": Quantity("sample", 0.0, 1.0, "insertion position error along -H-bar, m",
                              1e5),
    "insertion_z_m": Quantity("sample", 0.0, 1.0, "insertion position error along R-bar, m",
                              1e5),
    "insertion_vx_mps": Quantity("sample", 0.0, 1.0,
                                 "insertion velocity error along V-bar, m/s", 100.0),
    "insertion_vy_mps": Quantity("sample", 0.0, 1.0,
                                 "insertion velocity error along -H-bar, m/s", 100.0),
    "insertion_vz_mps": Quantity("sample", 0.0, 1.0,
                                 "insertion velocity error along R-bar, m/s", 100.0),
    "density_scale": Quantity("sample", 1.0, 1.0, "factor on the atmospheric density", 100.0,
                              lowest=0.0),
    "burn_magnitude_frac": Quantity("burn", 0.0, 1.0, "proportional burn magnitude error", 1.0),
    "burn_pointing_deg": Quantity("burn-transverse", 0.0, DEG,
                                  "burn pointing error about each transverse axis, deg", 180.0),
    "nav_position_m": Quantity("target-axis", 0.0, 1.0,
                               "relative navigation position error per LVLH axis, m", 1e5),
    "nav_velocity_mps": Quantity("target-axis", 0.0, 1.0,
                                 "relative navigation velocity error per LVLH axis, m/s", 100.0),
}
REACH_SIGMAS = 6.0
"""A normal or lognormal draw's reach, in sigmas: 10 million samples (the cap) reach 5.3."""
LOW_SIGMAS = 3.0
"""How far below its mean a normal draw of a factor is held to the factor's lowest value: 3
sigma (at that edge 0.13 % of draws still fall below it; normal(1, 0.2), the density's usual
spread, reaches 0 at 5 sigma); a lognormal never goes below 0."""

_SPEC = re.compile(r"^\s*([a-z_]+)\s*=\s*([a-z]+)\s*\(\s*([^,()]+?)\s*,\s*([^,()]+?)\s*\)\s*$")


@dataclass(frozen=True)
class Distribution:
    """A distribution of one quantity, in the units of its name (see module doc)."""

    kind: str
    a: float
    b: float

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"distribution kind {self.kind!r} must be one of {', '.join(KINDS)}")
        if not (math.isfinite(self.a) and math.isfinite(self.b)):
            raise ValueError(f"{self.kind}({self.a!r}, {self.b!r}): parameters must be finite")
        if self.kind in ("normal", "lognormal") and self.b < 0.0:
            raise ValueError(f"{self.kind}({self.a}, {self.b}): sigma must be >= 0")
        if self.kind == "uniform" and self.b < self.a:
            raise ValueError(f"uniform({self.a}, {self.b}): high must not be below low")

    def draw(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """``size`` values; a zero-width distribution returns its centre exactly."""
        return self.values(self.standard(rng, size))

    def standard(self, rng: np.random.Generator, size: int) -> np.ndarray:
        """The standard variates behind ``size`` values: uniform on [0, 1) or normal."""
        return rng.random(size) if self.kind == "uniform" else rng.standard_normal(size)

    def values(self, standard: np.ndarray) -> np.ndarray:
        """The values of :meth:`standard`'s variates (any shape)."""
        if self.kind == "normal":
            return self.a + self.b * standard
        if self.kind == "uniform":
            return self.a + (self.b - self.a) * standard
        return np.exp(self.a + self.b * standard)

    def text(self) -> str:
        return f"{self.kind}({self.a:g}, {self.b:g})"

    def reach(self) -> float:
        """The largest size of a draw: the bound of a uniform, 6 sigmas from the centre else."""
        if self.kind == "uniform":
            return max(abs(self.a), abs(self.b))
        if self.kind == "normal":
            return abs(self.a) + REACH_SIGMAS * self.b
        exponent = self.a + REACH_SIGMAS * self.b
        return math.exp(exponent) if exponent < 700.0 else math.inf


def parse_vary(text: str) -> tuple[str, Distribution]:
    """``'launch_slip_s=normal(0, 600)'`` -> ('launch_slip_s', Distribution('normal', 0, 600));
    ValueError ``--vary 'TEXT': what`` for a spec :func:`read_spec` refuses."""
    try:
        return read_spec(text)
    except ValueError as exc:
        raise ValueError(f"--vary {text!r}: {exc}") from None


def read_spec(text: str) -> tuple[str, Distribution]:
    """The quantity and distribution of one spec; ValueError saying what is wrong with it
    (grammar, unknown quantity or kind, parameters, a reach beyond the quantity's limit)."""
    match = _SPEC.match(text)
    if match is None:
        raise ValueError("expected NAME=KIND(A, B), e.g. 'launch_slip_s=normal(0, 600)'")
    name, kind, a, b = match.groups()
    if name not in QUANTITIES:
        raise ValueError(f"unknown quantity {name!r}; known: {', '.join(QUANTITIES)}")
    try:
        numbers = float(a), float(b)
    except ValueError:
        raise ValueError(f"expected numbers A and B, got {a!r} and {b!r}") from None
    distribution = Distribution(kind, *numbers)
    lowest = QUANTITIES[name].lowest
    low = numbers[0] - (LOW_SIGMAS * numbers[1] if kind == "normal" else 0.0)
    if kind != "lognormal" and low < lowest:
        spread = "its low end" if kind == "uniform" else f"{LOW_SIGMAS:g} sigma"
        raise ValueError(f"draws reach {low:.3g} at {spread} (expected at least {lowest:g} "
                         f"for {name}: {QUANTITIES[name].meaning}; a lognormal stays above 0)")
    limit = QUANTITIES[name].limit
    if distribution.reach() > limit:
        spread = "its bounds" if kind == "uniform" else f"{REACH_SIGMAS:g} sigma"
        raise ValueError(f"draws reach {distribution.reach():.3g} at {spread} (expected at "
                         f"most {limit:g} for {name}: {QUANTITIES[name].meaning})")
    return name, distribution
