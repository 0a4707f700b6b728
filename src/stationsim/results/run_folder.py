"""A run folder: ``runs/<program>/`` with ``results.duckdb``, ``report.html`` and
``manifest.json``, written as one unit.

The three files are built in a staging folder beside the run folder and swapped in together
(:func:`stationsim.results.atomic.replacing_folder`): killed at any moment, a run leaves the
previous folder or the new one, complete, never a new store beside an old report. A lock
(:func:`stationsim.results.atomic.folder_lock`) refuses a second writer of the same folder, and
whatever killed writers left is cleaned when the next writer takes the lock. Failures of the
disk (full, permission denied, read-only) come out as :class:`stationsim.errors.StorageError`
naming the folder and the cause.

The manifest lists each file with its size and SHA-256, and the run's summary (program, seed,
span, stations, flights), so that the dashboard's index reads one small file per run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from stationsim import __version__
from stationsim.errors import StationsimError, StorageError
from stationsim.results.atomic import clean_stale, folder_lock, replacing_folder, storage_errors
from stationsim.results.export.source import (
    MANIFEST_NAME,
    REPORT_NAME,
    STORE_NAME,
    run_summary,
)
from stationsim.results.report import write_report
from stationsim.results.store import written_store
from stationsim.results.tables import result_tables

if TYPE_CHECKING:
    import duckdb

    from stationsim.program.state import ProgramResult

Reader = Callable[["duckdb.DuckDBPyConnection"], Any]

MANIFEST_VERSION = 1
RUN_KEPT = "the previous run there is left as it was"


@dataclass(frozen=True)
class RunFolder:
    store: Path
    report: Path
    manifest: Path
    read: Any = None
    """What the ``read`` given to :meth:`RunFolderWriter.save` took from the store."""


class RunFolderWriter:
    """The sole writer of one run folder while it is open (module doc).

    >>> with RunFolderWriter("runs/shuttle-mir") as writer:  # doctest: +SKIP
    ...     saved = writer.save(simulate(program), program_file, seed, wall_s, started)
    """

    def __init__(self, folder: str | os.PathLike):
        self.folder = Path(folder).absolute()
        self._stack = contextlib.ExitStack()

    def __enter__(self) -> RunFolderWriter:
        _check_replaceable(self.folder)
        with storage_errors(self.folder, RUN_KEPT):
            self._stack.enter_context(folder_lock(self.folder))
            try:
                clean_stale(self.folder)
            except BaseException:
                self._stack.close()
                raise
        return self

    def __exit__(self, *exc_info) -> None:
        self._stack.close()

    def save(
        self, result: ProgramResult, program_file: str | Path, seed: int, wall_s: float,
        started: dt.datetime, read: Reader | None = None,
    ) -> RunFolder:
        """Write the store, the report and the manifest of ``result`` as one unit; ``read``,
        if given, reads the store through the connection that wrote it (a terminal summary:
        no second opening of the file) and what it returns is the run folder's ``read``."""
        run_row = {
            "program": result.program.name,
            "program_sha256": hashlib.sha256(Path(program_file).read_bytes()).hexdigest(),
            "seed": seed,
            "stationsim_version": __version__,
            "started_utc": started.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "wall_s": wall_s,
            "tracking_updates": sum(len(d) for d in result.drifts.values()),
        }
        return self.save_tables(result_tables(result, run_row), read)

    def save_tables(self, tables: dict, read: Reader | None = None) -> RunFolder:
        """Write the store of ``tables`` (``stationsim.results.store.write_store``), its report
        and the manifest as one unit; the report, the manifest's summary and ``read`` (as in
        :meth:`save`) read the store through the connection that wrote it."""
        with storage_errors(self.folder, RUN_KEPT), replacing_folder(self.folder) as staging:
            with written_store(staging / STORE_NAME, tables) as con:  # opened once: read back
                write_report(con, staging / REPORT_NAME)
                summary = run_summary(con)
                found = read(con) if read is not None else None
            write_manifest(staging, summary)
        return RunFolder(self.folder / STORE_NAME, self.folder / REPORT_NAME,
                         self.folder / MANIFEST_NAME, found)


def save_run(
    result: ProgramResult, program_file: str | Path, out_dir: str | Path, seed: int, wall_s: float,
    started: dt.datetime,
) -> RunFolder:
    """Write the run folder of ``result`` at ``out_dir`` as one unit (module doc)."""
    with RunFolderWriter(out_dir) as writer:
        return writer.save(result, program_file, seed, wall_s, started)


def write_manifest(folder: Path, summary: dict) -> Path:
    """Write ``manifest.json`` of the store and report in ``folder`` (module doc); ``summary``
    is the store's :func:`run_summary`."""
    files = {}
    for name in (STORE_NAME, REPORT_NAME):
        path = folder / name
        files[name] = {"bytes": path.stat().st_size, "sha256": _sha256(path)}
    manifest = {"manifest_version": MANIFEST_VERSION, "stationsim_version": __version__,
                "files": files, "summary": summary}
    path = folder / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return path


def check_run_folder(folder: str | os.PathLike) -> dict:
    """The manifest of a complete run folder; StorageError naming what is missing or differs."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST_NAME).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise StorageError(f"{folder / MANIFEST_NAME}: unreadable manifest ({exc})") from None
    for name, expected in manifest["files"].items():
        path = folder / name
        if not path.is_file() or path.stat().st_size != expected["bytes"] \
                or _sha256(path) != expected["sha256"]:
            raise StorageError(f"{path} differs from {MANIFEST_NAME}: the run folder is not "
                               "the one its manifest describes")
    return manifest


def _check_replaceable(folder: Path) -> None:
    """A run replaces its whole folder: refuse one that holds something other than a run."""
    if folder.is_symlink() or (folder.exists() and not folder.is_dir()):
        raise StationsimError(f"{folder} exists and is not a folder; choose another --out")
    if not folder.is_dir():
        return
    names = {p.name for p in folder.iterdir()}
    if names and not names & {STORE_NAME, MANIFEST_NAME}:
        shown = ", ".join(sorted(names)[:5]) + (" ..." if len(names) > 5 else "")
        raise StationsimError(
            f"{folder} holds files that are not a stationsim run ({shown}); a run replaces its "
            "whole folder: choose a new or empty --out")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
