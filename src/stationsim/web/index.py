"""The dashboard's list of runs: each run folder's summary, read once and kept while the folder
is unchanged, and the folders that cannot be read, each with its reason.

A run written by ``stationsim run`` carries its summary in ``manifest.json``; it is taken from
there when the manifest describes the store present (same size), else read from the store.
Either way it is kept, keyed by the store's inode, size and modification time, so listing 300
runs costs 300 ``stat`` calls. A damaged store or manifest leaves its run out of the list and in
``unreadable``, never failing the page. Symbolic links are never followed
(:func:`stationsim.results.export.source.is_run_folder`).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

from stationsim.errors import StorageError
from stationsim.results.export.source import (
    MANIFEST_NAME,
    STORE_NAME,
    is_run_folder,
    open_store,
    run_summary,
)


@dataclass(frozen=True)
class Listing:
    """Summaries of the readable runs (by name) and (name, reason) of the others."""

    runs: list[dict]
    unreadable: list[tuple[str, str]]


class RunIndex:
    """The runs under ``runs_dir`` (module doc); safe to share between request threads."""

    def __init__(self, runs_dir: str | os.PathLike):
        self.runs_dir = Path(runs_dir)
        self._known: dict[str, tuple[tuple, dict | None, str | None]] = {}
        self._lock = threading.Lock()

    def listing(self) -> Listing:
        """Every run folder's summary or reason, by name."""
        runs, unreadable, seen = [], [], set()
        try:
            entries = sorted(os.scandir(self.runs_dir), key=lambda e: e.name)
        except (FileNotFoundError, NotADirectoryError):
            entries = []
        for entry in entries:
            if not is_run_folder(entry.path):
                continue
            seen.add(entry.name)
            summary, reason = self._summary(entry.name)
            if summary is None:
                unreadable.append((entry.name, reason))
            else:
                runs.append(summary)
        with self._lock:
            for gone in set(self._known) - seen:
                del self._known[gone]
        return Listing(runs, unreadable)

    def _summary(self, name: str) -> tuple[dict | None, str | None]:
        folder = self.runs_dir / name
        try:
            status = os.stat(folder / STORE_NAME)
        except OSError as exc:
            return None, f"{STORE_NAME}: {exc.strerror}"
        key = (status.st_ino, status.st_size, status.st_mtime_ns)
        with self._lock:
            known = self._known.get(name)
        if known is not None and known[0] == key:
            return known[1], known[2]
        summary, reason = _read_summary(folder, status.st_size)
        if summary is not None:
            summary = {"name": name, **summary}
        with self._lock:
            self._known[name] = (key, summary, reason)
        return summary, reason


def _read_summary(folder: Path, store_bytes: int) -> tuple[dict | None, str | None]:
    """(summary, None) from the manifest or else the store; (None, reason) if neither reads."""
    manifest_path = folder / MANIFEST_NAME
    if manifest_path.is_file() and not manifest_path.is_symlink():
        try:
            manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
            if manifest["files"][STORE_NAME]["bytes"] == store_bytes:
                return dict(manifest["summary"]), None
        except (OSError, ValueError, KeyError, TypeError):
            pass  # a damaged manifest: the store itself says what it holds
    try:
        with open_store(folder) as con:
            return run_summary(con), None
    except StorageError as exc:
        return None, str(exc)
