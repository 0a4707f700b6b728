"""The HTML report: its sections, plotly.js once, plot data cut to a screen, the ground track
against the orbit's geometry, whole people aboard.

The run is the synthetic two-day Mir of tests/web (two-body orbits), with warnings and tracking
rows added; the browser checks of shuttle-mir's report are in tests/web/test_report_browser.py.
"""

from __future__ import annotations

import base64
import gzip
import json
import re

import numpy as np
import pytest
from plotly.offline import get_plotlyjs
from web.synthetic_run import START_UTC, STAYS, synthetic_tables

from stationsim.results.report import (
    SCREEN_POINTS,
    _white_template,
    decimate,
    figure_json,
    write_report,
)
from stationsim.results.store import write_store
from stationsim.results.warnings import warning_rows

WARNINGS = [
    "STS-71: launch moved +11 min into the launch window of mir's orbit",
    "Soyuz TM-21: launch moved -1 min into the launch window of mir's orbit",
    "1995-03-15T00:00:00Z: Soyuz TM-21 not moved (port busy)",
]


def _figures(page: str) -> dict[str, list[dict]]:
    """Each section's figures (plotly JSON) by section id."""
    out = {}
    for section_id, body in re.findall(r"<section id='([^']+)'>(.*?)</section>", page, re.S):
        out[section_id] = [json.loads(text.replace("<\\/", "</")) for text in re.findall(
            r"<script type='application/json' class='figure'>(.*?)</script>", body, re.S)]
    return out


def _values(trace: dict, key: str) -> np.ndarray:
    """A trace's array, plain or in plotly's typed-array form ({dtype, bdata})."""
    value = trace[key]
    if isinstance(value, dict):
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
    return np.asarray(value)


@pytest.fixture(scope="module")
def page(tmp_path_factory):
    tables = synthetic_tables()
    tables["warnings"] = warning_rows(WARNINGS)
    tables["tracking"] = {"t_utc": ["1995-03-14T12:00:00", "1995-03-15T12:00:00"],
                          "station": ["mir", "mir"], "d_altitude_km": [0.4, -1.2],
                          "d_raan_deg": [0.01, 0.02], "d_phase_deg": [2.0, -9.0],
                          "d_along_track_km": [236.0, -1062.0]}
    folder = tmp_path_factory.mktemp("report")
    store = write_store(folder / "results.duckdb", tables)
    return write_report(store, folder / "report.html").read_text(encoding="utf-8")


def test_the_sections_come_in_order(page):
    order = re.findall(r"<section id='([^']+)'>", page)
    assert order[:5] == ["summary", "warnings", "ground-track", "tracking", "ports"]
    assert {"altitude", "crew", "mass", "rendezvous"} <= set(order)


def test_the_summary_gives_span_flights_crew_days_and_warnings(page):
    summary = page[page.index("<section id='summary'>"):page.index("<section id='warnings'>")]
    assert "1995-03-14 to 1995-03-16 (2 days)" in summary
    assert "2: 2 landed" in summary and "2 simulated" in summary
    assert "3 of 2 kinds" in summary  # the two launch moves are one kind
    assert "crew-days</dt><dd>5.0: NASA 3.0, RKA 2.0" in summary
    assert "input (from the program file)" in summary and "predicted (computed by the model)" \
        in summary


def test_every_warning_is_listed_under_its_kind(page):
    warnings = page[page.index("<section id='warnings'>"):page.index("<section id='ground")]
    assert "2 × launch moved N min into the launch window of mir&#x27;s orbit" in warnings
    for message in WARNINGS:
        assert message.replace("'", "&#x27;") in warnings


def test_plotly_is_embedded_once_and_nothing_is_fetched(page):
    assert page.count("id='plotly-gz'") == 1 and "<script src" not in page
    packed = re.search(r"id='plotly-gz'>([^<]+)<", page).group(1)
    assert gzip.decompress(base64.b64decode(packed)).decode() == get_plotlyjs()
    assert page.count("Plotly.newPlot") == 1  # the loader draws every figure
    assert "cdn.plot.ly" not in page.replace(get_plotlyjs(), "")


