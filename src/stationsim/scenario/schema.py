"""The program-file schema: pydantic models of what a YAML program says, with SI accessors.

Files speak kilometres, degrees, days and UTC ISO-8601 text; the models keep those values as
written (so that errors and the JSON Schema quote the file) and offer SI accessors for the engine:
``Epoch`` for times, metres, m/s, seconds and radians for the rest. Masses are kilograms in both.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated, Any, Literal, Self, Union, get_args

import numpy as np
from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    PrivateAttr,
    Tag,
    WithJsonSchema,
    model_validator,
)

from stationsim.astro.constants import DAY_S, DEG, KM, R_EARTH_M
from stationsim.astro.time import Epoch
from stationsim.astro.tle import Tle, parse_tle_lines
from stationsim.ops.rendezvous import PROFILES as RENDEZVOUS_PROFILES
from stationsim.scenario.hardware import ModuleDef, SiteDef, VehicleDef

if TYPE_CHECKING:
    from stationsim.hardware.catalog import Catalog

PROFILES = tuple(RENDEZVOUS_PROFILES)
"""Rendezvous profile names a flight may ask for: those :mod:`stationsim.ops.rendezvous` flies."""

EXTENSION_PREFIX = "x-"
"""Top-level keys starting with this are ignored: a place to define YAML anchors for reuse."""

UNION_TAG_PREFIX = "~"
"""Prefix of the tags that choose a branch of a union; they are not field names."""


def _check_utc(text: str) -> str:
    try:
        if not re.match(r"\d{4}-", text):  # a four-digit year: '95-01-01' is not 1995
            raise ValueError(text)
        Epoch.from_utc_iso(text)
    except (ValueError, IndexError, TypeError):
        raise ValueError(
            f"not a UTC time (expected ISO-8601 like '1995-06-27T19:32:19Z', got {text!r})"
        ) from None
    return text


def _check_port_ref(text: str) -> str:
    module, dot, port = text.partition(".")
    if not dot or not module or not port or "." in port or any(c.isspace() for c in text):
        raise ValueError(f"not a port (expected 'module.port' like 'mir-core.aft', got {text!r})")
    return text


UtcTime = Annotated[
    str,
    AfterValidator(_check_utc),
    WithJsonSchema({"type": "string",
                    "pattern": r"^\d{4}-\d{1,2}-\d{1,2}(T\d{1,2}:\d{2}(:\d{2}(\.\d+)?)?)?Z?$",
                    "description": "UTC, ISO-8601: 1995-06-27T19:32:19Z or 1995-06-27"}),
]
PortRef = Annotated[
    str,
    AfterValidator(_check_port_ref),
    WithJsonSchema({"type": "string", "pattern": r"^[^.\s]+\.[^.\s]+$",
                    "description": "a port as module.port, e.g. mir-core.aft"}),
]
def _check_name(text: str) -> str:
    if any(ord(c) < 32 or ord(c) == 127 for c in text) or not text.strip():
        raise ValueError(f"not a name (expected text on one line, without tabs or other "
                         f"control characters, got {text!r})")
    return text


Name = Annotated[str, Field(min_length=1), AfterValidator(_check_name)]
Kilograms = Annotated[float, Field(ge=0.0)]
Profile = Literal[PROFILES]  # type: ignore[valid-type]


class Model(BaseModel):
    """Base of every program model: unknown keys are errors, values are immutable and finite."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              str_strip_whitespace=True)

    def replace(self, **changes: Any) -> Self:
        """A copy with ``changes`` (field=value), validated (a Program cross-checked too) as
        a program file is; ProgramError names each wrong field (``scenario.replace``)."""
        from stationsim.scenario.replace import replaced

        return replaced(self, changes)


def _exactly_one(model: BaseModel, *fields: str, required: bool = True) -> None:
    given = [name for name in fields if getattr(model, name) is not None]
    if len(given) > 1 or (required and not given):
        how_many = "exactly one" if required else "at most one"
        if len(fields) > 2:
            what = " and ".join(given) or "none"
        else:
            what = "both" if len(given) > 1 else "neither"
        raise ValueError(f"give {how_many} of {' or '.join(fields)} (got {what})")


