"""The Numba kernels a run uses, compiled (or loaded from the disk cache) ahead of their first call.

On the first run after an install the kernels are not in Numba's disk cache yet and compiling
them takes most of the run's first seconds. :func:`compile_kernels_in_background` starts that
work in a thread while the caller does other things (reading the program, building the density
table); a kernel called before its compilation finished waits on Numba's compiler lock and then
uses the compiled code, so nothing is compiled twice. Numba runs LLVM's optimisation without the
interpreter lock, which is where the overlap comes from. Each kernel is called through its
public wrapper with the argument types a run passes, so the one signature compiled is the one
used. :func:`compile_every_kernel` adds the kernels of the other commands (the batch
propagator, Lambert, powered flight, capsule entry); the compiled kernels shipped in the
package (:mod:`stationsim.astro.kernel_bundle`) are built with it.
"""

from __future__ import annotations

import threading

import numpy as np

LEO_R_M = np.array([6778137.0, 0.0, 0.0])  # the state the kernels compile on: a 400 km
LEO_V_MPS = np.array([0.0, 4782.8, 6034.4])  # circular orbit inclined 51.6 deg
_STARTED: list[threading.Thread] = []  # the one background compilation of this process
_LOCK = threading.Lock()


def compile_kernels() -> None:
    """Compile or load every kernel of a run: DOP853 propagation, J2-secular and Kepler steps."""
    from stationsim.astro.kepler import propagate_j2_secular, propagate_kepler
    from stationsim.astro.propagate import Numerical
    from stationsim.astro.time import Epoch

    epoch = Epoch(0.0)
    Numerical(epoch, LEO_R_M, LEO_V_MPS).states(epoch + np.array([0.0, 60.0]))
    propagate_j2_secular(LEO_R_M, LEO_V_MPS, 60.0)  # one state: the step alone
    propagate_j2_secular(LEO_R_M, LEO_V_MPS, np.array([60.0]))  # the batch kernel
    propagate_kepler(LEO_R_M, LEO_V_MPS, 60.0)


def compile_every_kernel() -> None:
    """Compile or load every kernel a command calls: :func:`compile_kernels`, the batch
    propagator, Lambert (one arc and many), powered flight and capsule entry."""
    from stationsim.astro.constants import MU_MOON_M3PS2, R_MOON_M
    from stationsim.astro.entry import ConstantBank, EntryVehicle, fly_entry
    from stationsim.astro.forces import altitude_m
    from stationsim.astro.lambert import solve_lambert
    from stationsim.astro.powered_flight import Body, FlightState, fly
    from stationsim.astro.propagate import propagate_batch
    from stationsim.astro.time import Epoch

    compile_kernels()
    epoch = Epoch(0.0)
    propagate_batch(epoch, LEO_R_M, LEO_V_MPS, epoch + np.array([0.0, 60.0]))
    altitude_m(*LEO_R_M)  # as the station-keeping and entry code call it, on NumPy floats
    r2_m = np.array([0.0, 6778137.0, 0.0])
    solve_lambert(LEO_R_M, r2_m, 1500.0)
    solve_lambert(np.vstack([LEO_R_M, LEO_R_M]), r2_m, np.array([1500.0, 1600.0]))
    lunar_orbit = FlightState(np.array([1.85e6, 0.0, 0.0]), np.array([0.0, 1628.0, 0.0]), 15000.0)
    fly(lunar_orbit, 10.0, Body(MU_MOON_M3PS2, R_MOON_M, 0.0), 43904.0, (0.0, -1.0, 0.0), 311.0)
    heights_m = np.arange(0.0, 200e3 + 1.0, 1e3)
    column = 0.0, 1e3, np.log(1.225) - heights_m / 7200.0  # an isothermal atmosphere
    r_entry_m = np.array([6378137.0 + 121.92e3, 0.0, 0.0])
    fly_entry(epoch, r_entry_m, np.array([-200.0, 7400.0, 0.0]),
              EntryVehicle(2460.0, 4.155, 0.92), ConstantBank(), density=column)


def compile_kernels_in_background() -> threading.Thread:
    """Start :func:`compile_kernels` in a daemon thread (once per process) and return it.

    ``thread.is_alive()`` says whether compilation is still going on; ``thread.join()`` waits
    for it. Calling again returns the same thread.
    """
    with _LOCK:
        if not _STARTED:
            thread = threading.Thread(target=_compile_quietly, name="stationsim-compile",
                                      daemon=True)
            thread.start()
            _STARTED.append(thread)
        return _STARTED[0]


def _compile_quietly() -> None:
    """:func:`compile_kernels`, any failure left to the kernel's own first call to report."""
    try:
        compile_kernels()
    except Exception:  # noqa: BLE001 - the run's own call raises the real error
        pass
