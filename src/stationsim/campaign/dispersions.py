"""Dispersions of a Monte Carlo campaign: the ``--vary`` spec, the samplers and the draws.

A spec reads ``NAME=KIND(A, B)``, e.g. ``launch_slip_s=normal(0, 600)``; kinds are
``normal(mean, sigma)``, ``uniform(low, high)`` and ``lognormal(mu, sigma)`` (of the natural
log). Names carry the unit of the values as written; degrees are converted to radians here,
once. Quantities that are not varied keep their nominal value (no slip, no error, density
scale 1).

Every sample draws from its own stream ``SeedSequence(seed, spawn_key=(k,))``, the k-th child of
``SeedSequence(seed).spawn(...)``, so a sample's draws depend on the seed and its index only:
not on batching, workers or order.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
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


# Limits: a launch a day late is a new plan (and leaves the flight's density table, which spans
# a day either side of launch and docking); launchers put a vehicle within kilometres and metres
# per second of their target orbit, and 100 km or 100 m/s is another orbit; NRLMSIS densities
# err by tens of percent (Emmert 2015, Adv. Space Res. 56), not a factor of ten; a burn errs by
# less than all of itself and points within a half turn.
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
    "density_scale": Quantity("sample", 1.0, 1.0, "factor on the atmospheric density", 10.0),
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
INSERTION_AXES = ("insertion_x_m", "insertion_y_m", "insertion_z_m",
                  "insertion_vx_mps", "insertion_vy_mps", "insertion_vz_mps")

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
    """``'launch_slip_s=normal(0, 600)'`` -> ('launch_slip_s', Distribution('normal', 0, 600))."""
    match = _SPEC.match(text)
    if match is None:
        raise ValueError(
            f"--vary {text!r}: expected NAME=KIND(A, B), e.g. 'launch_slip_s=normal(0, 600)'")
    name, kind, a, b = match.groups()
    if name not in QUANTITIES:
        raise ValueError(f"--vary {text!r}: unknown quantity {name!r}; known: "
                         f"{', '.join(QUANTITIES)}")
    try:
        distribution = Distribution(kind, float(a), float(b))
    except ValueError as exc:
        raise ValueError(f"--vary {text!r}: {exc}") from None
    limit = QUANTITIES[name].limit
    if distribution.reach() > limit:
        spread = "its bounds" if kind == "uniform" else f"{REACH_SIGMAS:g} sigma"
        raise ValueError(f"--vary {text!r}: draws reach {distribution.reach():.3g} at "
                         f"{spread} (expected at most {limit:g} for {name}: "
                         f"{QUANTITIES[name].meaning})")
    return name, distribution


@dataclass(frozen=True)
class Dispersions:
    """The varied quantities (name -> Distribution); the rest stay nominal.

    ``insertion_covariance_lvlh``: instead of independent ``insertion_*`` components, a full
    6x6 covariance of the insertion error [x, y, z m, vx, vy, vz m/s] in the vehicle's LVLH
    (symmetric, positive semi-definite; SI: m^2, m^2/s, m^2/s^2), drawn as a zero-mean normal.
    """

    varied: dict[str, Distribution] = field(default_factory=dict)
    insertion_covariance_lvlh: tuple[tuple[float, ...], ...] | None = None

    def __post_init__(self):
        unknown = sorted(set(self.varied) - set(QUANTITIES))
        if unknown:
            raise ValueError(f"unknown dispersion(s) {unknown}; known: {', '.join(QUANTITIES)}")
        if self.insertion_covariance_lvlh is None:
            return
        both = sorted(set(self.varied) & set(INSERTION_AXES))
        if both:
            raise ValueError(f"give insertion_covariance_lvlh or {both}, not both")
        matrix = np.asarray(self.insertion_covariance_lvlh, dtype=float)
        if matrix.shape != (6, 6) or not np.all(np.isfinite(matrix)):
            raise ValueError(f"insertion_covariance_lvlh must be a finite 6x6 matrix, got "
                             f"{self.insertion_covariance_lvlh!r}")
        if not np.allclose(matrix, matrix.T, rtol=1e-12, atol=0.0):
            raise ValueError("insertion_covariance_lvlh must be symmetric")
        if np.linalg.eigvalsh(matrix).min() < -1e-12 * max(np.abs(matrix).max(), 1e-300):
            raise ValueError("insertion_covariance_lvlh must be positive semi-definite")
        object.__setattr__(self, "insertion_covariance_lvlh",
                           tuple(tuple(float(x) for x in row) for row in matrix))

    @property
    def empty(self) -> bool:
        """True when nothing is dispersed: every sample would fly the nominal plan."""
        return not self.varied and self.insertion_covariance_lvlh is None

    def _insertion_factor(self) -> np.ndarray | None:
        """F with F F^T = the covariance (eigen-decomposition: singular matrices allowed)."""
        if self.insertion_covariance_lvlh is None:
            return None
        values, vectors = np.linalg.eigh(np.asarray(self.insertion_covariance_lvlh))
        return vectors * np.sqrt(np.maximum(values, 0.0))

    @classmethod
    def from_specs(cls, specs: list[str]) -> Dispersions:
        varied = {}
        for text in specs:
            name, distribution = parse_vary(text)
            if name in varied:
                raise ValueError(f"--vary names {name!r} twice")
            varied[name] = distribution
        return cls(varied)

    def texts(self) -> list[str]:
        """The specs in canonical order (as ``parse_vary`` reads them)."""
        return [f"{name}={self.varied[name].text()}" for name in QUANTITIES if name in self.varied]

    def draw(self, seed: int, first: int, count: int, n_burns: int, n_targets: int) -> Draws:
        """Draws of samples ``first .. first + count - 1`` (SI), each from its own stream."""
        if seed < 0:
            raise ValueError(f"seed must be >= 0, got {seed}")
        sizes = {"sample": 1, "burn": n_burns, "burn-transverse": 2 * n_burns,
                 "target-axis": 3 * n_targets}
        values = {name: np.full((count, sizes[q.per]), q.nominal * q.to_si)
                  for name, q in QUANTITIES.items()}
        varied = [(name, sizes[quantity.per], self.varied[name])
                  for name, quantity in QUANTITIES.items() if name in self.varied]  # stream order
        standard = {name: np.empty((count, size)) for name, size, _ in varied}
        factor = self._insertion_factor()
        correlated = np.zeros((count, 6))
        for row, rng in enumerate(sample_generators(seed, first, count)):
            for name, size, distribution in varied:
                standard[name][row] = distribution.standard(rng, size)
            if factor is not None:
                correlated[row] = factor @ rng.standard_normal(6)
        for name, _, distribution in varied:  # per element as one sample's draw would be
            values[name] = distribution.values(standard[name]) * QUANTITIES[name].to_si
        return Draws(
            index=np.arange(first, first + count),
            launch_slip_s=values["launch_slip_s"][:, 0],
            insertion_lvlh=np.hstack([values[name] for name in INSERTION_AXES]) + correlated,
            density_scale=values["density_scale"][:, 0],
            burn_magnitude_frac=values["burn_magnitude_frac"],
            burn_pointing_rad=values["burn_pointing_deg"].reshape(count, n_burns, 2),
            nav_position_m=values["nav_position_m"].reshape(count, n_targets, 3),
            nav_velocity_mps=values["nav_velocity_mps"].reshape(count, n_targets, 3),
        )


def sample_generator(seed: int, index: int) -> np.random.Generator:
    """Generator of sample ``index``: child ``index`` of ``SeedSequence(seed).spawn(...)``."""
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(index,))))


# numpy's SeedSequence hash (O'Neill's seed_seq_fe, numpy/random/bit_generator.pyx; NEP 19)
_INIT_A, _MULT_A, _INIT_B, _MULT_B = 0x43B0D7E5, 0x931E8875, 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = np.uint32(0xCA01F9DD), np.uint32(0x4973F715)
_POOL = 4  # SeedSequence's default pool size, in 32-bit words


def _hash(words: np.ndarray, constant: int, multiplier: int) -> tuple[np.ndarray, int]:
    """One step of the hash over uint32 ``words`` (one per sample): (hashed, next constant)."""
    words = words ^ np.uint32(constant)
    constant = constant * multiplier & 0xFFFFFFFF
    words = words * np.uint32(constant)
    return words ^ (words >> np.uint32(16)), constant


def _mix(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    result = _MIX_L * x - _MIX_R * y
    return result ^ (result >> np.uint32(16))


class _Seeded(np.random.bit_generator.ISeedSequence):
    """A sample's SeedSequence reduced to the four 64-bit words that PCG64 seeds from."""

    def __init__(self, words: np.ndarray) -> None:
        self.words = words

    def generate_state(self, n_words: int, dtype: type = np.uint32) -> np.ndarray:
        if n_words != 4 or np.dtype(dtype) != np.uint64:
            raise ValueError("only PCG64's request (4 uint64 words) is precomputed")
        return self.words


