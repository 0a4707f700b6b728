"""A run's tables for Python: Arrow and pandas with UTC datetimes, units and frames attached.

The tables and columns are those of the results store (``docs/results.md``), from a fresh
:func:`stationsim.simulate` or from a run folder. Each column's unit, frame and time scale is
Arrow field metadata (``unit``, ``frame``, ``time_scale``), kept in Parquet files too.

>>> import stationsim as ss
>>> results = ss.simulate(ss.load_program("example-small"))  # doctest: +SKIP
>>> results.flights.to_pandas()[["flight", "dock_utc"]]  # doctest: +SKIP
        flight                         dock_utc
0  Soyuz TM-22                              NaT
1       STS-74 1995-11-15 06:23:13.362821+00:00
2  Soyuz TM-23 1996-02-23 13:40:08.016372+00:00
"""

from __future__ import annotations

import hashlib
import os
from collections import namedtuple
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pyarrow as pa

from stationsim import __version__
from stationsim.results.store import TABLES

if TYPE_CHECKING:
    import pandas as pd

    from stationsim.program.engine import ProgramResult

# unit of a column by the ending of its name (docs/results.md: the unit is in the name)
UNITS = {"_utc": "UTC", "_m": "m", "_km": "km", "_mps": "m/s", "_deg": "deg", "_kg": "kg",
         "_m3": "m^3", "_s": "s"}
# frames of the columns that have one
FRAMES = {
    ("trajectories", c): "GCRF" for c in ("x_m", "y_m", "z_m", "vx_mps", "vy_mps", "vz_mps")} | {
    ("events", "lat_deg"): "WGS-84 geodetic", ("events", "lon_deg"): "WGS-84 geodetic",
    ("station_states", "inclination_deg"): "GCRF equator (osculating elements)",
    ("station_states", "raan_deg"): "GCRF equator (osculating elements)"}
ARROW_TYPES = {"VARCHAR": pa.string(), "DOUBLE": pa.float64(), "BIGINT": pa.int64(),
               "INTEGER": pa.int32(), "TIMESTAMP": pa.timestamp("us", tz="UTC")}


def column_field(table: str, column: str, sql_type: str) -> pa.Field:
    """The Arrow field of a store column: its type (times as UTC timestamps) and metadata."""
    metadata = {}
    if column == "days":
        metadata["unit"] = "d"
    for ending, unit in UNITS.items():
        if column.endswith(ending):
            metadata["unit"] = unit
    if sql_type == "TIMESTAMP":
        metadata = {"time_scale": "UTC"}
    if (table, column) in FRAMES:
        metadata["frame"] = FRAMES[(table, column)]
    return pa.field(column, ARROW_TYPES[sql_type], metadata=metadata or None)


def table_schema(table: str) -> pa.Schema:
    """The Arrow schema of a store table, with the program-wide notes as schema metadata."""
    return pa.schema([column_field(table, c, t) for c, t in TABLES[table]],
                     metadata={"stationsim_version": __version__, "table": table,
                               "description": "docs/results.md of stationsim"})


def _timestamps(values: Sequence[Any]) -> pa.Array:
    """UTC timestamps of ISO texts ('...Z'), datetimes or None; a leap second 23:59:60 is
    23:59:59.999999, as the store keeps it."""
    out = np.full(len(values), np.datetime64("NaT"), dtype="datetime64[us]")
    for k, value in enumerate(values):
        if value is None:
            continue
        text = value.isoformat() if hasattr(value, "isoformat") else str(value)
        text = text.rstrip("Z").split("+")[0]
        if text[17:19] == "60":
            out[k] = np.datetime64(text[:17] + "59.999999", "us")
        else:
            out[k] = np.datetime64(text, "us")
    return pa.array(out, type=pa.timestamp("us")).cast(pa.timestamp("us", tz="UTC"))


def arrow_table(table: str, columns: Mapping[str, Sequence[Any]] | pa.Table) -> pa.Table:
    """An Arrow table of store table ``table`` from its columns (lists as ``result_tables``
    gives them, or an Arrow table as DuckDB reads it), typed and annotated."""
    schema = table_schema(table)
    arrays = []
    for field in schema:
        values = columns[field.name]
        if pa.types.is_timestamp(field.type):
            if isinstance(values, pa.ChunkedArray):
                arrays.append(values.cast(pa.timestamp("us")).cast(field.type))
            else:
                arrays.append(_timestamps(list(values)))
        else:
            arrays.append(pa.array(values, type=field.type) if not isinstance(
                values, pa.ChunkedArray) else values.cast(field.type))
    return pa.Table.from_arrays(arrays, schema=schema)


