"""A flight's lunar-module sortie as events: the program file's ``sortie:`` block
(:mod:`stationsim.scenario.sortie`) flown by :func:`stationsim.ops.lunar_sortie.fly_sortie`.

The touchdown (time and selenographic place) and the docking with the command module are
logged as ``lunar_touchdown`` and ``lunar_docking`` events of the flight, which
validate-history compares with the record (:mod:`stationsim.validation.compare`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from stationsim.astro.moon_local import gcrf_state_from_flight_angles
from stationsim.astro.time import Epoch
from stationsim.ops.lunar_landing import LandingSite
from stationsim.ops.lunar_rendezvous import RendezvousPlan
from stationsim.ops.lunar_sortie import (
    DOCKING_EVENT,
    TOUCHDOWN_EVENT,
    PoweredDescentStart,
    SortiePlan,
    fly_sortie,
)
from stationsim.program.mission import MissionError, MissionEvent
from stationsim.scenario.trajectory import get_s

if TYPE_CHECKING:
    from stationsim.scenario.schema import Flight
    from stationsim.scenario.sortie import SortieSpec


def sortie_inputs(spec: SortieSpec, launch: Epoch) -> tuple[PoweredDescentStart, SortiePlan]:
    """The physics' inputs from a ``sortie:`` block, its times counted from ``launch``."""
    radius_m = spec.reference_radius_km * 1e3

    def at(text: str) -> Epoch:
        return launch + get_s(text)

    d = spec.descent
    pdi = PoweredDescentStart(
        epoch=at(d.get), lat_deg=d.latitude_deg, lon_deg=d.longitude_deg,
        altitude_m=d.altitude_km * 1e3, reference_radius_m=radius_m,
        speed_mps=d.velocity_kmps * 1e3, flight_path_deg=d.flight_path_angle_deg,
        heading_deg=d.heading_deg, mass_kg=d.mass_kg, propellant_kg=d.propellant_kg)
    c = spec.csm
    csm_epoch = at(c.get)
    r_m, v_mps = gcrf_state_from_flight_angles(
        csm_epoch, c.latitude_deg, c.longitude_deg, radius_m + c.altitude_km * 1e3,
        c.velocity_kmps * 1e3, c.flight_path_angle_deg, c.heading_deg)
    b = spec.rendezvous
    plan = SortiePlan(
        site=LandingSite(spec.aim.latitude_deg, spec.aim.longitude_deg, radius_m),
        liftoff=at(spec.liftoff.get), ascent_mass_kg=spec.liftoff.mass_kg,
        csm_epoch=csm_epoch, csm_r_gcrf_m=r_m, csm_v_gcrf_mps=v_mps,
        csm_lead_at_insertion_m=(None if c.lead_at_insertion_km is None
                                 else c.lead_at_insertion_km * 1e3),
        rendezvous=RendezvousPlan(at(b.csi), at(b.cdh), at(b.tpi),
                                  tuple(at(t) for t in b.midcourse),
                                  math.radians(b.tpi_elevation_deg),
                                  math.radians(b.transfer_deg)))
    return pdi, plan


def sortie_events(flight: Flight, launch: Epoch) -> list[MissionEvent]:
    """The touchdown and docking events of ``flight``'s sortie (MissionError when it cannot be
    flown as written)."""
    try:
        flown = fly_sortie(*sortie_inputs(flight.trajectory.sortie, launch))
    except ValueError as error:
        raise MissionError(f"{flight.id}: the lunar-module sortie cannot be flown: {error}") \
            from None
    touchdown, meeting = flown.touchdown, flown.rendezvous
    burns = ", ".join(f"{b.name} {b.dv_mps:.1f} m/s" for b in meeting.burns)
    return [
        MissionEvent(TOUCHDOWN_EVENT, touchdown.epoch, f"lunar module on the Moon "
                     f"(selenographic place), {touchdown.miss_m:.0f} m from the aim",
                     touchdown.lat_deg, touchdown.lon_deg),
        MissionEvent(DOCKING_EVENT, meeting.docking, f"ascent stage docked with the command "
                     f"module at {meeting.contact_speed_mps:.2f} m/s after {burns}"),
    ]
