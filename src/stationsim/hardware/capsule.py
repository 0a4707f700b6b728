"""Capsules that come home through the atmosphere: their entry aerodynamics and parachutes,
read from the bundled ``catalog/capsules.yaml`` (each entry with its source)."""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cache

from stationsim.astro.constants import KM
from stationsim.astro.entry import EntryVehicle, Parachute
from stationsim.hardware.catalog import read_bundled_yaml


@dataclass(frozen=True)
class Capsule:
    """A capsule: mass at entry (kg), heat-shield diameter (m), hypersonic Cd, trim L/D and
    parachutes ((name, deployment altitude m, Cd*S m^2), highest first)."""

    name: str
    display_name: str
    mass_kg: float
    diameter_m: float
    cd: float
    lift_to_drag: float
    parachutes: tuple[Parachute, ...]
    source: str
    notes: str = ""

    @property
    def area_m2(self) -> float:
        return math.pi * self.diameter_m**2 / 4.0

    def entry_vehicle(self) -> EntryVehicle:
        return EntryVehicle(self.mass_kg, self.area_m2, self.cd, self.lift_to_drag,
                            self.parachutes)


@cache
def capsule_catalog() -> dict[str, Capsule]:
    """The bundled capsules by id (cached)."""
    capsules = {}
    for key, entry in read_bundled_yaml("capsules.yaml").items():
        chutes = tuple(Parachute(p["name"], float(p["altitude_km"]) * KM,
                                 float(p["cd_area_m2"])) for p in entry.get("parachutes") or ())
        capsules[key] = Capsule(key, entry["display_name"], float(entry["mass_kg"]),
                                float(entry["diameter_m"]), float(entry["cd"]),
                                float(entry.get("lift_to_drag", 0.0)), chutes,
                                " ".join(str(entry["source"]).split()),
                                " ".join(str(entry.get("notes", "")).split()))
        capsules[key].entry_vehicle()  # checks the values
    return capsules
