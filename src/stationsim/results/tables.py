"""Turn a program run into the rows of the results store (SI inside, km/deg/UTC in the tables)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.constants import DAY_S, KM
from stationsim.astro.frames import lvlh_to_inertial
from stationsim.astro.time import Epoch
from stationsim.program.orbit import orbit_summary
from stationsim.results.store import TABLES
from stationsim.results.warnings import warning_rows

if TYPE_CHECKING:
    from stationsim.program.state import ProgramResult

STATE_STEP_S = 3600.0  # default step of the station_states table


def _utc(t_s) -> np.ndarray:
    """UTC timestamps (datetime64[us], NaT for None) of TT seconds, the column at once.

    ERFA's calendar fields for every value in one call, rounded to the microsecond as the ISO
    text was; a leap second 23:59:60 is held at 23:59:59.999999, as the store holds its text.
    """
    values = t_s if isinstance(t_s, np.ndarray) else np.array(
        [np.nan if v is None else v for v in t_s], dtype=float)
    out = np.full(values.shape, np.datetime64("NaT"), dtype="datetime64[us]")
    known = np.isfinite(values)
    if not known.any():
        return out
    fields = np.atleast_2d(Epoch(values[known]).utc_fields(6))
    year, month, day, hour, minute = (fields[:, k].astype(np.int64) for k in range(5))
    second_us = np.minimum(np.rint(fields[:, 5] * 1e6).astype(np.int64), 59_999_999)
    date = ((year - 1970).astype("datetime64[Y]") + (month - 1).astype("timedelta64[M]")
            ).astype("datetime64[D]") + (day - 1).astype("timedelta64[D]")
    out[known] = (date + (hour * 60 + minute).astype("timedelta64[m]")
                  + second_us.astype("timedelta64[us]"))
    return out


def _step_values(history: list[tuple], at_s: np.ndarray, column: int) -> np.ndarray:
    """Value of a step function given as (t_s, ...) rows, at times ``at_s``."""
    times = np.array([row[0] for row in history])
    values = np.array([row[column] for row in history], dtype=float)
    index = np.clip(np.searchsorted(times, at_s, side="right") - 1, 0, len(history) - 1)
    return values[index]


def _columns(table: str, records) -> dict[str, list]:
    """A store table's columns read off records with the same field names (a ``*_utc``
    column from the record's ``*_s`` TT seconds)."""
    columns = {}
    for name, _ in TABLES[table]:
        if name.endswith("_utc"):
            columns[name] = _utc(getattr(r, name.removesuffix("_utc") + "_s") for r in records)
        else:
            columns[name] = [getattr(r, name) for r in records]
    return columns


def result_tables(result: ProgramResult, run_row: dict, state_step_s: float = STATE_STEP_S) -> dict:
    """Columns of every store table from a :class:`stationsim.program.engine.ProgramResult`."""
    tables: dict[str, dict[str, list]] = {"runs": {key: [value] for key, value in run_row.items()}}
    tables["flights"] = _columns("flights", result.flights)
    tables["events"] = _columns("events", sorted(result.events, key=lambda e: e.t_s))
    tables["maneuvers"] = _columns("maneuvers", sorted(result.maneuvers, key=lambda m: m.t_s))
    agencies = {person.name: person.agency for person in result.program.crew}
    stays = result.roster.all_stays()
    tables["crew_stays"] = {
        "person": [s.person for s in stays],
        "agency": [agencies.get(s.person) for s in stays],
        "station": [s.station for s in stays],
        "arrived_utc": _utc(s.arrived_s for s in stays),
        "departed_utc": _utc(s.departed_s for s in stays),
        "arrival_flight": [s.arrival_flight for s in stays],
        "departure_flight": [s.departure_flight for s in stays],
        "days": [
            (s.departed_s if s.departed_s is not None else result.end_s) / DAY_S
            - s.arrived_s / DAY_S
            for s in stays
        ],
    }
    samples = {station_id: runtime.orbit.samples()  # (t_s, states), stacked once per station
               for station_id, runtime in result.stations.items()}
    tables["station_states"] = _station_states(result, samples, state_step_s)
    tables["trajectories"] = _trajectories(result, samples, state_step_s)
    tables["consumables"] = _consumables(result)
    drift_rows = [(station, d) for station, drifts in result.drifts.items() for d in drifts]
    tables["tracking"] = {
        "t_utc": _utc(d.t_s for _, d in drift_rows),
        "station": [station for station, _ in drift_rows],
        "d_altitude_km": [d.d_altitude_m / KM for _, d in drift_rows],
        "d_raan_deg": [float(np.degrees(d.d_raan_rad)) for _, d in drift_rows],
        "d_phase_deg": [float(np.degrees(d.d_phase_rad)) for _, d in drift_rows],
        "d_along_track_km": [d.d_along_track_m / KM for _, d in drift_rows],
    }
    tables["warnings"] = warning_rows(result.warnings)
    return tables


