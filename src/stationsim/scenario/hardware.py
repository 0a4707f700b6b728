"""Hardware a program brings: its own modules, vehicles and launch sites, and catalog files.

A program may define ``modules:``, ``vehicles:`` and ``sites:`` at its top level, or name
catalog files of its own (``catalogs: [my-hardware.yaml]``, relative to the program file, each a
YAML mapping with the same three keys). Their fields are those of the bundled catalog
(``hardware/catalog/*.yaml``: kilograms, metres, m^2, m^3, seconds, newtons; degrees for
sites). The bundled catalog is the default; an entry whose id is already there (or in an
earlier catalog file) is an error unless it says ``replaces: true``. ``extends: id`` starts
from another entry (bundled, or defined before it) and changes only the fields written.

>>> from stationsim.scenario import load_text
>>> program = load_text('''
... name: hab
... span: {start_utc: 2030-01-01, end_utc: 2030-01-02}
... modules:
...   hab-1: {extends: destiny, display_name: Hab 1, mass_kg: 12000, source: hypothetical}
... ''')
>>> program.catalog.module("hab-1").mass_kg
12000.0
"""

from __future__ import annotations

from pathlib import Path as FilePath
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from stationsim.hardware.catalog import (
    KINDS,
    Catalog,
    bundled_entries,
    load_catalog,
    make_entry,
)
from stationsim.hardware.mechanisms import MECHANISMS
from stationsim.hardware.module import ROLES, TANK_RESOURCES
from stationsim.ops.rendezvous import PROFILES as RENDEZVOUS_PROFILES
from stationsim.scenario.problems import Path, Problem, did_you_mean, one_of

if TYPE_CHECKING:
    from stationsim.scenario.schema import Program

Vector = Annotated[list[float], Field(min_length=3, max_length=3)]
Positive = Annotated[float, Field(gt=0.0)]
Size = Annotated[float, Field(ge=0.1, le=200.0, description=(
    "metres: a hatch-sized part to twice the ISS's 109 m truss, the longest thing flown"))]
Mass = Annotated[float, Field(gt=0.0, le=1.0e6, description=(
    "kilograms, at most 1,000 t: more than twice the whole ISS (420 t)"))]
NonNegative = Annotated[float, Field(ge=0.0)]
Mechanism = Literal[tuple(MECHANISMS)]  # type: ignore[valid-type]
VehicleProfile = Literal[(*RENDEZVOUS_PROFILES, "none")]  # type: ignore[valid-type]


class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False,
                              str_strip_whitespace=True)

    replaces: bool = Field(False, description="true: stands in for the bundled (or an earlier "
                                              "catalog's) entry of the same id")
    extends: str | None = Field(None, description="start from this entry's fields")
    display_name: str | None = None
    source: str | None = Field(None, description="where the figures come from (required)")
    notes: str | None = None


