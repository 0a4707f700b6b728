"""The HTML report of a run: one self-contained file that people can send around.

It reads only the results store, so a report can be made again from any stored run. Each
section is one function of the store (:data:`SECTIONS`, in page order) returning a
:class:`Section` or None when the run has nothing for it; a new section is one more function
in that list.

Size: plotly.js (4.8 MB) is embedded once, gzipped (1.5 MB, unpacked in the browser with the
standard ``DecompressionStream``), with the world map of the ground track; long series are cut
to what a screen shows (:func:`decimate`: the extremes of each of ``SCREEN_POINTS`` buckets,
so no spike is lost). Shuttle-Mir's report is about 2.7 MB, the ISS assembly's 2.9 MB
(``docs/results.md``). Nothing is fetched when the report is opened.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import gzip
import html
import json
import os
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np

from stationsim.astro.frames import gcrf_to_itrf_fast, itrf_to_geodetic
from stationsim.astro.time import Epoch
from stationsim.disk_cache import cached
from stationsim.results.atomic import write_text_atomic
from stationsim.results.export.source import epoch_from_utc, load_trajectories
from stationsim.results.logistics import logistics_tables
from stationsim.results.warnings import group_warnings

SCREEN_POINTS = 1500  # buckets of a long series: about one per pixel of a wide plot
GROUND_TRACK_STEP_S = 60.0
PHASE_ASSUMED = "phase-assumed"  # the engine's event kind: a docking whose phase was assumed
TRACKING_TABLE_ROWS = 100  # more updates than this are plotted, and listed in the store only
PORT_ROW_PX = 22


@dataclass(frozen=True)
class Section:
    """One part of the page: a title, an id for links and tests, and its HTML."""

    id: str
    title: str
    body: str


def write_report(store: str | os.PathLike | duckdb.DuckDBPyConnection,
                 out_path: str | os.PathLike) -> Path:
    """Write the report of the run in ``store`` (the store's path, or a connection to it) to
    ``out_path`` (atomically)."""
    if isinstance(store, duckdb.DuckDBPyConnection):
        return write_text_atomic(out_path, _page(store))
    con = duckdb.connect(str(store), read_only=True)
    try:
        page = _page(con)
    finally:
        con.close()
    return write_text_atomic(out_path, page)


def _page(con: duckdb.DuckDBPyConnection) -> str:
    """The report's HTML, read from the store through ``con``."""
    run = _rows(con, "SELECT * FROM runs")
    sections = [section for make in SECTIONS if (section := make(con)) is not None]
    program = run[0]["program"] if run else ""
    contents = "".join(f"<a href='#{s.id}'>{html.escape(s.title)}</a>" for s in sections)
    body = "\n".join(
        f"<section id='{s.id}'><h2>{html.escape(s.title)}</h2>{s.body}</section>"
        for s in sections)
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'>"
        f"<title>stationsim report: {html.escape(program)}</title><style>{STYLE}</style></head>"
        f"<body>{_header(run)}<nav>{contents}</nav>{body}"
        f"{_plotly_loader() if FIGURE_TAG in body else ''}</body></html>"
    )


STYLE = (
    "body{font-family:sans-serif;margin:2em auto;max-width:1200px;padding:0 1em;color:#222}"
    "nav a{margin-right:1em}section{margin-top:2em}table{border-collapse:collapse}"
    "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}th{background:#eee}"
    "td:first-child,th:first-child{text-align:left}.caption{max-width:60em;color:#444}"
    "dl.summary{display:grid;grid-template-columns:max-content auto;gap:4px 1.5em}"
    "dl.summary dt{font-weight:bold}dl.summary dd{margin:0}details{margin:4px 0}"
    "summary{cursor:pointer}.plot{width:100%}"
)


# --- page furniture -------------------------------------------------------------------------

def _rows(con, sql: str, parameters=()) -> list[dict]:
    cursor = con.execute(sql, parameters)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _columns(con, sql: str) -> dict:
    """Query result as NumPy columns (plotly takes arrays far faster than Python lists)."""
    return con.execute(sql).fetchnumpy()


def _header(run: list[dict]) -> str:
    if not run:
        return "<h1>stationsim report</h1>"
    r = run[0]
    return (
        f"<h1>{html.escape(r['program'])}</h1><p>seed {r['seed']}, stationsim "
        f"{html.escape(r['stationsim_version'])}, run {r['started_utc']:%Y-%m-%d %H:%M} UTC "
        f"in {r['wall_s']:.1f} s.</p>"
    )


MARGIN = {"l": 60, "r": 20, "t": 30, "b": 40}


