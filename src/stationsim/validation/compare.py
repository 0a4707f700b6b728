"""Simulated quantities against the historical record (``record.yaml``), from a run's store.

Each record entry names a quantity (see :data:`QUANTITIES`), its subject (flight, person,
agency or station), the record value or band with its source and confidence, and a tolerance
with its physical justification. :func:`compare_store` reads the same quantity from a run's
``results.duckdb`` and says whether it is within the tolerance. Times are compared as UTC
labels (leap seconds between two labels are not counted: under a second per decade).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path

import duckdb
import numpy as np
from ruamel.yaml import YAML

from stationsim.astro.constants import DAY_S, KM, R_EARTH_M, R_MOON_M
from stationsim.ops.lunar_sortie import DOCKING_EVENT, TOUCHDOWN_EVENT
from stationsim.ops.stationkeeping import great_circle_m
from stationsim.validation.provenance import PHASE_ASSUMED_EVENT

TIME_UNITS_S = {"s": 1.0, "min": 60.0, "h": 3600.0, "d": DAY_S}
RELATIVE = "%"
RELATIVE_TO_REMAINING = "% of remaining"
STORELESS = {"decay_reentry_utc"}  # quantities computed here, not read from a run
STATE_MATCH_S = 2.0 * 3600.0  # a station_states row within two hourly steps of the date

# quantity -> (kind, unit, label). Kinds: time (UTC), number, text (a port), place (latitude and
# longitude in degrees; the difference is the great-circle distance).
QUANTITIES: dict[str, tuple[str, str, str]] = {
    "launch_utc": ("time", "", "launch (UTC)"),
    "dock_utc": ("time", "", "docking (UTC)"),
    "undock_utc": ("time", "", "undocking (UTC)"),
    "land_utc": ("time", "", "landing (UTC)"),
    "reentry_utc": ("time", "", "re-entry (UTC)"),
    "reentry_place": ("place", "km", "re-entry point"),
    "impact_place": ("place", "km", "impact point"),
    "land_place": ("place", "km", "landing point"),
    "burn_utc": ("time", "", "burn ignition (UTC)"),
    "entry_utc": ("time", "", "entry interface (UTC)"),
    "impact_utc": ("time", "", "impact on the Moon (UTC)"),
    "moon_impact_place": ("place", "km", "impact point on the Moon"),
    "apoapsis_after_nmi": ("number", "n mi", "apoapsis after the burn"),
    "periapsis_after_nmi": ("number", "n mi", "periapsis after the burn"),
    "decay_reentry_utc": ("time", "", "re-entry by decay (UTC)"),
    "launch_to_dock_h": ("number", "h", "launch to docking"),
    "docking_flight_day": ("number", "day", "docking flight day"),
    "port": ("text", "", "port"),
    "crew_days": ("number", "d", "days aboard"),
    "agency_days": ("number", "d", "crew-days aboard"),
    "mass_kg": ("number", "kg", "mass"),
    "pressurized_volume_m3": ("number", "m3", "pressurised volume"),
    "perigee_km": ("number", "km", "perigee"),
    "apogee_km": ("number", "km", "apogee"),
    "lowest_perigee_km": ("number", "km", "lowest perigee"),
    "highest_apogee_km": ("number", "km", "highest apogee"),
    "lunar_touchdown_utc": ("time", "", "lunar touchdown (UTC)"),
    "lunar_touchdown_place": ("place", "km", "lunar touchdown point (selenographic)"),
    "lunar_docking_utc": ("time", "", "docking in lunar orbit (UTC)"),
}
# lunar quantities read from the run's events of these kinds (ops.lunar_sortie)
LUNAR_EVENTS = {"lunar_touchdown_utc": TOUCHDOWN_EVENT, "lunar_touchdown_place": TOUCHDOWN_EVENT,
                "lunar_docking_utc": DOCKING_EVENT}


@dataclass(frozen=True)
class Tolerance:
    """How far a simulated value may be from the record, and why (``unit`` as in record.yaml)."""

    name: str
    value: float
    unit: str
    why: str


@dataclass(frozen=True)
class Entry:
    """One record value: ``value`` (or the band ``low``..``high``) of ``quantity`` for
    ``subject``; ``extra`` holds the quantity's own fields (at, from, to, station, since...)."""

    program: str
    quantity: str
    subject: str
    value: object
    low: object
    high: object
    tolerance: Tolerance | None
    source: str
    confidence: str
    note: str
    extra: dict = field(default_factory=dict)

    @property
    def kind(self) -> str:
        return QUANTITIES[self.quantity][0]

    @property
    def unit(self) -> str:
        return QUANTITIES[self.quantity][1]

    @property
    def label(self) -> str:
        label = f"{self.subject} {QUANTITIES[self.quantity][2]}"
        if "at" in self.extra:
            return f"{label}, {self.extra['at'][:10]}"
        if "from" in self.extra:
            return f"{label}, {self.extra['from'][:10]} to {self.extra['to'][:10]}"
        return label


