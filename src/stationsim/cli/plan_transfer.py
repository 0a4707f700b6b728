"""``stationsim plan transfer``: Hohmann transfer between circular orbits, and optional phasing."""

from __future__ import annotations

import math

import typer

from stationsim.cli.app import plan_app

# Laplace's sphere of influence of the Earth, a (m_E / m_Sun)^(2/5) with a = 1 au: beyond it the
# Sun, not the Earth, rules the orbit and a Hohmann transfer about the Earth means nothing.
MAX_ALTITUDE_KM = 925_000.0


@plan_app.command("transfer")
def plan_transfer(
    from_alt_km: float = typer.Option(
        ..., "--from-alt-km", help="Altitude of the start circle, km."
    ),
    to_alt_km: float = typer.Option(..., "--to-alt-km", help="Altitude of the final circle, km."),
    phase_deg: float | None = typer.Option(
        None,
        "--phase-deg",
        help="Angle by which the target leads the chaser in the final circle, deg "
        "(negative: target behind). Adds a co-orbital phasing plan.",
    ),
    revs: int = typer.Option(1, "--revs", help="Revolutions on the phasing orbit."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Delta-v and time of a Hohmann transfer (Vallado 4th ed. Alg. 36), and of phasing."""
    from stationsim.astro.constants import DEG, KM, R_EARTH_M
    from stationsim.astro.maneuvers import hohmann, phasing
    from stationsim.cli.output import print_json, print_table
    from stationsim.scenario.feasibility import radius_problem

    for name, altitude_km in (("--from-alt-km", from_alt_km), ("--to-alt-km", to_alt_km)):
        if not 0.0 <= altitude_km <= MAX_ALTITUDE_KM:
            raise ValueError(f"{name} must be an altitude from 0 to {MAX_ALTITUDE_KM:,.0f} km "
                             f"(the Earth's sphere of influence), got {altitude_km:g}")
        if problem := radius_problem(altitude_km):
            raise ValueError(f"{name} {altitude_km:g} {problem}")
    if phase_deg is not None and not math.isfinite(phase_deg):
        raise ValueError(f"--phase-deg must be a finite angle, got {phase_deg}")
    if revs < 1:
        raise ValueError(f"--revs must be at least 1, got {revs}")
    if phase_deg is not None:
        _check_phasing_orbit(R_EARTH_M + to_alt_km * KM, phase_deg, revs)
    transfer = hohmann(R_EARTH_M + from_alt_km * KM, R_EARTH_M + to_alt_km * KM)
    payload: dict = {
        "hohmann": {
            "from_alt_km": from_alt_km,
            "to_alt_km": to_alt_km,
            "dv1_mps": float(transfer.dv1_mps),
            "dv2_mps": float(transfer.dv2_mps),
            "dv_total_mps": float(transfer.dv_total_mps),
            "transfer_time_min": float(transfer.transfer_time_s) / 60.0,
        }
    }
    if phase_deg is not None:
        plan = phasing(R_EARTH_M + to_alt_km * KM, phase_deg * DEG, revs)
        perigee_alt_km = (float(plan.periapsis_m) - R_EARTH_M) / KM
        payload["phasing"] = {
            "phase_deg": phase_deg,
            "revs": revs,
            "phasing_a_km": float(plan.a_phasing_m) / KM,
            "phasing_perigee_alt_km": perigee_alt_km,
            "phasing_apogee_alt_km": (float(plan.apoapsis_m) - R_EARTH_M) / KM,
            "dv_total_mps": float(plan.dv_total_mps),
            "duration_min": float(plan.duration_s) / 60.0,
        }
    if as_json:
        print_json(payload)
        return
    hohmann_row = payload["hohmann"]
    print_table(
        f"Hohmann transfer {from_alt_km:g} km -> {to_alt_km:g} km",
        ["dv1 (m/s)", "dv2 (m/s)", "total (m/s)", "transfer (min)"],
        [[hohmann_row["dv1_mps"], hohmann_row["dv2_mps"], hohmann_row["dv_total_mps"],
          hohmann_row["transfer_time_min"]]],
    )
    if "phasing" in payload:
        row = payload["phasing"]
        print_table(
            f"Phasing {phase_deg:g} deg in {revs} rev at {to_alt_km:g} km",
            ["a (km)", "perigee alt (km)", "apogee alt (km)", "total dv (m/s)", "time (min)"],
            [[row["phasing_a_km"], row["phasing_perigee_alt_km"], row["phasing_apogee_alt_km"],
              row["dv_total_mps"], row["duration_min"]]],
        )


def _check_phasing_orbit(radius_m: float, phase_deg: float, revs: int) -> None:
    """Refuse, naming the options, a lead no phasing orbit of ``revs`` revolutions can make up:
    one of whole turns, one whose orbit dips below the perigee floor, one beyond the Earth's
    sphere of influence. The phasing period is the circle's times 1 - phase / (360 revs)
    (Vallado 4th ed. Alg. 44), its semi-major axis by Kepler's third law."""
    from stationsim.astro.constants import KM, R_EARTH_M
    from stationsim.scenario.feasibility import perigee_problem

    what = f"--phase-deg {phase_deg:g} in --revs {revs}"
    period_ratio = 1.0 - phase_deg / (360.0 * revs)
    if period_ratio <= 0.0:
        raise ValueError(f"--phase-deg must be below 360 x --revs = {360 * revs:g} deg (a "
                         f"lead of --revs whole turns is not made up in --revs revolutions), "
                         f"got {phase_deg:g}")
    a_ratio_max = (R_EARTH_M + MAX_ALTITUDE_KM * KM + radius_m) / (2.0 * radius_m)
    if period_ratio > a_ratio_max**1.5:
        raise ValueError(f"{what} needs a phasing orbit beyond the Earth's sphere of influence "
                         f"({MAX_ALTITUDE_KM:,.0f} km): use more --revs")
    other_apsis_m = 2.0 * radius_m * period_ratio ** (2.0 / 3.0) - radius_m
    if problem := perigee_problem((other_apsis_m - R_EARTH_M) / KM,
                                  f"the phasing orbit of {what}"):
        raise ValueError(f"{problem} with more --revs")