def test_figures_are_the_json_plotly_writes_of_the_same_figure():
    # plotly.py's own figure objects and JSON encoder, on traces of each kind the report uses
    import plotly.graph_objects as go
    import plotly.io as pio

    t = np.array(["1995-06-29T13:00:00", "1995-06-29T13:00:00.5"], dtype="datetime64[us]")
    traces = [{"type": "scatter", "x": t, "y": np.array([1.5, np.nan]), "name": "a",
               "line": {"dash": "dot"}},
              {"type": "scattergeo", "lat": np.array([51.6, -51.6]), "lon": [np.float64(1.0)]},
              {"type": "bar", "x": ["NASA"], "y": [1.25], "base": [t[0].item()]}]
    layout = {"yaxis": {"title": {"text": "km"}}, "template": _white_template()}
    theirs = go.Figure(traces, layout).to_dict()
    assert json.loads(figure_json({"data": traces, "layout": layout})) == json.loads(
        pio.to_json(theirs, validate=False))


def test_the_white_template_is_the_one_plotly_figures_carry():
    import plotly.graph_objects as go

    figure = go.Figure(layout={"template": "plotly_white"}).to_dict()
    assert _white_template() == figure["layout"]["template"]


def test_the_ground_track_reaches_the_orbits_inclination_in_geodetic_latitude(page):
    # A circular orbit of 51.6 deg reaches geocentric latitude 51.6 deg; on WGS-84 that is
    # geodetic atan(tan(51.6 deg) / (1 - e^2)) = 51.79 deg (e^2 = 0.00669438, NIMA TR8350.2).
    # Sampled every minute, the track passes within 0.01 deg of its peak.
    (figure,) = _figures(page)["ground-track"]
    station = next(t for t in figure["data"] if t["name"].startswith("mir, first day"))
    latitude = _values(station, "lat")
    expected = np.degrees(np.arctan(np.tan(np.radians(51.6)) / (1 - 0.00669438)))
    assert latitude.max() == pytest.approx(expected, abs=0.02)
    assert -latitude.min() == pytest.approx(expected, abs=0.02)
    assert latitude.size == 24 * 60 + 1  # the first day, every minute


def test_crew_aboard_is_whole_people_matching_the_stays(page):
    (figure,) = _figures(page)["crew"]
    (trace,) = figure["data"]
    counts = _values(trace, "y")
    assert counts.dtype.kind in "iu" or np.all(counts == np.round(counts))
    times = [t.replace(" ", "T")[:19] for t in trace["x"]]
    for when, count in zip(times, counts, strict=True):
        aboard = sum(1 for s in STAYS if s[2] <= when and (s[3] is None or s[3] > when))
        assert count == aboard, when
    assert times[0] == START_UTC and figure["layout"]["yaxis"]["dtick"] == 1


def test_ports_are_grouped_by_module(page):
    (figure,) = _figures(page)["ports"]
    rows = {(module, port) for trace in figure["data"]
            for module, port in zip(*trace["y"], strict=True)}
    assert ("mir: kvant-1", "aft") in rows and ("mir: kristall", "axial") in rows
    assert ("mir: mir-core", "minus-z") in rows
    assert figure["layout"]["xaxis"]["rangeslider"]["visible"]


def test_decimate_keeps_every_extreme_in_time_order():
    rng = np.random.default_rng(7)
    t = np.arange(200_000)
    y = rng.normal(size=t.size)
    y[[17, 123_456]] = [40.0, -35.0]
    t2, y2 = decimate(t, y)
    assert len(t2) <= 2 * SCREEN_POINTS and np.all(np.diff(t2) > 0)
    assert y2.max() == 40.0 and y2.min() == -35.0
    np.testing.assert_array_equal(y2, y[t2])
    short = np.arange(10.0)
    assert decimate(short, short)[1] is not None and len(decimate(short, short)[1]) == 10


def test_a_long_run_of_a_big_station_stays_small(tmp_path):
    # Twelve years hourly (105,000 samples, like the ISS assembly) and 3,000 tracking updates:
    # the page stays near the 2 MB of plotly.js and the map.
    hours = np.datetime64("1998-11-20T00:00") + np.arange(105_000) * np.timedelta64(1, "h")
    text = [str(h) for h in hours]
    n = hours.size
    wave = 380.0 + 20.0 * np.sin(np.arange(n) / 500.0)
    tables = {"station_states": {
        "t_utc": text, "station": ["iss"] * n, "perigee_km": list(wave - 5),
        "apogee_km": list(wave + 5), "mean_altitude_km": list(wave),
        "inclination_deg": [51.6] * n, "raan_deg": [0.0] * n, "mass_kg": [4e5] * n,
        "pressurized_volume_m3": [900.0] * n, "crew_count": [6] * n},
        "tracking": {"t_utc": text[::35][:3000], "station": ["iss"] * 3000,
                     "d_altitude_km": [0.1] * 3000, "d_raan_deg": [0.0] * 3000,
                     "d_phase_deg": [0.5] * 3000, "d_along_track_km": [50.0] * 3000}}
    store = write_store(tmp_path / "results.duckdb", tables)
    size_mb = write_report(store, tmp_path / "report.html").stat().st_size / 1e6
    assert size_mb < 3.0, size_mb


