"""Proximity approach legs, contact envelopes and docking through the station graph."""

import math

import numpy as np
import pytest

from stationsim.astro.relative import cw_propagate
from stationsim.errors import DockingError
from stationsim.hardware.station import Station
from stationsim.ops.proximity import (
    APPROACHES,
    ApproachSpec,
    approach_clock,
    check_contact,
    dock,
    plan_approach,
    undock,
)

N_MIR_RADPS = 2 * math.pi / (92.4 * 60)  # Mir, 92.4 min period (15.58 rev/day, Nov 1995 TLE)


@pytest.mark.parametrize("name", sorted(APPROACHES))
def test_the_clock_is_the_plan_s_and_the_arrival_moves_the_first_impulse_only(name):
    # The legs' times follow from the waypoints and n alone (what a plan's timeline reads);
    # the arrival velocity is absorbed by the first impulse (a hold's stop, if it comes first)
    arrival_mps = np.array([0.12, -0.03, 0.25])
    clock = approach_clock(APPROACHES[name], N_MIR_RADPS)
    at_rest = plan_approach(APPROACHES[name], N_MIR_RADPS)
    arriving = plan_approach(APPROACHES[name], N_MIR_RADPS, arrival_mps)
    for approach in (at_rest, arriving):
        assert [(leg.kind, leg.start_s, leg.duration_s) for leg in approach.legs] == [
            (leg.kind, leg.start_s, leg.duration_s) for leg in clock.legs]
        assert approach.duration_s == clock.duration_s
    first, *rest = zip(at_rest.legs, arriving.legs, strict=True)
    assert np.array_equal(first[0].dv_lvlh_mps - arrival_mps, first[1].dv_lvlh_mps)
    assert all(np.array_equal(a.dv_lvlh_mps, b.dv_lvlh_mps) for a, b in rest)


@pytest.mark.parametrize("name", sorted(APPROACHES))
def test_legs_reach_their_waypoints_under_cw(name):
    # Each transfer leg, started with the velocity after its impulse, must arrive where the next
    # leg starts: propagated independently with the CW solution (Fehse 2003 eq. 3.25).
    approach = plan_approach(APPROACHES[name], N_MIR_RADPS)
    rho_dot = np.zeros(3)
    for leg in approach.legs:
        if leg.kind in ("glideslope", "transition"):
            departure = rho_dot + leg.dv_lvlh_mps
            rho_end, rho_dot = cw_propagate(N_MIR_RADPS, leg.from_lvlh_m, departure, leg.duration_s)
            assert np.allclose(rho_end, leg.to_lvlh_m, atol=1e-6)
        elif leg.kind == "hold":
            rho_dot = np.zeros(3)
    assert np.allclose(approach.legs[-1].to_lvlh_m, 0.0)
    assert approach.duration_s == pytest.approx(sum(leg.duration_s for leg in approach.legs))


def test_glideslope_durations_follow_the_time_constant():
    # exponential glideslope: t = tau ln(r0 / r1); R-bar 800 m -> 75 m with tau = 1000 s
    spec = APPROACHES["shuttle-mir"]
    approach = plan_approach(spec, N_MIR_RADPS)
    to_hold = [leg for leg in approach.legs if leg.kind == "glideslope"
               and np.linalg.norm(leg.to_lvlh_m) >= 75.0 - 1e-9]
    assert sum(leg.duration_s for leg in to_hold) == pytest.approx(1000.0 * math.log(800 / 75))
    holds = [leg for leg in approach.legs if leg.kind == "hold"]
    assert [leg.duration_s for leg in holds] == [15 * 60.0, 5 * 60.0]
    # R-bar stationkeeping at 75 m costs 3 n^2 z T (CW radial acceleration, Fehse eq. 3.22)
    assert holds[0].thrust_dv_mps == pytest.approx(3 * N_MIR_RADPS**2 * 75.0 * 900.0)
    # on V-bar a hold is free (an equilibrium of the CW equations)
    kurs_holds = [leg for leg in plan_approach(APPROACHES["kurs"], N_MIR_RADPS).legs
                  if leg.kind == "hold"]
    assert all(leg.thrust_dv_mps == 0.0 for leg in kurs_holds)


