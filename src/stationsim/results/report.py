"""The HTML report of a run: one self-contained file (plotly embedded, nothing fetched).

It reads only the results store, so a report can be made again from any stored run.
"""

from __future__ import annotations

import datetime as dt
import html
import os
from collections import defaultdict
from pathlib import Path

import duckdb
import numpy as np
import plotly.graph_objects as go

from stationsim.results.atomic import write_text_atomic


def write_report(store_path: str | os.PathLike, out_path: str | os.PathLike) -> Path:
    """Write the report of the run in ``store_path`` to ``out_path`` (atomically)."""
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        run = _rows(con, "SELECT * FROM runs")
        sections = [
            ("Port occupancy", _port_timeline(con)),
            ("Altitude, reboosts and dockings", _altitude(con)),
            ("Model minus tracking", _tracking_drift(con)),
            ("Crew aboard", _crew_aboard(con)),
            ("Mass and pressurized volume", _mass_volume(con)),
            ("Crew-days by agency", _crew_days(con)),
            ("Consumables", _consumables(con)),
            ("Between the Earth and the Moon", _earth_moon(con)),
        ]
        rendezvous = _rendezvous_table(con)
        drift = _tracking_table(con)
        comparison = _comparison_table(con)
        reentries = _reentry_table(con)
        trajectories = _trajectory_table(con)
    finally:
        con.close()
    parts = [_header(run)]
    first = True
    for title, figure in sections:
        if figure is None:
            continue
        figure.update_layout(title=title, height=420, margin={"l": 60, "r": 20, "t": 50, "b": 40})
        parts.append(figure.to_html(full_html=False, include_plotlyjs=first))
        if title in CAPTIONS:
            parts.append(f"<p>{html.escape(CAPTIONS[title])}</p>")
        first = False
    parts += [rendezvous, drift, comparison, reentries, trajectories]
    page = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>stationsim report: {html.escape(run[0]['program'] if run else '')}</title>"
        "<style>body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
        "td,th{border:1px solid #ccc;padding:3px 8px;text-align:right}"
        "th{background:#eee}</style></head><body>" + "\n".join(parts) + "</body></html>"
    )
    return write_text_atomic(out_path, page)


CAPTIONS = {
    "Model minus tracking": (
        "Each point is the model's station minus the tracked one at a tracking update, just "
        "before the update is adopted: how far the drag, reboost and phasing models carried the "
        "orbit from the previous update (along the track, positive ahead, and in mean "
        "altitude); the model restarts from the tracked orbit at every point, so a long gap "
        "between updates shows as a large along-track value, not as a model gone wrong."),
}


def _earth_moon(con) -> go.Figure | None:
    """Flights that go beyond 100,000 km, and the Moon over their span, in the Moon's orbit
    plane (km; :func:`stationsim.astro.cislunar.earth_moon_plane`)."""
    from stationsim.astro.cislunar import earth_moon_plane
    from stationsim.astro.time import Epoch

    far = [row[0] for row in con.execute(
        "SELECT object FROM trajectories GROUP BY object HAVING "
        "max(x_m * x_m + y_m * y_m + z_m * z_m) > 1e16 ORDER BY min(t_utc)").fetchall()]
    if not far:
        return None
    figure = go.Figure()
    reference = None
    for name in far:
        track = con.execute("SELECT t_utc, x_m, y_m, z_m FROM trajectories WHERE object = ? "
                            "ORDER BY t_utc", [name]).fetchnumpy()
        epochs = Epoch.from_utc_iso([f"{t}Z" for t in np.datetime_as_string(
            track["t_utc"].astype("datetime64[us]"), unit="us")])
        reference = epochs[0] if reference is None else reference
        xy_km, moon_km = earth_moon_plane(epochs, np.column_stack(
            [track["x_m"], track["y_m"], track["z_m"]]), reference)
        figure.add_scatter(x=xy_km[:, 0], y=xy_km[:, 1], mode="lines", name=str(name))
        figure.add_scatter(x=moon_km[:, 0], y=moon_km[:, 1], mode="lines", showlegend=False,
                           line={"dash": "dot", "color": "gray"}, name="Moon")
    figure.add_scatter(x=[0.0], y=[0.0], mode="markers", name="Earth",
                       marker={"size": 10, "color": "royalblue"})
    figure.update_xaxes(title_text="km, toward the Moon at the first sample (Moon: dotted)")
    figure.update_yaxes(title_text="km", scaleanchor="x", scaleratio=1)
    return figure


