"""Dispersions of a Monte Carlo campaign: the samplers and the draws of the ``--vary`` specs
(read by :mod:`stationsim.scenario.dispersion_spec`, re-exported here).

Quantities that are not varied keep their nominal value (no slip, no error, density scale 1).

Every sample draws from its own stream ``SeedSequence(seed, spawn_key=(k,))``, the k-th child of
``SeedSequence(seed).spawn(...)``, so a sample's draws depend on the seed and its index only:
not on batching, workers or order.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from stationsim.scenario.dispersion_spec import (  # noqa: F401  (the spec, re-exported)
    KINDS,
    QUANTITIES,
    REACH_SIGMAS,
    Distribution,
    Quantity,
    parse_vary,
)

INSERTION_AXES = ("insertion_x_m", "insertion_y_m", "insertion_z_m",
                  "insertion_vx_mps", "insertion_vy_mps", "insertion_vz_mps")


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
