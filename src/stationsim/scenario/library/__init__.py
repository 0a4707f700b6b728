"""Bundled programs: ``load_program("shuttle-mir")`` reads ``library/shuttle-mir.yaml``.

Anything that is not a bundled name is taken as a path to a YAML program file.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from stationsim.errors import ProgramError
from stationsim.scenario.loader import load_path
from stationsim.scenario.problems import did_you_mean, one_of
from stationsim.scenario.schema import Program

SUFFIX = ".yaml"


def bundled_names() -> list[str]:
    """Names of the bundled programs, sorted."""
    folder = resources.files(__name__)
    return sorted(entry.name.removesuffix(SUFFIX) for entry in folder.iterdir()
                  if entry.name.endswith(SUFFIX))


def program_path(name_or_path: str | Path) -> Path:
    """The file behind a bundled name, else ``name_or_path`` itself if it exists.

    Raises ProgramError naming the bundled programs when it is neither.
    """
    text = str(name_or_path)
    if text in bundled_names():
        return Path(str(resources.files(__name__).joinpath(text + SUFFIX)))
    path = Path(text)
    if path.is_file():
        return path
    if path.exists():
        kind = "a folder" if path.is_dir() else "not a regular file"
        raise ProgramError([f"{text}:1:1: program: {kind} (expected a YAML program file)"])
    names = bundled_names()
    message = (f"{text}:1:1: program: no such file or bundled program (expected a path or one "
               f"of {one_of(names, 20)}){did_you_mean(text, names)}")
    raise ProgramError([message])


def load_program(name_or_path: str | Path) -> Program:
    """The validated, cross-checked program named (bundled) or at a path; ProgramError if not."""
    return load_path(program_path(name_or_path))
