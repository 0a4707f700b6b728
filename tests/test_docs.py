"""The docs site builds with warnings as errors, and its tutorials run as written.

A tutorial's ```python blocks run in order in one namespace, in a fresh folder; a ```yaml
block whose first line is ``# <name>.yaml`` is saved there under that name first (the files a
reader would save). Each tutorial's output is checked for what its text says it shows.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TUTORIALS = ROOT / "docs" / "tutorials"


def test_the_docs_site_builds_strict(tmp_path):
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONPATH": str(ROOT / "src")}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "-q", "-f",
                           str(ROOT / "mkdocs.yml"), "-d", str(tmp_path / "site")],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    api = (tmp_path / "site" / "api" / "index.html").read_text(encoding="utf-8")
    assert "load_program" in api and "to_pandas" in api and "replace" in api  # from docstrings
    for page in ("getting-started", "programs", "tutorials/replay-shuttle-mir"):
        assert (tmp_path / "site" / page / "index.html").is_file()


# what each tutorial's text says its blocks show
SHOWS = {
    "replay-shuttle-mir.md": ["STS-71", "kristall", "NASA", "mean_altitude_km",
                              "timestamp[us, tz=UTC]"],
    "rendezvous-and-slip.md": ["1995-11-12T", "docking 1995-11-15", "docking later by",
                               "no such module"],
    "new-station-program.md": ["study-station - ['Soyuz A', 'Progress A']", "kvant-1.aft",
                               "broken.yaml", "kvant-1"],
}


@pytest.mark.parametrize("page", sorted(SHOWS))
def test_a_tutorial_runs_as_written(page, tmp_path, monkeypatch, capsys):
    text = (TUTORIALS / page).read_text(encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for block in re.findall(r"```yaml\n(.*?)```", text, flags=re.S):
        name = re.match(r"# (\S+\.yaml)\n", block)
        if name:
            (tmp_path / name.group(1)).write_text(block, encoding="utf-8")
    namespace: dict = {}
    for k, block in enumerate(re.findall(r"```python\n(.*?)```", text, flags=re.S)):
        exec(compile(block, f"{page} block {k + 1}", "exec"), namespace)
    out = capsys.readouterr().out
    for expected in SHOWS[page]:
        assert expected in out, expected
