"""Where a warm `stationsim run NAME` spends its time: cProfile's top functions.

Run: ``python bench/profile_run.py [NAME] [TOP]`` (default shuttle-mir, 15). Runs the command
once to fill the caches, then once under cProfile (which slows Python calls, so read the shares
rather than the seconds), and prints the functions with the most time of their own and the
stationsim functions with the most time inside them. The profiled run is the second in its
process, so the imports and the process's start and exit are not in it (the run phases have
them). ``bench/all.py --before REV`` runs it on that revision too.
"""

from __future__ import annotations

import cProfile
import io
import os
import pstats
import sys
import tempfile
from contextlib import redirect_stdout


def run_cli(name: str, out: str) -> None:
    from stationsim.cli import main

    with redirect_stdout(io.StringIO()):
        main(["run", name, "--out", out])


def short(key) -> str:
    """``package/module.py:line(function)`` with the path up to the package cut off."""
    path, line, function = key
    for marker in ("site-packages/", "src/"):
        if marker in path:
            path = path.split(marker, 1)[1]
    return f"{path}:{line}({function})" if line else function


def main(name: str, top: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run_cli(name, os.path.join(folder, "warm-up"))
        profiler = cProfile.Profile()
        profiler.runcall(run_cli, name, os.path.join(folder, "profiled"))
    stats = pstats.Stats(profiler)
    total_s = max(row[3] for row in stats.stats.values())
    print(f"stationsim run {name}, warm, under cProfile: {total_s:.2f} s, "
          f"load {os.getloadavg()[0]:.1f}")
    print(f"\n{'own time (s)':>12} {'share':>6}  function")
    rows = sorted(stats.stats.items(), key=lambda item: -item[1][2])[:top]
    for key, (_, _, own_s, _, _) in rows:
        print(f"{own_s:12.2f} {own_s / total_s:6.1%}  {short(key)}")
    print(f"\n{'inside (s)':>12} {'share':>6}  stationsim function")
    ours = [(key, row) for key, row in stats.stats.items()
            if "stationsim/" in key[0] and "/cli/" not in key[0]]
    for key, (_, _, _, inside_s, _) in sorted(ours, key=lambda item: -item[1][3])[:top]:
        print(f"{inside_s:12.2f} {inside_s / total_s:6.1%}  {short(key)}")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "shuttle-mir",
         int(sys.argv[2]) if len(sys.argv) > 2 else 15)
