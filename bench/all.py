"""Run every bench in one go and write docs/performance.md from what they print.

Run: ``python bench/all.py [--before REV]`` (15-30 min on the 2-core machine). Each bench runs
in its own process, one after another, with the machine's load average taken before and after;
its output goes into the page as printed, and its ``RESULT {...}`` line feeds the summary of
the targets. With ``--before REV`` the warm run is also profiled on that git revision's
``src/`` (exported to a temporary folder), for the before/after table. The machine is shared:
read the ratios, measured side by side in one process, rather than the absolute times.
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
from importlib import metadata
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
PAGE = ROOT / "docs" / "performance.md"

# (section title, script, arguments), in the order they run and appear
SECTIONS = [
    ("Numerical propagation", "propagate.py", []),
    ("TLE states in GCRF", "tle.py", []),
    ("Whole programs: the first run and warm runs", "run.py", []),
    ("A warm run phase by phase", "run_phases.py", []),
    ("Monte Carlo campaigns", "campaign.py", []),
    ("Whole-program campaigns", "program_campaign.py", []),
    ("Rendezvous planning", "rendezvous.py", []),
    ("Lambert", "lambert.py", []),
    ("Kepler propagation", "kepler.py", []),
    ("Geodetic conversion", "geodetic.py", []),
]
PACKAGES = ("numpy", "numba", "scipy", "pyerfa", "sgp4", "heyoka", "lamberthub", "duckdb")


def run_script(script: str, arguments: list[str], source: Path) -> dict:
    """Run one bench (or profile) script; its output, RESULT, wall time and the load around it."""
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
            "load": (load_before, os.getloadavg()[0])}


def summary_rows(results: dict) -> list[tuple[str, str, str, str]]:
    """(what, target, measured, load) rows of the issue's targets from the RESULT lines."""
    propagate = results["propagate.py"]
    tle = results["tle.py"]
    run = results["run.py"]
    campaign = results["campaign.py"]
    rows = []

    def load(section):
        return "{:.1f}-{:.1f}".format(*section["load"])

    p = propagate["result"]
    if "single_over_heyoka" in p:
        rows.append(("one orbit-day, two-body + J2, one thread, / heyoka at the same accuracy",
                     "<= 1.2", f"{p['single_over_heyoka']:.2f}", load(propagate)))
        rows.append(("1,000 orbit-days, one thread, / heyoka's SIMD batch", "<= 2",
                     f"{p['batch_over_heyoka']:.2f}", load(propagate)))
    if "scipy_over_ours" in p:
        rows.append(("scipy DOP853 on the same right-hand side / ours", ">= 50",
                     f"{p['scipy_over_ours']:.0f}", load(propagate)))
    t = tle["result"]
    if t:
        rows.append(("TLE to GCRF per state / sgp4 SatrecArray (TEME)", "<= 3",
                     f"{t['tle_over_satrecarray']:.2f}", load(tle)))
        rows.append(("frame error of that route against IAU 2006/2000A", "< 1 m",
                     f"{t['frame_error_m'] * 100:.1f} cm", load(tle)))
    shuttle = run["result"].get("shuttle-mir")
    before = results.get("run.py before", {"result": {}})
    old = before["result"].get("shuttle-mir")

    def was(key):
        return (f"; at `{before['revision']}` {old[key + '_s']:.1f} s, CPU "
                f"{old[key + '_cpu_s']:.1f} s, load {load(before)}") if old else ""

    if shuttle:
        rows.append(("`stationsim run shuttle-mir`, first run after install", "< 10 s",
                     f"{shuttle['first_s']:.1f} s (CPU {shuttle['first_cpu_s']:.1f} s"
                     f"{was('first')})", load(run)))
        rows.append(("`stationsim run shuttle-mir`, warm", "< 3 s",
                     f"{shuttle['warm_s']:.1f} s (CPU {shuttle['warm_cpu_s']:.1f} s"
                     f"{was('warm')})", load(run)))
        rows.append(("`stationsim run shuttle-mir`, peak memory", "< 500 MiB",
                     f"{shuttle['rss_mib']:.0f} MiB", load(run)))
    phases = results.get("run_phases.py", {"result": {}})["result"].get("phases", {})
    if "now" in phases:
        earlier = [(label, cpu) for label, cpu in phases.items() if label != "now"]
        beside = "".join(f"; at `{label}` {cpu['total'][1]:.1f} s" for label, cpu in earlier)
        rows.append(("`stationsim run shuttle-mir`, warm, CPU time of its phases "
                     "(`bench/run_phases.py`, below)", "-",
                     f"{phases['now']['total'][1]:.1f} s{beside}", load(results["run_phases.py"])))
    c = campaign["result"]
    if c:
        rows.append(("10,000-sample rendezvous campaign, default options (`run_campaign`)",
                     "< 5 s", f"{c['campaign_s']:.1f} s (process {c['campaign_process_s']:.1f} s;"
                     f" 2 Dask workers {c['campaign_dask2_s']:.1f} s)", load(campaign)))
    whole = results["program_campaign.py"]
    w = whole["result"]
    if w:
        rows.append(("whole-program campaign of shuttle-mir, 2 workers / 1 worker", ">= 1.8",
                     f"{w['program_ratio']:.2f}", load(whole)))
        rows.append(("1,000 shuttle-mir samples on 2 workers", "< 30 min",
                     f"{1000 / w['program_samples_per_s_2'] / 60:.0f} min (one sample "
                     f"{w['program_sample_cpu_s']:.1f} s of CPU)", load(whole)))
    lam = results["lambert.py"]["result"]
    if lam:
        rows.append(("Lambert batch, one thread, per solve / lamberthub", ">= 5",
                     f"{lam['lambert_batch_1_thread_over_lamberthub']:.1f}",
                     load(results["lambert.py"])))
    return rows


