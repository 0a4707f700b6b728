"""The results store: schema, atomic replacement, digests."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap

import duckdb
import pytest

from stationsim.results.store import TABLES, table_digest, write_store

FLIGHT = {
    "flight": ["STS-71"],
    "launch_utc": ["1995-06-27T19:32:19.000Z"],
    "dock_utc": ["1995-06-29T13:00:16.000Z"],
    "port": ["kristall.axial"],
    "rendezvous_dv_mps": [92.5],
}


def test_every_table_is_created_with_its_columns(tmp_path):
    path = write_store(tmp_path / "results.duckdb", {"flights": FLIGHT})
    con = duckdb.connect(str(path), read_only=True)
    for name, columns in TABLES.items():
        described = con.execute(f"DESCRIBE {name}").fetchall()
        assert [row[0] for row in described] == [column for column, _ in columns]
    launch, dock = con.execute("SELECT launch_utc, dock_utc FROM flights").fetchone()
    con.close()
    # 1995-06-27T19:32:19 to 1995-06-29T13:00:16 is 1 d 17 h 27 min 57 s
    assert (dock - launch).total_seconds() == 86400 + 17 * 3600 + 27 * 60 + 57


def test_leap_second_is_stored_just_before_the_next_second(tmp_path):
    path = write_store(
        tmp_path / "r.duckdb", {"events": {"t_utc": ["2016-12-31T23:59:60.000Z"], "kind": ["dock"]}}
    )
    con = duckdb.connect(str(path), read_only=True)
    (when,) = con.execute("SELECT t_utc FROM events").fetchone()
    con.close()
    assert (when.second, when.microsecond) == (59, 999999)


def test_unknown_table_or_column_or_ragged_columns_are_refused(tmp_path):
    with pytest.raises(ValueError, match="unknown results table"):
        write_store(tmp_path / "a.duckdb", {"flight": FLIGHT})
    with pytest.raises(ValueError, match="has no column"):
        write_store(tmp_path / "b.duckdb", {"flights": {"flihgt": ["x"]}})
    with pytest.raises(ValueError, match="differ in length"):
        write_store(tmp_path / "c.duckdb", {"flights": {"flight": ["a", "b"], "port": ["p"]}})
    assert not list(tmp_path.iterdir())  # nothing half-written is left behind


def test_a_failed_write_leaves_the_previous_store_intact(tmp_path):
    path = write_store(tmp_path / "results.duckdb", {"flights": FLIGHT})
    before = table_digest(path)
    with pytest.raises(ValueError):
        write_store(path, {"flights": {"flight": ["a", "b"], "port": ["p"]}})
    assert table_digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["results.duckdb"]


def test_a_killed_writer_leaves_the_previous_store_intact(tmp_path):
    path = write_store(tmp_path / "results.duckdb", {"flights": FLIGHT})
    before = table_digest(path)
    # A second process starts a big write and is killed part-way (SIGKILL: no cleanup runs).
    script = textwrap.dedent(f"""
        import os, signal, threading
        from stationsim.results import store
        original = store._incoming
        def slow(name, columns, data):
            if name == "events":  # the file is open, its first tables declared
                os.kill(os.getpid(), signal.SIGKILL)
            return original(name, columns, data)
        store._incoming = slow
        n = 50000
        store.write_store({str(path)!r}, {{"events": {{"t_utc": ["1995-01-01T00:00:00Z"] * n,
                                                       "kind": ["dock"] * n}}}})
    """)
    result = subprocess.run([sys.executable, "-c", script], check=False)
    assert result.returncode != 0
    assert table_digest(path) == before


def test_digest_ignores_when_and_how_long_but_not_results(tmp_path):
    run = {"program": ["p"], "seed": [1], "wall_s": [1.0], "started_utc": ["2026-01-01T00:00:00Z"]}
    a = write_store(tmp_path / "a.duckdb", {"runs": run, "flights": FLIGHT})
    b = write_store(tmp_path / "b.duckdb", {"runs": {**run, "wall_s": [9.0]}, "flights": FLIGHT})
    c = write_store(
        tmp_path / "c.duckdb", {"runs": run, "flights": {**FLIGHT, "rendezvous_dv_mps": [92.6]}}
    )
    assert table_digest(a) == table_digest(b) != table_digest(c)
    assert os.path.getsize(a) > 0


def test_the_written_store_is_read_back_through_its_connection_and_moved_in_after(tmp_path):
    from stationsim.results.store import written_store

    path = tmp_path / "results.duckdb"
    with written_store(path, {"flights": FLIGHT}) as con:
        assert not path.exists()  # in place only once the block is done
        assert con.execute("SELECT flight, rendezvous_dv_mps FROM flights").fetchall() == [
            ("STS-71", 92.5)]
        assert con.execute("SELECT count(*) FROM information_schema.tables").fetchone()[0] \
            == len(TABLES)  # the tables, and nothing the writing left registered
    assert table_digest(path) == table_digest(write_store(tmp_path / "b.duckdb",
                                                          {"flights": FLIGHT}))
    with pytest.raises(RuntimeError), written_store(path, {"flights": {"flight": ["x"]}}):
        raise RuntimeError("the report failed")
    assert table_digest(path) == table_digest(tmp_path / "b.duckdb")  # the old store, whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.duckdb", "results.duckdb"]
