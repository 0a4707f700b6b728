"""Lambert solver speed: stationsim's Izzo (2015) kernels beside lamberthub and pykep.

Run: ``python bench/lambert.py`` (about 30 s). Problems: 100,000 random single-revolution
prograde transfers (radii 6,600-42,000 km, any geometry, 10 min-1 day) and, for the
multi-revolution row, the same geometry with revs=1 on the right branch. Anchors, each skipped
with a note when missing: lamberthub's ``izzo2015`` (Numba, one call per problem; timed on a
subset and scaled per solve, since it has no batch call) and pykep's ``lambert_problem``.
"""

from __future__ import annotations

import json

import numba
import numpy as np
from timing import best_time_s

from stationsim.astro.constants import GM_EARTH_M3PS2, KM
from stationsim.astro.lambert import LAMBERT_OK, lambert_izzo_batch, solve_lambert

BATCH = 100_000
SUBSET = 3_000  # problems solved one call at a time


def random_problems(count: int, seed: int = 2015):
    """(r1_m, r2_m, tof_s) for ``count`` random transfers."""
    rng = np.random.default_rng(seed)
    directions = rng.normal(size=(2, count, 3))
    directions /= np.linalg.norm(directions, axis=-1, keepdims=True)
    radii_m = rng.uniform(6600.0 * KM, 42000.0 * KM, size=(2, count, 1))
    r1_m, r2_m = directions * radii_m
    return r1_m, r2_m, rng.uniform(600.0, 86400.0, count)


def batch_rate(r1_m, r2_m, tof_s, revs: int) -> float:
    n = tof_s.size
    args = (np.full(n, revs), np.ones(n, dtype=bool), np.ones(n, dtype=bool))
    return n / best_time_s(lambda: lambert_izzo_batch(GM_EARTH_M3PS2, r1_m, r2_m, tof_s, *args))


def main() -> None:
    r1_m, r2_m, tof_s = random_problems(BATCH)
    threads = numba.get_num_threads()
    rows: list[tuple[str, float]] = []
    rows.append((f"stationsim batch, {BATCH:,} problems, {threads} threads",
                 batch_rate(r1_m, r2_m, tof_s, 0)))
    numba.set_num_threads(1)
    rows.append((f"stationsim batch, {BATCH:,} problems, 1 thread",
                 batch_rate(r1_m, r2_m, tof_s, 0)))
    rows.append(("stationsim batch, revs=1 (right branch), 1 thread",
                 batch_rate(r1_m, r2_m, tof_s, 1)))
    numba.set_num_threads(threads)
    _, _, status = lambert_izzo_batch(GM_EARTH_M3PS2, r1_m, r2_m, tof_s, np.zeros(BATCH, int),
                                      np.ones(BATCH, bool), np.ones(BATCH, bool))
    print(f"single-revolution problems solved: {np.count_nonzero(status == LAMBERT_OK):,} "
          f"of {BATCH:,}")

    sub = slice(0, SUBSET)

    def ours_one_by_one():
        for r1, r2, tof in zip(r1_m[sub], r2_m[sub], tof_s[sub], strict=True):
            solve_lambert(r1, r2, tof)

    rows.append(("stationsim solve_lambert, one call per problem",
                 SUBSET / best_time_s(ours_one_by_one, repeats=2)))

    try:
        from lamberthub import izzo2015
    except ImportError:
        izzo2015 = None
        print("lamberthub not installed: skipped")
    if izzo2015 is not None:
        def lamberthub_one_by_one():
            return [izzo2015(GM_EARTH_M3PS2, r1, r2, tof, 0, True, True, 35, 1e-5, 1e-7)
                    for r1, r2, tof in zip(r1_m[sub], r2_m[sub], tof_s[sub], strict=True)]

        rows.append(("lamberthub izzo2015, one call per problem",
                     SUBSET / best_time_s(lamberthub_one_by_one, repeats=2)))
        ours_v1, _ = solve_lambert(r1_m[sub], r2_m[sub], tof_s[sub])
        theirs_v1 = np.array([v1 for v1, _ in lamberthub_one_by_one()])
        worst = np.max(np.linalg.norm(ours_v1 - theirs_v1, axis=1)
                       / np.linalg.norm(theirs_v1, axis=1))
        print(f"largest |v1 ours - v1 lamberthub| / |v1| over {SUBSET:,} problems: {worst:.1e}")

    try:
        import pykep
    except ImportError:
        pykep = None
        print("pykep not installed: skipped")
    if pykep is not None:
        def pykep_one_by_one():
            for r1, r2, tof in zip(r1_m[sub], r2_m[sub], tof_s[sub], strict=True):
                pykep.lambert_problem(r1.tolist(), r2.tolist(), float(tof), GM_EARTH_M3PS2)

        rows.append(("pykep lambert_problem, one call per problem",
                     SUBSET / best_time_s(pykep_one_by_one, repeats=2)))

    reference = dict(rows).get("lamberthub izzo2015, one call per problem")
    print(f"\n{'solver':<56} {'solves/s':>12} {'vs lamberthub':>14}")
    for name, rate in rows:
        ratio = f"{rate / reference:.1f}x" if reference else "-"
        print(f"{name:<56} {rate:>12,.0f} {ratio:>14}")
    if reference:
        print("RESULT " + json.dumps({"lambert_batch_1_thread_over_lamberthub":
                                      rows[1][1] / reference}))


if __name__ == "__main__":
    main()
