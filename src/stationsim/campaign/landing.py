"""A landing campaign: dispersed copies of a flight's trajectory flown to their landings.

For a flight with a ``trajectory:`` that ends in an ``entry:``, ``stationsim campaign`` flies
N copies (:func:`stationsim.program.mission.fly_mission`), each with its own draws of the
``--vary`` dispersions that apply to a free flight (``density_scale``, ``burn_magnitude_frac``,
``burn_pointing_deg`` and the start state's ``insertion_*`` errors, or the program's
``insertion_covariance_lvlh``), and reports where and when they land: the spread along and
across the nominal track, in time, and the 95 % radius about the nominal landing. Sample k
draws from stream ``SeedSequence(seed, spawn_key=(k,))`` as the rendezvous campaign does, so a
sample's landing depends on the seed and its index only. Samples run one after the other (a
landing takes about 0.3 s once the kernels are compiled).
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.time import Epoch

if TYPE_CHECKING:
    from stationsim.campaign.dispersions import Dispersions
    from stationsim.scenario.schema import Program

APPLIES = ("density_scale", "burn_magnitude_frac", "burn_pointing_deg", "insertion_x_m",
           "insertion_y_m", "insertion_z_m", "insertion_vx_mps", "insertion_vy_mps",
           "insertion_vz_mps")
"""The dispersions a landing campaign flies (docs/campaign.md)."""
MEAN_RADIUS_KM = 6371.0  # the landings' spread is small: a local tangent plane on the mean sphere


@dataclass(frozen=True)
class LandingCampaign:
    """Every sample's landing (TT s, geodetic deg; NaN where a sample did not come down) and
    the nominal flight's, with the spread in the summary (``summary``)."""

    flight: str
    seed: int
    nominal: tuple[float, float, float]  # (land_tt_s, lat_deg, lon_deg)
    land_tt_s: np.ndarray
    lat_deg: np.ndarray
    lon_deg: np.ndarray
    peak_load_g: np.ndarray
    track_heading_rad: float = 0.0  # the nominal track's heading at the entry interface

    @property
    def summary(self) -> dict:
        """Medians and 5-95 % ranges of the landing time (s from nominal) and of the place
        along and across the nominal track (km), and the 95 % radius about the nominal."""
        landed = np.isfinite(self.land_tt_s)
        along_km, across_km = track_offsets_km(self.nominal[1:], self.lat_deg[landed],
                                               self.lon_deg[landed], self.track_heading_rad)
        dt_s = self.land_tt_s[landed] - self.nominal[0]
        radius_km = np.hypot(along_km, across_km)

        def spread(values):
            if not values.size:
                return None
            return [float(np.percentile(values, q)) for q in (5, 50, 95)]

        return {
            "flight": self.flight, "samples": int(self.land_tt_s.size),
            "landed": int(landed.sum()), "seed": self.seed,
            "nominal_land_utc": Epoch(self.nominal[0]).utc_iso(0),
            "nominal_lat_deg": self.nominal[1], "nominal_lon_deg": self.nominal[2],
            "time_s_p5_p50_p95": spread(dt_s), "along_km_p5_p50_p95": spread(along_km),
            "across_km_p5_p50_p95": spread(across_km),
            "radius_km_p95": float(np.percentile(radius_km, 95)) if radius_km.size else None,
            "peak_load_g_p5_p50_p95": spread(self.peak_load_g[landed]),
        }


def track_offsets_km(
    nominal: tuple[float, float],
    lat_deg: ArrayLike,
    lon_deg: ArrayLike,
    heading_rad: float,
) -> tuple[np.ndarray, np.ndarray]:
    """(along, across) km of landings from the nominal (lat, lon) in the local tangent plane,
    along the track's heading ``heading_rad`` (from north) and 90 deg to its right."""
    north_km = np.radians(np.asarray(lat_deg) - nominal[0]) * MEAN_RADIUS_KM
    east_km = (np.radians((np.asarray(lon_deg) - nominal[1] + 180.0) % 360.0 - 180.0)
               * MEAN_RADIUS_KM * math.cos(math.radians(nominal[0])))
    along = north_km * math.cos(heading_rad) + east_km * math.sin(heading_rad)
    across = -north_km * math.sin(heading_rad) + east_km * math.cos(heading_rad)
    return along, across


