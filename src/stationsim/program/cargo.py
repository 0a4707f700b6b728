"""A visiting vehicle's cargo, counted once: in the vehicle's mass as it docks, then in the
station's stocks, tanks and stowage as it is unloaded (each up to what the station can hold),
and in what the vehicle takes away when it leaves.

The catalog's dry mass of a cargo ship includes a full load (vehicles.yaml: "cargo ships:
with cargo"; Progress-M 6,420 kg of 7,300 kg with its 2,500 kg of cargo), so the empty ship
is that less its cargo capacity and the program's manifest is added once. What is unloaded
into stowage or a store the station bounds moves from the vehicle's mass to the station's
(:meth:`StationRuntime.stores_kg`); what the crew use and the engines burn leaves it there. A
vehicle leaving takes the dry cargo its flight writes as ``return_kg``; a cargo ship that
writes none is loaded with rubbish as heavy as the dry cargo it brought (a Progress leaves
"loaded with trash and other items no longer needed", NASA, as quoted at
https://spacefellowship.com/news/art51214/russian-cargo-craft-departs-space-station.html; the
like-for-like load is this model's assumption).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from stationsim.program.state import SimState
from stationsim.program.station import StationRuntime

if TYPE_CHECKING:
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.scenario.schema import Flight


def empty_mass_kg(vehicle: VehicleType) -> float:
    """The vehicle without its own propellant and without cargo."""
    return vehicle.dry_mass_kg - (vehicle.cargo_capacity_kg if vehicle.seats == 0 else 0.0)


def docked_mass_kg(vehicle: VehicleType, propellant_used_kg: float, cargo_kg: float) -> float:
    """Mass at docking: empty, its own propellant left, and the manifest's cargo."""
    own_kg = max(vehicle.propellant_mass_kg - propellant_used_kg, 0.0)
    return empty_mass_kg(vehicle) + own_kg + cargo_kg


def unload(state: SimState, runtime: StationRuntime, flight: Flight, vehicle: VehicleType) -> None:
    """Move the manifest's consumables into the station's stocks, its propellant into the
    station's tanks (up to their capacity) and its dry cargo into stowage; what does not fit
    stays aboard (a warning), propellant in the vehicle's tanks for its own burns ("fuel and
    oxidizer from Progress tanks are also utilized for reboosting ISS by Progress",
    https://satprnews.com/2021/01/21/progress-ms-launched/). A manifest beyond the vehicle's
    cargo capacity is noted in the log."""
    cargo = flight.cargo
    if vehicle is not None and 0.0 < vehicle.cargo_capacity_kg < cargo.total_kg:
        state.log("cargo", flight.id, runtime.id, detail=(
            f"{cargo.total_kg:.0f} kg of cargo, beyond the {vehicle.cargo_capacity_kg:.0f} kg "
            "the catalog gives its type"))
    delivered = {"o2": cargo.o2_kg, "water": cargo.water_kg, "food": cargo.food_kg}
    refused = runtime.ledger.deliver(state.env.now, delivered)
    room_kg = max(runtime.propellant_capacity_kg - runtime.station_propellant_kg, 0.0)
    taken_kg = min(cargo.propellant_kg, room_kg)
    runtime.station_propellant_kg += taken_kg
    if taken_kg < cargo.propellant_kg:
        refused["propellant"] = cargo.propellant_kg - taken_kg
        if flight.id in runtime.propellant_kg:  # left in its tanks, for its own reboosts
            runtime.propellant_kg[flight.id] += refused["propellant"]
    runtime.stowed_kg += cargo.dry_kg
    if vehicle is not None and flight.id in runtime.graph:
        # what went into a store the station's mass counts leaves the ship's mass; what went
        # into an unbounded one stays counted with the ship until it leaves (stores_kg)
        moved_kg = cargo.dry_kg + sum(kg - refused.get(resource, 0.0)
                                      for resource, kg in delivered.items()
                                      if resource in runtime.ledger.capacity_kg)
        if runtime.propellant_capacity_kg < float("inf"):
            moved_kg += taken_kg
        runtime.graph.set_mass(flight.id, runtime.graph.item(flight.id).mass_kg - moved_kg)
    if refused:
        text = ", ".join(f"{resource} {kg:.0f} kg" for resource, kg in refused.items())
        state.log("cargo", flight.id, runtime.id, detail=f"no room aboard for {text}: it "
                                                         "stays on the vehicle")
        state.warn(f"{flight.id}: no room aboard {runtime.id} for {text}")


def load_return(runtime: StationRuntime, flight: Flight, vehicle: VehicleType) -> None:
    """Before ``flight``'s vehicle undocks: move what it takes away out of the station's
    stowage into the vehicle (never more than is stowed)."""
    wanted_kg = flight.cargo.return_kg
    if wanted_kg is None:
        wanted_kg = flight.cargo.dry_kg if vehicle.seats == 0 else 0.0
    moved_kg = min(wanted_kg, runtime.stowed_kg)
    runtime.stowed_kg -= moved_kg
    if moved_kg > 0.0:
        runtime.graph.set_mass(flight.id, runtime.graph.item(flight.id).mass_kg + moved_kg)
