"""``stationsim plan rendezvous``: the burn plan and docking time for one launch."""

from __future__ import annotations

from pathlib import Path

import typer

from stationsim.cli.app import plan_app

MIR_NORAD_ID = 16609  # Mir's core: the Shuttle flew the Mir-era R-bar approach to it
MAX_DOCKING_FLIGHT_DAY = 30
"""Latest flight day a plan may dock on: a month, past the longest Shuttle flight (STS-80,
17.7 days) and any crewed vehicle's rendezvous; beyond it the station's element set is stale."""


@plan_app.command("rendezvous")
def plan_rendezvous_command(
    station_tle_path: Path = typer.Option(..., "--station-tle", help="File of the station's TLEs "
                                          "(the set nearest the launch is used)."),
    vehicle_name: str = typer.Option(..., "--vehicle", help="Catalog vehicle, e.g. shuttle."),
    site_name: str = typer.Option(..., "--site", help="Launch site, e.g. KSC-39A."),
    launch_utc: str = typer.Option(..., "--launch", help="Lift-off, ISO-8601 UTC."),
    profile: str | None = typer.Option(
        None, "--profile", help="Rendezvous profile (default: the vehicle's)."),
    docking_flight_day: int | None = typer.Option(
        None, "--docking-flight-day",
        help="Flight day fixed by the flight plan (Shuttle, Apollo)."),
    approach: str | None = typer.Option(
        None, "--approach", help="Proximity approach (default: the profile's; Shuttle to Mir: "
        "shuttle-mir)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of tables."),
) -> None:
    """Plan a rendezvous: burns (time, name, LVLH delta-v, propellant) and the docking time."""
    from stationsim.astro.constants import DEG
    from stationsim.astro.propagate import Sgp4Propagator
    from stationsim.cli.output import console, print_json, print_table
    from stationsim.cli.plan_windows import parse_utc, station_tle
    from stationsim.hardware.catalog import load_catalog
    from stationsim.ops.launch import find_site
    from stationsim.ops.rendezvous import get_profile, plan_rendezvous
    from stationsim.scenario.feasibility import propellant_shortfall

    if docking_flight_day is not None and not 1 <= docking_flight_day <= MAX_DOCKING_FLIGHT_DAY:
        raise ValueError(f"--docking-flight-day must be 1 to {MAX_DOCKING_FLIGHT_DAY}, got "
                         f"{docking_flight_day}")
    launch = parse_utc(launch_utc, "--launch")
    vehicle = load_catalog().vehicle(vehicle_name)
    site = find_site(site_name)
    tle = station_tle(station_tle_path, launch, "--launch")
    chosen = get_profile(profile or vehicle.default_profile)
    if approach is None and chosen.name == "shuttle" and tle.norad_id == MIR_NORAD_ID:
        approach = "shuttle-mir"
    plan = plan_rendezvous(Sgp4Propagator(tle), vehicle, site, launch, chosen.name,
                           docking_flight_day, approach=approach)
    shortfall = propellant_shortfall(f"{vehicle.name} launched {launch.utc_iso(0)}", vehicle,
                                     float(plan.propellant_kg))
    if shortfall:
        raise ValueError(shortfall)
    burns = [
        {"epoch_utc": b.epoch.utc_iso(), "name": b.name,
         "dv_lvlh_mps": [float(x) for x in b.dv_lvlh_mps], "dv_mps": b.dv_mps,
         "propellant_kg": float(b.propellant_kg), "targeting": b.targeting}
        for b in plan.burns
    ]
    summary = {
        "profile": plan.profile, "vehicle": plan.vehicle, "site": plan.site,
        "station": tle.name or tle.norad_id, "tle_epoch_utc": tle.epoch.utc_iso(),
        "launch_utc": plan.launch_epoch.utc_iso(), "insertion_utc": plan.insertion_epoch.utc_iso(),
        "phase_angle_deg": plan.phase_angle_rad / DEG, "phasing_orbits": plan.phasing_orbits,
        "aim_utc": plan.aim_epoch.utc_iso(), "approach": plan.approach.spec.name,
        "approach_dv_mps": plan.approach.dv_total_mps,
        "docking_utc": plan.docking_epoch.utc_iso(), "docking_flight_day": plan.docking_flight_day,
        "total_dv_mps": plan.total_dv_mps, "propellant_kg": float(plan.propellant_kg),
    }
    if as_json:
        print_json({**summary, "burns": burns})
        return
    print_table(
        f"{plan.profile} rendezvous: {vehicle.display_name or vehicle.name} from "
        f"{site.display_name or site.name}",
        ["time (UTC)", "burn", "dv x (m/s)", "dv y (m/s)", "dv z (m/s)", "|dv| (m/s)",
         "propellant (kg)", "targeting"],
        [[b["epoch_utc"], b["name"], *b["dv_lvlh_mps"], b["dv_mps"], b["propellant_kg"],
          b["targeting"]] for b in burns],
    )
    day = (f" (flight day {plan.docking_flight_day})" if plan.docking_flight_day else "")
    console.print(
        f"phase angle at insertion {summary['phase_angle_deg']:.1f} deg, "
        f"{plan.phasing_orbits} phasing orbits; {plan.approach.spec.name} approach from "
        f"{summary['aim_utc']}\ndocking {summary['docking_utc']}{day}; total "
        f"{plan.total_dv_mps:.1f} m/s, {plan.propellant_kg:.0f} kg of propellant"
    )
