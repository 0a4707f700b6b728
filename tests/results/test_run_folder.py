"""Run folders written as a unit: kills at each stage, stale temporaries, a second writer, a
full or read-only disk and a damaged store, each leaving the old folder or the new one whole."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pytest
from web.synthetic_run import synthetic_tables

from stationsim.cli import main
from stationsim.cli.summary import summary_rows
from stationsim.errors import RunFolderBusy, StationsimError, StorageError
from stationsim.results.run_folder import RunFolderWriter, check_run_folder

PYTHON = [sys.executable, "-c"]


def seed_of(folder: Path) -> int:
    con = duckdb.connect(str(folder / "results.duckdb"), read_only=True)
    try:
        return con.execute("SELECT seed FROM runs").fetchone()[0]
    finally:
        con.close()


def leftovers(folder: Path, held: bool = False) -> list[str]:
    """Names beside and inside ``folder`` that a writer leaves only while at work (but the
    lock file when ``held``: the caller holds it)."""
    lock = f".{folder.name}.lock" if held else None
    beside = [p.name for p in folder.parent.iterdir()
              if p.name.startswith(f".{folder.name}.") and p.name != lock]
    inside = [str(p.relative_to(folder)) for p in folder.rglob(".*")] if folder.exists() else []
    return sorted(beside + inside)


@pytest.fixture
def old_run(tmp_path) -> Path:
    """A complete run folder of seed 1 (the synthetic run)."""
    folder = tmp_path / "runs" / "synthetic"
    with RunFolderWriter(folder) as writer:
        writer.save_tables(synthetic_tables(seed=1))
    return folder


def test_a_reader_takes_its_rows_through_the_writing_connection_before_the_swap(tmp_path):
    # the terminal summary of `stationsim run`: read from the store being written, so the
    # file is not opened a second time once it is in place
    folder = tmp_path / "runs" / "synthetic"
    seen = []

    def read(con):
        seen.append(folder.exists())
        return summary_rows(con)

    with RunFolderWriter(folder) as writer:
        saved = writer.save_tables(synthetic_tables(seed=1), read=read)
    assert seen == [False]  # read before the new folder was swapped in
    rows = {quantity: value for quantity, value in saved.read}
    assert rows["flights"] == 2 and rows["dockings"] == 2
    assert rows["rendezvous delta-v, all flights (m/s)"] == 215.0  # 95 + 120 m/s as written
    assert check_run_folder(folder)["summary"]["seed"] == 1


def test_run_folder_holds_store_report_and_manifest_that_agree(old_run):
    manifest = check_run_folder(old_run)
    assert sorted(p.name for p in old_run.iterdir()) == [
        "manifest.json", "report.html", "results.duckdb"]
    assert manifest["summary"]["seed"] == 1 and manifest["summary"]["stations"] == ["mir"]
    assert leftovers(old_run) == []
    (old_run / "report.html").write_text("tampered")
    with pytest.raises(StorageError, match="report.html differs"):
        check_run_folder(old_run)


# Each stage: code run in the writing process that kills it (SIGKILL: no cleanup of any kind).
KILL = "os.kill(os.getpid(), signal.SIGKILL)"
STAGES = {
    "store written": ("stationsim.results.run_folder", "write_report", "before"),
    "report written": ("stationsim.results.run_folder", "write_report", "after"),
    "manifest written": ("stationsim.results.run_folder", "write_manifest", "after"),
    "files flushed, before the swap": ("stationsim.results.atomic", "swap_in", "before"),
    "swapped, before the old folder is removed": ("stationsim.results.atomic", "swap_in",
                                                  "after"),
}


@pytest.mark.parametrize("stage", list(STAGES))
def test_kill_at_each_stage_leaves_the_old_or_the_new_run_folder_whole(old_run, stage):
    module, function, when = STAGES[stage]
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        import {module} as target
        from web.synthetic_run import synthetic_tables
        from stationsim.results.run_folder import RunFolderWriter
        original = target.{function}
        def killing(*args, **kwargs):
            if {when!r} == "before":
                {KILL}
            out = original(*args, **kwargs)
            {KILL}
        target.{function} = killing
        with RunFolderWriter({str(old_run)!r}) as writer:
            writer.save_tables(synthetic_tables(seed=2))
    """)
    result = subprocess.run([*PYTHON, script], capture_output=True, text=True, check=False)
    assert result.returncode == -9, result.stderr
    check_run_folder(old_run)  # complete: the files are those its manifest describes
    expected = 2 if stage.startswith("swapped") else 1
    assert seed_of(old_run) == expected
    # the next writer cleans what the killed one left, then writes its own folder
    with RunFolderWriter(old_run) as writer:
        assert leftovers(old_run, held=True) == []
        writer.save_tables(synthetic_tables(seed=3))
    assert seed_of(old_run) == 3 and leftovers(old_run) == []


