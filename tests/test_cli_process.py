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
        "from stationsim.astro.kernel_load import BLAS_MODULE, load_numba_registries\n"
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


def test_a_one_command_process_pauses_collection_while_importing_and_skips_the_teardown():
    found = _python(
        "import atexit, gc, sys\n"
        "atexit.register(lambda: print('teardown'))  # before the command: run last, skipped\n"
        "from stationsim.cli import main\n"
        "from stationsim.cli.process import importing\n"
        "sys.argv = ['stationsim', '--version']\n"
        "code = main()\n"
        "frozen = gc.get_freeze_count()\n"
        "with importing():\n"
        "    print('importing', gc.isenabled())\n"
        "print('after', gc.isenabled(), gc.get_freeze_count() > frozen)\n"
        "atexit.register(lambda: sys.stdout.write(f'at-exit {code}'))  # after it: runs, and\n"
        "sys.exit(code)\n")  # what it writes is flushed
    assert found[0] == "stationsim"  # the version line, then:
    assert found[2:] == ["importing", "False", "after", "True", "True", "at-exit", "0"]


def test_a_one_command_process_exits_with_the_command_s_code():
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from stationsim.cli import main; "
         "sys.argv = ['stationsim', 'validate', 'no/such/program.yaml']; sys.exit(main())"],
        capture_output=True, text=True)
    assert done.returncode == 2 and "no/such/program.yaml" in done.stderr
    # an uncaught exception after the command: Python's own exit, its traceback and code
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from stationsim.cli import main; "
         "sys.argv = ['stationsim', '--version']; main(); raise KeyError('after')"],
        capture_output=True, text=True)
    assert done.returncode == 1 and "KeyError: 'after'" in done.stderr


def test_commands_run_in_process_leave_the_collector_alone():
    frozen = gc.get_freeze_count()
    with importing():
        assert gc.isenabled()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