def test_the_ground_track_starts_below_the_ascending_node(page):
    # The synthetic station starts at its ascending node, right ascension 20 deg on the GCRF
    # equator. Its longitude is that minus Greenwich mean sidereal time (IAU 1982, Vallado 4th
    # ed. eq. 3-47, UT1 = UTC) and its latitude 0, each within 0.05 deg: precession from
    # J2000 to 1995 moves the node by about 0.07 deg in right ascension and 0.03 deg in
    # declination (50 and 20 arcsec a year), which this mean-sidereal check leaves out.
    jd = 2449790.5  # 1995-03-14T00:00 UTC
    t = (jd - 2451545.0) / 36525.0
    gmst_deg = (280.46061837 + 360.98564736629 * (jd - 2451545.0) + 0.000387933 * t**2
                - t**3 / 38710000.0) % 360.0
    expected_lon = (20.0 - 0.07 - gmst_deg + 180.0) % 360.0 - 180.0
    (figure,) = _figures(page)["ground-track"]
    station = next(t for t in figure["data"] if t["name"].startswith("mir, first day"))
    assert _values(station, "lat")[0] == pytest.approx(0.0, abs=0.05)
    assert _values(station, "lon")[0] == pytest.approx(expected_lon, abs=0.05)


def test_values_at_events_are_those_an_asof_join_pairs(tmp_path):
    # the altitude plot's markers: each event's station altitude at or before it, as DuckDB's
    # ASOF JOIN gives them (the independent reference), including events before any state, on
    # another station or on none, which the join leaves out
    import duckdb

    from stationsim.results.report import _last_at

    rng = np.random.default_rng(19)
    start = np.datetime64("1995-03-14T00:00:00", "us")
    states = {"t_utc": [], "station": [], "mean_altitude_km": []}
    for station in ("iss", "mir"):
        t = start + np.cumsum(rng.integers(60, 7200, 300)).astype("timedelta64[s]")
        states["t_utc"].append(t.astype("datetime64[us]"))
        states["station"].append(np.full(t.size, station, dtype=object))
        states["mean_altitude_km"].append(rng.uniform(300.0, 420.0, t.size))
    states = {key: np.concatenate(parts) for key, parts in states.items()}
    n = 200
    events = {"t_utc": start + rng.integers(-3600, 300 * 7200, n).astype("timedelta64[s]"),
              "station": rng.choice(np.array(["mir", "iss", "salyut-7", None], dtype=object), n)}
    events["t_utc"] = events["t_utc"].astype("datetime64[us]")
    events["t_utc"][:40] = rng.choice(states["t_utc"], 40)  # some at a state's very time
    con = duckdb.connect()
    con.register("s", states)
    con.register("e", {**events, "k": np.arange(n)})
    joined = dict(con.execute("SELECT e.k, s.mean_altitude_km FROM e ASOF JOIN s ON "
                              "e.station = s.station AND e.t_utc >= s.t_utc").fetchall())
    found, altitude_km = _last_at(states, "mean_altitude_km", events["t_utc"], events["station"])
    assert 0 < len(joined) < n and set(np.flatnonzero(found)) == set(joined)
    assert all(altitude_km[k] == joined[k] for k in joined)  # the same row's value, exactly


def test_a_report_through_the_stores_connection_is_the_report_of_its_file(tmp_path):
    from stationsim.results.store import written_store

    tables = synthetic_tables()
    with written_store(tmp_path / "results.duckdb", tables) as con:
        through = write_report(con, tmp_path / "through.html").read_text(encoding="utf-8")
    of_file = write_report(tmp_path / "results.duckdb", tmp_path / "file.html").read_text(
        encoding="utf-8")
    assert through == of_file and "<section id='altitude'>" in through