def _rows(con, sql: str) -> list[dict]:
    cursor = con.execute(sql)
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _header(run: list[dict]) -> str:
    if not run:
        return "<h1>stationsim report</h1>"
    r = run[0]
    tracking = (
        f"{r['tracking_updates']} tracking updates adopted"
        if r.get("tracking_updates")
        else "no tracking updates: the station's orbit is the model's own prediction throughout"
    )
    return (
        f"<h1>{html.escape(r['program'])}</h1><p>seed {r['seed']}, stationsim "
        f"{html.escape(r['stationsim_version'])}, run {r['started_utc']} UTC in "
        f"{r['wall_s']:.1f} s; {tracking}.</p>"
    )


def _port_timeline(con) -> go.Figure | None:
    """Who held each port when: modules and vehicles, following dockings and relocations."""
    events = _rows(
        con,
        "SELECT t_utc, kind, flight, station, port, detail FROM events WHERE kind IN "
        "('dock', 'undock', 'relocate', 'module_attach') ORDER BY t_utc",
    )
    end = con.execute("SELECT max(t_utc) FROM station_states").fetchone()[0]
    if not events or end is None:
        return None
    holding: dict[str, tuple[str, object]] = {}  # occupant -> (station:port, since)
    bars: list[tuple[str, str, object, object]] = []

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
    figure = go.Figure()
    for occupant, port, since, until in bars:
        figure.add_trace(
            go.Bar(
                y=[port],
                x=[max((until - since).total_seconds(), 3600.0) * 1000.0],
                base=[since],
                orientation="h",
                name=occupant,
                text=[occupant],
                hovertemplate=f"{occupant}<br>{since} to {until}<extra></extra>",
            )
        )
    figure.update_layout(barmode="overlay", showlegend=False, xaxis={"type": "date"})
    return figure


def _columns(con, sql: str) -> dict:
    """Query result as NumPy columns (plotly takes arrays far faster than Python lists)."""
    return con.execute(sql).fetchnumpy()


def _per_station(figure: go.Figure, rows: dict, series) -> None:
    """One trace per station and (column, name, Scatter options) of ``series``, from NumPy
    columns with ``t_utc`` and ``station``."""
    stations = np.asarray(rows["station"], dtype=object)
    for station in dict.fromkeys(stations):
        here = stations == station
        for column, name, options in series:
            figure.add_trace(go.Scatter(x=rows["t_utc"][here], y=np.asarray(rows[column])[here],
                                        name=f"{station} {name}", **options))


def _altitude(con) -> go.Figure | None:
    states = _columns(
        con,
        "SELECT t_utc, station, perigee_km, apogee_km, mean_altitude_km FROM station_states "
        "ORDER BY station, t_utc",
    )
    if not len(states["t_utc"]):
        return None
    figure = go.Figure()
    _per_station(figure, states, [
        (column, column.removesuffix("_km"), {"mode": "lines", "line": {"dash": dash}})
        for column, dash in (("mean_altitude_km", None), ("perigee_km", "dot"),
                             ("apogee_km", "dot"))])
    for kind, symbol in (("reboost", "triangle-up"), ("dock", "circle")):
        events = _rows(
            con,
            "SELECT e.t_utc, e.flight, s.mean_altitude_km FROM events e "
            "ASOF JOIN station_states s ON e.station = s.station AND e.t_utc >= s.t_utc "
            f"WHERE e.kind = '{kind}'",
        )
        if events:
            figure.add_trace(
                go.Scatter(
                    x=[e["t_utc"] for e in events],
                    y=[e["mean_altitude_km"] for e in events],
                    mode="markers",
                    marker={"symbol": symbol, "size": 9},
                    name=kind,
                    text=[e["flight"] for e in events],
                )
            )
    figure.update_yaxes(title="altitude (km)")
    return figure


