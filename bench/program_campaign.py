"""Whole-program campaign throughput with one and with two Dask workers, in one run.

Run: ``python bench/program_campaign.py [SAMPLES] [PROGRAM]`` (default 24 samples of
shuttle-mir; about 5 min on two idle cores). One local cluster of two worker processes (one
thread each) is started and warmed (each worker flies one sample, so imports, Numba kernels,
the density table and the frontal areas are loaded); the same ``SAMPLES`` samples (seed 0) are
then flown through ``run_program_campaign`` on two workers, and after the cluster is scaled to
one (the warm worker stays) on one. Also the CPU time of one sample in this process (the
mean of three, warm). Prints samples/s for each, their ratio, the projected time of 1,000
samples on two workers and the load average around each measurement: the machine is shared,
and a loaded machine gives less than its cores.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path


def main(samples: int, program: str) -> None:
    from dask.distributed import Client, LocalCluster

    from stationsim.campaign.program import ProgramCampaign, fly_sample, run_program_campaign
    from stationsim.scenario import load_program

    loaded = load_program(program)
    fly_sample(loaded, 0, 10_000)  # warm this process
    clock = time.process_time()
    for k in (10_001, 10_002, 10_003):
        fly_sample(loaded, 0, k)
    cpu_s = (time.process_time() - clock) / 3
    rates, loads = {}, {}
    with (tempfile.TemporaryDirectory() as folder,
          LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       dashboard_address=":0", silence_logs=40) as cluster,
          Client(cluster) as client):
        client.wait_for_workers(2)
        client.run(fly_sample, loaded, 0, 10_000)  # one sample on each worker
        for workers in (2, 1):
            cluster.scale(workers)
            while len(client.scheduler_info()["workers"]) != workers:
                time.sleep(0.2)
            load = os.getloadavg()[0]
            clock = time.perf_counter()
            run_program_campaign(ProgramCampaign(program, samples, 0),
                                 Path(folder) / f"w{workers}",
                                 scheduler=cluster.scheduler_address)
            rates[workers] = samples / (time.perf_counter() - clock)
            loads[workers] = (load, os.getloadavg()[0])
        same = all((Path(folder) / "w1" / "samples" / name).read_text()
                   == (Path(folder) / "w2" / "samples" / name).read_text()
                   for name in os.listdir(Path(folder) / "w1" / "samples"))
    ratio = rates[2] / rates[1]
    print(f"{samples} samples of {program}, seed 0; one sample {cpu_s:.2f} s of CPU in-process")
    for workers in (1, 2):
        print(f"  {workers} worker{'s' if workers > 1 else ' '}  {rates[workers]:.3f} samples/s"
              f"  load {loads[workers][0]:.1f} to {loads[workers][1]:.1f}")
    print(f"  2 workers / 1 worker: {ratio:.2f}x; samples identical: {same}")
    print(f"  1,000 samples on 2 workers at this rate: {1000 / rates[2] / 60:.0f} min; at one "
          f"sample's CPU time per core: {1000 * cpu_s / 2 / 60:.0f} min")
    print("RESULT " + json.dumps({"program_samples_per_s_1": rates[1],
                                  "program_samples_per_s_2": rates[2], "program_ratio": ratio,
                                  "program_sample_cpu_s": cpu_s, "identical": same,
                                  "load": [loads[1][0], loads[2][1]]}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 24,
         sys.argv[2] if len(sys.argv) > 2 else "shuttle-mir")
