"""Size and wall time of the whole-program exports of a bundled program (default shuttle-mir).

Simulates the program once into a temporary run folder, then times each export (the one timing
rule, ``bench/timing.py``: best of three after a warm-up) and prints the files' total size
against the targets: a whole-program CZML under 20 MB written in under 30 s.

    python bench/export.py [NAME]
"""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from pathlib import Path

from timing import best_time_s

from stationsim.program.engine import simulate
from stationsim.results.export import export_run
from stationsim.results.run_folder import save_run
from stationsim.scenario import load_program, program_path

TARGET_CZML_MB = 20.0
TARGET_CZML_S = 30.0


def main(name: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        run = Path(folder) / name
        save_run(simulate(load_program(name)), program_path(name), run, 0, 0.0,
                 dt.datetime.now(dt.UTC))
        print(f"{'format':<10}{'wall (s)':>10}{'size (MB)':>11}{'files':>7}")
        for fmt in ("czml", "oem", "parquet"):
            out = Path(folder) / fmt
            wall_s = best_time_s(lambda fmt=fmt, out=out: export_run(run, fmt, out=out), 2)
            files = [p for p in out.rglob("*") if p.is_file()]
            size_mb = sum(p.stat().st_size for p in files) / 1e6
            line = f"{fmt:<10}{wall_s:>10.1f}{size_mb:>11.1f}{len(files):>7}"
            if fmt == "czml":
                line += (f"   targets {TARGET_CZML_S:.0f} s, {TARGET_CZML_MB:.0f} MB: "
                         f"{wall_s / TARGET_CZML_S:.2f}, {size_mb / TARGET_CZML_MB:.2f}")
            print(line)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "shuttle-mir")
