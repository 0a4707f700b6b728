"""``stationsim plan lifetime``: when an orbit re-enters under drag, from a TLE or its apsides."""

from __future__ import annotations

import math
from pathlib import Path

import typer

from stationsim.cli.app import plan_app

APOGEE_REASON = ("above it the Moon's and Sun's pull, which this drag model leaves out, drives "
                 "the perigee (GTO, Molniya: King-Hele 1981; Skoulidou et al. 2019)")


@plan_app.command("lifetime")
def plan_lifetime(
    tle_path: Path | None = typer.Option(
        None, "--tle", help="File of two-line element sets; the first set is used."),
    perigee_km: float | None = typer.Option(
        None, "--perigee-km", help="Perigee height above the equatorial radius, km."),
    apogee_km: float | None = typer.Option(
        None, "--apogee-km", help="Apogee height above the equatorial radius, km."),
    inclination_deg: float | None = typer.Option(
        None, "--inclination-deg", help="Inclination, deg."),
    epoch_utc: str | None = typer.Option(
        None, "--epoch", help="Epoch of the apsides, ISO-8601 UTC (e.g. 1957-10-04T19:28:34Z)."),
    argp_deg: float = typer.Option(
        0.0, "--argp-deg", help="Argument of perigee with --perigee-km, deg."),
    mass_kg: float = typer.Option(..., "--mass-kg", help="Mass of the object, kg."),
    area_m2: float = typer.Option(
        ..., "--area-m2", help="Mean cross-section facing the flow, m^2."),
    cd: float = typer.Option(2.2, "--cd", help="Drag coefficient (2.2: free-molecular flow)."),
    mode: str = typer.Option(
        "averaged", "--mode", help="averaged (King-Hele, fast) or numerical (DOP853)."),
    reentry_km: float = typer.Option(120.0, "--reentry-km", help="Re-entry height, km."),
    max_years: float = typer.Option(30.0, "--max-years", help="Give up after this many years."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """Predicted re-entry date (UTC) under NRLMSIS 2.1 drag with the bundled space weather."""
    from rich.progress import BarColumn, Progress, TextColumn

    from stationsim.astro import lifetime
    from stationsim.astro.constants import DAY_S, DEG, KM, R_EARTH_M
    from stationsim.cli.output import err_console, print_json, print_table
    from stationsim.cli.plan_windows import parse_utc
    from stationsim.scenario.checks import MAX_APOGEE_KM, space_weather_limits

    if mode not in lifetime.MODES:
        raise ValueError(f"--mode must be one of {', '.join(lifetime.MODES)}, got {mode!r}")
    for name, value in (("--mass-kg", mass_kg), ("--area-m2", area_m2), ("--cd", cd),
                        ("--reentry-km", reentry_km), ("--max-years", max_years)):
        if not 0.0 < value < math.inf:
            raise ValueError(f"{name} must be a positive number, got {value}")
    for name, value in (("--perigee-km", perigee_km), ("--apogee-km", apogee_km),
                        ("--argp-deg", argp_deg)):
        if value is not None and not math.isfinite(value):
            raise ValueError(f"{name} must be a finite number, got {value}")
    if inclination_deg is not None and not 0.0 <= inclination_deg <= 180.0:
        raise ValueError(f"--inclination-deg must be 0 to 180, got {inclination_deg}")
    apsides = (perigee_km, apogee_km, inclination_deg, epoch_utc)
    if (tle_path is not None) == any(item is not None for item in apsides):
        raise ValueError("give either --tle FILE or all of --perigee-km, --apogee-km, "
                         "--inclination-deg and --epoch")
    if tle_path is not None:
        from stationsim.cli.plan_windows import tle_file_sets

        tle = tle_file_sets(tle_path, "--tle")[0]
        start = tle.epoch
        r_m, v_mps = tle.initial_state()
        mean = lifetime.mean_elements(start, r_m, v_mps) if mode == "averaged" else None
        source = f"TLE {tle.name or tle.norad_id}"
        apogee_km = (tle.semi_major_axis_m * (1.0 + tle.eccentricity) - R_EARTH_M) / KM
    else:
        if None in apsides:
            raise ValueError("--perigee-km, --apogee-km, --inclination-deg and --epoch go together")
        if not 0.0 < perigee_km <= apogee_km:
            raise ValueError(f"need 0 < --perigee-km <= --apogee-km, got {perigee_km}, {apogee_km}")
        if apogee_km > MAX_APOGEE_KM:
            raise ValueError(f"--apogee-km must be at most {MAX_APOGEE_KM:.0f} km, got "
                             f"{apogee_km:g}: {APOGEE_REASON}")
        start = parse_utc(epoch_utc, "--epoch")
        perigee_m, apogee_m = R_EARTH_M + perigee_km * KM, R_EARTH_M + apogee_km * KM
        mean = lifetime.MeanElements((perigee_m + apogee_m) / 2.0,
                                     (apogee_m - perigee_m) / (apogee_m + perigee_m),
                                     inclination_deg * DEG, 0.0, argp_deg * DEG)
        r_m, v_mps = lifetime.state_from_mean_elements(start, mean) if mode == "numerical" else (
            None, None)
        source = f"{perigee_km:g} x {apogee_km:g} km at {inclination_deg:g} deg"
    if tle_path is not None and apogee_km > MAX_APOGEE_KM:
        raise ValueError(f"--tle {tle_path}: apogee {apogee_km:.0f} km is above "
                         f"{MAX_APOGEE_KM:.0f} km: {APOGEE_REASON}")
    perigee_alt_km = (tle.perigee_altitude_m / KM if tle_path is not None else perigee_km)
    if not reentry_km < perigee_alt_km:
        raise ValueError(f"--reentry-km must be below the perigee ({perigee_alt_km:.1f} km), got "
                         f"{reentry_km:g}")
    first, last, covers = space_weather_limits()
    if not first.tt_s <= start.tt_s < last.tt_s:
        given = "--epoch" if tle_path is None else f"the epoch of --tle {tle_path}"
        raise ValueError(f"{given} {start.utc_iso(0)} is outside the bundled space weather "
                         f"(expected {covers})")
    cd_area_over_mass_m2pkg = cd * area_m2 / mass_kg
    if not 0.0 < cd_area_over_mass_m2pkg < math.inf:
        raise ValueError(f"--cd x --area-m2 / --mass-kg must be a positive finite number, got "
                         f"{cd_area_over_mass_m2pkg:g} m^2/kg")
    # the search stops where the space weather does, not with an error after minutes
    max_duration_s = min(max_years * 365.25 * DAY_S, last - start)
    searched = (f"{max_years:g} years" if max_duration_s == max_years * 365.25 * DAY_S
                 else f"{last.utc_iso(0)[:10]}, the end of the bundled space weather")
    options = {"reentry_altitude_m": reentry_km * KM, "max_duration_s": max_duration_s}

    with Progress(TextColumn("simulated days"), BarColumn(), TextColumn("{task.completed:,.0f}"),
                  console=err_console, transient=True, disable=as_json) as bar:
        task = bar.add_task("decay", total=max_duration_s / DAY_S)

        def advance(elapsed_s: float) -> None:
            bar.update(task, completed=elapsed_s / DAY_S)

        if mode == "averaged":
            result = lifetime.reentry_averaged(start, mean, cd_area_over_mass_m2pkg,
                                               progress=advance, **options)
        else:
            result = lifetime.reentry_numerical(start, r_m, v_mps, cd_area_over_mass_m2pkg,
                                                progress=advance, **options)

    payload = {
        "object": source,
        "mode": mode,
        "start_utc": start.utc_iso(0),
        "cd_area_over_mass_m2pkg": cd_area_over_mass_m2pkg,
        "reentry_km": reentry_km,
        "reentry_utc": None if result.reentry is None else result.reentry.utc_iso(0),
        "lifetime_days": result.lifetime_s / DAY_S,
        "searched_until_utc": (start + max_duration_s).utc_iso(0),
    }
    if as_json:
        print_json(payload)
        return
    def minutes(iso: str | None) -> str | None:
        return iso and iso[:16].replace("T", " ")

    print_table(
        f"Lifetime of {source} ({mode})",
        ["start (UTC)", "re-entry (UTC)", "lifetime (days)", "Cd*A/m (m^2/kg)"],
        [[minutes(payload["start_utc"]),
          minutes(payload["reentry_utc"]) or f"not before {searched}",
          payload["lifetime_days"], f"{cd_area_over_mass_m2pkg:.5f}"]],
    )
