"""The program-file schema of a flight that flies a trajectory: where it starts, its burns and
its entry (docs/programs.md, "Trajectories").

A flight with ``trajectory:`` docks nowhere: it is put on a state (an insertion as the records
give it, orbit elements, a state vector, or an ascent from its launch site), flies its burns in
order (each at a UTC time, a ground-elapsed time from launch, or a rule such as ``perigee``)
and, with ``entry:``, comes down through the atmosphere to its landing
(:mod:`stationsim.program.mission`). Values are kept as written (km, km/s, degrees, m/s, UTC)
with SI accessors, as in :mod:`stationsim.scenario.schema`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Literal

import numpy as np
from pydantic import (
    AfterValidator,
    Field,
    WithJsonSchema,
    model_validator,
)

from stationsim.astro.constants import DEG, G0_MPS2, KM, R_EARTH_M, R_MOON_M
from stationsim.astro.time import Epoch
from stationsim.scenario.schema import Model, UtcTime
from stationsim.scenario.schema import _exactly_one as _one_of

if TYPE_CHECKING:
    from stationsim.hardware.capsule import Capsule
    from stationsim.hardware.catalog import Catalog
    from stationsim.scenario.problems import Path as ProblemPath
    from stationsim.scenario.problems import Problem
    from stationsim.scenario.schema import Program

CENTRAL_BODIES = ("earth", "moon")
"""Bodies a trajectory may be written about. The Moon's physics (ephemeris, Moon-centred
propagation) lives with the lunar propagation; the schema accepts it."""

THIRD_BODIES = ("moon", "sun")
"""Bodies whose pull a trajectory may ask for on top of its central body's gravity."""

BURN_RULES = ("perigee", "apogee", "perilune", "apolune")
"""Named instants a burn may be placed at: the next apsis of the central body after the
previous burn (perigee/apogee about the Earth, perilune/apolune about the Moon)."""

BURN_DIRECTIONS = ("prograde", "retrograde", "radial-out", "radial-in", "normal", "anti-normal",
                   "horizontal-prograde", "horizontal-retrograde")
"""Thrust directions, in the orbit frame of the central body at the burn: along the velocity,
against it, away from or toward the body's centre, along or against the orbit normal."""

ENTRY_INTERFACE_KM = 121.92
"""Default entry-interface altitude: 400,000 ft, the Apollo entry interface (NASA SP-4029
'Apollo by the Numbers', entry tables)."""

LUNAR_REACH_KM = 290_000.0
"""An Earth-orbit apogee at or above this height reaches the Moon's neighbourhood: the Moon's
perigee distance 356,400 km less its sphere of influence, 66,100 km (Curtis, Orbital Mechanics
for Engineering Students, 3rd ed., sec. 8.2 and table A.2)."""

_GET = re.compile(r"^(\d{1,4}):([0-5]\d):([0-5]\d(?:\.\d+)?)$")


def _check_get(text: str) -> str:
    if not _GET.match(text):
        raise ValueError(f"not a ground-elapsed time (expected 'hhh:mm:ss' or 'hhh:mm:ss.s' "
                         f"from launch, like '004:33:08', got {text!r})")
    return text


def get_s(text: str) -> float:
    """Seconds of a ground-elapsed time 'hhh:mm:ss(.s)'."""
    hours, minutes, seconds = _GET.match(text).groups()
    return 3600.0 * int(hours) + 60.0 * int(minutes) + float(seconds)


GroundElapsed = Annotated[
    str,
    AfterValidator(_check_get),
    WithJsonSchema({"type": "string", "pattern": r"^\d{1,4}:[0-5]\d:[0-5]\d(\.\d+)?$",
                    "description": "ground-elapsed time from launch, hhh:mm:ss(.s)"}),
]


def _apsides_in_order(model) -> None:
    if model.apogee_km < model.perigee_km:
        raise ValueError(f"apogee_km below perigee_km (expected >= {model.perigee_km:g}, "
                         f"got {model.apogee_km:g})")


