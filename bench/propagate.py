"""Numerical propagation speed side by side: one orbit-day, two-body + J2, 60 s output.

Run: ``python bench/propagate.py``. Every integrator is checked against one tight reference
(scipy DOP853, rtol 1e-13, on the same Numba right-hand side) and timed warm (best of several
runs). Ours and heyoka each run at two tolerances, and each of ours is set beside the heyoka run
of the nearest accuracy. Also: drag on vs off, the default zonal degree (J2..J6) vs J2 alone,
1,000 orbit-days in one batch call against heyoka's SIMD batch integrator (each returning every
orbit's states; wall and CPU time), and the cold start of a fresh process with the Numba disk
cache warm. The last line, ``RESULT {...}``, holds the ratios for ``bench/all.py``.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time

import numba
import numpy as np
from numba import njit
from scipy.integrate import solve_ivp
from timing import best_time_s, best_times_s

from stationsim.astro.atmosphere import exponential_table
from stationsim.astro.constants import GM_EARTH_M3PS2, J2, OMEGA_EARTH_RADPS, R_EARTH_M
from stationsim.astro.forces import NO_DENSITY_TABLE, acceleration, zonal_coefficients
from stationsim.astro.propagate import Numerical, propagate_batch
from stationsim.astro.time import Epoch

T0 = Epoch.from_utc(2000, 1, 1, 12, 0)
R0_M = np.array([6778137.0, 0.0, 0.0])
V0_MPS = np.array([0.0, 4782.8, 6034.4])  # ~400 km circular, 51.6 deg
GRID_S = np.arange(0.0, 86400.0 + 1.0, 60.0)
ZONAL_J2 = zonal_coefficients(2)
NO_LOG_RHO = NO_DENSITY_TABLE[4]  # drag is off: never read
COLD_START = (
    "import time; t = time.perf_counter()\n"
    "import numpy as np\n"
    "from stationsim.astro.propagate import Numerical\n"
    "from stationsim.astro.time import Epoch\n"
    "t0 = Epoch(0.0)\n"
    "Numerical(t0, [6778137.0, 0, 0], [0, 4782.8, 6034.4], zonal_degree=2).states(t0 + 60.0)\n"
    "print(time.perf_counter() - t)\n"
)


@njit(cache=True)
def _rhs(t_s, y):
    """The kernels' right-hand side (two-body + J2, no drag) for scipy."""
    ax, ay, az = acceleration(t_s, y[0], y[1], y[2], y[3], y[4], y[5], GM_EARTH_M3PS2,
                              R_EARTH_M, ZONAL_J2, 0.0, OMEGA_EARTH_RADPS, 0.0, 1.0, 0.0, 1.0,
                              NO_LOG_RHO)
    return np.array([y[3], y[4], y[5], ax, ay, az])


def scipy_states(rtol, atol):
    y0 = np.concatenate([R0_M, V0_MPS])
    sol = solve_ivp(_rhs, (0.0, GRID_S[-1]), y0, method="DOP853", rtol=rtol, atol=atol,
                    t_eval=GRID_S)
    return sol.y[:3].T


def heyoka_dynamics():
    """The two-body + J2 equations in heyoka's expression system, or None when not installed."""
    try:
        import heyoka as hy
    except ImportError:
        return None
    x, y, z, vx, vy, vz = hy.make_vars("x", "y", "z", "vx", "vy", "vz")
    r2 = x * x + y * y + z * z
    r = hy.sqrt(r2)
    k = 1.5 * J2 * GM_EARTH_M3PS2 * R_EARTH_M**2 / (r2 * r2 * r)
    five_u2 = 5.0 * z * z / r2
    point = -GM_EARTH_M3PS2 / (r2 * r)
    return [
        (x, vx), (y, vy), (z, vz), (vx, point * x + k * x * (five_u2 - 1.0)),
        (vy, point * y + k * y * (five_u2 - 1.0)), (vz, point * z + k * z * (five_u2 - 3.0)),
    ]


def heyoka_runner(dynamics, tol):
    """One orbit-day on a heyoka Taylor integrator at ``tol``: a call giving the positions."""
    import heyoka as hy

    y0 = np.concatenate([R0_M, V0_MPS])
    integrator = hy.taylor_adaptive(dynamics, y0, tol=tol)

    def run():
        integrator.time = 0.0
        integrator.state[:] = y0
        return integrator.propagate_grid(GRID_S)[-1][:, :3]

    return run


