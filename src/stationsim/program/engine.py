"""The discrete-event simulation of a whole program, on SimPy.

The clock is TT seconds since J2000. Every flight is a process (launch, rendezvous planned by
its profile from the station's orbit at launch, docking at its port, crew and cargo transfer,
stay, undocking, landing); tracking updates, station events and the reboost policy are
processes too. Each station's orbit is carried forward numerically between events with the
Cd*A/m of its configuration at the time (:mod:`stationsim.program.orbit`). Nothing here
draws random numbers: the same program gives the same record.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import simpy

from stationsim.astro.constants import DAY_S, G0_MPS2, GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.elements import elements_to_state
from stationsim.astro.frames import subpoint
from stationsim.astro.maneuvers import apply_impulse_vnb, hohmann, vis_viva_speed_mps
from stationsim.astro.propagate import J2Secular, Numerical, OrbitState
from stationsim.astro.time import Epoch
from stationsim.errors import DockingError, PropagationError, StationsimError
from stationsim.hardware.catalog import load_catalog
from stationsim.hardware.module import tumbling_area_m2
from stationsim.hardware.station import Station as StationGraph
from stationsim.program.consumables import BVAD_2004, ConsumablesLedger
from stationsim.program.crew import CrewRoster
from stationsim.program.density import station_density_table
from stationsim.program.launch_time import (
    LAUNCH_SEARCH_DAYS,
    PLANE_SEARCH_S,
    first_workable_window,
    launch_in_plane,
)
from stationsim.program.orbit import StationOrbit, TrackingDrift
from stationsim.program.tracking import TrackingUpdates, station_updates

AREA_RESOLUTION_M = 0.1  # pixel of the projected-area raster (area error well under 1 %)
DEFAULT_CD = 2.2  # free-molecular flat-plate/cylinder value (Vallado 4th ed. sec. 8.6.2)
REBOOST_CHECK_S = DAY_S
REBOOST_LOOKAHEAD_DAYS = 30.0  # the policy's checks are planned at most this far ahead
REBOOST_DENSITY_DEPTH_M = 10e3  # decay bound taken at this depth below the policy floor
REBOOST_DECAY_SAFETY = 2.0  # and doubled
RELOCATION_WAIT_S = 2.0 * DAY_S  # how long a relocation may wait for its port
ARRIVAL_WAIT_S = 30.0 * DAY_S  # how long a planned move waits for its item to arrive
CARGO_DEORBIT_PERIGEE_M = -50e3  # a cargo ship's deorbit targets a perigee below the surface
# Modules that fly themselves (the 77K modules, Zarya) use FGB propulsion on UDMH/N2O4; its
# Isp is taken as the Progress M's (same propellants and engine class) for their rendezvous.
MODULE_PROPULSION_LIKE = "progress-m"
DEORBIT_PERIGEE_M = 0.0  # default target perigee of a deorbit burn (entry steep enough)


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


@dataclass
class StationRuntime:
    """A station while the program runs: its graph, orbit, stocks and configuration history."""

    id: str
    graph: StationGraph
    orbit: StationOrbit
    ledger: ConsumablesLedger
    ballistic_override: tuple[float, float] | None
    reboost: object | None
    propellant_kg: dict[str, float] = field(default_factory=dict)
    station_propellant_kg: float = 0.0
    reboost_starved: bool = False
    cd_area_over_mass_m2pkg: float = 0.0
    history: list[tuple[float, float, float, int]] = field(default_factory=list)
    orbit_changed: simpy.Event | None = None  # set while the reboost policy waits
    frontal_areas_m2: dict[tuple, float] = field(default_factory=dict)
    arrivals: dict[str, float] = field(default_factory=dict)  # flight id -> launch (TT s)
    tumbling: bool = False  # out of control: drag on the mean projected area

    def update_ballistics(self) -> None:
        """Recompute Cd*A/m (m^2/kg) after the configuration changed: the program's override,
        else Cd = 2.2 on the frontal area of the module geometry along the velocity, or when
        tumbling the sum of its parts' mean projected areas (exact for one convex part, an
        upper bound for several, which shade one another)."""
        mass_kg = self.graph.mass_kg()
        if self.ballistic_override is not None:
            cd, area_m2 = self.ballistic_override
        elif self.tumbling:
            cd, area_m2 = DEFAULT_CD, sum(
                tumbling_area_m2(a.item.length_m, a.item.diameter_m) for a in self.graph.items())
        else:
            cd, area_m2 = DEFAULT_CD, self._frontal_area_m2()
        self.cd_area_over_mass_m2pkg = cd * area_m2 / mass_kg

    def _frontal_area_m2(self) -> float:
        """The graph's frontal area, once per geometry: the same shapes at the same places (a
        new cargo ship at a port another one left) give the same area."""
        poses = self.graph.poses()
        key = tuple(
            sorted(
                (
                    item.length_m,
                    item.diameter_m,
                    *np.round(rotation[:, 0], 9),
                    *np.round(origin_m, 9),
                )
                for name, (rotation, origin_m) in poses.items()
                for item in (self.graph.item(name).item,)
            )
        )
        if key not in self.frontal_areas_m2:
            self.frontal_areas_m2[key] = self.graph.frontal_area_m2(resolution_m=AREA_RESOLUTION_M)
        return self.frontal_areas_m2[key]


@dataclass
class ProgramResult:
    """Everything a run produced, in SI and TT seconds; ``results.tables`` turns it into rows."""

    program: object
    start_s: float
    end_s: float
    flights: list[FlightRecord]
    events: list[LogEvent]
    maneuvers: list[Maneuver]
    roster: CrewRoster
    stations: dict[str, StationRuntime]
    drifts: dict[str, list[TrackingDrift]]
    warnings: list[str]
    vehicle_tracks: dict[str, tuple[str, np.ndarray, np.ndarray]] = field(default_factory=dict)


class Engine:
    """One run of one program. Use :func:`simulate`."""

    def __init__(self, program, density_tables: dict | None = None):
        self.program = program
        self.catalog = load_catalog()
        self.start_s = program.span.start.tt_s
        self.end_s = program.span.end.tt_s
        self.env = simpy.Environment(initial_time=self.start_s)
        self.roster = CrewRoster()
        self.events: list[LogEvent] = []
        self.maneuvers: list[Maneuver] = []
        self.flights: dict[str, FlightRecord] = {}
        self.drifts: dict[str, list[TrackingDrift]] = {}
        self.warnings: list[str] = []
        self.vehicle_tracks: dict[str, tuple[str, np.ndarray, np.ndarray]] = {}
        self.agencies = {person.name: person.agency for person in program.crew}
        self.port_freed: dict[str, simpy.Event] = {}
        self.tracking = station_updates(program, self.start_s, self.end_s)
        self.phase_assumed: list[str] = []  # flights whose station phase the launch plan gave
        self.stations = {
            spec.id: self._build_station(spec, (density_tables or {}).get(spec.id))
            for spec in program.stations
        }

    # --- set-up ----------------------------------------------------------------------------
    def _build_station(self, spec, density_table) -> StationRuntime:
        graph = StationGraph(self.catalog.module(spec.modules.root), has_arm=spec.has_arm)
        self.log("module_attach", station=spec.id, detail=spec.modules.root)
        for item in spec.modules.attach:
            graph.attach(
                item.instance,
                self.catalog.module(item.module),
                at=item.at,
                via_port=item.via,
                t_s=self.start_s,
            )
            self.log("module_attach", station=spec.id, port=item.at, detail=item.instance)
        epoch, r_m, v_mps = _initial_state(spec.orbit)
        if density_table is None:
            inclination_rad = float(
                np.arccos(np.cross(r_m, v_mps)[2] / np.linalg.norm(np.cross(r_m, v_mps)))
            )
            density_table = station_density_table(
                Epoch(min(epoch.tt_s, self.start_s) - DAY_S),
                Epoch(self.end_s + DAY_S),
                inclination_rad,
            )
        override = (spec.ballistic.cd, spec.ballistic.area_m2) if spec.ballistic else None
        ledger = ConsumablesLedger(
            self.start_s,
            {
                "o2": spec.consumables.o2_kg,
                "water": spec.consumables.water_kg,
                "food": spec.consumables.food_kg,
            },
            rates=BVAD_2004,
            water_recovery_fraction=spec.regeneration.water_recovery_fraction,
            o2_generation_kgps=spec.regeneration.o2_generation_kgps,
        )
        runtime = StationRuntime(spec.id, graph, None, ledger, override, spec.reboost)
        runtime.station_propellant_kg = spec.consumables.propellant_kg
        runtime.update_ballistics()
        start_state = OrbitState(epoch, r_m, v_mps)
        if epoch.tt_s != self.start_s:
            start_state = start_state.propagate(
                Epoch(self.start_s),
                cd_area_over_mass_m2pkg=runtime.cd_area_over_mass_m2pkg,
                density_table=density_table,
            )
        runtime.orbit = StationOrbit(start_state, density_table, self.start_s)
        for docked in spec.docked:
            vehicle = self.catalog.vehicle(docked.vehicle)
            graph.attach(docked.id, vehicle, at=docked.port, t_s=self.start_s)
            runtime.propellant_kg[docked.id] = vehicle.propellant_mass_kg
            self.flights[docked.id] = FlightRecord(
                docked.id,
                vehicle.name,
                None,
                None,
                dock_s=self.start_s,
                station=spec.id,
                port=docked.port,
                outcome="docked",
            )
        for person in spec.crew_aboard:
            self.roster.board(person, spec.id, self.start_s, "aboard at start")
        runtime.ledger.set_crew(self.start_s, self.roster.count(spec.id))
        self._snapshot(runtime)
        return runtime

    # --- helpers ---------------------------------------------------------------------------
    def log(self, kind: str, flight=None, station=None, port=None, detail: str = "") -> None:
        self.events.append(LogEvent(self.env.now, kind, flight, station, port, detail))

    def _snapshot(self, runtime: StationRuntime) -> None:
        """Record mass, volume and crew after a change, and the new ballistic coefficient."""
        runtime.update_ballistics()
        self._orbit_changed(runtime)
        runtime.history.append(
            (
                self.env.now,
                runtime.graph.mass_kg(),
                runtime.graph.pressurized_volume_m3(),
                self.roster.count(runtime.id),
            )
        )

    def _advance(self, runtime: StationRuntime) -> OrbitState:
        """Bring the station's orbit to the present, before anything about it changes; log a
        re-entry the first time the orbit decays through the re-entry altitude."""
        was_flying = runtime.orbit.reentered is None
        state = runtime.orbit.advance_to(self.env.now, runtime.cd_area_over_mass_m2pkg)
        if was_flying and runtime.orbit.reentered is not None:
            self._log_reentry(runtime)
        return state

    def _log_reentry(self, runtime: StationRuntime) -> None:
        """The station's entry (the re-entry altitude) and where it falls, intact, to the
        ground (:func:`stationsim.ops.stationkeeping.ground_impact`), with their places."""
        from stationsim.ops.stationkeeping import ground_impact

        entry = runtime.orbit.reentered
        for kind, state, detail in (
            ("reentry", entry, "the station's orbit decayed" + self._decay_spread(runtime, entry)),
            ("impact", ground_impact(entry, runtime.cd_area_over_mass_m2pkg),
             "falling intact, as the heaviest pieces: the far end of the debris footprint"),
        ):
            if state is None:
                continue
            lat_rad, lon_rad, _ = subpoint(state.r_m, state.epoch)
            self.events.append(LogEvent(
                state.epoch.tt_s, kind, station=runtime.id, detail=detail,
                lat_deg=float(np.degrees(lat_rad)), lon_deg=float(np.degrees(lon_rad))))

    def _decay_spread(self, runtime: StationRuntime, entry: OrbitState) -> str:
        """For a station out of control (tumbling), how well its re-entry was known from its
        last tracking (:func:`stationsim.astro.lifetime.reentry_uncertainty`); else nothing."""
        from stationsim.astro.elements import state_to_elements
        from stationsim.astro.lifetime import reentry_uncertainty

        fixes = self.drifts.get(runtime.id)
        if not runtime.tumbling or not fixes:
            return ""
        inclination_rad = float(state_to_elements(entry.r_m, entry.v_mps).i_rad)
        spread = reentry_uncertainty(entry.epoch.tt_s - fixes[-1].t_s, inclination_rad)
        return f" (from the tracking of {Epoch(fixes[-1].t_s).utc_iso(0)}); {spread.describe()}"

    def _leave(self, person: str, flight_id: str) -> None:
        """``person`` leaves on ``flight_id``; one whose own flight never docked (history
        diverged) is not aboard, which is a warning, not a failure of the program."""
        try:
            self.roster.leave(person, self.env.now, flight_id)
        except ValueError as exc:
            self.warnings.append(f"{Epoch(self.env.now).utc_iso(0)}: {exc}")

    def _wait_until(self, t_s: float):
        return self.env.timeout(max(t_s - self.env.now, 0.0))

    # --- processes -------------------------------------------------------------------------
    def flight_process(self, flight):
        """One flight: launch, rendezvous, docking, stay, undocking, and its way home."""
        defaults = self.program.defaults.get(flight.vehicle or "")
        vehicle = self._flying_vehicle(flight)
        record = FlightRecord(flight.id, vehicle.name, flight.site, flight.profile)
        if flight.launch_utc is not None:
            record.launch_written_s = flight.launch.tt_s
        self.flights[flight.id] = record
        runtime = self.stations.get(flight.target) if flight.target is not None else None
        launch = flight.launch
        if runtime is not None and flight.launch_utc is not None:
            yield self._wait_until(launch.tt_s - PLANE_SEARCH_S)
            launch = self._launch_in_plane(flight, vehicle, runtime, defaults)
        yield self._wait_until(launch.tt_s)
        if flight.launch_utc is None and runtime is not None:
            launch = self._choose_launch(flight, vehicle, runtime, defaults)
            if launch is None:
                record.outcome = "no-launch-window"
                runtime.arrivals.pop(flight.id, None)
                return
            yield self._wait_until(launch.tt_s)
        record.launch_s = self.env.now
        self.log("launch", flight.id, flight.target, detail=f"{vehicle.name} from {flight.site}")
        port = flight.port or (defaults.port if defaults else None)
        if flight.target is not None:
            if flight.launch_utc is not None:  # once, before the flight's first plan
                self._station_phase_at_launch(flight, vehicle, runtime, defaults)
            plan = self._plan(flight, vehicle, runtime, record, defaults)
            if plan is not None and flight.approach_aborts:
                from stationsim.program.approach import fly_aborted_attempts

                plan = yield from fly_aborted_attempts(self, flight, vehicle, runtime, record,
                                                       defaults, plan)
            if plan is None:
                runtime.arrivals.pop(flight.id, None)
                yield from self._return(flight, vehicle, record)
                return
            yield self._wait_until(plan.docking_epoch.tt_s)
            runtime.arrivals.pop(flight.id, None)
            if port is None and flight.delivers_module is None:
                record.outcome = "rendezvous"
                self.log("burn", flight.id, runtime.id, detail="rendezvous without docking")
            else:
                try:
                    yield from self._dock(flight, vehicle, runtime, record, plan, port)
                except DockingError as exc:  # history diverged: the port is not there
                    record.outcome = "no-docking"
                    self.warnings.append(f"{flight.id}: no docking ({exc})")
                    self.log(
                        "dock", flight.id, runtime.id, None, detail=f"refused at {port}: {exc}"
                    )
                else:
                    yield from self._stay(flight, vehicle, runtime, record, port)
        elif flight.trajectory is not None:
            from stationsim.program.mission import fly_trajectory

            yield from fly_trajectory(self, flight, vehicle, record)
            return
        elif flight.orbit is not None:
            yield from self._free_flight(flight, vehicle, record)
        yield from self._return(flight, vehicle, record)

    def _launch_in_plane(self, flight, vehicle, runtime: StationRuntime, defaults) -> Epoch:
        """The written launch time when it lies in the window of the model's station, or else
        the window's in-plane instant.

        History launched into the real station's plane; where the model's plane has moved
        (the node regresses 0.1 deg a day faster per 25 km of altitude error, J2), the launch
        follows the model's plane, as flight control would have timed it, with a warning
        giving the shift from the written time.
        """
        from stationsim.ops.insertion import insertion_spec
        from stationsim.ops.rendezvous import get_profile

        state = self._advance(runtime)
        profile = flight.profile or (defaults.profile if defaults else None)
        spec = insertion_spec(get_profile(profile or vehicle.default_profile).insertion)
        plane = J2Secular(state.epoch, state.r_m, state.v_mps)
        launch = launch_in_plane(plane, self.catalog.site(flight.site), flight.launch, spec)
        if launch is None:
            launch = flight.launch
        if launch.tt_s != flight.launch.tt_s:
            shift_min = (launch.tt_s - flight.launch.tt_s) / 60.0
            self.warnings.append(
                f"{flight.id}: launch moved {shift_min:+.0f} min into the launch window of "
                f"{runtime.id}'s orbit as the model carries it (the written time is outside "
                "it)")
            self.log("launch", flight.id, runtime.id,
                     detail=f"moved {shift_min:+.1f} min to the model's plane")
        return launch

    def _flying_vehicle(self, flight):
        """The vehicle type that flies: the catalog's, or a module flying itself."""
        if flight.vehicle is not None:
            return self.catalog.vehicle(flight.vehicle)
        return _module_as_vehicle(
            self.catalog.module(flight.delivers_module.module),
            self.catalog.vehicle(MODULE_PROPULSION_LIKE),
        )

    def _choose_launch(self, flight, vehicle, runtime: StationRuntime, defaults) -> Epoch | None:
        """The first in-plane window after the earliest launch date whose phase angle the
        flight's profile can work with (a degree inside its reachable leads, searched over
        LAUNCH_SEARCH_DAYS); None, with a warning, when there is none."""
        from stationsim.ops.insertion import insertion_spec
        from stationsim.ops.rendezvous import get_profile

        state = self._advance(runtime)
        profile = flight.profile or (defaults.profile if defaults else None)
        station = runtime.orbit.planning_propagator(runtime.cd_area_over_mass_m2pkg)
        spec = insertion_spec(get_profile(profile or vehicle.default_profile).insertion)
        # The plane's motion over days is J2 node regression; drag barely turns it.
        plane = J2Secular(state.epoch, state.r_m, state.v_mps)
        launch, reasons = first_workable_window(
            plane, station, vehicle, self.catalog.site(flight.site), Epoch(self.env.now), spec,
            profile, flight.docking_flight_day)
        if launch is not None:
            return launch
        self.warnings.append(
            f"{flight.id}: no launch window from {flight.site} within {LAUNCH_SEARCH_DAYS:g} "
            f"days after {flight.launch.utc_iso(0)} lets the {profile} profile rendezvous"
            + (f" (last reason: {reasons[-1]})" if reasons else "")
        )
        return None

    def _plan(self, flight, vehicle, runtime: StationRuntime, record, defaults):
        """Plan the rendezvous from the station's orbit as predicted at launch."""
        from stationsim.ops.rendezvous import RendezvousError, plan_rendezvous

        self._advance(runtime)
        profile = flight.profile or (defaults.profile if defaults else None)
        if runtime.orbit.reentered is not None:
            record.outcome = "no-rendezvous"
            self.warnings.append(f"{flight.id}: no rendezvous, {runtime.id} has re-entered "
                                 "in the model (no tracking update since)")
            return None
        station = runtime.orbit.planning_propagator(runtime.cd_area_over_mass_m2pkg)
        try:
            plan = plan_rendezvous(
                station,
                vehicle,
                self.catalog.site(flight.site),
                Epoch(self.env.now),
                profile=profile,
                docking_flight_day=flight.docking_flight_day,
            )
        except (RendezvousError, PropagationError, ValueError) as exc:
            # the profile's rules find no plan from this phase, or its targeting diverges
            record.outcome = "no-rendezvous"
            self.warnings.append(f"{flight.id}: no rendezvous ({exc})")
            self.log("insertion", flight.id, runtime.id, detail=f"no rendezvous: {exc}")
            return None
        record.profile = plan.profile
        record.rendezvous_dv_mps = plan.total_dv_mps
        self.log(
            "insertion",
            flight.id,
            runtime.id,
            detail=f"{plan.insertion_epoch.utc_iso(0)}, phase "
            f"{np.degrees(plan.phase_angle_rad):.1f} deg",
        )
        self.vehicle_tracks[flight.id] = (runtime.id, *_chaser_track(
            plan, station, runtime.orbit.sample_times(plan.insertion.epoch.tt_s,
                                                      plan.aim_epoch.tt_s)))
        for burn in plan.burns:
            self.maneuvers.append(
                Maneuver(
                    burn.epoch.tt_s,
                    flight.id,
                    vehicle.name,
                    burn.name,
                    burn.dv_mps,
                    burn.propellant_kg,
                )
            )
        return plan

    def _station_phase_at_launch(self, flight, vehicle, runtime: StationRuntime, defaults):
        """Check the station's lead at insertion against the profile's reach at a written
        launch (:mod:`stationsim.program.phase`).

        The engine never flies station phasing burns of its own: the station's orbit holds
        what tracking and the program's written events made of it. Where a tracking set from
        the last TRACKED_WITHIN_S told the model where the station is and the lead is out of
        reach, that is a warning naming the lead and the reachable range, and the plan fails
        (or docks in a later window) as it may. Where no set did, the model's position along
        the orbit is its own drift, not knowledge: when the lead is outside the profile's
        reach, the station is moved along its orbit to the nearest lead inside it from which
        the planner docks (the operators' launch plan put it there), logged as a
        ``phase-assumed`` event with the shift; such a docking is not a prediction.
        """
        from stationsim.ops.rendezvous import reachable_leads
        from stationsim.program.phase import (
            TRACKED_WITHIN_S,
            candidate_shifts_rad,
            lead_inside,
            reach_text,
        )

        self._advance(runtime)
        if runtime.orbit.reentered is not None:
            return  # the plan says so
        profile = flight.profile or (defaults.profile if defaults else None)
        updates = self.tracking.get(runtime.id)
        last_s = updates.last_before(self.env.now) if updates is not None else None
        tracked = last_s is not None and self.env.now - last_s <= TRACKED_WITHIN_S
        station = runtime.orbit.planning_propagator(runtime.cd_area_over_mass_m2pkg)
        site = self.catalog.site(flight.site)
        try:
            lead_rad, intervals_rad = reachable_leads(station, vehicle, site, Epoch(self.env.now),
                                                      profile, flight.docking_flight_day)
        except (StationsimError, ValueError):
            return  # the plan itself will say why it cannot be made
        if lead_inside(lead_rad, intervals_rad):
            return
        lead_text = (f"a phase angle of {np.degrees(lead_rad):.1f} deg at insertion, outside "
                     f"the {profile or vehicle.default_profile} profile's reach "
                     f"({reach_text(intervals_rad)})")
        if tracked:
            self.warnings.append(
                f"{flight.id}: {lead_text}, with {runtime.id} tracked "
                f"{(self.env.now - last_s) / 3600.0:.0f} h before the launch: the station is "
                "not moved")
            return
        shift_rad = self._assumed_shift(flight, vehicle, runtime, profile, candidate_shifts_rad(
            lead_rad, intervals_rad))
        if shift_rad is None:
            self.warnings.append(f"{flight.id}: {lead_text}, and no phase of that reach lets the "
                                 "planner dock: the station is not moved")
            return
        self.phase_assumed.append(flight.id)
        since = ("no tracking set before the launch" if last_s is None else
                 f"last tracking set {(self.env.now - last_s) / DAY_S:.1f} days before the "
                 "launch")
        self.log("phase-assumed", flight.id, runtime.id, detail=(
            f"station moved {np.degrees(shift_rad):+.1f} deg along its orbit (energy "
            f"unchanged): {lead_text}; {since}, so its position along the orbit is taken "
            "from the written launch plan"))

    def _assumed_shift(self, flight, vehicle, runtime: StationRuntime, profile,
                       shifts_rad) -> float | None:
        """The first of ``shifts_rad`` from which the planner docks, with the station moved by
        it along its orbit (None, the station unmoved, when none does)."""
        from stationsim.ops.rendezvous import RendezvousError, plan_rendezvous

        original = runtime.orbit.state
        for shift_rad in shifts_rad:
            runtime.orbit.state = original
            runtime.orbit.shift_along_track(float(shift_rad))
            try:
                plan_rendezvous(runtime.orbit.planning_propagator(
                    runtime.cd_area_over_mass_m2pkg), vehicle, self.catalog.site(flight.site),
                    Epoch(self.env.now), profile=profile,
                    docking_flight_day=flight.docking_flight_day)
            except (RendezvousError, PropagationError, ValueError):
                continue
            return float(shift_rad)
        runtime.orbit.state = original
        return None

    def _dock(self, flight, vehicle, runtime: StationRuntime, record, plan, port):
        """Take the port (waiting if it is still busy), attach, move crew and cargo."""
        delivered = flight.delivers_module
        if delivered is not None:
            yield from self._take_port(runtime, flight, delivered.berth_at, vehicle)
            self._advance(runtime)
            runtime.graph.attach(
                delivered.instance,
                self.catalog.module(delivered.module),
                at=delivered.berth_at,
                via_port=delivered.via,
                t_s=self.env.now,
            )
            self.log(
                "module_attach",
                flight.id,
                runtime.id,
                delivered.berth_at,
                detail=delivered.instance,
            )
        if flight.vehicle is not None:
            yield from self._take_port(runtime, flight, port, vehicle)
            self._advance(runtime)
            mass_kg = vehicle.wet_mass_kg - plan.propellant_kg + flight.cargo.total_kg
            runtime.graph.attach(
                flight.id,
                vehicle,
                at=port,
                t_s=self.env.now,
                mass_kg=max(mass_kg, vehicle.dry_mass_kg),
            )
            runtime.propellant_kg[flight.id] = max(
                vehicle.propellant_mass_kg - plan.propellant_kg, 0.0
            )
        record.dock_s, record.station = self.env.now, runtime.id
        record.port = port if flight.vehicle is not None else delivered.berth_at
        record.outcome = "docked"
        if flight.vehicle is None:  # a module that flew itself is part of the station now
            record.outcome, record.undock_s = "joined", self.env.now
        self.log("dock", flight.id, runtime.id, record.port)
        boarding = [p for p in flight.crew_up if p not in _visitors(flight, vehicle, self.env.now)]
        for person in boarding:
            try:
                self.roster.board(person, runtime.id, self.env.now, flight.id)
            except ValueError as exc:  # never left on a flight that did not dock
                self.warnings.append(f"{Epoch(self.env.now).utc_iso(0)}: {exc}")
        if boarding:
            self.log(
                "crew_transfer", flight.id, runtime.id, detail="aboard: " + ", ".join(boarding)
            )
        runtime.ledger.set_crew(self.env.now, self.roster.count(runtime.id))
        cargo = flight.cargo
        runtime.ledger.deliver(
            self.env.now, {"o2": cargo.o2_kg, "water": cargo.water_kg, "food": cargo.food_kg}
        )
        runtime.station_propellant_kg += cargo.propellant_kg
        self._snapshot(runtime)

    def _stay(self, flight, vehicle, runtime: StationRuntime, record, port):
        """Relocations while docked, then undocking with the crew going home."""
        if flight.vehicle is None:
            return
        for move in flight.relocations:
            yield self._wait_until(move.at.tt_s)
            yield from self._relocate(runtime, flight.id, move.to, flight=flight.id)
        undock = flight.undock
        if undock is None:
            return
        visitors = _visitors(flight, vehicle, record.dock_s)
        yield self._wait_until(undock.tt_s)
        leaving = [p for p in flight.crew_down if p not in visitors]
        self._undock(runtime, flight.id, record, leaving)
        if flight.landing is None and vehicle.seats == 0:
            yield from self._destructive_reentry(flight, vehicle, runtime, record)

    def _undock(self, runtime: StationRuntime, flight_id: str, record, leaving) -> None:
        """``flight_id`` leaves its port now, with ``leaving`` aboard."""
        self._advance(runtime)
        for person in leaving:
            self._leave(person, flight_id)
        if leaving:
            self.log(
                "crew_transfer", flight_id, runtime.id, detail="leaving: " + ", ".join(leaving)
            )
        where = runtime.graph.item(flight_id).at
        runtime.graph.detach(flight_id)
        self._free(runtime, where)
        record.undock_s = self.env.now
        record.outcome = "undocked"  # until its landing or re-entry
        runtime.ledger.set_crew(self.env.now, self.roster.count(runtime.id))
        self._snapshot(runtime)
        self.log("undock", flight_id, runtime.id, where)

    def _free_flight(self, flight, vehicle, record):
        """A flight that meets no station: its orbit decays under drag until re-entry, unless
        the flight plan lands it first (:func:`stationsim.program.freeflight.free_flight_decay`,
        the computation validation uses too). The event carries the prediction's spread."""
        from stationsim.program.freeflight import free_flight_decay, reentry_spread

        decay = free_flight_decay(flight, vehicle, self.end_s)
        if decay.reentry is None:
            return
        if flight.landing is not None and flight.landing.tt_s <= decay.reentry.tt_s:
            return
        yield self._wait_until(decay.reentry.tt_s)
        record.land_s = self.env.now
        record.outcome = "reentered"
        spread = reentry_spread(flight.orbit, decay)
        self.log(
            "reentry",
            flight.id,
            detail=f"decay under drag ({decay.mode} mode), {decay.lifetime_s / DAY_S:.1f} "
            f"days after the orbit's epoch; {spread.describe()}",
        )

    def _return(self, flight, vehicle, record):
        """Landing at the flight plan's time; a flight that failed keeps its failure as the
        outcome (the landing time says it came home)."""
        if flight.landing is None:
            if record.outcome == "planned":
                record.outcome = "in flight"
            return
        yield self._wait_until(flight.landing.tt_s)
        record.land_s = self.env.now
        if not record.outcome.startswith("no-"):
            record.outcome = "landed"
        self.log("land", flight.id)

    def _destructive_reentry(self, flight, vehicle, runtime: StationRuntime, record):
        """A cargo ship's deorbit burn after undocking, followed down to its re-entry."""
        state = runtime.orbit.state
        r_m = float(np.linalg.norm(state.r_m))
        target_m = R_EARTH_M + CARGO_DEORBIT_PERIGEE_M
        dv_mps = float(vis_viva_speed_mps(r_m, 0.5 * (r_m + target_m))) - float(
            np.linalg.norm(state.v_mps)
        )
        _, v_after = apply_impulse_vnb(state.r_m, state.v_mps, [dv_mps, 0.0, 0.0])
        self.maneuvers.append(
            Maneuver(
                self.env.now,
                flight.id,
                vehicle.name,
                "deorbit",
                abs(dv_mps),
                float(vehicle.propellant_for_dv_kg(abs(dv_mps), vehicle.dry_mass_kg)),
            )
        )
        down = Numerical(state.epoch, state.r_m, v_after).propagate_to(state.epoch + DAY_S)
        yield self._wait_until(down.epoch.tt_s)
        record.land_s = self.env.now
        record.outcome = "reentered"
        self.log("reentry", flight.id, detail="destructive re-entry of the cargo ship")

    def docked_at_start_process(self, runtime: StationRuntime, docked):
        """A vehicle docked when the program starts: its undocking and landing."""
        record = self.flights[docked.id]
        if docked.undock is None:
            return
        yield self._wait_until(docked.undock.tt_s)
        self._undock(runtime, docked.id, record, list(docked.crew_down))
        vehicle = self.catalog.vehicle(docked.vehicle)
        if docked.landing_utc is not None:
            yield self._wait_until(Epoch.from_utc_iso(docked.landing_utc).tt_s)
            record.land_s = self.env.now
            record.outcome = "landed"
            self.log("land", docked.id)
        elif vehicle.seats == 0:  # a cargo ship goes down with the station's rubbish
            yield from self._destructive_reentry(docked, vehicle, runtime, record)

    def _take_port(self, runtime: StationRuntime, flight, port: str, vehicle=None):
        """Wait for ``port`` to be free, as long as the vehicle can loiter, else fail."""
        loiter_s = vehicle.autonomous_s if vehicle is not None else RELOCATION_WAIT_S
        deadline = self.env.now + loiter_s
        while runtime.graph.occupant(port) is not None:
            occupant = runtime.graph.occupant(port)
            if self.env.now >= deadline:
                raise ProgramFailure(
                    f"{flight.id} cannot dock at {runtime.id} {port}: still occupied by "
                    f"{occupant} at {Epoch(self.env.now).utc_iso(0)} after waiting "
                    f"{loiter_s / 3600:.0f} h; change the port or the dates"
                )
            freed = self.port_freed.setdefault(port, self.env.event())
            yield freed | self._wait_until(deadline)

    def _free(self, runtime: StationRuntime, port: str | None) -> None:
        if port is not None and port in self.port_freed:
            self.port_freed.pop(port).succeed()

    def _relocate(self, runtime: StationRuntime, name: str, to: str, flight=None, via=None):
        """Move ``name`` to port ``to``; if it has not arrived yet (its docking came later than
        history's), the move waits up to ARRIVAL_WAIT_S for it."""
        deadline = self.env.now + ARRIVAL_WAIT_S
        while name not in runtime.graph and self.env.now < deadline:
            yield self.env.timeout(min(3600.0, deadline - self.env.now))
        if name not in runtime.graph:
            self.warnings.append(
                f"{Epoch(self.env.now).utc_iso(0)}: {name} is not on "
                f"{runtime.id}; its move to {to} is skipped"
            )
            return
        self._advance(runtime)
        before = runtime.graph.item(name).at
        try:
            yield from self._take_port(runtime, _Named(flight or name), to)
            runtime.graph.relocate(name, to, via_port=via)
        except DockingError as exc:  # history diverged: the port is not there or busy
            self.warnings.append(f"{Epoch(self.env.now).utc_iso(0)}: {name} not moved ({exc})")
            return
        self._free(runtime, before)
        self._snapshot(runtime)
        self.log("relocate", flight, runtime.id, to, detail=f"{name} from {before}")

    def tracking_process(self, station_id: str, updates: TrackingUpdates):
        """Adopt each tracking update of one station at its epoch, in time order, and keep
        model minus tracking just before it.

        A flight's rendezvous is planned at its launch from the orbit as it then stands, so
        from the last update before the launch; a later update corrects the station's orbit
        from its epoch on, never a plan already made (the vehicle flies the burns planned at
        launch, as flight control's targeting was fixed then).
        """
        runtime = self.stations[station_id]
        for t_s, r_m, v_mps in zip(updates.t_s, updates.r_m, updates.v_mps, strict=True):
            yield self._wait_until(t_s)
            self._advance(runtime)
            drift = runtime.orbit.adopt(OrbitState(Epoch(float(t_s)), r_m, v_mps))
            self._orbit_changed(runtime)
            self.drifts.setdefault(station_id, []).append(drift)
            self.log(
                "tracking",
                station=station_id,
                detail=f"model minus tracking: {drift.d_altitude_m / 1e3:+.2f} km altitude, "
                f"{np.degrees(drift.d_phase_rad):+.2f} deg phase",
            )

    def station_event_process(self, event):
        station_id = event.station or self.program.stations[0].id
        runtime = self.stations[station_id]
        yield self._wait_until(event.at.tt_s)
        if event.type == "relocate":
            name = event.module or event.flight
            yield from self._relocate(runtime, name, event.to, flight=event.flight, via=event.via)
        elif event.type == "reboost":
            target_m = (
                event.target_mean_altitude_m if event.target_mean_altitude_m is not None else None
            )
            yield from self._reboost(runtime, target_m, event.dv_mps, event.by)
        elif event.type == "deorbit":
            yield from self._deorbit(runtime, event)
        elif event.type == "attitude":
            self._advance(runtime)
            runtime.tumbling = event.mode == "tumbling"
            runtime.update_ballistics()
            self._orbit_changed(runtime)
            self.log("attitude", station=runtime.id, detail=f"{event.mode}: Cd*A/m "
                     f"{runtime.cd_area_over_mass_m2pkg:.5f} m^2/kg")

    def reboost_policy_process(self, runtime: StationRuntime):
        """Daily check of the policy: reboost when the mean altitude is below its floor.

        The checks fall every REBOOST_CHECK_S from the start (and from the end of each policy
        reboost), but only those that can find the orbit below the floor are made: from the
        margin above the floor and a bound on the decay rate (:meth:`_days_above_floor`) the
        days in between are known to pass, so the orbit is not stopped at each of them. Any
        change of the orbit or of the ballistic coefficient wakes the process to re-plan.
        """
        policy = runtime.reboost
        end_s = self.end_s if policy.until is None else min(self.end_s, policy.until.tt_s)
        origin_s = self.env.now
        last_k = int(np.floor((end_s - origin_s) / REBOOST_CHECK_S + 1e-9))
        k = 0
        while k < last_k:
            self._advance(runtime)
            if runtime.orbit.reentered is not None:
                return
            now_k = int(np.floor((self.env.now - origin_s) / REBOOST_CHECK_S + 1e-9))
            safe_k = now_k + self._days_above_floor(runtime, policy.min_mean_altitude_m)
            k = min(max(now_k + 1, safe_k), last_k)
            check_s = origin_s + k * REBOOST_CHECK_S
            runtime.orbit_changed = self.env.event()
            yield self._wait_until(check_s) | runtime.orbit_changed
            runtime.orbit_changed = None
            if self.env.now < check_s:
                continue  # woken by a change: re-plan
            self._advance(runtime)
            if runtime.orbit.reentered is not None:
                return
            if runtime.orbit.mean_altitude_m() < policy.min_mean_altitude_m:
                yield from self._reboost(runtime, policy.max_mean_altitude_m, None, None)
                origin_s = self.env.now
                last_k = int(np.floor((end_s - origin_s) / REBOOST_CHECK_S + 1e-9))
                k = 0

    def _days_above_floor(self, runtime: StationRuntime, floor_m: float) -> int:
        """Whole check intervals over which the mean altitude surely stays above ``floor_m``.

        Circular-orbit decay da/dt = -rho (Cd A / m) sqrt(mu a) (King-Hele; Vallado 4th ed.
        sec. 9.6), an upper bound on the station's as the atmosphere's rotation is left out,
        with the densest row of the density table over the next REBOOST_LOOKAHEAD_DAYS at
        REBOOST_DENSITY_DEPTH_M below the floor (eccentricity, table interpolation), times
        REBOOST_DECAY_SAFETY. The margin is taken less the spread of the revolution's radii over
        their count: a check's mean over the N samples of one revolution is off the orbit's by at
        most half that (one sample more or less), so two checks differ by at most that beyond the
        decay (0.4 km seen against 1.3 km allowed in shuttle-mir). Zero when the last revolution
        is not sampled.
        """
        orbit = runtime.orbit
        radii_m = orbit.last_revolution_radii_m()
        if radii_m is None:
            return 0
        margin_m = orbit.mean_altitude_m() - floor_m - np.ptp(radii_m) / radii_m.size
        if margin_m <= 0.0:
            return 0
        decay_mps = REBOOST_DECAY_SAFETY * self._decay_rate_mps(
            runtime, floor_m - REBOOST_DENSITY_DEPTH_M, REBOOST_LOOKAHEAD_DAYS * DAY_S)
        if decay_mps <= 0.0:
            return int(REBOOST_LOOKAHEAD_DAYS * DAY_S // REBOOST_CHECK_S)
        safe_s = min(margin_m / decay_mps, REBOOST_LOOKAHEAD_DAYS * DAY_S)
        return int(safe_s // REBOOST_CHECK_S)

    @staticmethod
    def _decay_rate_mps(runtime: StationRuntime, altitude_m: float, ahead_s: float) -> float:
        """Circular-orbit decay rate at ``altitude_m``, da/dt = rho (Cd A / m) sqrt(mu a)
        (King-Hele; Vallado 4th ed. sec. 9.6), with the densest row of the density table over
        the next ``ahead_s``: an upper bound, the atmosphere's rotation left out."""
        orbit = runtime.orbit
        t0_tt_s, dt_s, h0_m, dh_m, log_rho = orbit.density_table
        rows = np.clip((orbit.t_s - t0_tt_s) / dt_s + np.array([0.0, ahead_s / dt_s]), 0,
                       log_rho.shape[0] - 1)
        column = int(np.clip(np.floor((altitude_m - h0_m) / dh_m), 0, log_rho.shape[1] - 1))
        density_kgpm3 = np.exp(log_rho[int(rows[0]) : int(np.ceil(rows[1])) + 1, column].max())
        return float(density_kgpm3 * runtime.cd_area_over_mass_m2pkg
                     * np.sqrt(GM_EARTH_M3PS2 * (R_EARTH_M + altitude_m)))

    def _orbit_changed(self, runtime: StationRuntime) -> None:
        """Wake the reboost policy to re-plan its checks (the orbit or its decay changed)."""
        if runtime.orbit_changed is not None and not runtime.orbit_changed.triggered:
            runtime.orbit_changed.succeed()

    def _burner(self, runtime: StationRuntime, wanted: str | None, station_tanks: bool = False):
        """Who burns: a docked vehicle of a type in the list (its own propellant, and with
        ``station_tanks`` the station's), or a module of the station (the propellant cargo
        ships delivered to the station's tanks)."""
        names = [wanted] if wanted else list(getattr(runtime.reboost, "by", []) or [])
        docked = runtime.graph.docked_vehicles()
        shared_kg = runtime.station_propellant_kg if station_tanks else 0.0
        for wanted_name in names:
            for name in docked:
                item = runtime.graph.item(name).item
                own_kg = runtime.propellant_kg.get(name, 0.0)
                if item.name == wanted_name and own_kg + shared_kg > 0.0:
                    return name, item
            if wanted_name in runtime.graph.modules() and runtime.station_propellant_kg > 0.0:
                return wanted_name, self.catalog.vehicle(MODULE_PROPULSION_LIKE)
        return None, None

    def _reboost(self, runtime: StationRuntime, target_m, dv_mps, by):
        """Raise the orbit: Hohmann to ``target_m`` mean altitude, or one burn of ``dv_mps``."""
        name, vehicle = self._burner(runtime, by)
        if vehicle is None:
            if not runtime.reboost_starved:
                self.warnings.append(
                    f"{Epoch(self.env.now).utc_iso(0)}: {runtime.id} needs a reboost but nothing "
                    "able to burn has propellant (warned once)"
                )
                self.log("reboost", station=runtime.id, detail="skipped: no propellant")
            runtime.reboost_starved = True
            return
        runtime.reboost_starved = False
        state = self._advance(runtime)
        r_m = float(np.linalg.norm(state.r_m))
        if dv_mps is not None:
            burns, coast_s = [dv_mps], 0.0
        else:
            # as high as the propellant allows both burns (the Hohmann delta-v grows about
            # linearly with the height gained): never a raised apogee left uncircularised
            available_kg = runtime.propellant_kg.get(name, runtime.station_propellant_kg)
            mass_kg = runtime.graph.mass_kg()
            affordable_mps = vehicle.isp_s * G0_MPS2 * np.log(mass_kg / (mass_kg - available_kg))
            target_r_m = R_EARTH_M + target_m
            transfer = hohmann(r_m, target_r_m)
            for _ in range(3):
                if float(transfer.dv_total_mps) <= affordable_mps:
                    break
                target_r_m = r_m + (target_r_m - r_m) * 0.99 * affordable_mps / float(
                    transfer.dv_total_mps)
                transfer = hohmann(r_m, target_r_m)
            burns = [float(transfer.dv1_mps), float(transfer.dv2_mps)]
            coast_s = float(transfer.transfer_time_s)
        for k, burn_mps in enumerate(burns):
            if k:
                yield self.env.timeout(coast_s)
                state = self._advance(runtime)
            self._burn(runtime, name, vehicle, state, burn_mps, f"reboost-{k + 1}")
        self._snapshot(runtime)

    def _burn(self, runtime, name, vehicle, state, dv_mps: float, label: str,
              station_tanks: bool = False) -> None:
        """Fire ``name``'s engines along (or against) the velocity, limited by its propellant
        (a docked vehicle's own, then with ``station_tanks`` the station's)."""
        is_vehicle = name in runtime.propellant_kg
        own_kg = runtime.propellant_kg[name] if is_vehicle else runtime.station_propellant_kg
        shared_kg = runtime.station_propellant_kg if is_vehicle and station_tanks else 0.0
        needed_kg = float(vehicle.propellant_for_dv_kg(abs(dv_mps), runtime.graph.mass_kg()))
        used_own_kg = min(needed_kg, own_kg)
        used_shared_kg = min(needed_kg - used_own_kg, shared_kg)
        used_kg = used_own_kg + used_shared_kg
        done_mps = dv_mps * used_kg / needed_kg if needed_kg > 0 else 0.0
        if is_vehicle:
            runtime.propellant_kg[name] -= used_own_kg
            runtime.graph.set_mass(name, runtime.graph.item(name).mass_kg - used_own_kg)
            runtime.station_propellant_kg -= used_shared_kg
        else:
            runtime.station_propellant_kg -= used_own_kg
        _, v_new = apply_impulse_vnb(state.r_m, state.v_mps, [done_mps, 0.0, 0.0])
        runtime.orbit.apply_dv(v_new - state.v_mps)
        self._orbit_changed(runtime)
        self.maneuvers.append(Maneuver(self.env.now, None, name, label, abs(done_mps), used_kg))
        self.log(
            "reboost" if label.startswith("reboost") else "burn",
            station=runtime.id,
            detail=f"{label}: {done_mps:+.2f} m/s by {name}",
        )

    def _deorbit(self, runtime: StationRuntime, event):
        """Retro burn to the target perigee, then follow the orbit down to re-entry.

        The burner uses its own propellant, then the station's tanks: a deorbit tug carries
        its deorbit propellant as cargo (Progress M1-5: 2,678 kg, Wikipedia infobox).
        """
        name, vehicle = self._burner(runtime, event.by, station_tanks=True)
        state = self._advance(runtime)
        if vehicle is None:
            self.warnings.append(
                f"{runtime.id} deorbit at {Epoch(self.env.now).utc_iso(0)} skipped: no docked "
                f"{event.by or 'vehicle'} with propellant to burn"
            )
            return
        r_m = float(np.linalg.norm(state.r_m))
        target_m = R_EARTH_M + (
            event.target_perigee_m if event.target_perigee_m is not None else DEORBIT_PERIGEE_M
        )
        a_m = 1.0 / (2.0 / r_m - float(np.dot(state.v_mps, state.v_mps)) / GM_EARTH_M3PS2)
        speed_mps = float(np.linalg.norm(state.v_mps))
        new_speed_mps = float(vis_viva_speed_mps(r_m, 0.5 * (r_m + target_m)))
        self.log("deorbit", station=runtime.id, detail=f"by {name}, a = {a_m / 1e3:.1f} km")
        self._burn(runtime, name, vehicle, state, new_speed_mps - speed_mps, "deorbit",
                   station_tanks=True)
        while runtime.orbit.reentered is None and self.env.now < self.end_s:
            yield self.env.timeout(min(3600.0, self.end_s - self.env.now))
            self._advance(runtime)

    # --- run -------------------------------------------------------------------------------
    def run(self, progress: Callable[[float], None] | None = None) -> ProgramResult:
        for flight in self.program.flights:
            if flight.target is not None:
                self.stations[flight.target].arrivals[flight.id] = flight.launch.tt_s
            self.env.process(self.flight_process(flight))
        for station_id, updates in self.tracking.items():
            self.env.process(self.tracking_process(station_id, updates))
        for event in self.program.events:
            self.env.process(self.station_event_process(event))
        for spec in self.program.stations:
            for docked in spec.docked:
                self.env.process(self.docked_at_start_process(self.stations[spec.id], docked))
        for runtime in self.stations.values():
            if runtime.reboost is not None:
                self.env.process(self.reboost_policy_process(runtime))
        step_s = max((self.end_s - self.start_s) / 200.0, 1.0)
        t_s = self.start_s
        while t_s < self.end_s:
            t_s = min(t_s + step_s, self.end_s)
            self.env.run(until=t_s)
            if progress is not None:
                progress((t_s - self.start_s) / (self.end_s - self.start_s))
        for runtime in self.stations.values():
            self._advance(runtime)
            runtime.ledger.advance(self.end_s)
        if self.phase_assumed:
            count = len(self.phase_assumed)
            self.warnings.append(
                f"{count} flight{'s' if count > 1 else ''} launched with no tracking set in the "
                "2 days before and the station's phase outside the profile's reach: the station "
                "was moved along its orbit to the written launch's phase "
                "('phase-assumed' "
                "events; first " + ", ".join(self.phase_assumed[:3]) + "); their dockings are "
                "not predictions")
        return ProgramResult(
            self.program,
            self.start_s,
            self.end_s,
            list(self.flights.values()),
            self.events,
            self.maneuvers,
            self.roster,
            self.stations,
            self.drifts,
            self.warnings,
            self.vehicle_tracks,
        )


def _chaser_track(plan, station, times_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The vehicle's path from insertion to the start of its final approach, relative to the
    station, at ``times_s``: (times_s (N,), LVLH position and velocity (N, 6)).

    The planner flies chaser and station in one model (two-body + J2 secular) between the
    impulsive burns; the relative motion it plans is what the vehicle flies (re-targeted in
    flight, the absolute paths of the planning model drift from the numerical orbit). From the
    approach on, the vehicle flies with the station.
    """
    from stationsim.astro.frames import inertial_to_lvlh
    from stationsim.astro.maneuvers import apply_impulse_lvlh

    t_s = plan.insertion.epoch.tt_s
    r_m, v_mps = np.asarray(plan.insertion.r_m), np.asarray(plan.insertion.v_mps)
    r_s, v_s = station.states(plan.insertion.epoch)
    station_model = J2Secular(plan.insertion.epoch, r_s, v_s)
    # the insertion state already includes an insertion burn (OMS-2)
    stops = [(b.epoch.tt_s, b.dv_lvlh_mps) for b in plan.burns if b.epoch.tt_s > t_s]
    stops.append((plan.aim_epoch.tt_s, None))
    rows = []
    for stop_s, dv_lvlh_mps in sorted(stops, key=lambda item: item[0]):
        chaser = J2Secular(Epoch(t_s), r_m, v_mps)
        grid = times_s[(times_s >= t_s) & (times_s < stop_s)]
        if grid.size:
            r_c, v_c = chaser.states(Epoch(grid))
            r_t, v_t = station_model.states(Epoch(grid))
            rho, rho_dot = inertial_to_lvlh(r_t, v_t, r_c, v_c)
            rows.append((grid, np.hstack([rho, rho_dot])))
        r_m, v_mps = chaser.states(Epoch(stop_s))
        if dv_lvlh_mps is not None:
            r_m, v_mps = apply_impulse_lvlh(r_m, v_mps, dv_lvlh_mps)
        t_s = stop_s
    if not rows:
        return np.empty(0), np.empty((0, 6))
    return np.concatenate([g for g, _ in rows]), np.vstack([x for _, x in rows])


def _module_as_vehicle(module, propulsion):
    """A module flying itself to the station, as a vehicle for the rendezvous planner."""
    from dataclasses import replace

    port = next(iter(module.ports.values()))
    return replace(
        propulsion,
        name=module.name,
        display_name=module.display_name,
        dry_mass_kg=module.mass_kg,
        seats=0,
        mechanisms=(port.mechanism,),
        length_m=module.length_m,
        diameter_m=module.diameter_m,
        default_profile="coelliptic",
        source=module.source,
    )


def _visitors(flight, vehicle, dock_s: float) -> set[str]:
    """People who fly up and down on the same vehicle within its free-flight endurance.

    They live aboard their own vehicle while it is docked (a Shuttle crew during joint
    operations) and are not counted aboard the station; everyone else of ``crew_up`` joins the
    station at docking and everyone of ``crew_down`` leaves it at undocking.
    """
    undock = flight.undock
    if vehicle is None or undock is None or undock.tt_s - dock_s > vehicle.autonomous_s:
        return set()
    return set(flight.crew_up) & set(flight.crew_down)


@dataclass(frozen=True)
class _Named:
    id: str


def _initial_state(orbit) -> tuple[Epoch, np.ndarray, np.ndarray]:
    """A station's initial GCRF state from its program orbit (TLE or elements)."""
    if hasattr(orbit, "record"):
        tle = orbit.record
        r_m, v_mps = tle.initial_state()
        return tle.epoch, r_m, v_mps
    r_m, v_mps = elements_to_state(
        orbit.semi_major_axis_m,
        orbit.eccentricity,
        orbit.inclination_rad,
        orbit.raan_rad,
        orbit.arg_perigee_rad,
        orbit.true_anomaly_rad,
    )
    return orbit.epoch, np.asarray(r_m), np.asarray(v_mps)


def simulate(
    program, progress: Callable[[float], None] | None = None, density_tables: dict | None = None
) -> ProgramResult:
    """Run ``program`` (a loaded :class:`stationsim.scenario.Program`) from start to end.

    ``progress`` is called with the fraction of simulated time done. Where the simulated
    history parts from the written one (a rendezvous the phase does not allow, a port whose
    module never arrived) the flight ends with an outcome and a warning; ProgramFailure (a
    StationsimError) is raised only when a port stays taken past a vehicle's loiter time.
    """
    return Engine(program, density_tables).run(progress)