def _tracking_drift(con) -> go.Figure | None:
    """Model minus tracking at each update, along track and in altitude (km), per station."""
    rows = _columns(
        con,
        "SELECT t_utc, station, d_along_track_km, d_altitude_km FROM tracking "
        "ORDER BY station, t_utc",
    )
    if not len(rows["t_utc"]):
        return None
    figure = go.Figure()
    _per_station(figure, rows, [
        (column, f"{name} (km)", {"mode": "markers", "marker": {"size": 4}, "yaxis": axis})
        for column, axis, name in (("d_along_track_km", "y", "along track"),
                                   ("d_altitude_km", "y2", "altitude"))])
    figure.update_layout(
        yaxis={"title": "along track (km)"},
        yaxis2={"title": "altitude (km)", "overlaying": "y", "side": "right"},
    )
    return figure


def _crew_aboard(con) -> go.Figure | None:
    stays = _rows(con, "SELECT * FROM crew_stays ORDER BY arrived_utc")
    if not stays:
        return None
    changes = defaultdict(lambda: [0, [], []])
    for stay in stays:
        changes[stay["arrived_utc"]][0] += 1
        changes[stay["arrived_utc"]][1].append(stay["person"])
        if stay["departed_utc"] is not None:
            changes[stay["departed_utc"]][0] -= 1
            changes[stay["departed_utc"]][2].append(stay["person"])
    aboard: set[str] = set()
    times, counts, names = [], [], []
    for when in sorted(changes):
        _, arrived, departed = changes[when]
        aboard |= set(arrived)
        aboard -= set(departed)
        times.append(when)
        counts.append(len(aboard))
        names.append(", ".join(sorted(aboard)))
    figure = go.Figure(
        go.Scatter(
            x=times,
            y=counts,
            mode="lines",
            line={"shape": "hv"},
            text=names,
            hovertemplate="%{x}: %{y}<br>%{text}<extra></extra>",
        )
    )
    figure.update_yaxes(title="people aboard")
    return figure


def _mass_volume(con) -> go.Figure | None:
    rows = _columns(
        con,
        "SELECT t_utc, mass_kg / 1000 AS mass_t, pressurized_volume_m3 FROM station_states "
        "ORDER BY station, t_utc",
    )
    if not len(rows["t_utc"]):
        return None
    figure = go.Figure()
    figure.add_trace(go.Scatter(x=rows["t_utc"], y=rows["mass_t"], name="mass (t)", mode="lines"))
    figure.add_trace(
        go.Scatter(
            x=rows["t_utc"],
            y=rows["pressurized_volume_m3"],
            name="pressurized volume (m³)",
            mode="lines",
            yaxis="y2",
        )
    )
    figure.update_layout(
        yaxis={"title": "mass (t)"},
        yaxis2={"title": "volume (m³)", "overlaying": "y", "side": "right"},
    )
    return figure


def _crew_days(con) -> go.Figure | None:
    rows = _rows(
        con, "SELECT agency, sum(days) AS days FROM crew_stays GROUP BY agency ORDER BY agency"
    )
    if not rows:
        return None
    return go.Figure(go.Bar(x=[r["agency"] for r in rows], y=[r["days"] for r in rows]))


def _consumables(con) -> go.Figure | None:
    rows = _rows(con, "SELECT * FROM consumables ORDER BY station, resource, t_utc")
    if not rows:
        return None
    figure = go.Figure()
    series = defaultdict(list)
    for row in rows:
        series[(row["station"], row["resource"])].append(row)
    for (station, resource), points in series.items():
        figure.add_trace(
            go.Scatter(
                x=[p["t_utc"] for p in points],
                y=[p["stock_kg"] for p in points],
                name=f"{station} {resource}",
                mode="lines",
            )
        )
    figure.update_yaxes(title="stock (kg)")
    return figure


