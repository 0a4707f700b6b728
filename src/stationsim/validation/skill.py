"""Scoring predictions against a naive rival: what the model's agreement with the record earns.

Each predicted docking belongs to a group of flights flown the same way, decided from the
program: module flights (a module flying itself) form one group; other flights group by the
rendezvous profile they fly (the flight's, else the vehicle type's default in the catalog),
by vehicle type as well where that profile is the generic co-elliptic one (it stands in for
each vehicle's own), by the docking flight day the flight plan names (the Shuttle's 3 or 4),
and by the day of the retry that docked after aborted approaches (Progress M-24's day 9: its
rival must know that day too, as the model does).

The rival of a docking is the record's own leave-one-out average: the median launch-to-docking
time of the *other* flights of its group with a recorded docking (each flight once, whichever
program replays it; calibration flights included, as the record is the rival's to learn from).
The median, not the mean: a few flights of a group flew another plan (a three-day rendezvous, a
week's wait), and a mean dragged by them would make a rival too easy to beat. Skill is the
model's mean |error| over the rival's: below 1 the physics beats the average.

Re-entries (uncontrolled decays, error as a share of the remaining lifetime) have no rival: the
objects differ too much (a 58 cm sphere from 939 km, a 12 t station from 340 km) for an average
of the others to forecast one, and the leave-one-out mean of the model's own errors would give a
skill of exactly 1 by construction. Controlled re-entries (a deorbit burn written in the
program) are a group of their own in hours.
"""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from stationsim.astro.constants import DAY_S
from stationsim.validation.compare import Comparison, FlightFacts, Record, posix_s
from stationsim.validation.provenance import DOCKINGS, INPUT, PREDICTED, Provenance, classify

if TYPE_CHECKING:
    from stationsim.scenario.schema import Program

GENERIC_PROFILE = "coelliptic"
MODULES = "modules"
REENTRIES = "re-entries"
CONTROLLED_REENTRIES = "controlled re-entries"
TRACKED_WITHIN_S = 2.0 * DAY_S
# a docking error this large is another plan, not another revolution: a Soyuz two-day profile
# docks on its fixed revolution whatever the station's phase, and a Shuttle flight day's window
# is 13 h long; an unknown phase moves a docking within its day, never by half a day or more
ANOTHER_PLAN_H = 12.0
TRACKED = "crewed and cargo dockings, station tracked within 2 d before launch"
GROUP_UNITS = {MODULES: "d", REENTRIES: "% of remaining life", CONTROLLED_REENTRIES: "h"}
HOUR_S = 3600.0


@dataclass(frozen=True)
class Row:
    """One comparison with what it tests. ``error``: the model's signed error in the group's
    unit; ``record_dock_h``: the record's launch-to-docking time of a docking with a point
    record (the rival's material); ``tracking_age_s``: launch minus the station's last tracking
    update before it."""

    program: str
    comparison: Comparison
    provenance: Provenance
    group: str | None = None
    error: float | None = None
    record_dock_h: float | None = None
    tracking_age_s: float | None = None

    @property
    def subject(self) -> str:
        return self.comparison.entry.subject

    @property
    def untracked(self) -> bool:
        """A docking predicted without tracking of its station in the 2 days before launch: the
        station's place along its orbit is then the model's own prediction over that time."""
        return (self.comparison.entry.quantity in DOCKINGS and self.provenance.kind == PREDICTED
                and (self.tracking_age_s is None or self.tracking_age_s > TRACKED_WITHIN_S))

    @property
    def why_missed(self) -> str:
        """Why this row misses (or was not simulated): the record entry's note, else for an
        untracked docking the age of what the model knew of the station. The along-track
        error of a drag prediction grows with the square of the time since tracking (Vallado
        4th ed. sec. 9.6: about a kilometre a day in LEO), and a few hundred kilometres move a
        rendezvous to another revolution."""
        if self.comparison.within not in (False, None):
            return ""
        if self.comparison.entry.note:
            return self.comparison.entry.note
        if self.provenance.kind not in (PREDICTED, INPUT):
            return f"not a prediction: {self.provenance.why}"
        if self.error is not None and self.group not in (MODULES, REENTRIES) and abs(
                self.error) >= ANOTHER_PLAN_H:
            return (f"{self.error / 24.0:+.1f} d: a day or more from the record, more than any "
                    "placement of the profile's own plan can move it; the flight flew another "
                    "plan (a longer rendezvous, a wait, a retry or another launch day) that the "
                    "program does not write")
        if not self.untracked:
            return self._why_on_a_written_day()
        if self.tracking_age_s is None:
            return ("no tracking of the station before this launch: its place along the orbit "
                    "is the model's own prediction from the program's start")
        return (f"the station was last tracked {self.tracking_age_s / DAY_S:,.0f} d before "
                "launch: its place along the orbit is the model's own prediction over that time")

    def _why_on_a_written_day(self) -> str:
        """A tracked miss on a docking day the program writes for a revolution-count profile
        (a longer planned rendezvous, a retry): the day is an input, the pass the model's;
        empty for any other row."""
        group = self.group or ""
        schedule = _revolution_schedule(group.split(",")[0])
        if "flight day" not in group or self.error is None or schedule is None:
            return ""
        side = "later" if self.error < 0 else "earlier"
        if "retried on" in group or not schedule.later_days_kept:
            return (f"the day is the program's; which of that day's passes over the Russian "
                    f"ground stations the flight docked in is not published, and the model "
                    f"takes the first its rule allows (stationsim.ops.retry): the flight docked "
                    f"{abs(self.error):.1f} h {side}")
        return (f"the plan's day is the program's; the model keeps the profile's revolution's "
                f"time of day (moved by the station's revolutions in the added days, to the "
                f"nearest), and the flight docked {abs(self.error):.1f} h {side}: its plan "
                f"counted that day's revolutions otherwise")

    @property
    def scored(self) -> bool:
        """A prediction with a group and a point error: it counts in the skill table."""
        return (self.provenance.kind == PREDICTED and self.group is not None
                and self.error is not None)


