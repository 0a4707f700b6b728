"""`stationsim run NAME` end to end: the first run after an install, then warm runs.

Run: ``python bench/run.py [NAME ...]`` (default shuttle-mir, the README's first command). For
each program, the CLI command in fresh processes: first with empty Numba and stationsim
caches (``NUMBA_CACHE_DIR`` and ``XDG_CACHE_HOME`` set to new temporary folders, as after
``pip install``: the kernels load from the package's compiled bundle where it serves the
machine and compile otherwise, and the disk cache of parsed YAML and plotly.js is built),
then twice with those caches filled (the warm figure is the faster); the modules' byte code is
kept, as an install keeps it. Prints wall seconds, peak resident memory of the process (MiB)
and CPU seconds, against the targets for shuttle-mir: first run 10 s, warm 3 s, 500 MiB. The
last line, ``RESULT {...}``, holds the figures for ``bench/all.py``.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time

TARGET_FIRST_S = 10.0
TARGET_WARM_S = 3.0
TARGET_RSS_MIB = 500.0
CLI = "from stationsim.cli import main; main()"


def timed_run(name: str, out: str, caches: str) -> tuple[float, float, float]:
    """(wall s, peak RSS MiB, CPU s) of ``stationsim run NAME --out OUT`` in a fresh process."""
    env = dict(os.environ, NUMBA_CACHE_DIR=os.path.join(caches, "numba"),
               XDG_CACHE_HOME=os.path.join(caches, "xdg"))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: the modules' byte code is kept
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    clock = time.perf_counter()
    subprocess.run([sys.executable, "-c", CLI, "run", name, "--out", out], check=True,
                   capture_output=True, env=env)
    wall_s = time.perf_counter() - clock
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    return wall_s, after.ru_maxrss / 1024.0, cpu_s  # ru_maxrss: the largest child so far


def measure(name: str) -> dict:
    """First-run and warm figures of one program (module doc)."""
    with tempfile.TemporaryDirectory() as caches, tempfile.TemporaryDirectory() as runs:
        load_before = os.getloadavg()[0]
        first = timed_run(name, os.path.join(runs, "first"), caches)
        warm = min(timed_run(name, os.path.join(runs, f"warm{k}"), caches) for k in range(2))
        return {"first_s": first[0], "first_cpu_s": first[2], "warm_s": warm[0],
                "warm_cpu_s": warm[2], "rss_mib": max(first[1], warm[1]),
                "load": [load_before, os.getloadavg()[0]]}


def main(names: list[str]) -> None:
    print(f"{'program':<16}{'first (s)':>10}{'/10 s':>7}{'warm (s)':>10}{'/3 s':>6}"
          f"{'peak RSS (MiB)':>16}{'/500':>6}{'CPU first, warm (s)':>21}{'load':>11}")
    results = {}
    for name in names:
        m = results[name] = measure(name)
        print(f"{name:<16}{m['first_s']:>10.2f}{m['first_s'] / TARGET_FIRST_S:>7.2f}"
              f"{m['warm_s']:>10.2f}{m['warm_s'] / TARGET_WARM_S:>6.2f}{m['rss_mib']:>16.0f}"
              f"{m['rss_mib'] / TARGET_RSS_MIB:>6.2f}"
              f"{m['first_cpu_s']:>11.2f},{m['warm_cpu_s']:>6.2f}"
              f"{m['load'][0]:>6.1f}-{m['load'][1]:.1f}")
    print("RESULT " + json.dumps(results))


if __name__ == "__main__":
    main(sys.argv[1:] or ["shuttle-mir"])
