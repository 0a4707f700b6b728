"""The space weather NRLMSIS gets at the start of the bundled file (Sputnik 1's decay)."""

from __future__ import annotations

import csv
import gzip
import io
from importlib import resources

import numpy as np
import pytest

from stationsim.astro.spaceweather import SpaceWeather
from stationsim.astro.time import Epoch


def _raw_rows(n: int) -> list[dict[str, str]]:
    raw = resources.files("stationsim").joinpath("data/sw-all.csv.gz").read_bytes()
    with gzip.open(io.BytesIO(raw), "rt") as handle:
        reader = csv.DictReader(handle)
        return [next(reader) for _ in range(n)]


def test_centred_mean_at_the_file_start_is_taken_over_the_record_before_it():
    # The file starts on 1957-10-01: the 81-day centred mean of its first 40 days reaches back
    # before it. Independent check on CelesTrak's own columns: the centred mean of day d is the
    # trailing 81-day mean of day d + 40 (same window), and from day 40 on it is the mean of the
    # file's daily values. The parser must pass these through, not a mean truncated at the start.
    rows = _raw_rows(200)
    weather = SpaceWeather.bundled()
    daily = np.array([float(row["F10.7_OBS"]) for row in rows])
    for day in range(120):
        epoch = Epoch.from_utc(1957, 10, 1, 12) + day * 86400.0
        centred = float(weather.at(epoch).f107a_sfu[0])
        assert rows[day]["DATE"] == epoch.utc_iso()[:10]
        assert centred == pytest.approx(float(rows[day + 40]["F10.7_OBS_LAST81"]), abs=0.051)
        if day >= 40:
            assert centred == pytest.approx(daily[day - 40:day + 41].mean(), abs=0.051)
    # What NRLMSIS gets over Sputnik 1's decay, 1957-10-04 to 1958-01-04 (docs/lifetime.md).
    inputs = weather.msis_inputs(Epoch.from_utc(1957, 10, 4, 19, 33) + np.arange(92) * 86400.0)
    assert (inputs.f107_sfu.min(), inputs.f107_sfu.max()) == (212.6, 383.4)
    assert 265.0 <= inputs.f107a_sfu.min() and inputs.f107a_sfu.max() <= 279.5
