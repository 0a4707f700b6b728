"""stationsim: crewed space-station programs simulated on real orbital mechanics."""

from __future__ import annotations

__version__ = "0.1.0"

from stationsim.errors import (  # noqa: E402
    DockingError,
    ProgramError,
    PropagationError,
    StationsimError,
)

_LAZY = {
    "load_program": "stationsim.scenario",
    "simulate": "stationsim.program.engine",
}


def __getattr__(name: str):
    """``ss.load_program`` and ``ss.simulate``, imported on first use (the CLI starts fast)."""
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'stationsim' has no attribute {name!r}")


__all__ = [
    "DockingError",
    "ProgramError",
    "PropagationError",
    "StationsimError",
    "__version__",
    "load_program",
    "simulate",
]
