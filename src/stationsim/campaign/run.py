"""Campaign orchestration: the nominal plan, batches on Dask, Parquet parts, resume, summary.

A campaign flies ``samples`` dispersed copies of one flight of a program. Samples go in batches
of ``batch_size`` (one Dask task each, so that per-task overhead stays far below the kernel's
time); each finished batch is written atomically as ``parts/part-NNNNN.parquet`` (a temporary
file, then ``os.replace``), and ``resume`` skips the batches whose part exists. Sample k always
draws from stream k (:mod:`stationsim.campaign.dispersions`), so results depend neither on the
number of workers nor on the order batches finish.

Folder layout under ``out``: ``campaign.json`` (the inputs, checked on resume),
``parts/``, ``samples.parquet`` (one row per sample, by sample number), ``campaign.duckdb``
(table ``campaign_summary``) and ``report.html``.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.elements import state_to_elements
from stationsim.astro.kepler import j2_secular_rates
from stationsim.astro.time import Epoch
from stationsim.campaign.dispersions import Dispersions, Draws
from stationsim.campaign.sample import (
    OUTCOMES,
    REENTRY_ALTITUDE_M,
    Nominal,
    Outcomes,
    fly_batch,
    planned_arrival_lvlh_mps,
)
from stationsim.errors import StationsimError
from stationsim.program.launch_time import (
    LAUNCH_SEARCH_DAYS,
    PLANE_SEARCH_S,
    first_workable_window,
    launch_in_plane,
)
from stationsim.results.atomic import clean_stale, folder_lock, replacing, storage_errors
from stationsim.scenario.schema import MAX_CAMPAIGN_SAMPLES
from stationsim.text import json_mapping

if TYPE_CHECKING:
    from stationsim.astro.atmosphere import DensityTable
    from stationsim.astro.propagate import Propagator
    from stationsim.hardware.sites import LaunchSite
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.ops.rendezvous import Profile
    from stationsim.scenario.schema import Flight, Program, Station

DEFAULT_BATCH_SIZE = 500
# Below this many samples a campaign runs in this process unless workers or a scheduler are
# given: a local cluster's start and its workers' imports cost 2-5 s, more than two workers
# save on 20,000 rendezvous at ~2,000 per second per core (docs/performance.md).
IN_PROCESS_MAX_SAMPLES = 20_000
# In this process, consecutive batches are flown together up to this many samples (NumPy's
# per-call cost spread over more samples; a sample's result does not depend on its batch).
IN_PROCESS_GROUP_SAMPLES = 10_000
PART_PATTERN = "part-{:05d}.parquet"
INPUTS_FILE = "campaign.json"
KEPT = "the parts written so far are kept for --resume"


@dataclass(frozen=True)
class CampaignSpec:
    """What to fly: a program (bundled name or path), one of its flights (default: the first
    that has a target), the number of samples, the seed and the dispersions.

    ``propellant_kg``: propellant loaded (default: the vehicle's full load).
    """

    program: str
    samples: int
    seed: int = 0
    flight: str | None = None
    dispersions: Dispersions = field(default_factory=Dispersions)
    propellant_kg: float | None = None
    batch_size: int = DEFAULT_BATCH_SIZE

    def __post_init__(self):
        if not 1 <= self.samples <= MAX_CAMPAIGN_SAMPLES:
            raise ValueError(f"samples must be 1 to {MAX_CAMPAIGN_SAMPLES:,}, got {self.samples}")
        if self.batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, got {self.batch_size}")
        if self.seed < 0:
            raise ValueError(f"seed must be >= 0, got {self.seed}")
        if self.propellant_kg is not None and not self.propellant_kg >= 0.0:
            raise ValueError(f"propellant_kg must be >= 0, got {self.propellant_kg}")

    def batches(self) -> list[tuple[int, int, int]]:
        """(batch number, first sample, count) for every batch."""
        return [(k, first, min(self.batch_size, self.samples - first))
                for k, first in enumerate(range(0, self.samples, self.batch_size))]

    def inputs(self) -> dict:
        """The inputs that fix the results (written to campaign.json, compared on resume)."""
        covariance = self.dispersions.insertion_covariance_lvlh
        return {"program": self.program, "flight": self.flight, "samples": self.samples,
                "seed": self.seed, "vary": self.dispersions.texts(),
                "insertion_covariance_lvlh": covariance and [list(row) for row in covariance],
                "propellant_kg": self.propellant_kg, "batch_size": self.batch_size}


class _Insertions:
    """Insertion states for launch slips (s): the planner's insertion rule with the plan's node
    bias, interpolated; the plan's own insertion where the slip is zero.

    The rule (:func:`stationsim.ops.insertion.insert`) is evaluated on a grid of slips every
    ``NODE_SPACING_S`` (nodes cached per process) and interpolated by 4-point Lagrange cubics.
    The out-of-plane wedge left beyond the steering capacity has a kink, so the smooth parts
    are interpolated (position, velocity before the wedge, site offset) and the wedge is applied
    per sample; the interpolation error is below 1 mm and 1 um/s (tests/campaign).
    """

    NODE_SPACING_S = 20.0

    def __init__(self, station, site, launch_epoch: Epoch, spec, node_offset_rad: float,
                 r_m: np.ndarray, v_mps: np.ndarray):
        self.station, self.site, self.launch_epoch, self.spec = station, site, launch_epoch, spec
        self.node_offset_rad, self.r_m, self.v_mps = node_offset_rad, r_m, v_mps
        self._nodes: dict[int, np.ndarray] = {}

    def __getstate__(self):
        """Pickled for the workers without the node cache; an SGP4 station goes as its TLE
        (SGP4 records do not pickle)."""
        from stationsim.astro.propagate import Sgp4Propagator

        state = {**self.__dict__, "_nodes": {}}
        if isinstance(self.station, Sgp4Propagator):
            tle = self.station.tle
            state["station"] = (tle.lines, tle.name, self.station.dut1_s)
        return state

    def __setstate__(self, state):
        from stationsim.astro.propagate import Sgp4Propagator
        from stationsim.astro.tle import parse_tle_lines

        if isinstance(state["station"], tuple):
            lines, name, dut1_s = state["station"]
            state["station"] = Sgp4Propagator(
                parse_tle_lines(*lines, name=name, check_checksum=False), dut1_s)
        self.__dict__.update(state)

    def _node(self, k: int) -> np.ndarray:
        """[r (3), v before the wedge (3), site offset] at slip k * NODE_SPACING_S."""
        from stationsim.ops.insertion import insert

        if k not in self._nodes:
            inserted = insert(self.station, self.site,
                              self.launch_epoch + k * self.NODE_SPACING_S, self.spec,
                              self.node_offset_rad)
            v_plane = _turn(inserted.r_m, inserted.v_mps, -inserted.wedge_rad)
            self._nodes[k] = np.concatenate([inserted.r_m, v_plane, [inserted.site_offset_rad]])
        return self._nodes[k]

    def __call__(self, slip_s: np.ndarray):
        r = np.tile(self.r_m, (slip_s.size, 1))
        v = np.tile(self.v_mps, (slip_s.size, 1))
        moved = np.flatnonzero(slip_s)
        if not moved.size:
            return r, v
        x = slip_s[moved] / self.NODE_SPACING_S
        base = np.floor(x).astype(np.int64)
        t = x - base
        weights = (-t * (t - 1.0) * (t - 2.0) / 6.0, (t + 1.0) * (t - 1.0) * (t - 2.0) / 2.0,
                   -(t + 1.0) * t * (t - 2.0) / 2.0, (t + 1.0) * t * (t - 1.0) / 6.0)
        values = sum(w[:, None] * np.array([self._node(int(k) + offset) for k in base])
                     for offset, w in zip((-1, 0, 1, 2), weights, strict=True))
        site_offset_rad = values[:, 6]
        excess_rad = np.maximum(np.abs(site_offset_rad) - self.spec.out_of_plane_capacity_rad, 0.0)
        r[moved] = values[:, :3]
        v[moved] = _turn(values[:, :3], values[:, 3:6], np.copysign(excess_rad, site_offset_rad))
        return r, v


def _turn(r_m, v_mps, angle_rad):
    """Velocity turned by ``angle_rad`` about the radius (Rodrigues), as the insertion wedge."""
    axis = r_m / np.linalg.norm(r_m, axis=-1, keepdims=True)
    cos, sin = np.cos(angle_rad), np.sin(angle_rad)
    cos, sin = np.asarray(cos)[..., None], np.asarray(sin)[..., None]
    along = np.sum(axis * v_mps, axis=-1, keepdims=True)
    return v_mps * cos + np.cross(axis, v_mps) * sin + axis * along * (1.0 - cos)


def station_propagator(program: Program, station_spec: Station, launch: Epoch) -> Propagator:
    """The station's orbit for planning a launch: SGP4 from the last tracking TLE before
    ``launch``, else from the station's own TLE, else J2Secular from its elements."""
    from stationsim.astro.elements import elements_to_state
    from stationsim.astro.propagate import J2Secular, Sgp4Propagator

    sets = [update for update in program.tracking
            if (update.station or program.stations[0].id) == station_spec.id
            and hasattr(update, "record") and update.epoch.tt_s <= launch.tt_s]
    if sets:
        return Sgp4Propagator(max(sets, key=lambda update: update.epoch.tt_s).record)
    orbit = station_spec.orbit
    if hasattr(orbit, "record"):
        return Sgp4Propagator(orbit.record)
    r_m, v_mps = elements_to_state(orbit.semi_major_axis_m, orbit.eccentricity,
                                   orbit.inclination_rad, orbit.raan_rad, orbit.arg_perigee_rad,
                                   orbit.true_anomaly_rad)
    return J2Secular(orbit.epoch, np.asarray(r_m), np.asarray(v_mps))


def _station_b_m2pkg(station_spec, catalog) -> float:
    """Station Cd A / m: the program's ballistic override, else the module geometry."""
    from stationsim.hardware.station import Station
    from stationsim.program.station import DEFAULT_CD

    graph = Station(catalog.module(station_spec.modules.root), has_arm=station_spec.has_arm)
    for item in station_spec.modules.attach:
        graph.attach(item.instance, catalog.module(item.module), at=item.at, via_port=item.via)
    if station_spec.ballistic is not None:
        return station_spec.ballistic.cd * station_spec.ballistic.area_m2 / graph.mass_kg()
    return DEFAULT_CD * graph.frontal_area_m2() / graph.mass_kg()


def density_table(start: Epoch, stop: Epoch, inclination_rad: float) -> DensityTable:
    """:func:`stationsim.astro.atmosphere.msis_table` from ``start`` to ``stop`` with the bundled
    space weather, kept in the disk cache (:mod:`stationsim.disk_cache`) keyed by the space
    weather file, the code that reads it and makes the table, and the arguments: parsing the
    file and importing pymsis cost 0.2-0.4 s of a campaign, for a table of a few days."""
    from importlib import metadata, resources

    from stationsim.astro import atmosphere, spaceweather
    from stationsim.disk_cache import cached

    def make() -> tuple:
        table = atmosphere.msis_table(start, stop, inclination_rad)
        return (table.t0_tt_s, table.dt_s, table.h0_m, table.dh_m, table.log_rho.shape,
                table.log_rho.tobytes())

    sources = [resources.files("stationsim").joinpath(spaceweather.BUNDLED_RESOURCE).read_bytes(),
               *(Path(module.__file__).read_bytes() for module in (atmosphere, spaceweather))]
    recipe = (f"msis_table({start.tt_s!r}, {stop.tt_s!r}, {inclination_rad!r}), "
              f"pymsis {metadata.version('pymsis')}")
    t0_tt_s, dt_s, h0_m, dh_m, shape, log_rho = cached("density-table", recipe,
                                                       b"\0".join(sources), make)
    return atmosphere.DensityTable(t0_tt_s, dt_s, h0_m, dh_m,
                                   np.frombuffer(log_rho).reshape(shape).copy())


def lifetime_table(density: DensityTable, tt_s: float) -> tuple[np.ndarray, np.ndarray]:
    """(altitude m, B x time to decay to the re-entry altitude, s m^2/kg) on a 1 km grid.

    Circular-orbit King-Hele decay, da/dt = -B rho sqrt(mu a) (King-Hele 1987), integrated
    over altitude with the density of ``tt_s`` (solar activity frozen at that day).
    """
    top_m = density.h0_m + (density.log_rho.shape[1] - 1) * density.dh_m
    altitude_m = np.arange(REENTRY_ALTITUDE_M, top_m, 1000.0)
    rate = density.density_kgpm3(tt_s, altitude_m) * np.sqrt(GM_EARTH_M3PS2
                                                             * (R_EARTH_M + altitude_m))
    inverse = 1.0 / rate
    cumulative = np.concatenate([[0.0], np.cumsum(0.5 * (inverse[1:] + inverse[:-1]) * 1000.0)])
    return altitude_m, cumulative


def choose_launch(
    station: Propagator, vehicle: VehicleType, site: LaunchSite, flight: Flight, profile: Profile,
) -> tuple[Epoch, str | None]:
    """The launch the campaign flies, and a note when it is not the written time: the rule of
    ``stationsim run`` (:mod:`stationsim.program.launch_time`) against the campaign's station.
    StationsimError when there is none."""
    from stationsim.ops.insertion import insertion_spec

    spec = insertion_spec(profile.insertion)
    wanted = flight.launch
    if flight.launch_utc is not None:
        launch = launch_in_plane(station, site, wanted, spec)
        if launch is None:
            raise StationsimError(
                f"flight {flight.id!r} cannot be campaigned: no launch window from "
                f"{site.name} within {PLANE_SEARCH_S / 3600:g} h of its launch "
                f"{wanted.utc_iso(0)} reaches the station's plane")
        if launch.tt_s == wanted.tt_s:
            return wanted, None
        shift_min = (launch.tt_s - wanted.tt_s) / 60.0
        return launch, (f"launch moved {shift_min:+.0f} min from {wanted.utc_iso(0)} into the "
                        "plane of the station's orbit as the campaign carries it")
    launch, reasons = first_workable_window(station, station, vehicle, site, wanted, spec,
                                            profile.name, flight.docking_flight_day)
    if launch is not None:
        return launch, (f"launch at the first window after the earliest launch date "
                        f"{wanted.utc_iso(0)} that the {profile.name} profile can fly")
    raise StationsimError(
        f"flight {flight.id!r} cannot be campaigned: it has only an earliest launch date "
        f"({wanted.utc_iso(0)}) and no launch window from {site.name} within "
        f"{LAUNCH_SEARCH_DAYS:g} days lets the {profile.name} profile rendezvous"
        + (f" (last reason: {reasons[-1]})" if reasons else ""))


def prepare(spec: CampaignSpec, program: Program | None = None) -> tuple[Nominal, dict]:
    """The nominal plan of the campaign's flight as a :class:`Nominal`, and a description.

    ``program``: ``spec.program`` already loaded, when at hand.

    Raises StationsimError, with the reason, for a flight that cannot be campaigned.
    """
    from stationsim.ops.insertion import insertion_spec
    from stationsim.ops.rendezvous import plan_rendezvous, resolve_profile
    from stationsim.program.rendezvous import flown_profile
    from stationsim.scenario import load_program

    program = program if program is not None else load_program(spec.program)
    targeted = [f for f in program.flights if f.target is not None and f.vehicle is not None]
    if spec.flight is None and not targeted:
        raise StationsimError(f"program {program.name!r} has no flight to a station to fly")
    try:
        flight = program.flight(spec.flight) if spec.flight else targeted[0]
    except KeyError as exc:
        raise StationsimError(exc.args[0]) from None
    if flight.target is None or flight.vehicle is None:
        raise StationsimError(f"flight {flight.id!r} cannot be campaigned: it does not fly a "
                              "vehicle to a station")
    catalog = program.catalog  # the bundled catalog with the program's own hardware
    defaults = program.defaults.get(flight.vehicle)
    vehicle = catalog.vehicle(flight.vehicle)
    site_name = flight.site or (defaults.site if defaults else None)
    if site_name is None:
        raise StationsimError(f"flight {flight.id!r} cannot be campaigned: it names no launch "
                              "site")
    site = catalog.site(site_name)
    # on the flight plan's burn times and wake-up, where it writes them
    profile = resolve_profile(flown_profile(flight, vehicle, defaults), vehicle)
    station_spec = program.station(flight.target)
    station = station_propagator(program, station_spec, flight.launch)
    launch, launch_note = choose_launch(station, vehicle, site, flight, profile)
    propellant_kg = vehicle.propellant_mass_kg if spec.propellant_kg is None else spec.propellant_kg
    mass_kg = vehicle.dry_mass_kg + propellant_kg
    try:
        plan = plan_rendezvous(station, vehicle, site, launch, profile=profile,
                               docking_flight_day=flight.docking_flight_day, mass_kg=mass_kg)
    except (StationsimError, ValueError) as exc:
        raise StationsimError(
            f"flight {flight.id!r} cannot be campaigned: the {profile.name} profile has no "
            f"rendezvous plan for a launch at {launch.utc_iso(0)} ({exc})") from None
    insertion = plan.insertion
    r_s, v_s = (np.asarray(x, dtype=float) for x in station.states(insertion.epoch))
    chaser, target = state_to_elements(insertion.r_m, insertion.v_mps), state_to_elements(r_s, v_s)
    node_offset_rad = float((chaser.raan_rad - target.raan_rad + math.pi) % (2 * math.pi) - math.pi)
    # the approach was planned at the station's mean rate of latitude (J2 secular)
    _, argp_dot, mean_anomaly_dot = j2_secular_rates(target.a_m, target.e, target.i_rad)
    first = plan.approach.legs[0]
    if first.kind == "hold":
        raise StationsimError(f"flight {flight.id!r} cannot be campaigned: its approach "
                              f"{plan.approach.spec.name!r} starts with a hold; the campaign "
                              "kernel needs a transfer first")
    density = density_table(Epoch(launch.tt_s - DAY_S), Epoch(plan.docking_epoch.tt_s + DAY_S),
                            float(target.i_rad))
    altitude_m, decay = lifetime_table(density, launch.tt_s)
    nominal = Nominal(
        launch_tt_s=float(launch.tt_s),
        insertion_tt_s=float(insertion.epoch.tt_s),
        insertion_r_m=np.asarray(insertion.r_m, dtype=float),
        insertion_v_mps=np.asarray(insertion.v_mps, dtype=float),
        station_tt_s=float(insertion.epoch.tt_s), station_r_m=r_s, station_v_mps=v_s,
        steps=tuple(plan.steps),
        aim_tt_s=float(plan.aim_epoch.tt_s),
        aim_lvlh_m=np.asarray(plan.aim_lvlh_m, dtype=float),
        approach_dv_mps=float(plan.approach.dv_total_mps - np.linalg.norm(first.dv_lvlh_mps)),
        approach_first_dv_lvlh_mps=np.asarray(first.dv_lvlh_mps, dtype=float),
        approach_first_to_lvlh_m=np.asarray(first.to_lvlh_m, dtype=float),
        approach_first_s=float(first.duration_s),
        approach_n_radps=float(argp_dot + mean_anomaly_dot),
        arrival_lvlh_mps=np.zeros(3),
        approach_duration_s=float(plan.approach.duration_s + plan.hold_s),  # with its hold
        approach_start_range_m=float(plan.approach.spec.start_range_m),
        insertion_burn_dv_mps=float(insertion_spec(plan.insertion_orbit).insertion_burn_dv_mps()),
        isp_s=vehicle.isp_s, propellant_kg=propellant_kg, mass_kg=mass_kg,
        autonomous_s=vehicle.autonomous_s,
        b_vehicle_m2pkg=vehicle.cd * vehicle.drag_area_m2 / mass_kg,
        b_station_m2pkg=_station_b_m2pkg(station_spec, catalog),
        density=density, lifetime_altitude_m=altitude_m, lifetime_s_times_b=decay,
        insertions=_Insertions(station, site, launch,
                               insertion_spec(plan.insertion_orbit), node_offset_rad,
                               np.asarray(insertion.r_m, dtype=float),
                               np.asarray(insertion.v_mps, dtype=float)),
    )
    no_drag = Dispersions.from_specs(["density_scale=uniform(0, 0)"]).draw(
        0, 0, 1, nominal.n_burns, nominal.n_targets)
    nominal = replace(nominal, arrival_lvlh_mps=planned_arrival_lvlh_mps(nominal, no_drag))
    about = {"program": program.name, "flight": flight.id, "vehicle": vehicle.name,
             "profile": profile.name, "launch_utc": launch.utc_iso(),
             "launch_note": launch_note,
             "planned_docking_utc": plan.docking_epoch.utc_iso(),
             "planned_dv_mps": float(plan.total_dv_mps)}
    return nominal, about


def run_batch(nominal: Nominal, seed: int, dispersions: Dispersions, first: int,
              count: int) -> dict[str, np.ndarray]:
    """Samples ``first .. first + count - 1``: their draws, the kernel, the table columns.

    Should the kernel raise, the samples are flown one by one and each that raises is recorded
    as ``failed`` with the error in ``failure``: one bad sample never stops a campaign.
    """
    draws = dispersions.draw(seed, first, count, nominal.n_burns, nominal.n_targets)
    failures = [None] * count
    try:
        outcomes = fly_batch(nominal, draws)
    except Exception:  # find the samples that raise, record why, go on
        rows = []
        for k in range(count):
            try:
                rows.append(fly_batch(nominal, Draws(*(values[k:k + 1] for values in draws))))
            except Exception as exc:  # recorded in the sample's row
                rows.append(Outcomes.failed(first + k))
                failures[k] = f"{type(exc).__name__}: {exc}"
        outcomes = Outcomes(*(np.concatenate(parts) for parts in zip(*rows, strict=True)))
    return columns(outcomes, draws.launch_slip_s, draws.density_scale, nominal.launch_tt_s,
                   failures)


def columns(
    outcomes: Outcomes, slip_s: np.ndarray, density_scale: np.ndarray, launch_tt_s: float,
    failures: list[str | None] | None = None,
) -> dict:
    """One row per sample (the columns of samples.parquet, documented in docs/campaign.md)."""
    return {
        "sample": outcomes.index.astype(np.int64),
        "outcome": np.array([OUTCOMES[int(code)] for code in outcomes.outcome], dtype=object),
        "docked": outcomes.docked,
        "docking_after_launch_s": outcomes.docking_tt_s - launch_tt_s,
        "dv_mps": outcomes.dv_mps,
        "propellant_margin_kg": outcomes.propellant_margin_kg,
        "consumables_margin_s": outcomes.consumables_margin_s,
        "aim_miss_m": outcomes.aim_miss_m,
        "reentry_after_launch_s": outcomes.reentry_tt_s - launch_tt_s,
        "launch_slip_s": np.asarray(slip_s, dtype=float),
        "density_scale": np.asarray(density_scale, dtype=float),
        "failure": np.array(failures or [None] * outcomes.index.size, dtype=object),
    }


def _write_parquet(path: Path, data: dict) -> None:
    """Write ``data`` as one Parquet file, atomically (temporary file, then os.replace)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    table = pa.table({name: _arrow_array(values) for name, values in data.items()})
    with storage_errors(path, KEPT), replacing(path) as temporary:
        pq.write_table(table, temporary)


def _arrow_array(values: np.ndarray):
    """``values`` (numbers, booleans, or strings and None) as an Arrow array built from its
    buffers: ``pyarrow.array`` imports pandas on its first call, 0.4-0.8 s of a campaign."""
    import pyarrow as pa

    values = np.asarray(values)
    if values.dtype == object:  # strings, None for null (the failure column is mostly None)
        valid = np.array([value is not None for value in values], dtype=bool)
        encoded = [value.encode() if value is not None else b"" for value in values]
        offsets = np.zeros(values.size + 1, dtype=np.int32)
        np.cumsum([len(text) for text in encoded], out=offsets[1:])
        validity = None if valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))
        return pa.Array.from_buffers(pa.string(), values.size, [
            validity, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))],
            null_count=int(values.size - valid.sum()))
    if values.dtype == bool:
        return pa.Array.from_buffers(pa.bool_(), values.size,
                                     [None, pa.py_buffer(np.packbits(values, bitorder="little"))])
    values = np.ascontiguousarray(values)
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), values.size,
                                 [None, pa.py_buffer(values)])


def _check_inputs(folder: Path, spec: CampaignSpec, resume: bool) -> None:
    inputs_path = folder / INPUTS_FILE
    parts = sorted((folder / "parts").glob("part-*.parquet"))
    if resume and inputs_path.exists():
        try:
            recorded = json_mapping(inputs_path)
        except ValueError as exc:
            raise ValueError(f"--resume: {inputs_path} does not hold a campaign's inputs "
                             f"(expected the JSON mapping this command writes: {exc}); use "
                             "another --out") from None
        if recorded != spec.inputs():
            changed = sorted(k for k in spec.inputs() if recorded.get(k) != spec.inputs()[k])
            raise ValueError(f"--resume: {folder} holds a campaign with other inputs "
                             f"({', '.join(changed)} differ); use another --out")
        return
    if parts and not resume:
        raise ValueError(f"{folder} already holds campaign parts; pass --resume to finish "
                         "that campaign or choose another --out")
    temporary = inputs_path.with_name(f".{INPUTS_FILE}.tmp")
    temporary.write_text(json.dumps(spec.inputs(), indent=2) + "\n")
    os.replace(temporary, inputs_path)


@dataclass(frozen=True)
class CampaignResult:
    folder: Path
    samples_path: Path
    store_path: Path
    report_path: Path
    summary: dict


def run_campaign(
    spec: CampaignSpec, out: str | os.PathLike, workers: int | None = None,
    scheduler: str | None = None, resume: bool = False,
    progress: Callable[[int], None] | None = None, prepared: tuple[Nominal, dict] | None = None,
    program: Program | None = None,
) -> CampaignResult:
    """Fly the campaign and write its folder (module doc); returns the paths and the summary.

    ``workers``: local worker processes (default: none up to :data:`IN_PROCESS_MAX_SAMPLES`
    samples, then one per core; 0 runs the batches in this process without Dask; the local
    cluster is started once per process and kept for later campaigns). ``scheduler``: address
    of an existing Dask scheduler (``tcp://host:8786``), used as it is. ``progress`` is called
    with each batch's sample count. ``prepared``: the result of :func:`prepare` for ``spec``,
    when already at hand.
    """
    if spec.dispersions.empty and spec.samples > 1:
        raise StationsimError(
            f"no dispersions: all {spec.samples} samples would fly the same undispersed plan; "
            "give --vary NAME=KIND(A, B) (e.g. 'launch_slip_s=normal(0, 600)', docs/campaign.md) "
            "or a campaign: section with vary, or --samples 1 for the nominal flight alone")
    folder = Path(out)
    with contextlib.ExitStack() as held:
        with storage_errors(folder):
            held.enter_context(folder_lock(folder))  # a second campaign here is refused
            clean_stale(folder)  # what a killed campaign left half-written
        return _run_locked(spec, folder, workers, scheduler, resume, progress, prepared, program)


def _run_locked(spec, folder, workers, scheduler, resume, progress, prepared,
                program) -> CampaignResult:
    from stationsim.campaign.report import write_report, write_summary_store

    (folder / "parts").mkdir(parents=True, exist_ok=True)
    _check_inputs(folder, spec, resume)
    nominal, about = prepared or prepare(spec, program)
    pending = [batch for batch in spec.batches()
               if not (folder / "parts" / PART_PATTERN.format(batch[0])).exists()]
    if progress is not None and len(pending) < len(spec.batches()):
        progress(spec.samples - sum(count for _, _, count in pending))

    def finished(number: int, count: int, data: dict) -> None:
        _write_parquet(folder / "parts" / PART_PATTERN.format(number), data)
        if progress is not None:
            progress(count)

    if workers is None and scheduler is None and spec.samples <= IN_PROCESS_MAX_SAMPLES:
        workers = 0
    if workers == 0 and scheduler is None:
        for group in _consecutive_groups(pending, IN_PROCESS_GROUP_SAMPLES):
            data = run_batch(nominal, spec.seed, spec.dispersions, group[0][1],
                             sum(count for _, _, count in group))
            for number, first, count in group:
                start = first - group[0][1]
                finished(number, count, {k: v[start:start + count] for k, v in data.items()})
    elif pending:
        _run_on_dask(nominal, spec, pending, workers, scheduler, finished)
    samples = _gather(folder, spec)
    samples_path = folder / "samples.parquet"
    _write_parquet(samples_path, samples)
    summary = summarise(samples, spec, about)
    with storage_errors(folder, KEPT):
        store_path = write_summary_store(folder / "campaign.duckdb", summary)
        report_path = write_report(folder / "report.html", samples, summary)
    return CampaignResult(folder, samples_path, store_path, report_path, summary)


def _run_on_dask(nominal, spec, pending, workers, scheduler, finished) -> None:
    from dask.distributed import Client, as_completed

    with contextlib.ExitStack() as stack:
        if scheduler is not None:
            client = stack.enter_context(Client(scheduler))
        else:
            client = _local_client(workers or os.cpu_count() or 1)
        shared = client.scatter(nominal, broadcast=True)
        futures = {}
        for number, first, count in pending:
            future = client.submit(run_batch, shared, spec.seed, spec.dispersions, first, count,
                                   pure=False)
            futures[future] = (number, count)
        for future in as_completed(futures):
            number, count = futures[future]
            finished(number, count, future.result())


def _consecutive_groups(batches, max_samples: int) -> list[list[tuple[int, int, int]]]:
    """``batches`` (number, first, count) cut into runs of consecutive samples of at most
    ``max_samples`` (a single larger batch stays whole)."""
    groups: list[list[tuple[int, int, int]]] = []
    for batch in batches:
        last = groups[-1] if groups else None
        if (last and last[-1][1] + last[-1][2] == batch[1]
                and sum(count for _, _, count in last) + batch[2] <= max_samples):
            last.append(batch)
        else:
            groups.append([batch])
    return groups


_LOCAL_CLIENTS: dict = {}  # worker count -> the Client of this process's local cluster


def _local_client(workers: int):
    """The Client of a local cluster of ``workers`` processes, started on first use and kept
    for the rest of the process (closed at exit)."""
    if workers not in _LOCAL_CLIENTS:
        import atexit

        import dask
        from dask.distributed import Client, LocalCluster

        # no statistical profiler in the workers: it walks the task's stack every 10 ms, a
        # tenth of a whole-program sample's CPU time, for a dashboard page nobody reads here
        with dask.config.set({"distributed.worker.profile.enabled": False}):
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=40)
        client = Client(cluster)
        atexit.register(cluster.close)
        atexit.register(client.close)
        _LOCAL_CLIENTS[workers] = client
    return _LOCAL_CLIENTS[workers]


def _gather(folder: Path, spec: CampaignSpec) -> dict[str, np.ndarray]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    parts = [folder / "parts" / PART_PATTERN.format(number) for number, _, _ in spec.batches()]
    try:
        tables = []
        for part in parts:
            tables.append(pq.ParquetFile(part).read())
        table = pa.concat_tables(tables)
    except (pa.ArrowException, OSError) as exc:
        where = parts[len(tables)] if len(tables) < len(parts) else folder / "parts"
        raise ValueError(f"{where}: a damaged campaign part ({exc}); delete it and run again "
                         "with --resume to fly its samples anew") from None
    data = {name: _numpy_array(table.column(name).combine_chunks())
            for name in table.column_names}
    order = np.argsort(data["sample"], kind="stable")
    if not np.array_equal(data["sample"][order], np.arange(spec.samples)):
        raise ValueError(f"{folder}: the parts do not hold samples 0..{spec.samples - 1} once each")
    return {name: values[order] for name, values in data.items()}


def _numpy_array(array) -> np.ndarray:
    """An Arrow array of :func:`_arrow_array`'s kinds as NumPy, read from its buffers (Arrow's
    ``to_numpy`` imports pandas on its first call)."""
    import pyarrow as pa

    if pa.types.is_string(array.type):
        return np.array(array.to_pylist(), dtype=object)
    if array.null_count:
        raise ValueError(f"unexpected nulls in a {array.type} column")
    end = array.offset + len(array)
    if pa.types.is_boolean(array.type):
        bits = np.unpackbits(np.frombuffer(array.buffers()[1], dtype=np.uint8), bitorder="little")
        return bits[array.offset:end].astype(bool)
    return np.frombuffer(array.buffers()[1], dtype=array.type.to_pandas_dtype(),
                         count=end)[array.offset:]


def wilson_interval(
    successes: int,
    trials: int,
    z: float = 1.959963984540054,
) -> tuple[float, float]:
    """Wilson score interval of a binomial proportion (Wilson, JASA 22, 1927), 95 % by default."""
    if trials <= 0:
        return math.nan, math.nan
    p = successes / trials
    denominator = 1.0 + z * z / trials
    centre = (p + z * z / (2.0 * trials)) / denominator
    half = z * math.sqrt(p * (1.0 - p) / trials + z * z / (4.0 * trials * trials)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def summarise(samples: dict, spec: CampaignSpec, about: dict) -> dict:
    """Success rate with its Wilson interval, and percentiles of the outcomes."""
    docked = np.asarray(samples["docked"], dtype=bool)
    low, high = wilson_interval(int(docked.sum()), docked.size)

    def percentile(name: str, q: float) -> float:
        values = np.asarray(samples[name], dtype=float)[docked]
        return float(np.percentile(values, q)) if values.size else math.nan

    outcomes, counts = np.unique(samples["outcome"].astype(str), return_counts=True)
    varied = spec.dispersions.texts()
    if spec.dispersions.insertion_covariance_lvlh is not None:
        sigmas = np.sqrt(np.diag(spec.dispersions.insertion_covariance_lvlh))
        varied.append("insertion covariance in LVLH, sigmas " + ", ".join(f"{x:g}" for x in sigmas))
    return {
        **about, "seed": spec.seed, "samples": spec.samples, "vary": "; ".join(varied),
        "docked": int(docked.sum()), "success_rate": float(docked.mean()),
        "success_low": low, "success_high": high,
        "dv_mps_p50": percentile("dv_mps", 50.0), "dv_mps_p99": percentile("dv_mps", 99.0),
        "propellant_margin_kg_p01": percentile("propellant_margin_kg", 1.0),
        "docking_after_launch_s_p50": percentile("docking_after_launch_s", 50.0),
        "outcomes": dict(zip(outcomes.tolist(), counts.tolist(), strict=True)),
    }