def run_landing_campaign(
    program: Program, flight_id: str, samples: int, seed: int, dispersions: Dispersions,
    folder: Path | None = None, progress: Callable[[int], None] | None = None,
) -> LandingCampaign:
    """Fly ``samples`` dispersed copies of ``flight_id`` of ``program`` to their landings and
    write ``landings.csv`` and ``summary.json`` to ``folder`` (atomically), if given."""
    from stationsim.hardware.catalog import load_catalog
    from stationsim.program.mission import FlightErrors, fly_mission

    unused = sorted(set(dispersions.varied) - set(APPLIES))
    if unused:
        raise ValueError(f"a landing campaign does not fly {', '.join(unused)} (it varies "
                         f"{', '.join(APPLIES)})")
    flight = program.flight(flight_id)
    trajectory = flight.trajectory
    if trajectory is None or trajectory.entry is None:
        raise ValueError(f"{flight_id!r} has no trajectory with an entry to land")
    catalog = load_catalog()
    vehicle = catalog.vehicle(flight.vehicle)
    site = catalog.site(flight.site) if flight.site else None
    launch, end = flight.launch, program.span.end
    nominal = fly_mission(flight, vehicle, launch, end, site)
    if nominal.landing is None:
        raise ValueError(f"{flight_id!r} does not land before the program's end "
                         f"({end.utc_iso(0)})")
    n_burns = len(trajectory.burns)
    draws = dispersions.draw(seed, 0, samples, n_burns, 0)
    land = np.full(samples, np.nan)
    lat, lon, peak = np.full(samples, np.nan), np.full(samples, np.nan), np.full(samples, np.nan)
    for k in range(samples):
        errors = FlightErrors(draws.insertion_lvlh[k], float(draws.density_scale[k]),
                              draws.burn_magnitude_frac[k], draws.burn_pointing_rad[k])
        flown = fly_mission(flight, vehicle, launch, end, site, errors=errors)
        if flown.landing is not None:
            land[k], lat[k], lon[k] = (flown.landing.epoch.tt_s, flown.landing.lat_deg,
                                       flown.landing.lon_deg)
            peak[k] = flown.entry.peak_load_g
        if progress is not None:
            progress(1)
    heading = _heading_rad(nominal.entry)
    result = LandingCampaign(flight_id, seed, (nominal.landing.epoch.tt_s,
                                               nominal.landing.lat_deg,
                                               nominal.landing.lon_deg),
                             land, lat, lon, peak, heading)
    if folder is not None:
        _write(folder, result)
    return result


def _heading_rad(entry) -> float:
    """The ground track's heading at the entry interface, from north (rad)."""
    from stationsim.astro.frames import subpoint

    i = int(np.searchsorted(entry.t_tt_s, entry.interface.epoch.tt_s))
    j = min(i + 20, entry.t_tt_s.size - 1)
    lat, lon, _ = subpoint(entry.r_gcrf_m[[i, j]], Epoch(entry.t_tt_s[[i, j]]))
    d_lon = (lon[1] - lon[0] + math.pi) % (2 * math.pi) - math.pi
    return math.atan2(math.sin(d_lon) * math.cos(lat[1]),
                      math.cos(lat[0]) * math.sin(lat[1])
                      - math.sin(lat[0]) * math.cos(lat[1]) * math.cos(d_lon))


def _write(folder: Path, result: LandingCampaign) -> None:
    from stationsim.results.atomic import storage_errors, write_text_atomic

    rows = ["sample,land_utc,lat_deg,lon_deg,peak_load_g"]
    for k in range(result.land_tt_s.size):
        if math.isfinite(result.land_tt_s[k]):
            rows.append(f"{k},{Epoch(result.land_tt_s[k]).utc_iso(1)},{result.lat_deg[k]:.5f},"
                        f"{result.lon_deg[k]:.5f},{result.peak_load_g[k]:.3f}")
        else:
            rows.append(f"{k},,,,")
    with storage_errors(folder):
        folder.mkdir(parents=True, exist_ok=True)
        write_text_atomic(folder / "landings.csv", "\n".join(rows) + "\n")
        write_text_atomic(folder / "summary.json", json.dumps(result.summary, indent=2) + "\n")


def describe(summary: dict) -> list[tuple[str, str]]:
    """(quantity, value) rows of a landing summary for the terminal."""

    def triple(values, unit, sign="+"):
        if values is None:
            return "none landed"
        low, middle, high = values
        return f"{middle:{sign}.1f} {unit} (5-95 %: {low:{sign}.1f} to {high:{sign}.1f})"

    radius = summary["radius_km_p95"]
    return [
        ("nominal landing", f"{summary['nominal_land_utc']} at {summary['nominal_lat_deg']:.3f}, "
                            f"{summary['nominal_lon_deg']:.3f}"),
        ("landed", f"{summary['landed']} of {summary['samples']}"),
        ("time from nominal", triple(summary["time_s_p5_p50_p95"], "s")),
        ("along track", triple(summary["along_km_p5_p50_p95"], "km")),
        ("across track", triple(summary["across_km_p5_p50_p95"], "km")),
        ("95 % within", "n/a" if radius is None else f"{radius:.1f} km of nominal"),
        ("peak load", triple(summary["peak_load_g_p5_p50_p95"], "g", sign="")),
    ]

