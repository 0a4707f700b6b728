"""Reboost policy and deorbit planning."""

import math

import numpy as np
import pytest
from scipy.integrate import solve_ivp

from stationsim.astro.constants import DEG, R_EARTH_M
from stationsim.astro.elements import elements_to_state
from stationsim.astro.forces import acceleration_gcrf_mps2, altitude_m
from stationsim.astro.frames import lvlh_matrix, subpoint
from stationsim.astro.maneuvers import hohmann
from stationsim.astro.propagate import J2Secular, OrbitState, TwoBody
from stationsim.astro.time import Epoch
from stationsim.ops.stationkeeping import (
    ENTRY_INTERFACE_ALT_M,
    Engine,
    great_circle_m,
    ground_impact,
    mean_altitude_m,
    plan_deorbit,
    reboost_burns,
)

T0 = Epoch.from_utc(1997, 6, 25)
PROGRESS = Engine("progress-m", 302.0, 880.0)  # vehicles.yaml: Progress M, Isp 302 s, 880 kg


def test_engine_of_a_docked_vehicle(catalog):
    engine = Engine.of_vehicle(catalog.vehicle("progress-m"))
    assert (engine.isp_s, engine.propellant_kg) == (302, 880)
    with pytest.raises(ValueError, match="isp_s"):
        Engine.of_vehicle(catalog.vehicle("sputnik-1"))


def _state(altitude_m, e=0.0005):
    return elements_to_state(R_EARTH_M + altitude_m, e, 51.6 * DEG, 0.5, 0.3, 0.0)


def test_mean_altitude_averages_out_j2_short_periods():
    r, v = _state(390e3)
    assert mean_altitude_m(TwoBody(T0, r, v), T0) == pytest.approx(390e3, abs=1.0)


def test_reboost_below_the_band_is_a_hohmann_pair_to_its_top():
    # Vallado 4th ed. Alg. 36 (astro.maneuvers.hohmann) for the pair; mean altitude after it
    r, v = _state(370e3, e=0.0)
    burns = reboost_burns(T0, r, v, T0 + 3600.0, 380e3, 395e3, 120000.0, [PROGRESS], TwoBody)
    assert [b.name for b in burns] == ["reboost-1", "reboost-2"]
    expected = hohmann(R_EARTH_M + 370e3, R_EARTH_M + 395e3)
    assert burns[0].dv_mps == pytest.approx(float(expected.dv1_mps), rel=1e-3)
    assert burns[1].dv_mps == pytest.approx(float(expected.dv2_mps), rel=1e-3)
    assert float(burns[1].epoch - burns[0].epoch) == pytest.approx(
        float(expected.transfer_time_s))
    assert burns[0].dv_lvlh_mps[0] > 0 and abs(burns[0].dv_lvlh_mps[2]) < 1e-3
    mass = 120000.0
    for burn in burns:  # Tsiolkovsky, Isp 302 s
        assert burn.propellant_kg == pytest.approx(
            mass * -math.expm1(-burn.dv_mps / (302.0 * 9.80665)), rel=1e-9)
        mass -= burn.propellant_kg


def test_no_reboost_inside_the_band_and_bad_inputs():
    r, v = _state(390e3)
    assert reboost_burns(T0, r, v, T0 + 2 * 86400.0, 380e3, 400e3, 1.2e5, [PROGRESS],
                         J2Secular) == []
    with pytest.raises(ValueError, match="low_alt_m < high_alt_m"):
        reboost_burns(T0, r, v, T0 + 1.0, 400e3, 380e3, 1.2e5, [PROGRESS], TwoBody)
    r_low, v_low = _state(300e3, e=0.0)
    with pytest.raises(ValueError, match="no engine has the propellant"):
        reboost_burns(T0, r_low, v_low, T0 + 1.0, 380e3, 400e3, 1.2e5,
                      [Engine("empty", 302.0, 10.0)], TwoBody)


def test_deorbit_reaches_the_entry_interface_near_the_aim():
    # Mir, 2001: lowering burns, then a retro burn timed to put the entry in the South Pacific
    r, v = _state(215e3, e=0.0003)
    aim_lat, aim_lon = -44.0 * DEG, -150.0 * DEG
    engine = Engine("progress-m1", 302.0, 2600.0)
    plan = plan_deorbit(T0, r, v, 135000.0, engine, aim_lat, aim_lon,
                        perigee_steps_alt_m=(185e3, 160e3), final_perigee_alt_m=60e3)
    assert [b.name for b in plan.burns] == ["deorbit-1", "deorbit-2", "deorbit"]
    assert all(b.dv_lvlh_mps[0] < 0 for b in plan.burns)
    assert plan.propellant_kg <= engine.propellant_kg
    # Independent replay: two-body arcs, burns applied in the LVLH they are given in, and the
    # height above WGS-84 (ERFA gc2gde via frames.subpoint) at the entry epoch is 120 km.
    epoch, r_m, v_mps = T0, r, v
    for burn in plan.burns:
        r_m, v_mps = TwoBody(epoch, r_m, v_mps).states(burn.epoch)
        v_mps = v_mps + lvlh_matrix(r_m, v_mps).T @ burn.dv_lvlh_mps
        epoch = burn.epoch
    r_entry, _ = TwoBody(epoch, r_m, v_mps).states(plan.entry_epoch)
    lat, lon, height = subpoint(r_entry, plan.entry_epoch)
    assert float(height) == pytest.approx(ENTRY_INTERFACE_ALT_M, abs=100.0)
    assert float(lat) == pytest.approx(plan.entry_latitude_rad, abs=1e-6)
    # a ground track passes within one track spacing (~2,500 km at 51.6 deg) within a day
    assert plan.miss_m < 1.3e6


