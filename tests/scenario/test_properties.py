"""Property tests: generated valid programs load; mutated ones fail only with ProgramError."""

from __future__ import annotations

import datetime as dt
import io

from hypothesis import given, settings
from hypothesis import strategies as st
from ruamel.yaml import YAML

from stationsim.errors import ProgramError
from stationsim.scenario import load_bytes, load_text

PORTS = ("kvant-1.aft", "mir-core.forward")

HEADER = """\
name: generated
span: {start_utc: 1996-01-01T00:00:00Z, end_utc: 1997-12-31T00:00:00Z}
stations:
  - id: mir
    orbit: {epoch_utc: 1996-01-01T00:00:00Z, perigee_km: 380, apogee_km: 390,
            inclination_deg: 51.6, raan_deg: 10, arg_perigee_deg: 0, true_anomaly_deg: 0}
    modules:
      root: mir-core
      attach: [{module: kvant-1, at: mir-core.aft, via: forward}]
defaults:
  soyuz-tm: {profile: soyuz-two-day, site: baikonur-site-1}
"""


def _flight_chain(draw_gaps: list[tuple[float, float]], port: str, tag: str) -> list[str]:
    """Flights docked one after another at ``port``: (gap before launch, stay) in days."""
    lines, day = [], 1.0
    for number, (gap_days, stay_days) in enumerate(draw_gaps):
        day += gap_days
        crew = f"[{tag}{number}a, {tag}{number}b]"
        whole = int(day)
        minutes = int((day - whole) * 1440)
        launch = f"{_date(whole)}T{minutes // 60:02d}:{minutes % 60:02d}:00Z"
        lines.append(f"  - {{id: {tag}-{number}, vehicle: soyuz-tm, launch_utc: {launch}, "
                     f"port: {port}, stay_days: {stay_days}, crew_up: {crew}, "
                     f"crew_down: {crew}}}")
        day += stay_days + 1.0 / 1440  # the next one launches after this one has left
    return lines


def _date(day_of_span: int) -> str:
    return (dt.date(1996, 1, 1) + dt.timedelta(days=day_of_span)).isoformat()


# stays longer than the two-day rendezvous (a shorter one undocks before it can dock)
chains = st.lists(st.tuples(st.floats(0.5, 20.0), st.floats(2.5, 60.0)), min_size=0, max_size=4)


def _program_text(first: list[tuple[float, float]], second: list[tuple[float, float]]) -> str:
    flights = _flight_chain(first, PORTS[0], "A") + _flight_chain(second, PORTS[1], "B")
    people = [f"{tag}{n}{seat}" for tag, chain in (("A", first), ("B", second))
              for n in range(len(chain)) for seat in "ab"]
    crew = "".join(f"  - {{name: {name}, agency: RKA, nationality: Russia}}\n"
                   for name in people)
    text = HEADER + "crew:\n" + (crew or "  []\n") + "flights:\n" + (
        "\n".join(flights) + "\n" if flights else "  []\n")
    if not people:
        text = text.replace("crew:\n  []\n", "crew: []\n")
    if not flights:
        text = text.replace("flights:\n  []\n", "flights: []\n")
    return text


# a small valid program (parsing dominates the time, so mutations start from few lines)
BASE_TEXT = _program_text([(1.0, 30.0)], [(2.0, 10.0)])


# ruamel's round-trip parser takes ~50 ms a program here: fewer examples keep the file fast
@settings(max_examples=25)
@given(chains, chains)
def test_generated_valid_programs_load(first, second):
    program = load_text(_program_text(first, second), "generated.yaml")
    assert len(program.flights) == len(first) + len(second)
    for flight in program.flights:
        # float64 TT seconds near 1996 resolve ~2e-8 s; 1 microsecond is ample
        assert abs(flight.undock - flight.launch - flight.stay_days * 86400.0) < 1e-6


def _tree():
    return YAML(typ="safe").load(BASE_TEXT)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, prefix + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, prefix + (index,))


scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


def _dump(tree) -> str:
    stream = io.StringIO()
    YAML(typ="safe").dump(tree, stream)
    return stream.getvalue()


@settings(max_examples=30)
@given(st.data())
def test_mutated_program_fails_only_with_program_error(data):
    tree = _tree()
    paths = [path for path in _paths(tree) if path]
    path = data.draw(st.sampled_from(paths))
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    action = data.draw(st.sampled_from(["replace", "delete", "rename"]))
    if action == "replace":
        parent[path[-1]] = data.draw(values)
    elif action == "delete":
        del parent[path[-1]]
    elif isinstance(parent, dict):
        parent[data.draw(st.text(min_size=1, max_size=12))] = parent.pop(path[-1])
    try:
        load_text(_dump(tree), "mutated.yaml")
    except ProgramError as exc:
        assert exc.errors and all(message.startswith("mutated.yaml:") for message in exc.errors)


@given(st.binary(max_size=300))
def test_arbitrary_bytes_fail_only_with_program_error(data):
    try:
        load_bytes(data, "noise.yaml")
    except ProgramError as exc:
        assert all(message.startswith("noise.yaml:") for message in exc.errors)


@given(st.integers(0, len(BASE_TEXT) - 1), st.text(max_size=5))
def test_garbled_text_fails_only_with_program_error(position, insert):
    try:
        load_text(BASE_TEXT[:position] + insert + BASE_TEXT[position + 1:], "garbled.yaml")
    except ProgramError as exc:
        assert all(message.startswith("garbled.yaml:") for message in exc.errors)
