"""The command-line process: what it imports when, and its garbage collector (cli/process.py)."""

import gc
import subprocess
import sys

from stationsim.cli.process import importing


def _python(code: str) -> list[str]:
    """The lines ``code`` prints in a fresh interpreter."""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    return done.stdout.split()


def test_the_command_line_imports_neither_numba_nor_scipy():
    # `stationsim --help`, `list` and `validate` never need them: a run imports them itself
    assert _python("import sys; from stationsim.cli import main; "
                   "print(*(m in sys.modules for m in ('numba', 'scipy', 'duckdb', 'pydantic')))"
                   ) == ["False"] * 4


def test_numba_loads_its_registries_and_the_kernels_without_scipy_linalg():
    found = _python(
        "import sys, numpy as np, numba\n"
        "from stationsim.cli.kernels import BLAS_MODULE, load_numba_registries\n"
        "load_numba_registries()\n"
        "from stationsim.astro.compile import compile_kernels\n"
        "compile_kernels()\n"
        "import numba.np.arraymath as arraymath\n"
        "print(arraymath._HAVE_BLAS, 'scipy.linalg' in sys.modules, BLAS_MODULE in sys.modules)\n"
        "a = np.arange(16.0).reshape(4, 4) + np.eye(4)\n"
        "product = numba.njit(cache=False)(lambda x, y: np.dot(x, y))(a, a)\n"
        "print(np.array_equal(product, a @ a), sys.modules[BLAS_MODULE].__file__.endswith('.so'))")
    # Numba knows a BLAS is there; SciPy's linalg package stays unimported (the stand-in gone)
    # until a kernel that calls BLAS compiles, which then imports the real module and works
    assert found == ["True", "False", "False", "True", "True"]


def test_a_one_command_process_pauses_collection_while_importing_and_freezes_at_exit():
    found = _python(
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('at-exit', gc.get_freeze_count() > 0))  # runs last\n"
        "from stationsim.cli import main\n"
        "from stationsim.cli.process import importing\n"
        "sys.argv = ['stationsim', '--version']\n"
        "main()\n"
        "frozen = gc.get_freeze_count()\n"
        "with importing():\n"
        "    print('importing', gc.isenabled())\n"
        "print('after', gc.isenabled(), gc.get_freeze_count() > frozen)\n"
        "gc.unfreeze()\n")
    assert found[0] == "stationsim"  # the version line, then:
    assert found[2:] == ["importing", "False", "after", "True", "True", "at-exit", "True"]


def test_commands_run_in_process_leave_the_collector_alone():
    frozen = gc.get_freeze_count()
    with importing():
        assert gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
