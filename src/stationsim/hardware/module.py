"""Station modules and their ports (SI units, positions in the module's own frame).

The module frame has its origin at the module's geometric centre and +x along its long axis
(toward the end called ``forward`` where there is one). A port's ``axis`` is the outward unit
normal of its docking plane; two mated ports face each other (axes opposite). A port may also
carry a ``clock``: a unit vector in its plane; where both mated ports have one, the joined
module is rolled about the port axis so that the two clocks coincide (the ISS truss runs
port-starboard across Destiny's zenith, not along it).

Solar arrays and radiators are flat panels carried by a module (``solar_array_area_m2``,
``radiator_area_m2``, one face, m^2); their mass is in the module's, their drag depends on
the station's attitude (:mod:`stationsim.hardware.station`).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

from stationsim.hardware.mechanisms import MECHANISMS

ROLES = ("active", "passive", "androgynous")


def require_unit_vector(name: str, value: Sequence[float]) -> tuple[float, float, float]:
    vector = tuple(float(x) for x in value)
    norm = math.sqrt(sum(x * x for x in vector))
    if len(vector) != 3 or not math.isfinite(norm) or abs(norm - 1.0) > 1e-6:
        raise ValueError(f"{name}={value!r} must be a unit 3-vector")
    return vector


def require_positive(name: str, value: float) -> None:
    if not (math.isfinite(value) and value > 0.0):
        raise ValueError(f"{name}={value!r} must be a positive finite number")


@dataclass(frozen=True)
class PortSpec:
    """A docking or berthing port: position (m) and outward axis in the module frame."""

    name: str
    position_m: tuple[float, float, float]
    axis: tuple[float, float, float]
    mechanism: str
    role: str
    clock: tuple[float, float, float] | None = None

    def __post_init__(self):
        if self.clock is not None:
            clock = require_unit_vector(f"port {self.name!r} clock", self.clock)
            if abs(sum(c * a for c, a in zip(clock, self.axis, strict=True))) > 1e-6:
                raise ValueError(f"port {self.name!r}: clock={self.clock!r} must be "
                                 f"perpendicular to axis={self.axis!r}")
            object.__setattr__(self, "clock", clock)
        position_m = tuple(float(x) for x in self.position_m)
        if len(position_m) != 3 or not all(math.isfinite(x) for x in position_m):
            raise ValueError(f"port {self.name!r}: position_m={self.position_m!r} must be 3 finite")
        object.__setattr__(self, "position_m", position_m)
        object.__setattr__(self, "axis", require_unit_vector(f"port {self.name!r} axis", self.axis))
        if self.mechanism not in MECHANISMS:
            raise ValueError(
                f"port {self.name!r}: mechanism={self.mechanism!r} is not one of "
                f"{', '.join(MECHANISMS)}"
            )
        if self.role not in ROLES:
            raise ValueError(f"port {self.name!r}: role={self.role!r} must be one of {ROLES}")


_PANEL_FIELDS = ("stowage_m3", "solar_array_area_m2", "radiator_area_m2")
TANK_RESOURCES = ("propellant", "water", "o2")  # what a module's tanks may hold


def tumbling_area_m2(length_m: float, diameter_m: float) -> float:
    """Mean projected area (m^2) of a closed cylinder tumbling at random: its surface / 4
    (Cauchy's formula for convex bodies)."""
    radius_m = diameter_m / 2.0
    return (2.0 * math.pi * radius_m * length_m + 2.0 * math.pi * radius_m**2) / 4.0


@dataclass(frozen=True)
class ModuleType:
    """A kind of station module (or adapter), modelled as a uniform solid cylinder.

    ``mass_kg`` is the on-orbit mass of the module as attached; volumes in m^3 (habitable is the
    free volume for the crew, 0 where no figure is published and the module is not lived in);
    ``stowage_m3`` is the part of the pressurised volume given to stowage; solar array and
    radiator areas are one face of the panels the module carries, m^2 (0: none); ``tanks_kg``
    is what its tanks hold when full, kg by resource (:data:`TANK_RESOURCES`).
    """

    name: str
    display_name: str
    mass_kg: float
    pressurized_volume_m3: float
    habitable_volume_m3: float
    length_m: float
    diameter_m: float
    ports: dict[str, PortSpec] = field(default_factory=dict)
    adapter: bool = False
    source: str = ""
    notes: str = ""
    stowage_m3: float = 0.0
    solar_array_area_m2: float = 0.0
    radiator_area_m2: float = 0.0
    tanks_kg: dict[str, float] = field(default_factory=dict, hash=False)

    def __post_init__(self):
        for name in ("mass_kg", "pressurized_volume_m3", "habitable_volume_m3", "length_m",
                     "diameter_m", *_PANEL_FIELDS):
            object.__setattr__(self, name, float(getattr(self, name)))
        for name in ("mass_kg", "length_m", "diameter_m"):
            require_positive(f"module {self.name!r}: {name}", getattr(self, name))
        for name in ("pressurized_volume_m3", "habitable_volume_m3", *_PANEL_FIELDS):
            value = getattr(self, name)
            if not (math.isfinite(value) and value >= 0.0):
                raise ValueError(f"module {self.name!r}: {name}={value!r} must be >= 0")
        for resource, kg in self.tanks_kg.items():
            if resource not in TANK_RESOURCES or not (math.isfinite(kg) and kg >= 0.0):
                raise ValueError(f"module {self.name!r}: tanks_kg[{resource!r}]={kg!r} must be "
                                 f">= 0 kg of one of {', '.join(TANK_RESOURCES)}")
        for key, port in self.ports.items():
            if key != port.name:
                raise ValueError(f"module {self.name!r}: port key {key!r} != name {port.name!r}")

    @property
    def panel_area_m2(self) -> float:
        """Solar array plus radiator area, one face, m^2."""
        return self.solar_array_area_m2 + self.radiator_area_m2

    def port(self, name: str) -> PortSpec:
        """The port called ``name``; ValueError listing the ports if there is none."""
        try:
            return self.ports[name]
        except KeyError:
            raise ValueError(
                f"module {self.name!r} has no port {name!r}; ports: {', '.join(self.ports)}"
            ) from None
