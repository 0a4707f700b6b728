"""Where a warm `stationsim run NAME` spends its CPU time, phase by phase, now and before.

Run: ``python bench/run_phases.py [NAME] [--before REV] [--runs N]`` (default shuttle-mir, 3
runs; about a minute a run on a busy machine). Each run is a fresh process that does what the
command does, step by step, and reads the process's CPU time and the wall clock after each:
imports (the command line, the engine, the store and the report; the Numba kernels load from
their disk cache in the background meanwhile), reading the program, the simulation, the
result tables, the DuckDB store, the HTML report, and the manifest and terminal summary; the
rest of the process (the interpreter's start and its exit) is counted from the outside. With
``--before REV`` the same runs on that git revision's ``src/`` (exported to a temporary
folder), alternating with this tree's, so both meet the same load; a first run of each fills
the caches and is not counted. The least CPU time of the runs counts (the one least disturbed
by the other jobs); the last line, ``RESULT {...}``, holds the figures for ``bench/all.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PHASES = ("imports", "load", "simulate", "tables", "store", "report", "summary", "start, exit")


def child(name: str, folder: str) -> None:
    """One warm run, phase by phase: print {phase: [wall s, CPU s]} as JSON."""
    import time

    marks = [(time.perf_counter(), time.process_time())]

    def mark() -> None:
        marks.append((time.perf_counter(), time.process_time()))

    import contextlib
    import io

    import stationsim.cli  # noqa: F401  the command line, as `stationsim run` starts
    try:  # as the command runs its process and writes its folder (trees before lack these)
        from stationsim.cli.kernels import compile_notice
        from stationsim.cli.process import importing, one_command
        from stationsim.results.store import written_store
    except ImportError:
        compile_notice, importing, one_command = (lambda tell: contextlib.nullcontext(),
                                                  contextlib.nullcontext, lambda: None)
        written_store = None
    try:  # the terminal summary read through the writing connection
        from stationsim.cli.summary import summary_rows
    except ImportError:
        summary_rows = None
    one_command()
    stack = contextlib.ExitStack()  # open to the end, as the command's notice of compiling
    with importing():
        from stationsim.astro.compile import compile_kernels_in_background

        stack.enter_context(compile_notice(lambda count, kernel: None))
        compile_kernels_in_background()
        from stationsim.cli.summary import print_summary
        from stationsim.program.engine import simulate
        from stationsim.results.export.source import run_summary
        from stationsim.results.report import write_report
        from stationsim.results.run_folder import write_manifest
        from stationsim.results.store import write_store
        from stationsim.results.tables import result_tables
        from stationsim.scenario import load_program, program_path
    mark()
    path = program_path(name)
    program = load_program(path)
    mark()
    result = simulate(program)
    mark()
    run_row = {"program": program.name, "program_sha256": "", "seed": program.seed or 0,
               "stationsim_version": "", "started_utc": "2000-01-01T00:00:00", "wall_s": 0.0,
               "tracking_updates": sum(len(d) for d in result.drifts.values())}
    tables = result_tables(result, run_row)
    mark()
    store = Path(folder) / "results.duckdb"
    rows = None
    if written_store is None:  # each reader opens the store again
        write_store(store, tables)
        mark()
        write_report(store, Path(folder) / "report.html")
        mark()
        write_manifest(Path(folder))
    else:  # the report and the manifest's summary read it through the writing connection
        with written_store(store, tables) as con:
            mark()
            write_report(con, Path(folder) / "report.html")
            mark()
            summary = run_summary(con)
            rows = summary_rows(con) if summary_rows is not None else None
        write_manifest(Path(folder), summary)
    with contextlib.redirect_stdout(io.StringIO()):
        print_summary(store if rows is None else rows, result.warnings)
    mark()
    print(json.dumps({phase: [b[0] - a[0], b[1] - a[1]]
                      for phase, a, b in zip(PHASES[:-1], marks[:-1], marks[1:], strict=True)}),
          flush=True)
    with contextlib.suppress(ImportError):  # and ends as the command's process does
        from stationsim.cli.process import finished

        finished(0)


def one_run(name: str, source: Path) -> dict:
    """{phase: (wall s, CPU s)} of one warm run on ``source`` (a ``src`` folder); the process's
    own start and exit are what its whole wall and CPU time leave over."""
    env = dict(os.environ, PYTHONPATH=str(source))
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as installed: the modules' byte code is kept
    with tempfile.TemporaryDirectory() as folder:
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        clock = time.perf_counter()
        done = subprocess.run([sys.executable, __file__, "--child", name, folder], env=env,
                              check=True, capture_output=True, text=True)
        wall_s = time.perf_counter() - clock
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
    phases = json.loads(done.stdout.splitlines()[-1])
    cpu_s = (after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime)
    phases["start, exit"] = [wall_s - sum(w for w, _ in phases.values()),
                             cpu_s - sum(c for _, c in phases.values())]
    return phases


def export_revision(revision: str, folder: Path) -> Path:
    """``src/`` of ``revision`` exported into ``folder``; the path to put on PYTHONPATH."""
    archive = subprocess.run(["git", "archive", revision, "src"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def least(runs: list[dict]) -> dict:
    """Per phase, the run of least CPU time: {phase: (wall s, CPU s)}; and the whole run's."""
    best = {phase: min((run[phase] for run in runs), key=lambda wc: wc[1]) for phase in PHASES}
    whole = min(runs, key=lambda run: sum(run[p][1] for p in PHASES))
    best["total"] = [sum(whole[p][0] for p in PHASES), sum(whole[p][1] for p in PHASES)]
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", nargs="?", default="shuttle-mir")
    parser.add_argument("--before", help="git revision to measure beside this tree")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(*options.child)
        return
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        trees = {"now": ROOT / "src"}
        if options.before:
            trees[options.before] = export_revision(options.before, Path(folder))
        runs = {label: [] for label in trees}
        for source in trees.values():
            one_run(options.name, source)  # fills the Numba, density and YAML caches
        for _ in range(options.runs):
            for label, source in trees.items():
                runs[label].append(one_run(options.name, source))
    figures = {label: least(found) for label, found in runs.items()}
    load = [load_before, os.getloadavg()[0]]
    print(f"stationsim run {options.name}, warm, least CPU time of {options.runs} runs "
          f"(wall time beside it), load {load[0]:.1f} to {load[1]:.1f}")
    labels = list(figures)
    header = "".join(f"{'CPU s (wall s), ' + label:>28}" for label in labels)
    ratio = f"{'now / ' + labels[1]:>14}" if len(labels) > 1 else ""
    print(f"{'phase':<12}{header}{ratio}")
    for phase in (*PHASES, "total"):
        cells = "".join(f"{figures[label][phase][1]:>19.2f} ({figures[label][phase][0]:5.1f})"
                        for label in labels)
        share = (f"{figures['now'][phase][1] / figures[labels[1]][phase][1]:>14.2f}"
                 if len(labels) > 1 else "")
        print(f"{phase:<12}{cells}{share}")
    print("RESULT " + json.dumps({"program": options.name, "phases": figures, "load": load}))


if __name__ == "__main__":
    main()
