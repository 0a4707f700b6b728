"""The Moon and the Sun from DE421 against jplephem evaluated directly."""

import math

import de421
import numpy as np
import pytest
from jplephem import Ephemeris

from stationsim.astro.ephemeris import body_table, moon_gcrf, sun_gcrf
from stationsim.astro.forces import body_positions
from stationsim.astro.time import Epoch

EPOCHS = Epoch.from_utc(1969, 7, 16, 13, 32) + np.linspace(0.0, 8.0 * 86400.0, 17)


def _tdb_jd(epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
    # TDB - TT to 30 microseconds (USNO Circular 179, Kaplan 2005, eq. 2.6), written apart from
    # the ERFA series the module uses.
    days = np.asarray(epochs.tt_s) / 86400.0
    t = days / 36525.0
    dt_s = (0.001657 * np.sin(628.3076 * t + 6.2401) + 0.000022 * np.sin(575.3385 * t + 4.2970)
            + 0.000014 * np.sin(1256.6152 * t + 6.1969)
            + 0.000005 * np.sin(606.9777 * t + 4.0212)
            + 0.000005 * np.sin(52.9691 * t + 0.4444) + 0.000002 * np.sin(21.3299 * t + 5.5431)
            + 0.000010 * t * np.sin(628.3076 * t + 4.2490))
    return np.full_like(days, 2451545.0), days + dt_s / 86400.0  # two parts: 1 cm in 1e11 m


def test_moon_and_sun_agree_with_de421_to_a_metre():
    eph = Ephemeris(de421)
    jd = _tdb_jd(EPOCHS)
    moon_km = eph.position("moon", *jd).T
    earth_km = (eph.position("earthmoon", *jd) - eph.position("moon", *jd) / (1.0 + eph.EMRAT)).T
    sun_km = eph.position("sun", *jd).T - earth_km
    assert np.abs(moon_gcrf(EPOCHS)[0] - moon_km * 1e3).max() < 1.0
    assert np.abs(sun_gcrf(EPOCHS)[0] - sun_km * 1e3).max() < 1.0
    # velocity: the derivative of the position by central differences over +-1 s (1 mm/s)
    step = 1.0 / 86400.0
    moon_v = (eph.position("moon", jd[0], jd[1] + step)
              - eph.position("moon", jd[0], jd[1] - step)).T * 500.0
    assert np.abs(moon_gcrf(EPOCHS)[1] - moon_v).max() < 1e-3


def test_moon_distance_and_speed_are_lunar():
    r_m, v_mps = moon_gcrf(EPOCHS)
    assert np.all((356e6 < np.linalg.norm(r_m, axis=1)) & (np.linalg.norm(r_m, axis=1) < 407e6))
    assert np.all(np.abs(np.linalg.norm(v_mps, axis=1) - 1022.0) < 80.0)
    assert abs(np.linalg.norm(sun_gcrf(EPOCHS[0])[0]) / 1.495978707e11 - 1.0) < 0.02


def test_sampled_table_interpolates_de421_to_a_centimetre():
    start, stop = EPOCHS[0], EPOCHS[0] + 2.0 * 86400.0
    table = body_table("earth", ("moon", "sun"), start, stop)
    probe = Epoch(start.tt_s + np.linspace(0.0, 2.0 * 86400.0, 301) + 1234.5)
    got = np.array([body_positions(t, *table) for t in probe.tt_s])  # (N, B, 3)
    assert np.abs(got[:, 0] - moon_gcrf(probe)[0]).max() < 0.01
    assert np.abs(got[:, 1] - sun_gcrf(probe)[0]).max() < 1.0  # Sun: 1 m of 1.5e11 m


def test_moon_centred_table_holds_earth_and_sun_relative_to_the_moon():
    table = body_table("moon", ("earth", "sun"), EPOCHS[0], EPOCHS[1])
    moon_r = moon_gcrf(Epoch(table.t0_tt_s))[0]
    assert np.abs(table.r_m[0, 0] + moon_r).max() < 1e-6
    assert math.isclose(table.gm_m3ps2[0], 3.986004418e14)


def test_outside_de421_is_a_clear_error():
    with pytest.raises(ValueError, match="DE421 covers"):
        moon_gcrf(Epoch.from_utc(2250, 1, 1))
    with pytest.raises(ValueError, match="third bodies"):
        body_table("earth", ("earth",), EPOCHS[0], EPOCHS[1])
