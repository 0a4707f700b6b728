"""Feasibility checks: each names the flight (or orbit), the figures and the fix."""

from __future__ import annotations

import math
import re

import pytest

from stationsim.astro.constants import DEG, G0_MPS2
from stationsim.cli import main
from stationsim.hardware import load_catalog
from stationsim.scenario.feasibility import (
    MIN_PERIGEE_KM,
    perigee_problem,
    propellant_shortfall,
    reach_problem,
)

CATALOG = load_catalog()
MIR_TLE = """MIR
1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051
2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898
"""


def test_propellant_beyond_the_load_names_the_ratio_and_the_fix():
    # The case of a 7,474 kg Crew Dragon plan against its 2,560 kg load (catalog, approximate).
    text = propellant_shortfall("Crew-3", CATALOG.vehicle("crew-dragon"), 7474.0)
    assert text.startswith("Crew-3: out of propellant: the plan needs 7,474 kg and crew-dragon "
                           "carries 2,560 kg (2.9 times its load)")
    assert "launch nearer" in text
    assert propellant_shortfall("Crew-3", CATALOG.vehicle("crew-dragon"), 2560.0) == ""


def test_plan_rendezvous_refuses_a_plan_beyond_the_propellant(capsys, tmp_path):
    from stationsim.astro.propagate import Sgp4Propagator
    from stationsim.astro.time import Epoch
    from stationsim.astro.tle import parse_tle_lines
    from stationsim.ops.launch import find_site
    from stationsim.ops.rendezvous import plan_rendezvous

    (tmp_path / "mir.tle").write_text(MIR_TLE)
    # a launch whose phase has a revolution-34 plan with the Kurs final leg in coverage
    args = ["plan", "rendezvous", "--station-tle", str(tmp_path / "mir.tle"), "--vehicle",
            "mercury", "--site", "baikonur-site-1", "--launch", "1995-11-12T05:00:00Z",
            "--profile", "soyuz-two-day"]
    assert main(args) == 2
    err = capsys.readouterr().err
    needed_kg = float(re.search(r"needs ([\d,]+) kg", err)[1].replace(",", ""))
    # the same plan from the API, and the rocket equation on its delta-v (Tsiolkovsky, with
    # the Mercury capsule's 1,355 kg and Isp 230 s from the catalog)
    mercury = CATALOG.vehicle("mercury")
    plan = plan_rendezvous(Sgp4Propagator(parse_tle_lines(*MIR_TLE.splitlines()[1:])), mercury,
                           find_site("baikonur-site-1"), Epoch.from_utc_iso(
                               "1995-11-12T05:00:00Z"), "soyuz-two-day")
    assert needed_kg == pytest.approx(plan.propellant_kg, abs=0.5)
    assert needed_kg > mercury.propellant_mass_kg
    one_burn_kg = mercury.wet_mass_kg * -math.expm1(-plan.total_dv_mps / (230.0 * G0_MPS2))
    assert needed_kg == pytest.approx(one_burn_kg, rel=0.05)  # burns in sequence vs one burn
    assert "out of propellant" in err and "mercury carries 59 kg" in err


def test_a_phasing_orbit_below_100_km_is_refused(capsys):
    # 400 km circle, target 13.9 deg ahead in one revolution: period ratio 1 - 13.9/360, so
    # a = 6778.137 km x 0.96139^(2/3) and the perigee 2a - r_apogee is about 50 km up.
    a_km = 6778.137 * (1 - 13.9 / 360) ** (2 / 3)
    perigee_km = 2 * a_km - 6778.137 - 6378.137
    assert 0 < perigee_km < MIN_PERIGEE_KM
    code = main(["plan", "transfer", "--from-alt-km", "300", "--to-alt-km", "400",
                 "--phase-deg", "13.9", "--revs", "1"])
    err = capsys.readouterr().err
    assert code == 2 and f"got {perigee_km:.0f} km" in err and "--revs" in err
    assert main(["plan", "transfer", "--from-alt-km", "300", "--to-alt-km", "400",
                 "--phase-deg", "13.9", "--revs", "3"]) == 0
    assert perigee_problem(100.0, "x") == ""


def test_a_site_north_of_the_inclination_names_its_latitude():
    baikonur = CATALOG.site("baikonur-site-1")
    text = reach_problem(baikonur, 28.5 * DEG)
    assert "45.92 deg latitude" in text and "choose a site at or below 28.5 deg" in text
    assert reach_problem(baikonur, 51.6 * DEG) == ""
    # A retrograde plane overflies latitudes up to 180 deg - i: at 170 deg, 10 deg. The
    # message said "the least inclination from there is 45.92 deg" and "choose a site at or
    # below 170.0 deg latitude".
    text = reach_problem(baikonur, 170.0 * DEG)
    assert "run from 45.92 to 134.08 deg" in text and "at or below 10.0 deg latitude" in text


def test_an_azimuth_the_range_forbids_is_named():
    # A sun-synchronous 98 deg orbit from KSC needs sin(Az) = cos(98 deg) / cos(28.6 deg),
    # Az = -9.0 or 189.0 deg (Vallado 4th ed. eq. 6-22): outside the Eastern Range's 35-120 deg.
    ksc = CATALOG.site("ksc-lc-39a")
    azimuth_deg = math.degrees(math.asin(math.cos(98 * DEG) / math.cos(ksc.latitude_rad)))
    text = reach_problem(ksc, 98.0 * DEG)
    assert f"{azimuth_deg:.1f} or {180 - azimuth_deg:.1f} deg" in text
    assert "allows launch azimuths 35 to 120 deg" in text
    assert reach_problem(ksc, 51.6 * DEG) == ""


def test_plan_transfer_refuses_a_radius_written_as_an_altitude(capsys):
    # 6,793 km from the centre is 415 km up: the ISS's radius, not an altitude
    code = main(["plan", "transfer", "--from-alt-km", "300", "--to-alt-km", "6793"])
    err = capsys.readouterr().err
    assert code == 2 and err.startswith("error: --to-alt-km 6793 looks like a radius")
    assert f"is {6793 - 6378.137:.0f} km up" in err
