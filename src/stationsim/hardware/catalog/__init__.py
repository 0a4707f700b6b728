"""The bundled catalog of real hardware: modules, vehicles and launch sites, read from YAML.

Each YAML entry carries its ``source`` (and ``notes`` where sources disagree). Keys are
lowercase ids (``mir-core``, ``soyuz-tm``, ``ksc-lc-39a``). An entry may say ``extends: other``
to start from another entry of the same file (the orbiters extend ``shuttle``). Lengths in m,
masses in kg, volumes in m^3; launch-site angles are degrees in YAML and radians here.

>>> catalog = load_catalog()
>>> catalog.module("kristall").ports["axial"].mechanism
'APAS-89'
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cache
from importlib import resources

from ruamel.yaml import YAML
from ruamel.yaml import __version__ as ruamel_version

from stationsim.astro.constants import DEG
from stationsim.disk_cache import cached
from stationsim.errors import StationsimError
from stationsim.hardware.module import ModuleType, PortSpec
from stationsim.hardware.sites import LaunchSite
from stationsim.hardware.vehicle import VehicleType

KINDS = ("module", "vehicle", "site")


class UnknownNameError(StationsimError, KeyError):
    """A catalog name (module, vehicle, site) that does not exist; suggests the closest names."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Catalog:
    """Modules, vehicles and launch sites by lowercase id."""

    modules: dict[str, ModuleType]
    vehicles: dict[str, VehicleType]
    sites: dict[str, LaunchSite]

    def _table(self, kind: str) -> dict:
        if kind not in KINDS:
            raise ValueError(f"kind={kind!r} must be one of {KINDS}")
        return {"module": self.modules, "vehicle": self.vehicles, "site": self.sites}[kind]

    def suggest(self, kind: str, name: str, n: int = 3) -> list[str]:
        """The up to ``n`` catalog ids of ``kind`` closest to ``name`` (difflib ratio >= 0.5)."""
        return difflib.get_close_matches(name.strip().lower(), list(self._table(kind)), n, 0.5)

    def _get(self, kind: str, name: str):
        table = self._table(kind)
        key = name.strip().lower()
        if key in table:
            return table[key]
        close = self.suggest(kind, name)
        hint = f"did you mean {' or '.join(map(repr, close))}?" if close else (
            f"known: {', '.join(table)}"
        )
        raise UnknownNameError(f"unknown {kind} {name!r}; {hint}")

    def with_entries(self, modules: dict[str, ModuleType], vehicles: dict[str, VehicleType],
                     sites: dict[str, LaunchSite]) -> Catalog:
        """A new catalog: this one with the given entries added (or put in place of its own)."""
        return Catalog({**self.modules, **modules}, {**self.vehicles, **vehicles},
                       {**self.sites, **sites})

    def module(self, name: str) -> ModuleType:
        """The module type ``name`` (case-insensitive); UnknownNameError with suggestions."""
        return self._get("module", name)

    def vehicle(self, name: str) -> VehicleType:
        """The vehicle type ``name`` (case-insensitive); UnknownNameError with suggestions."""
        return self._get("vehicle", name)

    def site(self, name: str) -> LaunchSite:
        """The launch site ``name`` (case-insensitive); UnknownNameError with suggestions."""
        return self._get("site", name)


FILES = {"module": "modules.yaml", "vehicle": "vehicles.yaml", "site": "launch_sites.yaml"}
"""The bundled YAML file of each kind of entry."""


@cache
def bundled_entries(kind: str) -> dict[str, dict]:
    """The bundled entries of ``kind`` as written (``extends`` resolved), for entries of a
    program or a user catalog that extend them; do not modify the dicts."""
    return _read_entries(FILES[kind])


def make_entry(kind: str, key: str, entry: dict) -> ModuleType | VehicleType | LaunchSite:
    """Build the module, vehicle or site ``key`` from its YAML fields (SI as in the files);
    ValueError or TypeError says what is wrong."""
    return {"module": _module, "vehicle": _vehicle, "site": _site}[kind](key, dict(entry))


def read_bundled_yaml(filename: str) -> dict:
    """One bundled YAML file of this folder as plain values, parsed once and then read from
    the disk cache (:mod:`stationsim.disk_cache`)."""
    data = resources.files(__name__).joinpath(filename).read_bytes()
    return cached("yaml", f"catalog: ruamel.yaml {ruamel_version} safe",
                  data, lambda: YAML(typ="safe").load(data.decode("utf-8")))


def _read_entries(filename: str) -> dict[str, dict]:
    """Entries of one bundled YAML file with ``extends`` resolved (shallow merge over the base)."""
    raw = read_bundled_yaml(filename)
    entries = {}
    for key, entry in raw.items():
        entry = dict(entry)
        base = entry.pop("extends", None)
        if base is not None:
            if base not in entries:
                raise ValueError(f"{_where(filename, key)}: {key!r} extends {base!r}, not "
                                 "defined above it")
            entry = {**entries[base], **entry}
        entries[key] = entry
    return entries


def _where(filename: str, key: str) -> str:
    """``file:line:column`` of entry ``key`` in a bundled YAML file, parsed again with its lines
    (the cached parse has none): only a broken bundled file asks."""
    text = resources.files(__name__).joinpath(filename).read_text(encoding="utf-8")
    try:
        line, column = YAML(typ="rt").load(text).lc.key(key)
    except (AttributeError, KeyError, TypeError):  # not there: the message stands without it
        return f"{filename}:1:1"
    return f"{filename}:{line + 1}:{column + 1}"


def _bundled_entry(kind: str, key: str, entry: dict) -> ModuleType | VehicleType | LaunchSite:
    """:func:`make_entry` for a bundled entry; ValueError naming its file and line if wrong."""
    try:
        return make_entry(kind, key, entry)
    except (KeyError, TypeError, ValueError) as exc:
        raise ValueError(f"{_where(FILES[kind], key)}: {kind} {key!r}: {exc}") from None


def _module(key: str, entry: dict) -> ModuleType:
    ports = {
        name: PortSpec(name, tuple(p["position_m"]), tuple(p["axis"]), p["mechanism"], p["role"],
                       None if p.get("clock") is None else tuple(p["clock"]))
        for name, p in (entry.pop("ports", None) or {}).items()
    }
    return ModuleType(name=key, ports=ports, **entry)


def _vehicle(key: str, entry: dict) -> VehicleType:
    entry["mechanisms"] = tuple(entry.get("mechanisms") or ())
    for field_name in ("port_position_m", "port_axis"):
        if field_name in entry:
            entry[field_name] = tuple(entry[field_name])
    return VehicleType(name=key, **entry)


def _site(key: str, entry: dict) -> LaunchSite:
    return LaunchSite(
        name=key,
        display_name=entry["display_name"],
        latitude_rad=entry["latitude_deg"] * DEG,
        longitude_rad=entry["longitude_deg"] * DEG,
        height_m=float(entry["height_m"]),
        azimuth_min_rad=entry["azimuth_min_deg"] * DEG,
        azimuth_max_rad=entry["azimuth_max_deg"] * DEG,
        source=entry["source"],
        notes=entry.get("notes", ""),
    )


@cache
def load_catalog() -> Catalog:
    """Read the bundled catalog once (cached); every call returns the same Catalog."""
    return Catalog(*({k: _bundled_entry(kind, k, e) for k, e in bundled_entries(kind).items()}
                     for kind in KINDS))
