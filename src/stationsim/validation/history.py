"""Run the bundled programs that have a record and write the validation report.

Programs asked for are simulated and saved as run folders (``runs/<name>/``); the others are
compared from the run folder they already have, if any. A program that fails to load or run
gets its error in its section instead of a table.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from stationsim.errors import StationsimError, StorageError
from stationsim.results.export.source import open_store, unreadable
from stationsim.validation.as_built import as_built
from stationsim.validation.compare import compare_store, flight_facts, load_record
from stationsim.validation.report import ProgramOutcome, run_line, write_report
from stationsim.validation.skill import rows_of

if TYPE_CHECKING:
    from stationsim.validation.compare import Record

STORE_NAME = "results.duckdb"


def run_program(name: str, runs_dir: Path, progress: Callable[[float], None] | None = None
                ) -> Path:
    """Simulate the bundled program ``name`` and save its run folder; the store's path."""
    from stationsim.program.engine import simulate
    from stationsim.results.run_folder import save_run
    from stationsim.scenario import load_program, program_path

    program = load_program(name)
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    result = simulate(program, progress=progress)
    saved = save_run(result, program_path(name), runs_dir / name, program.seed or 0,
                     time.perf_counter() - clock, started)
    return saved.store


def program_outcome(
    name: str,
    store: Path | None,
    record: Record | None = None,
    failure: str = "",
) -> ProgramOutcome:
    """The classified comparisons of ``name`` against the store at ``store`` (None: not run,
    because of ``failure``); quantities that need no run are compared all the same."""
    from stationsim.scenario import load_program

    record = record or load_record()
    try:
        program = load_program(name)
    except (StationsimError, ValueError) as exc:
        return ProgramOutcome(name, failure=failure or f"the program does not load: {exc}")
    if store is None or not store.is_file():
        return ProgramOutcome(name, rows_of(name, program, compare_store(name, None, record),
                                            record), failure=failure or "no run folder")
    try:
        with open_store(store.parent) as con:
            cursor = con.execute("SELECT * FROM runs LIMIT 1")
            row = cursor.fetchone()
            columns = [c[0] for c in cursor.description]
        run = dict(zip(columns, row, strict=True)) if row else {}
        if run.get("program", name) != name:
            raise StorageError(f"{store}: a run of {run['program']!r}, not of {name!r}; run "
                               f"'stationsim validate-history {name}' to replace it")
        rows = rows_of(name, program, compare_store(name, store, record), record,
                       flight_facts(store))
    except (StorageError, duckdb.Error) as exc:
        failure = str(exc if isinstance(exc, StorageError) else unreadable(store, exc))
        return ProgramOutcome(name, rows_of(name, program, compare_store(name, None, record),
                                            record), failure=failure)
    return ProgramOutcome(name, rows, run_line(run) if run else "")


def validate_history(names: Sequence[str] | None, runs_dir: Path, out: Path,
                     on_program: Callable[[str, str], None] | None = None) -> list[ProgramOutcome]:
    """Simulate ``names`` (default: every program with a record), compare every program with a
    record and a run folder, and write the report to ``out``.

    ``on_program(name, state)`` is told 'running', 'done' or the failure of each program.
    """
    from stationsim.scenario import load_program

    record = load_record()
    known = list(record.programs)
    chosen = list(names) if names else known
    unknown = [name for name in chosen if name not in known]
    if unknown:
        raise ValueError(f"no record for {', '.join(unknown)}; programs with a record: "
                         f"{', '.join(known)}")
    outcomes = []
    for name in known:
        store = runs_dir / name / STORE_NAME
        if name in chosen:
            if on_program is not None:
                on_program(name, "running")
            try:
                store = run_program(name, runs_dir)
            except (StationsimError, ValueError) as exc:
                outcomes.append(program_outcome(name, None, record, f"the run failed: {exc}"))
                if on_program is not None:
                    on_program(name, f"failed: {exc}")
                continue
            if on_program is not None:
                on_program(name, "done")
        outcomes.append(program_outcome(name, store, record))
    stations, failures = [], []
    for spec in record.as_built:
        try:
            stations.append(as_built(spec["station"], load_program(spec["program"]),
                                     spec["lifeboats"], spec["lifeboats_source"]))
        except (StationsimError, ValueError) as exc:
            failures.append(f"{spec['station']} ({spec['program']}): {exc}")
    write_report(out, record, outcomes, stations, out.parent / "lifetime.md", failures)
    return outcomes