@dataclass(frozen=True)
class Calibration:
    """A model constant fitted on recorded outcomes: the flights it was fitted on are left out
    of every scored row."""

    constant: str
    flights: tuple[str, ...]
    source: str


@dataclass(frozen=True)
class Record:
    tolerances: dict[str, Tolerance]
    programs: dict[str, list[Entry]]
    as_built: list[dict]
    calibration: tuple[Calibration, ...] = ()

    @property
    def calibration_flights(self) -> frozenset[str]:
        return frozenset(f for c in self.calibration for f in c.flights)


@dataclass(frozen=True)
class FlightFacts:
    """What a run's events say about its flights: those whose station phase the engine assumed
    from the written launch, and each flight's age of tracking (launch minus the last tracking
    update of its station before it, seconds; absent without one)."""

    assumed_phase: frozenset[str] = frozenset()
    tracking_age_s: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class Comparison:
    """A simulated value beside its record. ``within`` is None when nothing was simulated.

    Numbers and differences are in the quantity's unit; times are POSIX seconds (UTC labels)
    and their difference is in seconds.
    """

    entry: Entry
    simulated: object
    record: object
    difference: float | None
    allowed: float | None
    within: bool | None


# --- the record -------------------------------------------------------------------------------
def record_path() -> Path:
    return Path(str(resources.files("stationsim.validation").joinpath("record.yaml")))


@cache
def load_record(path: str | None = None) -> Record:
    """The record shipped with the package (or the file at ``path``), checked on load.

    Raises ValueError naming the entry for an unknown quantity, tolerance or group.
    """
    data = YAML(typ="safe").load(Path(path or record_path()).read_text())
    tolerances = {
        name: _tolerance(name, spec) for name, spec in (data.get("tolerances") or {}).items()
    }
    groups = data.get("groups") or {}
    programs: dict[str, list[Entry]] = {}
    for program, group_names in (data.get("programs") or {}).items():
        entries = []
        for group in group_names:
            if group not in groups:
                raise ValueError(f"record: program {program!r} names unknown group {group!r}")
            entries += [_entry(program, raw, tolerances) for raw in groups[group]]
        programs[program] = entries
    calibration = tuple(_calibration(raw) for raw in data.get("calibration") or ())
    return Record(tolerances, programs, list(data.get("as_built") or []), calibration)


def _calibration(raw: dict) -> Calibration:
    missing = [key for key in ("constant", "flights", "source") if not raw.get(key)]
    if missing or not isinstance(raw["flights"], list):
        raise ValueError(f"record: calibration {raw.get('constant')!r}: give constant, source and "
                         f"a list of flights (missing: {', '.join(missing) or 'a list'})")
    return Calibration(str(raw["constant"]), tuple(str(f) for f in raw["flights"]),
                       " ".join(str(raw["source"]).split()))


def _tolerance(name: str, spec: dict) -> Tolerance:
    value = float(spec["value"])
    if value < 0.0:
        raise ValueError(f"record: tolerance {name!r} value={value!r} must be >= 0")
    return Tolerance(name, value, str(spec["unit"]), " ".join(str(spec["why"]).split()))


def _entry(program: str, raw: dict, tolerances: dict[str, Tolerance]) -> Entry:
    raw = dict(raw)
    quantity = raw.pop("quantity")
    subject = str(raw.pop("subject"))
    if quantity not in QUANTITIES:
        raise ValueError(f"record: {program} {subject}: quantity {quantity!r} is not one of "
                         f"{', '.join(QUANTITIES)}")
    spec = raw.pop("tolerance", None)
    if isinstance(spec, str):
        if spec not in tolerances:
            raise ValueError(f"record: {program} {subject}: unknown tolerance {spec!r}")
        tolerance = tolerances[spec]
    else:
        tolerance = None if spec is None else _tolerance(f"{subject} {quantity}", spec)
    value, low, high = raw.pop("value", None), raw.pop("low", None), raw.pop("high", None)
    intervals = raw.get("intervals")
    if intervals is not None:
        value = sum(posix_s(end) - posix_s(start) for start, end in intervals) / DAY_S
    if value is None and (low is None or high is None):
        raise ValueError(f"record: {program} {subject} {quantity}: give value, intervals or "
                         "both low and high")
    return Entry(program, quantity, subject, value, low, high, tolerance,
                 " ".join(str(raw.pop("source", "")).split()), str(raw.pop("confidence", "")),
                 " ".join(str(raw.pop("note", "")).split()), raw)