class Timed(Model):
    """A moment given as UTC (``at_utc``) or as ground-elapsed time from launch (``get``)."""

    at_utc: UtcTime | None = None
    get: GroundElapsed | None = None

    def epoch(self, launch: Epoch) -> Epoch:
        """The moment as an Epoch, a ground-elapsed time counted from ``launch``."""
        if self.at_utc is not None:
            return Epoch.from_utc_iso(self.at_utc)
        return launch + get_s(self.get)


# --- where a trajectory starts ------------------------------------------------------------
class Insertion(Timed):
    """The state as flight records print it: altitude, inertial (space-fixed) velocity,
    flight-path angle and heading, over a geodetic (or geocentric) latitude and a longitude."""

    altitude_km: float = Field(gt=0.0, description="height above the WGS-84 ellipsoid")
    velocity_kmps: float = Field(gt=0.0, description="inertial (space-fixed) speed")
    flight_path_angle_deg: float = Field(ge=-90.0, le=90.0,
                                         description="velocity above the local horizontal")
    heading_deg: float = Field(ge=-360.0, le=360.0,
                               description="velocity azimuth, east of true north")
    latitude_deg: float | None = Field(None, ge=-90.0, le=90.0, description="geodetic")
    geocentric_latitude_deg: float | None = Field(None, ge=-90.0, le=90.0)
    longitude_deg: float = Field(ge=-360.0, le=360.0, description="east")

    @model_validator(mode="after")
    def _checks(self) -> Insertion:
        _one_of(self, "at_utc", "get")
        _one_of(self, "latitude_deg", "geocentric_latitude_deg")
        return self


class PrintedUnits(Model):
    """One unit of the last digit each field of a printed ``insertion`` was printed to (0.01
    deg for a latitude printed 6.00, in the field's own units: 0.1 n mi is 0.1852 km); the
    state is known to half of it."""

    latitude_deg: float = Field(gt=0.0, description="the latitude given, geodetic or geocentric")
    longitude_deg: float = Field(gt=0.0)
    altitude_km: float = Field(gt=0.0)
    velocity_kmps: float = Field(gt=0.0)
    flight_path_angle_deg: float = Field(gt=0.0)
    heading_deg: float = Field(gt=0.0)


class PredictedPerilune(Model):
    """The ground's predicted closest approach to the Moon of the coast from the printed
    ``insertion``, from its tracking before the first burn; the insertion is refined within
    half a unit of each printed digit to pass there (:mod:`stationsim.program.navigation`)."""

    altitude_km: float = Field(gt=0.0, description="above reference_radius_km")
    reference_radius_km: float = Field(1737.4, gt=0.0, description="the Moon's radius the "
                                       "prediction's height is above (default the mean radius)")
    printed_units: PrintedUnits


class Elements(Timed):
    """Osculating Keplerian elements at a moment; heights above the equatorial radius."""

    perigee_km: float = Field(gt=-R_EARTH_M / KM)
    apogee_km: float
    inclination_deg: float = Field(ge=0.0, le=180.0)
    raan_deg: float = Field(ge=0.0, lt=360.0)
    arg_perigee_deg: float = Field(ge=0.0, lt=360.0)
    true_anomaly_deg: float = Field(ge=0.0, lt=360.0)

    @model_validator(mode="after")
    def _checks(self) -> Elements:
        _one_of(self, "at_utc", "get")
        _apsides_in_order(self)
        return self


