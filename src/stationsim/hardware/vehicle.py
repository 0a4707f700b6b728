"""Vehicles that fly to stations: crew and cargo ships, orbiters, and the early satellites.

Masses in kg, thrust in N, Isp in s. A vehicle's docking port sits, by default, at the forward
end of its body cylinder (+x, outward along +x); the Shuttle's ODS is placed in the payload bay.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import DAY_S, G0_MPS2
from stationsim.hardware.mechanisms import MECHANISMS
from stationsim.hardware.module import require_positive, require_unit_vector

_FLOAT_FIELDS = (
    "dry_mass_kg", "propellant_mass_kg", "isp_s", "thrust_n", "cargo_capacity_kg",
    "drag_area_m2", "cd", "autonomous_days", "length_m", "diameter_m", "pressurized_volume_m3",
    "habitable_volume_m3",
)


@dataclass(frozen=True)
class VehicleType:
    """A kind of vehicle; its body is a solid cylinder of ``length_m`` x ``diameter_m``.

    ``dry_mass_kg`` excludes the propellant of its own manoeuvring system
    (``propellant_mass_kg``) but includes crew and a typical load; ``drag_area_m2`` and ``cd``
    are for free flight; ``autonomous_days`` is the free-flight endurance; volumes in m^3 (counted
    in a station's volume only when asked).
    """

    name: str
    display_name: str
    dry_mass_kg: float
    propellant_mass_kg: float
    isp_s: float
    thrust_n: float
    seats: int
    cargo_capacity_kg: float
    mechanisms: tuple[str, ...]
    drag_area_m2: float
    cd: float
    autonomous_days: float
    default_profile: str
    launch_vehicle: str
    source: str
    notes: str = ""
    length_m: float = 1.0
    diameter_m: float = 1.0
    pressurized_volume_m3: float = 0.0
    habitable_volume_m3: float = 0.0
    port_position_m: tuple[float, float, float] | None = None
    port_axis: tuple[float, float, float] = (1.0, 0.0, 0.0)

    def __post_init__(self):
        for name in _FLOAT_FIELDS:
            object.__setattr__(self, name, float(getattr(self, name)))
        for name in ("dry_mass_kg", "drag_area_m2", "cd", "length_m", "diameter_m"):
            require_positive(f"vehicle {self.name!r}: {name}", getattr(self, name))
        for name in ("propellant_mass_kg", "isp_s", "thrust_n", "cargo_capacity_kg",
                     "autonomous_days", "seats", "pressurized_volume_m3", "habitable_volume_m3"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0):
                raise ValueError(f"vehicle {self.name!r}: {name}={value!r} must be >= 0")
        object.__setattr__(self, "mechanisms", tuple(self.mechanisms))
        for mechanism in self.mechanisms:
            if mechanism not in MECHANISMS:
                raise ValueError(
                    f"vehicle {self.name!r}: mechanism={mechanism!r} is not one of "
                    f"{', '.join(MECHANISMS)}"
                )
        position_m = self.port_position_m
        if position_m is None:
            position_m = (self.length_m / 2.0, 0.0, 0.0)
        object.__setattr__(self, "port_position_m", tuple(float(x) for x in position_m))
        port_axis = require_unit_vector(f"vehicle {self.name!r} port_axis", self.port_axis)
        object.__setattr__(self, "port_axis", port_axis)

    @property
    def wet_mass_kg(self) -> float:
        """Dry mass plus a full load of propellant, kg."""
        return self.dry_mass_kg + self.propellant_mass_kg

    @property
    def autonomous_s(self) -> float:
        """Free-flight endurance in seconds."""
        return self.autonomous_days * DAY_S

    def propellant_for_dv_kg(self, dv_mps: ArrayLike, mass_kg: ArrayLike) -> Any:
        """Propellant (kg) to give ``dv_mps`` to a vehicle of initial mass ``mass_kg``.

        Tsiolkovsky rocket equation, m_p = m0 (1 - exp(-dv / (Isp g0))), impulsive burn with
        this vehicle's Isp; accepts scalars or arrays (broadcast).
        """
        if self.isp_s <= 0.0:
            raise ValueError(f"vehicle {self.name!r} has no propulsion (isp_s={self.isp_s})")
        dv_mps = np.asarray(dv_mps, dtype=float)
        mass_kg = np.asarray(mass_kg, dtype=float)
        if not np.all(np.isfinite(dv_mps) & (dv_mps >= 0.0)):
            raise ValueError(f"dv_mps={dv_mps!r} must be finite and >= 0")
        if not np.all(np.isfinite(mass_kg) & (mass_kg > 0.0)):
            raise ValueError(f"mass_kg={mass_kg!r} must be finite and > 0")
        propellant_kg = mass_kg * -np.expm1(-dv_mps / (self.isp_s * G0_MPS2))
        return propellant_kg if propellant_kg.ndim else float(propellant_kg)