# --- span ---------------------------------------------------------------------------------
class Span(Model):
    """The simulated interval of the program."""

    start_utc: UtcTime
    end_utc: UtcTime

    @property
    def start(self) -> Epoch:
        return Epoch.from_utc_iso(self.start_utc)

    @property
    def end(self) -> Epoch:
        return Epoch.from_utc_iso(self.end_utc)


# --- orbits -------------------------------------------------------------------------------
class TleOrbit(Model):
    """An orbit as a two-line element set (SGP4 mean elements, TEME); optional name line."""

    tle: str | list[str] = Field(description="two lines (or name + two lines) as a block or list")
    name: str | None = None

    @property
    def record(self) -> Tle:
        """The parsed element set (SGP4 record, epoch, mean elements in SI)."""
        rows = tle_rows(self.tle)
        name = self.name or (rows[0].removeprefix("0 ").strip() if len(rows) == 3 else None)
        return parse_tle_lines(rows[-2], rows[-1], name=name)

    @property
    def epoch(self) -> Epoch:
        return self.record.epoch


class ElementsOrbit(Model):
    """Osculating Keplerian elements at an epoch; altitudes above the WGS-84 equatorial radius."""

    epoch_utc: UtcTime
    perigee_km: float = Field(gt=0.0, description="perigee altitude above 6378.137 km")
    apogee_km: float = Field(gt=0.0, description="apogee altitude above 6378.137 km")
    inclination_deg: float = Field(ge=0.0, le=180.0)
    raan_deg: float = Field(ge=0.0, lt=360.0)
    arg_perigee_deg: float = Field(ge=0.0, lt=360.0)
    true_anomaly_deg: float = Field(ge=0.0, lt=360.0)

    @property
    def epoch(self) -> Epoch:
        return Epoch.from_utc_iso(self.epoch_utc)

    @property
    def perigee_radius_m(self) -> float:
        return R_EARTH_M + self.perigee_km * KM

    @property
    def apogee_radius_m(self) -> float:
        return R_EARTH_M + self.apogee_km * KM

    @property
    def semi_major_axis_m(self) -> float:
        return 0.5 * (self.perigee_radius_m + self.apogee_radius_m)

    @property
    def eccentricity(self) -> float:
        r_p, r_a = self.perigee_radius_m, self.apogee_radius_m
        return (r_a - r_p) / (r_a + r_p)

    @property
    def inclination_rad(self) -> float:
        return self.inclination_deg * DEG

    @property
    def raan_rad(self) -> float:
        return self.raan_deg * DEG

    @property
    def arg_perigee_rad(self) -> float:
        return self.arg_perigee_deg * DEG

    @property
    def true_anomaly_rad(self) -> float:
        return self.true_anomaly_deg * DEG


def tle_rows(tle: str | list[str]) -> list[str]:
    """The non-blank rows of a TLE given as one block of text or as a list of lines."""
    rows = tle.splitlines() if isinstance(tle, str) else list(tle)
    return [row.rstrip() for row in rows if row.strip()]


def _orbit_kind(value: Any) -> str:
    return f"{UNION_TAG_PREFIX}tle-orbit" if isinstance(value, dict) and "tle" in value else (
        f"{UNION_TAG_PREFIX}elements")


Orbit = Annotated[
    Annotated[TleOrbit, Tag(f"{UNION_TAG_PREFIX}tle-orbit")]
    | Annotated[ElementsOrbit, Tag(f"{UNION_TAG_PREFIX}elements")],
    Discriminator(_orbit_kind),
]


# --- stations -----------------------------------------------------------------------------
class Attachment(Model):
    """A module joined to the station: its port ``via`` mates with the station port ``at``."""

    module: Name = Field(description="module type id from the catalog, e.g. kvant-1")
    name: Name | None = Field(None, description="instance name if not the type id")
    at: PortRef
    via: Name = Field(description="the port of this module that mates with 'at'")

    @property
    def instance(self) -> str:
        return self.name or self.module