class StateVector(Timed):
    """A position and velocity at a moment, in ``frame``: ``gcrf``, or ``mean-of-date`` (the
    mean equator and equinox of ``frame_epoch``, e.g. 'B1969.0', 'J2000.0' or a UTC time)."""

    frame: Literal["gcrf", "mean-of-date"] = "gcrf"
    frame_epoch: str | None = Field(None, description="Besselian 'B1969.0', Julian 'J2000.0' "
                                                      "or UTC; for mean-of-date only")
    r_km: list[float] = Field(min_length=3, max_length=3)
    v_kmps: list[float] = Field(min_length=3, max_length=3)

    @model_validator(mode="after")
    def _checks(self) -> StateVector:
        _one_of(self, "at_utc", "get")
        if (self.frame == "mean-of-date") != (self.frame_epoch is not None):
            raise ValueError("frame_epoch goes with frame: mean-of-date, and only with it")
        if self.frame_epoch is not None:
            frame_epoch_jd(self.frame_epoch)
        return self

    @property
    def r_m(self) -> np.ndarray:
        return np.asarray(self.r_km) * KM

    @property
    def v_mps(self) -> np.ndarray:
        return np.asarray(self.v_kmps) * KM


def frame_epoch_jd(text: str) -> tuple[float, float]:
    """Two-part TT Julian date of a frame epoch 'B1969.0', 'J2000.0' or a UTC time."""
    import erfa

    match = re.fullmatch(r"([BJ])(\d{4}(?:\.\d+)?)", text.strip())
    if match:
        kind, year = match.group(1), float(match.group(2))
        return erfa.epb2jd(year) if kind == "B" else erfa.epj2jd(year)
    try:
        tt_jd = Epoch.from_utc_iso(text).tt_jd
    except (ValueError, IndexError, TypeError):
        raise ValueError(f"not a frame epoch (expected 'B1969.0', 'J2000.0' or a UTC time, got "
                         f"{text!r})") from None
    return float(tt_jd), 0.0


class Ascent(Model):
    """The orbit a launcher reached, written as published (perigee, apogee, inclination), put
    in the plane through the launch site at lift-off: insertion at perigee, ``get`` after
    lift-off and ``downrange_deg`` along the plane from the site (the ascent's documented
    cut-off time and range)."""

    perigee_km: float = Field(gt=0.0)
    apogee_km: float = Field(gt=0.0)
    inclination_deg: float = Field(gt=0.0, lt=180.0)
    get: GroundElapsed
    downrange_deg: float = Field(gt=0.0, lt=180.0)

    @model_validator(mode="after")
    def _checks(self) -> Ascent:
        _apsides_in_order(self)
        return self


# --- burns --------------------------------------------------------------------------------
class Cutoff(Model):
    """A burn's recorded cut-off state as far as it sets the energy about the central body:
    height above its mean (Moon) or equatorial (Earth) radius and space-fixed speed."""

    altitude_km: float = Field(gt=0.0)
    velocity_kmps: float = Field(gt=0.0)


class Plane(Timed):
    """The orbit plane a burn leaves the craft in, from a tracked state about the Moon: a
    Moon-centred vector (``r_km``, ``v_kmps`` in ``frame``, as :class:`StateVector`) or a
    printed place and heading (selenographic ``latitude_deg``, ``longitude_deg`` and
    ``heading_deg``, east of north)."""

    frame: Literal["gcrf", "mean-of-date"] = "gcrf"
    frame_epoch: str | None = None
    r_km: list[float] | None = Field(None, min_length=3, max_length=3)
    v_kmps: list[float] | None = Field(None, min_length=3, max_length=3)
    latitude_deg: float | None = Field(None, ge=-90.0, le=90.0)
    longitude_deg: float | None = Field(None, ge=-360.0, le=360.0)
    heading_deg: float | None = Field(None, ge=-360.0, le=360.0)

    @model_validator(mode="after")
    def _checks(self) -> Plane:
        _one_of(self, "at_utc", "get")
        vector = self.r_km is not None and self.v_kmps is not None
        printed = None not in (self.latitude_deg, self.longitude_deg, self.heading_deg)
        if vector == printed:
            raise ValueError("a plane is a vector (r_km and v_kmps) or a printed place and "
                             "heading (latitude_deg, longitude_deg, heading_deg), one of them")
        if vector and not np.linalg.norm(np.cross(self.r_km, self.v_kmps)) > 0.0:
            raise ValueError(f"no orbit plane (expected r_km and v_kmps across each other, got "
                             f"{self.r_km} and {self.v_kmps})")
        if (self.frame == "mean-of-date") != (self.frame_epoch is not None):
            raise ValueError("frame_epoch goes with frame: mean-of-date, and only with it")
        return self


