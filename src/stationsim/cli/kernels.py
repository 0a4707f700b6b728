"""A word on the terminal while Numba compiles: the first run on a machine compiles the orbit
kernels (10 to 25 s) and caches them on disk, and a bar sitting at 0 % says nothing of that.

Numba announces a compilation (a kernel and argument types not in memory nor in its disk
cache) with a ``numba:compile`` event; loading a cached kernel announces nothing, so later runs
show no notice. A kernel that compiles first imports Numba's NumPy implementations, without
the import of ``scipy.linalg`` that Numba's check for a BLAS would cost
(:mod:`stationsim.astro.kernel_load`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

FIRST_NOTICE = ("compiling the numerical kernels on first use (tens of seconds, once: they are "
                "cached on disk for later runs)")


@contextmanager
def compile_notice(tell: Callable[[int, str], None]) -> Iterator[None]:
    """Within the block, call ``tell(count, name)`` as each Numba kernel starts compiling:
    ``count`` kernels so far, ``name`` the one starting."""
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

