"""Wall time and peak memory of `stationsim run shuttle-mir` (and any other bundled program).

Runs each program twice in fresh processes: the first warms the Numba and density-table disk
caches, the second is the measurement. Prints wall seconds and peak resident memory (MiB),
and the ratio to the targets (10 s, 1 GiB for shuttle-mir; 120 s for all programs together),
with the CPU seconds of the process and the wall seconds of ``simulate`` and of ``save_run``
(store and HTML report) inside it.

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
simulate_start = time.perf_counter()
result = simulate(program)
save_start = time.perf_counter()
save_run(result, program_path(sys.argv[1]), sys.argv[2], 0, save_start - start,
         dt.datetime.now(dt.UTC))
end = time.perf_counter()
usage = resource.getrusage(resource.RUSAGE_SELF)
print(f"{end - start:.3f} {usage.ru_maxrss / 1024.0:.1f} {usage.ru_utime + usage.ru_stime:.3f} "
      f"{save_start - simulate_start:.3f} {end - save_start:.3f}")
"""


def measure(name: str) -> tuple[float, float, float, float, float]:
    """(process wall s, peak RSS MiB, process CPU s, simulate wall s, save_run wall s)."""
    with tempfile.TemporaryDirectory() as folder:
        subprocess.run([sys.executable, "-c", CHILD, name, folder], check=True,
                       capture_output=True)  # warm the caches
        clock = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, name, folder], check=True,
                             capture_output=True, text=True).stdout.split()
        process_s = time.perf_counter() - clock
    _, rss_mib, cpu_s, simulate_s, save_s = (float(x) for x in out)
    return process_s, rss_mib, cpu_s, simulate_s, save_s


def main(names: list[str]) -> None:
    print(f"{'program':<22}{'wall (s)':>10}{'/target':>9}{'peak RSS (MiB)':>16}{'/target':>9}"
          f"{'CPU (s)':>9}{'simulate (s)':>14}{'save (s)':>10}")
    total_s = 0.0
    for name in names:
        wall_s, rss_mib, cpu_s, simulate_s, save_s = measure(name)
        total_s += wall_s
        print(f"{name:<22}{wall_s:>10.2f}{wall_s / TARGET_WALL_S:>9.2f}"
              f"{rss_mib:>16.0f}{rss_mib / TARGET_RSS_MIB:>9.2f}"
              f"{cpu_s:>9.2f}{simulate_s:>14.2f}{save_s:>10.2f}")
    if len(names) > 1:
        print(f"{'all together':<22}{total_s:>10.2f}{total_s / 120.0:>9.2f}  (target 120 s)")


if __name__ == "__main__":
    main(sys.argv[1:] or ["shuttle-mir"])