def _joined(parts: list[dict[str, np.ndarray]], keys: tuple[str, ...]) -> dict[str, np.ndarray]:
    """Columns ``keys`` of ``parts`` (one dict of arrays each) end to end."""
    return {key: (np.concatenate([part[key] for part in parts]) if parts else np.empty(0))
            for key in keys}


STATION_STATE_COLUMNS = ("t_utc", "station", "perigee_km", "apogee_km", "mean_altitude_km",
                         "inclination_deg", "raan_deg", "mass_kg", "pressurized_volume_m3",
                         "crew_count")
TRAJECTORY_COLUMNS = ("t_utc", "object", "x_m", "y_m", "z_m", "vx_mps", "vy_mps", "vz_mps")


def _station_states(result, samples: dict, step_s: float) -> dict[str, np.ndarray]:
    parts = []
    for station_id, runtime in result.stations.items():
        t_s, states = samples[station_id]
        at_s = np.arange(result.start_s, result.end_s + 1e-9, step_s)
        summary = orbit_summary(t_s, states, at_s)
        keep = np.isfinite(summary["mean_altitude_m"])
        at_s = at_s[keep]
        parts.append({
            "t_utc": _utc(at_s),
            "station": np.full(at_s.size, station_id, dtype=object),
            "perigee_km": summary["perigee_m"][keep] / KM,
            "apogee_km": summary["apogee_m"][keep] / KM,
            "mean_altitude_km": summary["mean_altitude_m"][keep] / KM,
            "inclination_deg": np.degrees(summary["inclination_rad"][keep]),
            "raan_deg": np.degrees(summary["raan_rad"][keep]) % 360.0,
            "mass_kg": _step_values(runtime.history, at_s, 1),
            "pressurized_volume_m3": _step_values(runtime.history, at_s, 2),
            "crew_count": _step_values(runtime.history, at_s, 3).astype(int),
        })
    return _joined(parts, STATION_STATE_COLUMNS)


def _trajectories(result, samples: dict, step_s: float) -> dict[str, np.ndarray]:
    tracks = {}
    for station_id, runtime in result.stations.items():
        t_s, states = samples[station_id]
        stride = max(int(round(step_s / runtime.orbit.sample_step_s)), 1)
        tracks[station_id] = (t_s[::stride], states[::stride])
    tracks.update(_vehicle_tracks(result, samples))
    tracks.update(result.free_tracks)  # flights on a trajectory (program/mission.py)
    parts = [
        {"t_utc": t_s, "object": np.full(t_s.size, name, dtype=object),
         **{key: states[:, k] for k, key in enumerate(TRAJECTORY_COLUMNS[2:])}}
        for name, (t_s, states) in tracks.items() if t_s.size
    ]
    columns = _joined(parts, TRAJECTORY_COLUMNS)
    columns["t_utc"] = _utc(columns["t_utc"].astype(float))  # one conversion for every object
    return columns


def _vehicle_tracks(result, samples: dict) -> dict[str, tuple[np.ndarray, np.ndarray]]:
    """Visiting vehicles from insertion to their final approach, placed on the station's own
    (numerical) orbit by their planned motion relative to it: (t_s, GCRF states) by flight,
    every flight's samples turned inertial in one call."""
    flights, times, targets, relatives = [], [], [], []
    for flight, (station_id, t_s, relative) in result.vehicle_tracks.items():
        station_t_s, station_states = samples[station_id]
        index = np.searchsorted(station_t_s, t_s)
        kept = index < station_t_s.size
        kept[kept] &= np.isclose(station_t_s[index[kept]], t_s[kept], rtol=0.0, atol=1e-3)
        flights.append(flight)
        times.append(t_s[kept])
        targets.append(station_states[index[kept]])
        relatives.append(relative[kept])
    if not flights:
        return {}
    target, relative = np.concatenate(targets), np.concatenate(relatives)
    r_m, v_mps = lvlh_to_inertial(target[:, :3], target[:, 3:], relative[:, :3], relative[:, 3:])
    states = np.split(np.hstack([r_m, v_mps]), np.cumsum([t.size for t in times])[:-1])
    return dict(zip(flights, zip(times, states, strict=True), strict=True))


def _consumables(result) -> dict[str, list]:
    columns: dict[str, list] = {"t_utc": [], "station": [], "resource": [], "stock_kg": []}
    for station_id, runtime in result.stations.items():
        for t_s, resource, stock_kg in runtime.ledger.history:
            columns["t_utc"].append(t_s)
            columns["station"].append(station_id)
            columns["resource"].append(resource)
            columns["stock_kg"].append(stock_kg)
    columns["t_utc"] = _utc(np.array(columns["t_utc"], dtype=float))
    return columns
