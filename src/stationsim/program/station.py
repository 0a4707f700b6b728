"""A station while the program runs: its assembly graph, orbit, stocks and configuration
history, built from the program file, and the steps every process takes on it (bring its
orbit to the present, record a change of configuration, log its re-entry)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import simpy

from stationsim.astro.constants import DAY_S
from stationsim.astro.elements import elements_to_state
from stationsim.astro.frames import subpoint
from stationsim.astro.propagate import OrbitState
from stationsim.astro.time import Epoch
from stationsim.hardware.module import tumbling_area_m2
from stationsim.hardware.station import Station as StationGraph
from stationsim.program.consumables import BVAD_2004, ConsumablesLedger
from stationsim.program.density import station_density_table
from stationsim.program.orbit import StationOrbit
from stationsim.program.power import station_power_w
from stationsim.program.state import FlightRecord, LogEvent, SimState

if TYPE_CHECKING:
    from stationsim.astro.atmosphere import DensityTable
    from stationsim.scenario.schema import ElementsOrbit, Station, TleOrbit

AREA_RESOLUTION_M = 0.1  # pixel of the projected-area raster (area error well under 1 %)
DEFAULT_CD = 2.2  # free-molecular flat-plate/cylinder value (Vallado 4th ed. sec. 8.6.2)


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
    sealed: set[str] = field(default_factory=set)  # modules closed off after depressurising
    power_history: list[tuple[float, float]] = field(default_factory=list)  # (t_s, W)
    eva_crew_hours: float = 0.0
    propellant_capacity_kg: float = float("inf")  # the station's tanks
    declared_capacity_kg: dict[str, float] = field(default_factory=dict)  # the program's
    tank_resources: set[str] = field(default_factory=set)  # held in module tanks, ever
    stowed_kg: float = 0.0  # dry cargo carried aboard and kept (program/cargo.py)
    launched_stores_kg: float = 0.0  # stores in stores_kg the modules' launch masses hold

    def stores_kg(self) -> float:
        """Dry cargo stowed, and the consumables in stock and propellant in the station's
        tanks where the program bounds them with a ``capacity``, kg. An unbounded stock is
        left out: with no attitude-control burns and no spoilage modelled, what the model uses
        falls short of what flew up, and without a limit the surplus only grows (Mir's
        unbounded tanks end the ``mir`` program holding 50 t); what a ship unloads into an
        unbounded store stays counted in the ship's mass until it leaves."""
        bounded_kg = sum(kg for resource, kg in self.ledger.stock_kg.items()
                         if resource in self.ledger.capacity_kg)
        if self.propellant_capacity_kg < float("inf"):
            bounded_kg += self.station_propellant_kg
        return self.stowed_kg + bounded_kg

    def mass_kg(self) -> float:
        """The station's mass, kg: its modules and docked vehicles at their current masses,
        and the stores cargo brought aboard since the start (:meth:`stores_kg`), less what the
        crew used, the engines burned and the vehicles took away. The stores the modules'
        launch masses already hold are taken off (``launched_stores_kg``): those aboard at
        the start, and what a module's tanks bring into or take out of :meth:`stores_kg` as
        it joins or leaves (:func:`update_capacity`), so only the change counts."""
        return self.graph.mass_kg() + self.stores_kg() - self.launched_stores_kg

    def pressurized_volume_m3(self) -> float:
        """The pressurised volume the crew can use: the modules' less the sealed ones'."""
        return self.graph.pressurized_volume_m3() - sum(
            self.graph.item(name).item.pressurized_volume_m3 for name in self.sealed
            if name in self.graph)

    def update_ballistics(self) -> None:
        """Recompute Cd*A/m (m^2/kg) after the configuration changed: the program's override,
        else Cd = 2.2 on the frontal area of the module geometry along the velocity, or when
        tumbling the sum of its parts' mean projected areas (exact for one convex part, an
        upper bound for several, which shade one another)."""
        mass_kg = self.mass_kg()
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


