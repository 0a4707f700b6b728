"""The long fuzz run over the program format: many generated files through the loader, and the
ones that validate through ``stationsim run``.

Phase 1 loads EXAMPLES files of each family of tests/scenario/fuzz_programs.py (hostile values,
costly YAML, plausible programs, damaged bytes) and checks the loader's contract on each: a
Program fit to run, or a ProgramError whose every message reads ``file:line:column: field:
what``. It prints examples per second, the slowest file, the peak memory and the outcomes.
Phase 2 runs RUNS of the files that validated with ``stationsim run`` in fresh processes: each
must exit 0, or 2 with a one-line reason, within the time limit; never 1 ("internal error") or
a traceback. Files that break a rule are kept in OUT for reproduction. Figures go in
docs/reliability.md.

    python bench/fuzz_program.py [--examples 1500] [--runs 20] [--families 'plausible programs']
                                 [--out bench-fuzz]
"""

from __future__ import annotations

import argparse
import collections
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from hypothesis import HealthCheck, Phase, given, settings

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from scenario.fuzz_programs import (  # noqa: E402
    hostile_programs,
    hostile_yaml,
    mangled_bytes,
    outcome,
    plausible_programs,
)

FAMILIES = {"hostile values": hostile_programs, "costly YAML": hostile_yaml,
            "plausible programs": plausible_programs, "damaged bytes": mangled_bytes}
RUN_TIMEOUT_S = 600.0
CLI = [sys.executable, "-c", "import sys; from stationsim.cli import main; sys.exit(main())"]


def fuzz_loader(family: str, examples: int, out: Path, loaded: list[bytes]) -> dict:
    """Phase 1 for one family: outcomes, rate, slowest file; loaded files appended to ``loaded``."""
    outcomes: collections.Counter[str] = collections.Counter()
    slowest = [0.0, b""]

    @settings(max_examples=examples, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(FAMILIES[family]())
    def one(data: bytes) -> None:
        clock = time.perf_counter()
        try:
            result = outcome(data, "fuzz.yaml")
        except Exception as exc:  # a broken rule: keep the file, go on
            result = f"VIOLATION {type(exc).__name__}: {str(exc)[:120]}"
            (out / f"violation-{len(list(out.glob('violation-*')))}.yaml").write_bytes(data)
        seconds = time.perf_counter() - clock
        if seconds > slowest[0]:
            slowest[:] = [seconds, data]
        outcomes[result] += 1
        if result == "loaded":
            loaded.append(data)

    clock = time.perf_counter()
    one()
    wall_s = time.perf_counter() - clock
    (out / f"slowest-{family.replace(' ', '-')}.yaml").write_bytes(slowest[1])
    return {"family": family, "examples": sum(outcomes.values()), "wall_s": wall_s,
            "slowest_s": slowest[0], "outcomes": outcomes}


def run_validated(files: list[bytes], out: Path) -> collections.Counter[str]:
    """Phase 2: ``stationsim run`` on each file in a fresh process and folder."""
    results: collections.Counter[str] = collections.Counter()
    for number, data in enumerate(files):
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "program.yaml"
            path.write_bytes(data)
            clock = time.perf_counter()
            try:
                done = subprocess.run([*CLI, "run", str(path)], cwd=folder, capture_output=True,
                                      text=True, timeout=RUN_TIMEOUT_S)
                code, err = done.returncode, done.stderr.strip()
            except subprocess.TimeoutExpired:
                code, err = -1, f"no result within {RUN_TIMEOUT_S:.0f} s"
            seconds = time.perf_counter() - clock
        line = err.splitlines()[-1] if err else ""
        kind = {0: "ran", 2: "refused (exit 2)"}.get(code, f"FAILED (exit {code})")
        if code not in (0, 2) or "Traceback" in err:
            (out / f"run-failure-{number}.yaml").write_bytes(data)
        results[kind] += 1
        print(f"  run {number + 1}/{len(files)}: {kind} in {seconds:.1f} s  {line[:150]}",
              flush=True)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=1500, help="files per family")
    parser.add_argument("--runs", type=int, default=20, help="validated files to run")
    parser.add_argument("--families", nargs="+", choices=list(FAMILIES), default=list(FAMILIES),
                        metavar="FAMILY", help="families to generate (default: all)")
    parser.add_argument("--out", type=Path, default=Path("bench-fuzz"),
                        help="folder for the files that break a rule, and the slowest ones")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    loaded: list[bytes] = []
    for family in args.families:
        report = fuzz_loader(family, args.examples, args.out, loaded)
        rate = report["examples"] / report["wall_s"]
        print(f"{family}: {report['examples']} files in {report['wall_s']:.0f} s "
              f"({rate:.1f} files/s), slowest {report['slowest_s']:.2f} s", flush=True)
        for result, count in report["outcomes"].most_common(12):
            print(f"  {count:6d}  {result[:110]}")
    peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    print(f"peak memory of the loader phase: {peak_mib:.0f} MiB")
    distinct = list(dict.fromkeys(loaded))
    chosen = distinct[:: max(1, len(distinct) // max(args.runs, 1))][: args.runs]
    print(f"running {len(chosen)} of {len(distinct)} distinct files that validated", flush=True)
    results = run_validated(chosen, args.out)
    print("runs: " + ", ".join(f"{kind} {count}" for kind, count in results.most_common()))


if __name__ == "__main__":
    main()
