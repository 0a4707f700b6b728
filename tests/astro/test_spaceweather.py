"""Space-weather indices against the CelesTrak SW-All rows, read here independently with csv."""

from __future__ import annotations

import csv
import gzip
import io
import time
from importlib import resources

import numpy as np
import pytest

from stationsim.astro.spaceweather import SpaceWeather, utc_datetime64
from stationsim.astro.time import Epoch
from stationsim.errors import SpaceWeatherError


@pytest.fixture(scope="module")
def rows() -> dict[str, dict[str, str]]:
    """The bundled file as {date: row} through the csv module (CelesTrak SW-All columns)."""
    raw = resources.files("stationsim").joinpath("data/sw-all.csv.gz").read_bytes()
    text = gzip.decompress(raw).decode("ascii")
    return {row["DATE"]: row for row in csv.DictReader(io.StringIO(text))}


@pytest.mark.parametrize("iso", [
    "1957-10-04T19:28:34Z",  # Sputnik 1's launch
    "1989-03-13T12:00:00Z",  # the Quebec blackout storm
    "2003-10-29T13:00:00Z",  # the Halloween storm
    "2025-03-23T23:59:00Z",  # last observed day of the bundled file
    "2025-04-15T00:00:00Z",  # daily prediction
])
def test_daily_values_match_the_file(rows, iso):
    row = rows[iso[:10]]
    values = SpaceWeather.bundled().at(Epoch.from_utc_iso(iso))
    assert values.f107_sfu[0] == float(row["F10.7_OBS"])
    assert values.f107a_sfu[0] == float(row["F10.7_OBS_CENTER81"])
    assert values.ap[0] == float(row["AP_AVG"])


def test_msis_inputs_use_previous_day_flux_and_ap_history(rows):
    # 13:00 UTC lies in the fifth 3-hour slot (AP5); NRLMSIS wants F10.7 of the day before
    # (Picone et al. 2002) and the means of ap 12-33 h and 36-57 h back.
    inputs = SpaceWeather.bundled().msis_inputs(Epoch.from_utc(2003, 10, 29, 13, 0))
    day = rows["2003-10-29"]
    history = [float(rows[d][f"AP{k}"]) for d in ("2003-10-26", "2003-10-27", "2003-10-28")
               for k in range(1, 9)] + [float(day[f"AP{k}"]) for k in range(1, 6)]
    assert inputs.f107_sfu[0] == float(rows["2003-10-28"]["F10.7_OBS"])
    assert inputs.f107a_sfu[0] == float(day["F10.7_OBS_CENTER81"])
    expected = [float(day["AP_AVG"]), history[-1], history[-2], history[-3], history[-4],
                np.mean(history[-12:-4]), np.mean(history[-20:-12])]
    np.testing.assert_allclose(inputs.ap[0], expected, rtol=1e-12)


def test_monthly_predictions_are_interpolated_between_their_points(rows):
    weather = SpaceWeather.bundled()
    june, july = rows["2030-06-01"], rows["2030-07-01"]
    values = weather.at(Epoch.from_utc_iso(["2030-06-01T06:00Z", "2030-06-16T00:00Z"]))
    assert values.f107_sfu[0] == float(june["F10.7_OBS"])
    midway = float(june["F10.7_OBS"]) + 15 / 30 * (
        float(july["F10.7_OBS"]) - float(june["F10.7_OBS"]))
    assert values.f107_sfu[1] == pytest.approx(midway, rel=1e-12)
    # no Ap forecast there: the mean daily Ap of the observed record
    observed_ap = [float(r["AP_AVG"]) for r in rows.values() if r["F10.7_DATA_TYPE"] in
                   ("OBS", "INT")]
    assert values.ap[1] == pytest.approx(np.mean(observed_ap), rel=1e-12)


def test_span_and_error_outside_it():
    weather = SpaceWeather.bundled()
    assert (weather.first_utc, weather.observed_until_utc, weather.last_utc) == (
        "1957-10-01", "2025-03-23", "2041-10-01")
    with pytest.raises(SpaceWeatherError, match="2041-10-02"):
        weather.at(Epoch.from_utc(2041, 10, 2, 1, 0))
    with pytest.raises(SpaceWeatherError, match="1957-09-30"):
        weather.at(Epoch.from_utc(1957, 9, 30, 23, 0))
    with pytest.raises(SpaceWeatherError, match="1957-09-30"):  # previous day's F10.7
        weather.msis_inputs(Epoch.from_utc(1957, 10, 1, 12, 0))


def test_constant_weather_answers_for_any_date():
    weather = SpaceWeather.constant(f107_sfu=150.0, f107a_sfu=140.0, ap=15.0)
    inputs = weather.msis_inputs(Epoch.from_utc_iso(["1950-01-01T00:00Z", "2060-06-01T00:00Z"]))
    np.testing.assert_array_equal(inputs.f107_sfu, [150.0, 150.0])
    np.testing.assert_array_equal(inputs.f107a_sfu, [140.0, 140.0])
    np.testing.assert_array_equal(inputs.ap, np.full((2, 7), 15.0))
    with pytest.raises(ValueError, match="f107_sfu"):
        SpaceWeather.constant(f107_sfu=float("nan"), f107a_sfu=140.0, ap=15.0)


def test_loading_the_bundled_file_is_fast():
    # CPU time, so that other processes on a shared machine do not count
    raw = resources.files("stationsim").joinpath("data/sw-all.csv.gz").read_bytes()
    best_s = float("inf")
    for _ in range(3):
        tic = time.process_time()
        SpaceWeather._from_text(gzip.decompress(raw).decode("ascii"), "bundled")
        best_s = min(best_s, time.process_time() - tic)
    assert best_s < 0.2


def test_utc_datetime64_is_utc_not_tt():
    # TT - UTC = 64.184 s in 2003 (32 leap seconds + 32.184 s)
    stamp = utc_datetime64(Epoch.from_utc(2003, 10, 29, 13, 0, 0.5))
    assert stamp[0] == np.datetime64("2003-10-29T13:00:00.500")


def test_flare_contaminated_flux_is_capped_for_nrlmsis(rows):
    # 2005-09-09: 707.6 sfu at the noon reading during an X-class flare, 81-day mean 99.2
    weather = SpaceWeather.bundled()
    assert weather.at(Epoch.from_utc(2005, 9, 9, 12)).f107_sfu[0] == float(
        rows["2005-09-09"]["F10.7_OBS"])
    inputs = weather.msis_inputs(Epoch.from_utc(2005, 9, 10, 12))
    assert inputs.f107_sfu[0] == pytest.approx(
        3.0 * float(rows["2005-09-10"]["F10.7_OBS_CENTER81"]), rel=1e-12)
