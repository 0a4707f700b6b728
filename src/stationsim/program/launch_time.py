"""When a flight launches: its written time moved into the model's plane, or the first workable
window after an earliest launch date. One rule for ``stationsim run`` and for campaigns.

A written launch time was in the real station's plane. Months after the model's last tracking
its node regresses at a slightly wrong rate (0.1 deg a day per 25 km of altitude error, J2:
Vallado 4th ed. eq. 9-41) and its plane lies degrees from the real one, where a plane change
costs ~135 m/s a degree; the launch then follows the model's plane, as flight control would
have timed it, within half a day. A flight with only an earliest launch date flies at the first
in-plane window after it whose phase angle its profile can work with.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.errors import StationsimError
from stationsim.program.phase import lead_inside, narrowed

if TYPE_CHECKING:
    from stationsim.astro.propagate import Propagator
    from stationsim.hardware.sites import LaunchSite
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.ops.insertion import InsertionSpec

PLANE_SEARCH_S = 0.5 * DAY_S  # a launch moves at most this far to the model's plane
LAUNCH_SEARCH_DAYS = 10.0  # how far past an earliest launch date windows are searched


def launch_in_plane(
    plane: Propagator,
    site: LaunchSite,
    wanted: Epoch,
    spec: InsertionSpec,
) -> Epoch | None:
    """``wanted`` when the ascent's steering reaches the plane of ``plane`` (a Propagator) from
    ``site``, else the in-plane instant of the nearest window within :data:`PLANE_SEARCH_S`;
    None when there is none."""
    from stationsim.ops.insertion import insert
    from stationsim.ops.launch import nearest_launch_window

    if insert(plane, site, wanted, spec).wedge_rad == 0.0:
        return wanted
    window = nearest_launch_window(plane, site, wanted, spec, PLANE_SEARCH_S)
    return None if window is None else window.in_plane


def first_workable_window(
    plane: Propagator, station: Propagator, vehicle: VehicleType, site: LaunchSite, earliest: Epoch,
    spec: InsertionSpec, profile: str, docking_flight_day: int | None,
) -> tuple[Epoch | None, list[str]]:
    """The in-plane instant of the first launch window after ``earliest`` (windows of
    ``plane``, searched a day at a time over :data:`LAUNCH_SEARCH_DAYS`) whose phase angle lies
    a degree inside what ``profile`` can reach against ``station``; None when there is none.
    Also the reasons the windows tried were refused, last one last."""
    from stationsim.ops.launch import launch_windows
    from stationsim.ops.rendezvous import reachable_leads

    reasons = []
    for day in range(int(np.ceil(LAUNCH_SEARCH_DAYS))):  # a day's windows at a time
        span_s = min(DAY_S, (LAUNCH_SEARCH_DAYS - day) * DAY_S)
        for window in launch_windows(plane, site, earliest + day * DAY_S, span_s, spec):
            try:
                lead_rad, intervals_rad = reachable_leads(
                    station, vehicle, site, window.in_plane, profile, docking_flight_day)
            except (StationsimError, ValueError) as exc:
                reasons.append(str(exc))
                continue
            if lead_inside(lead_rad, narrowed(intervals_rad)):
                return window.in_plane, reasons
            reasons.append(f"a phase angle of {np.degrees(lead_rad):.1f} deg at insertion is "
                           f"outside the {profile} profile's reach")
    return None, reasons
