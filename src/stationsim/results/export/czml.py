"""CZML (Cesium's time-dynamic scene format, CZML 1.0) of a run, via ``czml3``.

Positions are Earth-fixed (referenceFrame FIXED, metres, rounded to 0.1 m): the GCRF states of
the ``trajectories`` table, carried every 8 minutes on the engine's field between the jumps of
the state (``oem.dense``), then to a regular grid of ``step_s`` seconds (two-body from the
nearest of them, at most 4 minutes away: a few hundred metres in LEO), turned to ITRF by
``stationsim.astro.frames.gcrf_to_itrf_fast`` (UT1 = UTC and no polar motion: ~0.5 km
along-track and ~20 m, invisible on a globe). FIXED keeps the file self-sufficient: a viewer
needs no inertial-to-fixed tables of its own. Sample times are seconds of TT from each
interval's epoch, as Cesium's clock counts them.

Every object (station, vehicle in free flight) gets a point, a label and a trailing path; a
vehicle is shown over its free-flight pieces only, and a station's label lists the vehicles
docked to it over time (the docked intervals of the ``flights`` table). A scene with an object
beyond 100,000 km (a flight to the Moon) shows the Moon too, from DE421.
"""

from __future__ import annotations

import html
from collections.abc import Callable

import duckdb
import numpy as np
from czml3 import CZML_VERSION, Document, Packet
from czml3.enums import ClockRanges, ClockSteps, InterpolationAlgorithms, LabelStyles
from czml3.properties import (
    Clock,
    Color,
    Label,
    Path,
    Point,
    PolylineMaterial,
    Position,
    SolidColorMaterial,
)
from czml3.types import Cartesian2Value, IntervalValue, TimeInterval, TimeIntervalCollection

from stationsim.astro.ephemeris import moon_gcrf
from stationsim.astro.frames import gcrf_to_itrf_fast
from stationsim.astro.time import Epoch
from stationsim.results.export.oem import NO_BREAKS, dense, jumps
from stationsim.results.export.source import (
    Trajectory,
    check_flight,
    docked_intervals,
    load_trajectories,
    rows,
)

DEFAULT_STEP_S = 60.0
# ~44 bytes a position in the file: a whole-program scene stays under 16 MB (Shuttle-Mir's
# 4.4 years at 7 min), which a browser tab loads; Cesium's Lagrange degree 5 between samples
# 7 min apart adds under 2 km in LEO to the positions' own error (module doc).
MAX_POSITIONS = 350_000
MAX_FILE_POSITIONS = 10 * MAX_POSITIONS
"""Most positions an exported file may hold whatever the step asked (about 150 MB of CZML):
--step 1e-9 over example-small asked for 8.9e14 and failed allocating 6 PiB."""
POSITION_DECIMALS_M = 1
LAGRANGE_DEGREE = 5
TRAIL_S = 5400.0  # about one LEO revolution of path behind each object
MOON_SHOWN_M = 1.0e8  # a scene with an object this far out (100,000 km) shows the Moon
STATION_RGBA = [255, 214, 10, 255]
VEHICLE_RGBA = [[0, 200, 255, 255], [255, 80, 80, 255], [120, 255, 120, 255],
                [230, 130, 255, 255], [255, 160, 40, 255]]


def _moon(start: Epoch, stop: Epoch) -> Trajectory:
    """The Moon (DE421, :mod:`stationsim.astro.ephemeris`) sampled hourly over the scene."""
    at = Epoch(np.append(np.arange(start.tt_s - 3600.0, stop.tt_s, 3600.0), stop.tt_s + 3600.0))
    r_m, v_mps = moon_gcrf(at)
    t_utc = np.array([np.datetime64(text.rstrip("Z"), "us") for text in at.utc_iso(6)])
    return Trajectory("Moon", t_utc, np.asarray(at.tt_s), r_m, v_mps)


def _iso(t_utc: object) -> str:
    return str(np.datetime_as_string(np.asarray(t_utc, dtype="datetime64[us]"), unit="us")) + "Z"


def _grid_span(piece: Trajectory, start_tt_s: float, stop_tt_s: float,
               step_s: float) -> tuple[float, float, int]:
    """(first, last, number of points) of the piece's grid, counted before it is built."""
    lo = max(piece.t_tt_s[0], start_tt_s)
    hi = min(piece.t_tt_s[-1], stop_tt_s)
    if hi < lo:
        return lo, hi, 0
    steps = np.floor((hi - lo) / step_s)
    return lo, hi, int(min(steps, 2**62)) + 1 + int(lo + step_s * steps < hi - 1e-6)


def _count(pieces: dict[str, list[Trajectory]], start_tt_s: float, stop_tt_s: float,
           step_s: float) -> int:
    """Positions of a scene of ``pieces`` at ``step_s``."""
    spans = (_grid_span(p, start_tt_s, stop_tt_s, step_s)[2] for ps in pieces.values() for p in ps)
    return sum(n for n in spans if n >= 2)