class Modules(Model):
    """The station's initial assembly: a root module and the modules attached to it in order."""

    root: Name
    attach: list[Attachment] = []


class Ballistic(Model):
    """Drag overrides: drag coefficient and reference area."""

    cd: float = Field(gt=0.0)
    area_m2: float = Field(gt=0.0)


class Reboost(Model):
    """When to reboost (mean altitude band), who burns (vehicle or module ids, in order) and
    until when (a station then left to decay, e.g. before its deorbit)."""

    min_mean_altitude_km: float = Field(gt=0.0)
    max_mean_altitude_km: float = Field(gt=0.0)
    by: list[Name] = Field(min_length=1)
    until_utc: UtcTime | None = None

    @property
    def until(self) -> Epoch | None:
        return None if self.until_utc is None else Epoch.from_utc_iso(self.until_utc)

    @property
    def min_mean_altitude_m(self) -> float:
        return self.min_mean_altitude_km * KM

    @property
    def max_mean_altitude_m(self) -> float:
        return self.max_mean_altitude_km * KM


class Consumables(Model):
    """Stocks aboard, kilograms."""

    o2_kg: Kilograms = 0.0
    water_kg: Kilograms = 0.0
    food_kg: Kilograms = 0.0
    propellant_kg: Kilograms = 0.0


class Capacity(Model):
    """What a station can hold, kilograms (stowage, water tanks, propellant tanks); a delivery
    beyond it stays aboard the cargo ship and leaves with it."""

    o2_kg: Kilograms | None = None
    water_kg: Kilograms | None = None
    food_kg: Kilograms | None = None
    propellant_kg: Kilograms | None = None


class ShortageRule(Model):
    """What a shortage of life support does: when a stock named in ``evacuate_on`` runs out,
    the crew aboard leave on the crew vehicles docked (the rest of the shortages are warnings)."""

    evacuate_on: list[Literal["o2", "water", "food"]] = ["water"]


class Regeneration(Model):
    """Life-support recycling: water recovered (fraction) and oxygen made aboard."""

    water_recovery_fraction: float = Field(0.0, ge=0.0, le=1.0)
    o2_generation_kg_per_day: float = Field(0.0, ge=0.0)

    @property
    def o2_generation_kgps(self) -> float:
        return self.o2_generation_kg_per_day / DAY_S


class Docked(Model):
    """A vehicle already docked when the program starts."""

    id: Name
    vehicle: Name
    port: PortRef
    undock_utc: UtcTime | None = None
    landing_utc: UtcTime | None = None
    crew_down: list[Name] = []

    @property
    def undock(self) -> Epoch | None:
        return None if self.undock_utc is None else Epoch.from_utc_iso(self.undock_utc)

    @property
    def landing(self) -> Epoch | None:
        return None if self.landing_utc is None else Epoch.from_utc_iso(self.landing_utc)


class Station(Model):
    """A station: its orbit at an epoch, its modules, and what is aboard at the start."""

    id: Name
    orbit: Orbit
    modules: Modules
    has_arm: bool = Field(False, description="a robotic arm able to berth (CBM) modules")
    ballistic: Ballistic | None = None
    reboost: Reboost | None = None
    consumables: Consumables = Consumables()
    capacity: Capacity = Capacity()
    shortage_rule: ShortageRule = ShortageRule()
    regeneration: Regeneration = Regeneration()
    crew_aboard: list[Name] = []
    docked: list[Docked] = []


# --- people and flights -------------------------------------------------------------------
class Person(Model):
    name: Name
    agency: Name
    nationality: Name


class VehicleDefaults(Model):
    """Values every flight of one vehicle type takes unless it says otherwise."""

    profile: Profile | None = None
    site: Name | None = None
    port: PortRef | None = None
    stay_days: float | None = Field(None, gt=0.0)


