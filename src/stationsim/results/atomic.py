"""Atomic writes: a result is built in a temporary file beside its target and moved over it
(``os.replace``) only when complete, so a crash or Ctrl-C never leaves it half-written."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path


@contextlib.contextmanager
def replacing(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on leaving the block without an error it
    replaces ``target``, otherwise it is removed and ``target`` is left as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    _remove(temporary)
    try:
        yield temporary
        os.replace(temporary, target)
    finally:
        _remove(temporary)


def write_text_atomic(target: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with replacing(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return Path(target)


def _remove(path: Path) -> None:
    """Remove a temporary file and the write-ahead log DuckDB may leave beside it."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
