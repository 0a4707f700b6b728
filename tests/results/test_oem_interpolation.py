"""An OEM read by an independent reader stays within 1 km of the engine's orbit.

The reader is written here from CCSDS 502.0-B-3 (OEM 3.0): the KVN is parsed line by line and
the state at a time is the Lagrange polynomial of the declared INTERPOLATION_DEGREE through the
degree + 1 states of one segment nearest to it (the usual reader's window, e.g. Orekit's and
GMAT's). The truth is the engine's own station orbit: its samples every 480 s
(``runtime.orbit.samples()``) and, halfway between two, a sample carried 240 s on the same
gravity field without drag (drag moves it well under a metre in 240 s).
"""

from __future__ import annotations

import duckdb
import numpy as np
import pytest

from stationsim.astro.constants import KM
from stationsim.astro.propagate import Numerical
from stationsim.astro.time import Epoch
from stationsim.program.engine import simulate
from stationsim.results.export import export_run
from stationsim.results.export.source import epoch_from_utc
from stationsim.results.store import write_store
from stationsim.results.tables import result_tables
from stationsim.scenario import load_program

ONE_KM = 1000.0


def read_kvn_oem(text: str) -> list[dict]:
    """Segments of a KVN OEM: metadata keywords and (t_tt_s (N,), r_m (N, 3)) of the data."""
    segments, meta, data = [], None, []
    for line in text.splitlines():
        line = line.strip()
        if line == "META_START":
            if meta is not None:
                segments.append((meta, data))
            meta, data = {}, []
        elif line in ("META_STOP", "") or line.startswith("COMMENT"):
            continue
        elif meta is not None and "=" in line:
            key, value = (part.strip() for part in line.split("=", 1))
            meta[key] = value
        elif meta is not None:
            epoch, *numbers = line.split()
            data.append((epoch, [float(x) for x in numbers[:3]]))
    segments.append((meta, data))
    out = []
    for meta, data in segments:
        t_utc = np.array([e for e, _ in data], dtype="datetime64[us]")
        out.append({**meta, "t_tt_s": np.atleast_1d(epoch_from_utc(t_utc).tt_s),
                    "r_m": np.array([r for _, r in data]) * KM})
    return out


def lagrange(t_s: np.ndarray, r_m: np.ndarray, at_s: float, degree: int) -> np.ndarray:
    """Lagrange interpolation of degree ``degree`` through the states nearest ``at_s``."""
    n = min(degree + 1, t_s.size)
    first = int(np.clip(np.searchsorted(t_s, at_s) - n // 2, 0, t_s.size - n))
    x = t_s[first:first + n]
    weights = np.array([np.prod([(at_s - x[m]) / (x[j] - x[m]) for m in range(n) if m != j])
                        for j in range(n)])
    return weights @ r_m[first:first + n]


@pytest.fixture(scope="module")
def small_run(tmp_path_factory):
    result = simulate(load_program("example-small"))
    folder = tmp_path_factory.mktemp("runs") / "example-small"
    folder.mkdir()
    row = {"program": "example-small", "program_sha256": "", "seed": 0,
           "stationsim_version": "test", "started_utc": "2026-01-01T00:00:00", "wall_s": 0.0,
           "tracking_updates": 0}
    write_store(folder / "results.duckdb", result_tables(result, row))
    return result, folder


def test_a_readers_lagrange_stays_within_1_km_of_the_station_orbit(small_run, tmp_path):
    result, folder = small_run
    [station] = result.stations
    export_run(folder, "oem", out=tmp_path)
    segments = read_kvn_oem((tmp_path / f"{station}.oem").read_text())
    assert {s["INTERPOLATION"] for s in segments} == {"LAGRANGE"}
    degree = int(segments[0]["INTERPOLATION_DEGREE"])
    t_s, states = result.stations[station].orbit.samples()
    mid_s = t_s[:-1] + 240.0
    carried = np.array([Numerical(Epoch(t), s[:3], s[3:]).states(Epoch([t + 240.0]))[0][0]
                        for t, s in zip(t_s[:-1:7], states[:-1:7], strict=True)])
    checks = [(t_s, states[:, :3]), (mid_s[::7], carried)]
    errors = []
    for times, truth in checks:
        for at_s, r_m in zip(times, truth, strict=True):
            inside = [s for s in segments if s["t_tt_s"][0] <= at_s <= s["t_tt_s"][-1]]
            # no state between segments (a burn, an update) nor at 23:59:60 (datetime64 has none)
            if inside and Epoch(at_s).utc_fields()[5] < 60.0:
                errors.append(np.linalg.norm(
                    lagrange(inside[0]["t_tt_s"], inside[0]["r_m"], at_s, degree) - r_m))
    assert len(errors) > 0.95 * (t_s.size + mid_s[::7].size)
    assert max(errors) < ONE_KM
    # the same reader through the stored hourly samples alone (no dense grid): far off
    con = duckdb.connect(str(folder / "results.duckdb"), read_only=True)
    stored = con.execute("SELECT t_utc, x_m, y_m, z_m FROM trajectories WHERE object = ? "
                         "ORDER BY t_utc", [station]).fetchnumpy()
    con.close()
    stored_t_s = epoch_from_utc(np.asarray(stored["t_utc"], dtype="datetime64[us]")).tt_s
    stored_r_m = np.column_stack([stored[k] for k in ("x_m", "y_m", "z_m")])
    sparse = [np.linalg.norm(lagrange(stored_t_s, stored_r_m, at_s, degree) - r_m)
              for at_s, r_m in zip(mid_s[::7], carried, strict=True)]
    assert max(sparse) > 100 * ONE_KM


def test_a_docked_vehicles_oem_runs_from_insertion_to_its_deorbit(small_run, tmp_path):
    result, folder = small_run
    flight = next(f for f in result.flights if f.undock_s is not None and f.launch_s is not None)
    export_run(folder, "oem", flight=flight.flight, out=tmp_path)
    [path] = [p for p in tmp_path.iterdir() if p.suffix == ".oem"]
    segments = read_kvn_oem(path.read_text())
    assert all(s["t_tt_s"].size >= 2 for s in segments)  # each one interpolable
    assert all(np.all(np.diff(s["t_tt_s"]) <= 480.0 + 1e-6) for s in segments)
    first, last = segments[0]["t_tt_s"][0], segments[-1]["t_tt_s"][-1]
    assert flight.launch_s < first < flight.launch_s + 3600.0  # insertion: minutes after launch
    assert last > flight.undock_s
    if flight.land_s is not None:  # the deorbit burn, about an hour before landing
        assert flight.land_s - 3 * 3600.0 < last <= flight.land_s
