"""Numerical propagation speed side by side: one orbit-day, two-body + J2, 60 s output.

Run: ``python bench/propagate.py``. Every integrator is checked against one tight reference
(scipy DOP853, rtol 1e-13, on the same Numba right-hand side) and timed warm (best of several
runs); tolerances are chosen so each lands near 0.1 mm. Also: drag on vs off, the parallel batch
of 1000 orbit-days, and the cold start of a fresh process with the Numba disk cache warm.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time

import numba
import numpy as np
from numba import njit
from scipy.integrate import solve_ivp
from timing import best_time_s

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


def heyoka_runner():
    """A heyoka Taylor integrator on the same force model, or None when not installed."""
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
    dynamics = [
        (x, vx), (y, vy), (z, vz), (vx, point * x + k * x * (five_u2 - 1.0)),
        (vy, point * y + k * y * (five_u2 - 1.0)), (vz, point * z + k * z * (five_u2 - 3.0)),
    ]
    y0 = np.concatenate([R0_M, V0_MPS])
    integrator = hy.taylor_adaptive(dynamics, y0, tol=1e-13)

    def run():
        integrator.time = 0.0
        integrator.state[:] = y0
        return integrator.propagate_grid(GRID_S)[-1][:, :3]

    return run


def main():
    started = time.perf_counter()
    epochs = T0 + GRID_S
    numerical = Numerical(T0, R0_M, V0_MPS, zonal_degree=2)
    numerical.states(epochs)  # load the cached kernels
    _rhs(0.0, np.concatenate([R0_M, V0_MPS]))
    reference_m = scipy_states(1e-13, 1e-12)

    rows = []  # (name, ms per orbit-day, max position error m)
    ours_s = best_time_s(lambda: numerical.states(epochs), 30)
    rows.append(("stationsim DOP853 (Numba)", ours_s, np.abs(numerical.states(epochs)[0]
                                                           - reference_m).max()))
    scipy_s = best_time_s(lambda: scipy_states(1e-12, 1e-9), 2)
    rows.append(("scipy DOP853, Numba RHS", scipy_s,
                 np.abs(scipy_states(1e-12, 1e-9) - reference_m).max()))
    heyoka = heyoka_runner()
    if heyoka is not None:
        heyoka()
        rows.append(("heyoka Taylor (tol 1e-13)", best_time_s(heyoka, 10),
                     np.abs(heyoka() - reference_m).max()))
    print(f"One orbit-day, two-body + J2, 60 s output (1441 states), load {os.getloadavg()[0]:.1f}")
    print(f"{'integrator':32s} {'ms/orbit-day':>13s} {'ratio to ours':>14s} {'max |dr| m':>11s}")
    for name, seconds, error_m in rows:
        print(f"{name:32s} {seconds * 1e3:13.2f} {seconds / ours_s:14.1f} {error_m:11.1e}")
    print("skipped: orekit-jpype (needs a Java runtime); brahe (installs, but its zonal "
          "model uses EGM2008 J2 and an EOP-driven Earth rotation, so it is not the same problem)")

    table = exponential_table()
    drag = Numerical(T0, R0_M, V0_MPS, 0.01, table, zonal_degree=2)
    drag.states(epochs)
    drag_s = best_time_s(lambda: drag.states(epochs), 30)
    print(f"drag on (Cd A/m = 0.01 m^2/kg, exponential table): {drag_s * 1e3:.2f} ms, "
          f"{drag_s / ours_s:.2f} x J2-only")

    n = 1000
    rng = np.random.default_rng(1)
    r0_m = R0_M + rng.normal(scale=1e3, size=(n, 3))
    v0_mps = V0_MPS + rng.normal(scale=1.0, size=(n, 3))
    propagate_batch(T0, r0_m[:2], v0_mps[:2], epochs, zonal_degree=2)
    for threads in (1, numba.config.NUMBA_NUM_THREADS):
        numba.set_num_threads(threads)
        batch_s = best_time_s(lambda: propagate_batch(T0, r0_m, v0_mps, epochs, zonal_degree=2), 3)
        print(f"batch of {n} orbit-days, {threads} thread(s): {batch_s:.3f} s "
              f"({batch_s / n * 1e3:.2f} ms per orbit-day)")

    cold = []
    for _ in range(3):
        wall = time.perf_counter()
        inside = subprocess.run([sys.executable, "-c", COLD_START], capture_output=True,
                                text=True, check=True).stdout
        cold.append((time.perf_counter() - wall, float(inside)))
    wall_s, inside_s = min(cold)
    print(f"cold start, warm Numba cache: {inside_s:.2f} s import + first propagation "
          f"({wall_s:.2f} s with interpreter start)")
    print(f"bench took {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
