"""The results store: one embedded DuckDB file per run, written atomically.

The whole store is built in a temporary file beside the target and moved over it with
``os.replace`` only when complete, so a crash or Ctrl-C leaves the previous run intact. The
tables and their columns are documented in ``docs/results.md``.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path

import duckdb
import numpy as np

from stationsim.results.atomic import replacing

# Table name -> ordered (column, SQL type). Times are UTC timestamps (microseconds).
TABLES: dict[str, tuple[tuple[str, str], ...]] = {
    "runs": (
        ("program", "VARCHAR"),
        ("program_sha256", "VARCHAR"),
        ("seed", "BIGINT"),
        ("stationsim_version", "VARCHAR"),
        ("started_utc", "TIMESTAMP"),
        ("wall_s", "DOUBLE"),
        ("tracking_updates", "INTEGER"),
    ),
    "flights": (
        ("flight", "VARCHAR"),
        ("vehicle", "VARCHAR"),
        ("site", "VARCHAR"),
        ("launch_utc", "TIMESTAMP"),
        ("launch_written_utc", "TIMESTAMP"),
        ("dock_utc", "TIMESTAMP"),
        ("station", "VARCHAR"),
        ("port", "VARCHAR"),
        ("undock_utc", "TIMESTAMP"),
        ("land_utc", "TIMESTAMP"),
        ("profile", "VARCHAR"),
        ("rendezvous_dv_mps", "DOUBLE"),
        ("outcome", "VARCHAR"),
    ),
    "events": (
        ("t_utc", "TIMESTAMP"),
        ("kind", "VARCHAR"),
        ("flight", "VARCHAR"),
        ("station", "VARCHAR"),
        ("port", "VARCHAR"),
        ("detail", "VARCHAR"),
        ("lat_deg", "DOUBLE"),
        ("lon_deg", "DOUBLE"),
    ),
    "maneuvers": (
        ("t_utc", "TIMESTAMP"),
        ("flight", "VARCHAR"),
        ("vehicle", "VARCHAR"),
        ("name", "VARCHAR"),
        ("dv_mps", "DOUBLE"),
        ("propellant_kg", "DOUBLE"),
    ),
    "crew_stays": (
        ("person", "VARCHAR"),
        ("agency", "VARCHAR"),
        ("station", "VARCHAR"),
        ("arrived_utc", "TIMESTAMP"),
        ("departed_utc", "TIMESTAMP"),
        ("arrival_flight", "VARCHAR"),
        ("departure_flight", "VARCHAR"),
        ("days", "DOUBLE"),
    ),
    "station_states": (
        ("t_utc", "TIMESTAMP"),
        ("station", "VARCHAR"),
        ("perigee_km", "DOUBLE"),
        ("apogee_km", "DOUBLE"),
        ("mean_altitude_km", "DOUBLE"),
        ("inclination_deg", "DOUBLE"),
        ("raan_deg", "DOUBLE"),
        ("mass_kg", "DOUBLE"),
        ("pressurized_volume_m3", "DOUBLE"),
        ("crew_count", "INTEGER"),
    ),
    "consumables": (
        ("t_utc", "TIMESTAMP"),
        ("station", "VARCHAR"),
        ("resource", "VARCHAR"),
        ("stock_kg", "DOUBLE"),
    ),
    "trajectories": (
        ("t_utc", "TIMESTAMP"),
        ("object", "VARCHAR"),
        ("x_m", "DOUBLE"),
        ("y_m", "DOUBLE"),
        ("z_m", "DOUBLE"),
        ("vx_mps", "DOUBLE"),
        ("vy_mps", "DOUBLE"),
        ("vz_mps", "DOUBLE"),
    ),
    "tracking": (
        ("t_utc", "TIMESTAMP"),
        ("station", "VARCHAR"),
        ("d_altitude_km", "DOUBLE"),
        ("d_raan_deg", "DOUBLE"),
        ("d_phase_deg", "DOUBLE"),
        ("d_along_track_km", "DOUBLE"),
    ),
    "warnings": (
        ("seq", "INTEGER"),
        ("subject", "VARCHAR"),
        ("kind", "VARCHAR"),
        ("message", "VARCHAR"),
    ),
}

Columns = Mapping[str, Sequence | np.ndarray]
CHECKPOINT_AT_COMMIT = "SET checkpoint_threshold = '0b'"


def write_store(path: str | os.PathLike, tables: Mapping[str, Columns]) -> Path:
    """Write ``tables`` (name -> column -> values) to a DuckDB file at ``path``, atomically.

    Every table of :data:`TABLES` is created, empty when absent from ``tables``. Time columns
    take ISO-8601 UTC strings ('...Z') or None. Raises ValueError naming a table or column
    that is unknown or of the wrong length. A time column may also be a UTC datetime64 array
    (NaT for none).
    """
    with written_store(path, tables):
        pass
    return Path(path)


@contextlib.contextmanager
def written_store(path: str | os.PathLike,
                  tables: Mapping[str, Columns]) -> Iterator[duckdb.DuckDBPyConnection]:
    """:func:`write_store`, yielding the store's connection once every table is written and
    checkpointed, so that what is made from the store (the report, the manifest's summary)
    reads it without opening it again; the file replaces ``path`` when the block ends without
    an error, and nothing is replaced otherwise. Read only, in the block."""
    target = Path(path)
    unknown = sorted(set(tables) - set(TABLES))
    if unknown:
        raise ValueError(f"unknown results table(s) {unknown}; known: {sorted(TABLES)}")
    with replacing(target) as temporary:
        con = duckdb.connect(str(temporary))
        try:
            statements, registered = [], []
            for name, columns in TABLES.items():
                declared = ", ".join(f"{column} {sql_type}" for column, sql_type in columns)
                statements.append(f"CREATE TABLE {name} ({declared})")
                incoming = _incoming(name, columns, tables.get(name, {}))
                if incoming is not None:  # each table's columns in one scan of NumPy arrays
                    frame, selects = incoming
                    registered.append(f"incoming_{name}")
                    con.register(registered[-1], frame)
                    statements.append(f"INSERT INTO {name} SELECT {', '.join(selects)} "
                                      f"FROM {registered[-1]}")
            # one round trip and one commit (each statement its own transaction would sync the
            # log to disk once each), which checkpoints at once instead of first writing every
            # row to the write-ahead log (a threshold of 0 bytes)
            con.execute(";\n".join([CHECKPOINT_AT_COMMIT, "BEGIN TRANSACTION", *statements,
                                     "COMMIT", "CHECKPOINT"]))
            for view in registered:
                con.unregister(view)
            yield con
        finally:
            con.close()


def _incoming(name: str, columns, data: Columns) -> tuple[dict, list[str]] | None:
    """The NumPy columns of table ``name`` and the select list that casts them to its SQL
    types; None when there are no rows. ValueError for an unknown column or ragged ones."""
    if not data:
        return None
    extra = sorted(set(data) - {column for column, _ in columns})
    if extra:
        raise ValueError(f"table {name!r} has no column(s) {extra}")
    lengths = {column: len(values) for column, values in data.items()}
    if len(set(lengths.values())) > 1:
        raise ValueError(f"table {name!r}: columns differ in length {lengths}")
    n_rows = next(iter(lengths.values()))
    if n_rows == 0:
        return None
    frame = {}
    selects = []
    for column, sql_type in columns:
        values = data.get(column)
        if values is None:
            selects.append(f"NULL::{sql_type}")
            continue
        if sql_type == "TIMESTAMP" and getattr(values, "dtype", None) is not None \
                and values.dtype.kind == "M":  # UTC datetime64 (NaT for none), as it is
            frame[column] = values.astype("datetime64[us]")
            selects.append(column)
        elif sql_type == "TIMESTAMP":
            frame[column] = np.array([_timestamp_text(v) for v in values], dtype=object)
            selects.append(f"CAST({column} AS TIMESTAMP)")
        elif sql_type == "VARCHAR":
            frame[column] = np.array([None if v is None else str(v) for v in values], dtype=object)
            selects.append(column)
        else:
            frame[column] = np.asarray(values, dtype=float)
            selects.append(f"CAST({column} AS {sql_type})")
    return frame, selects


def _timestamp_text(value) -> str | None:
    """ISO UTC text without the zone letter; a leap second 23:59:60 becomes 23:59:59.999999."""
    if value is None:
        return None
    text = str(value).rstrip("Z")
    if text[17:19] == "60":
        text = text[:17] + "59.999999"
    return text


VOLATILE_COLUMNS = {"runs": ("started_utc", "wall_s")}
"""Columns that differ between two runs of the same inputs (when and how long)."""


def table_digest(path: str | os.PathLike) -> str:
    """SHA-256 of every table's rows in a stable order, leaving out :data:`VOLATILE_COLUMNS`.

    Equal digests mean two runs produced the same results.
    """
    digest = hashlib.sha256()
    con = duckdb.connect(str(path), read_only=True)
    try:
        for name, columns in TABLES.items():
            kept = [c for c, _ in columns if c not in VOLATILE_COLUMNS.get(name, ())]
            order = ", ".join(kept)
            for row in con.execute(f"SELECT {order} FROM {name} ORDER BY {order}").fetchall():
                digest.update(repr((name, row)).encode())
    finally:
        con.close()
    return digest.hexdigest()