def sample_generators(seed: int, first: int, count: int) -> Iterator[np.random.Generator]:
    """:func:`sample_generator` of samples ``first .. first + count - 1``, one after another.

    The same streams, bit for bit: SeedSequence's entropy hash is run for all the samples at
    once in NumPy (uint32 words, one per sample) and PCG64 is seeded from its output.
    """
    if first + count > 2**32:  # a spawn key of two words: not worth a vectorised case
        yield from (sample_generator(seed, index) for index in range(first, first + count))
        return
    seed_words = [seed >> shift & 0xFFFFFFFF for shift in range(0, max(seed.bit_length(), 1), 32)]
    entropy = [np.full(count, word, dtype=np.uint32) for word in seed_words]
    entropy += [np.zeros(count, dtype=np.uint32)] * (_POOL - len(entropy))
    entropy.append(np.arange(first, first + count, dtype=np.uint32))  # the spawn key (index,)
    constant = _INIT_A
    pool = []
    for i in range(_POOL):
        word, constant = _hash(entropy[i], constant, _MULT_A)
        pool.append(word)
    for i_src in range(_POOL):
        for i_dst in range(_POOL):
            if i_src != i_dst:
                word, constant = _hash(pool[i_src], constant, _MULT_A)
                pool[i_dst] = _mix(pool[i_dst], word)
    for i_src in range(_POOL, len(entropy)):
        for i_dst in range(_POOL):
            word, constant = _hash(entropy[i_src], constant, _MULT_A)
            pool[i_dst] = _mix(pool[i_dst], word)
    constant = _INIT_B
    state = []
    for i in range(8):  # generate_state(4, uint64): 8 words from the pool, cycled
        word, constant = _hash(pool[i % _POOL], constant, _MULT_B)
        state.append(word)
    words = np.stack(state, axis=1).astype("<u4").view("<u8").astype(np.uint64)
    for row in words:
        yield np.random.Generator(np.random.PCG64(_Seeded(row)))


class Draws(NamedTuple):
    """Per-sample dispersions in SI, rows = samples (see QUANTITIES for each)."""

    index: np.ndarray  # (N,) sample numbers
    launch_slip_s: np.ndarray  # (N,)
    insertion_lvlh: np.ndarray  # (N, 6): position m, velocity m/s in the vehicle's LVLH
    density_scale: np.ndarray  # (N,)
    burn_magnitude_frac: np.ndarray  # (N, n_burns)
    burn_pointing_rad: np.ndarray  # (N, n_burns, 2): about the two transverse axes
    nav_position_m: np.ndarray  # (N, n_targets, 3)
    nav_velocity_mps: np.ndarray  # (N, n_targets, 3)
