"""A station as an assembly graph: modules joined port to port, with vehicles docked to them.

Items (modules and vehicles) have instance names; a port is written ``"module.port"`` with the
module's instance name (the root's instance name is its type name unless given). Attaching
checks that the port exists, is free, that the mechanisms mate (:mod:`mechanisms`), that roles
differ where they must, and that berthing has an arm. Times ``t_s``/``until_s`` are TT seconds
since J2000 (the engine clock), shown in UTC in messages.

Geometry: every module and vehicle is a uniform solid cylinder along its own +x axis, centred at
its frame origin. Poses are found by walking the graph from the root (whose frame is the
station frame): a child is turned by the smallest rotation that makes its mating port face the
parent's port, and moved so the two ports coincide; roll about the port axis is modelled only
where both ports carry a ``clock`` (the truss segments), and overlapping cylinders (radial
modules at Mir's node) both keep their mass. Solar arrays and radiators are flat panels whose
frontal area depends on the attitude they are held in (:data:`PANEL_ATTITUDES`).

The station is mutable; :meth:`Station.copy` gives an independent snapshot.

>>> from stationsim.hardware import load_catalog
>>> catalog = load_catalog()
>>> mir = Station(catalog.module("mir-core"))
>>> mir.attach("soyuz-tm-21", catalog.vehicle("soyuz-tm"), at="mir-core.forward").at
'mir-core.forward'
>>> mir.docked_vehicles()
['soyuz-tm-21']
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.time import Epoch
from stationsim.errors import DockingError
from stationsim.hardware.mechanisms import (
    MECHANISMS,
    compatible,
    partners,
    requires_arm,
    roles_mate,
)
from stationsim.hardware.module import ModuleType, PortSpec
from stationsim.hardware.vehicle import VehicleType


@dataclass(frozen=True)
class Attachment:
    """One item on the station: where it is attached, by which of its ports, when, how heavy.

    ``parent``/``parent_port`` are None for the root. ``via_port`` is the item's own port name
    (modules) or the mechanism id used (vehicles). ``mass_kg`` is the item's current mass.
    """

    name: str
    item: ModuleType | VehicleType
    parent: str | None
    parent_port: str | None
    via_port: str | None
    t_s: float | None
    until_s: float | None
    mass_kg: float

    @property
    def is_vehicle(self) -> bool:
        return isinstance(self.item, VehicleType)

    @property
    def at(self) -> str | None:
        """The station port it is attached to, ``"module.port"``."""
        return None if self.parent is None else f"{self.parent}.{self.parent_port}"


def _utc_text(t_s: float) -> str:
    return Epoch(t_s).utc_iso(decimals=0)


def _mating_ports(item: ModuleType | VehicleType, via_port: str | None) -> list[PortSpec]:
    """The ports of ``item`` that could mate, optionally only ``via_port``.

    A vehicle's port is at its ``port_position_m``/``port_axis``, one per mechanism it carries,
    with the mechanism's default role; ``via_port`` then names the mechanism.
    """
    if isinstance(item, ModuleType):
        ports = list(item.ports.values())
    else:
        ports = [
            PortSpec(m, item.port_position_m, item.port_axis, m, MECHANISMS[m].default_role)
            for m in item.mechanisms
        ]
    if via_port is None:
        return ports
    chosen = [p for p in ports if p.name == via_port]
    if not chosen:
        raise DockingError(
            f"{item.name!r} has no port {via_port!r}; it has: "
            f"{', '.join(p.name for p in ports) or 'none'}"
        )
    return chosen


def _mismatch(station_port: PortSpec, item_name: str, own_ports: list[PortSpec]) -> str:
    """Why none of ``own_ports`` mates with ``station_port``, in one clause."""
    if not own_ports:
        return f"{item_name!r} has no free port"
    if not any(compatible(station_port.mechanism, p.mechanism) for p in own_ports):
        return (
            f"{station_port.mechanism} mates only with "
            f"{', '.join(partners(station_port.mechanism))}, and {item_name!r} has "
            f"{', '.join(p.mechanism for p in own_ports)}"
        )
    clash = next(p for p in own_ports if compatible(station_port.mechanism, p.mechanism))
    return f"both {clash.mechanism} halves are {clash.role}"


def _mates(port: PortSpec, other: PortSpec) -> bool:
    return compatible(port.mechanism, other.mechanism) and roles_mate(port.role, other.role)


def _rotation_between(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """Smallest rotation matrix taking unit vector ``u`` onto unit vector ``v`` (Rodrigues)."""
    cross = np.cross(u, v)
    cos_angle = float(np.dot(u, v))
    if cos_angle < -1.0 + 1e-12:  # opposite: half turn about any axis perpendicular to u
        helper = np.array([1.0, 0.0, 0.0]) if abs(u[0]) < 0.9 else np.array([0.0, 1.0, 0.0])
        axis = np.cross(u, helper)
        axis /= np.linalg.norm(axis)
        return 2.0 * np.outer(axis, axis) - np.eye(3)
    skew = np.array(
        [[0.0, -cross[2], cross[1]], [cross[2], 0.0, -cross[0]], [-cross[1], cross[0], 0.0]]
    )
    return np.eye(3) + skew + skew @ skew / (1.0 + cos_angle)


PANEL_ATTITUDES = {"sun-tracking": 2.0 / math.pi, "edge-on": 0.0, "face-on": 1.0}
"""Mean fraction of a flat panel's face area seen by the flow, by how the panels are held.
``sun-tracking`` (the default: ISS arrays on their alpha and beta gimbals): the panel's normal
points at the Sun while the velocity turns once an orbit in the orbit plane, so with the Sun in
that plane (beta = 0) the mean of |cos| is 2/pi; a beta angle b scales it by cos(b), so 2/pi is
the upper end. ``edge-on``: feathered into the flow (the ISS 'night glider' mode, Tsuchiya et
al., ISS drag reduction, AIAA 2007); ``face-on``: across the flow."""


def _roll_to_clock(rotation: np.ndarray, own: PortSpec, parent_clock: np.ndarray,
                   port_axis: np.ndarray) -> np.ndarray:
    """``rotation`` followed by the turn about ``port_axis`` that takes the item's clock onto
    the parent port's (both in the station frame; the port axis is their common normal)."""
    own_clock = rotation @ np.array(own.clock)
    angle_rad = math.atan2(float(np.dot(port_axis, np.cross(own_clock, parent_clock))),
                           float(np.dot(own_clock, parent_clock)))
    cos_a, sin_a = math.cos(angle_rad), math.sin(angle_rad)
    k = np.array([[0.0, -port_axis[2], port_axis[1]], [port_axis[2], 0.0, -port_axis[0]],
                  [-port_axis[1], port_axis[0], 0.0]])
    roll = np.eye(3) + sin_a * k + (1.0 - cos_a) * k @ k  # Rodrigues
    return roll @ rotation


