"""The shared state of one run: what every process and event handler reads and changes.

The engine (:mod:`stationsim.program.engine`) builds one :class:`SimState` and hands it to the
SimPy processes (flights, tracking, station events, the reboost policy); they keep no state of
their own. Times are TT seconds since J2000, the SimPy clock.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import simpy

from stationsim.astro.time import Epoch
from stationsim.errors import StationsimError
from stationsim.program.crew import CrewRoster
from stationsim.program.orbit import TrackingDrift

if TYPE_CHECKING:
    from stationsim.hardware.catalog import Catalog
    from stationsim.scenario.schema import Program


class ProgramFailure(StationsimError):
    """The program cannot go on as written (e.g. a port still taken when a vehicle arrives)."""


@dataclass
class LogEvent:
    """One entry of the event log (TT seconds; ``kind`` as in docs/results.md; a place on
    the ground for re-entries and impacts)."""

    t_s: float
    kind: str
    flight: str | None = None
    station: str | None = None
    port: str | None = None
    detail: str = ""
    lat_deg: float | None = None
    lon_deg: float | None = None


@dataclass
class FlightRecord:
    """What happened to one flight."""

    flight: str
    vehicle: str
    site: str | None
    profile: str | None
    launch_s: float | None = None
    launch_written_s: float | None = None  # the program's launch time, where it gives one
    dock_s: float | None = None
    station: str | None = None
    port: str | None = None
    undock_s: float | None = None
    land_s: float | None = None
    rendezvous_dv_mps: float | None = None
    outcome: str = "planned"


@dataclass
class Maneuver:
    t_s: float
    flight: str | None
    vehicle: str
    name: str
    dv_mps: float
    propellant_kg: float


@dataclass(frozen=True)
class RunOptions:
    """How a run departs from the program as written, for whole-program campaigns.

    ``density_scale`` multiplies the atmosphere's density throughout; the k-th reboost burn
    of the run delivers (1 + ``burn_errors_frac[k]``) times its commanded delta-v (the last
    error repeats; none: exact burns); ``keep_tracks: False`` skips the vehicles' relative
    tracks (the report's, not the record's) and keeps of the stations' sampled orbits only
    what the reboost policy reads (a run whose tables are not written);
    ``frontal_areas_m2`` is a cache of frontal areas by geometry shared by runs of one
    program (the same geometry gives the same area).
    """

    density_scale: float = 1.0
    burn_errors_frac: tuple[float, ...] = ()
    keep_tracks: bool = True
    frontal_areas_m2: dict | None = None


@dataclass
class SimState:
    """Everything one run shares: the program, the SimPy environment, the stations and the
    growing record (flights, events, manoeuvres, crew, tracking drift, warnings)."""

    program: Program
    catalog: Catalog
    env: simpy.Environment
    start_s: float
    end_s: float
    tracking: dict
    roster: CrewRoster = field(default_factory=CrewRoster)
    stations: dict = field(default_factory=dict)  # station id -> StationRuntime
    flights: dict[str, FlightRecord] = field(default_factory=dict)
    events: list[LogEvent] = field(default_factory=list)
    maneuvers: list[Maneuver] = field(default_factory=list)
    drifts: dict[str, list[TrackingDrift]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    vehicle_tracks: dict[str, tuple[str, np.ndarray, np.ndarray]] = field(default_factory=dict)
    # flights on a trajectory: TT seconds and GCRF states (N, 6), geocentric
    free_tracks: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    port_freed: dict[str, simpy.Event] = field(default_factory=dict)
    phase_assumed: list[str] = field(default_factory=list)  # flights whose phase was assumed
    left_early: set[str] = field(default_factory=set)  # flights gone before their undocking
    undock_held: dict[str, float] = field(default_factory=dict)  # lifeboats kept (TT s)
    away: dict[str, tuple] = field(default_factory=dict)  # to redock: (port, item, mass_kg)
    options: RunOptions = field(default_factory=RunOptions)
    reboost_burns: int = 0  # reboost burns made so far (indexes options.burn_errors_frac)

    def burn_error_frac(self) -> float:
        """The proportional error of the next reboost burn (:class:`RunOptions`)."""
        errors = self.options.burn_errors_frac
        if not errors:
            return 0.0
        error = errors[min(self.reboost_burns, len(errors) - 1)]
        self.reboost_burns += 1
        return float(error)

    def log(
        self, kind: str, flight: str | None = None, station: str | None = None,
        port: str | None = None, detail: str = "",
    ) -> None:
        """Append an event at the present time."""
        self.events.append(LogEvent(self.env.now, kind, flight, station, port, detail))

    def warn(self, text: str) -> None:
        """A warning stamped with the present time (UTC)."""
        self.warnings.append(f"{Epoch(self.env.now).utc_iso(0)}: {text}")

    def wait_until(self, t_s: float) -> simpy.Event:
        """A timeout ending at ``t_s`` (at once if that is past)."""
        return self.env.timeout(max(t_s - self.env.now, 0.0))


@dataclass
class ProgramResult:
    """Everything a run produced, in SI and TT seconds; ``results.tables`` turns it into rows."""

    program: Program
    start_s: float
    end_s: float
    flights: list[FlightRecord]
    events: list[LogEvent]
    maneuvers: list[Maneuver]
    roster: CrewRoster
    stations: dict
    drifts: dict[str, list[TrackingDrift]]
    warnings: list[str]
    vehicle_tracks: dict[str, tuple[str, np.ndarray, np.ndarray]] = field(default_factory=dict)
    free_tracks: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