def _html_table(title: str, columns: list[str], rows: list[list]) -> str:
    if not rows:
        return ""
    head = "".join(f"<th>{html.escape(c)}</th>" for c in columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(v))}</td>" for v in row) + "</tr>" for row in rows
    )
    return f"<h2>{html.escape(title)}</h2><table><tr>{head}</tr>{body}</table>"


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return str(value)


def _rendezvous_table(con) -> str:
    rows = _rows(
        con,
        "SELECT flight, vehicle, profile, launch_utc, coalesce(launch_written_utc, launch_utc) "
        "AS written_utc, dock_utc, port, rendezvous_dv_mps, outcome FROM flights "
        "ORDER BY launch_utc",
    )
    table = []
    for r in rows:
        duration_h = (  # from the launch as written: the real one
            (r["dock_utc"] - r["written_utc"]).total_seconds() / 3600.0
            if r["dock_utc"] and r["written_utc"]
            else None
        )
        table.append(
            [
                r["flight"],
                r["vehicle"],
                r["profile"],
                r["written_utc"],
                r["launch_utc"],
                r["dock_utc"],
                duration_h,
                r["port"],
                r["rendezvous_dv_mps"],
                r["outcome"],
            ]
        )
    return _html_table(
        "Rendezvous",
        [
            "flight",
            "vehicle",
            "profile",
            "written launch (UTC)",
            "flown launch (UTC)",
            "docking (UTC)",
            "written launch to docking (h)",
            "port",
            "delta-v (m/s)",
            "outcome",
        ],
        table,
    )


TRACKING_TABLE_ROWS = 100  # more updates than this are plotted, and listed in the store only


def _tracking_table(con) -> str:
    rows = _rows(con, "SELECT * FROM tracking ORDER BY t_utc")
    if len(rows) > TRACKING_TABLE_ROWS:
        return (f"<p>{len(rows)} tracking updates: model minus tracking at each is plotted "
                "above and listed in the store's <code>tracking</code> table.</p>")
    return _html_table(
        "Model minus tracking at each tracking update",
        ["time (UTC)", "station", "altitude (km)", "RAAN (deg)", "along-track phase (deg)",
         "along track (km)"],
        [
            [r["t_utc"], r["station"], r["d_altitude_km"], r["d_raan_deg"], r["d_phase_deg"],
             r["d_along_track_km"]]
            for r in rows
        ],
    )


def _reentry_table(con) -> str:
    """Re-entries with their place where known and how well they are known (event detail)."""
    rows = _rows(con, "SELECT t_utc, flight, station, lat_deg, lon_deg, detail FROM events "
                 "WHERE kind = 'reentry' ORDER BY t_utc")
    return _html_table(
        "Re-entries",
        ["time (UTC)", "object", "latitude (deg)", "longitude (deg)", "how it came down"],
        [[r["t_utc"], r["flight"] or r["station"], r["lat_deg"], r["lon_deg"], r["detail"]]
         for r in rows],
    )


def _trajectory_table(con) -> str:
    """The flown events of the trajectory flights, with their places (program/mission.py)."""
    rows = _rows(con, "SELECT t_utc, flight, kind, lat_deg, lon_deg, detail FROM events WHERE "
                 "kind IN ('insertion', 'burn', 'entry', 'parachute', 'land') AND lat_deg IS "
                 "NOT NULL ORDER BY t_utc")
    return _html_table(
        "Trajectories: insertion, burns, entry and landing",
        ["time (UTC)", "flight", "event", "latitude (deg)", "longitude (deg)", "detail"],
        [[r["t_utc"], r["flight"], r["kind"], r["lat_deg"], r["lon_deg"], r["detail"]]
         for r in rows],
    )


def _comparison_table(con) -> str:
    rows = _rows(
        con,
        "SELECT station, max(mass_kg) AS mass_kg, max(pressurized_volume_m3) AS volume_m3, "
        "max(crew_count) AS crew FROM station_states GROUP BY station ORDER BY station",
    )
    return _html_table(
        "Stations as simulated (maximum over the run)",
        ["station", "mass (kg)", "pressurized volume (m³)", "most crew aboard"],
        [[r["station"], r["mass_kg"], r["volume_m3"], r["crew"]] for r in rows],
    )
