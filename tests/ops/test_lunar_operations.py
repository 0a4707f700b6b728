"""The rules inside the lunar descent, ascent and rendezvous, each against its own definition."""

import math

import numpy as np
import pytest

from stationsim.astro.constants import MU_MOON_M3PS2, NMI_M, R_MOON_M
from stationsim.astro.elements import state_to_elements
from stationsim.astro.kepler import propagate_kepler
from stationsim.astro.moon_local import MOON, FrozenMoonFrame
from stationsim.astro.powered_flight import FlightState, fly
from stationsim.astro.time import Epoch
from stationsim.ops.lunar_ascent import _linear_steering
from stationsim.ops.lunar_landing import BRAKING, DPS, LBF_N, LandingSite, _tgo_s, descend
from stationsim.ops.lunar_rendezvous import (
    _coelliptic_velocity,
    _intercept_velocity,
    elevation_rad,
    lead_rad,
)

CIRCULAR_MPS = math.sqrt(MU_MOON_M3PS2 / (R_MOON_M + 110.0e3))


def _circular(height_m, angle_rad=0.0):
    radius = R_MOON_M + height_m
    speed = math.sqrt(MU_MOON_M3PS2 / radius)
    r = radius * np.array([math.cos(angle_rad), math.sin(angle_rad), 0.0])
    v = speed * np.array([-math.sin(angle_rad), math.cos(angle_rad), 0.0])
    return FlightState(r, v, 1.0)


def test_tgo_solves_klumpps_cubic():
    # the returned tgo is a root of -J t^3 + 6 A t^2 - (18 VD + 6 VG) t + 24 (RD - RG) = 0
    rg = np.array([12000.0, 300.0, -400e3])
    vg = np.array([-10.0, 2.0, 1650.0])
    tgo = _tgo_s(BRAKING, rg, vg, 600.0)
    t = tgo
    residual = (-BRAKING.jerk_z_mps3 * t**3 + 6.0 * BRAKING.a_mps2[2] * t**2
                - (18.0 * BRAKING.v_mps[2] + 6.0 * vg[2]) * t + 24.0 * (BRAKING.r_m[2] - rg[2]))
    assert tgo > 0.0
    assert abs(residual) < 1e-6 * 24.0 * abs(BRAKING.r_m[2] - rg[2])


def test_throttle_runs_fixed_above_its_band_and_clips_below():
    # Klumpp 1974 sec. 6: fixed throttle position when asked more than the throttleable top
    assert DPS.thrust_for(7000.0 * LBF_N) == DPS.fixed_thrust_n
    assert DPS.thrust_for(3000.0 * LBF_N) == pytest.approx(3000.0 * LBF_N)
    assert DPS.thrust_for(10.0) == DPS.min_throttle_n
    assert DPS.isp_s(DPS.fixed_thrust_n) == DPS.isp_full_s
    assert DPS.isp_s(DPS.min_throttle_n) == DPS.isp_min_s


def test_descent_without_propellant_is_refused():
    # 1 t of propellant in a 6 t LM cannot brake 1.7 km/s (it gives ~0.55 km/s): refused
    t0 = Epoch.from_utc(1969, 7, 20, 20, 5, 5.0)
    frame = FrozenMoonFrame(t0)
    start = _circular(15.0e3)
    site = LandingSite(0.0, 15.0, R_MOON_M)
    with pytest.raises(ValueError, match="used up its 1000 kg of propellant"):
        descend(t0, start.r_m, start.v_mps, 6000.0, 1000.0, site, frame)
    with pytest.raises(ValueError, match="propellant_kg"):
        descend(t0, start.r_m, start.v_mps, 6000.0, 6000.0, site, frame)


def test_linear_steering_closes_position_and_rate():
    # a(t) = a0 + b t with the b implied by a0 (the module's rule): integrating twice over tgo
    # from the errors gives exactly the wanted position and rate
    tgo, position_error, rate_error = 300.0, 1200.0, 9.0
    a0 = _linear_steering(position_error, rate_error, tgo)
    b = 2.0 * (rate_error / tgo - a0) / tgo
    assert a0 * tgo + 0.5 * b * tgo**2 == pytest.approx(rate_error, rel=1e-12)
    assert 0.5 * a0 * tgo**2 + b * tgo**3 / 6.0 == pytest.approx(position_error, rel=1e-12)
    assert _linear_steering(position_error, rate_error, 5.0) == pytest.approx(rate_error / 5.0)


