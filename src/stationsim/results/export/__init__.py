"""Standard exports of a run: CCSDS OEM/OPM (KVN and XML), CZML and Parquet (``docs/exports.md``).

>>> export_run("runs/shuttle-mir", "oem")  # doctest: +SKIP
[PosixPath('runs/shuttle-mir/exports/mir.oem'), PosixPath('runs/shuttle-mir/exports/mir.oem.xml')]
"""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import partial
from pathlib import Path

import duckdb

from stationsim import __version__
from stationsim.errors import StationsimError
from stationsim.results.atomic import (
    clean_stale,
    folder_lock,
    storage_errors,
    write_text_atomic,
)
from stationsim.results.export.source import (
    DEFAULT_RUNS_DIR,
    check_flight,
    load_trajectories,
    open_store,
    resolve_run,
    slug,
)

FORMATS = ("oem", "opm", "czml", "parquet")
EXPORTS_DIR = "exports"


def export_run(run: str | os.PathLike, fmt: str, flight: str | None = None,
               out: str | os.PathLike | None = None,
               runs_dir: str | os.PathLike = DEFAULT_RUNS_DIR, start_utc: str | None = None,
               stop_utc: str | None = None, step_s: float | None = None,
               progress: Callable[[int, int], None] | None = None) -> list[Path]:
    """Export the run ``run`` (a run folder or a program name under ``runs_dir``) as ``fmt``.

    Files go to ``<run folder>/exports/`` unless ``out`` is given; ``flight`` limits OEM, OPM
    and CZML to that flight's vehicle (CZML adds its station). ``start_utc``, ``stop_utc``
    (ISO UTC) and ``step_s`` (None: chosen to keep the file small) shape a CZML scene;
    ``progress`` hears the work done and its total (CZML positions, OEM/OPM objects).
    Returns the paths written. Raises StationsimError for an unknown run, flight or format,
    RunFolderBusy while a run is writing the folder (for files going inside it), StorageError
    when the disk refuses them.
    """
    if fmt not in FORMATS:
        raise StationsimError(f"unknown export format {fmt!r}; choose one of {', '.join(FORMATS)}")
    folder = resolve_run(run, runs_dir)
    out_dir = Path(out) if out is not None else folder / EXPORTS_DIR
    # Files inside the run folder would be lost to a run replacing it meanwhile: hold the run
    # folder's lock then, else that of the folder written (another export may be at work).
    inside = out_dir.absolute().is_relative_to(folder.absolute())
    with storage_errors(out_dir), folder_lock(folder if inside else out_dir), \
            open_store(folder) as con:
        clean_stale(out_dir)
        program = (con.execute("SELECT program FROM runs").fetchone() or [folder.name])[0]
        if fmt != "czml" and (start_utc, stop_utc, step_s) != (None, None, None):
            raise StationsimError("--from, --to and --step apply to czml only")
        if flight is not None:
            if fmt == "parquet":
                raise StationsimError("--flight applies to oem, opm and czml; parquet exports "
                                      "every table whole")
            check_flight(con, flight)
        comment = [f"stationsim {__version__}, program {program}"]
        if fmt == "parquet":
            from stationsim.results.export.parquet import write_parquet

            return write_parquet(con, out_dir / "parquet")
        if fmt == "czml":
            from stationsim.results.export.czml import MAX_FILE_POSITIONS, czml_document

            document = czml_document(con, program, flight=flight, start_utc=start_utc,
                                     stop_utc=stop_utc, step_s=step_s,
                                     max_samples=MAX_FILE_POSITIONS, progress=progress)
            name = slug(flight or program)
            return [write_text_atomic(out_dir / f"{name}.czml", document.dumps())]
        return _write_ndm(con, fmt, flight, out_dir, comment, progress)


def _write_ndm(con: duckdb.DuckDBPyConnection, fmt: str, flight: str | None, out_dir: Path,
               comment: list[str],
               progress: Callable[[int, int], None] | None = None) -> list[Path]:
    from stationsim.results.export.ccsds import oem_text, opm_text
    from stationsim.results.export.oem import oem_segments

    objects = [flight] if flight is not None else None
    written: list[Path] = []

    def write(name: str, text: Callable[[str], str], total: int) -> None:
        for encoding, suffix in (("kvn", ""), ("xml", ".xml")):
            written.append(write_text_atomic(out_dir / f"{slug(name)}.{fmt}{suffix}",
                                             text(encoding)))
        if progress is not None:
            progress(len(written) // 2, total)

    if fmt == "oem":
        segments = oem_segments(con, objects)
        for name, pieces in segments.items():
            write(name, partial(oem_text, pieces, comment=comment), len(segments))
    else:
        trajectories = load_trajectories(con, objects)
        for name, trajectory in trajectories.items():
            write(name, partial(opm_text, trajectory, comment=comment), len(trajectories))
    if not written:
        raise StationsimError(f"no trajectory samples for {flight or 'any object'} in this run")
    return written
