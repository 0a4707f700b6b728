"""``stationsim plan windows``: in-plane launch windows from a site to a station given by a TLE."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from stationsim.cli.app import plan_app

if TYPE_CHECKING:
    from stationsim.astro.time import Epoch
    from stationsim.astro.tle import Tle
    from stationsim.hardware.sites import LaunchSite

# Insertion family assumed when --vehicle is not given, by the site's id prefix.
_DEFAULT_VEHICLE = {"ksc": "shuttle", "baikonur": "soyuz-tm"}


# One element set is fitted to days of tracking and drifts from the real orbit within weeks:
# a year of windows from it is already a sketch; the search holds ~30 kB a day in memory.
MAX_DAYS = 366.0
MAX_TLE_FILE_BYTES = 64 * 2**20  # a decade of daily element sets is under 1 MB


def tle_file_sets(path: Path, option: str) -> list[Tle]:
    """The element sets of the regular file ``path`` (gzipped or not, at most
    MAX_TLE_FILE_BYTES), else ValueError naming ``option`` (TLEError for a bad file)."""
    from stationsim.astro.tle import read_tle_file

    if not path.is_file():
        raise ValueError(f"{option} {path}: not a file (expected a text file of element sets)")
    tles = read_tle_file(path, max_bytes=MAX_TLE_FILE_BYTES)
    if not tles:
        raise ValueError(f"{option} {path}: no two-line element set found (expected lines "
                         "'1 NNNNNU ...' and '2 NNNNN ...', each 69 characters)")
    return tles


def station_tle(path: Path, epoch: Epoch, time_option: str,
                option: str = "--station-tle") -> Tle:
    """The TLE of ``path`` whose epoch is nearest ``epoch`` (an element set is best near it);
    ValueError naming ``time_option`` when even that one is more than MAX_DAYS away."""
    from stationsim.astro.constants import DAY_S

    tles = tle_file_sets(path, option)
    objects = sorted({tle.norad_id for tle in tles})
    if len(objects) > 1:
        raise ValueError(f"{option} {path} holds the sets of {len(objects)} objects (catalog "
                         f"numbers {', '.join(map(str, objects[:5]))}); expected one station's")
    nearest = min(tles, key=lambda tle: abs(float(tle.epoch - epoch)))
    days = abs(float(nearest.epoch - epoch)) / DAY_S
    if days > MAX_DAYS:
        raise ValueError(f"{time_option} {epoch.utc_iso(0)} is {days:,.0f} days from the nearest "
                         f"element set of {option} {path} ({nearest.epoch.utc_iso(0)}; expected "
                         f"at most {MAX_DAYS:g}: one set predicts for days to weeks)")
    return nearest


def parse_utc(text: str, option: str) -> Epoch:
    """An Epoch from ISO-8601 UTC (a bare date means 00:00); ValueError naming the option."""
    from stationsim.astro.time import Epoch

    try:
        return Epoch.from_utc_iso(text if "T" in text else f"{text}T00:00:00Z")
    except (ValueError, IndexError, TypeError):
        raise ValueError(f"{option} {text!r} is not an ISO-8601 UTC time (expected YYYY-MM-DD "
                         f"or YYYY-MM-DDTHH:MM:SSZ)") from None


@plan_app.command("windows")
def plan_windows(
    station_tle_path: Path = typer.Option(..., "--station-tle", help="File of the station's TLEs "
                                          "(the set nearest --from is used)."),
    site_name: str = typer.Option(
        ..., "--site", help="Launch site, e.g. KSC-39A, baikonur-site-1."),
    start_utc: str = typer.Option(..., "--from", help="Start, ISO-8601 UTC date or time."),
    days: float = typer.Option(14.0, "--days", help="Length of the search, days."),
    vehicle_name: str | None = typer.Option(
        None, "--vehicle", help="Catalog vehicle (sets the window width by its insertion); "
        "default by site: shuttle from KSC, soyuz-tm from Baikonur."),
    direction: str | None = typer.Option(
        None, "--direction", help="Only 'ascending' or 'descending' passes."),
    as_json: bool = typer.Option(False, "--json", help="Print JSON instead of a table."),
) -> None:
    """In-plane launch windows (ascending and descending) and the phase angle at insertion."""
    from stationsim.astro.constants import DAY_S, DEG
    from stationsim.astro.propagate import Sgp4Propagator
    from stationsim.cli.output import print_json, print_table, warn
    from stationsim.hardware.catalog import load_catalog
    from stationsim.ops.insertion import insertion_spec
    from stationsim.ops.launch import ASCENDING, DESCENDING, find_site, launch_windows

    if not 0.0 < days <= MAX_DAYS:
        raise ValueError(f"--days must be more than 0 and at most {MAX_DAYS:g}, got {days:g} (one "
                         f"element set predicts for days to weeks; run a year at a time)")
    if direction not in (None, ASCENDING, DESCENDING):
        raise ValueError(f"--direction must be {ASCENDING!r} or {DESCENDING!r}, got {direction!r}")
    start = parse_utc(start_utc, "--from")
    site = find_site(site_name)
    default = next((v for prefix, v in _DEFAULT_VEHICLE.items() if site.name.startswith(prefix)),
                   None)
    name = vehicle_name or default
    spec = insertion_spec(load_catalog().vehicle(name) if name else "generic")
    tle = station_tle(station_tle_path, start, "--from")
    directions = (direction,) if direction else (ASCENDING, DESCENDING)
    windows = launch_windows(Sgp4Propagator(tle), site, start, days * DAY_S, spec, directions)
    rows = [
        {
            "opens_utc": w.opens.utc_iso(0), "in_plane_utc": w.in_plane.utc_iso(),
            "closes_utc": w.closes.utc_iso(0), "width_s": w.duration_s, "direction": w.direction,
            "azimuth_deg": w.azimuth_rad / DEG, "phase_deg": w.phase_angle_rad / DEG,
        }
        for w in windows
    ]
    note = None if rows else _no_window_reason(tle, site, days)
    if as_json:
        print_json({"site": site.name, "station": tle.name or tle.norad_id,
                    "tle_epoch_utc": tle.epoch.utc_iso(), "insertion": spec.name,
                    "windows": rows, **({"note": note} if note else {})})
        return
    print_table(
        f"Launch windows from {site.display_name or site.name} to {tle.name or tle.norad_id} "
        f"({spec.name} insertion)",
        ["opens (UTC)", "in plane (UTC)", "closes (UTC)", "width (s)", "pass", "azimuth (deg)",
         "phase (deg)"],
        [[r["opens_utc"], r["in_plane_utc"], r["closes_utc"], r["width_s"], r["direction"],
          r["azimuth_deg"], r["phase_deg"]] for r in rows],
    )
    if note:
        warn(note)


def _no_window_reason(tle: Tle, site: LaunchSite, days: float) -> str:
    """Why a search found no window: a plane that never reaches the site's latitude (an
    inclination i reaches latitudes up to min(i, 180 deg - i); Vallado 4th ed. eq. 6-22 has no
    azimuth below it), or passes whose azimuths the range forbids."""
    import math

    reach_deg = math.degrees(min(tle.inclination_rad, math.pi - tle.inclination_rad))
    latitude_deg = math.degrees(site.latitude_rad)
    if reach_deg < abs(latitude_deg):
        return (f"no window: the station's plane (inclination "
                f"{math.degrees(tle.inclination_rad):.2f} deg) never passes over {site.name} "
                f"(latitude {latitude_deg:.2f} deg)")
    return (f"no window: no in-plane pass over {site.name} in {days:g} days needs a launch "
            f"azimuth its range allows ({math.degrees(site.azimuth_min_rad):.0f} to "
            f"{math.degrees(site.azimuth_max_rad):.0f} deg)")
