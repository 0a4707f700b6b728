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


def _margins(con, table) -> str:
    rows = con.execute(
        "SELECT station, resource, epoch_ms(t_utc) / 1000.0, stock_kg FROM consumables "
        "ORDER BY station, resource, t_utc").fetchall()
    series = defaultdict(list)
    for station, resource, t_s, stock_kg in rows:
        series[(station, resource)].append((t_s, stock_kg))
    lines = []
    for (station, resource), points in series.items():
        t_s, stock_kg = (np.array(column, dtype=float) for column in zip(*points, strict=True))
        dt_s = np.diff(t_s)
        use_kgps = np.where(dt_s > 0.0, -np.diff(stock_kg) / np.where(dt_s > 0.0, dt_s, 1.0),
                            0.0)
        using = use_kgps > 0.0
        if not using.any():
            continue
        margin_d = stock_kg[:-1][using] / use_kgps[using] / DAY_S
        k = int(np.argmin(margin_d))
        last = np.flatnonzero(using)[-1]
        end_d = stock_kg[last] / use_kgps[last] / DAY_S - (t_s[-1] - t_s[last]) / DAY_S
        lines.append([station, resource, f"{margin_d[k]:.1f}",
                      _date(t_s[:-1][using][k]), f"{max(end_d, 0.0):.1f}"])
    return table("Logistics: margins in days of supply",
                  ["station", "resource", "tightest (days)", "on", "at the end (days)"], lines)


def _shortages(con, table) -> str:
    rows = con.execute("SELECT t_utc, station, detail FROM events WHERE kind = 'shortage' "
                       "ORDER BY t_utc").fetchall()
    return table("Logistics: shortages", ["when (UTC)", "station", "what"],
                 [list(row) for row in rows])


def _gaps(con, table) -> str:
    rows = con.execute(
        "SELECT epoch_ms(t_utc) / 1000.0, station, kind FROM events WHERE kind IN "
        "('presence_gap', 'presence_resumed') ORDER BY t_utc").fetchall()
    end_s = con.execute("SELECT max(epoch_ms(t_utc)) / 1000.0 FROM events").fetchone()[0]
    opened: dict[str, float] = {}
    lines = []
    for t_s, station, kind in rows:
        if kind == "presence_gap":
            opened[station] = t_s
        elif station in opened:
            start_s = opened.pop(station)
            lines.append([station, _date(start_s), _date(t_s), f"{(t_s - start_s) / DAY_S:.1f}"])
    for station, start_s in opened.items():
        lines.append([station, _date(start_s), "end of the run",
                      f">= {(end_s - start_s) / DAY_S:.1f}"])
    return table("Logistics: gaps in presence (nobody aboard)",
                  ["station", "from", "to", "days"], lines)


def _date(t_s: float) -> str:
    return np.datetime_as_string(np.datetime64(int(round(t_s)), "s"), unit="m") + "Z"

