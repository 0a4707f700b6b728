"""Exports of a run: CCSDS OEM/OPM (KVN, XML), CZML and Parquet read back to the same states.

The reference is the synthetic run of ``tests/web/synthetic_run.py``: exact two-body states
(``TwoBody``) sampled every minute. Each file is read back with the library that wrote it
(ccsds-ndm, czml3) or an independent reader (pyarrow for Parquet) and compared with the store
within the file's stated precision.
"""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pytest
from web.synthetic_run import FLIGHTS, STATION, VEHICLES, write_synthetic_run

from stationsim.astro.frames import gcrf_to_itrf
from stationsim.astro.time import Epoch
from stationsim.cli import main
from stationsim.errors import StationsimError, StorageError
from stationsim.results import export as export_package
from stationsim.results.export import export_run
from stationsim.results.export.ccsds import read_states
from stationsim.results.export.czml import read_fixed_samples
from stationsim.results.store import TABLES

# File precision: positions rounded to 1e-6 km and velocities to 1e-9 km/s (CCSDS), 0.1 m (CZML)
HALF_MM = 0.5e-3 + 1e-6
HALF_UMPS = 0.5e-6 + 1e-9
# CZML: 0.1 m rounding, and the fast Earth-fixed rotation's 5 cm (tests/astro/test_frames.py)
CZML_HALF_STEP_M = np.sqrt(3) * 0.05 + 0.05 + 1e-3


@pytest.fixture(scope="module")
def run_folder(tmp_path_factory):
    return write_synthetic_run(tmp_path_factory.mktemp("runs") / "synthetic")


def store_states(folder, name):
    con = duckdb.connect(str(folder / "results.duckdb"), read_only=True)
    try:
        table = con.execute("SELECT t_utc, x_m, y_m, z_m, vx_mps, vy_mps, vz_mps FROM "
                            "trajectories WHERE object = ? ORDER BY t_utc", [name]).fetchnumpy()
    finally:
        con.close()
    t = np.asarray(table["t_utc"], dtype="datetime64[us]")
    r = np.column_stack([table[k] for k in ("x_m", "y_m", "z_m")])
    v = np.column_stack([table[k] for k in ("vx_mps", "vy_mps", "vz_mps")])
    return t, r, v