def test_deorbit_refused_without_the_propellant():
    r, v = _state(215e3, e=0.0003)
    with pytest.raises(ValueError, match="propellant"):
        plan_deorbit(T0, r, v, 135000.0, Engine("small", 302.0, 500.0), 0.0, 0.0,
                     final_perigee_alt_m=60e3)


def test_drag_decay_triggers_a_reboost_back_into_the_band():
    # Vallado's exponential atmosphere (Table 8-4) and a large Cd A / m make a 350 km orbit
    # decay through the band's floor within two days; the reboost restores the top.
    from functools import partial

    from stationsim.astro.atmosphere import exponential_table
    from stationsim.astro.propagate import Numerical

    model = partial(Numerical, cd_area_over_mass_m2pkg=0.05, density_table=exponential_table(),
                    zonal_degree=2, rtol=1e-9, atol=1e-3)
    r, v = _state(350e3, e=0.0)
    floor_m = mean_altitude_m(model(T0, r, v), T0 + 86400.0)
    burns = reboost_burns(T0, r, v, T0 + 2 * 86400.0, floor_m, 360e3, 1.2e5, [PROGRESS], model,
                          check_every_s=3 * 3600.0)
    assert burns and burns[0].name == "reboost-1"
    assert float(burns[0].epoch - T0) > 86400.0 - 3 * 3600.0
    epoch, r_m, v_mps = T0, r, v
    for burn in burns[:2]:  # replay the pair in the same model
        r_m, v_mps = model(epoch, r_m, v_mps).states(burn.epoch)
        v_mps = v_mps + lvlh_matrix(r_m, v_mps).T @ burn.dv_lvlh_mps
        epoch = burn.epoch
    after = mean_altitude_m(model(epoch, r_m, v_mps), epoch)
    assert after == pytest.approx(360e3, abs=2e3)


def test_ground_impact_without_drag_is_the_orbit_meeting_the_ellipsoid():
    # With no drag the fall is the orbit itself: the impact is where an independent integration
    # of the same gravity (scipy DOP853 at rtol 1e-12 on forces.acceleration_gcrf_mps2, with a
    # terminal event at 0 m above WGS-84) meets the ground, to well under a second and 10 m.
    epoch = Epoch.from_utc(2001, 3, 23, 5, 45)
    perigee_m, apogee_m = R_EARTH_M - 200e3, R_EARTH_M + 100e3
    a_m = 0.5 * (perigee_m + apogee_m)
    e = (apogee_m - perigee_m) / (perigee_m + apogee_m)
    r_m, v_mps = elements_to_state(a_m, e, 51.6 * DEG, 4.0, 0.5, math.pi - 0.01)
    impact = ground_impact(OrbitState(epoch, r_m, v_mps), 0.0)

    def rhs(t_s, y):
        return np.concatenate([y[3:], acceleration_gcrf_mps2(epoch.tt_s + t_s, y[:3], y[3:])])

    def ground(t_s, y):
        return altitude_m(y[0], y[1], y[2])

    ground.terminal = True
    solution = solve_ivp(rhs, (0.0, 3600.0), np.concatenate([r_m, v_mps]), method="DOP853",
                         rtol=1e-12, atol=1e-6, events=ground)
    (t_hit_s,), (y_hit,) = solution.t_events[0], solution.y_events[0]
    assert float(impact.epoch - epoch) == pytest.approx(t_hit_s, abs=1e-3)
    assert math.dist(impact.r_m, y_hit[:3]) < 10.0


def test_drag_brings_a_falling_body_down_short_of_a_heavier_one():
    # Mir's entry at 100 km (the mir program): a piece of m / (Cd A) = 30 kg/m2 falls short
    # of the intact station's 233 kg/m2, and both land down-range of the entry point.
    epoch = Epoch.from_utc(2001, 3, 23, 5, 49)
    r_m, v_mps = elements_to_state(R_EARTH_M + 135e3, 0.0085, 51.6 * DEG, 4.0, 0.5, math.pi)
    heavy = ground_impact(OrbitState(epoch, r_m, v_mps), 1.0 / 233.0)
    light = ground_impact(OrbitState(epoch, r_m, v_mps), 1.0 / 30.0)
    start = subpoint(r_m, epoch)
    ranges_m = [great_circle_m(start[0], start[1], *subpoint(s.r_m, s.epoch)[:2])
                for s in (light, heavy)]
    assert 0.0 < ranges_m[0] < ranges_m[1]
