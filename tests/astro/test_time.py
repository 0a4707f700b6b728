"""Epoch and time scales against the IERS leap-second record (IERS Bulletin C) and J2000."""

from __future__ import annotations

import datetime as dt
import warnings

import erfa
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from stationsim.astro.time import Epoch

MICROSECOND_S = 1e-6  # float64 TT seconds resolve ~0.1 us over this century


def test_leap_second_2016_exists_and_lasts_one_second():
    # IERS Bulletin C 52: a positive leap second at the end of 2016-12-31
    leap = Epoch.from_utc_iso("2016-12-31T23:59:60Z")
    new_year = Epoch.from_utc_iso("2017-01-01T00:00:00Z")
    last_regular = Epoch.from_utc_iso("2016-12-31T23:59:59Z")
    assert new_year - leap == pytest.approx(1.0, abs=MICROSECOND_S)
    assert leap - last_regular == pytest.approx(1.0, abs=MICROSECOND_S)
    assert leap.utc_iso() == "2016-12-31T23:59:60.000Z"


def test_utc_day_is_86401_seconds_long_on_a_leap_day():
    start = Epoch.from_utc(2016, 12, 31)
    assert (start + 86401.0).utc_iso() == "2017-01-01T00:00:00.000Z"
    assert (start + 86400.0).utc_iso() == "2016-12-31T23:59:60.000Z"


def test_second_60_refused_on_a_day_without_leap_second():
    with pytest.raises(ValueError, match="2016-12-30T23:59:60"):
        Epoch.from_utc(2016, 12, 30, 23, 59, 60.0)


@pytest.mark.parametrize(
    ("iso", "tt_minus_utc_s"),
    [
        # TT - TAI = 32.184 s; TAI - UTC from IERS Bulletin C
        ("1972-01-01T00:00:00Z", 32.184 + 10.0),
        ("2000-01-01T12:00:00Z", 64.184),
        ("2016-12-31T12:00:00Z", 68.184),  # the leap day itself, before the leap second
        ("2016-12-31T23:59:60.5Z", 68.184),  # inside the leap second: still the old count
        ("2017-01-01T00:00:00Z", 69.184),
        ("2024-06-01T00:00:00Z", 69.184),
    ],
)
def test_tt_minus_utc_matches_leap_second_table(iso, tt_minus_utc_s):
    assert Epoch.from_utc_iso(iso).tt_minus_utc_s() == pytest.approx(tt_minus_utc_s, abs=1e-9)


def test_tt_minus_utc_before_1972_follows_the_drifting_offset():
    # 1968-02-01 to 1972-01-01: TAI - UTC = 4.2131700 s + (MJD - 39126) * 0.002592 s (USNO tai-utc)
    epoch = Epoch.from_utc(1970, 6, 1)
    mjd = 40738.0
    expected_s = 32.184 + 4.2131700 + (mjd - 39126.0) * 0.002592
    assert epoch.tt_minus_utc_s() == pytest.approx(expected_s, abs=1e-6)


def test_j2000_is_tt_zero():
    # J2000.0 = 2000-01-01T12:00:00 TT = 11:58:55.816 UTC (TT - UTC = 64.184 s)
    epoch = Epoch.from_utc_iso("2000-01-01T11:58:55.816Z")
    assert epoch.tt_s == pytest.approx(0.0, abs=MICROSECOND_S)
    assert Epoch(0.0).utc_iso() == "2000-01-01T11:58:55.816Z"
    assert Epoch(0.0).tt_jd == 2451545.0


def test_before_1960_utc_is_accepted_with_tai_equal_utc():
    # Sputnik 1 launch, 1957-10-04 19:28:34 UTC (NSSDC 1957-001B); ERFA takes TAI - UTC = 0
    sputnik = Epoch.from_utc_iso("1957-10-04T19:28:34Z")
    assert sputnik.utc_iso() == "1957-10-04T19:28:34.000Z"
    assert sputnik.tt_minus_utc_s() == pytest.approx(32.184, abs=1e-9)