def posix_s(text: str | dt.datetime) -> float:
    """POSIX seconds of an ISO-8601 UTC text ('...Z') or a naive UTC datetime."""
    if isinstance(text, dt.datetime):
        moment = text if text.tzinfo else text.replace(tzinfo=dt.UTC)
    else:
        moment = dt.datetime.fromisoformat(str(text).replace("Z", "+00:00"))
        if moment.tzinfo is None:
            raise ValueError(f"time {text!r} must be UTC with a 'Z'")
    return moment.timestamp()


# --- comparing ----------------------------------------------------------------------------------
def compare_entry(entry: Entry, simulated: object) -> Comparison:
    """Compare one simulated value (None: not simulated) with its record entry."""
    if entry.kind == "place":
        record = tuple(float(x) for x in entry.value)
        if simulated is None:
            return Comparison(entry, None, record, None, None, None)
        distance_km = great_circle_m(*np.radians(simulated), *np.radians(record)) / KM
        if entry.quantity in ("moon_impact_place", "lunar_touchdown_place"):  # on the Moon
            distance_km *= R_MOON_M / R_EARTH_M
        allowed = _allowed(entry, distance_km)
        within = None if allowed is None else distance_km <= allowed
        return Comparison(entry, simulated, record, distance_km, allowed, within)
    if entry.kind == "text":
        record, low, high = str(entry.value), None, None
    else:
        read = posix_s if entry.kind == "time" else float
        record = None if entry.value is None else read(entry.value)
        low, high = (None, None) if entry.value is not None else (
            read(entry.low), read(entry.high))
    if simulated is None:
        return Comparison(entry, None, record, None, None, None)
    if entry.kind == "text":
        module = str(simulated) if "." in record else str(simulated).split(".")[0]
        return Comparison(entry, simulated, record, None, None, module == record)
    if record is not None:
        difference = simulated - record
    else:
        difference = simulated - high if simulated > high else min(simulated - low, 0.0)
    allowed = _allowed(entry, record if record is not None else high)
    within = None if allowed is None else abs(difference) <= allowed + 1e-9
    return Comparison(entry, simulated, record, difference, allowed, within)


def _allowed(entry: Entry, reference: float) -> float | None:
    """The tolerance in the quantity's own unit (seconds for times)."""
    tolerance = entry.tolerance
    if tolerance is None:
        return None
    if tolerance.unit == RELATIVE:
        return tolerance.value / 100.0 * abs(reference)
    if tolerance.unit == RELATIVE_TO_REMAINING:
        return tolerance.value / 100.0 * (reference - posix_s(entry.extra["since"]))
    if entry.kind == "time" and tolerance.unit in TIME_UNITS_S:
        return tolerance.value * TIME_UNITS_S[tolerance.unit]
    if entry.unit == "h" and tolerance.unit in TIME_UNITS_S:
        return tolerance.value * TIME_UNITS_S[tolerance.unit] / 3600.0
    if tolerance.unit != entry.unit:
        raise ValueError(f"record: {entry.subject} {entry.quantity}: tolerance unit "
                         f"{tolerance.unit!r} does not fit the quantity's unit {entry.unit!r}")
    return tolerance.value


def compare_store(program: str, store_path: str | Path | None,
                  record: Record | None = None) -> list[Comparison]:
    """Every record entry of ``program`` against the run store at ``store_path``.

    ``decay_reentry_utc`` entries are not read from the store but computed
    (:func:`stationsim.validation.decay.decay_reentry_s`); without a store (None) only those
    are compared.
    """
    record = record or load_record()
    entries = record.programs.get(program, [])
    if store_path is None:
        return [compare_entry(e, simulated_value(None, e)) for e in entries
                if e.quantity in STORELESS]
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        return [compare_entry(entry, simulated_value(con, entry)) for entry in entries]
    finally:
        con.close()


def flight_facts(store_path: str | Path) -> FlightFacts:
    """The :class:`FlightFacts` of the run store at ``store_path``."""
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        assumed = con.execute("SELECT DISTINCT flight FROM events WHERE kind = ? AND flight "
                              "IS NOT NULL", [PHASE_ASSUMED_EVENT]).fetchall()
        ages = con.execute(
            "SELECT f.flight, epoch(f.launch_utc) - max(epoch(e.t_utc)) FROM flights f JOIN "
            "events e ON e.kind = 'tracking' AND e.station = f.station AND e.t_utc <= "
            "f.launch_utc GROUP BY f.flight, f.launch_utc").fetchall()
    finally:
        con.close()
    return FlightFacts(frozenset(row[0] for row in assumed),
                       {flight: float(age) for flight, age in ages})


