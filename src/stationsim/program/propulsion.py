"""Burns of a station's propulsion: who burns (a docked vehicle or a module on the station's
tanks), how much propellant a burn takes, and a Hohmann reboost as high as the propellant
allows."""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
from simpy.events import ProcessGenerator

from stationsim.astro.constants import G0_MPS2, R_EARTH_M
from stationsim.astro.maneuvers import apply_impulse_vnb, hohmann
from stationsim.program.state import Maneuver, SimState
from stationsim.program.station import StationRuntime, advance, orbit_changed, snapshot

if TYPE_CHECKING:
    from stationsim.astro.propagate import OrbitState
    from stationsim.hardware.module import ModuleType
    from stationsim.hardware.vehicle import VehicleType

# Modules that fly themselves (the 77K modules, Zarya) use FGB propulsion on UDMH/N2O4; its
# Isp is taken as the Progress M's (same propellants and engine class) for their rendezvous.
MODULE_PROPULSION_LIKE = "progress-m"


def burner(
    state: SimState,
    runtime: StationRuntime,
    wanted: str | None,
    station_tanks: bool = False,
) -> tuple[str | None, ModuleType | VehicleType | None]:
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
            return wanted_name, state.catalog.vehicle(MODULE_PROPULSION_LIKE)
    return None, None


def reboost(
    state: SimState, runtime: StationRuntime, target_m: float | None, dv_mps: float | None,
    by: str | None,
) -> ProcessGenerator:
    """Raise the orbit: Hohmann to ``target_m`` mean altitude, or one burn of ``dv_mps``."""
    name, vehicle = burner(state, runtime, by)
    if vehicle is None:
        if not runtime.reboost_starved:
            state.warn(f"{runtime.id} needs a reboost but nothing able to burn has propellant "
                       "(warned once)")
            state.log("reboost", station=runtime.id, detail="skipped: no propellant")
        runtime.reboost_starved = True
        return
    runtime.reboost_starved = False
    orbit_state = advance(state, runtime)
    r_m = float(np.linalg.norm(orbit_state.r_m))
    if dv_mps is not None:
        burns, coast_s = [dv_mps], 0.0
    else:
        # as high as the propellant allows both burns (the Hohmann delta-v grows about
        # linearly with the height gained): never a raised apogee left uncircularised
        available_kg = runtime.propellant_kg.get(name, runtime.station_propellant_kg)
        mass_kg = runtime.mass_kg()
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
            yield state.env.timeout(coast_s)
            orbit_state = advance(state, runtime)
            if name not in runtime.graph:  # the burner undocked during the coast
                name, vehicle = burner(state, runtime, by)
                if vehicle is None:
                    state.log("reboost", station=runtime.id,
                              detail=f"reboost-{k + 1} skipped: its burner left")
                    break
        burn(state, runtime, name, vehicle, orbit_state, burn_mps, f"reboost-{k + 1}")
    snapshot(state, runtime)


def burn(
    state: SimState, runtime: StationRuntime, name: str, vehicle: ModuleType | VehicleType,
    orbit_state: OrbitState, dv_mps: float, label: str, station_tanks: bool = False,
) -> None:
    """Fire ``name``'s engines along (or against) the velocity, limited by its propellant
    (a docked vehicle's own, then with ``station_tanks`` the station's)."""
    is_vehicle = name in runtime.propellant_kg
    own_kg = runtime.propellant_kg[name] if is_vehicle else runtime.station_propellant_kg
    shared_kg = runtime.station_propellant_kg if is_vehicle and station_tanks else 0.0
    needed_kg = float(vehicle.propellant_for_dv_kg(abs(dv_mps), runtime.mass_kg()))
    used_own_kg = min(needed_kg, own_kg)
    used_shared_kg = min(needed_kg - used_own_kg, shared_kg)
    used_kg = used_own_kg + used_shared_kg
    done_mps = dv_mps * used_kg / needed_kg if needed_kg > 0 else 0.0
    if label.startswith("reboost"):  # a campaign's execution error (RunOptions)
        done_mps *= 1.0 + state.burn_error_frac()
    if is_vehicle:
        runtime.propellant_kg[name] -= used_own_kg
        runtime.graph.set_mass(name, runtime.graph.item(name).mass_kg - used_own_kg)
        runtime.station_propellant_kg -= used_shared_kg
    else:
        runtime.station_propellant_kg -= used_own_kg
    _, v_new = apply_impulse_vnb(orbit_state.r_m, orbit_state.v_mps, [done_mps, 0.0, 0.0])
    runtime.orbit.apply_dv(v_new - orbit_state.v_mps)
    orbit_changed(runtime)
    state.maneuvers.append(Maneuver(state.env.now, None, name, label, abs(done_mps), used_kg))
    state.log(
        "reboost" if label.startswith("reboost") else "burn",
        station=runtime.id,
        detail=f"{label}: {done_mps:+.2f} m/s by {name}",
    )