def test_swap_cut_between_its_two_renames_is_rolled_back_by_the_next_writer(old_run):
    # Without renameat2 the old folder is renamed aside, then the new one in: a kill between
    # the two leaves the old folder aside, and the next writer puts it back before anything.
    script = textwrap.dedent(f"""
        import os, signal, sys
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        from stationsim.results import atomic
        from web.synthetic_run import synthetic_tables
        from stationsim.results.run_folder import RunFolderWriter
        atomic._exchange = lambda a, b: False
        rename = os.rename
        def killing(source, destination):
            rename(source, destination)
            if ".old-" in str(destination):
                {KILL}
        atomic.os.rename = killing
        with RunFolderWriter({str(old_run)!r}) as writer:
            writer.save_tables(synthetic_tables(seed=2))
    """)
    result = subprocess.run([*PYTHON, script], capture_output=True, text=True, check=False)
    assert result.returncode == -9, result.stderr
    assert not old_run.exists()
    with RunFolderWriter(old_run):
        check_run_folder(old_run)
        assert seed_of(old_run) == 1 and leftovers(old_run, held=True) == []


def test_stale_temporaries_are_cleaned(old_run):
    litter = [old_run.parent / f".{old_run.name}.new-999", old_run / ".results.duckdb.77.tmp",
              old_run / ".results.duckdb.77.tmp.wal", old_run / "exports" / ".x.opm.5.tmp",
              old_run / "exports" / ".parquet.new-5" / "runs.parquet"]
    for path in litter:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("left by a killed writer")
    aside = old_run.parent / f".{old_run.name}.old-998"
    shutil.copytree(old_run, aside)
    with RunFolderWriter(old_run) as writer:
        writer.save_tables(synthetic_tables(seed=2))
    assert leftovers(old_run) == [] and not aside.exists()


def test_second_writer_refused(old_run, capsys):
    with RunFolderWriter(old_run):
        with pytest.raises(RunFolderBusy, match=f"pid {os.getpid()}"), RunFolderWriter(old_run):
            pass
        # the command line refuses before simulating anything, with exit code 2
        assert main(["run", "example-small", "--out", str(old_run)]) == 2
        assert main(["export", str(old_run), "--format", "opm"]) == 2
    err = capsys.readouterr().err
    assert err.count("is being written by another stationsim process") == 2
    assert "internal error" not in err
    check_run_folder(old_run)
    assert seed_of(old_run) == 1


def test_concurrent_writers_one_wins_the_other_is_refused(old_run):
    # Two processes write the same folder at once: the first to take the lock writes, the
    # second exits with a clear error; the folder ends complete, with the winner's run.
    script = textwrap.dedent(f"""
        import sys, time
        sys.path.insert(0, {str(Path(__file__).parents[1])!r})
        from web.synthetic_run import synthetic_tables
        from stationsim.cli.output import fail
        from stationsim.errors import RunFolderBusy
        from stationsim.results.run_folder import RunFolderWriter
        seed = int(sys.argv[1])
        try:
            with RunFolderWriter({str(old_run)!r}) as writer:
                time.sleep(1.5)  # the other writer arrives meanwhile
                writer.save_tables(synthetic_tables(seed=seed))
        except RunFolderBusy as exc:
            fail(str(exc))
            sys.exit(2)
    """)
    first = subprocess.Popen([*PYTHON, script, "10"], stderr=subprocess.PIPE, text=True)
    time.sleep(1.0)
    second = subprocess.run([*PYTHON, script, "20"], capture_output=True, text=True,
                            check=False)
    first.wait(timeout=120)
    assert first.returncode == 0, first.stderr.read()
    assert second.returncode == 2 and "being written by another" in second.stderr
    check_run_folder(old_run)
    assert seed_of(old_run) == 10 and leftovers(old_run) == []


