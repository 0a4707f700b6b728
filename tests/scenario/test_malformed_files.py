"""Malformed files a user names beside a program (tracking files, catalogs) and to the plan
commands (element-set files), as editors and downloads really produce them: each refused with
exit code 2 and one message naming the file, the line and column, and what was expected."""

from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from stationsim.cli import main
from stationsim.errors import ProgramError
from stationsim.scenario import load_path

BROKEN = Path(__file__).parent / "broken"
MIR = ("1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051\n"
       "2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898\n")


def _damaged_gzip() -> bytes:
    data = bytearray(gzip.compress(MIR.encode() * 50, mtime=0))
    data[30] ^= 0xFF  # inside the deflate stream: zlib's "invalid ..." error, not a gzip one
    return bytes(data)


# name: (bytes of the file, its name, "line:column: what" of the message, after the path)
BAD_SETS = {
    "utf-16": (MIR.encode("utf-16"), "f.tle",
               "1:1: UTF-16 text (save the file as UTF-8); expected element sets as text"),
    "latin-1": (("MIR R\xe9SUM\xe9\n" + MIR).encode("latin-1"), "f.tle",
                "1:6: not UTF-8 (byte 0xe9: Latin-1 or another code page?); expected element "
                "sets as text"),
    "binary": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "f.tle",
               "3:1: binary file (a NUL byte); expected element sets as text"),
    "damaged-gzip": (_damaged_gzip(), "f.tle.gz",
                     "1:1: cannot read the file of element sets (Error -3 while decompressing "
                     "data: invalid bit length repeat)"),
    "truncated-gzip": (gzip.compress(MIR.encode() * 50, mtime=0)[:60], "f.tle.gz",
                       "1:1: cannot read the file of element sets (Compressed file ended before "
                       "the end-of-stream marker was reached)"),
    "swapped-lines": ("".join(reversed(MIR.splitlines(keepends=True))).encode(), "f.tle",
                      "1:1: expected TLE line 1 or a name, found a line 2 (lines swapped, or "
                      "line 1 missing)"),
}


def _program(folder: Path, extra: str) -> Path:
    text = (BROKEN / "name-absolute-path.yaml").read_text(encoding="utf-8")
    path = folder / "p.yaml"
    path.write_text(text.replace("name: /tmp/ESCAPED", "name: p") + extra, encoding="utf-8")
    return path


@pytest.mark.parametrize("case", BAD_SETS, ids=list(BAD_SETS))
def test_bad_tracking_file_is_located_in_it_and_in_the_program(tmp_path, case):
    # a damaged gzip (zlib's error) was reported at the program's 1:1 as "cannot be read"
    data, name, where_what = BAD_SETS[case]
    (tmp_path / name).write_bytes(data)
    program = _program(tmp_path, f"tracking_files:\n  - {{station: mir, file: {name}}}\n")
    with pytest.raises(ProgramError) as caught:
        load_path(program)
    assert caught.value.errors == [f"{program}:32:26: tracking_files[0].file: not a readable "
                                   f"tracking file ({tmp_path / name}:{where_what})"]


@pytest.mark.parametrize("case", BAD_SETS, ids=list(BAD_SETS))
def test_bad_element_set_file_of_the_plan_commands(tmp_path, capsys, case):
    # the plan commands read the file with errors="replace": garbage and UTF-16 came back as
    # "expected TLE line 1, found '\x00'" and a gzip's bytes were quoted as a name line
    data, name, where_what = BAD_SETS[case]
    path = tmp_path / name
    path.write_bytes(data)
    for argv in (["plan", "lifetime", "--tle", str(path), "--mass-kg", "100", "--area-m2", "1"],
                 ["plan", "windows", "--station-tle", str(path), "--site", "baikonur-site-1",
                  "--from", "1995-11-12"]):
        assert main(argv) == 2
        err = capsys.readouterr().err
        assert err == f"error: {path}:{where_what}\n"


