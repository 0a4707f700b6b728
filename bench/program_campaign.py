"""Whole-program campaign throughput with one and with two Dask workers, in one run.

Run: ``python bench/program_campaign.py [SAMPLES] [PROGRAM]`` (default 12 samples of
shuttle-mir; about 5 min on two idle cores). One local cluster of two worker processes (one
thread each) is started; the same ``SAMPLES`` samples (seed 0) are flown through
``run_program_campaign`` on two workers (each warmed first by one sample, so imports, Numba
kernels, the density table and the frontal areas are loaded), then with the cluster scaled to
one (a warm worker stays), twice; the best rate of each counts. Also the CPU time of one
sample in this process (the mean of three, warm) and the workers' CPU time a sample. Prints
samples/s for each, their ratio, the projected time of 1,000 samples on two workers and the
load average around the measurements: the machine is shared, and a loaded machine gives less
than its cores (the workers' CPU a sample says whether two workers cost more CPU each).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = 2  # two workers then one, twice: the best rate of each counts


def main(samples: int, program: str) -> None:
    import dask
    from dask.distributed import Client, LocalCluster

    from stationsim.campaign.program import ProgramCampaign, fly_sample, run_program_campaign
    from stationsim.scenario import load_program

    loaded = load_program(program)
    fly_sample(loaded, 0, 10_000)  # warm this process
    clock = time.process_time()
    for k in (10_001, 10_002, 10_003):
        fly_sample(loaded, 0, k)
    cpu_s = (time.process_time() - clock) / 3
    rates, cpus, loads = {1: 0.0, 2: 0.0}, {1: [], 2: []}, {1: [], 2: []}
    with (tempfile.TemporaryDirectory() as folder,
          dask.config.set({"distributed.worker.profile.enabled": False}),  # as the command's
          LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                       dashboard_address=":0", silence_logs=40) as cluster,
          Client(cluster) as client):
        for round_ in range(ROUNDS):
            for workers in (2, 1):
                cluster.scale(workers)
                while len(client.scheduler_info()["workers"]) != workers:
                    time.sleep(0.2)
                if workers == 2:
                    client.run(fly_sample, loaded, 0, 10_000)  # a new worker warms up
                load = os.getloadavg()[0]
                cpu_before = sum(client.run(time.process_time).values())
                clock = time.perf_counter()
                run_program_campaign(ProgramCampaign(program, samples, 0),
                                     Path(folder) / f"r{round_}w{workers}",
                                     scheduler=cluster.scheduler_address)
                rates[workers] = max(rates[workers], samples / (time.perf_counter() - clock))
                cpus[workers].append((sum(client.run(time.process_time).values())
                                      - cpu_before) / samples)
                loads[workers] += [load, os.getloadavg()[0]]
        same = all((Path(folder) / "r0w1" / "samples" / name).read_text()
                   == (Path(folder) / "r0w2" / "samples" / name).read_text()
                   for name in os.listdir(Path(folder) / "r0w1" / "samples"))
    ratio = rates[2] / rates[1]
    print(f"{samples} samples of {program}, seed 0, best of {ROUNDS} rounds; one sample "
          f"{cpu_s:.2f} s of CPU in-process")
    for workers in (1, 2):
        print(f"  {workers} worker{'s' if workers > 1 else ' '}  {rates[workers]:.3f} samples/s"
              f"  worker CPU {min(cpus[workers]):.2f} s a sample"
              f"  load {min(loads[workers]):.1f} to {max(loads[workers]):.1f}")
    print(f"  2 workers / 1 worker: {ratio:.2f}x wall; worker CPU a sample, 1 / 2 workers: "
          f"{min(cpus[1]) / min(cpus[2]):.2f}; samples identical: {same}")
    print(f"  1,000 samples on 2 workers at this rate: {1000 / rates[2] / 60:.0f} min; at one "
          f"sample's CPU time per core: {1000 * cpu_s / 2 / 60:.0f} min")
    print("RESULT " + json.dumps({"program": program, "program_samples_per_s_1": rates[1],
                                  "program_samples_per_s_2": rates[2], "program_ratio": ratio,
                                  "program_sample_cpu_s": cpu_s, "identical": same,
                                  "worker_cpu_s": {str(k): min(v) for k, v in cpus.items()},
                                  "load": [min(loads[1] + loads[2]),
                                           max(loads[1] + loads[2])]}))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 12,
         sys.argv[2] if len(sys.argv) > 2 else "shuttle-mir")
