"""Hypothesis strategies over the program format, for the fuzz tests and bench/fuzz_program.py.

Three families, all grown from the bundled ``example-small``:

* ``hostile_programs``: a value replaced by a hostile one (huge or non-finite numbers, markup,
  paths, impossible dates, long text, wrong shapes), a key deleted or renamed;
* ``hostile_yaml``: YAML that costs (alias bombs, recursive aliases, deep nesting, long numbers),
  tags, several documents, odd keys and bytes, spliced into the text;
* ``plausible_programs``: numbers and times moved within their schema ranges, so that many
  still validate: what validates must then run (the bench runs them);
* ``mangled_bytes``: the file as editors and downloads damage it: another encoding (UTF-16
  with or without its mark, Latin-1), gzipped, cut short, bytes overwritten or a NUL inserted.

:func:`outcome` loads one and checks the loader's contract: a Program, or a ProgramError whose
every message reads ``file:line:column: field: what``.
"""

from __future__ import annotations

import datetime as dt
import gzip
import io
import re
from typing import Any

from hypothesis import strategies as st
from ruamel.yaml import YAML

from stationsim.errors import ProgramError
from stationsim.scenario import load_bytes, program_path
from stationsim.scenario.checks import MAX_SEED, NAME_PATTERN, space_weather_limits

BASE_TEXT = program_path("example-small").read_text(encoding="utf-8")
LOCATED = re.compile(r"[^\n]+?:\d+:\d+: \S.*: \S.*")
UNFORESEEN = re.compile(r"cannot be read \(\w+: ")


def base_tree() -> dict[str, Any]:
    """example-small as plain values, its times kept as the ISO text the file has."""
    return _iso_times(YAML(typ="safe").load(BASE_TEXT))