class Cargo(Model):
    """What a flight brings up, kilograms (and optionally cubic metres of pressurised volume),
    and ``return_kg``: the dry cargo it takes away from the station when it leaves (returned
    to Earth, or rubbish burnt up with a cargo ship)."""

    o2_kg: Kilograms = 0.0
    water_kg: Kilograms = 0.0
    food_kg: Kilograms = 0.0
    propellant_kg: Kilograms = 0.0
    dry_kg: Kilograms = 0.0
    volume_m3: float = Field(0.0, ge=0.0)
    return_kg: Kilograms | None = None

    @property
    def total_kg(self) -> float:
        return self.o2_kg + self.water_kg + self.food_kg + self.propellant_kg + self.dry_kg


class DeliveredModule(Model):
    """A module that arrives on this flight and stays: its port ``via`` berths at ``berth_at``."""

    module: Name
    name: Name | None = None
    via: Name
    berth_at: PortRef

    @property
    def instance(self) -> str:
        return self.name or self.module


class Relocation(Model):
    """The flight's vehicle flies from its port to port ``to`` at a time."""

    at_utc: UtcTime
    to: PortRef

    @property
    def at(self) -> Epoch:
        return Epoch.from_utc_iso(self.at_utc)


class ApproachAbort(Model):
    """A documented aborted approach of the flight: the attempt on its current docking day is
    called off at ``range_m`` from the station (left out where no source gives it) and the
    flight retries on ``retry_flight_day``
    (the operators' new plan), automatically or by manual control (TORU, ``retry_docking:
    manual``); with no retry day the flight gives up and never docks. The first attempt is on
    the flight's ``docking_flight_day``, or where a revolution-count profile docks (Soyuz,
    Progress; the retry day is then a Moscow calendar day, :mod:`stationsim.ops.retry`)."""

    range_m: float | None = Field(None, gt=0.0,
                                  description="how close the aborted approach came, m")
    retry_flight_day: int | None = Field(None, ge=2, description="the re-planned docking flight "
                                                                 "day; none: the docking is "
                                                                 "abandoned")
    retry_docking: Literal["automatic", "manual"] = "automatic"
    cause: str = Field("", description="what stopped the approach, as documented")


class LaunchFailure(Model):
    """The launch fails: vehicle and cargo are lost; a crew is saved by the abort system and
    lands (at the flight's ``landing_utc`` when given)."""

    cause: str = ""


