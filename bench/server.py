"""The dashboard under load, and its index with 300 runs: the figures of docs/reliability.md.

1. 300 run folders (hard links of one synthetic run): the first listing of ``/api/runs``
   (from each run's manifest, and for runs without one from each store), then a listing from
   the cache.
2. ``CLIENTS`` concurrent clients for ``DURATION_S`` seconds against a live uvicorn server over
   a runs folder holding a damaged run and links out of the folder (the routes of
   ``tests/web/load.py``): requests, errors, latencies.
3. CZML refusals: the time to refuse a scene of step_s=0.01 over the whole run.

    python bench/server.py [CLIENTS] [DURATION_S]
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))

from fastapi.testclient import TestClient  # noqa: E402
from web.load import hammer, serving  # noqa: E402
from web.synthetic_run import synthetic_tables, write_synthetic_run  # noqa: E402

from stationsim.results.run_folder import RunFolderWriter  # noqa: E402
from stationsim.web.app import create_app  # noqa: E402
from stationsim.web.assets import PACKAGES  # noqa: E402

RUNS = 300


def stand_in_assets(folder: Path) -> Path:
    for package, files in PACKAGES.items():
        for kept in files.kept:
            (folder / package / kept).parent.mkdir(parents=True, exist_ok=True)
            (folder / package / kept).write_text("stand-in")
    return folder


def linked_runs(source: Path, runs: Path, count: int) -> None:
    for k in range(count):
        (runs / f"run-{k:03d}").mkdir(parents=True)
        for path in source.iterdir():
            os.link(path, runs / f"run-{k:03d}" / path.name)


def timed_listing(runs: Path, assets: Path) -> tuple[float, float]:
    client = TestClient(create_app(runs, assets=assets))
    started = time.perf_counter()
    assert len(client.get("/api/runs").json()) == RUNS
    cold_s = time.perf_counter() - started
    started = time.perf_counter()
    assert len(client.get("/api/runs").json()) == RUNS
    return cold_s, time.perf_counter() - started


def main(clients: int = 200, duration_s: float = 30.0) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        assets = stand_in_assets(scratch / "assets")
        with RunFolderWriter(scratch / "one" / "synthetic") as writer:
            writer.save_tables(synthetic_tables())
        write_synthetic_run(scratch / "old" / "synthetic")
        for kind, source in (("with manifests", scratch / "one" / "synthetic"),
                             ("without manifests", scratch / "old" / "synthetic")):
            runs = scratch / f"runs-{kind.replace(' ', '-')}"
            linked_runs(source, runs, RUNS)
            cold_s, warm_s = timed_listing(runs, assets)
            print(f"index of {RUNS} runs {kind}: first listing {cold_s:.2f} s, "
                  f"then {warm_s * 1e3:.0f} ms")

        runs = scratch / "hostile"
        shutil.copytree(scratch / "one" / "synthetic", runs / "synthetic")
        (runs / "broken").mkdir()
        (runs / "broken" / "results.duckdb").write_bytes(b"not a database" * 100)
        os.symlink(runs / "synthetic", runs / "linked")
        client = TestClient(create_app(runs, assets=assets))
        started = time.perf_counter()
        answer = client.get("/api/runs/synthetic/czml", params={"step_s": 0.01})
        print(f"czml step_s=0.01 over the run: {answer.status_code} in "
              f"{(time.perf_counter() - started) * 1e3:.0f} ms ({answer.json()['detail']})")
        with serving(create_app(runs, assets=assets)) as url:
            load = hammer(url, clients=clients, duration_s=duration_s)
        print(f"{clients} clients for {duration_s:g} s: {load.figures()}")
        for example in load.examples:
            print("  error:", example)


if __name__ == "__main__":
    main(*(int(sys.argv[1]),) if len(sys.argv) > 1 else (),
         **({"duration_s": float(sys.argv[2])} if len(sys.argv) > 2 else {}))
