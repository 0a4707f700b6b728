"""The report's logistics section: margins in days of supply, shortages and gaps in presence.

Read from the store alone. A stock changes linearly between the rows of the consumables table
(:class:`stationsim.program.consumables.ConsumablesLedger`), so from each row the days it
would last at the rate that follows it are stock / use; the section gives each resource's
tightest margin and its margin at the end, the ``shortage`` events, and each gap in the
station's presence (``presence_gap`` to ``presence_resumed``, or to the end of the run).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from duckdb import DuckDBPyConnection

DAY_S = 86400.0


def logistics_tables(
    con: DuckDBPyConnection,
    table: Callable[[str, list[str], list[list]], str],
) -> str:
    """HTML of the section: tables made by ``table(title, columns, rows)`` (the report's),
    each left out when it has no rows."""
    return "".join((_margins(con, table), _shortages(con, table), _gaps(con, table)))


def stock_series(con: DuckDBPyConnection) -> dict[tuple[str, str], tuple[np.ndarray, ...]]:
    """Each (station, resource)'s stock rows: times (s since 1970, UTC), stock (kg), the rate
    of use over the segment that follows each row (kg/s; 0 on the last row and where nothing
    is used) and the days of supply that rate leaves (NaN where nothing is used)."""
    rows = con.execute(
        "SELECT station, resource, epoch_ms(t_utc) / 1000.0, stock_kg FROM consumables "
        "ORDER BY station, resource, t_utc").fetchall()
    points = defaultdict(list)
    for station, resource, t_s, stock_kg in rows:
        points[(station, resource)].append((t_s, stock_kg))
    series: dict[tuple[str, str], tuple[np.ndarray, ...]] = {}
    for key, pairs in points.items():
        t_s, stock_kg = (np.array(column, dtype=float) for column in zip(*pairs, strict=True))
        dt_s = np.diff(t_s)
        use_kgps = np.append(np.where(dt_s > 0.0, -np.diff(stock_kg)
                                      / np.where(dt_s > 0.0, dt_s, 1.0), 0.0), 0.0)
        use_kgps = np.maximum(use_kgps, 0.0)
        with np.errstate(divide="ignore", invalid="ignore"):
            days = np.where(use_kgps > 0.0, stock_kg / use_kgps / DAY_S, np.nan)
        series[key] = (t_s, stock_kg, use_kgps, days)
    return series


def presence_gaps(con: DuckDBPyConnection) -> list[tuple[str, float, float | None]]:
    """Each gap in a station's presence (nobody aboard): station, start and end (s since 1970,
    UTC; None: still open at the end of the run), from the ``presence_gap`` and
    ``presence_resumed`` events."""
    rows = con.execute(
        "SELECT epoch_ms(t_utc) / 1000.0, station, kind FROM events WHERE kind IN "
        "('presence_gap', 'presence_resumed') ORDER BY t_utc").fetchall()
    opened: dict[str, float] = {}
    gaps: list[tuple[str, float, float | None]] = []
    for t_s, station, kind in rows:
        if kind == "presence_gap":
            opened[station] = t_s
        elif station in opened:
            gaps.append((station, opened.pop(station), t_s))
    return gaps + [(station, start_s, None) for station, start_s in opened.items()]


def _margins(con, table) -> str:
    lines = []
    for (station, resource), (t_s, _, use_kgps, days) in stock_series(con).items():
        using = use_kgps > 0.0
        if not using.any():
            continue
        k = int(np.nanargmin(days))
        last = np.flatnonzero(using)[-1]
        end_d = days[last] - (t_s[-1] - t_s[last]) / DAY_S
        lines.append([station, resource, f"{days[k]:.1f}", _date(t_s[k]),
                      f"{max(end_d, 0.0):.1f}"])
    return table("Logistics: margins in days of supply",
                  ["station", "resource", "tightest (days)", "on", "at the end (days)"], lines)


def _shortages(con, table) -> str:
    rows = con.execute("SELECT t_utc, station, detail FROM events WHERE kind = 'shortage' "
                       "ORDER BY t_utc").fetchall()
    return table("Logistics: shortages", ["when (UTC)", "station", "what"],
                 [list(row) for row in rows])


def _gaps(con, table) -> str:
    end_s = con.execute("SELECT max(epoch_ms(t_utc)) / 1000.0 FROM events").fetchone()[0]
    lines = [[station, _date(start_s), "end of the run", f">= {(end_s - start_s) / DAY_S:.1f}"]
             if stop_s is None else
             [station, _date(start_s), _date(stop_s), f"{(stop_s - start_s) / DAY_S:.1f}"]
             for station, start_s, stop_s in presence_gaps(con)]
    return table("Logistics: gaps in presence (nobody aboard)",
                  ["station", "from", "to", "days"], lines)


def _date(t_s: float) -> str:
    return np.datetime_as_string(np.datetime64(int(round(t_s)), "s"), unit="m") + "Z"