class Flight(Model):
    """One launch: a vehicle (or a module flying itself) to a station, or a free flight.

    ``stay_days`` counts from launch to undocking; a docked flight with neither stays past the
    program's end. ``dock: false`` flies the rendezvous without docking. ``orbit`` is the orbit
    of a flight that meets no station (its decay is followed to re-entry). After loading, the
    profile, site, port and stay come from ``defaults`` for the vehicle type when the flight
    leaves them out.
    """

    id: Name
    vehicle: Name | None = None
    launch_utc: UtcTime | None = None
    earliest_launch_utc: UtcTime | None = None
    site: Name | None = None
    target: Name | None = None
    port: PortRef | None = None
    profile: Profile | None = None
    docking_flight_day: int | None = Field(None, ge=1)
    docking_day_wake_utc: UtcTime | None = Field(
        None, description="the flight plan's crew wake-up on the docking day (a profile that "
                          "docks on crew flight days: the Shuttle); the day starts then")
    burns_utc: dict[Name, UtcTime] = Field(
        {}, description="the flight plan's rendezvous burn times by the profile's burn names "
        "(its trim, co-elliptic and terminal burns, e.g. NC2, NSR, TPI): each flies then, its "
        "delta-v still targeted by its rule")
    dock: bool = Field(True, description="false: rendezvous and station-keeping only, no "
                                         "docking (STS-63 'Near-Mir')")
    orbit: Orbit | None = Field(None, description="the orbit a flight that meets no station "
                                                  "is put into, for its decay and re-entry")
    trajectory: Trajectory | None = Field(None, description="the path a flight that meets no "
                                          "station flies: start, burns, entry and landing")
    crew_up: list[Name] = []
    crew_down: list[Name] = []
    cargo: Cargo = Cargo()
    undock_utc: UtcTime | None = None
    stay_days: float | None = Field(None, gt=0.0)
    landing_utc: UtcTime | None = None
    delivers_module: DeliveredModule | None = None
    relocations: list[Relocation] = []
    approach_aborts: list[ApproachAbort] = Field(
        [], description="documented aborted approaches, in order, each with its retry day")
    launch_failure: LaunchFailure | None = None
    carried_by: Name | None = Field(None, description="the flight whose vehicle carries this "
                                    "module (a Shuttle's payload bay): it is berthed on the "
                                    "station after that flight docks")
    berth_flight_day: int | None = Field(None, ge=1, description="the carrier's flight-plan day "
                                         "on which the module is berthed; none: at the "
                                         "carrier's docking")

    @model_validator(mode="after")
    def _one_of_each(self) -> Flight:
        _exactly_one(self, "launch_utc", "earliest_launch_utc")
        _exactly_one(self, "undock_utc", "stay_days", required=False)
        _exactly_one(self, "orbit", "trajectory", required=False)
        if self.trajectory is not None and self.landing_utc is not None:
            raise ValueError("a flight with a trajectory lands where its entry takes it: leave "
                             "out landing_utc")
        if self.trajectory is not None and (self.target is not None or self.port is not None):
            raise ValueError("a flight with a trajectory docks nowhere: leave out target and "
                             "port")
        if self.vehicle is None and self.delivers_module is None:
            raise ValueError("give a vehicle, or delivers_module for a module that flies itself")
        if self.carried_by is not None and (self.delivers_module is None
                                            or self.vehicle is not None):
            raise ValueError("carried_by is for a module without a vehicle of its own: give "
                             "delivers_module and leave out vehicle")
        if self.carried_by is not None and (self.profile is not None or self.approach_aborts
                                            or self.docking_flight_day is not None
                                            or self.burns_utc):
            raise ValueError("a carried module flies no rendezvous of its own: leave out "
                             "profile, docking_flight_day, burns_utc and approach_aborts (the "
                             "carrier's apply)")
        if self.berth_flight_day is not None and self.carried_by is None:
            raise ValueError("berth_flight_day needs carried_by (the flight that carries the "
                             "module)")
        if self.approach_aborts:  # the first day: written, or the profile's (checks.py)
            days = [self.docking_flight_day] + [a.retry_flight_day for a in self.approach_aborts]
            if None in days[1:-1]:
                raise ValueError("only the last of approach_aborts may leave out "
                                 "retry_flight_day (the docking abandoned)")
            days = [day for day in days if day is not None]
            if any(later <= earlier for earlier, later in zip(days, days[1:], strict=False)):
                raise ValueError(f"each retry_flight_day must come after the attempt it "
                                 f"repeats; got days {days}")
        return self

    @property
    def launch(self) -> Epoch:
        """Launch time, or the earliest launch time when the engine is to choose it."""
        return Epoch.from_utc_iso(self.launch_utc or self.earliest_launch_utc)

    @property
    def docking_day_wake(self) -> Epoch | None:
        """The flight plan's docking-day crew wake-up, where written."""
        return None if self.docking_day_wake_utc is None \
            else Epoch.from_utc_iso(self.docking_day_wake_utc)

    @property
    def undock(self) -> Epoch | None:
        """Undocking time (from undock_utc or launch + stay_days); None if it stays."""
        if self.undock_utc is not None:
            return Epoch.from_utc_iso(self.undock_utc)
        if self.stay_days is not None:
            return self.launch + self.stay_s
        return None

    @property
    def stay_s(self) -> float | None:
        return None if self.stay_days is None else self.stay_days * DAY_S

    @property
    def landing(self) -> Epoch | None:
        return None if self.landing_utc is None else Epoch.from_utc_iso(self.landing_utc)


# --- events and tracking ------------------------------------------------------------------
class _StationEvent(Model):
    """What every station event has: its time and its station."""

    at_utc: UtcTime
    station: Name | None = None

    @property
    def at(self) -> Epoch:
        return Epoch.from_utc_iso(self.at_utc)


class RelocateEvent(_StationEvent):
    """A module (by instance name) or a docked flight moves to another port."""

    type: Literal["relocate"]
    module: Name | None = None
    flight: Name | None = None
    to: PortRef
    via: Name | None = Field(None, description="module port that mates at 'to' (default: same)")

    @model_validator(mode="after")
    def _module_or_flight(self) -> RelocateEvent:
        _exactly_one(self, "module", "flight")
        return self


