"""``stationsim validate`` and ``stationsim schema``: exit codes and output."""

from __future__ import annotations

import json
from pathlib import Path

from stationsim.cli import main
from stationsim.scenario import program_path

BROKEN = Path(__file__).parent / "broken"


def test_validate_clean_program_exits_0(capsys):
    assert main(["validate", str(program_path("example-small"))]) == 0
    out = capsys.readouterr().out
    assert ("example-small.yaml: ok (1 station, 2 flights, 10 people, 1 event, "
            "1 tracking update)") in out


def test_validate_bundled_name_exits_0(capsys):
    assert main(["validate", "example-small"]) == 0


def test_validate_lists_every_problem_and_exits_2(capsys, tmp_path):
    case = BROKEN / "several-problems.yaml"
    copy = tmp_path / case.name
    copy.write_bytes(case.read_bytes())
    assert main(["validate", str(copy)]) == 2
    err = capsys.readouterr().err
    expected = case.with_suffix(".expected").read_text(encoding="utf-8").splitlines()
    for message in expected:
        assert f"{tmp_path}/{message}" in err.replace("\n", "")
    assert f"{copy}: {len(expected)} problems" in err and len(expected) == 4


def test_validate_missing_file_exits_2(capsys, tmp_path):
    assert main(["validate", str(tmp_path / "nothing.yaml")]) == 2
    assert "no such file or bundled program" in capsys.readouterr().err


def test_schema_to_stdout_and_file(capsys, tmp_path):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    out = tmp_path / "program.schema.json"
    assert main(["schema", "--out", str(out)]) == 0
    assert json.loads(out.read_text(encoding="utf-8")) == printed
    assert printed["title"] == "Program" and "flights" in printed["properties"]


def test_validate_and_run_a_folder_or_device_exit_2(capsys, tmp_path):
    # a folder read "no such file or bundled program", though it exists
    for command in ("validate", "run"):
        assert main([command, str(tmp_path)]) == 2
        assert f"{tmp_path}:1:1: program: a folder (expected a YAML program file)" in (
            capsys.readouterr().err.replace("\n", ""))
    assert main(["validate", "/dev/null"]) == 2
    assert "/dev/null:1:1: program: not a regular file" in capsys.readouterr().err


def test_schema_out_that_cannot_be_a_file_is_named(capsys, tmp_path):
    # were "[Errno 21] Is a directory: ..." and "[Errno 20] Not a directory: ..."
    (tmp_path / "plain").write_text("x")
    assert main(["schema", "--out", str(tmp_path)]) == 2
    assert f"--out {tmp_path}: a folder" in capsys.readouterr().err.replace("\n", "")
    assert main(["schema", "--out", str(tmp_path / "plain" / "schema.json")]) == 2
    assert f"{tmp_path / 'plain'} is a file, not a folder" in (
        capsys.readouterr().err.replace("\n", ""))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["plain"]