def _figure(data: list[dict], layout: dict, height: int = 420,
            caption: str | None = None) -> str:
    """A plot's placeholder and its plotly.js data (traces and layout as plain dicts, given
    ``plotly_white``); the loader draws it once plotly.js is unpacked."""
    drawn = {"data": data, "layout": {"template": _white_template(), **layout,
                                      "height": height, "margin": MARGIN}}
    data_json = figure_json(drawn).replace("</", "<\\/")
    text = f"<p class='caption'>{html.escape(caption)}</p>" if caption else ""
    return (f"<div class='plot' style='height:{height}px'></div>"
            f"{FIGURE_TAG}{data_json}</script>{text}")


FIGURE_TAG = "<script type='application/json' class='figure'>"
TYPED_ARRAYS = {"float64": "f8", "float32": "f4", "int32": "i4", "int16": "i2", "int8": "i1",
                "uint32": "u4", "uint16": "u2", "uint8": "u1"}
"""NumPy dtypes plotly.js reads as base64 typed arrays ({dtype, bdata}; plotly.js 2.28+)."""


def figure_json(figure: dict | list) -> str:
    """``figure`` (or its traces or its layout) as strict JSON for plotly.js: numeric arrays
    as typed arrays, datetime64 arrays and datetimes as ISO text, NaN and infinities as null
    (as plotly.py writes them)."""
    text = json.dumps(figure, separators=(",", ":"), default=_json_value)
    if "NaN" in text or "Infinity" in text:  # maybe only inside a string: decoding tells
        text = json.dumps(json.loads(text, parse_constant=lambda _: None),
                          separators=(",", ":"))
    return text


def _json_value(value: object) -> object:
    if isinstance(value, np.ndarray):
        if value.dtype.kind == "M":
            return np.datetime_as_string(value).tolist()
        if str(value.dtype) in TYPED_ARRAYS and value.size:
            packed = {"dtype": TYPED_ARRAYS[str(value.dtype)],
                      "bdata": base64.b64encode(np.ascontiguousarray(value)).decode("ascii")}
            return packed if value.ndim == 1 else {**packed, "shape": str(value.shape)[1:-1]}
        return value.tolist()
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    if isinstance(value, np.generic):
        return value.item()
    raise TypeError(f"cannot write {type(value).__name__} into a figure")


@functools.cache
def _white_template() -> dict:
    """plotly's ``plotly_white`` template as the plain data a figure's JSON carries: the file
    plotly itself reads it from (its ``package_data/templates``; a test checks it against the
    template plotly's figures carry)."""
    return json.loads(plotly_file("templates", "plotly_white.json"))


def plotly_file(*parts: str) -> bytes:
    """A file of plotly's package data (plotly.js, templates), without importing plotly's
    figure machinery."""
    return resources.files("plotly").joinpath("package_data", *parts).read_bytes()


def _gzipped_base64(payload: bytes) -> str:
    """``payload`` gzipped and in base64, kept in the disk cache (compressing plotly.js at
    level 9 takes about half a second)."""
    return cached("report", "gzip 9 base64", payload, lambda: base64.b64encode(
        gzip.compress(payload, compresslevel=9, mtime=0)).decode("ascii"))


def _plotly_loader() -> str:
    """plotly.js and the world map, gzipped, and the script that unpacks them and draws every
    figure (the page's ``data-plots`` turns ``drawn`` when done)."""
    plotly_js = _gzipped_base64(plotly_file("plotly.min.js"))
    world = base64.b64encode(
        resources.files("stationsim.results").joinpath("data/world_110m.json.gz").read_bytes()
    ).decode("ascii")
    return (
        f"<script type='application/octet-stream' id='plotly-gz'>{plotly_js}</script>"
        f"<script type='application/octet-stream' id='world-gz'>{world}</script>"
        "<script>" + LOADER_JS + "</script>"
    )


LOADER_JS = """
(async () => {
  const unpack = async (id) => {
    const bytes = Uint8Array.from(atob(document.getElementById(id).textContent),
                                  (c) => c.charCodeAt(0));
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return await new Response(stream).text();
  };
  const code = document.createElement('script');
  code.textContent = await unpack('plotly-gz');
  document.head.appendChild(code);
  window.PlotlyGeoAssets = {topojson: {world_110m: JSON.parse(await unpack('world-gz'))}};
  for (const holder of document.querySelectorAll('script.figure')) {
    const figure = JSON.parse(holder.textContent);
    await Plotly.newPlot(holder.previousElementSibling, figure.data, figure.layout,
                         {responsive: true, displaylogo: false});
  }
  document.body.dataset.plots = 'drawn';
})();
"""


