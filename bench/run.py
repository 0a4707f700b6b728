"""Wall time and peak memory of `stationsim run shuttle-mir` (and any other bundled program).

Runs each program twice in fresh processes: the first warms the Numba and density-table disk
caches, the second is the measurement. Prints wall seconds and peak resident memory (MiB),
and the ratio to the targets (10 s, 1 GiB for shuttle-mir; 120 s for all programs together).

    python bench/run.py [NAME ...]
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

TARGET_WALL_S = 10.0
TARGET_RSS_MIB = 1024.0

CHILD = """
import resource, sys, time
from stationsim.program.engine import simulate
from stationsim.results.run_folder import save_run
from stationsim.scenario import load_program, program_path
import datetime as dt
start = time.perf_counter()
program = load_program(sys.argv[1])
result = simulate(program)
save_run(result, program_path(sys.argv[1]), sys.argv[2], 0, time.perf_counter() - start,
         dt.datetime.now(dt.UTC))
wall = time.perf_counter() - start
rss_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
print(f"{wall:.3f} {rss_mib:.1f}")
"""


def measure(name: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-c", CHILD, name, folder], check=True,
                       capture_output=True)  # warm the caches
        clock = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, name, folder], check=True,
                             capture_output=True, text=True).stdout.split()
        process_s = time.perf_counter() - clock
    return process_s, float(out[1])


def main(names: list[str]) -> None:
    print(f"{'program':<22}{'wall (s)':>10}{'/target':>9}{'peak RSS (MiB)':>16}{'/target':>9}")
    total_s = 0.0
    for name in names:
        wall_s, rss_mib = measure(name)
        total_s += wall_s
        print(f"{name:<22}{wall_s:>10.2f}{wall_s / TARGET_WALL_S:>9.2f}"
              f"{rss_mib:>16.0f}{rss_mib / TARGET_RSS_MIB:>9.2f}")
    if len(names) > 1:
        print(f"{'all together':<22}{total_s:>10.2f}{total_s / 120.0:>9.2f}  (target 120 s)")


if __name__ == "__main__":
    main(sys.argv[1:] or ["shuttle-mir"])
