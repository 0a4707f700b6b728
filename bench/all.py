"""Run every bench the performance page shows, one after another, and write the whole page.

Run: ``python bench/all.py [--before REV]`` (15-30 min on a 2-core machine; run it on a quiet
one) writes docs/performance.md; ``python bench/all.py --quick [--out PAGE]`` runs every bench
at small sizes (a small program, fewer samples; a few minutes) to check that each still works,
and writes its page elsewhere (default ``performance-quick.md`` in the temporary folder): its
figures are not the page's.

Each bench runs in its own process with the 1-minute load average read before and after it and
the git revision of the tree (its short hash, "+ changes" when ``src/`` or ``bench/`` differ
from it). The page is written from this run alone: the targets table from the benches'
``RESULT {...}`` lines, then a section per bench (its docstring, its revision, time and load,
its output as printed). The one hand-written part, between :data:`NOTES_BEGIN` and
:data:`NOTES_END`, is kept as it is: explanation that is not a measurement. With ``--before
REV`` the first and warm runs, the run phase by phase and the profile are measured on that git
revision's ``src/`` as well (exported to a temporary folder), alternating with this tree's, so
both meet the same load. The machine is shared: read the ratios, measured side by side in one
process, rather than the absolute times.
"""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PAGE = ROOT / "docs" / "performance.md"
NOTES_BEGIN = "<!-- Hand-written from here to its end mark: bench/all.py keeps it as it is. -->"
NOTES_END = "<!-- End of the hand-written part. -->"
PACKAGES = ("numpy", "numba", "scipy", "pyerfa", "sgp4", "heyoka", "lamberthub", "duckdb")


class PageError(Exception):
    """The page cannot be written without losing its hand-written part."""


@dataclass(frozen=True)
class Bench:
    """One section of the page: the bench that writes it, its arguments for the page and for a
    quick check, and whether ``--before`` measures it on the earlier revision too."""

    title: str
    script: str
    arguments: tuple[str, ...] = ()
    quick: tuple[str, ...] = ()
    before: bool = False


# in the order they run and appear on the page
BENCHES = (
    Bench("Numerical propagation", "propagate.py", quick=("40",)),
    Bench("TLE states in GCRF", "tle.py"),
    Bench("Whole programs: the first run and warm runs", "run.py", quick=("example-small",),
          before=True),
    Bench("A warm run phase by phase", "run_phases.py",
          quick=("example-small", "--runs", "1")),
    Bench("Where a warm run spends its time", "profile_run.py", quick=("example-small", "8"),
          before=True),
    Bench("Exports", "export.py", quick=("example-small",)),
    Bench("Monte Carlo campaigns", "campaign.py", quick=("500",)),
    Bench("Whole-program campaigns", "program_campaign.py", quick=("2", "example-small")),
    Bench("Rendezvous planning", "rendezvous.py", quick=("2",)),
    Bench("Lambert", "lambert.py"),
    Bench("Kepler propagation", "kepler.py"),
    Bench("Geodetic conversion", "geodetic.py"),
)


def revision(tree: Path = ROOT, rev: str = "HEAD") -> str:
    """``rev``'s short hash, with " + changes" when it is this tree's HEAD and ``src/`` or
    ``bench/`` differ from it (what the figures are measured on)."""
    short = subprocess.run(["git", "rev-parse", "--short", rev], cwd=tree, check=True,
                           capture_output=True, text=True).stdout.strip()
    if rev != "HEAD":
        return short
    changed = subprocess.run(["git", "status", "--porcelain", "--", "src", "bench"], cwd=tree,
                             check=True, capture_output=True, text=True).stdout.strip()
    return f"{short} + changes" if changed else short


def run_script(script: str, arguments: list[str], source: Path, label: str) -> dict:
    """Run one bench on ``source`` (a ``src`` folder): its output, RESULT, wall time, the load
    (1 min) before and after, and the revision ``label`` it ran on."""
    env = dict(os.environ, PYTHONPATH=str(source))
    load_before = os.getloadavg()[0]
    clock = time.perf_counter()
    done = subprocess.run([sys.executable, str(BENCH / script), *arguments], cwd=BENCH, env=env,
                          capture_output=True, text=True)
    took_s = time.perf_counter() - clock
    lines = done.stdout.splitlines()
    result = {}
    for line in lines:
        if line.startswith("RESULT "):
            result = json.loads(line[len("RESULT "):])
    shown = [line for line in lines if not line.startswith("RESULT ")]
    if done.returncode:
        shown += ["", f"failed (exit {done.returncode}):", *done.stderr.splitlines()[-5:]]
    return {"output": "\n".join(shown), "result": result, "took_s": took_s,
            "load": [load_before, os.getloadavg()[0]], "revision": label,
            "arguments": arguments}


# --- the targets: (what, target, figure from a bench's RESULT); a figure that cannot be
# read from this run's RESULT (the bench failed, or an anchor was missing) says so


