"""A lunar-module sortie from powered-descent initiation to docking with the command module.

One call flies the three operations in one frame (:class:`stationsim.astro.moon_local.
FrozenMoonFrame`, the Moon-fixed axes at PDI held inertial): the powered descent
(:mod:`stationsim.ops.lunar_landing`) from the PDI state to touchdown, the stay, the ascent
(:mod:`stationsim.ops.lunar_ascent`) from the touchdown point at the lift-off time into the
command module's plane, and the rendezvous (:mod:`stationsim.ops.lunar_rendezvous`) on the
documented burn times to docking. The command module is passive: its state at one epoch, in
Moon-centred GCRF axes, is coasted (lunar point mass and J2).

A point-mass-plus-J2 Moon carries a low lunar orbit ~1.3 deg per revolution off the real one
(the mascons; measured here on Apollo 11's own states, docs/operations.md), so a command-module
state from a day before the lift-off cannot place it along its orbit at the rendezvous. Where
the mission plan documents the phasing the lift-off was timed for (``csm_lead_at_insertion_m``,
the command module's lead along its orbit when the ascent stage is inserted) the command module
is moved along its own orbit to that lead; its plane and shape stay those of the coasted state.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from stationsim.astro.moon_local import MOON, FrozenMoonFrame, state_from_flight_angles
from stationsim.astro.powered_flight import FlightState, fly
from stationsim.astro.time import Epoch
from stationsim.ops.lunar_ascent import Insertion, ascend
from stationsim.ops.lunar_landing import LandingSite, Touchdown, descend
from stationsim.ops.lunar_rendezvous import Rendezvous, RendezvousPlan, lead_rad, rendezvous

TOUCHDOWN_EVENT = "lunar_touchdown"  # event kinds a program records for the validation
DOCKING_EVENT = "lunar_docking"


@dataclass(frozen=True)
class PoweredDescentStart:
    """The PDI state as the mission reports tabulate it (MSC-00171 Table 7-II): selenographic
    latitude and east longitude (deg), altitude above ``reference_radius_m``, space-fixed
    speed, flight-path angle and heading (deg east of the inertial north), the mass and the
    descent stage's propellant."""

    epoch: Epoch
    lat_deg: float
    lon_deg: float
    altitude_m: float
    reference_radius_m: float
    speed_mps: float
    flight_path_deg: float
    heading_deg: float
    mass_kg: float
    propellant_kg: float

    def __post_init__(self):
        _check_finite(self, ("lat_deg", "lon_deg", "altitude_m", "reference_radius_m",
                             "speed_mps", "flight_path_deg", "heading_deg", "mass_kg",
                             "propellant_kg"))
        if not (abs(self.lat_deg) <= 90.0 and abs(self.flight_path_deg) < 90.0):
            raise ValueError(f"PDI: latitude {self.lat_deg!r} and flight-path angle "
                             f"{self.flight_path_deg!r} deg must be within +-90")
        if not (self.altitude_m > 0.0 and self.reference_radius_m > 0.0
                and self.speed_mps > 0.0):
            raise ValueError("PDI: altitude_m, reference_radius_m and speed_mps must be > 0")
        if not 0.0 < self.propellant_kg < self.mass_kg:
            raise ValueError(f"PDI: propellant_kg={self.propellant_kg!r} must be > 0 and below "
                             f"mass_kg={self.mass_kg!r}")


