"""The one timing rule of the benches: the shortest of a few calls, after a warm-up call.

On a shared machine the minimum is the signal (other jobs only ever add time); the warm-up call
keeps compilation and first-touch costs out of the figure.
"""

from __future__ import annotations

import time


def best_time_s(call, repeats: int = 3) -> float:
    """Shortest wall time in seconds of ``repeats`` calls of ``call`` (after one warm-up)."""
    call()
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return min(times)