def _propagation(key: str) -> Callable[[dict], str]:
    def figure(r: dict) -> str:
        return f"{r[key + '_cpu']:.2f} in CPU time, {r[key]:.2f} in wall time"
    return figure


def _first_run(r: dict) -> str:
    (name, m), = r.items()
    return f"{m['first_s']:.1f} s (CPU {m['first_cpu_s']:.1f} s), `{name}`"


def _warm_run(r: dict) -> str:
    (name, m), = r.items()
    return f"{m['warm_s']:.1f} s (CPU {m['warm_cpu_s']:.1f} s), `{name}`"


def _memory(r: dict) -> str:
    (name, m), = r.items()
    return f"{m['rss_mib']:.0f} MiB, `{name}`"


def _phases(r: dict) -> str:
    now = r["phases"]["now"]
    return (f"{now['total'][1]:.2f} s in all, the simulation {now['simulate'][1]:.2f} s, "
            f"the imports {now['imports'][1]:.2f} s, `{r['program']}`")


def _campaign(r: dict) -> str:
    return (f"{r['campaign_s']:.1f} s (CPU {r['campaign_cpu_s']:.1f} s; the whole process "
            f"{r['campaign_process_s']:.1f} s; 2 Dask workers {r['campaign_dask2_s']:.1f} s), "
            f"{r['samples']:,} samples")


def _czml(r: dict) -> str:
    czml = r["czml"]
    return (f"{czml['wall_s']:.1f} s (CPU {czml['cpu_s']:.1f} s), {czml['size_mb']:.1f} MB, "
            f"`{r['program']}`")


TARGETS: tuple[tuple[str, str, str, Callable[[dict], str]], ...] = (
    ("propagate.py", "one orbit-day, two-body + J2, one thread, / heyoka at the same accuracy",
     "<= 1.2", _propagation("single_over_heyoka")),
    ("propagate.py", "1,000 orbit-days, one thread, / heyoka's SIMD batch", "<= 2",
     _propagation("batch_over_heyoka")),
    ("propagate.py", "scipy DOP853 on the same right-hand side / ours", ">= 50",
     lambda r: f"{r['scipy_over_ours']:.0f}"),
    ("tle.py", "TLE to GCRF per state / sgp4 SatrecArray (TEME)", "<= 3",
     lambda r: f"{r['tle_over_satrecarray']:.2f}"),
    ("tle.py", "frame error of that route against IAU 2006/2000A", "< 1 m",
     lambda r: f"{r['frame_error_m'] * 100:.1f} cm"),
    ("run.py", "`stationsim run shuttle-mir`, first run after install", "< 10 s", _first_run),
    ("run.py", "`stationsim run shuttle-mir`, warm", "< 3 s", _warm_run),
    ("run.py", "`stationsim run shuttle-mir`, peak memory", "< 500 MiB", _memory),
    ("run_phases.py", "`stationsim run shuttle-mir`, warm, CPU time of its phases", "-",
     _phases),
    ("campaign.py", "10,000-sample rendezvous campaign, default options", "< 5 s", _campaign),
    ("program_campaign.py", "whole-program campaign of shuttle-mir, 2 workers / 1 worker",
     ">= 1.8", lambda r: f"{r['program_ratio']:.2f}, `{r['program']}`"),
    ("program_campaign.py", "1,000 shuttle-mir samples on 2 workers", "< 30 min",
     lambda r: f"{1000 / r['program_samples_per_s_2'] / 60:.0f} min at the measured rate "
               f"(one sample {r['program_sample_cpu_s']:.1f} s of CPU), `{r['program']}`"),
    ("lambert.py", "Lambert batch, one thread, per solve / lamberthub", ">= 5",
     lambda r: f"{r['lambert_batch_1_thread_over_lamberthub']:.1f}"),
    ("export.py", "whole-program CZML of shuttle-mir, warm", "< 30 s, < 20 MB", _czml),
)


def target_rows(results: dict) -> list[tuple[str, str, str, str, str]]:
    """(what, target, measured, load, revision) for every target, from this run's results."""
    rows = []
    for script, what, target, figure in TARGETS:
        section = results.get(script)
        if section is None:
            rows.append((what, target, "not run", "-", "-"))
            continue
        try:
            measured = figure(section["result"])
        except (KeyError, ValueError, ZeroDivisionError):
            measured = f"not measured: see `bench/{script}` below"
        load = "{:.1f}-{:.1f}".format(*section["load"])
        rows.append((what, target, measured, load, f"`{section['revision']}`"))
    return rows


def description(script: str) -> str:
    """The bench's module docstring (what it measures, how)."""
    return ast.get_docstring(ast.parse((BENCH / script).read_text())) or ""


def versions() -> str:
    found = []
    for package in PACKAGES:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join([f"Python {platform.python_version()}", *found])