@pytest.fixture(scope="module")
def oem_dir(run_folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("oem")
    written = export_run(run_folder, "oem", out=out)
    assert sorted(p.name for p in written) == sorted(
        f"{n}.oem{s}" for n in ("mir", "soyuz-tm-21", "sts-71") for s in ("", ".xml"))
    return out


@pytest.mark.parametrize("suffix", ["", ".xml"])
def test_oem_reads_back_to_the_stored_states(run_folder, oem_dir, suffix):
    for name, file in (("mir", "mir"), ("Soyuz TM-21", "soyuz-tm-21")):
        text = (oem_dir / f"{file}.oem{suffix}").read_text()
        assert "GCRF" in text and "UTC" in text and "EARTH" in text
        segments = read_states(text)
        t_ref, r_ref, v_ref = store_states(run_folder, name)
        own = [s for s in segments if s[1][0] < t_ref[-1] and s[1][-1] > t_ref[0]]
        if name != "mir":  # the Soyuz's own samples, cut at the dock (the docked part below)
            own = [own[0], own[-1]]
        t = np.concatenate([s[1] for s in own])
        np.testing.assert_array_equal(t, t_ref)  # 1-min samples: no state is added
        assert np.abs(np.concatenate([s[2] for s in own]) - r_ref).max() <= HALF_MM
        assert np.abs(np.concatenate([s[3] for s in own]) - v_ref).max() <= HALF_UMPS
    # The Soyuz flies free before docking and after undocking, with the station between.
    soyuz = read_states((oem_dir / f"soyuz-tm-21.oem{suffix}").read_text())
    launch, dock, _, undock, land, _ = FLIGHTS["Soyuz TM-21"]
    assert [(str(s[1][0]), str(s[1][-1])) for s in soyuz] == [
        (launch + ".000000", dock + ".000000"), (dock + ".000000", undock + ".000000"),
        (undock + ".000000", land + ".000000")]
    t_mir, r_mir, _ = store_states(run_folder, "mir")
    docked = (t_mir >= soyuz[1][1][0]) & (t_mir <= soyuz[1][1][-1])
    assert np.abs(soyuz[1][2] - r_mir[docked]).max() <= HALF_MM


@pytest.mark.parametrize("suffix", ["", ".xml"])
def test_opm_holds_the_first_state_in_km(run_folder, tmp_path, suffix):
    export_run(run_folder, "opm", flight="STS-71", out=tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["sts-71.opm", "sts-71.opm.xml"]
    [(name, t, r, v)] = read_states((tmp_path / f"sts-71.opm{suffix}").read_text())
    assert name == "STS-71" and str(t[0]) == FLIGHTS["STS-71"][0] + ".000000"
    # Independent reference: the two-body orbit the synthetic run was sampled from.
    r_ref, v_ref = VEHICLES["STS-71"].states(Epoch.from_utc_iso(FLIGHTS["STS-71"][0]))
    assert np.abs(r[0] - r_ref).max() <= HALF_MM + 1e-6
    assert np.abs(v[0] - v_ref).max() <= HALF_UMPS + 1e-9


def test_czml_reads_back_to_the_fixed_frame_states(run_folder, tmp_path):
    from czml3 import Document

    [path] = export_run(run_folder, "czml", out=tmp_path)
    document = Document.load(path)
    samples = read_fixed_samples(document)
    assert set(samples) == {"mir", "Soyuz TM-21", "STS-71"}
    for name, truth in (("mir", STATION), ("STS-71", VEHICLES["STS-71"])):
        for epoch_text, table in samples[name]:
            at = Epoch.from_utc_iso(epoch_text) + table[:, 0]
            r_gcrf_m, v_gcrf_mps = truth.states(at)
            r_itrf_m, _ = gcrf_to_itrf(r_gcrf_m, v_gcrf_mps, at)
            assert np.linalg.norm(table[:, 1:] - r_itrf_m, axis=1).max() <= CZML_HALF_STEP_M
    # 60 s apart by default for a short run
    assert np.all(np.diff(samples["mir"][0][1][:-1, 0]) == 60.0)
    # A vehicle is drawn in free flight only; the docked interval is on the station's label.
    packets = {p.id: p for p in document.packets}
    launch, dock, port, undock, land, _ = FLIGHTS["STS-71"]
    assert [(i.start[:19], i.end[:19]) for i in packets["STS-71"].availability.values] == [
        (launch, dock), (undock, land)]
    labels = {i.start[:19]: i.value for i in packets["mir"].label.text.values}
    assert labels[dock] == f"mir\n+ Soyuz TM-21 (kvant-1.aft)\n+ STS-71 ({port})"
    assert labels[undock] == "mir\n+ Soyuz TM-21 (kvant-1.aft)"


def test_parquet_has_every_table_as_stored(run_folder, tmp_path):
    import pyarrow.parquet as pq

    written = export_run(run_folder, "parquet", out=tmp_path)
    assert sorted(p.stem for p in written) == sorted(TABLES)
    con = duckdb.connect(str(run_folder / "results.duckdb"), read_only=True)
    try:
        for name, columns in TABLES.items():
            table = pq.read_table(tmp_path / "parquet" / f"{name}.parquet")
            assert table.column_names == [c for c, _ in columns]
            stored = con.execute(f"SELECT * FROM {name}").fetchall()
            naive = [tuple(v.astimezone(dt.UTC).replace(tzinfo=None)
                           if isinstance(v, dt.datetime) else v for v in row.values())
                     for row in table.to_pylist()]
            assert naive == stored
            for field, (_, sql_type) in zip(table.schema, columns, strict=True):
                assert (str(getattr(field.type, "tz", None)) == "UTC") == (
                    sql_type == "TIMESTAMP")
    finally:
        con.close()
    # units and frames travel with the file (field metadata), read by any Parquet reader
    schema = pq.read_schema(tmp_path / "parquet" / "trajectories.parquet")
    assert schema.field("vx_mps").metadata == {b"unit": b"m/s", b"frame": b"GCRF"}
    assert schema.field("t_utc").metadata == {b"time_scale": b"UTC"}
    frame = pq.read_table(tmp_path / "parquet" / "flights.parquet").to_pandas()
    assert str(frame["dock_utc"].dtype) == "datetime64[us, UTC]"


def test_exports_go_to_the_run_folder_by_program_name(run_folder):
    written = export_run("synthetic", "opm", runs_dir=run_folder.parent)
    assert {p.parent for p in written} == {run_folder / "exports"}


def test_a_failed_write_keeps_the_previous_file(run_folder, tmp_path, monkeypatch):
    previous = tmp_path / "mir.opm"
    previous.write_text("previous export")

    def refuse(*_):
        raise OSError("disk full")

    monkeypatch.setattr(export_package.os, "replace", refuse)
    with pytest.raises(StorageError, match="disk full"):
        export_run(run_folder, "opm", out=tmp_path)
    assert previous.read_text() == "previous export"
    assert [p.name for p in tmp_path.iterdir()] == ["mir.opm"]


@pytest.mark.parametrize(("arguments", "message"), [
    (["nowhere", "--format", "oem"], "no run 'nowhere'"),
    (["{run}", "--format", "kml"], "unknown export format 'kml'"),
    (["{run}", "--format", "oem", "--flight", "STS-99"], "no flight 'STS-99'"),
    (["{run}", "--format", "parquet", "--flight", "STS-71"], "--flight applies to"),
    (["{run}", "--format", "oem", "--step", "30"], "--step apply to czml only"),
    (["{run}", "--format", "czml", "--step", "0"], "--step must be a finite number of seconds"),
    (["{run}", "--format", "czml", "--step", "inf"], "--step must be a finite number of seconds"),
    # 1e-9 s failed allocating petabytes (an internal error, exit 1)
    (["{run}", "--format", "czml", "--step", "1e-9"], "positions, at most 3500000"),
    (["{run}", "--format", "czml", "--from", "1995-06-29", "--to", "1995-06-28"],
     "--to 1995-06-28 must be after --from 1995-06-29"),
    (["{run}", "--format", "czml", "--from", "yesterday"], "yesterday"),
])
def test_bad_input_is_one_line_and_exit_2(run_folder, capsys, arguments, message):
    argv = ["export", *[a.format(run=run_folder) for a in arguments], "--out",
            str(run_folder / "unused")]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 or message in err.strip().splitlines()[0]
    with pytest.raises(StationsimError):
        export_run(run_folder, "kml")


def test_czml_of_one_flight_spans_launch_to_landing_with_its_station(run_folder, tmp_path):
    from czml3 import Document

    [path] = export_run(run_folder, "czml", flight="STS-71", out=tmp_path)
    assert path.name == "sts-71.czml"
    document = Document.load(path)
    launch, _, _, _, land, _ = FLIGHTS["STS-71"]
    interval = document.packets[0].clock.interval
    assert (interval.start[:19], interval.end[:19]) == (launch, land)
    assert [p.id for p in document.packets[1:]] == ["mir", "STS-71"]


def test_czml_from_to_step_and_progress_on_the_command_line(run_folder, tmp_path, monkeypatch):
    from czml3 import Document

    from stationsim.results.export import czml

    seen = []
    [path] = export_run(run_folder, "czml", out=tmp_path, progress=lambda *a: seen.append(a))
    assert seen[-1][0] == seen[-1][1] > 0 and len(seen) > 1  # (done, total) per piece
    seen.clear()
    export_run(run_folder, "oem", out=tmp_path, progress=lambda *a: seen.append(a))
    assert seen == [(1, 3), (2, 3), (3, 3)]  # objects written
    assert main(["export", str(run_folder), "--format", "czml", "--out", str(tmp_path),
                 "--from", "1995-06-28T00:00:00Z", "--to", "1995-06-28T06:00:00",
                 "--step", "300"]) == 0
    document = Document.load(path)
    assert document.packets[0].clock.interval.start.startswith("1995-06-28T00:00:00")
    for pieces in read_fixed_samples(document).values():
        for epoch, table in pieces:
            assert "1995-06-28T00:00:00" <= epoch[:19] <= "1995-06-28T06:00:00"
            assert np.all(np.diff(table[:-1, 0]) == 300.0)
    # with no --step, a long scene is sampled coarser, in whole minutes, to stay within budget
    monkeypatch.setattr(czml, "MAX_POSITIONS", 1000)
    assert main(["export", str(run_folder), "--format", "czml", "--out", str(tmp_path)]) == 0
    samples = read_fixed_samples(Document.load(path))
    assert sum(len(t) for pieces in samples.values() for _, t in pieces) <= 1000
    step_s = np.diff(samples["mir"][0][1][:2, 0])[0]
    assert step_s > 60.0 and step_s % 60.0 == 0.0