class Burn(Model):
    """One burn: when (``at_utc``, ``get`` or a rule ``at``), how much (``dv_mps``, or
    ``duration_s`` at the vehicle's thrust and Isp unless given) and which way
    (``direction``, tilted ``pitch_deg`` in the orbit plane toward the central body, or the
    ``external_dv_mps`` its maneuver PAD read up)."""

    name: Annotated[str, Field(min_length=1)]
    at_utc: UtcTime | None = None
    get: GroundElapsed | None = None
    at: Literal[BURN_RULES] | None = None  # type: ignore[valid-type]
    dv_mps: float | None = Field(None, gt=0.0)
    duration_s: float | None = Field(None, gt=0.0)
    thrust_n: float | None = Field(None, gt=0.0)
    isp_s: float | None = Field(None, gt=0.0)
    direction: Literal[BURN_DIRECTIONS]  # type: ignore[valid-type]
    pitch_deg: float = Field(0.0, ge=-90.0, le=90.0,
                             description="thrust tilted toward the central body (+) or away")
    mass_kg: float | None = Field(None, gt=0.0, description="the vehicle's mass at ignition, "
                                  "when part of it was left behind since the burn before")
    apoapsis_km: float | None = Field(None, gt=0.0, description="targeted: the burn lasts "
                                      "until the orbit's apoapsis is this high (dv_mps the "
                                      "first guess)")
    entry_angle_deg: float | None = Field(None, ge=-30.0, lt=0.0, description="targeted: the "
                                          "thrust's pitch aims the way home at this "
                                          "flight-path angle at the entry interface")
    cutoff: Cutoff | None = Field(None, description="targeted: the burn lasts until the "
                                  "craft's energy is that of the recorded cut-off state")
    plane: Plane | None = Field(None, description="targeted: the thrust is yawed out of the "
                                "orbit plane so that the craft leaves in this tracked one")
    external_dv_mps: list[float] | None = Field(
        None, min_length=3, max_length=3, description="the burn's External delta-V as the "
        "maneuver PAD read it up: m/s along X (the local horizontal, forward), Y (against the "
        "orbit normal) and Z (down) of the local-vertical frame at the burn's middle; the "
        "thrust is held along it, "
        "dv_mps long")

    @model_validator(mode="after")
    def _checks(self) -> Burn:
        _one_of(self, "at_utc", "get", "at")
        _one_of(self, "dv_mps", "duration_s")
        if self.dv_mps is not None and (self.thrust_n is not None or self.isp_s is not None):
            raise ValueError("thrust_n and isp_s go with duration_s, not with dv_mps")
        if self.pitch_deg and self.direction not in ("prograde", "retrograde"):
            raise ValueError(f"pitch_deg tilts a prograde or retrograde burn (got direction "
                             f"{self.direction!r})")
        if self.apoapsis_km is not None and (self.entry_angle_deg is not None
                                             or self.cutoff is not None
                                             or self.plane is not None):
            raise ValueError("apoapsis_km sizes the burn alone (not with entry_angle_deg, "
                             "cutoff or plane)")
        if self.external_dv_mps is not None and (
                self.targeted or self.pitch_deg or self.dv_mps is None
                or self.direction != ("prograde" if self.external_dv_mps[0] > 0 else "retrograde")):
            raise ValueError("external_dv_mps points the burn alone (not with a target or "
                             "pitch_deg), dv_mps its size, direction prograde or retrograde "
                             "as the sign of its X")
        if self.targeted and (self.dv_mps is None or self.pitch_deg
                              or self.direction not in ("prograde", "retrograde")):
            raise ValueError("a targeted burn (apoapsis_km, entry_angle_deg, cutoff, plane) is "
                             "prograde or retrograde with dv_mps and no pitch_deg (the target "
                             "sets them)")
        return self

    @property
    def targeted(self) -> bool:
        """Whether the burn is aimed at a target (its size or pitch solved in flight)."""
        return (self.apoapsis_km is not None or self.entry_angle_deg is not None
                or self.cutoff is not None or self.plane is not None)

    @property
    def pitch_rad(self) -> float:
        return self.pitch_deg * DEG

    def epoch(self, launch: Epoch) -> Epoch | None:
        """The burn's (ignition) time, None when a rule places it."""
        if self.at_utc is not None:
            return Epoch.from_utc_iso(self.at_utc)
        if self.get is not None:
            return launch + get_s(self.get)
        return None