def build_station(
    state: SimState,
    spec: Station,
    density_table: DensityTable | None,
    density_scale: float = 1.0,
) -> StationRuntime:
    """The station of ``spec`` at the program's start: modules, orbit, stocks, docked
    vehicles and crew aboard; ``density_scale`` multiplies the atmosphere's density (a
    campaign's dispersion)."""
    catalog = state.catalog
    graph = StationGraph(catalog.module(spec.modules.root), has_arm=spec.has_arm)
    state.log("module_attach", station=spec.id, detail=spec.modules.root)
    for item in spec.modules.attach:
        graph.attach(
            item.instance,
            catalog.module(item.module),
            at=item.at,
            via_port=item.via,
            t_s=state.start_s,
        )
        state.log("module_attach", station=spec.id, port=item.at, detail=item.instance)
    epoch, r_m, v_mps = initial_state(spec.orbit)
    if density_table is None:
        inclination_rad = float(
            np.arccos(np.cross(r_m, v_mps)[2] / np.linalg.norm(np.cross(r_m, v_mps)))
        )
        density_table = station_density_table(
            Epoch(min(epoch.tt_s, state.start_s) - DAY_S),
            Epoch(state.end_s + DAY_S),
            inclination_rad,
        )
    if density_scale != 1.0:
        density_table = density_table._replace(
            log_rho=density_table.log_rho + np.log(density_scale))
    override = (spec.ballistic.cd, spec.ballistic.area_m2) if spec.ballistic else None
    ledger = ConsumablesLedger(
        state.start_s,
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
    runtime.declared_capacity_kg = {
        resource: kg for resource in ("o2", "water", "food", "propellant")
        if (kg := getattr(spec.capacity, f"{resource}_kg")) is not None}
    if state.options.frontal_areas_m2 is not None:  # shared by a campaign's runs
        runtime.frontal_areas_m2 = state.options.frontal_areas_m2
    runtime.station_propellant_kg = spec.consumables.propellant_kg
    if over_kg := update_capacity(runtime, state.start_s):
        state.warn(f"{spec.id}: the stocks written exceed its tanks and are cut to them: "
                   + _listed(over_kg))
    runtime.launched_stores_kg = runtime.stores_kg()
    runtime.update_ballistics()
    start_state = OrbitState(epoch, r_m, v_mps)
    if epoch.tt_s != state.start_s:
        start_state = start_state.propagate(
            Epoch(state.start_s),
            cd_area_over_mass_m2pkg=runtime.cd_area_over_mass_m2pkg,
            density_table=density_table,
        )
    runtime.orbit = StationOrbit(start_state, density_table, state.start_s)
    for docked in spec.docked:
        vehicle = catalog.vehicle(docked.vehicle)
        graph.attach(docked.id, vehicle, at=docked.port, t_s=state.start_s)
        runtime.propellant_kg[docked.id] = vehicle.propellant_mass_kg
        state.flights[docked.id] = FlightRecord(
            docked.id,
            vehicle.name,
            None,
            None,
            dock_s=state.start_s,
            station=spec.id,
            port=docked.port,
            outcome="docked",
        )
    for person in spec.crew_aboard:
        state.roster.board(person, spec.id, state.start_s, "aboard at start")
    runtime.ledger.set_crew(state.start_s, state.roster.count(spec.id))
    snapshot(state, runtime)
    return runtime


def update_capacity(runtime: StationRuntime, t_s: float) -> dict[str, float]:
    """Bound the stocks and the propellant by what the station holds: the program's
    ``capacity`` where it writes one, else the tanks of the modules attached now (unbounded
    where neither says, nor ever did). A module that leaves takes its tanks' share: what no
    longer fits is lost at ``t_s`` (TT s), and returned (kg by resource); so is what the tanks
    cannot hold of a stock they bound for the first time.

    A module's catalog mass is its mass with what it holds, so the station's mass changes by
    that mass alone as a module joins or leaves: a stock its tanks bring into
    :meth:`StationRuntime.stores_kg` (one unbounded until then, now counted) or take away
    (what no longer fits) moves ``launched_stores_kg`` with it. The stocks are brought to
    ``t_s`` first when the bounds change, so that what the crew used meanwhile is not taken
    for such a move."""
    ledger = runtime.ledger
    tanks_kg = runtime.graph.tanks_kg()
    runtime.tank_resources.update(tanks_kg)
    capacity_kg = {**{r: tanks_kg.get(r, 0.0) for r in runtime.tank_resources},
                   **runtime.declared_capacity_kg}
    stock_capacity_kg = {r: kg for r, kg in capacity_kg.items() if r != "propellant"}
    propellant_capacity_kg = capacity_kg.get("propellant", float("inf"))
    changed = (stock_capacity_kg != ledger.capacity_kg
               or propellant_capacity_kg != runtime.propellant_capacity_kg
               or any(ledger.stock_kg.get(r, 0.0) > kg for r, kg in stock_capacity_kg.items()))
    if changed and ledger.t_s < t_s:
        ledger.advance(t_s)
    stores_before_kg = runtime.stores_kg()
    ledger.capacity_kg = stock_capacity_kg
    runtime.propellant_capacity_kg = propellant_capacity_kg
    excess_kg = {r: ledger.stock_kg[r] - kg for r, kg in ledger.capacity_kg.items()
                 if r in ledger.stock_kg and ledger.stock_kg[r] > kg}
    lost_kg = ledger.remove(t_s, excess_kg) if excess_kg else {}
    if runtime.station_propellant_kg > runtime.propellant_capacity_kg:
        lost_kg["propellant"] = runtime.station_propellant_kg - runtime.propellant_capacity_kg
        runtime.station_propellant_kg = runtime.propellant_capacity_kg
    runtime.launched_stores_kg += runtime.stores_kg() - stores_before_kg
    return lost_kg


def _listed(mass_kg: dict[str, float]) -> str:
    return ", ".join(f"{resource} {kg:.0f} kg" for resource, kg in mass_kg.items())


def snapshot(state: SimState, runtime: StationRuntime) -> None:
    """Record mass, volume and crew after a change, the new ballistic coefficient, and the
    station's tanks (:func:`update_capacity`; what a leaving module's tanks held is logged,
    and what the first tanks to bound a stock cannot hold)."""
    bounded = set(runtime.ledger.capacity_kg)
    if runtime.propellant_capacity_kg < float("inf"):
        bounded.add("propellant")
    if lost_kg := update_capacity(runtime, state.env.now):
        left_kg = {r: kg for r, kg in lost_kg.items() if r in bounded}
        over_kg = {r: kg for r, kg in lost_kg.items() if r not in bounded}
        state.log("stores_lost", station=runtime.id, detail="; ".join(
            ([f"the tanks that left held {_listed(left_kg)}"] if left_kg else [])
            + ([f"beyond the tanks that now hold them: {_listed(over_kg)}"] if over_kg else [])))
    runtime.update_ballistics()
    orbit_changed(runtime)
    runtime.history.append(
        (
            state.env.now,
            runtime.mass_kg(),
            runtime.pressurized_volume_m3(),
            state.roster.count(runtime.id),
        )
    )
    power_w = station_power_w(runtime.graph, runtime.sealed)
    if power_w is not None and (not runtime.power_history
                                or runtime.power_history[-1][1] != power_w):
        runtime.power_history.append((state.env.now, power_w))


def orbit_changed(runtime: StationRuntime) -> None:
    """Wake the reboost policy to re-plan its checks (the orbit or its decay changed)."""
    if runtime.orbit_changed is not None and not runtime.orbit_changed.triggered:
        runtime.orbit_changed.succeed()


def advance(state: SimState, runtime: StationRuntime) -> OrbitState:
    """Bring the station's orbit to the present, before anything about it changes; log a
    re-entry the first time the orbit decays through the re-entry altitude."""
    was_flying = runtime.orbit.reentered is None
    orbit_state = runtime.orbit.advance_to(state.env.now, runtime.cd_area_over_mass_m2pkg)
    if was_flying and runtime.orbit.reentered is not None:
        _log_reentry(state, runtime)
    return orbit_state


def _log_reentry(state: SimState, runtime: StationRuntime) -> None:
    """The station's entry (the re-entry altitude) and where it falls, intact, to the
    ground (:func:`stationsim.ops.stationkeeping.ground_impact`), with their places."""
    from stationsim.ops.stationkeeping import ground_impact

    entry = runtime.orbit.reentered
    for kind, point, detail in (
        ("reentry", entry,
         "the station's orbit decayed" + _decay_spread(state, runtime, entry)),
        ("impact", ground_impact(entry, runtime.cd_area_over_mass_m2pkg),
         "falling intact, as the heaviest pieces: the far end of the debris footprint"),
    ):
        if point is None:
            continue
        lat_rad, lon_rad, _ = subpoint(point.r_m, point.epoch)
        state.events.append(LogEvent(
            point.epoch.tt_s, kind, station=runtime.id, detail=detail,
            lat_deg=float(np.degrees(lat_rad)), lon_deg=float(np.degrees(lon_rad))))


def _decay_spread(state: SimState, runtime: StationRuntime, entry: OrbitState) -> str:
    """For a station out of control (tumbling), how well its re-entry was known from its
    last tracking (:func:`stationsim.astro.lifetime.reentry_uncertainty`); else nothing."""
    from stationsim.astro.elements import state_to_elements
    from stationsim.astro.lifetime import reentry_uncertainty

    fixes = state.drifts.get(runtime.id)
    if not runtime.tumbling or not fixes:
        return ""
    inclination_rad = float(state_to_elements(entry.r_m, entry.v_mps).i_rad)
    spread = reentry_uncertainty(entry.epoch.tt_s - fixes[-1].t_s, inclination_rad)
    return f" (from the tracking of {Epoch(fixes[-1].t_s).utc_iso(0)}); {spread.describe()}"


def initial_state(orbit: TleOrbit | ElementsOrbit) -> tuple[Epoch, np.ndarray, np.ndarray]:
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
