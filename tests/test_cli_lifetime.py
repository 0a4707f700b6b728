"""``stationsim plan lifetime``: JSON against the Python API, TLE input, both modes, exit codes."""

from __future__ import annotations

import json

import pytest

from stationsim.astro import lifetime
from stationsim.astro.constants import DAY_S, DEG, KM, R_EARTH_M
from stationsim.astro.time import Epoch
from stationsim.cli import main

# 2003-10-28, the eve of the Halloween storm: a 200 x 230 km orbit lasts a few days.
APSIDES = ["--perigee-km", "200", "--apogee-km", "230", "--inclination-deg", "51.6",
           "--epoch", "2003-10-28T00:00:00Z", "--mass-kg", "1000", "--area-m2", "4"]

# Mir on 2001-03-22, hours before its deorbit burns (shared/reference/tle_mir_tracking.csv,
# from http://mailman.satobs.org/mir.html)
MIR_TLE = """MIR
1 16609U 86017A   01081.92334318  .00905378  11898-4  39359-3 0  7787
2 16609  51.6348 251.1851 0003524 208.4275 291.6897 16.21854268863255
"""


START = Epoch.from_utc(2003, 10, 28)  # APSIDES' epoch


def _averaged(perigee_km: float, apogee_km: float):
    """The library's averaged lifetime of APSIDES' orbit and craft with these apsides."""
    perigee_m, apogee_m = R_EARTH_M + perigee_km * KM, R_EARTH_M + apogee_km * KM
    mean = lifetime.MeanElements((perigee_m + apogee_m) / 2,
                                 (apogee_m - perigee_m) / (apogee_m + perigee_m), 51.6 * DEG, 0.0,
                                 0.0)
    return lifetime.reentry_averaged(START, mean, 2.2 * 4 / 1000)


def _run_json(capsys, args) -> dict:
    code = main(["plan", "lifetime", *args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_json_matches_the_python_api(capsys):
    payload = _run_json(capsys, APSIDES)
    expected = _averaged(200.0, 230.0)
    assert payload["mode"] == "averaged"
    assert payload["cd_area_over_mass_m2pkg"] == pytest.approx(2.2 * 4 / 1000, rel=1e-12)
    assert payload["reentry_utc"] == expected.reentry.utc_iso(0)
    assert payload["lifetime_days"] == pytest.approx(expected.lifetime_s / DAY_S, rel=1e-12)


def test_numerical_mode_agrees_with_the_averaged_mode(capsys):
    averaged = _run_json(capsys, APSIDES)
    numerical = _run_json(capsys, [*APSIDES, "--mode", "numerical"])
    # docs/validation.md: the two modes agree within 5 % of the lifetime
    assert numerical["lifetime_days"] == pytest.approx(averaged["lifetime_days"], rel=0.05)


def test_tle_input(capsys, tmp_path):
    path = tmp_path / "mir.tle"
    path.write_text(MIR_TLE)
    payload = _run_json(capsys, ["--tle", str(path), "--mass-kg", "130000", "--area-m2", "700"])
    assert payload["object"] == "TLE MIR"
    assert payload["start_utc"] == "2001-03-22T22:09:37Z"  # day 81.92334318 = 22:09:36.85
    # from 212 x 217 km an uncontrolled Mir would have lasted days to a few weeks
    assert 1.0 < payload["lifetime_days"] < 30.0


def test_table_output(capsys):
    assert main(["plan", "lifetime", *APSIDES]) == 0
    out = capsys.readouterr().out
    assert "re-entry (UTC)" in out and "2003-1" in out


@pytest.mark.parametrize(("args", "message"), [
    (["--tle", "x.tle", *APSIDES], "either --tle"),
    (APSIDES[:6] + APSIDES[8:], "go together"),
    ([*APSIDES, "--mode", "fast"], "--mode"),
    ([*APSIDES[:-4], "--mass-kg", "-1", "--area-m2", "4"], "--mass-kg"),
    (["--perigee-km", "400", "--apogee-km", "300", *APSIDES[4:]], "--perigee-km"),
    # were "reentry_altitude_m=500000.0 must be ..." and "cd_area_over_mass_m2pkg must be > 0"
    ([*APSIDES, "--reentry-km", "500"], "--reentry-km must be below the perigee (200.0 km)"),
    ([*APSIDES[:-4], "--mass-kg", "1e-320", "--area-m2", "4"], "--cd x --area-m2 / --mass-kg"),
])
def test_bad_input_exits_2(capsys, args, message):
    assert main(["plan", "lifetime", *args]) == 2
    assert message in capsys.readouterr().err


def test_apogee_beyond_the_drag_model_refused(capsys):
    # the 300 x 36,000 km transfer orbit ran for 106 s; 10^9 km was accepted and ran on
    for apogee in ("36000", "1e9"):
        args = ["plan", "lifetime", "--perigee-km", "300", "--apogee-km", apogee,
                "--inclination-deg", "28", "--epoch", "2000-01-01", "--mass-kg", "1000",
                "--area-m2", "10"]
        assert main(args) == 2
    err = capsys.readouterr().err
    assert "--apogee-km must be at most 20000 km" in err and "Traceback" not in err


def _apsides_with(option: str, value: str) -> list[str]:
    values = dict(zip(APSIDES[::2], APSIDES[1::2], strict=True))
    values[option] = value
    return [item for pair in values.items() for item in pair]


@pytest.mark.parametrize(("option", "value"), [("--apogee-km", "nan"), ("--perigee-km", "inf"),
                                               ("--max-years", "inf"), ("--mass-kg", "nan"),
                                               ("--inclination-deg", "200")])
def test_non_finite_or_out_of_range_lifetime_arguments_refused(capsys, option, value):
    assert main(["plan", "lifetime", *_apsides_with(option, value)]) == 2
    assert option in capsys.readouterr().err


def test_lifetime_epoch_outside_space_weather_refused(capsys):
    assert main(["plan", "lifetime", *_apsides_with("--epoch", "2050-01-01")]) == 2
    assert "--epoch 2050-01-01T00:00:00Z is outside the bundled space weather" in (
        capsys.readouterr().err)


def test_lifetime_search_stops_at_the_end_of_the_space_weather(capsys):
    # 2041-08-01 plus the default 30 years would run past the data and fail after the search;
    # it stops at the last accepted day instead and says so
    payload = _run_json(capsys, ["--perigee-km", "700", "--apogee-km", "710",
                                 "--inclination-deg", "51.6", "--epoch", "2041-08-01",
                                 "--mass-kg", "1000", "--area-m2", "1"])
    assert payload["reentry_utc"] is None
    assert payload["searched_until_utc"] == "2041-09-29T00:00:00Z"


def test_perigee_below_the_reentry_height_reenters_at_the_start():
    # 100 x 300 km under the default 120 km re-entry height: the averaged mode interpolated
    # the crossing backwards and gave a re-entry before the epoch (lifetime -0.20 days); like
    # the numerical mode it now re-enters at the start (the command refuses such an orbit)
    result = _averaged(100.0, 300.0)
    assert result.lifetime_s == 0.0 and result.reentry.tt_s == START.tt_s