def test_kurs_final_approach_is_the_soyuz_tm31_plan():
    # NASA ISS status report 00-47: station-keeping at ~500 ft from 3:06 a.m., final approach
    # from 3:15 a.m., docking at 3:24 a.m.: a 9-min hold at ~152 m, then 9 min to contact
    approach = plan_approach(APPROACHES["kurs"], N_MIR_RADPS)
    (hold,) = [leg for leg in approach.legs if leg.kind == "hold"]
    assert float(np.linalg.norm(hold.from_lvlh_m)) == pytest.approx(500 * 0.3048)
    assert hold.duration_s == pytest.approx(9 * 60.0)
    after_s = approach.duration_s - hold.start_s - hold.duration_s
    assert after_s == pytest.approx(9 * 60.0, abs=1.0)


def test_contact_velocity_is_the_spec_speed_along_the_docking_axis():
    approach = plan_approach(APPROACHES["shuttle-iss"], N_MIR_RADPS)
    # ISS era: arrive on R-bar, then +V-bar; contact 0.1 ft/s (STS-71/96 records)
    assert np.allclose(approach.contact_velocity_lvlh_mps, [-0.1 * 0.3048, 0.0, 0.0])
    assert any(leg.kind == "transition" for leg in approach.legs)


def test_approach_spec_validation():
    with pytest.raises(ValueError, match="axis"):
        ApproachSpec("bad", "h-bar", 100.0, "r-bar", (), 100.0, 0.1, "test")
    with pytest.raises(ValueError, match="transition_range_m"):
        ApproachSpec("bad", "r-bar", 100.0, "+v-bar", (), 100.0, 0.1, "test")
    with pytest.raises(ValueError, match="n_radps"):
        plan_approach(APPROACHES["kurs"], -1.0)


def test_contact_envelope():
    check_contact("APAS-89", 0.03, 0.02, math.radians(1.0))
    with pytest.raises(DockingError, match="closing speed 0.300 m/s"):
        check_contact("APAS-89", 0.3, 0.0, 0.0)
    with pytest.raises(DockingError, match="lateral misalignment"):
        check_contact("SSVP-probe", 0.2, 0.5, 0.0)
    with pytest.raises(DockingError, match="angular misalignment"):
        check_contact("SSVP-probe", 0.2, 0.0, math.radians(12.0))
    with pytest.raises(DockingError, match="berthing"):
        check_contact("CBM-passive", 0.05, 0.0, 0.0)


@pytest.fixture
def mir_with_kristall(catalog):
    mir = Station(catalog.module("mir-core"))
    mir.attach("kvant-1", catalog.module("kvant-1"), at="mir-core.aft")
    mir.attach("kristall", catalog.module("kristall"), at="mir-core.minus-z", via_port="forward")
    return mir


def test_docking_frees_and_takes_ports(mir_with_kristall, catalog):
    approach = plan_approach(APPROACHES["shuttle-mir"], N_MIR_RADPS)
    port = dock(mir_with_kristall, "atlantis", catalog.vehicle("atlantis"), approach, 0.0,
                port="kristall.axial")
    assert port == "kristall.axial"
    assert mir_with_kristall.occupant("kristall.axial") == "atlantis"
    # occupied: a second orbiter is refused with the occupant named
    with pytest.raises(DockingError, match="occupied by 'atlantis'"):
        dock(mir_with_kristall, "endeavour", catalog.vehicle("endeavour"), approach, 0.0,
             port="kristall.axial")
    assert undock(mir_with_kristall, "atlantis") == "kristall.axial"
    assert mir_with_kristall.occupant("kristall.axial") is None


def test_docking_refused_on_incompatible_port(mir_with_kristall, catalog):
    approach = plan_approach(APPROACHES["shuttle-mir"], N_MIR_RADPS)
    # the core's forward port is an SSVP drogue: the orbiter's APAS cannot mate with it
    with pytest.raises(DockingError, match="cannot attach"):
        dock(mir_with_kristall, "atlantis", catalog.vehicle("atlantis"), approach, 0.0,
             port="mir-core.forward")
    # without a port the first free one that fits is chosen
    assert dock(mir_with_kristall, "soyuz-tm-22", catalog.vehicle("soyuz-tm"),
                plan_approach(APPROACHES["kurs"], N_MIR_RADPS), 0.0).startswith("mir-core.")


def test_docking_refused_when_contact_is_too_fast(mir_with_kristall, catalog):
    fast = ApproachSpec("fast", "-v-bar", 100.0, "-v-bar", (), 100.0, 0.5, "test")
    with pytest.raises(DockingError, match="contact refused"):
        dock(mir_with_kristall, "soyuz-tm-22", catalog.vehicle("soyuz-tm"),
             plan_approach(fast, N_MIR_RADPS), 0.0)
    assert "soyuz-tm-22" not in mir_with_kristall