class ReboostEvent(_StationEvent):
    """A planned reboost to a target mean altitude or by a velocity change."""

    type: Literal["reboost"]
    by: Name | None = None
    target_mean_altitude_km: float | None = Field(None, gt=0.0)
    dv_mps: float | None = Field(None, gt=0.0, le=1000.0, description=(
        "at most 1 km/s: reboosts are metres per second; 1 km/s from a 400 km circle already "
        "lifts the apogee to 5,600 km, and 3.2 km/s escapes"))

    @model_validator(mode="after")
    def _target_or_dv(self) -> ReboostEvent:
        _exactly_one(self, "target_mean_altitude_km", "dv_mps")
        return self

    @property
    def target_mean_altitude_m(self) -> float | None:
        km = self.target_mean_altitude_km
        return None if km is None else km * KM


class DeorbitEvent(_StationEvent):
    """The station's controlled deorbit, burning down to a target perigee."""

    type: Literal["deorbit"]
    by: Name | None = None
    target_perigee_km: float | None = Field(None, ge=-1000.0, le=1000.0, description=(
        "the perigee the burn aims at: under the surface for a steep entry (a cargo ship's "
        "-50 km), at most 1,000 km (a deorbit lowers an orbit)"))

    @property
    def target_perigee_m(self) -> float | None:
        km = self.target_perigee_km
        return None if km is None else km * KM


class AttitudeEvent(_StationEvent):
    """The station's attitude from then on: ``flight`` (held, its frontal area along the
    velocity) or ``tumbling`` (out of control: the mean projected area of its parts)."""

    type: Literal["attitude"]
    mode: Literal["flight", "tumbling"]


# off-nominal events (docs/programs.md, "Off-nominal events")
class CollisionEvent(_StationEvent):
    """A vehicle strikes a module; ``holed`` (the default) depressurises and seals it."""

    type: Literal["collision"]
    module: Name
    flight: Name | None = Field(None, description="the vehicle that struck, a flight id")
    holed: bool = True
    cause: str = ""


class DepressurisationEvent(_StationEvent):
    """A module loses its air and is sealed off: its volume, power and stowage leave the
    station, and the work there ends."""

    type: Literal["depressurisation"]
    module: Name
    cause: str = ""


class FireEvent(_StationEvent):
    """A fire in a module: the crew aboard fight it; ``o2_lost_kg`` of the oxygen stock burns
    or is vented, ``duration_min`` as documented."""

    type: Literal["fire"]
    module: Name
    duration_min: float = Field(gt=0.0)
    o2_lost_kg: Kilograms = 0.0
    cause: str = ""


class EvaEvent(_StationEvent):
    """A spacewalk from ``airlock`` (a module of the station); ``internal: true`` for one into
    a depressurised module."""

    type: Literal["eva"]
    crew: list[Name] = Field(min_length=1)
    duration_h: float = Field(gt=0.0)
    airlock: Name
    internal: bool = False


class EarlyReturnEvent(_StationEvent):
    """A docked vehicle leaves before its written undocking, taking ``crew`` home."""

    type: Literal["early_return"]
    flight: Name
    crew: list[Name] = []
    landing_utc: UtcTime | None = None
    cause: str = ""

    @property
    def landing(self) -> Epoch | None:
        return None if self.landing_utc is None else Epoch.from_utc_iso(self.landing_utc)


class UndockEvent(_StationEvent):
    """A docked vehicle leaves its port and flies nearby with its crew (until a redock)."""

    type: Literal["undock"]
    flight: Name


class RedockEvent(_StationEvent):
    """A vehicle that undocked docks again: at ``port``, by default the one it left."""

    type: Literal["redock"]
    flight: Name
    port: PortRef | None = None