def description(script: str) -> str:
    """The bench's module docstring (what it measures, how), as one paragraph per block."""
    tree = ast.parse((BENCH / script).read_text())
    return ast.get_docstring(tree) or ""


def versions() -> str:
    found = []
    for package in PACKAGES:
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            pass
    return ", ".join([f"Python {platform.python_version()}", *found])


def export_revision(revision: str, folder: Path) -> Path:
    """``src/`` of ``revision`` exported into ``folder``; the path to put on PYTHONPATH."""
    archive = subprocess.run(["git", "archive", revision, "src"], cwd=ROOT, check=True,
                             capture_output=True).stdout
    subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return folder / "src"


def kept_notes() -> list[str]:
    """The page's hand-written section "What the figures rest on", kept as it is (no bench
    prints it): its lines up to the next section, or none when the page has no such section."""
    title = "## What the figures rest on"
    lines = PAGE.read_text().splitlines() if PAGE.exists() else []
    if title not in lines:
        return []
    start = lines.index(title)
    end = next((k for k in range(start + 1, len(lines)) if lines[k].startswith("## ")), len(lines))
    section = lines[start:end]
    while section and not section[-1]:
        section.pop()
    return section


def write_page(results: dict, profiles: dict, started: dt.datetime, took_s: float) -> None:
    cores = os.cpu_count()
    lines = [
        "# Performance",
        "",
        f"Written by `bench/all.py` on {started:%Y-%m-%d} ({started:%H:%M} UTC), every bench "
        f"run once, one after another, in {took_s / 60:.0f} min on a {cores}-core machine "
        "shared with other jobs: the load average (1 min) is given with every figure, and the "
        "ratios, measured side by side in one process, say more than the absolute times. "
        f"{versions()}. Re-run `python bench/all.py` to regenerate this page.",
        "",
        "## The targets",
        "",
        "| what | target | measured | load |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {what} | {target} | {measured} | {load} |"
              for what, target, measured, load in summary_rows(results)]
    lines += ["", *kept_notes()]
    for title, script, _ in SECTIONS:
        section = results[script]
        lines += ["", f"## {title}", "", description(script), "",
                  f"`bench/{script}`: {section['took_s']:.0f} s, load "
                  f"{section['load'][0]:.1f} before and {section['load'][1]:.1f} after.", "",
                  "```", section["output"], "```"]
        before = results.get(f"{script} before")
        if before:
            lines += ["", f"The same at `{before['revision']}`, before this page's changes "
                      f"({before['took_s']:.0f} s, load {before['load'][0]:.1f} before and "
                      f"{before['load'][1]:.1f} after):", "", "```", before["output"], "```"]
    if profiles:
        lines += ["", "## Where a warm run spends its time", "",
                  description("profile_run.py"), ""]
        for label, section in profiles.items():
            lines += [f"{label} (load {section['load'][0]:.1f} before, "
                      f"{section['load'][1]:.1f} after):", "", "```", section["output"], "```",
                      ""]
    PAGE.write_text("\n".join(lines).rstrip() + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", help="git revision to time and profile the run on as well")
    options = parser.parse_args()
    started = dt.datetime.now(dt.UTC)
    clock = time.perf_counter()
    results = {}
    profiles = {}
    with tempfile.TemporaryDirectory() as folder:
        before_src = export_revision(options.before, Path(folder)) if options.before else None
        for title, script, arguments in SECTIONS:
            print(f"{title} ...", flush=True)
            if options.before and script == "run_phases.py":  # both trees in one run
                arguments = [*arguments, "--before", options.before]
            results[script] = run_script(script, arguments, ROOT / "src")
            if before_src is not None and script == "run.py":  # side by side with the first
                print(f"{title} at {options.before} ...", flush=True)
                results["run.py before"] = run_script(script, arguments, before_src)
                results["run.py before"]["revision"] = options.before
        if before_src is not None:
            print(f"profile at {options.before} ...", flush=True)
            profiles[f"Before (`{options.before}`)"] = run_script("profile_run.py", [],
                                                                  before_src)
        print("profile ...", flush=True)
        profiles["Now"] = run_script("profile_run.py", [], ROOT / "src")
    write_page(results, profiles, started, time.perf_counter() - clock)
    print(f"wrote {PAGE}")


if __name__ == "__main__":
    main()
