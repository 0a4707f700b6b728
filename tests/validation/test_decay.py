"""Re-entry by decay under the real space weather: Tiangong-1 and Sputnik 1."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.integrate import quad
from scipy.special import erf

from stationsim.astro.time import Epoch
from stationsim.hardware.module import tumbling_area_m2
from stationsim.program.engine import simulate
from stationsim.scenario import load_program
from stationsim.validation.compare import compare_entry, load_record
from stationsim.validation.decay import decay_reentry_s, drag_scale

RECORD = load_record()


def _decay_entry(program: str, subject: str | None = None):
    """The program's decay row from documented inputs, or the one of ``subject``."""
    (entry,) = [e for e in RECORD.programs[program] if e.quantity == "decay_reentry_utc"
                and (e.subject == subject if subject else "tracked_period" not in e.extra)]
    return entry


def test_tumbling_area_is_the_orientation_average_of_the_projection():
    # Independent: a cylinder seen at angle theta from its axis projects
    # pi r^2 |cos theta| + 2 r L sin theta; average over the sphere (weight sin theta / 2).
    length_m, radius_m = 10.4, 1.675

    def projected_m2(theta):
        return np.pi * radius_m**2 * abs(np.cos(theta)) + 2 * radius_m * length_m * np.sin(theta)

    mean_m2, _ = quad(lambda theta: projected_m2(theta) * np.sin(theta) / 2.0, 0.0, np.pi,
                      points=[np.pi / 2], epsabs=1e-12)
    assert tumbling_area_m2(length_m, 2 * radius_m) == pytest.approx(mean_m2, rel=1e-8)


def _plate_cd(gamma, s, wall_over_gas_t):
    """Drag per unit area / dynamic pressure of a surface element whose normal makes cosine
    ``gamma`` with the oncoming flow: free-molecular, diffuse re-emission at the wall
    temperature, full accommodation (Sentman 1961, LMSC-448514)."""
    p = np.exp(-(gamma * s) ** 2) / s
    z = 1.0 + erf(gamma * s)
    reemitted = np.sqrt(wall_over_gas_t) / s
    return (p / np.sqrt(np.pi) + gamma * (1.0 + 0.5 / s**2) * z
            + 0.5 * gamma * reemitted * (gamma * np.sqrt(np.pi) * z + p))


def test_tumbling_body_has_the_sphere_s_drag_coefficient_on_its_mean_area():
    # Independent: the sphere's closed form (Cook, ARC C.P. 523) against Sentman's plate drag
    # summed over a cylinder (a thin rod, Sputnik 1's 2.9 m antenna at 1 cm) averaged over
    # random orientations, divided by the model's tumbling area. Every element of a convex
    # body sees the same spread of flow directions, so one Cd holds for any tumbling shape:
    # rods add drag through their area only (docs/lifetime.md).
    s, ratio = 8.0, 300.0 / 1200.0  # speed ratio and wall / gas temperature near 228 km
    sphere_cd = ((2 * s**2 + 1) / (np.sqrt(np.pi) * s**3) * np.exp(-s**2)
                 + (4 * s**4 + 4 * s**2 - 1) / (2 * s**4) * erf(s)
                 + 2 * np.sqrt(np.pi) / (3 * s) * np.sqrt(ratio))
    length_m, diameter_m = 2.9, 0.01
    theta = np.linspace(0.0, np.pi, 2001)[:, None]  # axis to flow
    phi = np.linspace(0.0, 2 * np.pi, 360, endpoint=False)[None, :]  # around the axis
    side = _plate_cd(np.sin(theta) * np.cos(phi), s, ratio).mean(axis=1) * np.pi * diameter_m
    ends = (_plate_cd(np.cos(theta[:, 0]), s, ratio) + _plate_cd(-np.cos(theta[:, 0]), s, ratio))
    drag_m2 = side * length_m + ends * np.pi * diameter_m**2 / 4
    mean_drag_m2 = np.trapezoid(drag_m2 * np.sin(theta[:, 0]) / 2, theta[:, 0])
    tumbling_cd = mean_drag_m2 / tumbling_area_m2(length_m, diameter_m)
    assert 2.09 < sphere_cd < 2.12
    assert tumbling_cd == pytest.approx(sphere_cd, rel=1e-5)
    # Across the flow the rod is barely above the sphere (diffuse re-emission), +0.3 %:
    across_cd = _plate_cd(np.cos(phi[0]), s, ratio).mean() * np.pi
    assert across_cd == pytest.approx(sphere_cd, rel=0.005)