def test_ut1_jd_is_offset_by_dut1():
    # Vallado 4th ed. Example 3-15 epoch and DUT1
    epoch = Epoch.from_utc(2004, 4, 6, 7, 51, 28.386009)
    utc1, utc2 = epoch.utc_jd()
    ut1_1, ut1_2 = epoch.ut1_jd(-0.4399619)
    shift_s = ((ut1_1 - utc1) + (ut1_2 - utc2)) * 86400.0
    assert shift_s == pytest.approx(-0.4399619, abs=MICROSECOND_S)


def test_two_part_tt_jd_matches_seconds():
    epoch = Epoch(1234567.25)
    whole, fraction = epoch.tt_two_part()
    assert ((whole - 2451545.0) + fraction) * 86400.0 == pytest.approx(1234567.25, abs=1e-9)


def test_arrays_in_and_out():
    texts = ["1995-06-29T13:00:00.000Z", "1995-06-29T14:30:00.000Z"]
    epochs = Epoch.from_utc_iso(texts)
    assert epochs.shape == (2,)
    assert epochs.utc_iso() == texts
    assert epochs[1] - epochs[0] == pytest.approx(5400.0, abs=MICROSECOND_S)
    assert np.allclose(epochs.tt_minus_utc_s(), 32.184 + 29.0)


def test_naive_datetime_refused():
    with pytest.raises(ValueError, match="naive"):
        Epoch.from_datetime(dt.datetime(1995, 6, 29, 13, 0))


def test_non_finite_and_malformed_input_refused():
    with pytest.raises(ValueError, match="tt_s"):
        Epoch(np.nan)
    with pytest.raises(ValueError, match="1995-13-29"):
        Epoch.from_utc_iso("1995-13-29T00:00:00Z")
    with pytest.raises(ValueError, match="ISO-8601"):
        Epoch.from_utc_iso("29/06/1995")


_MS_INSTANTS = st.datetimes(
    min_value=dt.datetime(1972, 1, 1), max_value=dt.datetime(2035, 12, 31)
).map(lambda d: d.replace(microsecond=d.microsecond // 1000 * 1000))


@given(_MS_INSTANTS)
def test_iso_round_trip(when):
    iso = when.strftime("%Y-%m-%dT%H:%M:%S.") + f"{when.microsecond // 1000:03d}Z"
    assert Epoch.from_utc_iso(iso).utc_iso() == iso


@given(st.datetimes(min_value=dt.datetime(1972, 1, 1), max_value=dt.datetime(2035, 12, 31)))
def test_datetime_round_trip(when):
    aware = when.replace(tzinfo=dt.UTC)
    assert Epoch.from_datetime(aware).to_datetime() == aware


@given(st.datetimes(min_value=dt.datetime(1960, 1, 2), max_value=dt.datetime(1971, 12, 31)))
def test_datetime_round_trip_in_the_rubber_second_era(when):
    # Before 1972 UTC ran at an offset rate from TAI with fractional steps, and ERFA's own round
    # trip (dtf2d, utctai, taiutc, d2dtf) is not exact: 1971-12-31T00:00:01 comes back as
    # 00:00:00.999999, and on 1963-10-31, the day before a 0.1 s step, 00:01:00 comes back
    # 69 us early. Epoch adds nothing to ERFA's own error: the two agree to the microsecond.
    aware = when.replace(tzinfo=dt.UTC)
    back = Epoch.from_datetime(aware).to_datetime()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", erfa.ErfaWarning)  # "dubious year" before 1972
        seconds = when.second + when.microsecond * 1e-6
        u1, u2 = erfa.dtf2d("UTC", when.year, when.month, when.day, when.hour, when.minute,
                            seconds)
        iy, im, iday, ihmsf = erfa.d2dtf("UTC", 6, *erfa.taiutc(*erfa.utctai(u1, u2)))
    h, m, s, f = (int(x) for x in ihmsf.tolist())
    erfa_back = dt.datetime(int(iy), int(im), int(iday), h, m, s, f, tzinfo=dt.UTC)
    assert abs((back - erfa_back).total_seconds()) <= 1e-6


@given(st.sampled_from(["1972-06-30", "1998-12-31", "2005-12-31", "2008-12-31", "2016-12-31"]),
       st.integers(0, 999))
def test_iso_round_trip_inside_leap_seconds(day, milliseconds):
    # leap-second days from IERS Bulletin C
    iso = f"{day}T23:59:60.{milliseconds:03d}Z"
    assert Epoch.from_utc_iso(iso).utc_iso() == iso