def cylinder_inertia_kgm2(mass_kg: float, length_m: float, radius_m: float) -> np.ndarray:
    """Inertia tensor (kg m^2) of a uniform solid cylinder about its centre, axis along x.

    I_xx = m r^2 / 2, I_yy = I_zz = m (3 r^2 + L^2) / 12 (any mechanics text, e.g. Meriam &
    Kraige, Engineering Mechanics: Dynamics, Table D/4).
    """
    transverse = mass_kg * (3.0 * radius_m**2 + length_m**2) / 12.0
    return np.diag([mass_kg * radius_m**2 / 2.0, transverse, transverse])


def projected_area_m2(
    centres_m: ArrayLike, axes: ArrayLike, lengths_m: ArrayLike, radii_m: ArrayLike,
    direction: ArrayLike, resolution_m: float,
) -> float:
    """Area (m^2) of the union of cylinders' shadows on the plane normal to ``direction``.

    Cylinders: (N, 3) centres, (N, 3) unit axes, (N,) lengths and radii. Each shadow is the
    convex hull of its two end-disc ellipses; the union is rasterised on a square grid of
    ``resolution_m`` pixels, so the error is about perimeter x resolution / 2.
    """
    centres_m = np.atleast_2d(np.asarray(centres_m, dtype=float))
    axes = np.atleast_2d(np.asarray(axes, dtype=float))
    lengths_m = np.atleast_1d(np.asarray(lengths_m, dtype=float))
    radii_m = np.atleast_1d(np.asarray(radii_m, dtype=float))
    direction = np.asarray(direction, dtype=float)
    norm = np.linalg.norm(direction)
    if direction.shape != (3,) or not np.isfinite(norm) or norm == 0.0:
        raise ValueError(f"direction={direction!r} must be a non-zero 3-vector")
    if not (math.isfinite(resolution_m) and resolution_m > 0.0):
        raise ValueError(f"resolution_m={resolution_m!r} must be > 0")
    direction = direction / norm
    basis_1 = np.cross(direction, [1.0, 0.0, 0.0] if abs(direction[0]) < 0.9 else [0.0, 1.0, 0.0])
    basis_1 /= np.linalg.norm(basis_1)
    basis_2 = np.cross(direction, basis_1)
    plane = np.stack([basis_1, basis_2])  # (2, 3)
    centres_2d = centres_m @ plane.T  # (N, 2)
    axes_2d = axes @ plane.T  # projected axes, length sin(theta)
    half_extent = lengths_m / 2.0 * np.linalg.norm(axes_2d, axis=1) + radii_m
    low = (centres_2d - half_extent[:, None]).min(axis=0)
    high = (centres_2d + half_extent[:, None]).max(axis=0)
    u = np.arange(low[0] + resolution_m / 2, high[0], resolution_m)
    v = np.arange(low[1] + resolution_m / 2, high[1], resolution_m)
    covered = np.zeros((u.size, v.size), dtype=bool)
    for centre, axis_2d, axis, length_m, radius_m in zip(
        centres_2d, axes_2d, axes, lengths_m, radii_m, strict=True
    ):
        sin_theta = float(np.linalg.norm(axis_2d))
        along = axis_2d / sin_theta if sin_theta > 1e-12 else np.array([1.0, 0.0])
        across = np.array([-along[1], along[0]])
        # only the pixels of this shadow's box: its (along, across) rectangle turned onto the
        # grid, a pixel wider each side; the tests below are unchanged, so is the result
        long_m = length_m / 2.0 * sin_theta + radius_m
        reach_m = (long_m * abs(along[0]) + radius_m * abs(along[1]),
                   long_m * abs(along[1]) + radius_m * abs(along[0]))
        rows = _pixels(u, centre[0], reach_m[0], resolution_m)
        cols = _pixels(v, centre[1], reach_m[1], resolution_m)
        du, dv = (u[rows] - centre[0])[:, None], v[cols] - centre[1]
        x_along = np.abs(du * along[0] + dv * along[1])
        x_across = np.abs(du * across[0] + dv * across[1])
        half_axis_m = length_m / 2.0 * sin_theta
        minor_m = radius_m * abs(float(np.dot(axis, direction)))  # end ellipse, along the axis
        in_band = x_across <= radius_m
        in_body = in_band & (x_along <= half_axis_m)
        in_ends = in_band & (
            (x_along - half_axis_m) ** 2 <= minor_m**2 * (1.0 - (x_across / radius_m) ** 2)
        )
        covered[rows, cols] |= in_body | in_ends
    return float(covered.sum()) * resolution_m**2


