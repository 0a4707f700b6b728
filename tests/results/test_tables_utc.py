"""The result tables' UTC column conversion against Epoch's own ISO text."""

from __future__ import annotations

import numpy as np

from stationsim.astro.time import Epoch
from stationsim.results.tables import _utc


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