class CrewVisitEvent(_StationEvent):
    """People of a docked vehicle spend ``at_utc`` to ``until_utc`` aboard the station."""

    type: Literal["crew_visit"]
    flight: Name
    crew: list[Name] = Field(min_length=1)
    until_utc: UtcTime

    @property
    def until(self) -> Epoch:
        return Epoch.from_utc_iso(self.until_utc)

    @model_validator(mode="after")
    def _ends_after_start(self) -> CrewVisitEvent:
        if self.until.tt_s <= self.at.tt_s:
            raise ValueError(f"until_utc must come after at_utc (got {self.until_utc} <= "
                             f"{self.at_utc})")
        return self


class ModuleLeavesEvent(_StationEvent):
    """A module undocks for good, with whatever hangs on it."""

    type: Literal["module_leaves"]
    module: Name
    cause: str = ""


EVENT_MODELS: tuple[type[Model], ...] = (
    RelocateEvent, ReboostEvent, DeorbitEvent, AttitudeEvent, CollisionEvent,
    DepressurisationEvent, FireEvent, EvaEvent, EarlyReturnEvent, UndockEvent, RedockEvent,
    CrewVisitEvent, ModuleLeavesEvent,
)
"""Every kind of station event; each has its handler in :mod:`stationsim.program.events`."""

EVENT_TYPES = tuple(get_args(model.model_fields["type"].annotation)[0] for model in EVENT_MODELS)


def _event_kind(value: Any) -> str | None:
    kind = value.get("type") if isinstance(value, dict) else None
    return None if kind is None else f"{UNION_TAG_PREFIX}{kind}"


Event = Annotated[
    Union[tuple(Annotated[model, Tag(f"{UNION_TAG_PREFIX}{kind}")]  # noqa: UP007
                for model, kind in zip(EVENT_MODELS, EVENT_TYPES, strict=True))],
    Discriminator(_event_kind),
]


class TleTracking(Model):
    """The station as tracked: a two-line element set, adopted at its epoch."""

    station: Name | None = None
    tle: str | list[str]

    @property
    def record(self) -> Tle:
        """The parsed element set (SGP4 record, epoch, mean elements in SI)."""
        rows = tle_rows(self.tle)
        return parse_tle_lines(rows[-2], rows[-1])

    @property
    def epoch(self) -> Epoch:
        return self.record.epoch


class StateTracking(Model):
    """The station as tracked: a GCRF state vector at an epoch."""

    station: Name | None = None
    epoch_utc: UtcTime
    r_km: list[float] = Field(min_length=3, max_length=3)
    v_kmps: list[float] = Field(min_length=3, max_length=3)

    @property
    def epoch(self) -> Epoch:
        return Epoch.from_utc_iso(self.epoch_utc)

    @property
    def r_gcrf_m(self) -> np.ndarray:
        return np.asarray(self.r_km) * KM

    @property
    def v_gcrf_mps(self) -> np.ndarray:
        return np.asarray(self.v_kmps) * KM


def _tracking_kind(value: Any) -> str:
    return f"{UNION_TAG_PREFIX}tle-tracking" if isinstance(value, dict) and "tle" in value else (
        f"{UNION_TAG_PREFIX}state")


Tracking = Annotated[
    Annotated[TleTracking, Tag(f"{UNION_TAG_PREFIX}tle-tracking")]
    | Annotated[StateTracking, Tag(f"{UNION_TAG_PREFIX}state")],
    Discriminator(_tracking_kind),
]


class TrackingFile(Model):
    """A file of a station's two-line element sets, every one adopted as a tracking update
    (:mod:`stationsim.scenario.tracking`): a path relative to the program file, or the name of
    a bundled file."""

    station: Name
    file: Name = Field(description="e.g. iss-1998-2001.tle.gz (bundled) or a path relative "
                                   "to the program file; .gz files are gzipped")


# --- campaigns ----------------------------------------------------------------------------
MAX_CAMPAIGN_SAMPLES = 10_000_000
"""Most samples a campaign flies: 5,000 core-seconds of rendezvous at ~2,000 a second
(docs/performance.md); 10^11 asked for 24 GB before the first sample flew."""