class PortDef(BaseModel):
    """A port: position (m) and outward unit axis in the module frame, mechanism and role;
    ``clock`` (a unit vector in the port plane) rolls the joined module to match."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)

    position_m: Vector
    axis: Vector
    mechanism: Mechanism
    role: Literal[ROLES]  # type: ignore[valid-type]
    clock: Vector | None = None


class ModuleDef(_Entry):
    """A station module (a solid cylinder along its +x axis), as in ``modules.yaml``."""

    mass_kg: Mass | None = None
    pressurized_volume_m3: NonNegative | None = None
    habitable_volume_m3: NonNegative | None = None
    stowage_m3: NonNegative | None = None
    length_m: Size | None = None
    diameter_m: Size | None = None
    solar_array_area_m2: NonNegative | None = None
    radiator_area_m2: NonNegative | None = None
    tanks_kg: dict[Literal[TANK_RESOURCES], NonNegative] | None = Field(  # type: ignore[valid-type]
        None, description="what the module's tanks hold, kg, by resource (propellant, water, o2)")
    adapter: bool | None = None
    ports: dict[str, PortDef] | None = None


class VehicleDef(_Entry):
    """A vehicle (crew or cargo ship), as in ``vehicles.yaml``."""

    dry_mass_kg: Mass | None = None
    propellant_mass_kg: NonNegative | None = None
    isp_s: NonNegative | None = None
    thrust_n: NonNegative | None = None
    seats: Annotated[int, Field(ge=0)] | None = None
    cargo_capacity_kg: NonNegative | None = None
    mechanisms: list[Mechanism] | None = None
    drag_area_m2: Positive | None = None
    cd: Positive | None = None
    autonomous_days: NonNegative | None = None
    default_profile: VehicleProfile | None = None
    launch_vehicle: str | None = None
    length_m: Size | None = None
    diameter_m: Size | None = None
    pressurized_volume_m3: NonNegative | None = None
    habitable_volume_m3: NonNegative | None = None
    port_position_m: Vector | None = None
    port_axis: Vector | None = None


class SiteDef(_Entry):
    """A launch site, as in ``launch_sites.yaml`` (WGS-84 degrees, azimuths from north)."""

    latitude_deg: Annotated[float, Field(ge=-90.0, le=90.0)] | None = None
    longitude_deg: Annotated[float, Field(ge=-180.0, le=180.0)] | None = None
    height_m: Annotated[float, Field(ge=-500.0, le=20_000.0, description=(
        "above the WGS-84 ellipsoid: from the Dead Sea shore (-430 m) to an air launch "
        "(Pegasus drops at 11.9 km, Pegasus User's Guide, 2015)"))] | None = None
    azimuth_min_deg: Annotated[float, Field(ge=-180.0, le=360.0)] | None = None
    azimuth_max_deg: Annotated[float, Field(ge=-180.0, le=360.0)] | None = None


class CatalogFile(BaseModel):
    """A user catalog file: modules, vehicles and sites by id."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    modules: dict[str, ModuleDef] = {}
    vehicles: dict[str, VehicleDef] = {}
    sites: dict[str, SiteDef] = {}


SECTIONS = {"module": "modules", "vehicle": "vehicles", "site": "sites"}
"""The key of each kind of entry in a program or catalog file."""

REQUIRED = {
    "module": ("display_name", "mass_kg", "pressurized_volume_m3", "habitable_volume_m3",
               "length_m", "diameter_m", "source"),
    "vehicle": ("display_name", "dry_mass_kg", "propellant_mass_kg", "isp_s", "thrust_n",
                "seats", "cargo_capacity_kg", "mechanisms", "drag_area_m2", "cd",
                "autonomous_days", "default_profile", "launch_vehicle", "source"),
    "site": ("display_name", "latitude_deg", "longitude_deg", "height_m", "azimuth_min_deg",
             "azimuth_max_deg", "source"),
}
"""Fields an entry must have once its ``extends`` base is merged in."""


def catalog_path(name: str, program_source: str) -> FilePath:
    """A catalog file named by a program: relative to the program file's folder."""
    path = FilePath(name)
    if path.is_absolute():
        return path
    return FilePath(program_source).parent / path


def build_catalog(
    program: Program,
    included: list[IncludedFile],
) -> tuple[Catalog, list[Problem],
                                                                   list[str]]:
    """The program's catalog: the bundled one, then each included file, then the program's own
    entries (an entry may take an id already there only with ``replaces: true``). Returns the
    catalog, the program's problems and messages located in the included files."""
    raw = {kind: dict(bundled_entries(kind)) for kind in KINDS}
    origin = {kind: dict.fromkeys(raw[kind], "the bundled catalog") for kind in KINDS}
    built: dict[str, dict[str, Any]] = {kind: {} for kind in KINDS}
    problems: list[Problem] = []
    messages: list[str] = []
    for holder, where, report in [*((f.entries, f.source, f) for f in included),
                                  (program, "the program", None)]:
        found: list[Problem] = []
        for kind in KINDS:
            section = SECTIONS[kind]
            for key, entry in (getattr(holder, section) or {}).items():
                found += _add(kind, key, entry, where, raw, origin, built, (section, key))
        if report is None:
            problems += found
        else:
            messages += report.locate(found)
    catalog = load_catalog().with_entries(*(built[kind] for kind in KINDS))
    return catalog, problems, messages


