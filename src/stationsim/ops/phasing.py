"""Station phasing for an arrival: an altitude change days before a launch that puts the
station's lead over the vehicle at insertion where the vehicle's profile docks on its flight
plan's schedule.

Flight control moves the station, not the launch: "corrections to the space station's orbit are
conducted periodically before launches of Russian cargo ships and U.S. shuttles" (the ISS was
raised 11 and 8 days before Soyuz TMA-19's launch, RIA Novosti, 2010-06-04); Mir was lowered by
13 km on 1986-05-04 to shorten Soyuz T-15's transfer (NASA RP-1357, p. 123). A station whose
semi-major axis changes by da drifts in phase at dn = -(3/2) (n / a) da (Vallado 4th ed.
sec. 6.6, phasing), so a Hohmann pair of a few m/s ten days ahead moves the lead by tens of
degrees. The altitude change is solved by secant iterations in the numerical model (drag
included) so that the lead lands 10 degrees inside the nearest interval of
:func:`stationsim.ops.rendezvous.reachable_leads`, inside the station's altitude band.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2
from stationsim.astro.maneuvers import hohmann
from stationsim.astro.propagate import Propagator
from stationsim.astro.time import Epoch
from stationsim.hardware.sites import LaunchSite
from stationsim.hardware.vehicle import VehicleType
from stationsim.ops.rendezvous import TWO_PI, OrbitModel, RendezvousError, reachable_leads

PHASING_LEAD_S = 10.0 * DAY_S  # the ISS's corrections for TMA-19 came 11 and 8 days ahead
PHASING_MIN_LEAD_S = 2.0 * DAY_S  # later than this a phasing drift costs too much
LEAD_MARGIN_RAD = math.radians(10.0)  # aim this far inside a reachable interval: drag over the
# ten days (density 10-20 % off) and the dockings in between move the lead by a few degrees
LEAD_TOLERANCE_RAD = math.radians(1.0)
MAX_ITERATIONS = 8


@dataclass(frozen=True)
class StationPhasing:
    """Two tangential burns (m/s, + along the velocity) half a transfer apart, from ``epoch``,
    and the station's lead at insertion (rad) before and after them."""

    epoch: Epoch
    dv1_mps: float
    dv2_mps: float
    transfer_s: float
    altitude_change_m: float
    lead_before_rad: float
    lead_after_rad: float


def merged_intervals(intervals_rad: np.ndarray) -> np.ndarray:
    """Union of circular intervals (K, 2), start in [0, 2 pi), end >= start: sorted, disjoint."""
    if not len(intervals_rad):
        return np.empty((0, 2))
    ordered = intervals_rad[np.argsort(intervals_rad[:, 0])]
    merged = [list(ordered[0])]
    for start, end in ordered[1:]:
        if start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    # an interval running past 2 pi may swallow the first ones
    while len(merged) > 1 and merged[-1][1] >= merged[0][0] + TWO_PI:
        merged[-1][1] = max(merged[-1][1], merged.pop(0)[1] + TWO_PI)
    return np.array(merged)


def lead_inside(lead_rad: float, intervals_rad: np.ndarray) -> bool:
    """True when ``lead_rad`` lies in one of the circular intervals (K, 2)."""
    return bool(np.any((lead_rad - intervals_rad[:, 0]) % TWO_PI <= intervals_rad[:, 1]
                       - intervals_rad[:, 0]))


def plan_station_phasing(
    station: Propagator,
    model: OrbitModel,
    burn_epoch: Epoch,
    vehicle: VehicleType,
    site: LaunchSite,
    launch_epoch: Epoch,
    profile: str | None,
    docking_flight_day: int | None,
    mean_altitude_m: float,
    band_m: tuple[float, float],
) -> StationPhasing | None:
    """The phasing the station flies from ``burn_epoch`` for a launch at ``launch_epoch``.

    ``station``: its predicted orbit; ``model``: a factory (epoch, r, v) -> Propagator for the
    orbit after each burn. ``mean_altitude_m`` now and the ``band_m`` (low, high) the new mean
    altitude must stay in. None when the lead is already reachable; RendezvousError when no
    reachable lead is within the band.
    """
    lead_rad, intervals_rad = reachable_leads(station, vehicle, site, launch_epoch, profile,
                                              docking_flight_day)
    if lead_inside(lead_rad, intervals_rad):
        return None
    intervals_rad = merged_intervals(intervals_rad)
    if not len(intervals_rad):
        raise RendezvousError(f"profile {profile!r} has no reachable phase for this launch")
    r0_m, v0_mps = station.states(burn_epoch)
    radius_m = float(np.linalg.norm(r0_m))
    rate_radps = math.sqrt(GM_EARTH_M3PS2 / radius_m**3)
    drift_s = float(launch_epoch.tt_s - burn_epoch.tt_s)
    # aim a margin inside either end of each interval, one lap either way; the altitude change
    # by the linear drift rate
    margins = np.minimum(LEAD_MARGIN_RAD, 0.5 * (intervals_rad[:, 1] - intervals_rad[:, 0]))
    targets = np.concatenate([intervals_rad[:, 0] + margins, intervals_rad[:, 1] - margins])
    shifts = ((targets - lead_rad + math.pi) % TWO_PI - math.pi)[:, None] + TWO_PI * np.array(
        [-1.0, 0.0, 1.0])
    metres_per_rad = radius_m / (1.5 * rate_radps * drift_s)
    changes_m = (-shifts * metres_per_rad).ravel()
    allowed = (mean_altitude_m + changes_m >= band_m[0]) & (mean_altitude_m + changes_m
                                                            <= band_m[1])
    if not allowed.any():
        raise RendezvousError(
            f"a lead of {math.degrees(lead_rad):.1f} deg at insertion needs the station "
            f"{np.abs(changes_m).min() / 1e3:.1f} km higher or lower, outside its band "
            f"{band_m[0] / 1e3:.0f}-{band_m[1] / 1e3:.0f} km"
        )
    k = int(np.argmin(np.where(allowed, np.abs(changes_m), np.inf)))
    target_rad = float(targets[k // 3])

    def flown(change_m: float) -> tuple[float, object]:
        transfer = hohmann(radius_m, radius_m + change_m)
        r_m, v_mps = r0_m, v0_mps + float(transfer.dv1_mps) * v0_mps / np.linalg.norm(v0_mps)
        second = burn_epoch + float(transfer.transfer_time_s)
        r_m, v_mps = model(burn_epoch, r_m, v_mps).states(second)
        v_mps = v_mps + float(transfer.dv2_mps) * v_mps / np.linalg.norm(v_mps)
        after = model(second, r_m, v_mps)
        lead, _ = reachable_leads(after, vehicle, site, launch_epoch, profile,
                                  docking_flight_day)
        return (lead - target_rad + math.pi) % TWO_PI - math.pi, transfer

    x0 = float(changes_m[k])
    f0, transfer = flown(x0)
    x1 = x0 + f0 * metres_per_rad
    for _ in range(MAX_ITERATIONS):
        if abs(f0) < LEAD_TOLERANCE_RAD:
            return StationPhasing(burn_epoch, float(transfer.dv1_mps), float(transfer.dv2_mps),
                                  float(transfer.transfer_time_s), x0, lead_rad,
                                  target_rad + f0)
        f1, transfer1 = flown(x1)
        if f1 == f0:
            break
        x0, x1, f0, transfer = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1, transfer1
    raise RendezvousError(f"station phasing for a lead of {math.degrees(target_rad):.1f} deg "
                          f"did not converge (miss {math.degrees(f0):.2f} deg)")