def _grid(lo: float, hi: float, size: int, step_s: float) -> np.ndarray:
    grid = lo + step_s * np.arange(size)
    grid[-1] = min(grid[-1], hi)
    return grid


def fixed_samples(piece: Trajectory, grid_tt_s: np.ndarray) -> tuple[str, list[float]]:
    """(epoch as ISO UTC, [t_s, x_m, y_m, z_m, ...]) of ``piece`` in ITRF at ``grid_tt_s``."""
    at = Epoch(grid_tt_s)
    r_gcrf_m, _ = piece.states_at(at)
    r_itrf_m = gcrf_to_itrf_fast(r_gcrf_m, at)
    offsets_s = grid_tt_s - grid_tt_s[0]
    table = np.column_stack([offsets_s, np.round(r_itrf_m, POSITION_DECIMALS_M)])
    return Epoch(grid_tt_s[0]).utc_iso(6), table.ravel().tolist()


def _position(piece: Trajectory, grid_tt_s: np.ndarray) -> IntervalValue:
    epoch, samples = fixed_samples(piece, grid_tt_s)
    stop = Epoch(grid_tt_s[-1]).utc_iso(6)
    return IntervalValue(start=epoch, end=stop, value=Position(
        referenceFrame="FIXED", epoch=epoch, cartesian=samples,
        interpolationAlgorithm=InterpolationAlgorithms.LAGRANGE,
        interpolationDegree=LAGRANGE_DEGREE))


def _station_labels(name: str, dockings: list[dict], start: str,
                    stop: str) -> str | TimeIntervalCollection:
    """Label text over time: the station's name and the vehicles docked to it."""
    mine = [d for d in dockings if d["station"] == name]
    changes = sorted({start, stop} | {_iso(d["dock_utc"]) for d in mine}
                     | {_iso(d["undock_utc"]) for d in mine if d["undock_utc"] is not None})
    changes = [c for c in changes if start <= c <= stop]
    intervals = []
    for lo, hi in zip(changes[:-1], changes[1:], strict=True):
        aboard = [f"+ {d['flight']} ({d['port']})" for d in mine
                  if _iso(d["dock_utc"]) <= lo
                  and (d["undock_utc"] is None or _iso(d["undock_utc"]) > lo)]
        intervals.append(IntervalValue(start=lo, end=hi, value="\n".join([name, *aboard])))
    return TimeIntervalCollection(values=intervals) if intervals else name


def _description(flight: dict | None) -> str | None:
    if flight is None:
        return None
    cells = "".join(f"<tr><th>{html.escape(k)}</th><td>{html.escape(str(v))}</td></tr>"
                    for k, v in flight.items() if v is not None)
    return f"<table>{cells}</table>"


