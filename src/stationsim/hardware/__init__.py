"""What flies: docking mechanisms, modules, vehicles, crew, launch sites and station assemblies.

>>> from stationsim.hardware import load_catalog, Station
>>> catalog = load_catalog()
>>> mir = Station(catalog.module("mir-core"))
>>> mir.attach("kvant-1", catalog.module("kvant-1"), at="mir-core.aft").via_port
'forward'
>>> round(mir.mass_kg())
31450
"""

from __future__ import annotations

from stationsim.hardware.catalog import Catalog, UnknownNameError, load_catalog
from stationsim.hardware.crew import CrewMember
from stationsim.hardware.mechanisms import (
    MECHANISMS,
    compatible,
    requires_arm,
    why_incompatible,
)
from stationsim.hardware.module import ModuleType, PortSpec
from stationsim.hardware.sites import LaunchSite
from stationsim.hardware.station import Attachment, Station
from stationsim.hardware.vehicle import VehicleType

__all__ = [
    "MECHANISMS",
    "Attachment",
    "Catalog",
    "CrewMember",
    "LaunchSite",
    "ModuleType",
    "PortSpec",
    "Station",
    "UnknownNameError",
    "VehicleType",
    "compatible",
    "load_catalog",
    "requires_arm",
    "why_incompatible",
]
