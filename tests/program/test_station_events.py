"""A station's attitude events and the end of its reboost policy, on a one-module station."""

from __future__ import annotations

import math

from stationsim.astro.time import Epoch
from stationsim.hardware.catalog import load_catalog
from stationsim.program.engine import DEFAULT_CD, simulate
from stationsim.scenario.loader import load_text

PROGRAM = """
name: tumble
description: Tiangong-1 alone, reboosted until mid-span, then tumbling
span: {start_utc: 2015-01-01T00:00:00Z, end_utc: 2015-03-02T00:00:00Z}
seed: 1
stations:
  - id: lab
    orbit: {epoch_utc: 2015-01-01T00:00:00Z, perigee_km: 330, apogee_km: 340,
            inclination_deg: 42.77, raan_deg: 40.0, arg_perigee_deg: 0.0,
            true_anomaly_deg: 0.0}
    modules: {root: tiangong-1}
    reboost: {min_mean_altitude_km: 352, max_mean_altitude_km: 358, by: [tiangong-1]UNTIL}
    consumables: {propellant_kg: 500}
events:
  - {type: attitude, at_utc: 2015-02-01T00:00:00Z, mode: tumbling}
"""


def test_a_tumbling_station_drags_its_mean_projected_area_and_reboosts_end():
    result = simulate(load_text(PROGRAM.replace("UNTIL", ", until_utc: 2015-01-31T00:00:00Z")))
    module = load_catalog().module("tiangong-1")
    # Cauchy: a convex body's mean projected area is a quarter of its surface (closed cylinder
    # of the catalog's 10.4 m x 3.35 m; later_stations_and_docking.csv)
    radius_m = module.diameter_m / 2.0
    surface_m2 = 2.0 * math.pi * radius_m * module.length_m + 2.0 * math.pi * radius_m**2
    expected = DEFAULT_CD * surface_m2 / 4.0 / module.mass_kg
    assert math.isclose(result.stations["lab"].cd_area_over_mass_m2pkg, expected, rel_tol=1e-12)
    # the orbit starts below the floor: the policy reboosts at its first daily check, and never
    # after its end
    reboosts = [m.t_s for m in result.maneuvers if m.name.startswith("reboost")]
    until_s = Epoch.from_utc(2015, 1, 31).tt_s
    assert reboosts and reboosts[0] <= Epoch.from_utc(2015, 1, 2).tt_s
    assert max(reboosts) < until_s
    # without the end the tumbling station's faster decay brings another reboost in February
    endless = simulate(load_text(PROGRAM.replace("UNTIL", "")))
    assert max(m.t_s for m in endless.maneuvers if m.name.startswith("reboost")) > until_s
    attitude = [e for e in result.events if e.kind == "attitude"]
    assert len(attitude) == 1 and attitude[0].t_s == Epoch.from_utc(2015, 2, 1).tt_s


DOCKED = """
name: leaving-burner
description: a Progress reboosts Mir and undocks between the Hohmann pair's burns
span: {start_utc: 1995-11-01T00:00:00Z, end_utc: 1995-11-04T00:00:00Z}
seed: 1
stations:
  - id: mir
    orbit: {epoch_utc: 1995-11-01T00:00:00Z, perigee_km: 360.0, apogee_km: 364.0,
            inclination_deg: 51.644, raan_deg: 192.51, arg_perigee_deg: 278.35,
            true_anomaly_deg: 26.97}
    modules: {root: mir-core}
    reboost: {min_mean_altitude_km: 370, max_mean_altitude_km: 400, by: [progress-m]}
    docked:
      - {id: Progress M-29, vehicle: progress-m, port: mir-core.aft UNDOCK}
"""


def test_a_reboost_whose_burner_leaves_during_the_coast_skips_its_second_burn():
    whole = simulate(load_text(DOCKED.replace(" UNDOCK", "")))
    first, second = sorted(m.t_s for m in whole.maneuvers if m.name.startswith("reboost"))[:2]
    leave = Epoch(0.5 * (first + second)).utc_iso(0)
    cut = simulate(load_text(DOCKED.replace(" UNDOCK", f", undock_utc: {leave}")))
    burns = [m for m in cut.maneuvers if m.name.startswith("reboost")]
    assert [m.name for m in burns] == ["reboost-1"] and burns[0].t_s == first
    (skipped,) = [e for e in cut.events if e.kind == "reboost" and "left" in e.detail]
    assert skipped.t_s == second
