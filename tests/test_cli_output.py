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
