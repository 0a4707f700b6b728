"""Monte Carlo campaign speed: 10,000 dispersed rendezvous on 1 and on 2 Dask workers.

Run: ``python bench/campaign.py [SAMPLES]``. The flight is Soyuz TM-23 of the bundled
``example-small`` program (soyuz-two-day profile, 9 burns, insertion to docking in ~2 days)
with every kind of dispersion on, 500 samples per task. Per worker count: the kernel time
(batches submitted to a warm cluster until the last result is back) and a fixed NumPy control
workload on the same cluster, which shows the speed-up the shared machine allows at that
moment. The 1- and 2-worker clusters run side by side and are timed in alternation, three
rounds, best of three (the machine is shared). Then the end-to-end ``run_campaign`` on the
default cluster (one worker per core): planning, cluster start, Parquet, DuckDB and report.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time

import numpy as np
from dask.distributed import Client, LocalCluster, wait

from stationsim.campaign import CampaignSpec, Dispersions, run_campaign
from stationsim.campaign.run import prepare, run_batch

VARY = [
    "launch_slip_s=normal(0, 30)",
    "insertion_x_m=normal(0, 1000)", "insertion_z_m=normal(0, 1000)",
    "insertion_vx_mps=normal(0, 1)", "insertion_vz_mps=normal(0, 1)",
    "density_scale=lognormal(0, 0.3)",
    "burn_magnitude_frac=normal(0, 0.01)", "burn_pointing_deg=normal(0, 0.5)",
    "nav_position_m=normal(0, 10)", "nav_velocity_mps=normal(0, 0.01)",
]
ROUNDS = 3


def control_task(_: int) -> float:
    """A fixed NumPy workload (the speed-up the machine allows at the moment)."""
    rows = np.random.default_rng(0).random((200, 3))
    return float(sum(np.cross(rows, rows[::-1]).sum() for _ in range(3000)))


def timed_s(client: Client, shared, spec: CampaignSpec) -> tuple[float, float]:
    """(wall time of all the campaign's batches, wall time of 8 control tasks)."""
    started = time.perf_counter()
    wait([client.submit(run_batch, shared, spec.seed, spec.dispersions, first, count,
                        pure=False) for _, first, count in spec.batches()])
    done = time.perf_counter()
    wait(client.map(control_task, range(8), pure=False))
    return done - started, time.perf_counter() - done


def end_to_end_s(spec: CampaignSpec) -> float:
    folder = tempfile.mkdtemp(prefix="stationsim-bench-")
    try:
        started = time.perf_counter()
        run_campaign(spec, folder)
        return time.perf_counter() - started
    finally:
        shutil.rmtree(folder)


def main() -> None:
    samples = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    spec = CampaignSpec("example-small", samples, seed=1, flight="Soyuz TM-23",
                        dispersions=Dispersions.from_specs(VARY))
    started = time.perf_counter()
    nominal, _ = prepare(spec)
    print(f"planning the nominal flight: {time.perf_counter() - started:.1f} s "
          f"({os.cpu_count()} cores)")
    clusters, clients, shared = {}, {}, {}
    for workers in (1, 2):
        started = time.perf_counter()
        clusters[workers] = LocalCluster(n_workers=workers, threads_per_worker=1,
                                         processes=True, dashboard_address=":0",
                                         silence_logs=40)
        clients[workers] = Client(clusters[workers])
        shared[workers] = clients[workers].scatter(nominal, broadcast=True)
        clients[workers].run(run_batch, nominal, spec.seed, spec.dispersions, 0, 1)  # warm
        print(f"{workers} worker(s): cluster ready in {time.perf_counter() - started:.1f} s")
    times = {1: [], 2: []}
    for _ in range(ROUNDS):
        for workers in (1, 2):
            times[workers].append(timed_s(clients[workers], shared[workers], spec))
    for workers in (1, 2):
        clients[workers].close()
        clusters[workers].close()
    best = {w: (min(t[0] for t in runs), min(t[1] for t in runs)) for w, runs in times.items()}
    for workers, (kernel, control) in best.items():
        print(f"{workers} worker(s): kernel {kernel:.2f} s ({samples / kernel:.0f} samples/s), "
              f"control {control:.2f} s")
    print(f"speed-up 1 -> 2 workers: kernel {best[1][0] / best[2][0]:.2f}x, "
          f"NumPy control {best[1][1] / best[2][1]:.2f}x")
    print(f"end to end, {os.cpu_count()} workers: {end_to_end_s(spec):.1f} s")


if __name__ == "__main__":
    main()
