"""The command-line process: one command, then exit; what such a short life can skip.

Python's cyclic garbage collector walks every tracked object now and then. A command imports
NumPy, Numba's type system, pydantic's models and DuckDB, and the collections that run while
they import find next to nothing to free (0.2 s of a warm ``stationsim run``); at exit the
interpreter collects everything left once more and then takes every module apart, object by
object (0.1 s after a run). So, when the command line is the process's own
(:func:`stationsim.cli.main` called without arguments, as the ``stationsim`` script does):

- collection is paused while a command imports its layers (:func:`importing`, around
  ``run``'s imports), and what the imports made is then frozen out of later collections
  (``gc.freeze``: modules, classes and functions live as long as the process anyway);
  collection resumes for the command's work;
- at exit, once the exit handlers registered after the command started have run, the
  standard streams are flushed and the process ends with the command's exit code
  (``os._exit``), without the interpreter's last collections and teardown. Every file a
  command writes is closed (and its results moved into place) before the command returns,
  so nothing waits on that teardown. A process that ends on an uncaught exception, or whose
  streams cannot be flushed, exits as Python does.

Commands run in-process (``main([...])``, the tests) leave the collector and the exit alone.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import os
import sys
from collections.abc import Iterator

_ONE_COMMAND: list[int | None] = []  # [the command's exit code] once this process is one
# command's (see module doc); None until the command has returned


def one_command() -> None:
    """Declare this process one command's: :func:`importing` pauses collection, and the
    process ends with :func:`finished`'s code, without the interpreter's teardown (module
    doc)."""
    if not _ONE_COMMAND:
        _ONE_COMMAND.append(None)
        atexit.register(_leave)  # registered first, so run last of the exit handlers


def finished(code: int) -> int:
    """Record ``code`` as the exit code of this one-command process; returns it."""
    if _ONE_COMMAND:
        _ONE_COMMAND[0] = code
    return code


@contextlib.contextmanager
def importing() -> Iterator[None]:
    """Within the block a command imports its layers: in a one-command process collection is
    paused there, and on leaving it what exists is frozen and collection resumes."""
    if not _ONE_COMMAND or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()


def _leave() -> None:
    """The last exit handler: end the process with the command's code (module doc)."""
    code = _ONE_COMMAND[0]
    if code is None or hasattr(sys, "last_value"):  # no code, or an uncaught exception
        return
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):  # a closed pipe: Python's own exit reports it
        return
    os._exit(code)
