"""Size, wall and CPU time of the whole-program exports of a bundled program (default shuttle-mir).

Run: ``python bench/export.py [NAME]`` (about 3 min for shuttle-mir). Simulates the program
once into a temporary run folder, then times each whole-program export (the one timing rule,
``bench/timing.py``: best of two after a warm-up, wall and CPU time) and sums its files' size:
CZML (positions sampled to stay within 350,000), CCSDS OEM in KVN and XML (each vehicle from
insertion to deorbit, a docked vehicle's file repeating the station's states for its stay) and
Parquet (every table). Targets: a whole-program CZML under 20 MB written in under 30 s. The
last line, ``RESULT {...}``, holds the figures for ``bench/all.py``.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
import tempfile
from pathlib import Path

from timing import best_time_s, cpu_timed

from stationsim.program.engine import simulate
from stationsim.results.export import export_run
from stationsim.results.run_folder import save_run
from stationsim.scenario import load_program, program_path

TARGET_CZML_MB = 20.0
TARGET_CZML_S = 30.0


def main(name: str) -> None:
    result = {"program": name}
    with tempfile.TemporaryDirectory() as folder:
        run = Path(folder) / name
        save_run(simulate(load_program(name)), program_path(name), run, 0, 0.0,
                 dt.datetime.now(dt.UTC))
        print(f"{name}, every flight, each export the best of two after a warm-up")
        print(f"{'format':<10}{'wall (s)':>10}{'CPU (s)':>9}{'size (MB)':>11}{'files':>7}")
        for fmt in ("czml", "oem", "parquet"):
            out = Path(folder) / fmt
            spent: list[float] = []
            wall_s = best_time_s(cpu_timed(lambda fmt=fmt, out=out: export_run(run, fmt, out=out),
                                           spent), 2)
            files = [p for p in out.rglob("*") if p.is_file()]
            size_mb = sum(p.stat().st_size for p in files) / 1e6
            line = (f"{fmt:<10}{wall_s:>10.1f}{min(spent):>9.1f}{size_mb:>11.1f}"
                    f"{len(files):>7}")
            if fmt == "czml":
                line += (f"   targets {TARGET_CZML_S:.0f} s, {TARGET_CZML_MB:.0f} MB: "
                         f"{wall_s / TARGET_CZML_S:.2f}, {size_mb / TARGET_CZML_MB:.2f}")
            print(line)
            result[fmt] = {"wall_s": wall_s, "cpu_s": min(spent), "size_mb": size_mb,
                           "files": len(files)}
    print("RESULT " + json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else "shuttle-mir")
