"""Numba's disk cache of the kernels, dropped whenever any kernel source changed.

Numba checks a cached kernel against the file that defines it only (Numba documentation,
"Notes on caching": a change to a function in another file is not detected), but the
propagator's kernels inline the force model of ``forces.py``: after an upgrade that changed
``forces.py`` alone, ``integrate.py``'s kernels would load stale and fly the old forces. So
each cache directory keeps the SHA-256 of every kernel source beside the kernels, and they are
dropped (compiled again on their next call) when it differs. A directory without a kernel is
then seeded from the kernels shipped in the package when they were built from the present
sources for this machine (:mod:`stationsim.astro.kernel_bundle`), and the kernels load from it
with what their machine code needs alone (:mod:`stationsim.astro.kernel_load`).
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

from stationsim.astro.kernel_bundle import seed
from stationsim.astro.kernel_load import load_lightly

KERNEL_FILES = ("entry.py", "forces.py", "integrate.py", "kepler.py", "lambert.py",
                "powered_flight.py")  # every module of cached kernels
MARKER = "stationsim-kernels.sha256"
_checked: set[str] = set()  # cache directories seen by this process


def sources_digest() -> str:
    """SHA-256 (hex) of the kernel sources, in the order of :data:`KERNEL_FILES`."""
    here = Path(__file__).parent
    digest = hashlib.sha256()
    for name in KERNEL_FILES:
        digest.update((here / name).read_bytes())
    return digest.hexdigest()


def drop_stale(namespace: dict[str, Any]) -> None:
    """Drop the cached kernels of every directory caching the kernels in ``namespace`` (a
    module's globals) unless they were written from the present sources, then seed the
    directory from the shipped kernels (:func:`stationsim.astro.kernel_bundle.seed`); once per
    process and directory, before any kernel is called. The kernels then load lightly
    (:func:`stationsim.astro.kernel_load.load_lightly`)."""
    load_lightly(namespace)
    paths = {path for value in namespace.values()
             if isinstance(path := getattr(getattr(value, "_cache", None), "_cache_path", None),
                           str)}
    for path in sorted(paths - _checked):
        _checked.add(path)
        marker = Path(path) / MARKER
        digest = sources_digest()
        try:
            fresh = marker.read_text(encoding="ascii") == digest
        except OSError:
            fresh = False  # no marker yet: written below
        if not fresh:
            for stale in Path(path).glob("*.nb[ic]"):
                stale.unlink(missing_ok=True)
            try:
                Path(path).mkdir(parents=True, exist_ok=True)
                partial = marker.with_name(f"{MARKER}.{os.getpid()}")
                partial.write_text(digest, encoding="ascii")
                os.replace(partial, marker)
            except OSError:
                continue  # a read-only directory: Numba caches elsewhere, finds nothing here
        seed(path, digest)
