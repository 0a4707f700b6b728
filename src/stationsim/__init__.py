"""stationsim: crewed space-station programs simulated on real orbital mechanics."""

from __future__ import annotations

__version__ = "0.1.0"

from stationsim.errors import (  # noqa: E402
    DockingError,
    ProgramError,
    PropagationError,
    StationsimError,
)

__all__ = [
    "DockingError",
    "ProgramError",
    "PropagationError",
    "StationsimError",
    "__version__",
]
