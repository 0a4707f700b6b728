"""What each object's OEM holds: dense segments from the store, a vehicle's from launch to landing.

A station's samples are cut where its state jumps (a reboost, a tracking update, a phase the
launch plan assumed: ``events``) and carried to a dense grid (:mod:`.dense`). A vehicle's OEM
follows it from orbit insertion (the ascent is not modelled) to its deorbit burn: its own
stored track, cut at its burns (``maneuvers``); from the start of its final approach to
undocking the station's state (within a few km on the approach, then docked: the port's offset
of tens of metres is ignored); after undocking the station's state at undocking carried to the
deorbit burn (or, with none stored, to DEORBIT_LEAD_S before landing). The separation burn, the
deorbit burn and the entry are not modelled. Each segment says which of these it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import duckdb
import numpy as np

from stationsim.results.export.dense import cut, densify
from stationsim.results.export.source import (
    Trajectory,
    epoch_from_utc,
    load_trajectories,
    rows,
)

# The deorbit burn comes about an hour before landing: Shuttle 1 h 00 min (e.g. STS-71 press
# kit, NASA 1995), Soyuz about 55 min (Hall & Shayler, Soyuz: A Universal Spacecraft, 2003).
DEORBIT_LEAD_S = 3600.0
STATION_BREAKS = ("reboost", "tracking", "phase-assumed")
NO_BREAKS = np.empty(0)


def _tt_s(values: Iterable[Any]) -> np.ndarray:
    values = [v for v in values if v is not None]
    if not values:
        return np.empty(0)
    return np.atleast_1d(epoch_from_utc(np.array(values, dtype="datetime64[us]")).tt_s)


def jumps(con: duckdb.DuckDBPyConnection) -> dict[str, np.ndarray]:
    """Object -> sorted TT seconds where its state jumps: a station's reboosts, tracking
    updates and assumed phases (``events``), a flight's burns (``maneuvers``)."""
    out: dict[str, list[Any]] = {}
    for e in rows(con, "SELECT t_utc, kind, station FROM events WHERE flight IS NULL"):
        if e["kind"] in STATION_BREAKS and e["station"] is not None:
            out.setdefault(e["station"], []).append(e["t_utc"])
    for b in rows(con, "SELECT t_utc, flight FROM maneuvers WHERE flight IS NOT NULL"):
        out.setdefault(b["flight"], []).append(b["t_utc"])
    return {name: np.sort(_tt_s(times)) for name, times in out.items()}


def dense(trajectory: Trajectory, breaks_tt_s: np.ndarray) -> list[Trajectory]:
    """The trajectory cut at its breaks, each piece carried from the break before it to the
    break after it (the states on both sides of a break, at its instant); a lone state, which
    no reader can interpolate, is left out."""
    pieces = cut(trajectory, breaks_tt_s)
    out = []
    for k, piece in enumerate(pieces):
        later = breaks_tt_s[breaks_tt_s > piece.t_tt_s[-1]]
        earlier = breaks_tt_s[breaks_tt_s <= piece.t_tt_s[0]]
        stop = later.min() if later.size and k < len(pieces) - 1 else None
        start = earlier.max() if earlier.size and k > 0 else None
        out.append(densify(piece, stop, start))
    return [piece for piece in out if len(piece) > 1]


def _between(pieces: list[Trajectory], lo_tt_s: float, hi_tt_s: float) -> list[Trajectory]:
    out = []
    for piece in pieces:
        keep = (piece.t_tt_s >= lo_tt_s) & (piece.t_tt_s <= hi_tt_s)
        if keep.any():
            out.append(piece._take(keep))
    return out


def oem_segments(con: duckdb.DuckDBPyConnection, objects: list[str] | None = None
                 ) -> dict[str, list[tuple[Trajectory, list[str]]]]:
    """Object -> [(segment states, its comment lines)] for every object (or ``objects``)."""
    flights = {r["flight"]: r for r in rows(con, "SELECT * FROM flights")}
    wanted = None if objects is None else set(objects) | {
        flights[o]["station"] for o in objects if o in flights and flights[o]["station"]}
    trajectories = load_trajectories(con, None if wanted is None else sorted(wanted))
    burns = rows(con, "SELECT t_utc, flight, name FROM maneuvers WHERE flight IS NOT NULL")
    breaks = jumps(con)
    stations = {name: dense(trajectory, breaks.get(name, NO_BREAKS))
                for name, trajectory in trajectories.items() if name not in flights}
    out: dict[str, list[tuple[Trajectory, list[str]]]] = {
        name: [(piece, ["the station's modelled orbit"]) for piece in pieces]
        for name, pieces in stations.items()}
    names = [n for n in flights if (n in trajectories or flights[n]["dock_utc"] is not None)
             and (objects is None or n in objects)]
    for name in names:
        row, segments = flights[name], []
        mine = [b for b in burns if b["flight"] == name]
        own = trajectories.get(name)
        if own is not None:
            docked = [] if row["dock_utc"] is None else [(row["dock_utc"], row["undock_utc"])]
            for piece in own.outside(docked):
                segments += [(p, ["the vehicle's planned path, insertion to final approach"])
                             for p in dense(piece, breaks.get(name, NO_BREAKS))]
        station = stations.get(row["station"])
        if row["dock_utc"] is not None and station:
            dock = _tt_s([row["dock_utc"]])[0]
            undock = _tt_s([row["undock_utc"]])[0] if row["undock_utc"] else np.inf
            before = [] if own is None else own.t_tt_s[own.t_tt_s <= dock]
            start = before[-1] if len(before) else dock
            segments += [(p, [f"with the station {row['station']}: final approach, then docked "
                              f"at {row['port']} (the station's state)"])
                         for p in _between(station, start, undock) if len(p) > 1]
            deorbit = _tt_s(b["t_utc"] for b in mine if b["name"] == "deorbit")
            end = (deorbit.min() if deorbit.size else
                   _tt_s([row["land_utc"]])[0] - DEORBIT_LEAD_S if row["land_utc"] else None)
            last = _between(station, -np.inf, undock)
            flown_after = own is not None and own.t_tt_s[-1] > undock
            if end is not None and end > undock and last and not flown_after:
                segments.append((densify(last[-1]._take(slice(-1, None)), end), [
                    "after undocking: the station's state at undocking carried to the deorbit "
                    "burn (separation, deorbit burn and entry not modelled)"]))
            segments.sort(key=lambda item: item[0].t_tt_s[0])
        if segments:
            out[name] = segments
    if objects is not None:
        out = {name: segments for name, segments in out.items() if name in objects}
    return out
