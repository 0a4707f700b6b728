"""The command-line process: one command, then exit; what such a short life can skip.

Python's cyclic garbage collector walks every tracked object now and then. A command imports
NumPy, Numba's type system, pydantic's models and DuckDB, and the collections that run while
they import find next to nothing to free (0.2 s of a warm ``stationsim run``); at exit the
interpreter collects everything left once more, object by object (0.4-0.6 s after a run). So,
when the command line is the process's own (:func:`stationsim.cli.main` called without
arguments, as the ``stationsim`` script does):

- collection is paused while a command imports its layers (:func:`importing`, around
  ``run``'s imports), and what the imports made is then frozen out of later collections
  (``gc.freeze``: modules, classes and functions live as long as the process anyway);
  collection resumes for the command's work;
- at exit every object is frozen before the interpreter's last collections, which then have
  nothing to walk. Every file a command writes is closed (and its results moved into place)
  before the command returns, so nothing waits on those collections.

Commands run in-process (``main([...])``, the tests) leave the collector as it is.
"""

from __future__ import annotations

import atexit
import contextlib
import gc
from collections.abc import Iterator

_ONE_COMMAND: list[bool] = []  # [True] once this process is one command's (see module doc)


def one_command() -> None:
    """Declare this process one command's: :func:`importing` pauses collection, and the
    collector skips its walk at exit (module doc)."""
    if not _ONE_COMMAND:
        _ONE_COMMAND.append(True)
        atexit.register(gc.freeze)


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
