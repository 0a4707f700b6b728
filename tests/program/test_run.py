"""`stationsim run`: the run folder, determinism, and a killed run leaving the last one intact."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import duckdb

from stationsim.cli import main
from stationsim.results.store import table_digest

RUN = [sys.executable, "-c", "import sys; from stationsim.cli import main; sys.exit(main())"]


def test_run_writes_store_and_report_and_is_deterministic(tmp_path, capsys):
    first, second = tmp_path / "a", tmp_path / "b"
    assert main(["run", "example-small", "--out", str(first)]) == 0
    assert main(["run", "example-small", "--out", str(second), "--seed", "19951112"]) == 0
    out = capsys.readouterr().out
    assert "run summary" in out and "dockings" in out
    assert table_digest(first / "results.duckdb") == table_digest(second / "results.duckdb")
    html = (first / "report.html").read_text(encoding="utf-8")
    assert "Port occupancy" in html and "plotly" in html.lower()
    # example-small has tracking: model minus tracking is plotted, with what it means
    assert "Model minus tracking" in html and "just before the update is adopted" in html
    con = duckdb.connect(str(first / "results.duckdb"), read_only=True)
    ports = dict(con.execute("SELECT flight, port FROM flights").fetchall())
    con.close()
    # example-small's inputs: STS-74 docks at the Docking Module it brings, TM-23 at Kvant-1 aft
    assert ports["STS-74"] == "mir-docking-module.forward"
    assert ports["Soyuz TM-23"] == "kvant-1.aft"


def test_report_fetches_nothing(tmp_path):
    assert main(["run", "example-small", "--out", str(tmp_path)]) == 0
    html = (tmp_path / "report.html").read_text(encoding="utf-8")
    assert "<script src=" not in html  # plotly is embedded, not loaded from a CDN


def test_killed_run_leaves_the_previous_results_intact(tmp_path):
    folder = tmp_path / "run"
    subprocess.run([*RUN, "run", "example-small", "--out", str(folder)], check=True,
                   capture_output=True)
    before = table_digest(folder / "results.duckdb")
    report_before = (folder / "report.html").read_bytes()
    child = subprocess.Popen([*RUN, "run", "shuttle-mir", "--out", str(folder)],
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(4.0)  # well inside the simulation, before anything is written
    os.kill(child.pid, signal.SIGKILL)
    child.wait()
    assert table_digest(folder / "results.duckdb") == before
    assert (folder / "report.html").read_bytes() == report_before
    assert sorted(p.name for p in folder.iterdir()) == [
        "manifest.json", "report.html", "results.duckdb"]


def test_bad_program_is_one_line_and_exit_2(tmp_path, capsys):
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nspan: {start_utc: 1995-01-01T00:00:00Z}\n", encoding="utf-8")
    assert main(["run", str(broken)]) == 2
    assert main(["run", "no-such-program"]) == 2
    err = capsys.readouterr().err
    assert "broken.yaml:2:" in err and "Traceback" not in err
    assert not (tmp_path / "runs").exists()


def test_visiting_vehicle_track_ends_at_the_station(tmp_path):
    # The stored path of STS-74 (two-body + J2 secular between its planned burns) must end
    # beside Mir: the planner aims at a point a few km from the station and docks ~5 min after
    # the last sample, so 50 km bounds the drift of the planning model from the numerical
    # station orbit over three days.
    import numpy as np

    from stationsim.astro.kepler import propagate_kepler

    assert main(["run", "example-small", "--out", str(tmp_path)]) == 0
    con = duckdb.connect(str(tmp_path / "results.duckdb"), read_only=True)
    last = con.execute(
        "SELECT epoch_us(t_utc), x_m, y_m, z_m FROM trajectories WHERE object = 'STS-74' "
        "ORDER BY t_utc DESC LIMIT 1").fetchone()
    near = con.execute(
        "SELECT epoch_us(t_utc), x_m, y_m, z_m, vx_mps, vy_mps, vz_mps FROM trajectories "
        f"WHERE object = 'mir' AND epoch_us(t_utc) <= {last[0]} ORDER BY t_utc DESC LIMIT 1"
    ).fetchone()
    con.close()
    station_r, _ = propagate_kepler(np.array(near[1:4]), np.array(near[4:7]),
                                    (last[0] - near[0]) / 1e6)
    assert np.linalg.norm(np.array(last[1:4]) - station_r) < 50e3