def _pixels(centres_m: np.ndarray, middle_m: float, reach_m: float, size_m: float) -> slice:
    """The run of equally spaced pixel centres within ``reach_m`` (and a pixel) of ``middle_m``."""
    first = math.floor((middle_m - reach_m - centres_m[0]) / size_m) - 1 if centres_m.size else 0
    last = math.ceil((middle_m + reach_m - centres_m[0]) / size_m) + 2 if centres_m.size else 0
    return slice(max(first, 0), max(last, 0))


class Station:
    """An assembly of modules (a tree rooted at ``root``) with vehicles docked to free ports.

    ``has_arm``: a robotic arm able to berth (CBM) is present (ISS after SSRMS, 2001; Mir
    never had one for CBM). ``root_name`` defaults to the root module type's name.
    """

    def __init__(self, root: ModuleType, *, has_arm: bool = False, root_name: str | None = None):
        if not isinstance(root, ModuleType):
            raise TypeError(f"root must be a ModuleType, got {type(root).__name__}")
        name = root_name or root.name
        self.root = name
        self.has_arm = has_arm
        self._items: dict[str, Attachment] = {
            name: Attachment(name, root, None, None, None, None, None, root.mass_kg)
        }
        self._occupant: dict[tuple[str, str], str] = {}  # (module, port) -> item attached there

    # --- snapshots ---------------------------------------------------------------------------
    def copy(self) -> Station:
        """An independent copy (attachments are immutable, so a shallow copy of the maps)."""
        other = Station.__new__(Station)
        other.root = self.root
        other.has_arm = self.has_arm
        other._items = dict(self._items)
        other._occupant = dict(self._occupant)
        return other

    # --- queries -----------------------------------------------------------------------------
    def __contains__(self, name: str) -> bool:
        return name in self._items

    def item(self, name: str) -> Attachment:
        """The attachment record of ``name``; DockingError listing what is aboard if absent."""
        try:
            return self._items[name]
        except KeyError:
            raise DockingError(
                f"{name!r} is not on the station; attached: {', '.join(self._items)}"
            ) from None

    def items(self) -> list[Attachment]:
        """All attachments, root first, in attachment order."""
        return list(self._items.values())

    def modules(self) -> list[str]:
        """Instance names of the modules."""
        return [a.name for a in self._items.values() if not a.is_vehicle]

    def docked_vehicles(self) -> list[str]:
        """Instance names of the docked or berthed vehicles."""
        return [a.name for a in self._items.values() if a.is_vehicle]

    def occupant(self, at: str) -> str | None:
        """What is attached at port ``"module.port"`` (None if free)."""
        module, port = self._port(at)
        return self._occupant.get((module, port.name))

    def free_ports(self, mechanism: str | None = None) -> list[str]:
        """Free ports ``"module.port"``, optionally only those with ``mechanism``."""
        return [
            f"{module}.{port.name}"
            for module, port in self._free_port_specs()
            if mechanism is None or port.mechanism == mechanism
        ]

    def free_ports_by_mechanism(self) -> dict[str, list[str]]:
        """Free ports grouped by mechanism id."""
        grouped: dict[str, list[str]] = {}
        for module, port in self._free_port_specs():
            grouped.setdefault(port.mechanism, []).append(f"{module}.{port.name}")
        return grouped

    def ports_that_fit(self, item: ModuleType | VehicleType) -> list[str]:
        """Free ports where ``item`` could be attached now (mechanism, role and arm checked)."""
        candidates = _mating_ports(item, None)
        return [
            f"{module}.{port.name}"
            for module, port in self._free_port_specs()
            if any(self._joinable(port, own) for own in candidates)
        ]

    # --- changes -----------------------------------------------------------------------------
    def attach(
        self,
        item_name: str,
        item_type: ModuleType | VehicleType,
        at: str,
        via_port: str | None = None,
        t_s: float | None = None,
        until_s: float | None = None,
        mass_kg: float | None = None,
    ) -> Attachment:
        """Attach ``item_type`` as ``item_name`` at port ``at`` (``"module.port"``).

        ``via_port``: the item's port (modules) or mechanism (vehicles) to use; by default the
        first that mates. ``t_s``/``until_s``: arrival and planned departure, TT s since J2000.
        ``mass_kg``: current mass (default: module mass, or vehicle dry + full propellant).
        Raises DockingError if the name is taken, the port is unknown, busy or does not fit.
        """
        if not isinstance(item_type, ModuleType | VehicleType):
            raise TypeError(f"item_type must be a ModuleType or VehicleType, not {item_type!r}")
        if item_name in self._items:
            raise DockingError(
                f"{item_name!r} is already on the station at {self._where(item_name)}"
            )
        if mass_kg is None:
            mass_kg = (
                item_type.mass_kg if isinstance(item_type, ModuleType) else item_type.wet_mass_kg
            )
        if not (math.isfinite(mass_kg) and mass_kg > 0.0):
            raise ValueError(f"mass_kg={mass_kg!r} must be positive")
        if t_s is not None and until_s is not None and until_s < t_s:
            raise ValueError(f"until_s={until_s!r} is before t_s={t_s!r}")
        attachment = Attachment(item_name, item_type, None, None, None, t_s, until_s, mass_kg)
        return self._place(attachment, at, via_port)

    def detach(self, name: str) -> Attachment:
        """Remove ``name`` (a vehicle, or a module with nothing attached to it); returns it."""
        attachment = self.item(name)
        if attachment.parent is None:
            raise DockingError(f"{name!r} is the root of the station and cannot be detached")
        children = self._children(name)
        if children:
            raise DockingError(
                f"cannot detach {name!r}: {', '.join(children)} attached to it; detach those first"
            )
        self._release(attachment)
        del self._items[name]
        return attachment

    def relocate(
        self,
        name: str,
        to_port: str,
        via_port: str | None = None,
        t_s: float | None = None,
        until_s: float | None = None,
    ) -> Attachment:
        """Move ``name`` (and whatever is attached to it) to ``to_port``.

        ``via_port`` defaults to the port it used before; ``t_s``/``until_s`` default to the
        old values. On failure the station is left unchanged.
        """
        old = self.item(name)
        if old.parent is None:
            raise DockingError(f"{name!r} is the root of the station and cannot be relocated")
        target_module = self._port(to_port)[0]
        if target_module in self._subtree(name):
            raise DockingError(f"cannot move {name!r} onto {to_port!r}, which it carries itself")
        self._release(old)
        try:
            return self._place(
                replace(
                    old,
                    t_s=old.t_s if t_s is None else t_s,
                    until_s=old.until_s if until_s is None else until_s,
                ),
                to_port,
                old.via_port if via_port is None else via_port,
            )
        except DockingError:
            self._hold(old)
            raise

    def set_mass(self, name: str, mass_kg: float) -> None:
        """Set the current mass of ``name`` (e.g. a vehicle after burning or unloading)."""
        if not (math.isfinite(mass_kg) and mass_kg > 0.0):
            raise ValueError(f"mass_kg={mass_kg!r} must be positive")
        self._items[name] = replace(self.item(name), mass_kg=mass_kg)

    # --- mass properties and geometry --------------------------------------------------------
    def mass_kg(self) -> float:
        """Total mass: modules plus docked vehicles at their current mass, kg."""
        return float(sum(a.mass_kg for a in self._items.values()))

    def pressurized_volume_m3(self, include_vehicles: bool = False) -> float:
        """Pressurised volume of the modules (plus docked vehicles' if asked), m^3."""
        return self._volume_m3("pressurized_volume_m3", include_vehicles)

    def habitable_volume_m3(self, include_vehicles: bool = False) -> float:
        """Habitable volume of the modules (plus docked vehicles' if asked), m^3."""
        return self._volume_m3("habitable_volume_m3", include_vehicles)

    def poses(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each item's (rotation 3x3, origin m) mapping its frame into the station frame."""
        poses = {self.root: (np.eye(3), np.zeros(3))}
        for name in self._walk():
            attachment = self._items[name]
            if attachment.parent is None:
                continue
            rotation_p, origin_p = poses[attachment.parent]
            parent_port = self._items[attachment.parent].item.ports[attachment.parent_port]
            own_port = _mating_ports(attachment.item, attachment.via_port)[0]
            port_axis = rotation_p @ np.array(parent_port.axis)
            port_point_m = rotation_p @ np.array(parent_port.position_m) + origin_p
            rotation = _rotation_between(np.array(own_port.axis), -port_axis)
            if own_port.clock is not None and parent_port.clock is not None:
                rotation = _roll_to_clock(rotation, own_port,
                                          rotation_p @ np.array(parent_port.clock), port_axis)
            poses[name] = (rotation, port_point_m - rotation @ np.array(own_port.position_m))
        return poses

    def center_of_mass_m(self) -> np.ndarray:
        """Centre of mass in the station (root module) frame, m."""
        centres_m, _, masses_kg, _, _ = self._cylinders()
        return masses_kg @ centres_m / masses_kg.sum()

    def inertia_tensor_kgm2(self) -> np.ndarray:
        """Inertia tensor about the centre of mass, station frame, kg m^2 (cylinder model)."""
        centres_m, axes, masses_kg, lengths_m, radii_m = self._cylinders()
        offsets_m = centres_m - masses_kg @ centres_m / masses_kg.sum()
        total = np.zeros((3, 3))
        for offset_m, axis, mass_kg, length_m, radius_m in zip(
            offsets_m, axes, masses_kg, lengths_m, radii_m, strict=True
        ):
            rotation = _rotation_between(np.array([1.0, 0.0, 0.0]), axis)
            own = rotation @ cylinder_inertia_kgm2(mass_kg, length_m, radius_m) @ rotation.T
            # parallel-axis theorem
            shift = offset_m @ offset_m * np.eye(3) - np.outer(offset_m, offset_m)
            total += own + mass_kg * shift
        return total

    def frontal_area_m2(
        self,
        flight_direction: ArrayLike = (1.0, 0.0, 0.0),
        resolution_m: float = 0.05,
        panels: str = "sun-tracking",
    ) -> float:
        """Area (m^2) presented to the flow when flying along ``flight_direction``.

        ``flight_direction`` is in the station (root module) frame; the default assumes the
        root module's long axis points along the velocity, as the ISS flies (+XVV) and as Mir
        is taken to fly here. Overlaps of the bodies are counted once (see
        :func:`projected_area_m2` for accuracy); the solar arrays and radiators add their face
        area times the :data:`PANEL_ATTITUDES` fraction of ``panels``, unshaded.
        """
        if panels not in PANEL_ATTITUDES:
            raise ValueError(f"panels={panels!r} must be one of {', '.join(PANEL_ATTITUDES)}")
        centres_m, axes, _, lengths_m, radii_m = self._cylinders()
        body_m2 = projected_area_m2(
            centres_m, axes, lengths_m, radii_m, flight_direction, resolution_m
        )
        return body_m2 + PANEL_ATTITUDES[panels] * self.panel_area_m2()

    def panel_area_m2(self) -> float:
        """Solar array and radiator area of the modules, one face, m^2."""
        return float(sum(a.item.panel_area_m2 for a in self._items.values() if not a.is_vehicle))

    def stowage_m3(self) -> float:
        """Stowage volume of the modules, m^3."""
        return float(sum(a.item.stowage_m3 for a in self._items.values() if not a.is_vehicle))

    def tanks_kg(self) -> dict[str, float]:
        """What the modules' tanks hold when full, kg by resource (only resources some module
        has tanks for)."""
        total_kg: dict[str, float] = {}
        for attached in self._items.values():
            if not attached.is_vehicle:
                for resource, kg in attached.item.tanks_kg.items():
                    total_kg[resource] = total_kg.get(resource, 0.0) + kg
        return total_kg

    # --- internals ---------------------------------------------------------------------------
    def _volume_m3(self, field_name: str, include_vehicles: bool) -> float:
        return float(
            sum(
                getattr(a.item, field_name)
                for a in self._items.values()
                if include_vehicles or not a.is_vehicle
            )
        )

    def _cylinders(self):
        """Station-frame centres (N,3), axes (N,3), masses, lengths and radii of every item."""
        poses = self.poses()
        attachments = [self._items[name] for name in poses]
        centres_m = np.array([poses[a.name][1] for a in attachments])
        axes = np.array([poses[a.name][0][:, 0] for a in attachments])
        masses_kg = np.array([a.mass_kg for a in attachments])
        lengths_m = np.array([a.item.length_m for a in attachments])
        radii_m = np.array([a.item.diameter_m / 2.0 for a in attachments])
        return centres_m, axes, masses_kg, lengths_m, radii_m

    def _walk(self) -> list[str]:
        """Item names, parents before children (breadth-first from the root)."""
        order, queue = [], [self.root]
        while queue:
            name = queue.pop(0)
            order.append(name)
            queue.extend(self._children(name))
        return order

    def _children(self, name: str) -> list[str]:
        return [a.name for a in self._items.values() if a.parent == name]

    def _subtree(self, name: str) -> set[str]:
        found, stack = set(), [name]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(self._children(current))
        return found

    def _where(self, name: str) -> str:
        return self._items[name].at or "the root"

    def _port(self, at: str) -> tuple[str, PortSpec]:
        module, dot, port = at.rpartition(".")
        if not dot or not module or not port:
            raise DockingError(
                f"port {at!r} must be written 'module.port', e.g. 'mir-core.forward'"
            )
        attachment = self._items.get(module)
        if attachment is None or attachment.is_vehicle:
            raise DockingError(
                f"port {at!r}: no module {module!r} on the station; modules: "
                f"{', '.join(self.modules())}"
            )
        ports = attachment.item.ports
        if port not in ports:
            raise DockingError(
                f"port {at!r}: {module!r} ({attachment.item.name}) has no port {port!r}; "
                f"its ports: {', '.join(ports) or 'none'}"
            )
        return module, ports[port]

    def _free_port_specs(self) -> list[tuple[str, PortSpec]]:
        return [
            (name, port)
            for name, attachment in self._items.items()
            if not attachment.is_vehicle
            for port in attachment.item.ports.values()
            if (name, port.name) not in self._occupant
        ]

    def _joinable(self, station_port: PortSpec, own_port: PortSpec) -> bool:
        berthing = requires_arm(station_port.mechanism, own_port.mechanism)
        return _mates(station_port, own_port) and (self.has_arm or not berthing)

    def _place(self, attachment: Attachment, at: str, via_port: str | None) -> Attachment:
        """Check port ``at`` for ``attachment`` and record it there (item must not be held)."""
        module, station_port = self._port(at)
        item = attachment.item
        occupant = self._occupant.get((module, station_port.name))
        if occupant is not None:
            until_s = self._items[occupant].until_s
            until = (
                "with no departure planned" if until_s is None else f"until {_utc_text(until_s)}"
            )
            arrival = "" if attachment.t_s is None else f" at {_utc_text(attachment.t_s)}"
            raise DockingError(
                f"port {at!r} is occupied by {occupant!r} {until}{arrival}; "
                f"free ports that fit {attachment.name!r}: "
                f"{', '.join(self.ports_that_fit(item)) or 'none'}"
            )
        own_ports = [
            p for p in _mating_ports(item, via_port)
            if (attachment.name, p.name) not in self._occupant
        ]
        mating = [p for p in own_ports if _mates(station_port, p)]
        if not mating:
            raise DockingError(
                f"{attachment.name!r} ({item.name}) cannot attach at {at!r} "
                f"({station_port.mechanism}, {station_port.role}): "
                f"{_mismatch(station_port, attachment.name, own_ports)}; "
                f"free ports that fit: {', '.join(self.ports_that_fit(item)) or 'none'}"
            )
        own_port = mating[0]
        if requires_arm(station_port.mechanism, own_port.mechanism) and not self.has_arm:
            raise DockingError(
                f"{attachment.name!r} must be berthed at {at!r} ({station_port.mechanism} to "
                f"{own_port.mechanism}) by a robotic arm, and the station has none (has_arm=False)"
            )
        placed = replace(attachment, parent=module, parent_port=station_port.name,
                         via_port=own_port.name)
        self._hold(placed)
        return placed

    def _hold(self, attachment: Attachment) -> None:
        self._items[attachment.name] = attachment
        self._occupant[(attachment.parent, attachment.parent_port)] = attachment.name
        if not attachment.is_vehicle:
            self._occupant[(attachment.name, attachment.via_port)] = attachment.parent

    def _release(self, attachment: Attachment) -> None:
        del self._occupant[(attachment.parent, attachment.parent_port)]
        if not attachment.is_vehicle:
            del self._occupant[(attachment.name, attachment.via_port)]