@dataclass(frozen=True)
class GroupSkill:
    """A group's scores over ``n`` scored rows of ``flights``: mean and median |error| of the
    model; the rival's mean |error| over the ``n_rival`` rows that have a rival (a flight whose
    launch time the program does not write has none: the record's launch to docking needs it)
    and the skill, the model's mean |error| over those same rows divided by the rival's."""

    group: str
    unit: str
    flights: tuple[str, ...]
    n: int
    model_mean: float
    rival_mean: float | None
    skill: float | None
    median: float
    n_rival: int = 0

    def as_dict(self) -> dict:
        return {"group": self.group, "unit": self.unit, "n": self.n,
                "flights": list(self.flights), "model_mean_abs_error": self.model_mean,
                "rival_mean_abs_error": self.rival_mean, "n_with_rival": self.n_rival,
                "skill": self.skill, "median_abs_error": self.median}


def rows_of(
    program_name: str, program: Program, comparisons: Sequence[Comparison], record: Record,
    facts: FlightFacts | None = None,
) -> list[Row]:
    """Every comparison of ``program`` classified (:func:`provenance.classify`), grouped and
    given its error in the group's unit."""
    from stationsim.hardware.catalog import load_catalog

    catalog = load_catalog()
    facts = facts or FlightFacts()
    flights = {f.id: f for f in program.flights}
    rows = []
    for c in comparisons:
        entry = c.entry
        kind = classify(entry, program, record.calibration_flights, facts.assumed_phase)
        flight = flights.get(entry.subject)
        group = _group(entry, flight, catalog)
        rows.append(Row(program_name, c, kind, group, _error(c, group),
                        _record_dock_h(c, flight), facts.tracking_age_s.get(entry.subject)))
    return rows


def _group(entry, flight, catalog) -> str | None:
    if entry.quantity in ("reentry_utc", "decay_reentry_utc"):
        return REENTRIES if "since" in entry.extra else CONTROLLED_REENTRIES
    if entry.quantity not in DOCKINGS or flight is None:
        return None
    if flight.vehicle is None:
        return MODULES
    profile = _profile_name(flight.profile or catalog.vehicle(flight.vehicle).default_profile)
    group = f"{profile}: {flight.vehicle}" if profile == GENERIC_PROFILE else profile
    if flight.docking_flight_day is not None:
        group += f", flight day {flight.docking_flight_day}"
    retries = [a.retry_flight_day for a in flight.approach_aborts if a.retry_flight_day]
    if retries:  # the docking's day is the program's: only its time of day is predicted
        group += f", retried on flight day {retries[-1]}"
    return group


def _revolution_schedule(profile: str):
    """The schedule of the named profile when it places its own docking by a revolution count
    (Soyuz, Progress), else None."""
    from stationsim.ops.rendezvous import PROFILES, RevolutionSchedule

    known = PROFILES.get(profile)
    return known.schedule if known is not None and isinstance(known.schedule,
                                                              RevolutionSchedule) else None


