"""The disk cache of parsed YAML: a second read costs no parse and changes nothing, a problem is
still placed at its line, and a damaged or foreign entry is never believed."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationsim import disk_cache
from stationsim.errors import ProgramError
from stationsim.scenario import bundled_names, load_bytes, load_program
from stationsim.scenario import loader as loader_module

BROKEN = Path(__file__).parent / "scenario" / "broken"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "stationsim"


def _entries(cache: Path) -> list[Path]:
    return sorted(cache.rglob("*.marshal"))


def test_value_made_once_then_read(cache):
    calls = []

    def make():
        calls.append(1)
        return {"a": [1, 2.5, True, None, "x"]}

    first = disk_cache.cached("test", "r1", b"data", make)
    second = disk_cache.cached("test", "r1", b"data", make)
    assert first == second == {"a": [1, 2.5, True, None, "x"]}
    assert type(second["a"][2]) is bool and len(calls) == 1
    disk_cache.cached("test", "r2", b"data", make)  # another recipe: another entry
    disk_cache.cached("test", "r1", b"datb", make)  # other bytes: another entry
    assert len(calls) == 3 and len(_entries(cache)) == 3


def test_damaged_entry_is_made_again(cache):
    disk_cache.cached("test", "r", b"data", lambda: [1, 2, 3])
    (entry,) = _entries(cache)
    blob = bytearray(entry.read_bytes())
    blob[-1] ^= 0xFF  # one flipped bit in the payload: its digest no longer matches
    entry.write_bytes(bytes(blob))
    assert disk_cache.cached("test", "r", b"data", lambda: [4]) == [4]
    entry.write_bytes(b"short")
    assert disk_cache.cached("test", "r", b"data", lambda: [5]) == [5]


def test_unmarshallable_value_returned_not_kept(cache):
    value = disk_cache.cached("test", "r", b"data", lambda: {"when": object})
    assert value == {"when": object} and _entries(cache) == []


def test_unwritable_cache_costs_nothing_but_time(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert disk_cache.cached("test", "r", b"data", lambda: 7) == 7


def test_only_the_newest_entries_are_kept(cache, monkeypatch):
    monkeypatch.setattr(disk_cache, "KEEP", 3)
    for n in range(5):
        disk_cache.cached("test", "r", bytes([n]), lambda n=n: n)
    assert len(_entries(cache)) == 3


def test_bundled_programs_load_the_same_from_the_cache(cache):
    # every bundled program: the first load parses and fills the cache, the second reads it
    for name in bundled_names():
        fresh = load_program(name)
        assert load_program(name) == fresh, name
    assert _entries(cache)


def test_second_load_parses_no_yaml(cache, monkeypatch):
    load_program("example-small")

    def no_parse(*_):
        raise AssertionError("parsed again")

    monkeypatch.setattr(loader_module, "_parse", no_parse)
    assert load_program("example-small").name == "example-small"


@pytest.mark.parametrize("case", ["unknown-profile", "several-problems", "port-occupied"])
def test_problems_keep_their_lines_when_the_tree_is_cached(cache, case):
    # the plain tree is cached at the first read even though the program is refused; the second
    # read takes it from the cache and parses the text again only to place the problems
    data = (BROKEN / f"{case}.yaml").read_bytes()
    expected = (BROKEN / f"{case}.expected").read_text().splitlines()
    for _ in range(2):
        with pytest.raises(ProgramError) as refused:
            load_bytes(data, f"{case}.yaml")
        assert refused.value.errors == expected
    assert _entries(cache)