def export_revision(rev: str, folder: Path) -> Path:
    """``src/`` of ``rev`` exported into ``folder``; the path to put on PYTHONPATH."""
    archive = subprocess.run(["git", "archive", rev, "src"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def kept_notes(page: Path) -> list[str]:
    """The page's hand-written part, its marks included, as it is; none when there is no page.
    A page without both marks stops the run before any bench: its hand-written text would be
    lost."""
    if not page.exists():
        return []
    lines = page.read_text(encoding="utf-8").splitlines()
    if NOTES_BEGIN not in lines or NOTES_END not in lines:
        raise PageError(f"{page}: no hand-written part between the lines {NOTES_BEGIN!r} and "
                         f"{NOTES_END!r}; add the marks around it (or delete the page) and "
                         "run again")
    return lines[lines.index(NOTES_BEGIN):lines.index(NOTES_END) + 1]


def page_text(results: dict, notes: list[str], started: dt.datetime, took_s: float,
              quick: bool) -> str:
    """The whole page: header, targets, the hand-written part, a section per bench."""
    run_at = results[BENCHES[0].script]["revision"] if results else revision()
    lines = ["# Performance", ""]
    if quick:
        lines += ["**A quick check of `bench/all.py --quick`: every bench at small sizes. "
                  "These figures are not the page's.**", ""]
    lines += [
        f"Written by `bench/all.py` at `{run_at}` on {started:%Y-%m-%d} ({started:%H:%M} UTC): "
        f"every bench below run once, one after another, in {took_s / 60:.0f} min on a "
        f"{os.cpu_count()}-core machine ({platform.machine()}). Every figure is from this run; "
        "each is given with the load average (1 min) before and after its bench and the "
        "revision it ran on. On a shared machine the same work at a higher load takes longer: "
        "the ratios, measured side by side in one process, say more than the absolute times. "
        f"{versions()}. `python bench/all.py` regenerates the page, all but its hand-written "
        "part (\"What the figures rest on\"), which it keeps as written.",
        "",
        "## The targets",
        "",
        "| what | target | measured | load | revision |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(row) + " |" for row in target_rows(results)]
    if notes:
        lines += ["", *notes]
    for bench in BENCHES:
        section = results.get(bench.script)
        if section is None:
            continue
        called = " ".join([f"bench/{bench.script}", *section["arguments"]])
        lines += ["", f"## {bench.title}", "", description(bench.script), "",
                  f"`{called}` at `{section['revision']}`: {section['took_s']:.0f} s, load "
                  f"{section['load'][0]:.1f} before and {section['load'][1]:.1f} after.", "",
                  "```", section["output"], "```"]
        before = results.get(f"{bench.script} before")
        if before:
            lines += ["", f"The same at `{before['revision']}` ({before['took_s']:.0f} s, load "
                      f"{before['load'][0]:.1f} before and {before['load'][1]:.1f} after):", "",
                      "```", before["output"], "```"]
    return "\n".join(lines).rstrip() + "\n"


def write_atomically(path: Path, text: str) -> None:
    partial = path.with_name(f".{path.name}.{os.getpid()}")
    partial.write_text(text, encoding="utf-8")
    os.replace(partial, path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="git revision to measure the whole runs on as well")
    parser.add_argument("--quick", action="store_true",
                        help="every bench at small sizes, to check they work (not for the page)")
    parser.add_argument("--out", type=Path, help="the page to write (default: docs/performance.md"
                        ", or performance-quick.md in the temporary folder with --quick)")
    options = parser.parse_args()
    out = options.out or (Path(tempfile.gettempdir()) / "performance-quick.md" if options.quick
                          else PAGE)
    if options.quick and out.resolve() == PAGE.resolve():
        print(f"--quick does not write {PAGE}: its figures are not the page's; give another "
              "--out", file=sys.stderr)
        raise SystemExit(2)
    try:  # before any bench: a page whose hand-written part cannot be kept stops the run here
        notes = kept_notes(PAGE)
    except PageError as error:
        print(error, file=sys.stderr)
        raise SystemExit(2) from None
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        before_src = export_revision(options.before, Path(folder)) if options.before else None
        before_label = revision(ROOT, options.before) if options.before else ""
        for bench in BENCHES:
            arguments = list(bench.quick if options.quick else bench.arguments)
            if options.before and bench.script == "run_phases.py":  # both trees alternated
                arguments += ["--before", options.before]
            print(f"{bench.title} ...", flush=True)
            results[bench.script] = run_script(bench.script, arguments, ROOT / "src",
                                               revision())
            if before_src is not None and bench.before:
                print(f"{bench.title} at {options.before} ...", flush=True)
                results[f"{bench.script} before"] = run_script(bench.script, arguments,
                                                               before_src, before_label)
    write_atomically(out, page_text(results, notes, started, time.perf_counter() - clock,
                                    options.quick))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
