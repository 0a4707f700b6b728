"""The program-file schema of a lunar-module sortie: powered descent from the PDI state to the
aim point, lift-off, and the rendezvous with the command module on its documented burn times
(docs/programs.md, "Lunar-module sorties"; flown by :mod:`stationsim.program.sortie_flight`).

Lunar states are written as the Apollo mission reports print them (MSC-00171 Table 7-II):
selenographic latitude and east longitude, altitude above ``reference_radius_km`` (the landing
site's radius, to which the reports refer their lunar altitudes), space-fixed speed,
flight-path angle and heading. Times are ground-elapsed from the flight's launch.
"""

from __future__ import annotations

from pydantic import Field, model_validator

from stationsim.scenario.schema import Model
from stationsim.scenario.trajectory import GroundElapsed, get_s


class LunarState(Model):
    """A state over the Moon at ``get``, as the mission reports tabulate it."""

    get: GroundElapsed
    latitude_deg: float = Field(ge=-90.0, le=90.0, description="selenographic")
    longitude_deg: float = Field(ge=-360.0, le=360.0, description="selenographic, east")
    altitude_km: float = Field(gt=0.0, description="above the sortie's reference_radius_km")
    velocity_kmps: float = Field(gt=0.0, description="space-fixed speed")
    flight_path_angle_deg: float = Field(gt=-90.0, lt=90.0)
    heading_deg: float = Field(ge=-360.0, le=360.0, description="east of north")


class Descent(LunarState):
    """The lunar module at powered-descent initiation: its state, mass and descent
    propellant."""

    mass_kg: float = Field(gt=0.0)
    propellant_kg: float = Field(gt=0.0, description="descent propellant left at PDI")

    @model_validator(mode="after")
    def _checks(self) -> Descent:
        if not self.propellant_kg < self.mass_kg:
            raise ValueError(f"propellant_kg above the mass (expected below mass_kg "
                             f"{self.mass_kg:g}, got {self.propellant_kg:g})")
        return self


class AimPoint(Model):
    """The planned landing point (known before flight), selenographic."""

    latitude_deg: float = Field(ge=-90.0, le=90.0)
    longitude_deg: float = Field(ge=-360.0, le=360.0)


class Liftoff(Model):
    """The ascent stage's lift-off time and mass."""

    get: GroundElapsed
    mass_kg: float = Field(gt=0.0)


class CommandModule(LunarState):
    """The command module's tracked state; ``lead_at_insertion_km``, the documented lead along
    its orbit the lift-off was timed for when the ascent stage is inserted (optional: without
    it the state is coasted as written)."""

    lead_at_insertion_km: float | None = Field(None, gt=0.0)


class RendezvousBurns(Model):
    """The documented rendezvous: CSI, CDH, TPI and the midcourse times, TPI's elevation rule
    and the transfer angle from TPI to braking."""

    csi: GroundElapsed
    cdh: GroundElapsed
    tpi: GroundElapsed
    midcourse: list[GroundElapsed] = []
    tpi_elevation_deg: float = Field(gt=0.0, lt=90.0)
    transfer_deg: float = Field(gt=0.0, lt=360.0)

    @model_validator(mode="after")
    def _checks(self) -> RendezvousBurns:
        times = [get_s(t) for t in (self.csi, self.cdh, self.tpi, *self.midcourse)]
        if any(b <= a for a, b in zip(times, times[1:], strict=False)):
            written = ", ".join((self.csi, self.cdh, self.tpi, *self.midcourse))
            raise ValueError(f"burns out of order (expected csi, cdh, tpi and the midcourses "
                             f"in time order, got {written})")
        return self


class SortieSpec(Model):
    """A lunar module's sortie from a flight in lunar orbit: descent, lift-off, rendezvous."""

    reference_radius_km: float = Field(gt=1000.0, lt=2000.0,
                                       description="the radius lunar altitudes are above")
    descent: Descent
    aim: AimPoint
    liftoff: Liftoff
    csm: CommandModule
    rendezvous: RendezvousBurns

    @model_validator(mode="after")
    def _checks(self) -> SortieSpec:
        if not get_s(self.descent.get) < get_s(self.liftoff.get) < get_s(self.rendezvous.csi):
            raise ValueError(f"lift-off out of order (expected after the descent "
                             f"{self.descent.get} and before CSI {self.rendezvous.csi}, got "
                             f"{self.liftoff.get})")
        return self