class Table:
    """One table of a run's results: iterate its rows (named tuples), or take it whole as
    Arrow (``to_arrow``) or pandas (``to_pandas``). Times are UTC datetimes."""

    def __init__(self, name: str, data: pa.Table):
        self.name = name
        self._data = data

    @property
    def columns(self) -> list[str]:
        """The column names, in order (``docs/results.md``)."""
        return list(self._data.column_names)

    def to_arrow(self) -> pa.Table:
        """The table as a ``pyarrow.Table`` (units and frames in each field's metadata)."""
        return self._data

    def to_pandas(self) -> pd.DataFrame:
        """The table as a ``pandas.DataFrame``; time columns are ``datetime64[us, UTC]``."""
        return self._data.to_pandas()

    def __len__(self) -> int:
        return self._data.num_rows

    def __iter__(self) -> Iterator[Any]:
        row = namedtuple(self.name.title().replace("_", ""), self.columns)  # type: ignore[misc]
        for values in zip(*(c.to_pylist() for c in self._data.columns), strict=True):
            yield row(*values)

    def __repr__(self) -> str:
        return f"<Table {self.name}: {len(self)} rows; {', '.join(self.columns)}>"


class Results:
    """Every table of a run (``docs/results.md``), each a ``Table`` attribute (all of them in
    ``tables``), with the run's warnings (their text, in order); ``raw`` is the engine's own
    ``ProgramResult`` (SI, TT seconds) of a fresh run, None for a run read from a folder."""

    runs: Table
    flights: Table
    events: Table
    maneuvers: Table
    crew_stays: Table
    station_states: Table
    consumables: Table
    trajectories: Table
    tracking: Table

    def __init__(self, tables: Mapping[str, pa.Table], warnings: Sequence[str] = (),
                 raw: ProgramResult | None = None):
        self.tables = {name: Table(name, tables[name]) for name in TABLES}
        for name, table in self.tables.items():
            if name not in ("tables", "warnings", "raw"):  # the store's warnings: ``warnings``
                setattr(self, name, table)
        self.warnings = list(warnings)
        self.raw = raw

    @classmethod
    def from_run(cls, result: ProgramResult, seed: int = 0, wall_s: float = 0.0) -> Results:
        """The tables of a fresh engine run (as ``stationsim run`` would store them)."""
        import datetime as dt

        from stationsim.results.tables import result_tables

        program: Any = result.program
        text = program.model_dump_json(warnings=False)
        run_row = {
            "program": getattr(program, "name", ""),
            "program_sha256": hashlib.sha256(text.encode()).hexdigest(),
            "seed": seed,
            "stationsim_version": __version__,
            "started_utc": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S"),
            "wall_s": wall_s,
            "tracking_updates": sum(len(d) for d in result.drifts.values()),
        }
        columns = result_tables(result, run_row)
        return cls({name: arrow_table(name, columns[name]) for name in TABLES},
                   result.warnings, result)

    @classmethod
    def from_folder(cls, run: str | os.PathLike,
                    runs_dir: str | os.PathLike = "runs") -> Results:
        """The tables of a run folder (a path, or a program name under ``runs_dir``)."""
        from stationsim.results.export.source import open_store, resolve_run

        with open_store(resolve_run(run, Path(runs_dir))) as con:
            tables = {name: arrow_table(name, con.cursor().sql(f"SELECT * FROM {name}")
                                        .to_arrow_table())
                      for name in TABLES}
        warnings = []
        stored = tables.get("warnings")  # where the store keeps them: their text, in order
        if stored is not None:
            ordered = stored.sort_by("seq") if "seq" in stored.column_names else stored
            warnings = [str(m) for m in ordered.column("message").to_pylist()]
        return cls(tables, warnings)

    def __repr__(self) -> str:
        return (f"<Results: {len(self.flights)} flights, {len(self.events)} events, "
                f"{len(self.warnings)} warnings>")
