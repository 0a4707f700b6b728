"""The README's commands are the ones CI runs, and its Python example runs as written."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _blocks(language: str) -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(rf"```{language}\n(.*?)```", text, flags=re.S)


def test_ci_runs_exactly_the_readme_test_command():
    test_command = next(b.strip() for b in _blocks("bash") if "pytest" in b)
    ci_lines = (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines


def test_readme_main_job_is_the_shuttle_mir_run():
    main_job = _blocks("bash")[0].strip()
    assert main_job.endswith("stationsim run shuttle-mir")


def test_readme_python_example_runs(capsys):
    exec(compile(_blocks("python")[0], "README.md", "exec"), {})
    out = capsys.readouterr().out
    assert "Hohmann 300 -> 400 km: 57.20 m/s in 45.8 min" in out  # vis-viva: 28.65 + 28.55 m/s
    assert "STS-74 landed mir-docking-module.forward" in out