def cpu_timed(call, spent):
    """``call``, appending the CPU time of the process it took (s) to ``spent``: on one thread,
    a call of a second on a shared machine waits for the core in wall time, not in CPU time."""

    def run():
        start = time.process_time()
        call()
        spent.append(time.process_time() - start)

    return run


def heyoka_batch_runner(dynamics, tol, r0_m, v0_mps):
    """The orbits (N, 3) on heyoka's batch integrator, ``recommended_simd_size`` lanes at a time
    (one thread): a call propagating them all over the day and returning every orbit's states,
    as ``propagate_batch`` does (each group's grid of states as heyoka returns it, kept)."""
    import heyoka as hy

    lanes = hy.recommended_simd_size()
    n = r0_m.shape[0] - r0_m.shape[0] % lanes
    states = np.hstack([r0_m, v0_mps])[:n].reshape(-1, lanes, 6).transpose(0, 2, 1).copy()
    integrator = hy.taylor_adaptive_batch(dynamics, states[0], tol=tol)
    grid = np.repeat(GRID_S[:, None], lanes, axis=1)

    def run():
        grids = []
        for state in states:
            integrator.set_time(0.0)
            integrator.state[:] = state
            grids.append(integrator.propagate_grid(grid)[-1])
        return grids

    return run, n, lanes


