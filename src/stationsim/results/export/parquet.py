"""Parquet files of every table of the results store, written with pyarrow.

Column names are those of ``docs/results.md``. Times are Parquet TIMESTAMP(isAdjustedToUTC,
microseconds), read back as UTC-aware datetimes; each field's metadata gives its unit, frame
or time scale (``stationsim.results.dataset``). The folder of tables is replaced whole, so a
killed export leaves the previous set or the new one.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from stationsim.results.atomic import replacing_folder
from stationsim.results.dataset import arrow_table
from stationsim.results.store import TABLES


def write_parquet(con: duckdb.DuckDBPyConnection, out_dir: Path) -> list[Path]:
    """One ``<table>.parquet`` per store table in ``out_dir``, the set written as one unit
    (``stationsim.results.atomic.replacing_folder``): never some tables new and some old."""
    with replacing_folder(out_dir) as staging:
        for table in TABLES:
            data = arrow_table(table, con.cursor().sql(f"SELECT * FROM {table}").to_arrow_table())
            pq.write_table(data, staging / f"{table}.parquet")
    return [out_dir / f"{table}.parquet" for table in TABLES]