def test_folder_holding_other_files_is_not_replaced(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(StationsimError, match="not a stationsim run"):
        RunFolderWriter(tmp_path).__enter__()
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_program_name_cannot_place_the_run_folder(tmp_path, monkeypatch, capsys):
    from stationsim.scenario import program_path

    text = program_path("example-small").read_text(encoding="utf-8")
    escaping = tmp_path / "work" / "escape.yaml"
    escaping.parent.mkdir()
    escaping.write_text(text.replace("name: example-small", "name: ../../ESCAPED", 1),
                        encoding="utf-8")
    monkeypatch.chdir(escaping.parent)
    assert main(["run", str(escaping)]) == 2
    assert "Traceback" not in capsys.readouterr().err
    assert not (tmp_path / "ESCAPED").exists() and not (tmp_path.parent / "ESCAPED").exists()


@pytest.fixture
def small_disk(tmp_path):
    """Mount a tmpfs of the size asked for (root only; the test is skipped otherwise)."""
    mounted = []

    def mount(size: str, *options: str) -> Path:
        where = tmp_path / f"disk{len(mounted)}"
        where.mkdir()
        result = subprocess.run(["mount", "-t", "tmpfs", "-o", ",".join([f"size={size}",
                                                                          *options]),
                                 "tmpfs", str(where)], capture_output=True, check=False)
        if result.returncode != 0:
            pytest.skip(f"cannot mount a small file system here: {result.stderr!r}")
        mounted.append(where)
        return where

    yield mount
    for where in mounted:
        subprocess.run(["umount", "-l", str(where)], check=False)


@pytest.mark.parametrize("fills", ["store", "report", "beside the old run"])
def test_full_disk_is_a_user_error_and_keeps_the_previous_run(small_disk, old_run, fills):
    # The synthetic store is ~2 MB and its report ~5 MB (plotly inside): 64 KiB fills while the
    # store is written, 3 MiB while the report is, and the old run plus 512 KiB while the new
    # folder is built beside the old one.
    old_kib = sum(p.stat().st_size for p in old_run.iterdir()) // 1024
    disk = small_disk({"store": "64k", "report": "3m"}.get(fills, f"{old_kib + 512}k"))
    folder = disk / "synthetic"
    if fills == "beside the old run":
        shutil.copytree(old_run, folder)
    with pytest.raises(StorageError, match="No space left on device") as raised:
        with RunFolderWriter(folder) as writer:
            writer.save_tables(synthetic_tables(seed=2))
    assert f"cannot write {folder}" in str(raised.value)
    if fills == "beside the old run":
        check_run_folder(folder)
        assert seed_of(folder) == 1
    else:
        assert not folder.exists()
    assert leftovers(folder) == [] and sorted(p.name for p in disk.iterdir()) == (
        ["synthetic"] if folder.exists() else [])


def test_full_disk_and_read_only_disk_exit_2_from_the_command_line(small_disk, old_run,
                                                                   capsys):
    full, read_only = small_disk("64k"), small_disk("1m", "ro")
    assert main(["export", str(old_run), "--format", "parquet", "--out", str(full)]) == 2
    assert main(["export", str(old_run), "--format", "czml", "--out", str(read_only)]) == 2
    err = capsys.readouterr().err
    assert "No space left on device" in err and "Read-only file system" in err
    assert "internal error" not in err
    assert list(full.iterdir()) == []


def test_permission_denied_is_a_user_error(tmp_path, old_run, capsys):
    if os.geteuid() == 0:
        pytest.skip("root is never denied; the read-only disk test covers the refusal")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    assert main(["export", str(old_run), "--format", "opm", "--out", str(locked / "x")]) == 2
    err = capsys.readouterr().err
    assert "Permission denied" in err and "internal error" not in err


@pytest.mark.parametrize("damage", ["garbage", "truncated", "zeroed pages"])
def test_corrupt_store_is_a_user_error(old_run, damage, capsys):
    store = old_run / "results.duckdb"
    data = store.read_bytes()
    store.write_bytes({"garbage": b"not a database" * 100, "truncated": data[:len(data) // 3],
                       "zeroed pages": data[:12288] + bytes(len(data) - 12288)}[damage])
    assert main(["export", str(old_run), "--format", "oem"]) == 2
    err = capsys.readouterr().err
    assert "results store cannot be read" in err and "internal error" not in err


def test_killed_parquet_export_leaves_the_previous_tables(old_run, tmp_path):
    out = tmp_path / "out"
    assert main(["export", str(old_run), "--format", "parquet", "--out", str(out)]) == 0
    before = {p.name: p.read_bytes() for p in (out / "parquet").iterdir()}
    script = textwrap.dedent(f"""
        import os, signal
        import duckdb
        from stationsim.results.export import export_run
        from stationsim.results.export import parquet
        copies = []
        class Killing:
            def __init__(self, con):
                self.con = con
            def execute(self, sql):
                copies.append(sql)
                if len(copies) == 4:
                    {KILL}
                return self.con.execute(sql)
            def cursor(self):
                return self
            sql = execute
        write = parquet.write_parquet
        parquet.write_parquet = lambda con, out_dir: write(Killing(con), out_dir)
        export_run({str(old_run)!r}, "parquet", out={str(out)!r})
    """)
    result = subprocess.run([*PYTHON, script], capture_output=True, text=True, check=False)
    assert result.returncode == -9, result.stderr
    assert {p.name: p.read_bytes() for p in (out / "parquet").iterdir()} == before
    assert main(["export", str(old_run), "--format", "parquet", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["parquet"]  # the staging folder is gone
