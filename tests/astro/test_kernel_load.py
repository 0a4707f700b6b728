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
