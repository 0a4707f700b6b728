"""Rendezvous planning speed: one plan per profile, warm, windows excluded.

Run: ``python bench/rendezvous.py [REPEATS]`` (about 20 s). Cases: STS-74 (Shuttle, Mir's
November 1995 TLE, launch 1995-11-12T12:30:43Z, flight day 4, R-bar approach) and the Soyuz
two-day, 4-orbit and 2-orbit, Apollo and generic co-elliptic profiles against a Mir-like
station placed so that each profile's phase window is met. Each plan is timed REPEATS times
after one warm-up call (Numba caches and imports); the median and the best are printed, and the
re-flight of the STS-74 plan in the full numerical model (DOP853, J2..J6) is timed beside it.
"""

from __future__ import annotations

import statistics
import sys
import time
from functools import partial

from stationsim.astro.constants import DAY_S, DEG, R_EARTH_M
from stationsim.astro.elements import elements_to_state
from stationsim.astro.propagate import J2Secular, Numerical, Sgp4Propagator
from stationsim.astro.time import Epoch
from stationsim.astro.tle import parse_tle_lines
from stationsim.hardware.catalog import load_catalog
from stationsim.ops import find_site, fly_plan, insertion_spec, launch_windows, plan_rendezvous

MIR_1995 = (  # SeeSat-L, W. Nissen, 13 Nov 1995 (tle_historical.csv)
    "1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051",
    "2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898",
)


def station_with_phase(site, family: str, phase_deg: float):
    """A Mir-like station (395 km, 51.6 deg) whose first ascending window has this phase."""
    t0 = Epoch.from_utc(1995, 11, 10)

    def station(u_rad):
        r, v = elements_to_state(R_EARTH_M + 395e3, 0.0003, 51.64 * DEG, 2.4, 0.0, u_rad)
        return J2Secular(t0, r, v)

    spec = insertion_spec(family)
    first = launch_windows(station(0.0), site, t0, 1.5 * DAY_S, spec, ("ascending",))[0]
    shifted = station(phase_deg * DEG - first.phase_angle_rad)
    return shifted, launch_windows(shifted, site, t0, 1.5 * DAY_S, spec, ("ascending",))[0]


def timed(call, repeats: int) -> tuple[float, float, object]:
    result = call()  # warm-up
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        result = call()
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), result


def main(repeats: int = 10) -> None:
    catalog = load_catalog()
    mir = Sgp4Propagator(parse_tle_lines(*MIR_1995, name="MIR"))
    ksc, baikonur = find_site("KSC-39A"), find_site("baikonur-site-1")
    launch = Epoch.from_utc_iso("1995-11-12T12:30:43Z")
    cases = [("shuttle (STS-74, FD4)", lambda: plan_rendezvous(
        mir, catalog.vehicle("atlantis"), ksc, launch, docking_flight_day=4,
        approach="shuttle-mir"))]
    for profile, vehicle, site, family, phase in [
        ("soyuz-two-day", "soyuz-tm", baikonur, "soyuz", 240.0),
        ("soyuz-four-orbit", "soyuz-tm", baikonur, "soyuz", 18.0),
        ("soyuz-two-orbit", "soyuz-tm", baikonur, "soyuz", 11.0),
        ("apollo", "apollo-csm", find_site("ksc-lc-39b"), "apollo", 200.0),
        ("coelliptic", "crew-dragon", find_site("ccsfs-slc-41"), "generic", 200.0),
    ]:
        station, window = station_with_phase(site, family, phase)
        cases.append((profile, partial(plan_rendezvous, station, catalog.vehicle(vehicle), site,
                                       window.in_plane, profile)))
    print(f"{'profile':28s} {'median s':>9s} {'best s':>8s} {'burns':>6s} {'dv m/s':>8s}")
    for name, call in cases:
        median_s, best_s, plan = timed(call, repeats)
        print(f"{name:28s} {median_s:9.3f} {best_s:8.3f} {len(plan.burns):6d} "
              f"{plan.total_dv_mps:8.1f}")
    sts74 = cases[0][1]()
    numerical = partial(Numerical, rtol=1e-10, atol=1e-4)
    median_s, best_s, (miss_m, _) = timed(lambda: fly_plan(sts74, mir, numerical), 3)
    print(f"{'STS-74 re-flown, numerical':28s} {median_s:9.3f} {best_s:8.3f}   miss "
          f"{float(sum(miss_m**2) ** 0.5):.3f} m")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