# --- entry --------------------------------------------------------------------------------
class Parachute(Model):
    """A parachute stage: deployed at ``altitude_km`` (above the ellipsoid) with its drag area
    Cd*S (m^2), replacing the stage before."""

    name: Annotated[str, Field(min_length=1)]
    altitude_km: float = Field(gt=0.0)
    cd_area_m2: float = Field(gt=0.0)


class Aero(Model):
    """A capsule written in the program instead of taken from the capsule catalog."""

    mass_kg: float = Field(gt=0.0)
    area_m2: float = Field(gt=0.0, description="reference area (heat-shield disc)")
    cd: float = Field(gt=0.0, description="hypersonic drag coefficient")
    lift_to_drag: float = Field(0.0, ge=0.0, le=2.0)
    parachutes: list[Parachute] = []
    source: str = ""


class Bank(Model):
    """How a lifting capsule rolls its lift: ``constant`` (``bank_deg``: 0 lift up, 180 lift
    down) or ``guided`` to ``target`` (the simplified Apollo guidance, docs/programs.md)."""

    mode: Literal["constant", "guided"] = "constant"
    bank_deg: float = Field(0.0, ge=-180.0, le=180.0)

    @property
    def bank_rad(self) -> float:
        return self.bank_deg * DEG


class Target(Model):
    """The planned landing point (known before flight), geodetic."""

    latitude_deg: float = Field(ge=-90.0, le=90.0)
    longitude_deg: float = Field(ge=-360.0, le=360.0)


class EntrySpec(Model):
    """The way down: the capsule (catalog id, or ``aero`` written here) with an optional
    ``mass_kg`` override, from ``interface_km``; bank rule for lifting capsules; an optional
    planned ``target`` for guided entry."""

    capsule: Annotated[str, Field(min_length=1)] | None = None
    aero: Aero | None = None
    mass_kg: float | None = Field(None, gt=0.0, description="entry mass if not the capsule's")
    interface_km: float = Field(ENTRY_INTERFACE_KM, gt=0.0, le=1000.0)
    bank: Bank = Bank()
    target: Target | None = None

    @model_validator(mode="after")
    def _checks(self) -> EntrySpec:
        _one_of(self, "capsule", "aero")
        if (self.bank.mode == "guided") != (self.target is not None):
            raise ValueError("a target goes with bank mode 'guided', and bank mode 'guided' "
                             "needs a target (the planned landing point)")
        return self

    @property
    def interface_m(self) -> float:
        return self.interface_km * KM


