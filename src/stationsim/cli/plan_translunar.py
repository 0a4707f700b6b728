"""``stationsim plan translunar``: the TLI from a parking orbit to a perilune, by date."""

from __future__ import annotations

import typer

from stationsim.cli.app import plan_app


@plan_app.command("translunar")
def plan_translunar(
    date_utc: str = typer.Option(
        ..., "--date", help="Start of the search, ISO-8601 UTC; the parking orbit crosses its "
        "ascending node then."),
    parking_alt_km: float = typer.Option(185.0, "--parking-alt-km",
                                         help="Circular parking orbit height, km."),
    inclination_deg: float = typer.Option(32.5, "--inclination-deg",
                                          help="Parking orbit inclination, deg."),
    raan_deg: float | None = typer.Option(
        None, "--raan-deg", help="Parking orbit node at --date, deg (default: the plane that "
        "holds the Moon's antipode at arrival)."),
    tof_hours: float = typer.Option(72.0, "--tof-hours", help="TLI to perilune, hours."),
    search_hours: float = typer.Option(24.0, "--search-hours",
                                       help="Hours after --date in which to look for the TLI."),
    perilune_km: float = typer.Option(111.0, "--perilune-km", help="Perilune height, km."),
    prograde: bool = typer.Option(False, "--prograde", help="Pass the Moon prograde (default: "
                                  "retrograde, as Apollo)."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """TLI time and delta-v, flight time and perilune (DE421 Moon and Sun, full-force coast)."""
    from stationsim.astro.constants import DEG, KM
    from stationsim.cli.output import print_json, print_table
    from stationsim.cli.plan_windows import parse_utc
    from stationsim.ops.translunar import plan_translunar as plan

    start = parse_utc(date_utc, "--date")
    checks = (("--parking-alt-km", parking_alt_km, 120.0, 2000.0),
              ("--inclination-deg", inclination_deg, 0.5, 179.5),
              ("--tof-hours", tof_hours, 36.0, 240.0), ("--search-hours", search_hours, 0.5, 72.0),
              ("--perilune-km", perilune_km, 10.0, 20000.0))
    for name, value, low, high in checks:
        if not low <= value <= high:
            raise ValueError(f"{name} must be from {low:g} to {high:g}, got {value:g}")
    if raan_deg is not None and not 0.0 <= raan_deg < 360.0:
        raise ValueError(f"--raan-deg must be from 0 to 360, got {raan_deg:g}")
    result = plan(start, parking_alt_km * KM, inclination_deg * DEG, tof_hours * 3600.0,
                  perilune_km * KM, None if raan_deg is None else raan_deg * DEG,
                  retrograde=not prograde, search_s=search_hours * 3600.0)
    tof_h = (result.perilune_epoch - result.tli_epoch) / 3600.0
    back = result.return_perigee_altitude_m
    payload = {
        "tli_utc": result.tli_epoch.utc_iso(),
        "tli_dv_mps": result.tli_dv_mps,
        "perilune_utc": result.perilune_epoch.utc_iso(),
        "time_of_flight_h": tof_h,
        "perilune_km": result.perilune_altitude_m / KM,
        "perilune_inclination_deg": result.perilune_inclination_rad / DEG,
        "return_perigee_km": None if back is None else back / KM,
        "free_return": back is not None and back < 100e3,
    }
    if as_json:
        print_json(payload)
        return
    print_table(
        f"Translunar injection from a {parking_alt_km:g} km, {inclination_deg:g} deg orbit",
        ["TLI (UTC)", "dv (m/s)", "flight (h)", "perilune (UTC)", "perilune (km)",
         "lunar incl (deg)", "free return"],
        [[payload["tli_utc"], result.tli_dv_mps, tof_h, payload["perilune_utc"],
          payload["perilune_km"], payload["perilune_inclination_deg"],
          "yes" if payload["free_return"] else
          ("no" if back is None else f"no (perigee {back / KM:,.0f} km)")]],
    )
