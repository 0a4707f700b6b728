"""Reading a run folder for exports and the dashboard: find it, open its store, load trajectories.

A run folder is ``runs/<program>/`` holding ``results.duckdb`` (see ``docs/results.md``),
``report.html`` and ``manifest.json`` (``stationsim.results.run_folder``). Listing never
follows a symbolic link: a link in the runs folder, or a store or report that is one, is not a
run. Trajectories are the GCRF samples of the ``trajectories`` table; between two
samples a state is the two-body propagation of the nearest sample (``propagate_kepler``), which
ignores J2 and drag: about 10 km after 30 min in LEO, far below what a globe shows.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import numpy as np

from stationsim.astro.kepler import propagate_kepler
from stationsim.astro.time import Epoch
from stationsim.errors import StationsimError, StorageError

STORE_NAME = "results.duckdb"
REPORT_NAME = "report.html"
MANIFEST_NAME = "manifest.json"
DEFAULT_RUNS_DIR = Path("runs")


def resolve_run(run: str | os.PathLike, runs_dir: str | os.PathLike = DEFAULT_RUNS_DIR) -> Path:
    """The run folder named by ``run``: a folder path, or a program name under ``runs_dir``."""
    places = list(dict.fromkeys((Path(run), Path(runs_dir) / str(run))))  # one if absolute
    for folder in places:
        if (folder / STORE_NAME).is_file():
            return folder
    known = ", ".join(list_runs(runs_dir)) or "none"
    looked = " nor ".join(f"{folder / STORE_NAME}" for folder in places)
    raise StationsimError(
        f"no run {str(run)!r}: no file {looked} (expected a run folder; runs in {runs_dir}: "
        f"{known}); run 'stationsim run NAME' first")


def list_runs(runs_dir: str | os.PathLike = DEFAULT_RUNS_DIR) -> list[str]:
    """Names of the run folders under ``runs_dir`` (those holding a results store), sorted;
    hidden names (a run being written) and symbolic links are left out (module doc)."""
    folder = Path(runs_dir)
    if not folder.is_dir():
        return []
    return sorted(entry.name for entry in os.scandir(folder) if is_run_folder(entry.path))


def is_run_folder(path: str | os.PathLike) -> bool:
    """True for a real folder (no symbolic link) with a real results store, not hidden."""
    path = Path(path)
    if path.name.startswith(".") or path.is_symlink() or not path.is_dir():
        return False
    store = path / STORE_NAME
    return store.is_file() and not store.is_symlink()


# Errors of a damaged store or of a file that is not a results store (not of a wrong query).
_UNREADABLE = (duckdb.IOException, duckdb.SerializationException, duckdb.CatalogException)


@contextlib.contextmanager
def open_store(folder: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only DuckDB connection to the run folder's store, closed on exit.

    A damaged store (or a file that is not one), found on opening or by a query in the block,
    raises StorageError naming the file.
    """
    path = Path(folder) / STORE_NAME
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error as exc:
        raise unreadable(path, exc) from None
    try:
        yield con
    except duckdb.Error as exc:
        if isinstance(exc, _UNREADABLE) or type(exc) is duckdb.Error:
            raise unreadable(path, exc) from None
        raise
    finally:
        con.close()


def unreadable(path: Path, exc: Exception) -> StorageError:
    """The error for a store that cannot be read."""
    return StorageError(f"{path}: the results store cannot be read ({exc}); it is damaged or "
                        "not a stationsim store: run the program again")


def run_summary(con: duckdb.DuckDBPyConnection) -> dict:
    """Program, seed, version, span of the run and its stations and flights (times ISO UTC)."""
    names = [d[0] for d in con.execute("SELECT * FROM runs LIMIT 0").description]
    run = con.execute("SELECT * FROM runs LIMIT 1").fetchone()
    start, stop = con.execute(
        "SELECT min(t), max(t) FROM (SELECT t_utc AS t FROM station_states UNION ALL "
        "SELECT t_utc FROM trajectories UNION ALL SELECT t_utc FROM events)").fetchone() or (
        None, None)
    stations = [r[0] for r in con.execute(
        "SELECT DISTINCT station FROM station_states ORDER BY station").fetchall()]
    return {**({k: iso_utc(v) for k, v in zip(names, run, strict=True)} if run else {}),
            "start_utc": iso_utc(start), "stop_utc": iso_utc(stop), "stations": stations,
            "flights": flight_names(con)}