class Tracked(Timed):
    """A tracked state the flight adopts on the way (the ground's state-vector update), as the
    records print it about the Moon (selenographic place, height above the mean radius,
    space-fixed speed and flight-path angle); without
    ``heading_deg`` the velocity lies in the model's own orbit plane at that moment."""

    body: Literal["moon"] = "moon"
    altitude_km: float = Field(gt=0.0)
    velocity_kmps: float = Field(gt=0.0, description="inertial (space-fixed) speed")
    flight_path_angle_deg: float = Field(ge=-90.0, le=90.0)
    heading_deg: float | None = Field(None, ge=-360.0, le=360.0, description="east of north; "
                                      "none: in the model's orbit plane")
    latitude_deg: float = Field(ge=-90.0, le=90.0)
    longitude_deg: float = Field(ge=-360.0, le=360.0)

    @model_validator(mode="after")
    def _checks(self) -> Tracked:
        _one_of(self, "at_utc", "get")
        return self


# --- the trajectory -----------------------------------------------------------------------
class Trajectory(Model):
    """A flight's path: its central body, where it starts (exactly one of ``insertion``,
    ``elements``, ``state``, ``ascent``), its ``burns`` in time order, and its ``entry``."""

    central_body: Literal[CENTRAL_BODIES] = "earth"  # type: ignore[valid-type]
    third_bodies: list[Literal[THIRD_BODIES]] = []  # type: ignore[valid-type]
    insertion: Insertion | None = None
    elements: Elements | None = None
    state: StateVector | None = None
    ascent: Ascent | None = None
    burns: list[Burn] = []
    tracked: list[Tracked] = Field([], description="tracked states adopted on the way, in "
                                   "time order, each before the next timed burn")
    predicted_perilune: PredictedPerilune | None = Field(
        None, description="the ground's predicted perilune of the coast from the insertion")
    entry: EntrySpec | None = None
    sortie: SortieSpec | None = Field(None, description="a lunar module's sortie from this "
                                      "flight in lunar orbit (docs/programs.md)")

    @model_validator(mode="after")
    def _checks(self) -> Trajectory:
        _one_of(self, "insertion", "elements", "state", "ascent")
        names = [burn.name for burn in self.burns]
        repeated = sorted({name for name in names if names.count(name) > 1})
        if repeated:
            raise ValueError(f"burn names must be unique (got {', '.join(map(repr, repeated))} "
                             "more than once)")
        if self.predicted_perilune is not None and (
                self.insertion is None or not (self.central_body == "moon"
                                               or "moon" in self.third_bodies)):
            raise ValueError("predicted_perilune refines a printed insertion on its way to the "
                             "Moon: give it with insertion and third_bodies: [moon, sun]")
        if self.predicted_perilune is not None and (
                not self.burns or self.burns[0].at != "perilune"):
            raise ValueError("predicted_perilune is the perilune of the coast from the "
                             "insertion: the first burn must be at: perilune")
        if self.sortie is not None and not (self.central_body == "moon"
                                            or "moon" in self.third_bodies):
            raise ValueError("a sortie leaves a flight at the Moon: give it on a trajectory "
                             "with central_body: moon or third_bodies: [moon, sun]")
        return self

    @property
    def start(self) -> Insertion | Elements | StateVector | Ascent:
        return self.insertion or self.elements or self.state or self.ascent

    def start_key(self) -> str:
        for key in ("insertion", "elements", "state", "ascent"):
            if getattr(self, key) is not None:
                return key
        raise AssertionError("a trajectory has a start")  # the validator guarantees one


def apogee_height_km(trajectory: Trajectory, gm_m3ps2: float) -> float:
    """Apogee height (km above the equatorial radius) of an Earth trajectory's start, from
    its elements, ascent, state vector or insertion (radius, speed and flight-path angle:
    frame-free); math.inf when the start is not a closed orbit."""
    start = trajectory.start
    if isinstance(start, Elements | Ascent):
        return start.apogee_km
    if isinstance(start, StateVector):
        r_m, v_mps = float(np.linalg.norm(start.r_m)), float(np.linalg.norm(start.v_mps))
        h_m2ps = float(np.linalg.norm(np.cross(start.r_m, start.v_mps)))
    else:
        r_m, v_mps = R_EARTH_M + start.altitude_km * KM, start.velocity_kmps * KM
        h_m2ps = r_m * v_mps * math.cos(start.flight_path_angle_deg * DEG)
    energy = 0.5 * v_mps**2 - gm_m3ps2 / r_m  # vis-viva
    if energy >= 0.0:
        return math.inf
    a_m = -gm_m3ps2 / (2.0 * energy)
    e = math.sqrt(max(0.0, 1.0 - h_m2ps**2 / (gm_m3ps2 * a_m)))
    return (a_m * (1.0 + e) - R_EARTH_M) / KM


