"""``stationsim plan transfer``: JSON numbers against the Hohmann formula, exit codes."""

from __future__ import annotations

import json
import math

import pytest

from stationsim.astro.constants import GM_EARTH_M3PS2, KM, R_EARTH_M
from stationsim.cli import main


def _vis_viva_mps(radius_m: float, a_m: float) -> float:
    return math.sqrt(GM_EARTH_M3PS2 * (2.0 / radius_m - 1.0 / a_m))


def test_json_matches_the_hohmann_formula(capsys):
    code = main(["plan", "transfer", "--from-alt-km", "300", "--to-alt-km", "400", "--json"])
    assert code == 0
    payload = json.loads(capsys.readouterr().out)
    # Independent formula (Vallado 4th ed. Alg. 36): vis-viva at both ends of the ellipse.
    r1_m, r2_m = R_EARTH_M + 300 * KM, R_EARTH_M + 400 * KM
    a_m = 0.5 * (r1_m + r2_m)
    dv1_mps = _vis_viva_mps(r1_m, a_m) - math.sqrt(GM_EARTH_M3PS2 / r1_m)
    dv2_mps = math.sqrt(GM_EARTH_M3PS2 / r2_m) - _vis_viva_mps(r2_m, a_m)
    hohmann = payload["hohmann"]
    assert abs(hohmann["dv1_mps"] - dv1_mps) < 1e-9
    assert abs(hohmann["dv2_mps"] - dv2_mps) < 1e-9
    assert abs(hohmann["dv_total_mps"] - (dv1_mps + dv2_mps)) < 1e-9
    half_period_min = math.pi * math.sqrt(a_m**3 / GM_EARTH_M3PS2) / 60.0
    assert abs(hohmann["transfer_time_min"] - half_period_min) < 1e-9
    assert "phasing" not in payload


def test_json_phasing_plan(capsys):
    code = main(["plan", "transfer", "--from-alt-km", "300", "--to-alt-km", "400",
                 "--phase-deg", "30", "--revs", "3", "--json"])
    assert code == 0
    plan = json.loads(capsys.readouterr().out)["phasing"]
    r_m = R_EARTH_M + 400 * KM
    a_m = plan["phasing_a_km"] * KM
    # Three phasing revolutions must last as long as the target needs for 3 turns less 30 deg.
    period_s = 2 * math.pi * math.sqrt(a_m**3 / GM_EARTH_M3PS2)
    target_s = (3 - 30 / 360) * 2 * math.pi * math.sqrt(r_m**3 / GM_EARTH_M3PS2)
    assert abs(3 * period_s - target_s) < 1e-6
    assert abs(plan["duration_min"] * 60 - target_s) < 1e-6
    dv_mps = 2 * abs(_vis_viva_mps(r_m, a_m) - math.sqrt(GM_EARTH_M3PS2 / r_m))
    assert abs(plan["dv_total_mps"] - dv_mps) < 1e-9
    assert abs(plan["phasing_apogee_alt_km"] - 400.0) < 1e-9  # target ahead: apogee is the circle


def test_table_output_shows_the_same_total(capsys):
    args = ["plan", "transfer", "--from-alt-km", "300", "--to-alt-km", "400"]
    assert main([*args, "--json"]) == 0
    total_mps = json.loads(capsys.readouterr().out)["hohmann"]["dv_total_mps"]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "Hohmann" in out and f"{total_mps:,.3f}" in out


def test_negative_altitude_exits_2(capsys):
    code = main(["plan", "transfer", "--from-alt-km", "-5", "--to-alt-km", "400"])
    assert code == 2
    err = capsys.readouterr().err
    assert "--from-alt-km" in err and len(err.strip().splitlines()) == 1


def test_phasing_below_the_surface_exits_2(capsys):
    code = main(["plan", "transfer", "--from-alt-km", "300", "--to-alt-km", "400",
                 "--phase-deg", "170", "--revs", "1"])
    assert code == 2
    assert "--revs" in capsys.readouterr().err


@pytest.mark.parametrize(("args", "option"), [
    (["--to-alt-km", "inf"], "--to-alt-km"),       # was "r_final_m must be finite"
    (["--to-alt-km", "1e300"], "--to-alt-km"),     # was a table with an infinite time
    (["--phase-deg", "nan"], "--phase-deg"),       # was "target_lead_rad must be finite"
    (["--phase-deg", "30", "--revs", "0"], "--revs"),  # was "revs must be > 0"
    (["--phase-deg", "1e300"], "--phase-deg"),     # was "target_lead_rad ... target_revs turns"
    (["--phase-deg", "-1e7"], "--phase-deg"),      # was a table with a 12-million-km apogee
    # was "target_lead_rad 6.283185307179586 is more than target_revs turns"
    (["--phase-deg", "360"], "--phase-deg"),
    # was an overflow warning, then "a_m must be finite, got np.float64(inf)"
    (["--phase-deg", "-1e300"], "--phase-deg"),
    (["--phase-deg", "-1e6"], "--phase-deg"),  # an apogee beyond the sphere of influence
    # was "no phasing ellipse: target_lead_rad 6.2657... in 1 revs needs a degenerate orbit"
    (["--phase-deg", "359"], "perigee too low for the phasing orbit of --phase-deg"),
])
def test_transfer_arguments_are_named_in_their_refusal(capsys, args, option):
    values = {"--from-alt-km": "300", "--to-alt-km": "400"}
    for key, value in zip(args[::2], args[1::2], strict=True):
        values[key] = value
    assert main(["plan", "transfer", *[x for pair in values.items() for x in pair]]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"error: {option} ") and len(err.strip().splitlines()) == 1


def test_transfer_altitude_bound_is_the_earth_sphere_of_influence():
    # Laplace: r = a (m_E / m_Sun)^(2/5), a = 1 au (IAU 2012), GM values (IERS 2010)
    from stationsim.cli.plan_transfer import MAX_ALTITUDE_KM

    soi_km = 1.495978707e8 * (3.986004418e14 / 1.32712440018e20) ** 0.4
    assert abs(MAX_ALTITUDE_KM - soi_km) < 1000.0


def test_vallado_example_6_1_through_the_command(capsys):
    # Vallado 4th ed. Example 6-1, 191.34411 km to 35,781.34857 km: 2.457038 + 1.478187
    # = 3.935224 km/s in 5.256713 h, to the printed digits (0.5 mm/s, 0.5e-6 h).
    assert main(["plan", "transfer", "--from-alt-km", "191.34411", "--to-alt-km",
                 "35781.34857", "--json"]) == 0
    hohmann = json.loads(capsys.readouterr().out)["hohmann"]
    assert abs(hohmann["dv1_mps"] - 2457.038) < 5e-4
    assert abs(hohmann["dv2_mps"] - 1478.187) < 5e-4
    assert abs(hohmann["dv_total_mps"] - 3935.224) < 5e-4
    assert abs(hohmann["transfer_time_min"] / 60.0 - 5.256713) < 5e-7
