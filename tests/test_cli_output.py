"""Terminal output: text from files, paths and arguments prints as itself, never as Rich markup."""

from __future__ import annotations

from stationsim.cli import main
from stationsim.cli.output import fail, print_table, warn

# a closing tag Rich cannot match (it raised MarkupError) and tags it would have swallowed
HOSTILE = "[/x] dv_mps must be finite, got [inf] at [bold]flights[0][/bold]"


def test_error_text_is_never_parsed_as_markup(capsys):
    fail(HOSTILE)
    assert capsys.readouterr().err.strip() == f"error: {HOSTILE}"


def test_warning_text_is_never_parsed_as_markup(capsys):
    warn(HOSTILE)
    assert capsys.readouterr().out.strip() == f"warning: {HOSTILE}"


def test_table_cells_and_title_are_never_parsed_as_markup(capsys):
    print_table("[/title]", ["[red]name[/]"], [["[/cell]"]])
    out = capsys.readouterr().out
    assert "[/title]" in out and "[red]name[/]" in out and "[/cell]" in out


def test_bracketed_path_argument_gives_an_error_not_a_traceback(capsys, tmp_path):
    path = tmp_path / "[/x].yaml"
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert f"{path}:1:1: program: no such file" in err and "Traceback" not in err


def test_bracketed_yaml_value_is_quoted_whole_in_the_message(capsys, tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("name: x\nspan: {start_utc: '[/x]', end_utc: '[bold]'}\n", encoding="utf-8")
    assert main(["validate", str(path)]) == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert "got '[/x]'" in err and "got '[bold]'" in err


def test_bracketed_unknown_option_and_command_are_usage_errors(capsys):
    assert main(["run", "--[/x]"]) == 2
    assert main(["[/x]"]) == 2
    err = capsys.readouterr().err
    assert "--[/x]" in err and "'[/x]'" in err and "Traceback" not in err


def test_a_table_of_times_fits_80_columns_and_shows_every_time_whole(capsys, monkeypatch):
    from rich.console import Console

    from stationsim.cli import output

    monkeypatch.setattr(output, "console", Console(markup=False, width=80))
    times = ["1995-11-10T13:17:48.123456Z", "1995-11-10T13:25:18.5Z", "1995-11-10T13:32:48Z"]
    print_table("windows", ["opens (UTC)", "in plane (UTC)", "closes (UTC)", "width (s)",
                            "pass", "azimuth (deg)", "phase (deg)"],
                [[*times, 900.441, "ascending", 42.774, 293.22],
                 [*times, 1900.4, "descending", 142.7, 3.2]])
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "…" not in out
    for shown in ("1995-11-10", "13:17:48", "13:25:19", "13:32:48", "ascending", "descending",
                  "293.220", "1,900.400", "phase", "azimuth"):
        assert shown in out, shown


def test_version():
    import subprocess
    import sys

    from stationsim import __version__

    done = subprocess.run([sys.executable, "-c", "import sys; from stationsim.cli import main; "
                           "sys.exit(main())", "--version"], capture_output=True, text=True,
                          check=False)
    assert done.returncode == 0 and done.stdout == f"stationsim {__version__}\n"


def test_switches_show_no_value_type_in_help(capsys):
    assert main(["plan", "windows", "--help"]) == 0
    out = capsys.readouterr().out
    assert "--json" in out and "<bool>" not in out and "<float>" in out


def test_a_kernel_compiling_is_announced_once_and_a_compiled_one_not():
    import numba
    import numpy as np

    from stationsim.cli.kernels import compile_notice

    @numba.njit(cache=False)
    def doubled_sum(values):
        return 2.0 * values.sum()

    told = []
    with compile_notice(lambda count, name: told.append((count, name))):
        assert doubled_sum(np.arange(4.0)) == 12.0
        first = list(told)  # the kernel, then what it calls (numba's own array sum)
        assert doubled_sum(np.arange(5.0)) == 20.0  # same types: no second compilation
    assert first[0] == (1, "doubled_sum") and [c for c, _ in first] == list(
        range(1, len(first) + 1)) and told == first
    doubled_sum(np.arange(3))  # integers: a new compilation, but outside the block
    assert told == first


def test_plan_and_campaign_announce_the_first_compile_on_stderr_once(capsys):
    import numba
    import numpy as np

    from stationsim.cli.kernels import FIRST_NOTICE, announce_first_compile

    @numba.njit(cache=False)
    def tripled_sum(values):
        return 3.0 * values.sum()

    listener = announce_first_compile()
    assert announce_first_compile() is listener  # a second command adds no second listener
    listener.told = False  # as in a fresh process (an earlier test may have compiled)
    capsys.readouterr()
    assert tripled_sum(np.arange(3.0)) == 9.0
    assert tripled_sum(np.arange(3)) == 9  # a second compilation: no second notice
    out, err = capsys.readouterr()
    assert out == "" and " ".join(err.split()) == FIRST_NOTICE