# --- cross-checks -------------------------------------------------------------------------
def earth_apogee_problem(apogee_km: float, path: ProblemPath) -> Problem | None:
    """The problem of an Earth orbit flown without the Moon and the Sun whose apogee is beyond
    the orbit models (:data:`stationsim.scenario.checks.MAX_APOGEE_KM`), pointing to the lunar
    keys when it reaches the Moon's distance; None when it is fine."""
    from stationsim.scenario.checks import MAX_APOGEE_KM
    from stationsim.scenario.problems import Problem

    if apogee_km <= MAX_APOGEE_KM:
        return None
    shown = "no apogee (an escape orbit)" if math.isinf(apogee_km) else f"{apogee_km:,.0f} km"
    if apogee_km < LUNAR_REACH_KM:
        return Problem(path, f"apogee too high for an Earth orbit without the Moon and the Sun "
                             f"(expected at most {MAX_APOGEE_KM:,.0f} km, got {shown}); add "
                             f"third_bodies: [moon, sun] (docs/programs.md, 'Trajectories')")
    return Problem(path, f"an Earth orbit that reaches the Moon's distance (expected an apogee "
                         f"below {MAX_APOGEE_KM:,.0f} km for an Earth orbit without the Moon's "
                         f"pull, got {shown}); a flight to the Moon takes third_bodies: [moon, "
                         f"sun], and a lunar orbit central_body: moon (docs/programs.md, "
                         f"'Trajectories')")


def _beyond_full_load(burn: Burn, vehicle, path: tuple) -> list:
    """A written delta-v no more than the vehicle's whole propellant load gives at the burn's
    Isp (Tsiolkovsky: ve ln(m_full / m_dry)); a larger one would burn the craft itself."""
    from stationsim.scenario.problems import Problem

    isp_s = burn.isp_s or vehicle.isp_s
    full_kg = vehicle.dry_mass_kg + vehicle.propellant_mass_kg
    if not isp_s > 0.0 or not vehicle.dry_mass_kg > 0.0:
        return []
    most_mps = isp_s * G0_MPS2 * np.log(full_kg / vehicle.dry_mass_kg)
    if burn.dv_mps <= most_mps:
        return []
    return [Problem(path, f"more than the vehicle's whole propellant load gives (expected at "
                          f"most {most_mps:,.0f} m/s: {vehicle.propellant_mass_kg:,.0f} kg on "
                          f"{vehicle.dry_mass_kg:,.0f} kg at Isp {isp_s:g} s, got "
                          f"{burn.dv_mps:g})")]