class Campaign(Model):
    """A Monte Carlo campaign over one flight's rendezvous (docs/campaign.md); command-line
    options of ``stationsim campaign`` override these."""

    flight: Name
    samples: int = Field(ge=1, le=MAX_CAMPAIGN_SAMPLES)
    seed: int | None = Field(None, ge=0)
    vary: list[Annotated[str, Field(pattern=r"^\s*[a-z_]+\s*=\s*[a-z]+\s*\([^()]*\)\s*$")]] = []
    propellant_kg: Kilograms | None = None
    insertion_covariance_lvlh: list[Annotated[list[float], Field(min_length=6, max_length=6)]] \
        | None = Field(None, min_length=6, max_length=6,
                       description="6x6, SI (m, m/s), vehicle LVLH")


# --- the program --------------------------------------------------------------------------
class Program(Model):
    """A whole program: stations, people, flights, events and tracking over a span of time."""

    name: Name
    description: str = ""
    span: Span
    seed: int | None = Field(None, ge=0)
    stations: list[Station] = []
    crew: list[Person] = []
    defaults: dict[str, VehicleDefaults] = {}
    flights: list[Flight] = []
    events: list[Event] = []
    tracking: list[Tracking] = []
    tracking_files: list[TrackingFile] = []
    campaign: Campaign | None = None
    modules: dict[str, ModuleDef] = Field({}, description="the program's own module types "
                                                          "(docs/programs.md, Hardware)")
    vehicles: dict[str, VehicleDef] = Field({}, description="the program's own vehicle types")
    sites: dict[str, SiteDef] = Field({}, description="the program's own launch sites")
    catalogs: list[Name] = Field([], description="catalog files of modules, vehicles and "
                                                 "sites, relative to the program file")

    _source: str = PrivateAttr("<program>")
    _catalog: Any = PrivateAttr(None)

    @property
    def source(self) -> str:
        """The file the program was read from (or '<program>')."""
        return self._source

    @property
    def catalog(self) -> Catalog:
        """The hardware this program flies: the bundled catalog with the program's own entries
        and catalog files (:mod:`stationsim.scenario.hardware`)."""
        if self._catalog is None:
            from stationsim.hardware.catalog import load_catalog

            return load_catalog()
        return self._catalog

    def station(self, station_id: str) -> Station:
        return _by_key(self.stations, "id", station_id, "station")

    def tracking_file_sets(self) -> list[tuple[str, tuple[Tle, ...]]]:
        """(station, its element sets) of each of ``tracking_files``, read relative to the
        program file; TLEError ``file:line:column: what`` for a bad file."""
        from stationsim.scenario.tracking import read_tracking_file, tracking_path

        return [(entry.station, read_tracking_file(tracking_path(entry.file, self.source)))
                for entry in self.tracking_files]

    def flight(self, flight_id: str) -> Flight:
        return _by_key(self.flights, "id", flight_id, "flight")

    def person(self, name: str) -> Person:
        return _by_key(self.crew, "name", name, "person")


def _by_key(items: list[Any], key: str, value: str, kind: str) -> Any:
    for item in items:
        if getattr(item, key) == value:
            return item
    known = ", ".join(getattr(item, key) for item in items) or "none"
    raise KeyError(f"no {kind} {value!r} in the program (known: {known})")


UNION_TAGS: dict[str, type[Model]] = {
    f"{UNION_TAG_PREFIX}tle-orbit": TleOrbit,
    f"{UNION_TAG_PREFIX}elements": ElementsOrbit,
    **{f"{UNION_TAG_PREFIX}{kind}": model
       for model, kind in zip(EVENT_MODELS, EVENT_TYPES, strict=True)},
    f"{UNION_TAG_PREFIX}tle-tracking": TleTracking,
    f"{UNION_TAG_PREFIX}state": StateTracking,
}
"""The model behind each union tag (tags appear in pydantic error locations)."""


from stationsim.scenario.trajectory import Trajectory  # noqa: E402 (it uses UtcTime above)

Flight.model_rebuild()
Program.model_rebuild()


def program_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a program file, from the pydantic models."""
    document = Program.model_json_schema()
    document["patternProperties"] = {f"^{EXTENSION_PREFIX}": {}}
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **document}