def main():
    started = time.perf_counter()
    load = [os.getloadavg()[0]]
    epochs = T0 + GRID_S
    numerical = Numerical(T0, R0_M, V0_MPS, zonal_degree=2)
    tight = Numerical(T0, R0_M, V0_MPS, zonal_degree=2, rtol=3e-13, atol=1e-9)
    numerical.states(epochs)  # load the cached kernels
    _rhs(0.0, np.concatenate([R0_M, V0_MPS]))
    reference_m = scipy_states(1e-13, 1e-12)

    # (name, call giving the positions): ours and heyoka's timed in turn, round after round
    runners = [(name, lambda p=propagator: p.states(epochs)[0])
               for name, propagator in (("stationsim DOP853, rtol 1e-12", numerical),
                                        ("stationsim DOP853, rtol 3e-13", tight))]
    dynamics = heyoka_dynamics()
    if dynamics is not None:
        runners += [(f"heyoka Taylor, tol {tol:.0e}", heyoka_runner(dynamics, tol))
                    for tol in (1e-12, 1e-13)]
    spent = [[] for _ in runners]
    seconds = best_times_s(
        [cpu_timed(run, s) for (_, run), s in zip(runners, spent, strict=True)], 30)
    rows = [(name, s, np.abs(run() - reference_m).max())  # (name, s, max position error m)
            for (name, run), s in zip(runners, seconds, strict=True)]
    scipy_s = best_time_s(lambda: scipy_states(1e-12, 1e-9), 2)
    rows.insert(2, ("scipy DOP853, Numba RHS, rtol 1e-12", scipy_s,
                    np.abs(scipy_states(1e-12, 1e-9) - reference_m).max()))
    ours_s = rows[0][1]
    print(f"One orbit-day, two-body + J2, 60 s output (1441 states), load {load[0]:.1f}")
    print(f"{'integrator':38s} {'ms/orbit-day':>13s} {'/ ours':>7s} {'max |dr| m':>11s}")
    for name, seconds, error_m in rows:
        print(f"{name:38s} {seconds * 1e3:13.3f} {seconds / ours_s:7.2f} {error_m:11.1e}")
    print("skipped: orekit-jpype (needs a Java runtime); brahe (its zonal model uses EGM2008 J2 "
          "and an EOP-driven Earth rotation, so it is not the same problem)")
    result = {"scipy_over_ours": scipy_s / ours_s}
    if dynamics is not None:
        # same accuracy: each of ours beside the heyoka run whose error is nearest its own
        for name, seconds, error_m in rows[:2]:
            anchor = min(rows[3:], key=lambda row: abs(math.log(row[2] / error_m)))
            print(f"{name} / {anchor[0]}: {seconds / anchor[1]:.2f} "
                  f"(errors {error_m:.1e} and {anchor[2]:.1e} m)")
        anchor = min(range(2, len(runners)),
                     key=lambda k: abs(math.log(rows[k + 1][2] / rows[0][2])))
        result["single_over_heyoka"] = rows[0][1] / rows[anchor + 1][1]
        result["single_over_heyoka_cpu"] = min(spent[0]) / min(spent[anchor])
        print(f"{rows[0][0]} / {rows[anchor + 1][0]} in CPU time: "
              f"{result['single_over_heyoka_cpu']:.2f} ({min(spent[0]) * 1e3:.3f} and "
              f"{min(spent[anchor]) * 1e3:.3f} ms)")

    # drag and the default zonal degree, each timed round by round beside J2 alone
    drag = Numerical(T0, R0_M, V0_MPS, 0.01, exponential_table(), zonal_degree=2)
    full = Numerical(T0, R0_M, V0_MPS)  # J2..J6, the default zonal degree
    j2_s, drag_s, full_s = best_times_s(
        [lambda p=propagator: p.states(epochs) for propagator in (numerical, drag, full)], 30,
    )
    print(f"drag on (Cd A/m = 0.01 m^2/kg, exponential table): {drag_s * 1e3:.3f} ms, "
          f"{drag_s / j2_s:.2f} x J2-only")
    result["drag_over_j2"] = drag_s / j2_s
    print(f"J2..J6 (the default zonal degree): {full_s * 1e3:.3f} ms, {full_s / j2_s:.2f} x "
          "J2-only")
    result["zonal_j6_over_j2"] = full_s / j2_s

    n = 1000
    rng = np.random.default_rng(1)
    r0_m = R0_M + rng.normal(scale=1e3, size=(n, 3))
    v0_mps = V0_MPS + rng.normal(scale=1.0, size=(n, 3))
    propagate_batch(T0, r0_m[:2], v0_mps[:2], epochs, zonal_degree=2)
    threads_all = numba.config.NUMBA_NUM_THREADS
    batch, cpu = {}, {}
    for threads in sorted({threads_all, 1}, reverse=True):  # one thread last, beside heyoka
        numba.set_num_threads(threads)
        calls = [lambda: propagate_batch(T0, r0_m, v0_mps, epochs, zonal_degree=2)]
        if threads == 1 and dynamics is not None:
            run, flown, lanes = heyoka_batch_runner(dynamics, 1e-12, r0_m, v0_mps)
            calls.append(run)
        spent = [[] for _ in calls]
        times = best_times_s([cpu_timed(c, s) for c, s in zip(calls, spent, strict=True)], 5)
        batch[threads], cpu[threads] = times[0], min(spent[0])
        print(f"batch of {n} orbit-days, {threads} thread(s): {batch[threads]:.3f} s "
              f"({batch[threads] / n * 1e3:.3f} ms per orbit-day; CPU {cpu[threads]:.3f} s)")
    result["batch_1_thread_s"] = batch[1]
    if dynamics is not None:
        heyoka_batch_s, heyoka_cpu_s = times[1] * n / flown, min(spent[1]) * n / flown
        print(f"heyoka taylor_adaptive_batch, {lanes} SIMD lanes, tol 1e-12, one thread: "
              f"{heyoka_batch_s:.3f} s for {n} ({heyoka_batch_s / n * 1e3:.3f} ms per "
              f"orbit-day; CPU {heyoka_cpu_s:.3f} s); ours on one thread / heyoka batch: "
              f"{batch[1] / heyoka_batch_s:.2f}, in CPU time {cpu[1] / heyoka_cpu_s:.2f}")
        result["batch_over_heyoka"] = batch[1] / heyoka_batch_s
        result["batch_over_heyoka_cpu"] = cpu[1] / heyoka_cpu_s

    cold = []
    for _ in range(3):
        wall = time.perf_counter()
        inside = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True,
                                text=True, check=True).stdout
        cold.append((time.perf_counter() - wall, float(inside)))
    wall_s, inside_s = min(cold)
    print(f"cold start, warm Numba cache: {inside_s:.2f} s import + first propagation "
          f"({wall_s:.2f} s with interpreter start)")
    load.append(os.getloadavg()[0])
    print(f"bench took {time.perf_counter() - started:.0f} s, load {load[0]:.1f} to {load[1]:.1f}")
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main()