def test_gzipped_element_sets_are_read_by_their_bytes_whatever_the_name(tmp_path):
    from stationsim.astro.tle import read_tle_file

    (tmp_path / "sets.txt").write_bytes(gzip.compress(MIR.encode(), mtime=0))
    (tmp_path / "plain.tle.gz").write_text(MIR, encoding="utf-8")
    assert [tle.norad_id for tle in read_tle_file(tmp_path / "sets.txt")] == [16609]
    assert [tle.norad_id for tle in read_tle_file(tmp_path / "plain.tle.gz")] == [16609]


# name: (bytes of the catalog file, "line:column: what" of the message after its path)
BAD_CATALOGS = {
    "empty": (b"# nothing yet\n", "1:1: catalog: the file is empty (expected a mapping with "
                                  "modules, vehicles or sites)"),
    "utf-16": ("modules: {}\n".encode("utf-16"), "1:1: catalog: UTF-16 text (save the file as "
                                                 "UTF-8); expected YAML text in UTF-8"),
    "latin-1": ("# r\xe9sum\xe9\nmodules: {}\n".encode("latin-1"),
                "1:4: catalog: not UTF-8 (byte 0xe9: Latin-1 or another code page?); expected "
                "YAML text in UTF-8"),
    "tabs": (b"modules:\n\tx: {}\n", "2:1: catalog: YAML syntax error: while scanning for the "
                                     "next token found character '\\t' that cannot start any "
                                     "token"),
}


@pytest.mark.parametrize("case", BAD_CATALOGS, ids=list(BAD_CATALOGS))
def test_bad_catalog_file_is_named_a_catalog(tmp_path, case):
    # a catalog file's problems were labelled "program:" and an empty one was expected to hold
    # "name, span, stations and flights"
    data, where_what = BAD_CATALOGS[case]
    (tmp_path / "c.yaml").write_bytes(data)
    with pytest.raises(ProgramError) as caught:
        load_path(_program(tmp_path, "catalogs: [c.yaml]\n"))
    assert caught.value.errors == [f"{tmp_path / 'c.yaml'}:{where_what}"]


@pytest.mark.parametrize(("argv", "message"), [
    (["plan", "rendezvous", "--station-tle", "{tle}", "--vehicle", "shuttle", "--site",
      "ksc-lc-39a", "--launch", "1995-11-12T10:00:00Z", "--docking-flight-day", "100000"],
     # was: an SGP4 failure in 2269 that named no option
     "error: --docking-flight-day must be 1 to 30, got 100000\n"),
    (["export", "{tmp}/no-run", "--format", "oem"],
     # was: "neither X/results.duckdb nor X/results.duckdb exists" (the same path twice)
     "error: no run '{tmp}/no-run': no file {tmp}/no-run/results.duckdb (expected a run folder; "
     "runs in runs: none); run 'stationsim run NAME' first\n"),
    (["campaign", "example-small", "--samples", "5", "--vary", "launch_slip_s=normal(0, 1e300)",
      "--out", "{tmp}/c"],
     # was: overflow warnings from the insertion interpolation, and exit code 0
     "error: --vary 'launch_slip_s=normal(0, 1e300)': draws reach 6e+300 at 6 sigma (expected "
     "at most 86400 for launch_slip_s: launch delay after the planned instant, s)\n"),
])
def test_arguments_out_of_reach_are_refused_naming_the_option(tmp_path, capsys, monkeypatch,
                                                               argv, message):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mir.tle").write_text(MIR, encoding="utf-8")
    argv = [arg.format(tle=tmp_path / "mir.tle", tmp=tmp_path) for arg in argv]
    assert main(argv) == 2
    assert capsys.readouterr().err == message.format(tmp=tmp_path)
    assert sorted(path.name for path in tmp_path.iterdir()) == ["mir.tle"]  # nothing written