def czml_document(con: duckdb.DuckDBPyConnection, name: str, flight: str | None = None,
                  start_utc: str | None = None, stop_utc: str | None = None,
                  step_s: float | None = DEFAULT_STEP_S, with_clock: bool = True,
                  max_samples: int | None = None, check: Callable[[], None] | None = None,
                  progress: Callable[[int, int], None] | None = None) -> Document:
    """The CZML scene of a run (or of one flight and its station) between two UTC times.

    ``con``: an open store; ``name``: the document's name; ``start_utc``/``stop_utc``: ISO UTC
    limits (default: the trajectories' span, or the flight's for ``flight``); ``step_s``: the
    sample spacing, None for the smallest multiple of DEFAULT_STEP_S that keeps the scene
    within MAX_POSITIONS (a whole multi-year program stays a file a browser opens);
    ``with_clock``: False leaves the viewer's clock alone (the dashboard loads a window at a
    time). ``max_samples``: ValueError, before any position is computed, when the
    scene would hold more positions; ``check``: called between objects, it may raise to stop
    the work (the dashboard's time limit and a client gone); ``progress``: called with the
    positions done and the total as the work goes. Raises StationsimError for an unknown
    flight.
    """
    if step_s is not None and not 0.0 < step_s < np.inf:
        raise ValueError(f"step_s must be a finite number of seconds > 0, got {step_s!r}")
    check = check or (lambda: None)
    flights = {r["flight"]: r for r in rows(con, "SELECT * FROM flights")}
    dockings = docked_intervals(con)
    objects = None
    if flight is not None:
        check_flight(con, flight)
        objects = [flight] + [s for s in {flights[flight]["station"]} if s is not None]
    window = [None if t is None else Epoch.from_utc_iso(t).utc_iso(6).rstrip("Z")
              for t in (start_utc, stop_utc)]
    trajectories = load_trajectories(con, objects, *window)
    if not trajectories:
        raise ValueError(f"no trajectory samples for {flight or name!r} in the store")
    first = min(t.t_utc[0] for t in trajectories.values())
    last = max(t.t_utc[-1] for t in trajectories.values())
    if flight is not None:  # from launch to landing (or undocking), where the table says
        row = flights[flight]
        first = row["launch_utc"] or first
        last = row["land_utc"] or row["undock_utc"] or last
    start = Epoch.from_utc_iso(start_utc) if start_utc else Epoch.from_utc_iso(_iso(first))
    stop = Epoch.from_utc_iso(stop_utc) if stop_utc else Epoch.from_utc_iso(_iso(last))
    if stop.tt_s <= start.tt_s:
        raise ValueError(f"stop_utc {stop.utc_iso()} must be after start_utc {start.utc_iso()}")
    farthest_m = max(float(np.linalg.norm(t.r_m, axis=1).max()) for t in trajectories.values())
    if farthest_m > MOON_SHOWN_M:
        trajectories["Moon"] = _moon(start, stop)
    span = TimeInterval(start=start.utc_iso(6), end=stop.utc_iso(6))
    clock = Clock(interval=span, currentTime=start.utc_iso(6), multiplier=60,
                  range=ClockRanges.LOOP_STOP, step=ClockSteps.SYSTEM_CLOCK_MULTIPLIER)
    packets = [Packet(id="document", name=name, version=CZML_VERSION,
                      clock=clock if with_clock else None)]
    pieces: dict[str, list[Trajectory]] = {}
    breaks = jumps(con)
    for object_name, trajectory in trajectories.items():
        flown = flights.get(object_name)
        docked = [] if flown is None or flown["dock_utc"] is None else [
            (flown["dock_utc"], flown["undock_utc"])]
        pieces[object_name] = [d for piece in trajectory.outside(docked)
                               for d in dense(piece, breaks.get(object_name, NO_BREAKS))]
    if step_s is None:
        count = _count(pieces, start.tt_s, stop.tt_s, DEFAULT_STEP_S)
        step_s = DEFAULT_STEP_S * max(int(np.ceil(count / MAX_POSITIONS)), 1)
    grids = {object_name: [(piece, extent) for piece in object_pieces
                           if (extent := _grid_span(piece, start.tt_s, stop.tt_s, step_s))[2] >= 2]
             for object_name, object_pieces in pieces.items()}
    count = sum(extent[2] for object_pieces in grids.values() for _, extent in object_pieces)
    if max_samples is not None and count > max_samples:
        raise ValueError(f"the scene would hold {count} positions, at most {max_samples}: "
                         "shorten start..stop or lengthen step_s")
    done = 0
    vehicle_index = 0
    for object_name, grid_pieces in grids.items():
        flown = flights.get(object_name)
        intervals = []
        for piece, (lo, hi, size) in grid_pieces:
            check()
            intervals.append(_position(piece, _grid(lo, hi, size, step_s)))
            done += size
            if progress is not None:
                progress(done, count)
        if not intervals:
            continue
        label: str | TimeIntervalCollection
        if flown is None:
            rgba, label = STATION_RGBA, _station_labels(
                object_name, dockings, str(intervals[0].start), str(intervals[-1].end))
        else:
            rgba, label = VEHICLE_RGBA[vehicle_index % len(VEHICLE_RGBA)], object_name
            vehicle_index += 1
        packets.append(Packet(
            id=object_name, name=object_name, description=_description(flown),
            availability=TimeIntervalCollection(values=[
                TimeInterval(start=i.start, end=i.end) for i in intervals]),
            position=TimeIntervalCollection(values=intervals),
            point=Point(pixelSize=9 if flown is None else 7, color=Color(rgba=rgba),
                        outlineColor=Color(rgba=[0, 0, 0, 255]), outlineWidth=1),
            label=Label(text=label, font="13px sans-serif", style=LabelStyles.FILL_AND_OUTLINE,
                        fillColor=Color(rgba=rgba), outlineColor=Color(rgba=[0, 0, 0, 255]),
                        outlineWidth=2, pixelOffset=Cartesian2Value(values=[12, 0])),
            path=Path(leadTime=0, trailTime=TRAIL_S, width=1.5, resolution=step_s,
                      material=PolylineMaterial(solidColor=SolidColorMaterial(
                          color=Color(rgba=[*rgba[:3], 160])))),
        ))
    return Document(packets=packets)


def read_fixed_samples(document: Document) -> dict[str, list[tuple[str, np.ndarray]]]:
    """Object id -> [(epoch ISO UTC, (N, 4) rows of t_s, x_m, y_m, z_m)] of a CZML document."""
    out: dict[str, list[tuple[str, np.ndarray]]] = {}
    for packet in document.packets[1:]:
        if packet.position is None:
            continue
        for interval in getattr(packet.position, "values", []):
            position = interval.value
            if isinstance(position, dict):  # as read back from a file
                position = Position.model_validate(position)
            values = position.cartesian.values
            out.setdefault(packet.id, []).append(
                (position.epoch, np.asarray(values, dtype=float).reshape(-1, 4)))
    return out
