"""Parquet files of every table of the results store, written by DuckDB's ``COPY``.

Column names and types are those of ``docs/results.md``: times are Parquet TIMESTAMP (UTC,
microseconds), quantities DOUBLE with the unit in the column name. The folder of tables is
replaced whole, so a killed export leaves the previous set or the new one.
"""

from __future__ import annotations

from pathlib import Path

from stationsim.results.atomic import replacing_folder
from stationsim.results.store import TABLES


def write_parquet(con, out_dir: Path) -> list[Path]:
    """One ``<table>.parquet`` per store table in ``out_dir``, the set written as one unit
    (``stationsim.results.atomic.replacing_folder``): never some tables new and some old."""
    with replacing_folder(out_dir) as staging:
        for table in TABLES:
            quoted = str(staging / f"{table}.parquet").replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {table}) TO '{quoted}' (FORMAT parquet)")
    return [out_dir / f"{table}.parquet" for table in TABLES]
