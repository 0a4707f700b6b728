"""Property-based fuzzing of the program format: whatever the file, the loader returns a
Program that a run can use or raises one ProgramError with located messages; ``validate``
exits 0 or 2 and never prints a traceback. Sized for CI (a few tens of seconds); the long run
is bench/fuzz_program.py."""

from __future__ import annotations

import contextlib
import io
import time

from hypothesis import given, settings

from scenario.fuzz_programs import (
    hostile_programs,
    hostile_yaml,
    mangled_bytes,
    outcome,
    plausible_programs,
)
from stationsim.cli import main

SLOWEST_S = 20.0  # per file: the caps keep the worst case to seconds (a few on an idle machine)


def _bounded(data: bytes, source: str) -> str:
    clock = time.perf_counter()
    result = outcome(data, source)
    assert time.perf_counter() - clock < SLOWEST_S, f"{source} took too long: {result}"
    return result


@settings(max_examples=120)
@given(hostile_programs())
def test_hostile_values_give_a_program_or_located_errors(data):
    _bounded(data, "hostile.yaml")


@settings(max_examples=80)
@given(hostile_yaml())
def test_costly_yaml_gives_a_program_or_located_errors(data):
    _bounded(data, "costly.yaml")


@settings(max_examples=80)
@given(plausible_programs())
def test_plausible_programs_validate_only_what_a_run_can_use(data):
    _bounded(data, "plausible.yaml")


@settings(max_examples=80)
@given(mangled_bytes())
def test_damaged_bytes_give_a_program_or_located_errors(data):
    _bounded(data, "mangled.yaml")


@settings(max_examples=25)
@given(hostile_programs() | hostile_yaml() | mangled_bytes())
def test_validate_exits_0_or_2_without_a_traceback(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("fuzz") / "fuzz[red].yaml"
    path.write_bytes(data)
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        code = main(["validate", str(path)])
    assert code in (0, 2)
    assert "Traceback" not in err.getvalue() and "internal error" not in err.getvalue()
    assert code == 0 or f"{path}:" in err.getvalue().replace("\n", "")
