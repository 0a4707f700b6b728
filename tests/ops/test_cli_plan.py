"""``stationsim plan windows`` and ``plan rendezvous``: JSON against the Python API, errors."""

from __future__ import annotations

import json

import pytest

from stationsim.cli import main

# Mir, 1995-11-11T08:05Z (SeeSat-L, W. Nissen; shared/reference/tle_historical.csv)
MIR_TLE = """MIR
1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051
2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898
"""

# the ISS, 1998-12-04 (jolsten/thistle 25544.tle; shared/reference/tle_iss_tracking.csv)
ISS_TLE = """1 25544U 98067A   98338.22349122 +.00023905 +00000-0 +30013-3 0  9995
2 25544 051.5955 097.3242 0009191 254.2121 105.8037 15.59537400002191
"""


@pytest.fixture
def mir_file(tmp_path):
    path = tmp_path / "mir.tle"
    path.write_text(MIR_TLE)
    return path


def _json(capsys, args) -> dict:
    code = main([*args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_plan_windows_json(capsys, mir_file, mir, ksc):
    from stationsim.astro.constants import DAY_S
    from stationsim.astro.time import Epoch
    from stationsim.ops.insertion import insertion_spec
    from stationsim.ops.launch import launch_windows

    payload = _json(capsys, ["plan", "windows", "--station-tle", str(mir_file), "--site",
                             "KSC-39A", "--from", "1995-11-10", "--days", "3"])
    expected = launch_windows(mir, ksc, Epoch.from_utc(1995, 11, 10), 3 * DAY_S,
                              insertion_spec("shuttle"))
    assert [w["in_plane_utc"] for w in payload["windows"]] == [
        w.in_plane.utc_iso() for w in expected]
    assert all(w["direction"] == "ascending" for w in payload["windows"])


def test_plan_rendezvous_json_matches_the_api(capsys, mir_file, sts74_plan):
    payload = _json(capsys, ["plan", "rendezvous", "--station-tle", str(mir_file), "--vehicle",
                             "atlantis", "--site", "KSC-39A", "--launch", "1995-11-12T12:30:43Z",
                             "--docking-flight-day", "4"])
    assert payload["docking_utc"] == sts74_plan.docking_epoch.utc_iso()
    assert payload["docking_flight_day"] == 4
    assert payload["approach"] == "shuttle-mir"  # Mir: the R-bar approach of 1995-98
    assert [b["name"] for b in payload["burns"]] == [b.name for b in sts74_plan.burns]
    assert payload["total_dv_mps"] == pytest.approx(sts74_plan.total_dv_mps)


def test_plan_rendezvous_table(capsys, mir_file):
    code = main(["plan", "rendezvous", "--station-tle", str(mir_file), "--vehicle", "atlantis",
                 "--site", "KSC-39A", "--launch", "1995-11-12T12:30:43Z"])
    out = capsys.readouterr().out
    assert code == 0
    assert "docking 1995-11-1" in out and "NCC" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--site", "Plesetsk"], "unknown site"),
    (["--launch", "12/11/1995"], "--launch"),
    (["--vehicle", "buran"], "unknown vehicle"),
    (["--docking-flight-day", "1"], "flight day 1"),
])
def test_plan_rendezvous_bad_input_exits_2(capsys, mir_file, args, message):
    base = {"--site": "KSC-39A", "--launch": "1995-11-12T12:30:43Z", "--vehicle": "atlantis"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        base[key] = value
    flat = [item for pair in base.items() for item in pair]
    code = main(["plan", "rendezvous", "--station-tle", str(mir_file), *flat])
    assert code == 2
    assert message in capsys.readouterr().err


def test_windows_days_beyond_a_year_refused(capsys, mir_file):
    # --days 100000 held 3 GB within 6 s
    assert main(["plan", "windows", "--station-tle", str(mir_file), "--site", "KSC-39A",
                 "--from", "1995-11-10", "--days", "100000"]) == 2
    err = capsys.readouterr().err
    assert "--days must be more than 0 and at most 366, got 100000" in err


@pytest.mark.parametrize(("command", "option", "when"), [("windows", "--from", "1800-01-01"),
                                                         ("rendezvous", "--launch", "2030-01-01")])
def test_time_far_from_every_element_set_refused(capsys, mir_file, command, option, when):
    # --from 1800-01-01 printed windows of Mir 195 years before its launch; 2030 failed in
    # SGP4 ("mean eccentricity is outside the range 0.0 to 1.0")
    args = ["--vehicle", "atlantis"] if command == "rendezvous" else []
    assert main(["plan", command, "--station-tle", str(mir_file), "--site", "KSC-39A",
                 option, when, *args]) == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert f"error: {option} {when}T00:00:00Z is " in err
    assert "days from the nearest element set of --station-tle" in err


def test_station_tle_of_two_objects_refused(capsys, mir_file, tmp_path):
    # the set nearest --from was taken whatever object it was
    mixed = tmp_path / "mixed.tle"
    mixed.write_text(mir_file.read_text() + ISS_TLE)
    assert main(["plan", "windows", "--station-tle", str(mixed), "--site", "KSC-39A",
                 "--from", "1995-11-10"]) == 2
    assert "holds the sets of 2 objects (catalog numbers 16609, 25544)" in (
        capsys.readouterr().err.replace("\n", ""))


@pytest.mark.parametrize("path", ["/dev/zero", "/nonexistent/mir.tle"])
def test_station_tle_that_is_not_a_file_refused(capsys, path):
    assert main(["plan", "windows", "--station-tle", path, "--site", "KSC-39A",
                 "--from", "1995-11-10"]) == 2
    assert f"--station-tle {path}: not a file" in capsys.readouterr().err


def test_bracketed_site_name_is_quoted_not_parsed(capsys, mir_file):
    assert main(["plan", "windows", "--station-tle", str(mir_file), "--site", "[/red]",
                 "--from", "1995-11-10"]) == 2
    err = capsys.readouterr().err
    assert "unknown site '[/red]'" in err and "Traceback" not in err


@pytest.mark.parametrize("text", ["garbage", "1996-02-30", "[/x]"])
def test_bad_from_time_is_one_plain_message(capsys, mir_file, text):
    # 'garbage' read "is not an ISO-8601 UTC time: not an ISO-8601 UTC time: 'garbageT00:00:00Z'"
    assert main(["plan", "windows", "--station-tle", str(mir_file), "--site", "KSC-39A",
                 "--from", text]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: --from {text!r} is not an ISO-8601 UTC time (expected YYYY-MM-DD or "
        "YYYY-MM-DDTHH:MM:SSZ)")


# An equatorial element set (made up for the test; checksums valid).
EQUATORIAL_TLE = """GEO
1 99998U 20001B   20001.50000000 -.00000100  00000-0  00000-0 0  9997
2 99998   0.0100 100.0000 0001000  90.0000 270.0000  1.00270000 10008
"""


def test_no_window_says_why(capsys, mir_file, tmp_path):
    # An empty table said nothing. A 0.01 deg plane never reaches KSC's 28.6 deg latitude
    # (an inclination i reaches latitudes up to i); Mir's descending passes over KSC need an
    # azimuth of ~135 deg, outside the Eastern Range's 35-120 deg.
    path = tmp_path / "geo.tle"
    path.write_text(EQUATORIAL_TLE)
    args = ["plan", "windows", "--site", "KSC-39A", "--from", "2020-01-02", "--days", "1"]
    payload = _json(capsys, [*args, "--station-tle", str(path)])
    assert payload["windows"] == [] and "never passes over ksc-lc-39a" in payload["note"]
    assert main([*args, "--station-tle", str(path)]) == 0
    assert "inclination 0.01 deg" in capsys.readouterr().out
    payload = _json(capsys, ["plan", "windows", "--station-tle", str(mir_file), "--site",
                             "KSC-39A", "--from", "1995-11-10", "--days", "2", "--direction",
                             "descending"])
    assert payload["windows"] == [] and "(35 to 120 deg)" in payload["note"]
    assert "note" not in _json(capsys, ["plan", "windows", "--station-tle", str(mir_file),
                                        "--site", "KSC-39A", "--from", "1995-11-10", "--days",
                                        "1"])
