"""stationsim: crewed space-station programs simulated on real orbital mechanics.

Load a program (a bundled name or a YAML file), change it, simulate it, read the results:

>>> import stationsim as ss
>>> program = ss.load_program("example-small")
>>> slipped = program.replace(flights=[
...     f.replace(launch_utc="1995-11-13T12:30:43Z") if f.id == "STS-74" else f
...     for f in program.flights])
>>> slipped.flight("STS-74").launch_utc
'1995-11-13T12:30:43Z'
>>> results = ss.simulate(slipped)  # doctest: +SKIP
>>> results.flights.to_pandas()  # doctest: +SKIP

``simulate`` returns ``Results``: the tables of ``docs/results.md`` as Arrow or pandas,
with UTC datetimes; ``open_run`` reads the same from a run folder that ``stationsim run`` wrote.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

__version__ = "0.1.0"

from stationsim.errors import (  # noqa: E402
    DockingError,
    ProgramError,
    PropagationError,
    StationsimError,
)

if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any

    from stationsim.results.dataset import Results, Table
    from stationsim.scenario.schema import Flight, Program, Station

# classes imported on first use, so that the command line starts fast
_LAZY = {
    "Flight": "stationsim.scenario.schema",
    "Program": "stationsim.scenario.schema",
    "Results": "stationsim.results.dataset",
    "Station": "stationsim.scenario.schema",
    "Table": "stationsim.results.dataset",
}


def load_program(name_or_path: str | os.PathLike[str]) -> Program:
    """The program named ``name_or_path`` (a bundled program, see ``stationsim list``, or a
    YAML file), validated and cross-checked; ProgramError ``file:line:column: field: what``
    otherwise. Change it with ``Program.replace``, which validates the same way."""
    from stationsim.scenario import load_program as load

    return load(os.fspath(name_or_path))


def simulate(program: Program, progress: Callable[[float], None] | None = None,
             seed: int | None = None) -> Results:
    """Simulate ``program`` from its start to its end; the results as tables.

    ``progress`` is called with the fraction of simulated time done. ``seed`` is recorded in
    the ``runs`` table (default: the program's). The engine's own result (SI, TT seconds) is
    ``results.raw``. Where the simulated history parts from the written one a flight ends with
    an outcome and a warning (``results.warnings``).
    """
    import time

    from stationsim.program.engine import simulate as run
    from stationsim.results.dataset import Results

    clock = time.perf_counter()
    result = run(program, progress=progress)
    chosen = seed if seed is not None else (program.seed or 0)
    return Results.from_run(result, seed=chosen, wall_s=time.perf_counter() - clock)


def open_run(run: str | os.PathLike[str], runs_dir: str | os.PathLike[str] = "runs") -> Results:
    """The results of a run folder that ``stationsim run`` wrote: a path, or a program name
    under ``runs_dir``; StationsimError if there is none, StorageError if it is damaged."""
    from stationsim.results.dataset import Results

    return Results.from_folder(run, runs_dir)


def __getattr__(name: str) -> Any:
    """The classes of the public surface, imported on first use."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'stationsim' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public surface (``__all__``) and the module's own dunders."""
    return sorted(set(__all__) | {name for name in globals() if name.startswith("__")})


__all__ = [
    "DockingError",
    "Flight",
    "Program",
    "ProgramError",
    "PropagationError",
    "Results",
    "Station",
    "StationsimError",
    "Table",
    "__version__",
    "load_program",
    "open_run",
    "simulate",
]
