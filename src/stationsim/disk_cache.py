"""Values worth keeping between runs, on disk under ``$XDG_CACHE_HOME/stationsim`` (default
``~/.cache/stationsim``), keyed by the bytes they are made from.

Parsing the bundled YAML (the program and the hardware catalogs) costs about a second of every
run, for text that rarely changes. :func:`cached` keeps the parsed value, plain dicts, lists and
scalars, in ``marshal`` form (no code runs when it is read back), named by the SHA-256 of what
it was made from and of what made it (``recipe``: the parser and its limits), so a changed file
or parser never finds an old entry; a kind keeps its :data:`KEEP` newest entries. A file is
written beside its final name and moved over it, so a reader never sees half of one; each
carries a digest of its payload, and one that does not match is made again. A cache that
cannot be read or written costs the time, never the run.
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

FORMAT = f"1 python {sys.version_info[0]}.{sys.version_info[1]} marshal {marshal.version}"
"""What every key includes besides the recipe: this file's layout and marshal's own format."""
KEEP = 64
"""Entries kept of each kind (a user editing a program makes a new one per saved version)."""
_DIGEST_BYTES = 32


def cache_folder() -> Path:
    """``$XDG_CACHE_HOME/stationsim``, or ``~/.cache/stationsim``."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stationsim"


def cached(kind: str, recipe: str, data: bytes, make: Callable[[], Any]) -> Any:
    """``make()``, or the value it returned before for the same ``kind``, ``recipe`` and
    ``data``; a value ``marshal`` cannot hold is returned and not kept. The value read back
    is a new object each time; what ``make`` returned is the caller's to keep or change.
    """
    key = hashlib.sha256(b"\0".join((FORMAT.encode(), recipe.encode(), data))).hexdigest()
    path = cache_folder() / kind / f"{key[:40]}.marshal"
    found = _read(path)
    if found is not None:
        return found[0]
    value = make()
    try:
        payload = marshal.dumps(value)
    except ValueError:  # an object marshal does not know
        return value
    _write(path, payload)
    _prune(path.parent)
    return value


def _read(path: Path) -> tuple[Any] | None:
    """(value,) from ``path``, or None if it is missing or damaged."""
    try:
        blob = path.read_bytes()
    except OSError:
        return None
    digest, payload = blob[:_DIGEST_BYTES], blob[_DIGEST_BYTES:]
    if hashlib.sha256(payload).digest() != digest:
        return None
    try:
        return (marshal.loads(payload),)
    except (ValueError, EOFError, TypeError):
        return None


def _write(path: Path, payload: bytes) -> None:
    """Write atomically; a cache that cannot be written is simply not kept."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary.write_bytes(hashlib.sha256(payload).digest() + payload)
        os.replace(temporary, path)
    except OSError:
        try:
            temporary.unlink()
        except OSError:
            pass


def _prune(folder: Path) -> None:
    """Remove all but the :data:`KEEP` newest entries of ``folder``."""
    try:
        entries = sorted(folder.glob("*.marshal"), key=lambda p: p.stat().st_mtime, reverse=True)
        for stale in entries[KEEP:]:
            stale.unlink()
    except OSError:
        pass