def test_tiangong_1_decay_from_its_last_tracking_set():
    # Record: re-entry 2018-04-02 ~00:16 UTC (later_stations_and_docking.csv), 45 days after
    # the 2018-02-15 element set. Tolerance from record.yaml: 20 % of the remaining lifetime,
    # the 90 % window of IADC re-entry campaign predictions (Pardini and Anselmo).
    entry = _decay_entry("tiangong-1")
    comparison = compare_entry(entry, decay_reentry_s(entry))
    assert comparison.within, comparison.difference / 86400.0


@pytest.mark.xfail(strict=True, reason="documented miss: the bare sphere lives 1.8 times too "
                   "long; tracking measured 1.55 times its drag from launch, which NRLMSIS "
                   "at F10.7 270 and Cd (rods included) cannot supply, and the antennas' "
                   "thickness is unpublished (docs/lifetime.md)")
def test_sputnik_1_decay_from_the_launch_orbit():
    # Record: re-entry 1958-01-04 (NSSDC 1957-001B); tolerance from record.yaml: 20 % of the
    # 92 days (re-entry prediction spread, Pardini and Anselmo, IADC campaigns).
    entry = _decay_entry("sputnik-1")
    assert compare_entry(entry, decay_reentry_s(entry)).within


def test_sputnik_1_decay_from_its_tracking_of_1957_10_26():
    # Record: re-entry 1958-01-04 (NSSDC 1957-001B). Tracking (SAO, quoted by Time on
    # 1957-11-04): 96.20 min when first tracked, 95.31 min after 326 revolutions. Predicted on
    # 1957-10-26 with the drag that tracking measured; tolerance from record.yaml: 20 % of the
    # 70 days left (Pardini and Anselmo). The bare sphere on NRLMSIS 2.1 loses 0.562 min over
    # those revolutions where SAO saw 0.89: the drag the documented inputs miss
    # (docs/lifetime.md). The loss grows faster than the drag (a perigee that falls faster
    # meets denser air), so the measured scale sits just below the ratio of the losses.
    entry = _decay_entry("sputnik-1", "Sputnik 1 (from its tracking of 1957-10-26)")
    assert 1.50 < drag_scale(entry) < 0.89 / 0.562
    comparison = compare_entry(entry, decay_reentry_s(entry))
    assert comparison.within, comparison.difference / 86400.0


def test_sputnik_1_rocket_decay_from_its_tracking_of_1957_10_26():
    # Record: the core stage (1957 alpha 1) re-entered on 1957-12-01 ~08:46 UT (NSSDC
    # 1957-001A), 36 days after the same SAO report saw it at 94.68 min. Predicted from the
    # satellite's orbit at separation and that period alone (no mass or area needed); the
    # tolerance is 20 % of the 36 days left (Pardini and Anselmo): the model's decay through
    # Nov 1957 (space weather, the perigee's fall) checked on a second object.
    entry = _decay_entry("sputnik-1", "Sputnik 1 rocket body (from its tracking of 1957-10-26)")
    comparison = compare_entry(entry, decay_reentry_s(entry))
    assert comparison.within, comparison.difference / 86400.0


def test_run_and_validation_are_one_computation():
    # stationsim run's re-entry event and validate-history's decay row come from the same
    # function on the same program file: they must agree to the second.
    entry = _decay_entry("sputnik-1")
    (event,) = [e for e in simulate(load_program("sputnik-1")).events if e.kind == "reentry"]
    assert event.flight == "Sputnik 1"
    run_s = Epoch(event.t_s).to_datetime().timestamp()
    assert abs(run_s - decay_reentry_s(entry)) < 1.0
    assert "latitude band 65.1 S to 65.1 N" in event.detail  # weeks of spread: no place


def test_uncontrolled_station_reentry_says_how_well_it_was_known():
    # Tiangong-1, tumbling from 2016-03-16, last tracked 2018-02-15T13:56:49Z in the program:
    # the re-entry is known to +-20 % of the time since then (Pardini and Anselmo), over 45 days
    # +-9 days, far more than a revolution: only the latitude band up to its 42.8 deg inclination.
    (event,) = [e for e in simulate(load_program("tiangong-1")).events if e.kind == "reentry"]
    fix_s = Epoch.from_utc(2018, 2, 15, 13, 56, 49).tt_s
    spread_d = 0.2 * (event.t_s - fix_s) / 86400.0
    assert 8.0 < spread_d < 10.0
    assert f"+-{spread_d:.1f} d" in event.detail
    assert "from the tracking of 2018-02-15T13:56:49Z" in event.detail
    assert event.detail.endswith("latitude band 42.8 S to 42.8 N")
