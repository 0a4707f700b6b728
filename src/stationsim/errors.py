"""The exceptions stationsim raises; the CLI prints any of them in one line and exits 2."""

from __future__ import annotations


class StationsimError(Exception):
    """Base of every error stationsim raises on purpose."""


class ProgramError(StationsimError):
    """A program file is wrong: each of ``errors`` reads ``file:line:column: path.to.field:
    what is wrong``; the message is all of them, one a line."""

    def __init__(self, errors: str | list[str]):
        self.errors = [errors] if isinstance(errors, str) else list(errors)
        super().__init__("\n".join(self.errors))


class DockingError(StationsimError):
    """A vehicle or module cannot be attached at a port (busy, incompatible or unknown)."""


class PropagationError(StationsimError):
    """An orbit cannot be propagated (NaN state, below the surface); names epoch and state."""


class SpaceWeatherError(StationsimError):
    """Space-weather data are not available for a date."""


class TLEError(StationsimError):
    """A two-line element set is malformed; names the line and column."""


class StorageError(StationsimError):
    """The disk refused a result (full, permission denied, read-only) or a stored result cannot
    be read (damaged file); names the path and the cause."""


class RunFolderBusy(StorageError):
    """Another process is writing the same run folder (its lock is held)."""