def simulated_value(con: duckdb.DuckDBPyConnection, entry: Entry) -> object:
    """The simulated counterpart of ``entry`` from an open store (None if not simulated)."""
    q, subject, extra = entry.quantity, entry.subject, entry.extra
    if q in ("launch_utc", "dock_utc", "undock_utc", "land_utc"):
        return _posix_or_none(_one(con, f"SELECT {q} FROM flights WHERE flight = ?", subject))
    if q == "port":
        return _one(con, "SELECT port FROM flights WHERE flight = ?", subject)
    if q in ("launch_to_dock_h", "docking_flight_day"):
        launch, dock = (_posix_or_none(_one(con, f"SELECT {c} FROM flights WHERE flight = ?",
                                            subject)) for c in ("launch_utc", "dock_utc"))
        if launch is None or dock is None:
            return None
        return (dock - launch) / 3600.0 if q == "launch_to_dock_h" else float(
            _shuttle_flight_day(dock - launch))
    if q in ("crew_days", "agency_days"):
        column = "person" if q == "crew_days" else "agency"
        return _one(con, f"SELECT sum(days) FROM crew_stays WHERE {column} = ? AND station = ?",
                    subject, extra.get("station", subject))
    if q in ("mass_kg", "pressurized_volume_m3", "perigee_km", "apogee_km"):
        at = posix_s(extra["at"])
        row = con.execute(
            f"SELECT {q}, epoch(t_utc) FROM station_states WHERE station = ? AND "
            "epoch(t_utc) >= ? ORDER BY t_utc LIMIT 1", [subject, at]).fetchone()
        if row is None or row[0] is None or row[1] - at > STATE_MATCH_S:
            return None
        return float(row[0])
    if q in ("lowest_perigee_km", "highest_apogee_km"):
        column, aggregate = ("perigee_km", "min") if q.startswith("lowest") else ("apogee_km",
                                                                                 "max")
        return _one(con, f"SELECT {aggregate}({column}) FROM station_states WHERE station = ? "
                    "AND epoch(t_utc) BETWEEN ? AND ?", subject, posix_s(extra["from"]),
                    posix_s(extra["to"]))
    if q in ("reentry_place", "impact_place", "land_place", "moon_impact_place"):
        row = con.execute(
            "SELECT lat_deg, lon_deg FROM events WHERE kind = ? AND (station = ? OR flight = ?) "
            "AND lat_deg IS NOT NULL ORDER BY t_utc LIMIT 1",
            [q.removesuffix("_place").removeprefix("moon_"), subject, subject]).fetchone()
        return None if row is None else (float(row[0]), float(row[1]))
    if q in LUNAR_EVENTS:
        row = con.execute(
            "SELECT t_utc, lat_deg, lon_deg FROM events WHERE kind = ? AND flight = ? "
            "ORDER BY t_utc LIMIT 1", [LUNAR_EVENTS[q], subject]).fetchone()
        if row is None:
            return None
        return _posix_or_none(row[0]) if q.endswith("_utc") else (float(row[1]), float(row[2]))
    if q in ("burn_utc", "entry_utc", "impact_utc"):  # the burn's by its name (extra: burn)
        pattern = f"{extra['burn']}:%" if q == "burn_utc" else "%"
        return _posix_or_none(_one(
            con, "SELECT min(t_utc) FROM events WHERE kind = ? AND flight = ? AND detail LIKE ?",
            q.removesuffix("_utc"), subject, pattern))
    if q in ("apoapsis_after_nmi", "periapsis_after_nmi"):  # the orbit a burn's event states
        detail = _one(con, "SELECT detail FROM events WHERE kind = 'burn' AND flight = ? AND "
                      "detail LIKE ?", subject, f"{extra['burn']}:%")
        found = re.search(r"orbit (-?[\d.]+) x (-?[\d.]+) n mi", detail or "")
        return None if found is None else float(found.group(1 if q[0] == "a" else 2))
    if q == "reentry_utc":
        return _posix_or_none(_one(
            con, "SELECT min(t_utc) FROM events WHERE kind = 'reentry' AND (station = ? OR "
            "flight = ?)", subject, subject))
    if q == "decay_reentry_utc":
        from stationsim.validation.decay import decay_reentry_s

        return decay_reentry_s(entry)
    raise ValueError(f"quantity {q!r} has no reader")


def _one(con, sql: str, *params):
    row = con.execute(sql, list(params)).fetchone()
    return None if row is None else row[0]


def _posix_or_none(value) -> float | None:
    return None if value is None else posix_s(value)


def _shuttle_flight_day(elapsed_s: float) -> int:
    """The crew flight day of an elapsed time since launch, as the Shuttle flight plans count
    them (:data:`stationsim.ops.rendezvous.SHUTTLE_FLIGHT_DAYS`)."""
    from stationsim.ops.rendezvous import SHUTTLE_FLIGHT_DAYS

    return SHUTTLE_FLIGHT_DAYS.flight_day(0.0, elapsed_s)
