"""A run folder: ``runs/<program>/results.duckdb`` and ``report.html``, from a program result."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass
from pathlib import Path

from stationsim import __version__
from stationsim.results.report import write_report
from stationsim.results.store import write_store
from stationsim.results.tables import result_tables


@dataclass(frozen=True)
class RunFolder:
    store: Path
    report: Path


def save_run(
    result,
    program_file: str | Path,
    out_dir: str | Path,
    seed: int,
    wall_s: float,
    started: dt.datetime,
) -> RunFolder:
    """Write the store and the report of ``result`` into ``out_dir`` (each atomically)."""
    folder = Path(out_dir)
    run_row = {
        "program": result.program.name,
        "program_sha256": hashlib.sha256(Path(program_file).read_bytes()).hexdigest(),
        "seed": seed,
        "stationsim_version": __version__,
        "started_utc": started.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
        "wall_s": wall_s,
        "tracking_updates": sum(len(d) for d in result.drifts.values()),
    }
    store = write_store(folder / "results.duckdb", result_tables(result, run_row))
    report = write_report(store, folder / "report.html")
    return RunFolder(store, report)
