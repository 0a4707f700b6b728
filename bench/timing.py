"""The one timing rule of the benches: the shortest of a few calls, after a warm-up call
(interleaved round by round when calls are compared).

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


def best_times_s(calls: list, repeats: int = 3) -> list[float]:
    """:func:`best_time_s` of several calls timed in turn, round after round (after one warm-up
    round), so that a change of load on the shared machine falls on all of them alike."""
    for call in calls:
        call()
    best = [float("inf")] * len(calls)
    for _ in range(repeats):
        for i, call in enumerate(calls):
            start = time.perf_counter()
            call()
            best[i] = min(best[i], time.perf_counter() - start)
    return best


def cpu_timed(call, spent: list[float]):
    """``call``, appending the CPU time of the process it took (s) to ``spent``: on one thread,
    a call of a second on a shared machine waits for the core in wall time, not in CPU time."""

    def run():
        start = time.process_time()
        result = call()
        spent.append(time.process_time() - start)
        return result

    return run