def _add(kind: str, key: str, entry: BaseModel, where: str, raw: dict, origin: dict,
         built: dict, path: Path) -> list[Problem]:
    """Merge one entry into ``raw``/``built``; the problems it has, at ``path``."""
    ident = key.strip().lower()
    if ident != key or not ident:
        return [Problem(path, f"not a catalog id (expected lowercase letters, digits and '-', "
                              f"like {kind}s in the bundled catalog, got {key!r})", on_key=True)]
    written = entry.model_dump(exclude_unset=True, exclude_none=True)
    replaces = written.pop("replaces", False)
    if ident in raw[kind] and not replaces:
        return [Problem(path, f"{kind} {ident!r} is already in {origin[kind][ident]} (expected "
                              f"a new id, or replaces: true to stand in for it)", on_key=True)]
    if replaces and ident not in raw[kind]:
        return [Problem(path + ("replaces",), f"nothing to replace (no {kind} {ident!r} in the "
                                              f"bundled catalog or an earlier file)"
                                              f"{did_you_mean(ident, raw[kind])}")]
    base_name = written.pop("extends", None)
    merged: dict[str, Any] = {}
    if base_name is not None:
        if base_name not in raw[kind]:
            return [Problem(path + ("extends",), f"unknown {kind} (expected a {kind} id defined "
                                                 f"before this one, got {base_name!r})"
                                                 f"{did_you_mean(base_name, raw[kind])}")]
        merged = dict(raw[kind][base_name])
    merged.update(written)
    missing = [name for name in REQUIRED[kind] if name not in merged]
    if missing:
        hint = "" if base_name else "; or extends: an id to start from"
        return [Problem(path, f"required fields missing (expected {', '.join(missing)}{hint})",
                        on_key=True)]
    if (clash := _inconsistent(merged)) is not None:
        return [Problem(path + (clash[0],), clash[1])]
    try:
        built[kind][ident] = make_entry(kind, ident, merged)
    except (ValueError, TypeError) as exc:
        return [Problem(path, f"not a valid {kind} ({exc})", on_key=True)]
    raw[kind][ident] = merged
    origin[kind][ident] = where
    return []


def _inconsistent(merged: dict[str, Any]) -> tuple[str, str] | None:
    """(field, what is wrong) for fields of an entry that contradict each other."""
    low, high = merged.get("azimuth_min_deg"), merged.get("azimuth_max_deg")
    if low is not None and high is not None and not low < high:
        return "azimuth_max_deg", f"not above azimuth_min_deg (expected > {low:g}, got {high:g})"
    room, pressurized = merged.get("habitable_volume_m3"), merged.get("pressurized_volume_m3")
    if room is not None and pressurized is not None and room > pressurized:
        return "habitable_volume_m3", (f"more than the pressurized volume (expected <= "
                                       f"{pressurized:g}, got {room:g})")
    return None


class IncludedFile:
    """A catalog file a program names: its entries, and how to place problems in its text."""

    def __init__(self, source: str, entries: CatalogFile, data: bytes):
        self.source, self.entries, self._data = source, entries, data

    def locate(self, problems: list[Problem]) -> list[str]:
        from stationsim.scenario.loader import located_messages

        return located_messages(self.source, self._data, problems)


def read_catalog_files(program: Program) -> tuple[list[IncludedFile], list[Problem], list[str]]:
    """Read the catalog files a program names: (the files read, problems at the program's
    ``catalogs[i]``, messages located in the files as ``file:line:column: ...``)."""
    from stationsim.errors import ProgramError
    from stationsim.scenario.loader import (
        located_messages,
        parsed_plain,
        pydantic_problem,
        read_capped,
    )

    included, problems, messages = [], [], []
    for index, name in enumerate(program.catalogs):
        path = catalog_path(name, program.source)
        try:
            data = read_capped(path)
        except OSError as exc:
            problems.append(Problem(("catalogs", index), f"cannot read the catalog file "
                                                         f"{str(path)!r} ({exc.strerror})"))
            continue
        source = str(path)
        try:
            plain = parsed_plain(data, source, "catalog")
        except ProgramError as exc:
            messages += exc.errors
            continue
        try:
            if not isinstance(plain, dict):
                raise TypeError
            entries = CatalogFile.model_validate(plain, strict=True)
        except TypeError:
            messages.append(f"{source}:1:1: catalog: not a catalog (expected a mapping with "
                            f"{one_of(list(SECTIONS.values()))})")
            continue
        except ValidationError as exc:
            found = [pydantic_problem(error, CatalogFile) for error in exc.errors()]
            messages += located_messages(source, data, found)
            continue
        included.append(IncludedFile(source, entries, data))
    return included, problems, messages