def test_coelliptic_burn_makes_the_orbits_coelliptic():
    # CDH's definition: afterwards the height difference is the same all round the orbit,
    # i.e. a_target - a_chaser = dh and a e (the apsides' half-difference) equal (two-body)
    target = FlightState(*propagate_kepler(np.array([R_MOON_M + 110e3, 0.0, 0.0]),
                                           np.array([0.0, CIRCULAR_MPS * 1.004, 0.0]),
                                           1500.0, MU_MOON_M3PS2), 1.0)
    chaser = _circular(80.0e3, angle_rad=-0.05)
    velocity, dh_m = _coelliptic_velocity(chaser, target)
    mine = state_to_elements(chaser.r_m, velocity, MU_MOON_M3PS2)
    theirs = state_to_elements(target.r_m, target.v_mps, MU_MOON_M3PS2)
    assert float(theirs.a_m - mine.a_m) == pytest.approx(dh_m, abs=1.0)
    assert float(mine.a_m * mine.e) == pytest.approx(float(theirs.a_m * theirs.e), abs=5.0)
    assert dh_m == pytest.approx(30e3, abs=3e3)


def test_intercept_reaches_the_aim_with_j2():
    # Lambert plus Newton with the model in the loop: the flown arc (point mass + J2) ends
    # within the module's 1 m tolerance of the aim point
    start = _circular(90.0e3)
    aim = _circular(110.0e3, angle_rad=2.1).r_m
    t0 = Epoch.from_utc(1969, 7, 21, 20, 35, 51.8)
    arrival = t0 + 2500.0
    velocity = _intercept_velocity(start, t0, aim, arrival, prograde=True)
    flown = fly(FlightState(start.r_m, velocity, 1.0), 2500.0, MOON)
    assert np.linalg.norm(flown.r_m - aim) < 1.0


def test_elevation_and_lead_of_a_target_ahead_and_above():
    # target 15 n mi above, 30 n mi ahead along the orbit: elevation atan(dh / range) less the
    # Moon's curvature; lead = the angle between the radii
    chaser = _circular(30.0 * NMI_M)
    ahead_rad = 30.0 * NMI_M / (R_MOON_M + 45.0 * NMI_M)
    target = _circular(45.0 * NMI_M, angle_rad=ahead_rad)
    line = target.r_m - chaser.r_m
    expected = math.degrees(math.asin(line @ chaser.r_m /
                                      (np.linalg.norm(line) * np.linalg.norm(chaser.r_m))))
    assert math.degrees(elevation_rad(chaser, target)) == pytest.approx(expected, abs=1e-12)
    assert 20.0 < expected < 27.0  # 26.6 deg flat, less ~1 deg for the curvature
    assert lead_rad(chaser, target) == pytest.approx(ahead_rad, abs=1e-12)


@pytest.mark.parametrize("height_m, speed_mps, heading_deg", [
    # headings from the inertial north, as MSC-00171 prints them (Apollo 11's PDI: -104.23)
    (13.5e3, 1694.0, -103.7),  # 1.7 km higher, 2 m/s slower, half a degree off
    (10.5e3, 1698.0, -104.7),
])
def test_descent_guidance_closes_from_dispersed_starts(height_m, speed_mps, heading_deg):
    # Klumpp's guidance is closed loop: PDI states dispersed by km and m/s still end on the aim
    # point at the P65 descent rate (3 ft/s), with propellant to spare
    from stationsim.astro.moon_local import state_from_flight_angles

    t0 = Epoch.from_utc(1969, 7, 20, 20, 5, 5.1)
    frame = FrozenMoonFrame(t0)
    radius = R_MOON_M - 1.8e3
    r, v = state_from_flight_angles(frame, t0, 0.9, 39.4, radius + height_m, speed_mps, 0.0,
                                    heading_deg)
    # aim 16 deg downrange along the ground track, as Apollo 11's was
    site = LandingSite(0.7, 23.4, radius)
    touchdown = descend(t0, r, v, 15150.0, 8100.0, site, frame)
    assert touchdown.miss_m < 100.0
    last = touchdown.track[-1]
    up = last[1:4] / np.linalg.norm(last[1:4])
    ground = last[4:7] - np.cross(frame.spin_radps(touchdown.epoch), last[1:4])
    assert ground @ up == pytest.approx(-3.0 * 0.3048, abs=0.1)
    assert touchdown.mass_kg > 15150.0 - 8100.0
