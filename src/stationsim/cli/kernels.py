"""A word on the terminal while Numba compiles: the first run on a machine compiles the orbit
kernels (10 to 25 s) and caches them on disk, and a bar sitting at 0 % says nothing of that.

Numba announces a compilation (a kernel and argument types not in memory nor in its disk
cache) with a ``numba:compile`` event; loading a cached kernel announces nothing, so later runs
show no notice. Where a command starts Numba, its NumPy implementations load without the
import of ``scipy.linalg`` that Numba's check for a BLAS would cost (:func:`load_numba_registries`).
"""

from __future__ import annotations

import importlib.machinery
import importlib.util
import os
import sys
import types
from collections.abc import Callable, Iterator
from contextlib import contextmanager

FIRST_NOTICE = ("compiling the numerical kernels on first use (tens of seconds, once: they are "
                "cached on disk for later runs)")


@contextmanager
def compile_notice(tell: Callable[[int, str], None]) -> Iterator[None]:
    """Within the block, call ``tell(count, name)`` as each Numba kernel starts compiling:
    ``count`` kernels so far, ``name`` the one starting."""
    load_numba_registries()
    from numba.core.event import Listener, install_listener

    class Notice(Listener):
        count = 0

        def on_start(self, event) -> None:
            self.count += 1
            dispatcher = event.data["dispatcher"]
            tell(self.count, getattr(dispatcher, "__name__", None) or str(dispatcher))

        def on_end(self, event) -> None:
            pass

    with install_listener("numba:compile", Notice()):
        yield


_first_compile_listener: list = []  # the one listener of the process, once registered


def announce_first_compile() -> object:
    """For the commands without a progress bar (``plan``, ``campaign``): one line on stderr when
    the first kernel of the process starts compiling, so standard output stays the command's
    own (``--json``). Registered once per process however many commands run in it; returns the
    listener."""
    if _first_compile_listener:
        return _first_compile_listener[0]
    load_numba_registries()
    from numba.core.event import Listener, register

    from stationsim.cli.output import err_console

    class Once(Listener):
        told = False

        def on_start(self, event) -> None:
            if not self.told:
                self.told = True
                err_console.print(FIRST_NOTICE, highlight=False, soft_wrap=True)

        def on_end(self, event) -> None:
            pass

    listener = Once()
    register("numba:compile", listener)
    _first_compile_listener.append(listener)
    return listener


BLAS_MODULE = "scipy.linalg.cython_blas"


def load_numba_registries() -> None:
    """Import Numba's NumPy implementations, which the first kernel loaded needs, with their
    check for a BLAS answered from SciPy's files rather than by importing ``scipy.linalg``.

    ``numba.np.arraymath`` asks once, as it is imported, whether :data:`BLAS_MODULE` imports
    (for ``np.dot`` and the like inside kernels). Importing it runs ``scipy.linalg``'s package
    first, whose array-API layer walks NumPy's whole namespace (``numpy.f2py`` included): 0.3 s
    of a warm run whose kernels call no BLAS. Where that extension module is on disk, a
    stand-in holds its name in ``sys.modules`` for this one import; Numba's check of SciPy's
    integer width still reads ``scipy.__config__``, and a kernel that calls BLAS imports the
    real module when it compiles (``numba.np.linalg.ensure_blas``).
    """
    if "numba.np.arraymath" in sys.modules or "scipy.linalg" in sys.modules:
        return
    scipy = importlib.util.find_spec("scipy")  # a top-level package: found, not imported
    folders = [os.path.join(folder, "linalg")
               for folder in (scipy.submodule_search_locations or ())] if scipy else []
    if not folders or importlib.machinery.PathFinder.find_spec(BLAS_MODULE, folders) is None:
        import numba.np.arraymath  # noqa: F401  Numba's own check says there is no BLAS
        return
    sys.modules[BLAS_MODULE] = stand_in = types.ModuleType(BLAS_MODULE)
    try:
        import numba.np.arraymath  # noqa: F401
    finally:
        if sys.modules.get(BLAS_MODULE) is stand_in:
            del sys.modules[BLAS_MODULE]
