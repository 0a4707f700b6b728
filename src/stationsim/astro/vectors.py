"""Checks and products of small vectors (3-vectors) without NumPy's per-call overhead.

A NumPy call costs microseconds of dispatch (``numpy.cross`` ~50 us, ``isfinite(...).all()``
~5 us) whatever its size, which the planners' loops over single states feel; the same
arithmetic on Python floats gives the same IEEE results in a fraction of the time.
"""

from __future__ import annotations

import math

import numpy as np
from numpy.typing import ArrayLike

SMALL_ARRAY_SIZE = 16  # up to this many entries a check in Python beats one NumPy reduction


def all_finite(array: np.ndarray) -> bool:
    """Whether every entry of the float ``array`` is finite (small arrays checked in Python)."""
    if array.size <= SMALL_ARRAY_SIZE:
        return all(map(math.isfinite, array.ravel().tolist()))
    return bool(np.isfinite(array).all())


def all_positive(array: np.ndarray) -> bool:
    """Whether every entry of the float ``array`` is > 0 (small arrays checked in Python)."""
    if array.size <= SMALL_ARRAY_SIZE:
        return all(entry > 0.0 for entry in array.ravel().tolist())
    return bool((array > 0.0).all())


def norm3(a: np.ndarray) -> float:
    """|a| of one float 3-vector: ``numpy.linalg.norm``'s sum of squares in order, its bits."""
    x, y, z = a.tolist()
    return math.sqrt(x * x + y * y + z * z)


def dot3(a: np.ndarray, b: np.ndarray) -> float:
    """a . b of two float 3-vectors, summed in order as ``numpy.dot`` does for three."""
    (ax, ay, az), (bx, by, bz) = a.tolist(), b.tolist()
    return ax * bx + ay * by + az * bz


def cross3(a: ArrayLike, b: ArrayLike) -> np.ndarray:
    """a x b for (..., 3) arrays that broadcast, written out as ``numpy.cross`` computes it."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    if a.shape == b.shape == (3,):  # one pair: plain floats, no broadcasting machinery
        (ax, ay, az), (bx, by, bz) = a.tolist(), b.tolist()
        return np.array([ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx])
    ax, ay, az = a[..., 0], a[..., 1], a[..., 2]
    bx, by, bz = b[..., 0], b[..., 1], b[..., 2]
    return np.stack(np.broadcast_arrays(ay * bz - az * by, az * bx - ax * bz, ax * by - ay * bx),
                    axis=-1)