def _iso_times(node: Any) -> Any:
    if isinstance(node, dict):
        return {key: _iso_times(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_iso_times(item) for item in node]
    if isinstance(node, dt.datetime):
        return node.strftime("%Y-%m-%dT%H:%M:%SZ")
    return node


def dump(tree: Any) -> bytes:
    stream = io.StringIO()
    YAML(typ="safe").dump(tree, stream)
    return stream.getvalue().encode("utf-8")


def paths(node: Any, prefix: tuple = ()) -> list[tuple]:
    """Every path (keys and indices from the root) in a plain tree."""
    found = [prefix]
    if isinstance(node, dict):
        for key, value in node.items():
            found += paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            found += paths(value, prefix + (index,))
    return found


# --- values -----------------------------------------------------------------------------------
hostile_text = st.one_of(
    st.sampled_from(["[/x]", "[bold]got[/bold]", "[/]", "[red]", "../../../ESCAPED",
                     "/etc/passwd", "C:\\Windows", "CON", "nul", ".", "..", "", " ", "~",
                     "1996-02-30", "2050-01-01T00:00:00Z", "1950-01-01T00:00:00Z",
                     "0000-01-01", "9999-12-31T23:59:60Z", "1995-11-12T25:61:00Z",
                     "mir-core.", ".aft", "a.b.c", "nan", "inf", "-inf", "1e999",
                     "\u202eevil", "é" * 50, "\t", "x" * 5000]),
    st.text(max_size=40),
)
hostile_numbers = st.one_of(
    st.sampled_from([2**63, 2**63 - 1, -(2**63), 2**64, 10**30, -1, 0, -0.0, 1e308, -1e308,
                     5e-324, float("nan"), float("inf"), float("-inf"), 1e9, 36_000.0, 1e-9]),
    st.integers(-(10**20), 10**20),
    st.floats(allow_nan=True, allow_infinity=True),
)
hostile_values = st.recursive(
    st.one_of(st.none(), st.booleans(), hostile_numbers, hostile_text),
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=5,
)


@st.composite
def hostile_programs(draw) -> bytes:
    """example-small with one value replaced by a hostile one, or a key deleted or renamed."""
    tree = base_tree()
    path = draw(st.sampled_from([path for path in paths(tree) if path]))
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    action = draw(st.sampled_from(["replace", "replace", "replace", "delete", "rename"]))
    if action == "replace":
        parent[path[-1]] = draw(hostile_values)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[draw(hostile_text)] = parent.pop(path[-1])
    return dump(tree)


# --- YAML that costs -----------------------------------------------------------------------------
@st.composite
def _alias_bomb(draw) -> str:
    width, depth = draw(st.integers(2, 12)), draw(st.integers(2, 10))
    lines = [f"x-l0: &l0 [{', '.join(['lol'] * width)}]"]
    for level in range(1, depth):
        lines.append(f"x-l{level}: &l{level} [{', '.join([f'*l{level - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


@st.composite
def _nesting(draw) -> str:
    depth = draw(st.integers(1, 5000))
    flow = draw(st.booleans())
    if flow:
        return "x-deep: " + "[" * depth + "]" * depth + "\n"
    depth = min(depth, 200)
    return "x-deep:\n" + "".join("  " * (level + 1) + "- \n" for level in range(depth))


yaml_snippets = st.one_of(
    _alias_bomb(),
    _nesting(),
    st.sampled_from([
        "x-loop: &loop {again: *loop}\n",
        "x-loop: &loop [*loop]\n",
        "x-merge: &m {a: 1}\nx-other: {<<: *m, <<: *m}\n",
        "x-merge: {<<: [1, 2]}\n",
        "x-undefined: *nowhere\n",
        "x-tag: !!python/object/apply:os.system ['echo owned']\n",
        "x-tag: !!python/name:os.system\n",
        "x-tag: !custom {a: 1}\n",
        "x-binary: !!binary aGVsbG8=\n",
        "x-set: !!set {a, b}\n",
        "x-omap: !!omap [{a: 1}, {a: 2}]\n",
        "? [complex, key]\n: value\n",
        "? {a: 1}\n: value\n",
        "---\nname: second\n",
        "...\n",
        "%YAML 1.1\n---\n",
        "x-dup: 1\nx-dup: 2\n",
        "x-anchor: &a 1\nx-anchor2: &a 2\n",
        "x-cr: \"a\\rb\"\n",
        "x-long: " + "9" * 40 + "\n",
        "seed: " + "1" * 33 + "\n",
        "seed: 0x" + "f" * 40 + "\n",
        "x-float: " + "1." + "0" * 40 + "\n",
        "x-timestamp: 2001-12-14t21:59:43.10-05:00\n",
        "\ufeffx-bom: 1\n",
        "x-nul: \"\\0\"\n",
        "x-tab:\t1\n",
    ]),
)


@st.composite
def hostile_yaml(draw) -> bytes:
    """example-small with a costly or odd piece of YAML spliced in at a line boundary."""
    lines = BASE_TEXT.splitlines(keepends=True)
    snippet = draw(yaml_snippets)
    at = draw(st.sampled_from([0, 5, len(lines)]))  # top-level positions: start, after name, end
    return "".join(lines[:at] + [snippet] + lines[at:]).encode("utf-8")


# --- plausible programs -----------------------------------------------------------------------
def _shift(text: str, seconds: float) -> str:
    when = dt.datetime.strptime(text.rstrip("Z")[:19], "%Y-%m-%dT%H:%M:%S")
    return (when + dt.timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


@st.composite
def plausible_programs(draw) -> bytes:
    """example-small with one to three numbers scaled or times shifted, within their types."""
    tree = base_tree()
    numeric = [path for path in paths(tree) if path and _leaf(tree, path) is not None]
    for path in draw(st.lists(st.sampled_from(numeric), min_size=1, max_size=3, unique=True)):
        value = _leaf(tree, path)
        parent = _parent(tree, path)
        if isinstance(value, str):
            parent[path[-1]] = _shift(value, draw(st.floats(-40 * 86400.0, 40 * 86400.0)))
        elif isinstance(value, bool):
            parent[path[-1]] = not value
        elif isinstance(value, int):
            parent[path[-1]] = draw(st.integers(0, max(2 * value, 10)))
        else:
            parent[path[-1]] = draw(st.one_of(st.floats(0.0, 4.0 * value + 1.0),
                                              st.just(0.0), st.just(value * 100.0)))
    return dump(tree)


def _parent(tree: Any, path: tuple) -> Any:
    node = tree
    for step in path[:-1]:
        node = node[step]
    return node


def _leaf(tree: Any, path: tuple) -> Any:
    """The value at ``path`` if it is a number or a UTC time, else None."""
    value = _parent(tree, path)[path[-1]]
    if isinstance(value, bool | int | float):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", value):
        return value
    return None


# --- damaged bytes ----------------------------------------------------------------------------
@st.composite
def mangled_bytes(draw) -> bytes:
    """example-small's bytes re-encoded, compressed, cut or overwritten."""
    text = BASE_TEXT.replace("Thomas Reiter", draw(st.sampled_from(["Thomas Reiter",
                                                                    "Thomas R\u00e9iter"])))
    data = text.encode("utf-8")
    how = draw(st.sampled_from(["utf-16", "utf-16-le", "utf-16-be", "latin-1", "gzip", "cut",
                                "overwrite", "nul"]))
    if how.startswith("utf-16") or how == "latin-1":
        return text.encode(how)
    if how == "gzip":
        return gzip.compress(data, mtime=0)
    at = draw(st.integers(0, len(data) - 1))
    if how == "cut":
        return data[:at]
    if how == "nul":
        return data[:at] + b"\x00" + data[at:]
    junk = draw(st.binary(min_size=1, max_size=8))
    return data[:at] + junk + data[at + len(junk):]


# --- the contract -----------------------------------------------------------------------------
def outcome(data: bytes, source: str) -> str:
    """'loaded' or 'refused: <what>'; AssertionError if the loader breaks its contract."""
    try:
        program = load_bytes(data, source)
    except ProgramError as exc:
        assert exc.errors, "a ProgramError with no message"
        for message in exc.errors:
            assert message.startswith(f"{source}:") and LOCATED.fullmatch(message), message
            assert not UNFORESEEN.search(message), message  # the loader's last-resort catch
        first = exc.errors[0].split(": ", 2)[-1]
        return "refused: " + re.sub(r"\(.*", "", first).strip()
    first, last, _ = space_weather_limits()
    assert NAME_PATTERN.fullmatch(program.name)
    assert program.seed is None or 0 <= program.seed <= MAX_SEED
    assert first.tt_s <= program.span.start.tt_s < program.span.end.tt_s <= last.tt_s
    return "loaded"