@dataclass(frozen=True)
class SortiePlan:
    """Everything a sortie needs besides the PDI state: the aim point, the lift-off, the
    ascent stage's mass at lift-off, the command module's state (Moon-centred GCRF axes) at
    ``csm_epoch``, its documented lead at insertion (None: as coasted) and the burn plan."""

    site: LandingSite
    liftoff: Epoch
    ascent_mass_kg: float
    csm_epoch: Epoch
    csm_r_gcrf_m: np.ndarray
    csm_v_gcrf_mps: np.ndarray
    csm_lead_at_insertion_m: float | None
    rendezvous: RendezvousPlan

    def __post_init__(self):
        _check_finite(self, ("ascent_mass_kg",))
        if not self.ascent_mass_kg > 0.0:
            raise ValueError(f"ascent_mass_kg={self.ascent_mass_kg!r} must be > 0")
        for name in ("csm_r_gcrf_m", "csm_v_gcrf_mps"):
            value = np.asarray(getattr(self, name), dtype=float)
            if value.shape != (3,) or not np.all(np.isfinite(value)):
                raise ValueError(f"{name} must be 3 finite numbers, got {getattr(self, name)!r}")
        burns = (self.rendezvous.csi, self.rendezvous.cdh, self.rendezvous.tpi,
                 *self.rendezvous.midcourse)
        if not (self.liftoff < burns[0] and all(a < b for a, b in zip(burns, burns[1:],
                                                                       strict=False))):
            raise ValueError("the lift-off, CSI, CDH, TPI and the midcourses must come in "
                             "that order")


@dataclass(frozen=True)
class Sortie:
    """The flown sortie: touchdown, insertion, rendezvous, and the command module's phase
    correction at insertion (m along its orbit; 0 when it was flown as coasted)."""

    touchdown: Touchdown
    insertion: Insertion
    rendezvous: Rendezvous
    csm_shift_m: float
    frame: FrozenMoonFrame


def _check_finite(record, names) -> None:
    for name in names:
        value = getattr(record, name)
        if not math.isfinite(value):
            raise ValueError(f"{type(record).__name__}.{name} must be finite, got {value!r}")


def _along_orbit(state: FlightState, angle_rad: float) -> FlightState:
    """The state moved by ``angle_rad`` about its orbit normal (Rodrigues)."""
    normal = np.cross(state.r_m, state.v_mps)
    normal /= np.linalg.norm(normal)
    c, s = math.cos(angle_rad), math.sin(angle_rad)

    def turn(x):
        return x * c + np.cross(normal, x) * s + normal * (normal @ x) * (1.0 - c)

    return FlightState(turn(state.r_m), turn(state.v_mps), state.mass_kg)


def fly_sortie(pdi: PoweredDescentStart, plan: SortiePlan) -> Sortie:
    """Descent, ascent and rendezvous of one lunar module; see the module docstring.

    Raises ValueError when the descent, the ascent or the targeting cannot be flown.
    """
    frame = FrozenMoonFrame(pdi.epoch)
    r0, v0 = state_from_flight_angles(
        frame, pdi.epoch, pdi.lat_deg, pdi.lon_deg, pdi.reference_radius_m + pdi.altitude_m,
        pdi.speed_mps, pdi.flight_path_deg, pdi.heading_deg)
    touchdown = descend(pdi.epoch, r0, v0, pdi.mass_kg, pdi.propellant_kg, plan.site, frame)
    if plan.liftoff < touchdown.epoch:
        raise ValueError(f"lift-off {plan.liftoff.utc_iso()} is before the touchdown "
                         f"{touchdown.epoch.utc_iso()}")
    site_r = frame.surface_point(math.radians(touchdown.lat_deg),
                                 math.radians(touchdown.lon_deg), plan.site.radius_m,
                                 plan.liftoff)
    csm = FlightState(frame.from_gcrf_axes(plan.csm_r_gcrf_m),
                      frame.from_gcrf_axes(plan.csm_v_gcrf_mps), 1.0)
    csm = fly(csm, float(plan.liftoff - plan.csm_epoch), MOON)
    insertion = ascend(plan.liftoff, site_r, plan.ascent_mass_kg, csm.r_m, csm.v_mps,
                       plan.site.radius_m, frame)
    csm = fly(csm, float(insertion.epoch - plan.liftoff), MOON)
    shift_m = 0.0
    if plan.csm_lead_at_insertion_m is not None:
        shift_m = plan.csm_lead_at_insertion_m - lead_rad(insertion.state, csm) * float(
            np.linalg.norm(csm.r_m))
        csm = _along_orbit(csm, shift_m / float(np.linalg.norm(csm.r_m)))
    flown = rendezvous(insertion.state, csm, insertion.epoch, plan.rendezvous)
    return Sortie(touchdown, insertion, flown, shift_m, frame)