def check_trajectories(program: Program, catalog: Catalog, capsules: Mapping[str, Capsule]) -> list:
    """Problems of the program's trajectories once every value is well formed: burn times
    after launch and inside the span, in order; a capsule the catalog knows; a vehicle that
    can burn by duration; an Earth orbit that does not reach for the Moon unannounced."""
    from stationsim.astro.constants import GM_EARTH_M3PS2
    from stationsim.scenario.problems import Problem, did_you_mean, one_of

    problems: list[Problem] = []
    for i, flight in enumerate(program.flights):
        trajectory = flight.trajectory
        if trajectory is None:
            continue
        path = ("flights", i, "trajectory")
        if trajectory.central_body == "earth" and not trajectory.third_bodies:
            apogee_km = apogee_height_km(trajectory, GM_EARTH_M3PS2)
            problem = earth_apogee_problem(apogee_km, path + (trajectory.start_key(),))
            if problem is not None:
                problems.append(problem)
        cislunar = trajectory.central_body == "moon" or bool(trajectory.third_bodies)
        if not cislunar and trajectory.tracked:
            problems.append(Problem(path + ("tracked",), "tracked states are taken up on a "
                                    "flight about the Moon (expected central_body: moon or "
                                    "third_bodies: [moon, sun])"))
        for j, burn in enumerate(trajectory.burns):
            if not cislunar and (burn.targeted or burn.mass_kg is not None
                                 or burn.external_dv_mps is not None):
                problems.append(Problem(path + ("burns", j), (
                    "targeted burns, external_dv_mps and mass_kg are flown on a flight about the "
                    "Moon (expected central_body: moon or third_bodies: [moon, sun])")))
        launch = flight.launch
        start = trajectory.start
        begins = launch + get_s(start.get) if start.get is not None else (
            Epoch.from_utc_iso(start.at_utc))
        where = path + (trajectory.start_key(), "get" if start.get is not None else "at_utc")
        if not launch.tt_s <= begins.tt_s <= program.span.end.tt_s:
            problems.append(Problem(where, f"outside the flight (expected from the launch "
                                           f"{launch.utc_iso(0)} to the span's end "
                                           f"{program.span.end_utc}, got {begins.utc_iso(0)})"))
        if isinstance(start, StateVector):
            radius_m = R_EARTH_M if trajectory.central_body == "earth" else R_MOON_M
            if not np.linalg.norm(start.r_m) > radius_m:
                problems.append(Problem(path + ("state", "r_km"), (
                    f"inside the {trajectory.central_body.capitalize()} (expected a distance "
                    f"from its centre above {radius_m / KM:,.1f} km, got "
                    f"{np.linalg.norm(start.r_m) / KM:,.1f} km)")))
        previous, previous_name = begins.tt_s, "the trajectory's start"
        for j, burn in enumerate(trajectory.burns):
            when = burn.epoch(launch)
            where = path + ("burns", j, "at_utc" if burn.at_utc is not None else "get")
            if when is not None:
                if when.tt_s < previous:
                    problems.append(Problem(where, f"before {previous_name} (expected burns in "
                                                   f"time order, after "
                                                   f"{Epoch(previous).utc_iso(0)}, got "
                                                   f"{when.utc_iso(0)})"))
                elif not when.tt_s <= program.span.end.tt_s:
                    problems.append(Problem(where, f"after the span's end (expected by "
                                                   f"{program.span.end_utc}, got "
                                                   f"{when.utc_iso(0)})"))
                previous, previous_name = when.tt_s, f"burn {burn.name!r}"
            vehicle = catalog.vehicles.get((flight.vehicle or "").lower())
            if burn.dv_mps is not None and vehicle is not None:
                problems += _beyond_full_load(burn, vehicle, path + ("burns", j, "dv_mps"))
            if burn.duration_s is not None and vehicle is not None and (
                    (burn.thrust_n is None and not vehicle.thrust_n > 0.0)
                    or (burn.isp_s is None and not vehicle.isp_s > 0.0)):
                problems.append(Problem(path + ("burns", j, "duration_s"), (
                    f"the vehicle {flight.vehicle!r} has no thrust or Isp in the catalog "
                    f"(expected thrust_n and isp_s with duration_s, or dv_mps)")))
        entry = trajectory.entry
        if entry is not None and entry.capsule is not None and entry.capsule not in capsules:
            problems.append(Problem(path + ("entry", "capsule"), (
                f"unknown capsule (expected one of {one_of(sorted(capsules))}, got "
                f"{entry.capsule!r}){did_you_mean(entry.capsule, capsules)}")))
    return problems


from stationsim.scenario.sortie import SortieSpec  # noqa: E402 (it uses GroundElapsed above)

Trajectory.model_rebuild()
