"""Numerical propagation speed side by side: one orbit-day, two-body + J2, 60 s output.

Run: ``python bench/propagate.py [ORBITS]`` (about 20 s). Every integrator is checked against
one tight reference (scipy DOP853, rtol 1e-13, on the same Numba right-hand side) and timed
warm (best of several runs, wall and CPU time). Ours and heyoka each run at two tolerances, and
each of ours is set beside the heyoka run of the nearest accuracy. Also: drag on vs off, the
default zonal degree (J2..J6) vs J2 alone, ``ORBITS`` orbit-days (default 1,000) in one batch
call against heyoka's SIMD batch integrator (each returning every orbit's states, checked
against each other; wall and CPU time), and the cold start of a fresh process with the Numba
disk cache warm. The last line, ``RESULT {...}``, holds the ratios for ``bench/all.py``.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from typing import NamedTuple

import numba
import numpy as np
from numba import njit
from scipy.integrate import solve_ivp
from timing import best_time_s, best_times_s, cpu_timed

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


def positions_on_grid_m(r_m):
    """``r_m`` checked to be the positions (m) of one orbit on :data:`GRID_S`, shape (M, 3)."""
    r_m = np.asarray(r_m)
    if r_m.shape != (GRID_S.size, 3):
        raise ValueError(f"positions of shape {r_m.shape}, expected ({GRID_S.size}, 3)")
    return r_m


def scipy_states(rtol, atol):
    y0 = np.concatenate([R0_M, V0_MPS])
    sol = solve_ivp(_rhs, (0.0, GRID_S[-1]), y0, method="DOP853", rtol=rtol, atol=atol,
                    t_eval=GRID_S)
    return positions_on_grid_m(sol.y[:3].T)  # sol.y is (6, M): state component, then time


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


def heyoka_grid_states(returned, shape):
    """The states on the grid from what heyoka's ``propagate_grid`` returned: a tuple whose last
    element they are (outcome, step sizes, step count and continuous output before them for one
    orbit; the continuous output alone for a batch), checked to have ``shape``."""
    states = returned[-1]
    if not isinstance(states, np.ndarray) or states.shape != shape:
        raise ValueError(f"heyoka's propagate_grid returned states of shape "
                         f"{getattr(states, 'shape', None)}, expected {shape}")
    return states


def heyoka_runner(dynamics, tol):
    """One orbit-day on a heyoka Taylor integrator at ``tol``: a call giving the positions."""
    import heyoka as hy

    y0 = np.concatenate([R0_M, V0_MPS])
    integrator = hy.taylor_adaptive(dynamics, y0, tol=tol)

    def run():
        integrator.time = 0.0
        integrator.state[:] = y0
        states = heyoka_grid_states(integrator.propagate_grid(GRID_S), (GRID_S.size, 6))
        return positions_on_grid_m(states[:, :3])  # (M, 6): time, then x y z vx vy vz

    return run


def heyoka_batch_runner(dynamics, tol, r0_m, v0_mps):
    """The orbits (N, 3) on heyoka's batch integrator, ``recommended_simd_size`` lanes at a time
    (one thread): a call propagating them all over the day and returning every orbit's states,
    as ``propagate_batch`` does (each group's grid of states as heyoka returns it, kept). Also
    the number of orbits flown (whole groups only) and the lanes."""
    import heyoka as hy

    lanes = hy.recommended_simd_size()
    groups = r0_m.shape[0] // lanes
    n = groups * lanes
    # heyoka's batch state is (component, lane): orbit g * lanes + lane is lane ``lane`` of
    # group g
    states = np.hstack([r0_m, v0_mps])[:n].reshape(groups, lanes, 6).transpose(0, 2, 1).copy()
    integrator = hy.taylor_adaptive_batch(dynamics, states[0], tol=tol)
    grid = np.repeat(GRID_S[:, None], lanes, axis=1)

    def run():
        grids = []
        for state in states:
            integrator.set_time(0.0)
            integrator.state[:] = state
            grids.append(heyoka_grid_states(integrator.propagate_grid(grid),
                                            (GRID_S.size, 6, lanes)))
        return grids

    return run, n, lanes


def heyoka_batch_positions_m(grids):
    """The positions (N, M, 3) of the orbits in order, from the groups' grids of states
    (M, 6, lanes) that :func:`heyoka_batch_runner`'s call returns."""
    return np.concatenate([grid[:, :3, :].transpose(2, 0, 1) for grid in grids])


class Timed(NamedTuple):
    """One integrator's orbit-day: best wall and CPU time (s), largest position error (m)."""

    name: str
    kind: str  # "stationsim", "heyoka" or "scipy"
    wall_s: float
    cpu_s: float | None
    error_m: float


def nearest_in_accuracy(row: Timed, anchors: list[Timed]) -> Timed:
    """The anchor whose position error is nearest ``row``'s (in ratio): the same accuracy."""
    return min(anchors, key=lambda anchor: abs(math.log(anchor.error_m / row.error_m)))


def main(orbits: int) -> None:
    started = time.perf_counter()
    load = [os.getloadavg()[0]]
    epochs = T0 + GRID_S
    numerical = Numerical(T0, R0_M, V0_MPS, zonal_degree=2)
    tight = Numerical(T0, R0_M, V0_MPS, zonal_degree=2, rtol=3e-13, atol=1e-9)
    numerical.states(epochs)  # load the cached kernels
    _rhs(0.0, np.concatenate([R0_M, V0_MPS]))
    reference_m = scipy_states(1e-13, 1e-12)

    def error_m(r_m):
        return float(np.abs(positions_on_grid_m(r_m) - reference_m).max())

    # (name, kind, call giving the positions): ours and heyoka's timed in turn, round by round
    runners = [(name, "stationsim", lambda p=propagator: p.states(epochs)[0])
               for name, propagator in (("stationsim DOP853, rtol 1e-12", numerical),
                                        ("stationsim DOP853, rtol 3e-13", tight))]
    dynamics = heyoka_dynamics()
    if dynamics is not None:
        runners += [(f"heyoka Taylor, tol {tol:.0e}", "heyoka", heyoka_runner(dynamics, tol))
                    for tol in (1e-12, 1e-13)]
    spent = [[] for _ in runners]
    walls = best_times_s(
        [cpu_timed(run, s) for (_, _, run), s in zip(runners, spent, strict=True)], 30)
    rows = [Timed(name, kind, wall_s, min(cpu), error_m(run()))
            for (name, kind, run), wall_s, cpu in zip(runners, walls, spent, strict=True)]
    scipy_s = best_time_s(lambda: scipy_states(1e-12, 1e-9), 2)
    rows.append(Timed("scipy DOP853, Numba RHS, rtol 1e-12", "scipy", scipy_s, None,
                      error_m(scipy_states(1e-12, 1e-9))))
    ours = [row for row in rows if row.kind == "stationsim"]
    heyoka = [row for row in rows if row.kind == "heyoka"]
    default = ours[0]  # rtol 1e-12, the default tolerance
    print(f"One orbit-day, two-body + J2, 60 s output ({GRID_S.size} states), "
          f"load {load[0]:.1f}")
    print(f"{'integrator':38s} {'ms/orbit-day':>13s} {'/ ours':>7s} {'max |dr| m':>11s}")
    for row in rows:
        print(f"{row.name:38s} {row.wall_s * 1e3:13.3f} {row.wall_s / default.wall_s:7.2f} "
              f"{row.error_m:11.1e}")
    print("skipped: orekit-jpype (needs a Java runtime); brahe (its zonal model uses EGM2008 J2 "
          "and an EOP-driven Earth rotation, so it is not the same problem)")
    result = {"scipy_over_ours": scipy_s / default.wall_s}
    if heyoka:
        for row in ours:  # each of ours beside the heyoka run of the nearest accuracy
            anchor = nearest_in_accuracy(row, heyoka)
            print(f"{row.name} / {anchor.name}: {row.wall_s / anchor.wall_s:.2f}, in CPU time "
                  f"{row.cpu_s / anchor.cpu_s:.2f} (errors {row.error_m:.1e} and "
                  f"{anchor.error_m:.1e} m; CPU {row.cpu_s * 1e3:.3f} and "
                  f"{anchor.cpu_s * 1e3:.3f} ms)")
        anchor = nearest_in_accuracy(default, heyoka)
        result["single_over_heyoka"] = default.wall_s / anchor.wall_s
        result["single_over_heyoka_cpu"] = default.cpu_s / anchor.cpu_s

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

    rng = np.random.default_rng(1)
    r0_m = R0_M + rng.normal(scale=1e3, size=(orbits, 3))
    v0_mps = V0_MPS + rng.normal(scale=1.0, size=(orbits, 3))
    propagate_batch(T0, r0_m[:2], v0_mps[:2], epochs, zonal_degree=2)
    threads_all = numba.config.NUMBA_NUM_THREADS
    batch_s, batch_cpu_s = {}, {}
    for threads in sorted({threads_all, 1}, reverse=True):  # one thread last, beside heyoka
        numba.set_num_threads(threads)
        calls = [lambda: propagate_batch(T0, r0_m, v0_mps, epochs, zonal_degree=2)]
        if threads == 1 and dynamics is not None:
            run, flown, lanes = heyoka_batch_runner(dynamics, 1e-12, r0_m, v0_mps)
            calls.append(run)
        spent = [[] for _ in calls]
        times = best_times_s([cpu_timed(c, s) for c, s in zip(calls, spent, strict=True)], 9)
        batch_s[threads], batch_cpu_s[threads] = times[0], min(spent[0])
        print(f"batch of {orbits} orbit-days, {threads} thread(s): {batch_s[threads]:.3f} s "
              f"({batch_s[threads] / orbits * 1e3:.3f} ms per orbit-day; "
              f"CPU {batch_cpu_s[threads]:.3f} s)")
    result["batch_1_thread_s"] = batch_s[1]
    if dynamics is not None:
        heyoka_s, heyoka_cpu_s = times[1] * orbits / flown, min(spent[1]) * orbits / flown
        ours_r_m = propagate_batch(T0, r0_m[:flown], v0_mps[:flown], epochs,
                                   zonal_degree=2).r_gcrf_m
        apart_m = np.abs(ours_r_m - heyoka_batch_positions_m(run())).max()
        print(f"heyoka taylor_adaptive_batch, {lanes} SIMD lanes, tol 1e-12, one thread: "
              f"{heyoka_s:.3f} s for {orbits} ({heyoka_s / orbits * 1e3:.3f} ms per orbit-day; "
              f"CPU {heyoka_cpu_s:.3f} s); ours on one thread / heyoka batch: in CPU time "
              f"{batch_cpu_s[1] / heyoka_cpu_s:.2f}, in wall time {batch_s[1] / heyoka_s:.2f}; "
              f"the two batches' positions at most {apart_m:.1e} m apart over {flown} orbits")
        result["batch_over_heyoka"] = batch_s[1] / heyoka_s
        result["batch_over_heyoka_cpu"] = batch_cpu_s[1] / heyoka_cpu_s
        result["batch_apart_m"] = float(apart_m)

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
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
