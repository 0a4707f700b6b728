"""A cached kernel loaded with what its machine code needs, and a compilation prepared without
the import of ``scipy.linalg``.

Before it reads a kernel from its disk cache, Numba refreshes its compiler's contexts
(``numba.core.caching.Cache.load_overload``): it imports every implementation module it has
(``numba.np.arraymath``, the typed containers, jitclass, the random generators, ...) and
installs their registries, 0.1-0.2 s of a warm run. Loading compiled code needs none of that:
the code is rebuilt from the cache's object file and its only outside calls are to Numba's
runtime (NRT). So :func:`load_lightly` has the kernels of a module load with the runtime
initialised alone; a kernel not in the cache, which then compiles, first imports Numba's NumPy
implementations as :func:`load_numba_registries` does (the compiler refreshes its contexts
itself before it starts). The code loaded is the same file, so the kernels fly the same bits.

Each function compiled into a kernel comes with its environment: the globals of its module and
the Python constants its code reads at run time. Numba rebuilds it from the cache by importing
that module, and the NumPy functions inlined into our kernels (``np.empty``, ``min``, ``max``)
live in ``numba.np.arrayobj`` and ``numba.cpython``, whose import pulls Numba's string,
hashing and sorting implementations after it (0.05-0.1 s). Code compiled in nopython mode
reads its environment's constants only, never its globals, so an environment without
constants from a Numba module not yet imported is rebuilt with its module's name alone
(:func:`_environment`).

``numba.np.arraymath`` asks once, as it is imported, whether :data:`BLAS_MODULE` imports (for
``np.dot`` and the like inside kernels). Importing it runs ``scipy.linalg``'s package first,
whose array-API layer walks NumPy's whole namespace (``numpy.f2py`` included): 0.3 s for
kernels that call no BLAS. :func:`load_numba_registries` answers from SciPy's files instead.
"""

from __future__ import annotations

import functools
import importlib.machinery
import importlib.util
import os
import sys
import types
from typing import Any

BLAS_MODULE = "scipy.linalg.cython_blas"


def load_lightly(namespace: dict[str, Any]) -> None:
    """Have every disk-cached kernel in ``namespace`` (a module's globals) load from its cache
    with Numba's runtime initialised alone (module doc)."""
    from numba.core import environment
    from numba.core.caching import Cache

    if not (hasattr(Cache, "_load_overload") and hasattr(environment, "_rebuild_env")):
        return  # a Numba without the two hooks: its own loading, unchanged
    for value in namespace.values():
        cache = getattr(value, "_cache", None)
        if isinstance(cache, Cache):
            cache.load_overload = functools.partial(  # type: ignore[method-assign]
                _load_overload, cache)


def _load_overload(cache, sig, target_context):
    """``Cache.load_overload`` without the refresh of the contexts; before a compilation (a
    miss) Numba's NumPy implementations are imported as :func:`load_numba_registries` does."""
    from numba.core import environment
    from numba.core.runtime import rtsys

    rtsys.initialize(target_context)  # the runtime the compiled code calls
    rebuild = environment._rebuild_env  # what the cache's pickles call, read as they load:
    environment._rebuild_env = functools.partial(_environment, rebuild)  # under Numba's
    try:  # compiler lock, as every load and compilation is
        loaded = cache._load_overload(sig, target_context)
    finally:
        environment._rebuild_env = rebuild
    if loaded is None:
        load_numba_registries()
    return loaded


def _environment(rebuild, module: str, consts: list, name: str):
    """The environment ``name`` of a function of ``module``, rebuilt by Numba's ``rebuild``
    unless it holds no constants and ``module`` is one of Numba's not imported yet: then with
    the module's name for its globals, which nopython code never reads (module doc)."""
    from numba.core.environment import Environment, lookup_environment

    if consts or not module.startswith("numba.") or module in sys.modules:
        return rebuild(module, consts, name)
    found = lookup_environment(name)
    if found is not None:
        return found
    made = Environment({"__name__": module})
    made.env_name = name
    Environment._memo[name] = made  # as Numba keeps the environments it rebuilds
    return made


def load_numba_registries() -> None:
    """Import Numba's NumPy implementations, which a compilation needs, with their check for a
    BLAS answered from SciPy's files rather than by importing ``scipy.linalg``.

    Where the extension module :data:`BLAS_MODULE` is on disk, a stand-in holds its name in
    ``sys.modules`` for this one import; Numba's check of SciPy's integer width still reads
    ``scipy.__config__``, and a kernel that calls BLAS imports the real module when it compiles
    (``numba.np.linalg.ensure_blas``).
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