def _html_table(columns: list[str], rows: list[list]) -> str:
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def decimate(t: np.ndarray, y: np.ndarray, buckets: int = SCREEN_POINTS) -> tuple:
    """(t, y) cut to the minimum and maximum of each of ``buckets`` equal runs of samples, in
    time order: what a screen ``buckets`` pixels wide shows of the series, spikes included.

    >>> t = np.arange(10_000); y = np.zeros(10_000); y[1234] = 5.0
    >>> t2, y2 = decimate(t, y, 100)
    >>> len(t2) <= 200, float(y2.max())
    (True, 5.0)
    """
    y = np.asarray(y, dtype=float)
    if y.size <= 2 * buckets:
        return t, y
    size = -(-y.size // buckets)
    padded = np.concatenate([y, np.full(size * buckets - y.size, np.nan)]).reshape(buckets, size)
    finite = np.isfinite(padded).any(axis=1)
    base = np.arange(buckets)[finite] * size
    picks = np.concatenate([base + np.nanargmin(padded[finite], axis=1),
                            base + np.nanargmax(padded[finite], axis=1)])
    index = np.unique(picks)
    return np.asarray(t)[index], y[index]


def _per_station(rows: dict, series, **where) -> list[dict]:
    """One decimated scatter trace per station and (column, name, trace options) of
    ``series``, from NumPy columns with ``t_utc`` and ``station``; ``where`` names a subplot's
    axes (``xaxis="x2", yaxis="y2"``)."""
    stations = np.asarray(rows["station"], dtype=object)
    traces = []
    for station in dict.fromkeys(stations):
        here = stations == station
        for column, name, options in series:
            t, y = decimate(rows["t_utc"][here], np.asarray(rows[column])[here])
            traces.append({"type": "scatter", "x": t, "y": y, "name": f"{station} {name}",
                           **options, **where})
    return traces


# --- sections, in page order ------------------------------------------------------------------

def summary_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Span, flights, dockings, crew-days, warnings, tracking, and what is predicted or input."""
    span = con.execute("SELECT min(t_utc), max(t_utc) FROM (SELECT t_utc FROM station_states "
                       "UNION ALL SELECT t_utc FROM events)").fetchone()
    flights = _rows(con, "SELECT launch_utc, launch_written_utc, dock_utc, outcome FROM flights")
    if span[0] is None and not flights:
        return None
    outcomes = Counter(f["outcome"] for f in flights)
    docked = [f for f in flights if f["dock_utc"] is not None]
    assumed = con.execute("SELECT count(DISTINCT flight) FROM events WHERE kind = ?",
                          [PHASE_ASSUMED]).fetchone()[0]
    crew = _rows(con, "SELECT agency, sum(days) AS days FROM crew_stays GROUP BY agency "
                      "ORDER BY days DESC")
    stored = _has_table(con, "warnings")
    n_warnings, n_kinds = (con.execute("SELECT count(*), count(DISTINCT kind) FROM warnings")
                           .fetchone() if stored else (0, 0))
    (tracking,) = con.execute("SELECT coalesce(max(tracking_updates), 0) FROM runs").fetchone()
    written = [f for f in flights if f["launch_written_utc"] is not None]
    moved = [f for f in written if f["launch_utc"] != f["launch_written_utc"]]
    chosen = sum(1 for f in flights if f["launch_written_utc"] is None
                 and f["launch_utc"] is not None and span[0] is not None
                 and f["launch_utc"] > span[0])
    facts = []
    if span[0] is not None:
        days = (span[1] - span[0]).total_seconds() / 86400.0
        facts.append(("span", f"{span[0]:%Y-%m-%d} to {span[1]:%Y-%m-%d} "
                          f"({_count(round(days), 'day')})"))
    facts.append(("flights", f"{len(flights)}: " + ", ".join(
        f"{count} {outcome}" for outcome, count in outcomes.most_common())))
    facts.append(("dockings", f"{len(docked)} simulated" + (
        f", {assumed} of them with the station's phase taken from the written launch "
        "(no tracking in the 2 days before)" if assumed else "")))
    if crew:
        total = sum(r["days"] for r in crew)
        facts.append(("crew-days", f"{total:,.1f}: " + ", ".join(
            f"{r['agency'] or 'unknown'} {r['days']:,.1f}" for r in crew)))
    facts.append(("warnings", f"{n_warnings} of {n_kinds} kinds (listed below)" if n_warnings
                  else "none" if stored else "not kept by the stationsim that wrote this store"))
    has_station = con.execute("SELECT count(*) FROM station_states").fetchone()[0] > 0
    facts.append(("tracking", f"{tracking} tracking updates adopted" if tracking else
                  "none: the station's orbit is the model's own prediction throughout"
                  if has_station else "none"))
    facts.append(("input (from the program file)",
                  f"launch times as written ({len(written) - len(moved)} flown as written, "
                  f"{len(moved)} moved into the model's launch window); undocking and landing "
                  "times; ports a flight names; crews; modules, so mass and volume are the "
                  "catalog's sums; tracking sets"))
    facts.append(("predicted (computed by the model)",
                  f"docking times and launch-to-docking durations ({len(docked) - assumed} of "
                  f"{len(docked)}: not those whose station phase came from the written "
                  f"launch); {_count(chosen, 'launch time')} chosen by the engine from an "
                  "earliest launch date; the orbit between tracking updates (decay, "
                  "reboosts); rendezvous delta-v; consumables; re-entries. docs/validation.md "
                  "scores the predictions against the record, leaving out those that depend "
                  "on a flight a model constant was fitted on."))
    items = "".join(f"<dt>{html.escape(k)}</dt><dd>{html.escape(v)}</dd>" for k, v in facts)
    return Section("summary", "Summary", f"<dl class='summary'>{items}</dl>")


def _count(count: int, noun: str) -> str:
    return f"{count:,} {noun}{'' if count == 1 else 's'}"


def _has_table(con, name: str) -> bool:
    """Whether the store has table ``name`` (a store written before it was added has not)."""
    return bool(con.execute("SELECT count(*) FROM information_schema.tables WHERE "
                            "table_name = ?", [name]).fetchone()[0])


def warnings_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Every warning, grouped by kind (the sentence with its numbers as N), counts first."""
    if not _has_table(con, "warnings"):
        return None
    messages = [m for (m,) in con.execute("SELECT message FROM warnings ORDER BY seq").fetchall()]
    if not messages:
        return None
    parts = []
    for group in group_warnings(messages):
        if group.count == 1:
            parts.append(f"<p>{html.escape(group.messages[0])}</p>")
            continue
        items = "".join(f"<li>{html.escape(m)}</li>" for m in group.messages)
        parts.append(f"<details><summary>{group.count} × {html.escape(group.kind)}</summary>"
                     f"<ul>{items}</ul></details>")
    return Section("warnings", f"Warnings ({len(messages)})", "".join(parts))


def ground_track_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Each station's ground track over its first day, and the first docking flight's from
    insertion, two-body every minute from the stored samples."""
    stations = [s for (s,) in con.execute(
        "SELECT DISTINCT station FROM station_states ORDER BY station").fetchall()]
    first = _rows(con, "SELECT f.flight, min(t.t_utc) AS start, f.dock_utc FROM flights f "
                       "JOIN trajectories t ON t.object = f.flight WHERE f.dock_utc IS NOT NULL "
                       "GROUP BY f.flight, f.dock_utc ORDER BY start LIMIT 1")
    objects = stations + [f["flight"] for f in first]
    starts = con.execute("SELECT object, min(t_utc) AS start FROM trajectories WHERE object IN "
                         f"({', '.join('?' for _ in objects)}) GROUP BY object ORDER BY start, "
                         "object", objects).fetchall() if objects else []
    if not starts:
        return None
    traces = []
    for name, start in starts:  # in time order, each read only as far as it is drawn
        flight = next((f for f in first if f["flight"] == name), None)
        trajectory = load_trajectories(con, [name], stop_utc=flight["dock_utc"] if flight
                                       else start + dt.timedelta(days=1))[name]
        start_s = trajectory.t_tt_s[0]
        stop_s = (float(epoch_from_utc(np.datetime64(flight["dock_utc"], "us")).tt_s)
                  if flight else start_s + 86400.0)
        grid = np.arange(start_s, min(stop_s, trajectory.t_tt_s[-1]) + 1.0, GROUND_TRACK_STEP_S)
        if grid.size < 2:
            continue
        r_m, _ = trajectory.states_at(Epoch(grid))
        # the fast Earth rotation (5 cm), well inside the plotted 0.001 deg (110 m)
        lat_rad, lon_rad, _ = itrf_to_geodetic(gcrf_to_itrf_fast(r_m, Epoch(grid)))
        lat, lon = np.degrees(lat_rad), np.degrees(lon_rad)
        label = (f"{name} from insertion to docking" if flight
                 else f"{name}, first day from {Epoch(grid[0]).utc_iso(0)[:16]} UTC")
        traces.append({"type": "scattergeo", "lat": lat.round(3), "lon": lon.round(3),
                       "mode": "lines", "name": label, "line": {"width": 1.5 if flight else 1}})
        traces.append({"type": "scattergeo", "lat": [lat[0]], "lon": [lon[0]],
                       "mode": "markers", "marker": {"size": 7}, "name": f"{name} start",
                       "showlegend": False})
    if not traces:
        return None
    layout = {"geo": {"projection": {"type": "equirectangular"}, "showcountries": True,
                      "showland": True, "landcolor": "#eee", "lataxis": {"showgrid": True},
                      "lonaxis": {"showgrid": True}, "resolution": 110},
              "legend": {"orientation": "h", "y": -0.05}}
    return Section("ground-track", "Ground track", _figure(
        traces, layout, 480, "The sub-satellite point on WGS-84 every minute (two-body between the "
        "stored samples, Earth rotation by IAU 2006/2000A), over the station's first day and "
        "for the first flight that docks, from its insertion to its docking."))


def earth_moon_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Flights that go beyond 100,000 km, and the Moon over their span, in the Moon's orbit
    plane (km; :func:`stationsim.astro.cislunar.earth_moon_plane`)."""
    from stationsim.astro.cislunar import earth_moon_plane

    far = [row[0] for row in con.execute(
        "SELECT object FROM trajectories GROUP BY object HAVING "
        "max(x_m * x_m + y_m * y_m + z_m * z_m) > 1e16 ORDER BY min(t_utc)").fetchall()]
    if not far:
        return None
    traces = []
    reference = None
    for name in far:
        track = con.execute("SELECT t_utc, x_m, y_m, z_m FROM trajectories WHERE object = ? "
                            "ORDER BY t_utc", [name]).fetchnumpy()
        stride = max(1, track["t_utc"].size // (2 * SCREEN_POINTS))  # a path: every k-th
        epochs = epoch_from_utc(np.asarray(track["t_utc"], dtype="datetime64[us]")[::stride])
        reference = epochs[0] if reference is None else reference
        xy_km, moon_km = earth_moon_plane(epochs, np.column_stack(
            [track["x_m"], track["y_m"], track["z_m"]])[::stride], reference)
        traces.append({"type": "scatter", "x": xy_km[:, 0], "y": xy_km[:, 1], "mode": "lines",
                       "name": str(name)})
        traces.append({"type": "scatter", "x": moon_km[:, 0], "y": moon_km[:, 1],
                       "mode": "lines", "showlegend": False,
                       "line": {"dash": "dot", "color": "gray"}, "name": "Moon"})
    traces.append({"type": "scatter", "x": [0.0], "y": [0.0], "mode": "markers",
                   "name": "Earth", "marker": {"size": 10, "color": "royalblue"}})
    layout = {"xaxis": {"title": {"text": "km, toward the Moon at the first sample (Moon: "
                                          "dotted)"}},
              "yaxis": {"title": {"text": "km"}, "scaleanchor": "x", "scaleratio": 1}}
    return Section("earth-moon", "Between the Earth and the Moon", _figure(traces, layout, 520))


def tracking_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Model minus tracking at each update, along track and in altitude, over time."""
    rows = _columns(con, "SELECT t_utc, station, d_along_track_km, d_altitude_km, d_phase_deg "
                         "FROM tracking ORDER BY station, t_utc")
    if not len(rows["t_utc"]):
        return None
    # two rows sharing the time axis, 0.06 of the height apart
    layout = {"xaxis": {"anchor": "y", "domain": [0.0, 1.0], "matches": "x2",
                        "showticklabels": False},
              "xaxis2": {"anchor": "y2", "domain": [0.0, 1.0]}}
    traces = []
    for (column, label), x, y, domain in (
            (("d_along_track_km", "along track (km)"), "x", "y", [0.53, 1.0]),
            (("d_altitude_km", "altitude (km)"), "x2", "y2", [0.0, 0.47])):
        traces += _per_station(rows, [(column, label, {"mode": "markers", "marker": {"size": 5}})],
                               xaxis=x, yaxis=y)
        layout[y.replace("y", "yaxis")] = {"anchor": x, "domain": domain,
                                           "title": {"text": label}, "zeroline": True,
                                           "zerolinecolor": "#888"}
    return Section("tracking", "Model minus tracking",
                   _figure(traces, layout, 520, TRACKING_CAPTION) + _tracking_table(con))


TRACKING_CAPTION = (
    "Each point is the model's station minus the tracked one at a tracking update, just "
    "before the update is adopted: how far the drag, reboost and gravity models carried the "
    "orbit since the previous update (or the start). Along track, positive means the model's "
    "station is ahead of the real one; an along-track error grows with the square of the time "
    "since the last update (a small error in the decay rate accumulates as phase), so after "
    "months without tracking it can reach a large part of the orbit (40,000 km is the whole "
    "of it): a sign of a long gap, not of a broken model. Altitude is the mean altitude's "
    "error, which grows only linearly. The model restarts from the tracked orbit at every "
    "point.")


def _tracking_table(con) -> str:
    rows = _rows(con, "SELECT *, date_diff('second', lag(t_utc) OVER (PARTITION BY station "
                      "ORDER BY t_utc), t_utc) / 86400.0 AS gap_days FROM tracking ORDER BY t_utc")
    if len(rows) > TRACKING_TABLE_ROWS:
        return (f"<p>{len(rows)} tracking updates: every one is plotted above and listed in the "
                "store's <code>tracking</code> table.</p>")
    return _html_table(
        ["time (UTC)", "station", "days since the previous update", "along track (km)",
         "along-track phase (deg)", "altitude (km)", "RAAN (deg)"],
        [[r["t_utc"], r["station"], r["gap_days"], r["d_along_track_km"], r["d_phase_deg"],
          r["d_altitude_km"], r["d_raan_deg"]] for r in rows])


def ports_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Who held each port when (modules and vehicles), one row per port grouped by module,
    one colour per kind of vehicle; drag to zoom in time, double-click to zoom out."""
    bars = _port_holdings(con)
    if not bars:
        return None
    vehicles = dict(con.execute("SELECT flight, vehicle FROM flights").fetchall())
    ports = sorted({port for _, port, _, _ in bars})
    by_kind: dict[str, list] = defaultdict(list)
    for occupant, port, since, until in bars:
        by_kind[_vehicle_kind(vehicles.get(occupant))].append((occupant, port, since, until))
    traces = [{
        "type": "bar",
        "y": [[_module_of(p) for _, p, _, _ in held], [_port_of(p) for _, p, _, _ in held]],
        "x": [max((until - since).total_seconds(), 3600.0) * 1000.0
              for *_, since, until in held],
        "base": [since for *_, since, _ in held], "orientation": "h", "name": kind,
        "text": [occupant for occupant, *_ in held], "textposition": "inside",
        "insidetextanchor": "middle",
        "customdata": [[f"{since:%Y-%m-%d %H:%M}", f"{until:%Y-%m-%d %H:%M}"]
                       for *_, since, until in held],
        "hovertemplate": "%{text}<br>%{y}<br>%{customdata[0]} to %{customdata[1]}"
                         "<extra></extra>"} for kind, held in sorted(by_kind.items())]
    layout = {"barmode": "overlay",
              "xaxis": {"type": "date", "rangeslider": {"visible": True, "thickness": 0.06}},
              "yaxis": {"autorange": "reversed"},
              "legend": {"orientation": "h", "y": 1.02, "yanchor": "bottom"}}
    height = max(300, PORT_ROW_PX * len(ports) + 160)
    return Section("ports", "Port occupancy", _figure(
        traces, layout, height, "One row per docking port, grouped by the module it is on; one bar "
        "per module or vehicle while it held the port. Drag across the plot or the strip "
        "below it to zoom in time; double-click to zoom out."))


def _module_of(port: str) -> str:
    station, _, where = port.partition(":")
    return f"{station}: {where.partition('.')[0]}"


def _port_of(port: str) -> str:
    return port.partition(":")[2].partition(".")[2] or port


def _vehicle_kind(vehicle: str | None) -> str:
    """The family of a catalog vehicle id ("soyuz-tm" -> "soyuz"), "module" for a module."""
    if vehicle is None:
        return "module"
    return vehicle.split("-")[0]


def _port_holdings(con) -> list[tuple[str, str, dt.datetime, dt.datetime]]:
    """(occupant, station:port, since, until) from the dock, undock, relocate and module_attach
    events; who still holds a port at the end holds it to the last sample."""
    events = _rows(
        con,
        "SELECT t_utc, kind, flight, station, port, detail FROM events WHERE kind IN "
        "('dock', 'undock', 'relocate', 'module_attach') ORDER BY t_utc",
    )
    end = con.execute("SELECT max(t_utc) FROM station_states").fetchone()[0]
    if not events or end is None:
        return []
    holding: dict[str, tuple[str, dt.datetime]] = {}  # occupant -> (station:port, since)
    bars: list[tuple[str, str, dt.datetime, dt.datetime]] = []

    def release(occupant, when):
        if occupant in holding:
            port, since = holding.pop(occupant)
            bars.append((occupant, port, since, when))

    # A module flying itself docks as a module: its flight's dock event is the same arrival.
    modules_arriving = {
        (e["flight"], e["t_utc"], e["port"]) for e in events if e["kind"] == "module_attach"
    }
    for event in events:
        where = f"{event['station']}:{event['port']}"
        arrival = (event["flight"], event["t_utc"], event["port"])
        if event["kind"] == "dock" and arrival in modules_arriving:
            continue
        if event["kind"] == "dock" and event["port"]:
            holding[event["flight"]] = (where, event["t_utc"])
        elif event["kind"] == "module_attach" and event["port"]:
            holding[event["detail"]] = (where, event["t_utc"])
        elif event["kind"] == "relocate":
            occupant = event["detail"].split(" from ")[0]
            release(occupant, event["t_utc"])
            holding[occupant] = (where, event["t_utc"])
        elif event["kind"] == "undock":
            release(event["flight"], event["t_utc"])
    for occupant in list(holding):
        release(occupant, end)
    return bars


def altitude_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Mean altitude and the perigee-apogee band of each station, reboosts and dockings."""
    states = _columns(
        con,
        "SELECT t_utc, station, perigee_km, apogee_km, mean_altitude_km FROM station_states "
        "ORDER BY station, t_utc",
    )
    if not len(states["t_utc"]):
        return None
    traces = _per_station(states, [
        (column, column.removesuffix("_km"), {"mode": "lines", **line})
        for column, line in (("mean_altitude_km", {}), ("perigee_km", {"line": {"dash": "dot"}}),
                             ("apogee_km", {"line": {"dash": "dot"}}))])
    for kind, symbol in (("reboost", "triangle-up"), ("dock", "circle")):
        events = con.execute("SELECT t_utc, flight, station FROM events WHERE kind = ? "
                             "ORDER BY t_utc", [kind]).fetchnumpy()
        found, altitude_km = _last_at(states, "mean_altitude_km", events["t_utc"],
                                      events["station"])
        if found.any():
            traces.append({
                "type": "scatter", "x": events["t_utc"][found].astype(object).tolist(),
                "y": altitude_km[found].tolist(), "mode": "markers",
                "marker": {"symbol": symbol, "size": 8}, "name": kind,
                "text": np.asarray(events["flight"], dtype=object)[found].tolist()})
    return Section("altitude", "Altitude, reboosts and dockings", _figure(
        traces, {"yaxis": {"title": {"text": "altitude (km)"}}},
        caption="Mean altitude and the band from perigee to apogee over each "
        "revolution (semi-major axis and |r| minus the equatorial radius)."))


def _last_at(states: dict, column: str, t_utc: np.ndarray,
             station: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each (time, station), whether its station has a row of ``states`` (NumPy columns
    ordered by station and time) at or before that time, and ``column`` of the last such row:
    what SQL's ``ASOF JOIN ... ON station AND t_utc >=`` pairs, without a join in the store."""
    found = np.zeros(len(t_utc), dtype=bool)
    values = np.full(len(t_utc), np.nan)
    stations = np.asarray(states["station"], dtype=object)
    station = np.asarray(station, dtype=object)
    for name in dict.fromkeys(stations):
        here, asked = stations == name, station == name
        index = np.searchsorted(states["t_utc"][here], t_utc[asked], side="right") - 1
        found[asked] = index >= 0
        values[asked] = np.asarray(states[column])[here][np.maximum(index, 0)]
    return found, values


def crew_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """People aboard each station over time, a whole number, with their names on hover."""
    stays = _rows(con, "SELECT person, station, arrived_utc, departed_utc FROM crew_stays")
    if not stays:
        return None
    traces = []
    for station in sorted({s["station"] for s in stays}):
        changes: dict = defaultdict(lambda: ([], []))
        for stay in (s for s in stays if s["station"] == station):
            changes[stay["arrived_utc"]][0].append(stay["person"])
            if stay["departed_utc"] is not None:
                changes[stay["departed_utc"]][1].append(stay["person"])
        aboard: set[str] = set()
        times, counts, names = [], [], []
        for when in sorted(changes):
            arrived, departed = changes[when]
            aboard = (aboard | set(arrived)) - set(departed)
            times.append(when)
            counts.append(len(aboard))
            names.append(", ".join(sorted(aboard)) or "nobody")
        traces.append({
            "type": "scatter", "x": times, "y": counts, "mode": "lines", "line": {"shape": "hv"},
            "name": station, "text": names,
            "hovertemplate": "%{x}: %{y:d} aboard<br>%{text}<extra>" + station + "</extra>"})
    layout = {"yaxis": {"title": {"text": "people aboard"}, "tickformat": "d", "dtick": 1,
                        "rangemode": "tozero"}}
    return Section("crew", "Crew aboard", _figure(traces, layout))


def mass_volume_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Each station's mass (modules and docked vehicles) and pressurized volume."""
    rows = _columns(con, "SELECT t_utc, station, mass_kg / 1000 AS mass_t, "
                         "pressurized_volume_m3 FROM station_states ORDER BY station, t_utc")
    if not len(rows["t_utc"]):
        return None
    traces = _per_station(rows, [
        ("mass_t", "mass (t)", {"mode": "lines", "line": {"shape": "hv"}}),
        ("pressurized_volume_m3", "pressurized volume (m³)",
         {"mode": "lines", "line": {"shape": "hv", "dash": "dot"}, "yaxis": "y2"})])
    layout = {"yaxis": {"title": {"text": "mass (t)"}},
              "yaxis2": {"title": {"text": "volume (m³)"}, "overlaying": "y", "side": "right"}}
    return Section("mass", "Mass and pressurized volume", _figure(traces, layout))


def crew_days_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    rows = _rows(
        con, "SELECT agency, sum(days) AS days FROM crew_stays GROUP BY agency ORDER BY agency"
    )
    if not rows:
        return None
    bars = {"type": "bar", "x": [r["agency"] for r in rows], "y": [r["days"] for r in rows]}
    return Section("crew-days", "Crew-days by agency", _figure(
        [bars], {"yaxis": {"title": {"text": "crew-days"}}}, 360))


def consumables_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    rows = _columns(con, "SELECT t_utc, station, resource, stock_kg FROM consumables "
                         "ORDER BY station, resource, t_utc")
    if not len(rows["t_utc"]):
        return None
    traces = []
    keys = np.char.add(np.asarray(rows["station"], dtype=str),
                       np.char.add(" ", np.asarray(rows["resource"], dtype=str)))
    for key in dict.fromkeys(keys):
        here = keys == key
        t, y = decimate(rows["t_utc"][here], rows["stock_kg"][here])
        traces.append({"type": "scatter", "x": t, "y": y, "name": str(key), "mode": "lines"})
    return Section("consumables", "Consumables", _figure(
        traces, {"yaxis": {"title": {"text": "stock (kg)"}}}))


def rendezvous_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    rows = _rows(
        con,
        "SELECT flight, vehicle, profile, launch_utc, coalesce(launch_written_utc, launch_utc) "
        "AS written_utc, dock_utc, port, rendezvous_dv_mps, outcome FROM flights "
        "ORDER BY launch_utc",
    )
    if not rows:
        return None
    table = []
    for r in rows:
        duration_h = (  # from the launch as written: the real one
            (r["dock_utc"] - r["written_utc"]).total_seconds() / 3600.0
            if r["dock_utc"] and r["written_utc"] else None
        )
        table.append([r["flight"], r["vehicle"], r["profile"], r["written_utc"], r["launch_utc"],
                      r["dock_utc"], duration_h, r["port"], r["rendezvous_dv_mps"], r["outcome"]])
    return Section("rendezvous", "Rendezvous", _html_table(
        ["flight", "vehicle", "profile", "written launch (UTC)", "flown launch (UTC)",
         "docking (UTC)", "written launch to docking (h)", "port", "delta-v (m/s)", "outcome"],
        table))


def trajectory_events_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """The flown events of the trajectory flights, with their places (program/mission.py)."""
    rows = _rows(con, "SELECT t_utc, flight, kind, lat_deg, lon_deg, detail FROM events WHERE "
                 "kind IN ('insertion', 'burn', 'entry', 'parachute', 'land') AND lat_deg IS "
                 "NOT NULL ORDER BY t_utc")
    if not rows:
        return None
    return Section("trajectories", "Trajectories: insertion, burns, entry and landing",
                   _html_table(
                       ["time (UTC)", "flight", "event", "latitude (deg)", "longitude (deg)",
                        "detail"],
                       [[r["t_utc"], r["flight"], r["kind"], r["lat_deg"], r["lon_deg"],
                         r["detail"]] for r in rows]))


def stations_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    rows = _rows(
        con,
        "SELECT station, max(mass_kg) AS mass_kg, max(pressurized_volume_m3) AS volume_m3, "
        "max(crew_count) AS crew FROM station_states GROUP BY station ORDER BY station",
    )
    if not rows:
        return None
    return Section("stations", "Stations as simulated (maximum over the run)", _html_table(
        ["station", "mass (kg)", "pressurized volume (m³)", "most crew aboard"],
        [[r["station"], r["mass_kg"], r["volume_m3"], r["crew"]] for r in rows]))


def reentries_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Re-entries with their place where known and how well they are known (event detail)."""
    rows = _rows(con, "SELECT t_utc, flight, station, lat_deg, lon_deg, detail FROM events "
                 "WHERE kind = 'reentry' ORDER BY t_utc")
    if not rows:
        return None
    return Section("reentries", "Re-entries", _html_table(
        ["time (UTC)", "object", "latitude (deg)", "longitude (deg)", "how it came down"],
        [[r["t_utc"], r["flight"] or r["station"], r["lat_deg"], r["lon_deg"], r["detail"]]
         for r in rows]))


def logistics_section(con: duckdb.DuckDBPyConnection) -> Section | None:
    """Margins in days of supply, shortages and gaps in presence (:mod:`.logistics`)."""
    body = logistics_tables(con, _titled_table)
    return Section("logistics", "Logistics", body) if body else None


def _titled_table(title: str, columns: list[str], rows: list[list]) -> str:
    return f"<h3>{html.escape(title)}</h3>{_html_table(columns, rows)}" if rows else ""


SECTIONS: list[Callable[[duckdb.DuckDBPyConnection], Section | None]] = [
    summary_section,
    warnings_section,
    ground_track_section,
    earth_moon_section,
    tracking_section,
    ports_section,
    altitude_section,
    crew_section,
    mass_volume_section,
    crew_days_section,
    consumables_section,
    logistics_section,
    rendezvous_section,
    trajectory_events_section,
    stations_section,
    reentries_section,
]
"""The report's sections in page order; each takes the store and returns a Section or None."""
