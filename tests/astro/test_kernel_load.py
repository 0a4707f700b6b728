"""A cached kernel loads without Numba's NumPy implementations; one that compiles imports them
first, without scipy.linalg (astro/kernel_load.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

KERNEL = '''
import numpy as np
from numba import njit

from stationsim.astro.kernel_load import load_lightly


@njit(cache=True)
def swing(x):
    out = np.empty(3)  # an array made in the kernel: Numba's runtime allocates it
    for i in range(3):
        out[i] = np.sin(x * (i + 1))
    return out


load_lightly(globals())
'''

CALL = ("import sys, numpy as np\n"
        "import kernel\n"
        "x = kernel.swing(0.5)\n"
        "print(np.array_equal(x, np.sin(0.5 * np.arange(1.0, 4.0))),\n"
        "      'numba.np.arraymath' in sys.modules, 'scipy.linalg' in sys.modules)\n")


def _call(folder: Path) -> list[str]:
    env = dict(os.environ, NUMBA_CACHE_DIR=str(folder / "cache"),
               PYTHONPATH=os.pathsep.join([str(folder), *sys.path]))
    done = subprocess.run([sys.executable, "-c", CALL], cwd=folder, env=env, check=True,
                          capture_output=True, text=True)
    return done.stdout.split()


def test_a_kernel_compiles_once_then_loads_without_numbas_numpy_implementations(tmp_path):
    (tmp_path / "kernel.py").write_text(KERNEL, encoding="utf-8")
    # not cached yet: compiled, after Numba's NumPy implementations (scipy.linalg left alone)
    assert _call(tmp_path) == ["True", "True", "False"]
    assert list((tmp_path / "cache").rglob("*.nbc"))
    # cached: loaded with Numba's runtime alone, the same numbers
    assert _call(tmp_path) == ["True", "False", "False"]


def test_the_run_s_kernels_load_without_numbas_array_and_string_implementations():
    # the environments of the NumPy functions inlined into them are rebuilt without importing
    # numba.np.arrayobj (and its strings, hashing and sorting); a propagation still flies
    code = ("import sys, numpy as np\n"
            "from stationsim.astro.compile import compile_kernels\n"
            "from stationsim.astro.propagate import Numerical\n"
            "from stationsim.astro.time import Epoch\n"
            "compile_kernels()\n"
            "orbit = Numerical(Epoch(0.0), np.array([6778137.0, 0.0, 0.0]),\n"
            "                  np.array([0.0, 4782.8, 6034.4]))\n"
            "r_m, _ = orbit.states(Epoch(np.array([0.0, 5e3])))\n"
            "print(np.allclose(r_m[0], [6778137.0, 0.0, 0.0]),\n"
            "      abs(np.linalg.norm(r_m[1]) - 6778137.0) < 30e3,\n"
            "      *(m in sys.modules for m in ('numba.np.arrayobj', 'numba.cpython.unicode')))\n")
    subprocess.run([sys.executable, "-c", code], check=True)  # compiled here if not cached
    done = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True,
                          text=True)
    assert done.stdout.split() == ["True", "True", "False", "False"]
