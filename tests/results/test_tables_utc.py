"""The result tables' UTC column conversion against Epoch's own ISO text."""

from __future__ import annotations

import numpy as np

from stationsim.astro.time import Epoch
from stationsim.results.tables import _utc, _utc_by_erfa


def test_a_column_converts_as_the_iso_text_of_each_value():
    # TT seconds across 1958-2030, with a fraction: each must equal Epoch.utc_iso(6) read back
    tt_s = np.random.default_rng(7).uniform(-1.3e9, 9.5e8, 2000) + 0.1234567
    column = _utc(tt_s)
    texts = Epoch(tt_s).utc_iso(6)
    assert column.dtype == np.dtype("datetime64[us]")
    assert np.array_equal(column, np.array([t.rstrip("Z") for t in texts],
                                           dtype="datetime64[us]"))


def test_none_is_nat_and_a_leap_second_is_held_at_the_last_microsecond():
    # 2016-12-31T23:59:60.5 UTC (IERS Bulletin C 52: a leap second ended 2016)
    leap = Epoch.from_utc_iso("2016-12-31T23:59:60.500Z").tt_s
    column = _utc([None, leap, leap + 1.0])
    assert np.isnat(column[0])
    assert column[1] == np.datetime64("2016-12-31T23:59:59.999999")
    assert column[2] == np.datetime64("2017-01-01T00:00:00.500000")


def test_the_column_is_erfa_s_to_the_microsecond_away_from_leap_seconds_too():
    # ERFA's calendar fields rounded to the microsecond (the ISO text's value) against the
    # direct count from 2000-01-01T12:00 used between steps of TAI - UTC: random times from
    # 1958 to 2030 with any fraction, times within nanoseconds of half a microsecond (where a
    # rounding could part), whole seconds and milliseconds, and an hourly grid
    rng = np.random.default_rng(19)
    near_half_us = np.round(rng.uniform(-1.0e9, 9.0e8, 100_000) * 1e6) / 1e6 + 0.5e-6
    tt_s = np.concatenate([
        rng.uniform(-1.3e9, 9.5e8, 100_000) + rng.uniform(0.0, 1.0, 100_000),
        near_half_us + rng.uniform(-5e-9, 5e-9, 100_000),
        np.round(rng.uniform(-1.0e9, 9.0e8, 50_000)),
        np.round(rng.uniform(-1.0e9, 9.0e8, 50_000) * 1e3) / 1e3,
        np.arange(-1.5e8, -1.5e8 + 20_000 * 3600.0, 3600.0) + 0.123,
    ])
    assert np.array_equal(_utc(tt_s), _utc_by_erfa(tt_s))
