"""What the dashboard shows, read from a run's store as JSON-ready values (times: ISO UTC 'Z')."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.time import Epoch
from stationsim.results.export.source import (
    docked_intervals,
    iso_utc,
    load_trajectories,
    rows,
)
from stationsim.results.export.source import run_summary as store_summary
from stationsim.results.logistics import presence_gaps, stock_series

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

MAX_STATES = 20_000  # samples one trajectory request may return


iso = iso_utc


def parse_utc(text: str, name: str) -> dt.datetime:
    """A naive UTC datetime from ISO text ('Z' or no zone); ValueError naming ``name``."""
    try:
        parsed = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"{name} must be an ISO-8601 UTC time, got {text!r}") from None
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(dt.UTC).replace(tzinfo=None)
    return parsed


def _jsonable(records: list[dict]) -> list[dict]:
    return [{k: iso(v) if isinstance(v, dt.datetime) else v for k, v in r.items()}
            for r in records]


def run_summary(con: DuckDBPyConnection, name: str) -> dict:
    """Program, seed, version, span of the run and its stations and flights."""
    return {"name": name, **store_summary(con)}


def flights(con: DuckDBPyConnection) -> list[dict]:
    return _jsonable(rows(con, "SELECT * FROM flights ORDER BY launch_utc NULLS LAST, flight"))


def crew_stays(con: DuckDBPyConnection) -> list[dict]:
    return _jsonable(rows(con, "SELECT * FROM crew_stays ORDER BY arrived_utc, person"))


def _time_filter(start: dt.datetime | None, stop: dt.datetime | None) -> tuple[str, list]:
    clauses, parameters = [], []
    if start is not None:
        clauses.append("t_utc >= ?")
        parameters.append(start)
    if stop is not None:
        clauses.append("t_utc <= ?")
        parameters.append(stop)
    return (" AND ".join(clauses) or "TRUE"), parameters


def events(
    con: DuckDBPyConnection,
    start: dt.datetime | None = None,
    stop: dt.datetime | None = None,
    kind: str | None = None,
) -> list[dict]:
    where, parameters = _time_filter(start, stop)
    if kind is not None:
        where += " AND kind = ?"
        parameters.append(kind)
    return _jsonable(rows(con, f"SELECT * FROM events WHERE {where} ORDER BY t_utc", parameters))


def station_states(
    con: DuckDBPyConnection,
    start: dt.datetime | None = None,
    stop: dt.datetime | None = None,
    station: str | None = None,
) -> list[dict]:
    where, parameters = _time_filter(start, stop)
    if station is not None:
        where += " AND station = ?"
        parameters.append(station)
    return _jsonable(rows(con, f"SELECT * FROM station_states WHERE {where} "
                               "ORDER BY station, t_utc", parameters))


def trajectory(
    con: DuckDBPyConnection, name: str, start: dt.datetime, stop: dt.datetime,
    step_s: float | None = None,
) -> dict:
    """GCRF states of ``name`` between two times: the stored samples, or with ``step_s`` a
    regular grid (two-body from the nearest sample). Positions m, velocities m/s."""
    found = load_trajectories(con, [name]).get(name)
    if found is None:
        raise LookupError(f"no trajectory for {name!r} in this run")
    if step_s is None:
        piece = found.between(start, stop)
        t_utc, r_m, v_mps = piece.t_utc, piece.r_m, piece.v_mps
    else:
        if not step_s > 0.0:
            raise ValueError(f"step_s must be > 0, got {step_s!r}")
        first = Epoch.from_datetime(max(start, found.t_utc[0].astype(dt.datetime))
                                    .replace(tzinfo=dt.UTC))
        last = Epoch.from_datetime(min(stop, found.t_utc[-1].astype(dt.datetime))
                                   .replace(tzinfo=dt.UTC))
        count = int(np.floor((last - first) / step_s)) + 1 if last.tt_s >= first.tt_s else 0
        if count > MAX_STATES:
            raise ValueError(f"{count} states asked for; at most {MAX_STATES}: shorten the "
                             "range or lengthen step_s")
        at = first + step_s * np.arange(count)
        r_m, v_mps = found.states_at(at) if count else (np.empty((0, 3)), np.empty((0, 3)))
        t_utc = np.array([d.replace(tzinfo=None) for d in at.to_datetime()],
                         dtype="datetime64[us]") if count else np.empty(0, "datetime64[us]")
    if t_utc.size > MAX_STATES:
        raise ValueError(f"{t_utc.size} states in range; at most {MAX_STATES}: shorten it")
    return {"object": name, "frame": "GCRF",
            "t_utc": [np.datetime_as_string(t, unit="us") + "Z" for t in t_utc],
            "r_m": np.asarray(r_m).tolist(), "v_mps": np.asarray(v_mps).tolist()}


def configuration_at(con: DuckDBPyConnection, at: dt.datetime) -> dict:
    """Each station's modules (where each is attached) and docked vehicles (at which port) at
    ``at``: vehicles from the flights table (docked at dock_utc, gone at undock_utc), moves and
    modules from the module_attach and relocate events up to ``at``."""
    stations: dict[str, dict] = {}

    def station(name):
        return stations.setdefault(name, {"station": name, "modules": {}, "docked": {}})

    for flight in docked_intervals(con):
        if flight["dock_utc"] <= at and (flight["undock_utc"] is None
                                        or flight["undock_utc"] > at):
            station(flight["station"])["docked"][flight["flight"]] = flight["port"]
    for event in rows(con, "SELECT kind, station, port, detail FROM events WHERE kind IN "
                           "('module_attach', 'relocate') AND t_utc <= ? ORDER BY t_utc", [at]):
        here = station(event["station"])
        if event["kind"] == "module_attach":
            here["modules"][event["detail"]] = event["port"]
            continue
        moved = (event["detail"] or "").split(" from ")[0]
        for group in ("modules", "docked"):
            if moved in here[group]:
                here[group][moved] = event["port"]
    for here in stations.values():
        for port in [*here["docked"].values(), *here["modules"].values()]:
            if port and "." in port:
                here["modules"].setdefault(port.rsplit(".", 1)[0], None)
    return {"at_utc": iso(at), "stations": [
        {"station": s["station"],
         "modules": [{"module": m, "at": p} for m, p in s["modules"].items()],
         "docked": [{"flight": f, "port": p} for f, p in s["docked"].items()]}
        for s in stations.values()]}


def supply_at(con: DuckDBPyConnection, at: dt.datetime) -> dict:
    """Each station's stocks at ``at`` and the days of supply they leave at the rate of use
    then (None: nothing being used), whether the station is in a gap of presence then, and
    every gap of the run (the dashboard flags them)."""
    at_s = at.replace(tzinfo=dt.UTC).timestamp()
    stations: dict[str, dict] = {}
    for (station, resource), (t_s, stock_kg, use_kgps, _) in stock_series(con).items():
        k = int(np.searchsorted(t_s, at_s, side="right")) - 1
        if k < 0:
            continue
        stock_now_kg = max(stock_kg[k] - use_kgps[k] * (at_s - t_s[k]), 0.0)
        days = stock_now_kg / use_kgps[k] / 86400.0 if use_kgps[k] > 0.0 else None
        stations.setdefault(station, {"station": station, "resources": [], "in_gap": False})
        stations[station]["resources"].append(
            {"resource": resource, "stock_kg": stock_now_kg, "days": days})
    gaps = presence_gaps(con)
    for station, start_s, stop_s in gaps:
        if start_s <= at_s and (stop_s is None or at_s < stop_s) and station in stations:
            stations[station]["in_gap"] = True

    def utc(t_s: float | None) -> str | None:
        return None if t_s is None else iso(dt.datetime.fromtimestamp(t_s, dt.UTC))

    return {"at_utc": iso(at), "stations": list(stations.values()),
            "gaps": [{"station": station, "from_utc": utc(start_s), "to_utc": utc(stop_s)}
                     for station, start_s, stop_s in gaps]}