def iso_utc(value: Any) -> Any:
    """ISO UTC text with 'Z' for a datetime (naive ones are UTC, as the store keeps them);
    anything else as it is."""
    if hasattr(value, "strftime"):
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return value


def rows(con: duckdb.DuckDBPyConnection, sql: str,
         parameters: Sequence[Any] = ()) -> list[dict]:
    """The result of ``sql`` as a list of column -> value dicts."""
    cursor = con.execute(sql, list(parameters))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def slug(name: str) -> str:
    """A file-name-safe lower-case form of an object name ('Soyuz TM-21' -> 'soyuz-tm-21')."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "object"


def epoch_from_utc(t_utc: np.ndarray) -> Epoch:
    """Epoch of UTC ``datetime64`` values (any resolution; read as microseconds)."""
    t = np.asarray(t_utc, dtype="datetime64[us]")
    days = t.astype("datetime64[D]")
    months = t.astype("datetime64[M]")
    second_of_day = (t - days).astype(np.int64) / 1e6
    return Epoch.from_utc(
        t.astype("datetime64[Y]").astype(np.int64) + 1970,
        months.astype(np.int64) % 12 + 1,
        (days - months.astype("datetime64[D]")).astype(np.int64) + 1,
        second_of_day // 3600.0,
        (second_of_day % 3600.0) // 60.0,
        second_of_day % 60.0,
    )


@dataclass(frozen=True)
class Trajectory:
    """Time-ordered GCRF samples of one object: ``t_utc`` (N,) datetime64[us], ``r_m``,
    ``v_mps`` (N, 3), and ``t_tt_s`` (N,) the same instants as TT seconds since J2000."""

    object: str
    t_utc: np.ndarray
    t_tt_s: np.ndarray
    r_m: np.ndarray
    v_mps: np.ndarray

    def __len__(self) -> int:
        return int(self.t_utc.size)

    def _take(self, index: Any) -> Trajectory:
        return Trajectory(self.object, self.t_utc[index], self.t_tt_s[index], self.r_m[index],
                          self.v_mps[index])

    def between(self, start_utc: Any, stop_utc: Any) -> Trajectory:
        """The samples with ``start_utc <= t_utc <= stop_utc``."""
        return self._take((self.t_utc >= np.datetime64(start_utc, "us"))
                          & (self.t_utc <= np.datetime64(stop_utc, "us")))

    def outside(self, intervals_utc: Sequence[tuple[Any, Any]]) -> list[Trajectory]:
        """Pieces of the samples outside every open interval (start, stop) of ``intervals_utc``
        (stop None: open-ended), cut wherever such an interval lies between two samples."""
        bounds = [(np.datetime64(start, "us"),
                   np.datetime64(stop if stop is not None else "9999-12-31", "us"))
                  for start, stop in intervals_utc]
        keep = np.ones(len(self), dtype=bool)
        for lo, hi in bounds:
            keep &= ~((self.t_utc > lo) & (self.t_utc < hi))
        index = np.flatnonzero(keep)
        if index.size == 0:
            return []
        t = self.t_utc[index]
        cut = np.zeros(index.size - 1, dtype=bool)
        for lo, hi in bounds:
            cut |= (t[:-1] < hi) & (t[1:] > lo)
        return [self._take(piece) for piece in np.split(index, np.flatnonzero(cut) + 1)]

    def states_at(self, at: Epoch) -> tuple[np.ndarray, np.ndarray]:
        """GCRF (r_m, v_mps) at ``at``: two-body from the nearest sample in time (see module)."""
        at_tt_s = np.atleast_1d(np.asarray(at.tt_s, dtype=float))
        after = np.clip(np.searchsorted(self.t_tt_s, at_tt_s), 1, len(self) - 1)
        before = after - 1
        nearest = np.where(np.abs(self.t_tt_s[after] - at_tt_s)
                           < np.abs(at_tt_s - self.t_tt_s[before]), after, before)
        if len(self) == 1:
            nearest = np.zeros_like(at_tt_s, dtype=np.int64)
        dt_s = at_tt_s - self.t_tt_s[nearest]
        return propagate_kepler(self.r_m[nearest], self.v_mps[nearest], dt_s)


def load_trajectories(con: duckdb.DuckDBPyConnection, objects: list[str] | None = None,
                      start_utc: Any = None, stop_utc: Any = None) -> dict[str, Trajectory]:
    """Every object's trajectory (or only ``objects``), in the order the objects first appear.

    With ``start_utc``/``stop_utc`` (datetime or ISO text) only the samples between them are
    read, and the last sample before and the first after, which carry the states to the ends.
    """
    clauses, parameters = [], []
    if objects is not None:
        clauses.append(f"object IN ({', '.join('?' for _ in objects)})")
        parameters += list(objects)
    source = "trajectories"
    if start_utc is not None or stop_utc is not None:
        lo = "TIMESTAMP '-infinity'" if start_utc is None else "CAST(? AS TIMESTAMP)"
        hi = "TIMESTAMP 'infinity'" if stop_utc is None else "CAST(? AS TIMESTAMP)"
        source = (
            "trajectories JOIN (SELECT object, coalesce(max(t_utc) FILTER (WHERE t_utc <= "
            f"{lo}), min(t_utc)) AS lo, coalesce(min(t_utc) FILTER (WHERE t_utc >= {hi}), "
            "max(t_utc)) AS hi FROM trajectories GROUP BY object) USING (object)")
        parameters = [_sql_time(t) for t in (start_utc, stop_utc) if t is not None] + parameters
        clauses.append("t_utc BETWEEN lo AND hi")
    where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
    table = con.execute(
        "SELECT object, t_utc, x_m, y_m, z_m, vx_mps, vy_mps, vz_mps FROM "
        f"{source} {where} ORDER BY object, t_utc", parameters).fetchnumpy()
    out: dict[str, Trajectory] = {}
    names = np.asarray(table["object"], dtype=object)
    if names.size == 0:
        return out
    t_utc = np.asarray(table["t_utc"], dtype="datetime64[us]")
    t_tt_s = np.atleast_1d(epoch_from_utc(t_utc).tt_s)
    r_m = np.column_stack([table[k] for k in ("x_m", "y_m", "z_m")]).astype(float)
    v_mps = np.column_stack([table[k] for k in ("vx_mps", "vy_mps", "vz_mps")]).astype(float)
    # ordered by object: each object's rows are one run, from its first row to the next's
    bounds = [0, *(np.flatnonzero(names[1:] != names[:-1]) + 1).tolist(), names.size]
    runs = sorted(zip(bounds[:-1], bounds[1:], strict=True), key=lambda run: t_utc[run[0]])
    for start, stop in runs:
        name = names[start]
        out[name] = Trajectory(name, t_utc[start:stop], t_tt_s[start:stop], r_m[start:stop],
                               v_mps[start:stop])
    return out


def _sql_time(value: Any) -> str:
    """ISO UTC text without zone for a datetime or ISO text (as the store keeps times)."""
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(np.datetime64(str(value).strip().rstrip("Z"), "us"))


def flight_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The flights of the run, in launch order."""
    return [r[0] for r in con.execute(
        "SELECT flight FROM flights ORDER BY launch_utc NULLS LAST, flight").fetchall()]


def check_flight(con: duckdb.DuckDBPyConnection, flight: str) -> None:
    """Raise StationsimError if ``flight`` is not a flight of the run, listing those that are."""
    names = flight_names(con)
    if flight not in names:
        shown = ", ".join(names[:20]) + (" ..." if len(names) > 20 else "")
        raise StationsimError(f"no flight {flight!r} in this run; its flights: {shown or 'none'}")


def docked_intervals(con: duckdb.DuckDBPyConnection,
                     flight: str | None = None) -> list[dict]:
    """Rows (flight, station, port, dock_utc, undock_utc) of flights that docked, by dock time."""
    where = "WHERE dock_utc IS NOT NULL" + (" AND flight = ?" if flight is not None else "")
    return rows(con, "SELECT flight, station, port, dock_utc, undock_utc FROM flights "
                     f"{where} ORDER BY dock_utc", [flight] if flight is not None else [])
