"""Parquet files of every table of the results store, written by DuckDB's ``COPY``.

Column names and types are those of ``docs/results.md``: times are Parquet TIMESTAMP (UTC,
microseconds), quantities DOUBLE with the unit in the column name.
"""

from __future__ import annotations

from pathlib import Path

from stationsim.results.atomic import replacing
from stationsim.results.store import TABLES


def write_parquet(con, out_dir: Path) -> list[Path]:
    """One ``<table>.parquet`` per store table in ``out_dir``, each written atomically."""
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for table in TABLES:
        target = out_dir / f"{table}.parquet"
        with replacing(target) as temporary:
            quoted = str(temporary).replace("'", "''")
            con.execute(f"COPY (SELECT * FROM {table}) TO '{quoted}' (FORMAT parquet)")
        written.append(target)
    return written
