"""Atomic writes: a result is built beside its target under a temporary name and moved over it
only when complete, so a crash, a kill or Ctrl-C never leaves it half-written.

A file goes through :func:`replacing` (temporary file, then ``os.replace``). A folder of files
that belong together (a run folder, a set of Parquet tables) goes through
:func:`replacing_folder`: it is built as ``.<name>.new-<pid>`` beside the target and swapped in
by one ``renameat2(RENAME_EXCHANGE)`` (Linux), so a reader sees the old folder or the new one,
never a mix. Where the exchange is not available the old folder is renamed aside first
(``.<name>.old-<pid>``) and :func:`clean_stale` puts it back if the swap was interrupted.
:func:`folder_lock` keeps a second writer out of a folder while one is at work.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import fcntl
import functools
import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

from stationsim.errors import RunFolderBusy, StationsimError, StorageError

_RENAME_EXCHANGE = 2  # linux/fs.h
# DuckDB reports a refusal of the disk met while committing or checkpointing as a transaction
# or fatal error: it is recognised by the operating system's words.
_DISK_REFUSAL = re.compile(r"No space left|Disk quota|Permission denied|Read-only file system|"
                           r"Could not (?:write|open|create|read) file")
_AT_FDCWD = -100


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
        _fsync_file(temporary)
        os.replace(temporary, target)
    finally:
        _remove(temporary)


def write_text_atomic(target: str | os.PathLike, text: str) -> Path:
    """Write ``text`` (UTF-8) to ``target`` atomically."""
    with replacing(target) as temporary:
        temporary.write_text(text, encoding="utf-8")
    return Path(target)


@contextlib.contextmanager
def replacing_folder(target: str | os.PathLike) -> Iterator[Path]:
    """Yield an empty staging folder beside ``target``; on leaving the block without an error
    its files are flushed to disk and it replaces ``target`` whole (module doc); otherwise it
    is removed and ``target`` is left as it was."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = target.with_name(f".{target.name}.new-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        yield staging
        for path in sorted(staging.rglob("*")):
            if path.is_file():
                _fsync_file(path)
        swap_in(staging, target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def swap_in(staging: Path, target: Path) -> None:
    """Put the folder ``staging`` at ``target``; an old ``target`` ends up at ``staging``
    (exchange) or is removed (module doc)."""
    if not target.exists():
        os.rename(staging, target)
    elif not _exchange(staging, target):
        aside = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.rename(target, aside)
        os.rename(staging, target)
        shutil.rmtree(aside, ignore_errors=True)
    _fsync_dir(target.parent)


def clean_stale(target: str | os.PathLike) -> list[Path]:
    """Remove what killed writers of ``target`` left: staging folders, folders set aside
    (restored first when the swap stopped half-way) and temporary files and folders inside
    ``target`` (two levels down: ``exports/parquet``).

    Call it only while holding :func:`folder_lock` of ``target``. Returns what was removed.
    """
    target = Path(target)
    removed = []
    if target.parent.is_dir():
        for aside in sorted(target.parent.glob(f".{_glob_escape(target.name)}.old-*")):
            if not target.exists() and aside.is_dir():
                os.rename(aside, target)  # the swap was cut between its two renames
                continue
            _discard(aside)
            removed.append(aside)
        for staging in sorted(target.parent.glob(f".{_glob_escape(target.name)}.new-*")):
            _discard(staging)
            removed.append(staging)
    if target.is_dir() and not target.is_symlink():
        for pattern in (f"{depth}{name}" for depth in ("", "*/", "*/*/")
                        for name in (".*.tmp", ".*.tmp.wal", ".*.new-*", ".*.old-*")):
            for path in sorted(target.glob(pattern)):
                _discard(path)
                removed.append(path)
    return removed


@contextlib.contextmanager
def folder_lock(target: str | os.PathLike) -> Iterator[Path]:
    """Hold the write lock of the folder ``target`` (a ``.<name>.lock`` file beside it, locked
    with ``flock``: released by the system when the holder dies, however it dies).

    Raises :class:`stationsim.errors.RunFolderBusy` at once, naming the holder's process id,
    when another process holds it.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    lock_path = target.with_name(f".{target.name}.lock")
    while True:
        fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.read(fd, 32).decode(errors="replace").strip() or "unknown"
            os.close(fd)
            raise RunFolderBusy(
                f"{target} is being written by another stationsim process (pid {holder}, lock "
                f"{lock_path}); wait for it to finish or choose another --out") from None
        try:  # the file may have been removed by the last holder between open and flock
            same = os.fstat(fd).st_ino == os.stat(lock_path).st_ino
        except FileNotFoundError:
            same = False
        if same:
            break
        os.close(fd)
    try:
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        yield lock_path
    finally:
        with contextlib.suppress(FileNotFoundError):
            lock_path.unlink()
        os.close(fd)


@contextlib.contextmanager
def storage_errors(path: Path, kept: str = "nothing was half-written") -> Iterator[None]:
    """Turn a refusal of the disk (full, permission denied, read-only; from Python or DuckDB)
    into a StorageError naming ``path``, the cause and ``kept`` (what was left as it was)."""
    import duckdb

    try:
        yield
    except StationsimError:
        raise
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        raise StorageError(f"cannot write {path}: {exc.strerror or exc}{where}; "
                           f"{kept}") from None
    except duckdb.Error as exc:
        if not isinstance(exc, duckdb.IOException | duckdb.PermissionException) \
                and not _DISK_REFUSAL.search(str(exc)):
            raise
        raise StorageError(f"cannot write {path}: {exc}; {kept}") from None


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where that is not available."""
    renameat2 = getattr(_libc(), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP):
        return False
    raise OSError(code, os.strerror(code), str(b))


@functools.cache
def _libc():
    """The C library's functions as the process has them loaded (no search for the library's
    file: ``ctypes.util.find_library`` runs ``ldconfig``, 10-20 ms)."""
    try:
        return ctypes.CDLL(None, use_errno=True)
    except OSError:
        return None


def _discard(path: Path) -> None:
    """Remove a file, a link or a folder tree (never what a link points to)."""
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        path.unlink(missing_ok=True)


def _glob_escape(name: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in name)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system syncs directories
        _fsync_file(path)


def _remove(path: Path) -> None:
    """Remove a temporary file and the write-ahead log DuckDB may leave beside it."""
    for candidate in (path, path.with_name(path.name + ".wal")):
        with contextlib.suppress(FileNotFoundError):
            candidate.unlink()