def _profile_name(name: str) -> str:
    """The profile a name flies (a vehicle's ``default_profile`` may be an alias)."""
    from stationsim.ops.rendezvous import get_profile

    try:
        return get_profile(name).name
    except ValueError:
        return name


def _error(c: Comparison, group: str | None) -> float | None:
    """Simulated minus a point record in the group's unit (None for a band record)."""
    if group is None or c.difference is None or c.entry.value is None:
        return None
    entry = c.entry
    seconds = c.difference if entry.kind == "time" else c.difference * HOUR_S
    if group == REENTRIES:
        return 100.0 * seconds / (c.record - posix_s(entry.extra["since"]))
    return seconds / (DAY_S if group == MODULES else HOUR_S)


def _record_dock_h(c: Comparison, flight) -> float | None:
    entry = c.entry
    if entry.value is None or entry.quantity not in DOCKINGS:
        return None
    if entry.quantity == "launch_to_dock_h":
        return float(entry.value)
    if flight is None or flight.launch_utc is None:
        return None
    return (c.record - posix_s(flight.launch_utc)) / HOUR_S


# --- the rival and the scores -----------------------------------------------------------------
def rival_errors(rows: Sequence[Row]) -> dict[int, float]:
    """The rival's signed error for each scored docking row (by index into ``rows``): the median
    recorded launch-to-docking time of the other flights of its group, minus the row's own."""
    recorded: dict[str, dict[str, float]] = {}
    for row in rows:
        if row.group is not None and row.record_dock_h is not None:
            recorded.setdefault(row.group, {}).setdefault(row.subject, row.record_dock_h)
    errors = {}
    for index, row in enumerate(rows):
        if not row.scored or row.record_dock_h is None:
            continue
        others = [h for subject, h in recorded[row.group].items() if subject != row.subject]
        if others:
            scale = 24.0 if row.group == MODULES else 1.0
            errors[index] = (statistics.median(others) - row.record_dock_h) / scale
    return errors


def skill_table(rows: Sequence[Row]) -> list[GroupSkill]:
    """One :class:`GroupSkill` per group of scored rows: the crewed and cargo dockings by
    group name, then the modules and the re-entries."""
    rivals = rival_errors(rows)
    groups: dict[str, list[int]] = {}
    for index, row in enumerate(rows):
        if row.scored:
            groups.setdefault(row.group, []).append(index)
    special = list(GROUP_UNITS)  # after the dockings, in this order
    order = sorted(groups, key=lambda g: (special.index(g) if g in special else -1, g))
    return [_skill(group, GROUP_UNITS.get(group, "h"), rows, groups[group], rivals)
            for group in order]


def _tracked(rows: Sequence[Row]) -> list[int]:
    return [i for i, row in enumerate(rows)
            if row.scored and row.group not in (MODULES, REENTRIES, CONTROLLED_REENTRIES)
            and row.tracking_age_s is not None and row.tracking_age_s <= TRACKED_WITHIN_S]


def tracked_skill(rows: Sequence[Row]) -> GroupSkill | None:
    """The crewed and cargo dockings (modules apart) whose station was tracked no more than
    2 days before launch, each against its own group's rival (None: there are none)."""
    members = _tracked(rows)
    return _skill(TRACKED, "h", rows, members, rival_errors(rows)) if members else None


def tracked_by_group(rows: Sequence[Row]) -> list[GroupSkill]:
    """The tracked dockings of :func:`tracked_skill` group by group ("tracked: <group>")."""
    rivals, groups = rival_errors(rows), {}
    for i in _tracked(rows):
        groups.setdefault(rows[i].group, []).append(i)
    return [_skill(f"tracked: {group}", "h", rows, members, rivals)
            for group, members in sorted(groups.items())]


def _skill(group: str, unit: str, rows: Sequence[Row], members: list[int],
           rivals: dict[int, float]) -> GroupSkill:
    model = [abs(rows[i].error) for i in members]
    rivalled = [i for i in members if i in rivals]
    rival_mean = skill = None
    if rivalled:
        rival_mean = statistics.fmean(abs(rivals[i]) for i in rivalled)
        model_on_rivalled = statistics.fmean(abs(rows[i].error) for i in rivalled)
        skill = model_on_rivalled / rival_mean if rival_mean > 0.0 else None
    flights = tuple(dict.fromkeys(rows[i].subject for i in members))
    return GroupSkill(group, unit, flights, len(members), statistics.fmean(model), rival_mean,
                      skill, statistics.median(model), len(rivalled))
