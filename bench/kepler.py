"""Kepler propagation speed: stationsim's universal-variable kernel beside the anchors.

Run: ``python bench/kepler.py`` (about 15 s). Anchors, each skipped with a note when missing:
heyoka (Taylor integration of the two-body problem at its default tolerance, machine epsilon,
and its ``kepE`` Kepler-equation solver) and scipy (DOP853 at rtol 1e-12). poliastro/hapsira
are not dependencies and lamberthub does not propagate, so they are not timed. Cases: Vallado
4th ed. Example 2-4 (40 min) for single propagations; 100,000 random elliptic states
(a 6,600-42,000 km, e < 0.7) for the batch.
"""

from __future__ import annotations

import time

import numpy as np

from stationsim.astro.constants import GM_EARTH_M3PS2, KM
from stationsim.astro.elements import elements_to_state, mean_to_eccentric
from stationsim.astro.kepler import kepler_universal_kernel, propagate_kepler

R0_M = np.array([1131.340, -2282.343, 6672.423]) * KM
V0_MPS = np.array([-5.64305, 4.30333, 2.42879]) * KM
DT_S = 2400.0
BATCH = 100_000


def rate_per_s(call, budget_s: float = 1.0, per_call: int = 1) -> float:
    """Calls (times ``per_call`` items) per second, timed over about ``budget_s``."""
    call()
    count, start = 0, time.perf_counter()
    while (elapsed := time.perf_counter() - start) < budget_s:
        call()
        count += 1
    return count * per_call / elapsed


def heyoka_two_body():
    """A heyoka Taylor integrator of the two-body problem, or None if heyoka is missing."""
    try:
        import heyoka as hy
    except ImportError:
        return None
    x, y, z, vx, vy, vz = hy.make_vars("x", "y", "z", "vx", "vy", "vz")
    r3 = hy.sqrt(x * x + y * y + z * z) ** 3
    equations = [(x, vx), (y, vy), (z, vz), (vx, -GM_EARTH_M3PS2 * x / r3),
                 (vy, -GM_EARTH_M3PS2 * y / r3), (vz, -GM_EARTH_M3PS2 * z / r3)]
    return hy.taylor_adaptive(equations, np.concatenate([R0_M, V0_MPS]))


def main() -> None:
    rows: list[tuple[str, float, str]] = []
    r_ours, _ = propagate_kepler(R0_M, V0_MPS, DT_S)
    rows.append(("stationsim propagate_kepler, single",
                 rate_per_s(lambda: propagate_kepler(R0_M, V0_MPS, DT_S)), "ours"))
    r_row, v_row = R0_M[None, :].copy(), V0_MPS[None, :].copy()
    dt_row, out_r, out_v = np.array([DT_S]), np.empty((1, 3)), np.empty((1, 3))
    status = np.empty(1, dtype=np.int64)
    rows.append(("stationsim kernel alone, single", rate_per_s(
        lambda: kepler_universal_kernel(r_row, v_row, dt_row, GM_EARTH_M3PS2, out_r, out_v,
                                        status)), "ours"))

    integrator = heyoka_two_body()
    if integrator is None:
        print("heyoka not installed: Taylor anchor skipped")
    else:
        start_state = np.concatenate([R0_M, V0_MPS])

        def heyoka_once():
            integrator.time = 0.0
            integrator.state[:] = start_state
            integrator.propagate_until(DT_S)

        rows.append(("heyoka taylor_adaptive (default tol), single", rate_per_s(heyoka_once),
                     "anchor"))
        heyoka_once()
        print(f"|r ours - r heyoka| after 40 min: "
              f"{np.linalg.norm(r_ours - integrator.state[:3]):.1e} m")

    try:
        from scipy.integrate import solve_ivp
    except ImportError:
        print("scipy not installed: DOP853 anchor skipped")
    else:
        def two_body(_t, y):
            return np.concatenate([y[3:], -GM_EARTH_M3PS2 * y[:3] / np.linalg.norm(y[:3]) ** 3])

        def scipy_once():
            solve_ivp(two_body, (0.0, DT_S), np.concatenate([R0_M, V0_MPS]), method="DOP853",
                      rtol=1e-12, atol=1e-6)

        rows.append(("scipy solve_ivp DOP853 (rtol 1e-12), single", rate_per_s(scipy_once),
                     "anchor"))

    rng = np.random.default_rng(20240501)
    a_m = rng.uniform(6600.0, 42000.0, BATCH) * KM
    e = rng.uniform(0.0, 0.7, BATCH) * (1.0 - 6600.0 * KM / a_m)  # periapsis above 6,600 km
    angles = rng.uniform(0.0, 2.0 * np.pi, (4, BATCH))
    r_batch, v_batch = elements_to_state(a_m, e, angles[0] / 2.0, angles[1], angles[2], angles[3])
    dt_batch = rng.uniform(-86400.0, 86400.0, BATCH)
    rows.append((f"stationsim propagate_kepler, batch of {BATCH:,}", rate_per_s(
        lambda: propagate_kepler(r_batch, v_batch, dt_batch), 3.0, BATCH), "ours"))

    mean_rad = rng.uniform(-np.pi, np.pi, BATCH)
    rows.append((f"stationsim mean_to_eccentric (NumPy), batch of {BATCH:,}", rate_per_s(
        lambda: mean_to_eccentric(mean_rad, e), 2.0, BATCH), "ours"))
    try:
        import heyoka as hy
    except ImportError:
        print("heyoka not installed: kepE anchor skipped")
    else:
        ecc_var, mean_var = hy.make_vars("e", "M")
        kep_e = hy.cfunc([hy.kepE(ecc_var, mean_var)], [ecc_var, mean_var])
        inputs = np.ascontiguousarray(np.stack([e, mean_rad]))
        rows.append((f"heyoka cfunc kepE, batch of {BATCH:,}",
                     rate_per_s(lambda: kep_e(inputs), 2.0, BATCH), "anchor"))
        difference = kep_e(inputs)[0] - mean_to_eccentric(mean_rad, e)  # heyoka: [0, 2 pi)
        worst = np.max(np.abs(np.mod(difference + np.pi, 2.0 * np.pi) - np.pi))
        print(f"max |E ours - E heyoka| over the batch: {worst:.1e} rad")

    print(f"\n{'case':58s} {'per second':>14s}")
    for name, rate, _ in rows:
        print(f"{name:58s} {rate:14,.0f}")
    rates = {name: rate for name, rate, _ in rows}
    ours = {name: rate for name, rate, kind in rows if kind == "ours"}
    anchors = {name: rate for name, rate, kind in rows if kind == "anchor"}
    print("\nratios (ours / anchor):")
    for anchor_name, anchor_rate in anchors.items():
        same_kind = [n for n in ours if ("kepE" in anchor_name) == ("eccentric" in n)]
        for our_name in same_kind:
            print(f"  {our_name} / {anchor_name}: {rates[our_name] / anchor_rate:,.2f}")


if __name__ == "__main__":
    main()
