"""Rendezvous profiles: burn sequences from insertion to a station-relative aim point.

Every profile is the same ladder of manoeuvres under its own names and rules (Fehse, *Automated
Rendezvous and Docking of Spacecraft*, 2003, ch. 2; shuttlepresskit.com STS-96 REF64 for the
Shuttle's burn definitions, rendezvous_profiles.csv):

1. phasing (Shuttle NC1): at an apogee, set the far apsis so the vehicle catches up on the
   station at the rate that brings it to the terminal point on schedule;
2. phasing trim (NC2): a ground update half-way, re-targeting the phase at the co-elliptic burn;
3. plane (NPC): at a crossing of the station's plane, remove the out-of-plane velocity;
4. height adjust (NH): at the phasing orbit's low apsis, raise the far apsis to ``dh`` below;
5. co-elliptic (NC4/NSR): half an orbit later, circularise ``dh`` below the station;
6. correction (NCC): onboard-targeted to the terminal point;
7. terminal (Ti/TPI): onboard-targeted transfer to the proximity start point;
8. midcourse (MC1..): re-targets of the same point; nominally near zero.

Burns 1-5 are ground-targeted; 6-8 are targeted from the current state (CW differential
correction with the model in the loop). The free design variable is the phasing apsis and the
number of phasing orbits; the number of orbits is picked by the profile's schedule (a flight day
for crewed Shuttle/Apollo flights, an orbit count for Soyuz/Progress), so the docking instant
follows from the phase angle at insertion and the station's orbit; a flight plan may instead
write the times of the trim, co-elliptic and terminal burns (:func:`timed_profile`), and the
phasing apsis alone then meets them. Propagation is the
``model`` given (default: two-body + J2 secular, :class:`stationsim.astro.propagate.J2Secular`).
"""

from __future__ import annotations

import functools
import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace

import numpy as np

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, NMI_M, R_EARTH_M
from stationsim.astro.frames import cross3, inertial_to_lvlh, lvlh_matrix
from stationsim.astro.kepler import j2_secular_rates, propagate_j2_secular
from stationsim.astro.maneuvers import circular_speed_mps, vis_viva_speed_mps
from stationsim.astro.propagate import J2Secular, Propagator
from stationsim.astro.relative import cw_stm
from stationsim.astro.time import Epoch
from stationsim.astro.vectors import dot3, norm3
from stationsim.errors import StationsimError
from stationsim.hardware.sites import LaunchSite
from stationsim.hardware.vehicle import VehicleType
from stationsim.ops.coverage import coverage_intervals, covered_instants, last_covered_instants
from stationsim.ops.insertion import (
    Insertion,
    InsertionSpec,
    insert,
    insertion_spec,
    phase_angle_rad,
    station_at_insertion,
)
from stationsim.ops.kept import Kept
from stationsim.ops.lighting import sunsets
from stationsim.ops.proximity import (
    APPROACHES,
    SSVP_HARD_MATE_S,
    Approach,
    ApproachClock,
    ApproachSpec,
    approach_clock,
    plan_approach,
)
from stationsim.ops.schedules import (
    MOSCOW_DECREE_UTC_OFFSET_S,
    ElapsedSchedule,
    calendar_day_left_s,
)

TWO_PI = 2.0 * math.pi
STATUTE_MILE_M = 1609.344
TARGET_TOLERANCE_M = 0.5  # differential correction stops inside this miss
TARGET_MAX_ITERATIONS = 25
TARGET_MAX_DV_MPS = 300.0  # a terminal-phase burn beyond this means the geometry is wrong
PHASE_TOLERANCE_RAD = 1e-7  # ~0.7 m along track
PLACEMENT_TOLERANCE_S = 5.0  # the terminal point re-aimed at a placement to within this
PLACEMENT_ITERATIONS = 3
GROUND = "ground"
ONBOARD = "onboard"

# An orbit model: a Propagator class or factory taking (epoch0, r0_m, v0_mps).
OrbitModel = Callable[[Epoch, np.ndarray, np.ndarray], Propagator]


class RendezvousError(StationsimError):
    """No rendezvous plan exists for this launch under the profile's rules."""


# --- profiles -----------------------------------------------------------------------------

@dataclass(frozen=True)
class DockingRule:
    """How a flight plan times a docking on its day, for launches before ``until_utc``.

    The Ti burn comes ``ti_lead_s`` or more after the flight day starts (the crew's rendezvous
    timeline begins at Ti - 3:00, JSC-48072 RNDZ checklist, rendezvous_rules.csv). Docking
    follows Ti by ``ti_to_docking_s`` (the flight plans' interval, the approach waiting at its
    hold point for the rest) or by the terminal transfer and the approach as flown, when that
    is longer or the interval is None;
    with ``coverage`` it is put at the first instant from then on when the final leg (from the
    last hold to contact) is flown in view of the Russian ground stations
    (:mod:`stationsim.ops.coverage`). With ``ti_before_sunset_s`` Ti comes that long before
    one of the station's orbital sunsets (:mod:`stationsim.ops.lighting`), the first one the
    rules allow. ``approach``: the approach flown (unless the caller names one).
    """

    until_utc: str
    approach: str
    ti_to_docking_s: float | None
    coverage: bool
    source: str
    ti_lead_s: float = 3.0 * 3600.0  # JSC-48072: the rendezvous timeline begins at Ti - 3:00
    ti_before_sunset_s: float | None = None
    # the era's insertion orbits, where not the profile's, in the order the plans prefer them:
    # the one from whose phase a plan meets the rules' earliest placement is flown, the first
    # on a tie (OMS-2 is "also considered a rendezvous phasing burn", shuttlepresskit.com
    # STS-96 REF64)
    insertions: tuple[str, ...] = ()


@dataclass(frozen=True)
class FlightDaySchedule:
    """Docking on a crew flight day: day 1 lasts ``first_day_s`` (launch-day activities and the
    first sleep), then 24 h days; docking between ``dock_after_wake_s`` and ``dock_before_wake_s``
    after that day's start. ``earliest_day``: the first day a rendezvous may end on.
    ``rules``: the flight plan's docking rules by era (the first whose ``until_utc`` is after
    the launch applies); without one, the plan of least delta-v in the window docks.
    ``wake_tt_s``: the flight plan's crew wake-up on the docking day ``wake_day``, where a
    flight writes it (:func:`with_wake_up`): that day's rendezvous timeline starts no earlier
    than ``post_sleep_s`` after it, a later day's 24 h on."""

    first_day_s: float
    earliest_day: int
    dock_after_wake_s: float
    dock_before_wake_s: float
    latest_day: int = 6
    # calendar days of this time zone (UTC offset, s) instead: day 1 is the launch date
    calendar_utc_offset_s: float | None = None
    rules: tuple[DockingRule, ...] = ()
    wake_tt_s: float | None = None
    wake_day: int = 3
    post_sleep_s: float = 0.0

    def _first_day_s(self, launch_tt_s: float) -> float:
        if self.calendar_utc_offset_s is None:
            return self.first_day_s
        return calendar_day_left_s(launch_tt_s, self.calendar_utc_offset_s)

    def day_start_s(self, launch_tt_s: float, day: int) -> float:
        if self.wake_tt_s is not None:  # the written wake-up's day, and 24 h days from it
            return self.wake_tt_s + self.post_sleep_s + (day - self.wake_day) * DAY_S
        first_day_s = self._first_day_s(launch_tt_s)
        return launch_tt_s if day == 1 else launch_tt_s + first_day_s + (day - 2) * DAY_S

    def flight_day(self, launch_tt_s: float, tt_s: float) -> int:
        """The flight day (1-based) that contains ``tt_s``."""
        elapsed_s, first_day_s = tt_s - launch_tt_s, self._first_day_s(launch_tt_s)
        if elapsed_s < first_day_s:
            return 1
        return 2 + int((elapsed_s - first_day_s) // DAY_S)

    def rule(self, launch_tt_s: float) -> DockingRule | None:
        """The docking rule of a launch at ``launch_tt_s``, or None."""
        for rule in self.rules:
            if launch_tt_s < Epoch.from_utc_iso(rule.until_utc).tt_s:
                return rule
        return None

    def windows(
        self,
        launch_tt_s: float,
        period_s: float,
        day: int | None,
    ) -> Iterator[tuple[int | None, float, float, float]]:
        """(day, opens_s, nominal_closes_s, closes_s) of each day the docking may fall on, in
        order (the schedules' common protocol; ``period_s`` is not used, the window is the
        flight plan's whole)."""
        days = [day] if day is not None else range(self.earliest_day, self.latest_day + 1)
        for d in days:
            start_s = self.day_start_s(launch_tt_s, d)
            closes_s = start_s + self.dock_before_wake_s
            yield d, start_s + self.dock_after_wake_s, closes_s, closes_s


@dataclass(frozen=True)
class OrbitSchedule:
    """Docking within revolutions ``first_orbit``..``last_orbit`` of the chaser after insertion
    (a revolution: the mean of the insertion orbit's and the station's periods)."""

    first_orbit: float
    last_orbit: float

    def windows(
        self,
        insertion_tt_s: float,
        period_s: float,
        day: int | None,
    ) -> Iterator[tuple[int | None, float, float, float]]:
        closes_s = insertion_tt_s + self.last_orbit * period_s
        yield None, insertion_tt_s + self.first_orbit * period_s, closes_s, closes_s


@dataclass(frozen=True)
class RevolutionSchedule:
    """Docking on the chaser's revolution ``revolution`` in the Russian ballistic count:
    revolution 1 runs from launch to the first ascending node and each ascending node begins
    the next (so a launch from Baikonur, 66 deg of latitude argument past the node, starts on
    revolution 1). With ``coverage`` the docking is put in a pass of that revolution over
    the Russian ground stations, at the last instant that leaves ``after_contact_s`` of the
    pass after contact (the mechanical docking to hard mate, watched from the ground) and has
    the final approach (from the last hold to contact) flown in view: as much of the approach
    as the pass allows is seen from the ground."""

    revolution: int
    coverage: bool
    source: str
    after_contact_s: float = 0.0
    # a plan of more days (its ``docking_flight_day``, a Moscow calendar day) after ``day``,
    # the Moscow day of ``revolution``: with ``later_days_kept`` it keeps that revolution's
    # time of day, moved by the station's revolutions in the added days to the nearest; else
    # on that day's first placement the rules allow (:mod:`stationsim.ops.retry`)
    day: int = 1
    later_days_kept: bool = False


@dataclass(frozen=True)
class Profile:
    """A named rendezvous strategy: burn names, geometry, limits and schedule (see module doc).

    ``names`` maps the roles phasing, trim, plane, height, coelliptic, correction, terminal to
    burn names (a role left out is not flown); ``midcourse`` names the midcourse corrections,
    flown at ``midcourse_fractions`` of the terminal transfer. ``coelliptic_coast_orbits``: the
    co-elliptic coast before the terminal burn; a docking placed by the schedule's rules may
    lengthen it by up to one revolution (a Ti delay returns the chaser to the same relative
    point one revolution later, ironflight.com rendezvous part 5; rendezvous_rules.csv).
    ``timed``: the epochs (TT s) a flight plan writes for its burns of the roles in
    :data:`TIMED_ROLES` (:func:`timed_profile`); empty, the profile's own timeline.
    """

    name: str
    insertion: str
    names: dict[str, str]
    midcourse: tuple[str, ...]
    midcourse_fractions: tuple[float, ...]
    phasing_start_s: float  # after lift-off
    phasing_min_alt_m: float
    coelliptic_dh_m: float
    coelliptic_coast_orbits: float
    correction_lead_orbits: float
    terminal_range_m: float
    terminal_transfer_rad: float
    approach: str
    schedule: FlightDaySchedule | OrbitSchedule | RevolutionSchedule
    phasing_orbits: tuple[int, int]
    source: str
    timed: tuple[tuple[str, float], ...] = ()

    def role(self, role: str) -> str | None:
        return self.names.get(role)


# The roles whose burns a flight plan may time, in the order they fly: the phasing trim (a
# ground update of the phase at the co-elliptic burn), the co-elliptic burn and the terminal
# burn. A timed burn flies at its epoch and is still targeted by its rule; the phasing apsis
# (the design's free variable) then meets the phase those epochs need.
TIMED_ROLES = ("trim", "coelliptic", "terminal")


def timeable_burns(profile: Profile) -> dict[str, str]:
    """The burn names of ``profile`` a flight plan may time, with their roles."""
    return {profile.names[role]: role for role in TIMED_ROLES if role in profile.names}


def timed_profile(profile: Profile, burns: Mapping[str, Epoch]) -> Profile:
    """``profile`` flown on a flight plan's burn times: ``burns`` maps burn names of its
    :data:`TIMED_ROLES` to their epochs, which must come in the roles' order."""
    roles = timeable_burns(profile)
    timed = []
    for name, epoch in burns.items():
        if name not in roles:
            raise ValueError(f"burn {name!r} cannot be timed on the {profile.name!r} profile "
                             f"(expected one of {', '.join(roles) or 'none'})")
        timed.append((roles[name], float(epoch.tt_s)))
    timed.sort(key=lambda item: TIMED_ROLES.index(item[0]))
    if [role for role, _ in timed] == ["trim"]:
        later = ", ".join(name for name, role in roles.items() if role != "trim")
        raise ValueError(f"a timed {profile.names['trim']} needs a later burn timed too (expected "
                         f"one of {later}: the phase it trims is the one they need)")
    epochs_s = [tt_s for _, tt_s in timed]
    if any(later <= earlier for earlier, later in zip(epochs_s, epochs_s[1:], strict=False)):
        order = ", ".join(profile.names[role] for role, _ in timed)
        raise ValueError(f"burn times out of order (expected {order} in time order)")
    return replace(profile, timed=tuple(timed))


_MINUTE_S = 60.0
# Flight day 1's length is fitted on the calibration set {STS-96} (left out of every scored
# row): its rendezvous day began at Ti - 3:00 (JSC-48072), Ti at 8:35 pm CDT 28 May 1999
# (astronautix STS-96, rendezvous_profiles.csv), 38.755 h after the launch at 10:49:42 UTC
# 27 May; less the 24 h of flight day 2 that leaves 11.755 h. (JAXA's STS-92 timeline puts
# the first sleep ~5 h after launch; STS-114's was 6 h: the sleep then lasted 6.8 h, not 8.)
STS96_TI_AFTER_LAUNCH_S = (38.0 * 60.0 + 45.0) * _MINUTE_S + 18.0
# From 2001 the plans burn Ti a fixed time before the station's orbital sunset, fitted on the
# calibration set {STS-116, STS-117, STS-118} (left out of every scored row): their planned Ti
# (NASA status reports of docking day: 1:28 pm CST, 12:00 pm CDT, 10:14 am CDT) came 36.3,
# 36.5 and 37.2 min before the sunset of the station tracked on their launch day (the mean;
# :mod:`stationsim.ops.lighting`, SGP4 from the last set before each launch)
SHUTTLE_TI_BEFORE_SUNSET_S = 36.7 * _MINUTE_S
# A flight plan that writes its crew's docking-day wake-up starts the rendezvous timeline
# (Ti - 3:00, JSC-48072) no earlier than this after it: the least post-sleep time of the same
# calibration set, STS-118's 38 min (woken 6:36 am CDT, Ti 10:14 am: 3 h 38 min), the latest
# that fits all three (their least estimates a lower bound), a minute under it so that its own
# Ti is not on the bound
SHUTTLE_POST_SLEEP_S = 37.0 * _MINUTE_S
SHUTTLE_FLIGHT_DAYS = FlightDaySchedule(
    first_day_s=STS96_TI_AFTER_LAUNCH_S - 3.0 * 3600.0 - DAY_S,
    earliest_day=3,  # RNDZ books: timeline pages assume an FD3 rendezvous (rendezvous_rules.csv)
    # with FD4 the alternative (same rows: Mir flights had a window for each); a flight that
    # names no day docks on FD3, else FD4, never later
    latest_day=4,
    # Ti no earlier than 3:00 into the day (JSC-48072), then the shortest planned Ti-to-docking
    # interval, 2 h 37 min (STS-116, STS-128 plans; rendezvous_rules.csv)
    dock_after_wake_s=3.0 * 3600.0 + (2.0 * 60.0 + 37.0) * _MINUTE_S,
    # the crew day: 24 h less the 8 h sleep (NSS 2006, "Living on Shuttle Time")
    dock_before_wake_s=16.0 * 3600.0,
    post_sleep_s=SHUTTLE_POST_SLEEP_S,
    rules=(
        DockingRule(
            until_utc="1998-09-01T00:00:00Z",  # Shuttle-Mir: STS-63 (1995) to STS-91 (1998)
            approach="shuttle-mir",
            ti_to_docking_s=None,  # Mir flights' own R-bar approach with a pause for the go
            coverage=True,
            source="rendezvous_rules.csv (Space Shuttle, Mir: docking timing rule, P. Chien "
            "1995, satobs.org SeeSat Jun-1995/0077; final approach, Springer 2007 ch. 8)",
        ),
        DockingRule(
            # the ISS before its resident crews' Shuttle flights (STS-96 to STS-97): the plans
            # wait for Russian ground stations; Energia's STS-106 release: docked 'within a
            # radio visibility area of the Russian ground measurement stations'
            until_utc="2001-01-01T00:00:00Z",
            approach="shuttle-iss-1999",
            ti_to_docking_s=(2.0 * 60.0 + 49.0) * _MINUTE_S,  # STS-96 (1999) planned interval
            insertions=("shuttle", "shuttle-iss"),
            coverage=True,  # STS-96: the 170-ft hold waits for Russian ground stations
            source="rendezvous_rules.csv (Space Shuttle, ISS: Ti -> docking ~2 h 49 min and the "
            "170-ft hold for Russian ground stations, astronautix STS-96; spaceref.com, RSC "
            "Energia release on STS-106's docking)",
        ),
        DockingRule(
            # from 2001 to the R-bar pitch manoeuvre era the plans dock outside that coverage:
            # STS-98 'scheduled to link up ... over the Western Pacific northeast of New Guinea'
            # (NASA STS-98 status report #04), STS-108 'off the British coast' (NASA STS-108
            # status report #04), both written on docking day before the docking
            until_utc="2003-01-01T00:00:00Z",
            approach="shuttle-iss-1999",
            ti_to_docking_s=(2.0 * 60.0 + 49.0) * _MINUTE_S,  # STS-96 (1999) planned interval
            insertions=("shuttle", "shuttle-iss"),
            coverage=False,
            source="rendezvous_rules.csv (Space Shuttle, ISS: Ti -> docking ~2 h 49 min, "
            "astronautix STS-96); NASA STS-98 and STS-108 status reports #04 (docking places); "
            "Ti before sunset: SHUTTLE_TI_BEFORE_SUNSET_S",
            ti_before_sunset_s=SHUTTLE_TI_BEFORE_SUNSET_S,
        ),
        DockingRule(
            until_utc="2100-01-01T00:00:00Z",
            approach="shuttle-iss",
            insertions=("shuttle", "shuttle-iss"),
            # the planned intervals of STS-116, -118, -128, -134: 2:37, 2:38, 2:37, 2:39
            ti_to_docking_s=(2.0 * 60.0 + 37.75) * _MINUTE_S,
            coverage=False,
            source="rendezvous_rules.csv (Space Shuttle, ISS: Ti -> docking planned intervals, "
            "spaceflightnow STS-116/-118/-134, spaceweekly STS-128); Ti before sunset: "
            "calibration set {STS-116, STS-117, STS-118} (SHUTTLE_TI_BEFORE_SUNSET_S)",
            ti_before_sunset_s=SHUTTLE_TI_BEFORE_SUNSET_S,
        ),
    ),
)

PROFILES: dict[str, Profile] = {
    "shuttle": Profile(
        name="shuttle",
        insertion="shuttle",
        names={"phasing": "NC1", "trim": "NC2", "plane": "NPC", "height": "NH",
               "coelliptic": "NC4", "correction": "NCC", "terminal": "Ti"},
        midcourse=("MC1", "MC2", "MC3", "MC4"),
        midcourse_fractions=(0.15, 0.35, 0.6, 0.85),
        phasing_start_s=3.5 * 3600.0,  # STS-71 NC1 at MET 3:39
        phasing_min_alt_m=157.0e3,  # the insertion perigee (85 nmi), the lowest Shuttle orbit
        # STS-132: after Ti 213 x 217 statute mi under the station's 220 mi circle, i.e. ~7 mi
        # (11 km) below before Ti (rendezvous_profiles.csv)
        coelliptic_dh_m=7.0 * STATUTE_MILE_M,
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=8.0 * NMI_M,  # Ti ~8 nmi behind the target
        terminal_transfer_rad=math.radians(300.0),  # under one orbit: CW is singular at 360 deg
        approach="shuttle-iss",
        schedule=SHUTTLE_FLIGHT_DAYS,
        phasing_orbits=(3, 60),
        source="shuttlepresskit.com STS-96 REF64 (burn definitions); rendezvous_profiles.csv "
        "(STS-71 NC1 time and orbits, Ti range, R-bar/V-bar prox ops)",
    ),
    "soyuz-two-day": Profile(
        name="soyuz-two-day",
        insertion="soyuz",
        names={"phasing": "DV1", "trim": "DV2", "plane": "DV3", "height": "DV4",
               "coelliptic": "DV5", "correction": "Kurs-1", "terminal": "Kurs-2"},
        midcourse=("Kurs-3", "Kurs-4"),
        midcourse_fractions=(0.4, 0.8),
        phasing_start_s=3.0 * 5300.0,  # burns from the third orbit
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=5.0e3,
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=15.0e3,
        terminal_transfer_rad=math.radians(270.0),
        approach="kurs",
        # 'Flight Day 3, Orbit 34: final approach and docking' (NASA Soyuz timeline overview;
        # spaceref ISS status); Kurs docking in Russian ground coverage (NASA ISS report
        # iss00-33, Zvezda 2000; rendezvous_rules.csv)
        # in the pass, the last instant that leaves the 9 min to hard mate in view: Soyuz
        # TM-31's plan (NASA ISS status report 00-47) began its station-keeping before the
        # station came into view and docked with ~11 min of the pass left
        schedule=RevolutionSchedule(34, coverage=True, source="NASA Soyuz timeline overview; "
                                    "spaceref.com/?p=95704", after_contact_s=SSVP_HARD_MATE_S,
                                    day=3, later_days_kept=True),
        phasing_orbits=(2, 40),
        source="rendezvous_profiles.csv (Soyuz/Progress two-day profile, 34 orbits, Kurs from "
        "~100 km, flyaround 200-400 m)",
    ),
    "soyuz-four-orbit": Profile(
        name="soyuz-four-orbit",
        insertion="soyuz",
        names={"phasing": "DV1", "height": "DV2", "coelliptic": "DV3",
               "correction": "Kurs-1", "terminal": "Kurs-2"},
        midcourse=("Kurs-3",),
        midcourse_fractions=(0.6,),
        phasing_start_s=0.0,
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=5.0e3,
        # the rendezvous mode (Kurs-1 on) follows the last ground-targeted burn at once: 'then
        # we transition immediately to the rendezvous mode' (Cristoforetti, ESA outpost42
        # logbook ?p=928, the four-orbit sequence)
        coelliptic_coast_orbits=0.3,
        correction_lead_orbits=0.3,
        terminal_range_m=15.0e3,
        terminal_transfer_rad=math.radians(200.0),
        approach="kurs",
        schedule=OrbitSchedule(3.25, 4.25),  # ~6 h from launch
        phasing_orbits=(0, 2),
        source="rendezvous_profiles.csv (4-orbit ~6 h profile from 2012-13); rendezvous_rules.csv "
        "(burns 1-2 loaded before launch); outpost42.esa.int/?p=928 (then the rendezvous mode)",
    ),
    "soyuz-two-orbit": Profile(
        name="soyuz-two-orbit",
        insertion="soyuz",
        # one phasing burn at the first apogee, then Kurs from its far apsis half an orbit later
        names={"phasing": "DV1", "terminal": "Kurs-1"},
        midcourse=(),
        midcourse_fractions=(),
        phasing_start_s=0.0,
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=5.0e3,
        coelliptic_coast_orbits=0.3,
        correction_lead_orbits=0.2,
        terminal_range_m=10.0e3,
        terminal_transfer_rad=math.radians(270.0),
        approach="kurs",
        schedule=OrbitSchedule(1.75, 2.5),  # ~3.5 h from launch
        phasing_orbits=(0, 1),
        source="rendezvous_profiles.csv (2-orbit ~3.5 h profile, Progress MS-07, 2017)",
    ),
    "apollo": Profile(
        name="apollo",
        insertion="apollo",
        # ASTP flew 'the standard rendezvous sequence used in Skylab' (a first-person account,
        # tli-tiptree.com, 17 July 1975): NC1 phasing on 16 July, NC2 the next morning
        # re-phasing (it 'lowers our apogee ... speeding up our closure'), NSR co-elliptic, TPI
        # (space_race_inputs.csv from SP-4209 ch. 11); NCC, the corrective combination half an
        # orbit before NSR, sets the height (its time is not in the reference tables), NPC as
        # modelled
        names={"phasing": "NC1", "trim": "NC2", "plane": "NPC", "height": "NCC",
               "coelliptic": "NSR", "terminal": "TPI"},
        midcourse=("TPM1", "TPM2"),
        midcourse_fractions=(0.3, 0.65),
        phasing_start_s=2.0 * 3600.0,
        phasing_min_alt_m=150.0e3,
        # SP-4209 ch. 11: NSR put Apollo in 210 x 209 km under Soyuz's 225 x 225 km circle
        coelliptic_dh_m=225.0e3 - 209.5e3,
        # SP-4209 ch. 11: NSR at 14:12Z, TPI at 15:17Z on 17 July: 65 min of Soyuz's 88.8-min
        # revolution at 225 km
        coelliptic_coast_orbits=65.0 / 88.8,
        correction_lead_orbits=0.4,
        # SP-4209 ch. 11: TPI at a range of ~35 km, 15.5 km below: 31.4 km along the orbit
        terminal_range_m=math.sqrt(35.0e3**2 - (225.0e3 - 209.5e3) ** 2),
        terminal_transfer_rad=math.radians(130.0),  # Apollo/Gemini TPI transfer of 130 deg
        approach="apollo",
        schedule=FlightDaySchedule(15.0 * 3600.0, 3, 0.0, 12.0 * 3600.0),
        phasing_orbits=(3, 50),
        source="space_race_inputs.csv (ASTP: NC1, NC2, NSR 210 x 209 km, TPI at ~35 km; SP-4209 "
        "ch. 11); Apollo/Gemini TPI transfer of 130 deg; Soyuz passive at 225 km",
    ),
    "coelliptic": Profile(
        name="coelliptic",
        insertion="generic",
        names={"phasing": "NC1", "trim": "NC2", "plane": "NPC", "height": "NH",
               "coelliptic": "NSR", "correction": "NCC", "terminal": "TPI"},
        midcourse=("MC1", "MC2"),
        midcourse_fractions=(0.3, 0.7),
        phasing_start_s=1.5 * 3600.0,
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=10.0e3,
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,  # not 0.5: half-orbit CW targeting is singular
        terminal_range_m=20.0e3,
        terminal_transfer_rad=math.radians(270.0),
        approach="generic",
        schedule=OrbitSchedule(8.0, 40.0),  # the earliest arrival the phase allows
        phasing_orbits=(2, 40),
        source="Fehse 2003 ch. 2 (co-elliptic Hohmann phasing, CW terminal targeting)",
    ),
    # --- the later and the module families (rendezvous_rules.csv, one row each) ----------------
    "mir-77k": Profile(
        name="mir-77k",
        insertion="proton-77k",
        names={"phasing": "DV1", "trim": "DV2", "plane": "DV3", "height": "DV4",
               "coelliptic": "DV5", "correction": "Kurs-1", "terminal": "Kurs-2"},
        midcourse=("Kurs-3", "Kurs-4"),
        midcourse_fractions=(0.4, 0.8),
        phasing_start_s=3.0 * 5300.0,  # as the Soyuz/Progress ground-targeted burns
        phasing_min_alt_m=221.0e3,  # the Proton insertion perigee
        coelliptic_dh_m=5.0e3,  # Kurs homing as for Soyuz/Progress
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=15.0e3,
        terminal_transfer_rad=math.radians(270.0),
        approach="kurs-77k",
        # The flight plan's docking date, a Moscow calendar day (day 1: the launch date; no crew
        # day): Kvant-2's was 1989-12-02, day 7 (kosmonavtika.com), the nominal; a program
        # writes its module's own
        # planned day (Spektr 'scheduled to dock on 1 June', Flight International 1995;
        # Priroda 'for docking on April 26', TSGC) and the aborts and retries (program.approach)
        schedule=FlightDaySchedule(DAY_S, 7, 0.0, DAY_S, latest_day=16,
                                   calendar_utc_offset_s=MOSCOW_DECREE_UTC_OFFSET_S),
        phasing_orbits=(2, 260),
        source="rendezvous_rules.csv (Mir 77K modules: autonomous Kurs approach to the core's "
        "forward port, aborts and retries); kosmonavtika.com (Kvant-2: 221 x 339 km insertion, "
        "docking planned 1989-12-02)",
    ),
    "crew-dragon": Profile(
        name="crew-dragon",
        insertion="generic",
        # four phasing/synchronisation burns during the crew's sleep, then approach initiation
        names={"phasing": "Phasing-1", "trim": "Phasing-2", "plane": "Phasing-3",
               "height": "Phasing-4", "coelliptic": "Coelliptic", "terminal": "AI"},
        midcourse=("MC1", "MC2"),
        midcourse_fractions=(0.4, 0.8),
        phasing_start_s=1.5 * 3600.0,  # estimate: after the first orbits' checkout
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=2.5e3,  # approach initiation ~2.5 km below the station
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=7.0e3,  # ~7 km behind
        terminal_transfer_rad=math.radians(270.0),  # estimate
        approach="crew-dragon",
        # one-day class, 19-27 h, 'longer when phasing requires': a cargo Dragon's 'two-day
        # rendezvous' (CBS News, CRS-27, 2023-03-16): the next day in windows of the same 8 h
        schedule=ElapsedSchedule(19.0 * 3600.0, 27.0 * 3600.0, longer_s=DAY_S),
        phasing_orbits=(2, 36),
        source="rendezvous_rules.csv (Crew Dragon one-day: 19-27 h, four phasing burns, "
        "approach initiation ~7 km behind / 2.5 km below, WP0 400 m, WP1 220 m, 20 m)",
    ),
    "starliner": Profile(
        name="starliner",
        insertion="generic",  # Starliner's own orbital insertion burn after Atlas V
        names={"phasing": "NC1", "trim": "NC2", "plane": "NPC", "height": "NH",
               "coelliptic": "NC4", "correction": "NCC", "terminal": "TI"},
        midcourse=("MC1", "MC2"),
        midcourse_fractions=(0.4, 0.8),
        phasing_start_s=1.5 * 3600.0,  # estimate
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=2.5e3,  # estimate, as Crew Dragon (same approach ellipsoid)
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=7.0e3,  # estimate, as Crew Dragon
        terminal_transfer_rad=math.radians(270.0),
        approach="starliner",
        # 'docking about one day after launch (range only)': a day plus or minus its quarter
        # (an estimate of the range), inside the 60 h of free flight
        schedule=ElapsedSchedule(18.0 * 3600.0, 30.0 * 3600.0),
        phasing_orbits=(2, 22),
        source="rendezvous_rules.csv (Starliner ~1-day: own insertion burn, approach from "
        "below, fly-around to +V-bar, docking about one day after launch)",
    ),
    "shenzhou": Profile(
        name="shenzhou",
        insertion="generic",
        # five long-range ground-guided manoeuvres (China Daily; People's Daily counts eight)
        names={"phasing": "M1", "trim": "M2", "plane": "M3", "height": "M4",
               "coelliptic": "M5", "terminal": "Homing"},
        midcourse=("Homing-MC1", "Homing-MC2"),
        midcourse_fractions=(0.4, 0.8),
        phasing_start_s=3.0 * 5300.0,  # estimate: from the third orbit, as Soyuz
        phasing_min_alt_m=190.0e3,
        # into a ~330 km near-circular orbit under Tiangong-1 at 343 km: 13 km below
        coelliptic_dh_m=13.0e3,
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=52.0e3,  # handover to autonomous control ~52 km behind
        terminal_transfer_rad=math.radians(270.0),
        approach="shenzhou",
        schedule=ElapsedSchedule(DAY_S, 2.0 * DAY_S),  # two-day: docking on the second day
        phasing_orbits=(2, 32),
        source="rendezvous_rules.csv (Shenzhou two-day: 5 ground-guided manoeuvres into ~330 "
        "km, handover ~52 km, holds 5 km, 400 m, 140 m, 30 m)",
    ),
    "dragon-1": Profile(
        name="dragon-1",
        insertion="generic",
        # day 2 co-elliptic burn, day 3 height adjusts (HA) to the approach ellipsoid
        names={"phasing": "HA1", "plane": "NPC", "height": "HA2", "coelliptic": "CE3",
               "terminal": "HA4"},
        midcourse=("MC1", "MC2"),
        midcourse_fractions=(0.4, 0.8),
        phasing_start_s=3.0 * 5300.0,  # estimate
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=2.5e3,  # estimate: below the 2.5 km go/no-go point
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=6.0e3,  # HA4 approach initiation within ~6 km (CRS-9)
        terminal_transfer_rad=math.radians(270.0),
        approach="dragon-1",
        schedule=FlightDaySchedule(DAY_S, 3, 0.0, DAY_S, latest_day=5),  # grapple on day 3
        phasing_orbits=(2, 60),
        source="rendezvous_rules.csv (Dragon 1 CRS ~2-3 day berthing: day 2 co-elliptic, day 3 "
        "height adjusts, 250 m and 30 m holds, 10 m capture point, SSRMS grapple)",
    ),
    "htv": Profile(
        name="htv",
        insertion="generic",
        names={"phasing": "HAM0", "plane": "NPC", "height": "HAM1", "coelliptic": "CM",
               "terminal": "AI"},
        midcourse=("MC1", "MC2"),
        midcourse_fractions=(0.4, 0.8),
        phasing_start_s=3.0 * 5300.0,  # estimate
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=5.0e3,  # HAM: to an orbit ~5 km below the ISS
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=5.0e3,  # AI point ~5 km behind on -V-bar
        terminal_transfer_rad=math.radians(270.0),
        approach="htv",
        # HTV-1's final approach was planned on flight day 8, with up to 24 h of margin; a
        # flight writes its own plan's day (HTV-2: day 6, 27 January 2011)
        schedule=FlightDaySchedule(DAY_S, 8, 0.0, DAY_S, latest_day=9),
        phasing_orbits=(2, 140),
        source="rendezvous_rules.csv (HTV multi-day berthing: HAM to ~5 km below, AI 5 km "
        "behind, RI 500 m below, hold, 30 m parking, 10 m capture box; HTV-1 final approach "
        "planned on flight day 8)",
    ),
    "cygnus": Profile(
        name="cygnus",
        insertion="generic",
        names={"phasing": "DV1", "trim": "DV2", "plane": "NPC", "height": "DV3",
               "coelliptic": "DV4", "terminal": "AI"},
        midcourse=("MC1", "MC2"),
        midcourse_fractions=(0.4, 0.8),
        phasing_start_s=3.0 * 5300.0,  # estimate
        phasing_min_alt_m=190.0e3,
        coelliptic_dh_m=2.5e3,  # estimate, as the other berthing vehicles
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=5.0e3,  # estimate
        terminal_transfer_rad=math.radians(270.0),
        approach="cygnus",
        # no documented launch-to-capture plan in the reference tables: the earliest arrival
        # the phase allows from flight day 3, as the other berthing vehicles (estimate)
        schedule=FlightDaySchedule(DAY_S, 3, 0.0, DAY_S, latest_day=8),
        phasing_orbits=(2, 120),
        source="rendezvous_rules.csv (Cygnus berthing: 250 m hold ~15 min, 30 m hold, capture "
        "point ~10-12 m below, free-drift capture)",
    ),
    # Zvezda (2000): its own burns bring it to the docking orbit, then it is the passive target
    # and the Zarya-Unity stack flies the terminal phase with Kurs (NASA ISS status reports
    # 00-29, 00-32, 00-33; rendezvous_rules.csv). The ladder's roles carry the documented
    # names: RB-1 (far apsis), the correction of 07-20 (phasing trim), RB-3 (height), RB-4
    # (co-elliptic); the terminal burns are the stack's ('up to three rendezvous and correction
    # manoeuvres'), flown here relative to Zvezda, which gives the same meeting instant.
    "zvezda": Profile(
        name="zvezda",
        insertion="proton-77k",  # the Proton insertion documented for Kvant-2 (estimate here)
        names={"phasing": "RB-1", "trim": "Correction", "plane": "NPC", "height": "RB-3",
               "coelliptic": "RB-4", "correction": "Zarya-1", "terminal": "Zarya-2"},
        midcourse=("Zarya-3",),
        midcourse_fractions=(0.6,),
        phasing_start_s=48.0 * 3600.0,  # RB-1 on 2000-07-14 05:09 UTC, 48 h after lift-off
        phasing_min_alt_m=183.0e3,  # RB-1 left it at 358 x 183 km
        coelliptic_dh_m=5.0e3,  # Kurs homing as Soyuz/Progress (estimate)
        coelliptic_coast_orbits=1.0,
        correction_lead_orbits=0.55,
        terminal_range_m=15.0e3,
        terminal_transfer_rad=math.radians(270.0),
        approach="zarya-active",
        # the docking date of the plan (ISS status report 00-29, 2000-07-14: 'scheduled for
        # 8:46 p.m. EDT on July 25'), written by the program as its Moscow day; on that day
        # the docking is put on the first pass whose final leg is flown in Russian ground
        # coverage (ISS status report 00-32: the linkup 'as the two spacecraft fly high above
        # the Russian Federation within the coverage area of ground communication stations')
        schedule=FlightDaySchedule(
            DAY_S, 15, 0.0, DAY_S, latest_day=20,
            calendar_utc_offset_s=MOSCOW_DECREE_UTC_OFFSET_S,
            rules=(DockingRule(
                until_utc="2100-01-01T00:00:00Z", approach="zarya-active",
                ti_to_docking_s=None,  # the stack's terminal transfer and approach as flown
                coverage=True,
                source="rendezvous_rules.csv (ISS Zvezda 2000: docking within Russian ground "
                "coverage); NASA ISS status reports 00-32, 00-33",
                ti_lead_s=0.0),  # a Moscow calendar day: no crew day before the terminal burn
            )),
        phasing_orbits=(2, 260),
        source="rendezvous_rules.csv (ISS Zvezda 2000: passive target after RB-1..4 and "
        "corrections; Zarya-Unity active with Kurs; 30 m hold); NASA ISS status reports 00-29, "
        "00-32, 00-33 (burn times, docking plan)",
    ),
}
# ATV: the co-elliptic ladder on the flight plan's day, 24 h days from launch ('rendezvous and
# dock with the Station automatically 8 days after launch', ESA, The Second ATV Mission,
# https://esa.int/ESA_Multimedia/Images/2011/02/The_Second_ATV_Mission; ATV-1 writes its day 26,
# the phasing then stretched to reach it: :func:`_planned_days`); the last
# hold is S3, 250 m behind on the V-bar (ESA, https://blogs.esa.int/orion/2011/02/24/one-hour-to-docking/),
# the start of the generic approach.
PROFILES["atv"] = replace(
    PROFILES["coelliptic"], name="atv",
    schedule=FlightDaySchedule(DAY_S, 8, 0.0, DAY_S, latest_day=9),
    phasing_orbits=(2, 140),
    source="ESA (ATV-2 docking 8 days after launch; S3 hold 250 m behind); Fehse 2003 ch. 2 "
    "(co-elliptic Hohmann phasing, CW terminal targeting)")
_PROFILE_ALIASES = {"commercial-crew": "coelliptic", "cargo-berthing": "coelliptic"}


def get_profile(name: str) -> Profile:
    """A profile by name (vehicle ``default_profile`` names are accepted)."""
    key = _PROFILE_ALIASES.get(name, name)
    if key not in PROFILES:
        raise ValueError(f"profile {name!r} is not known; known: {', '.join(PROFILES)}")
    return PROFILES[key]


# --- plan objects -------------------------------------------------------------------------

@dataclass(frozen=True)
class Burn:
    """One impulsive burn: epoch, name, delta-v in the vehicle's own LVLH (x along velocity,
    z toward Earth), propellant, and whether it is ground- or onboard-targeted."""

    epoch: Epoch
    name: str
    dv_lvlh_mps: np.ndarray
    propellant_kg: float
    targeting: str

    @property
    def dv_mps(self) -> float:
        return float(norm3(self.dv_lvlh_mps))


@dataclass(frozen=True)
class Step:
    """A burn rule at a fixed epoch (TT s): what the burn must achieve, re-evaluated on flight."""

    name: str
    kind: str  # apsis, trim, plane, height, coelliptic, target
    tt_s: float
    radius_m: float = math.nan  # apsis: far apsis radius to reach; height: depth below station
    check_tt_s: float = math.nan  # trim, height: the epoch of the co-elliptic burn
    phase_rad: float = math.nan  # trim, height: the station's lead wanted then
    aim_tt_s: float = math.nan  # target: arrival epoch
    aim_lvlh_m: tuple[float, float, float] = (0.0, 0.0, 0.0)  # target: station LVLH point

    @property
    def targeting(self) -> str:
        return ONBOARD if self.kind == "target" else GROUND


@dataclass(frozen=True)
class RendezvousPlan:
    """A rendezvous from insertion to docking (see :func:`plan_rendezvous`).

    ``burns`` (insertion burn first, if any) end with the terminal-phase burns; ``approach`` holds
    the proximity legs from ``aim_epoch`` (arrival at ``aim_lvlh_m``) to contact at
    ``docking_epoch``. ``total_dv_mps`` and ``propellant_kg`` cover burns and approach.
    """

    profile: str
    vehicle: str
    site: str
    launch_epoch: Epoch
    insertion: Insertion
    phase_angle_rad: float
    burns: list[Burn]
    steps: list[Step]
    aim_epoch: Epoch
    aim_lvlh_m: np.ndarray
    approach: Approach
    docking_epoch: Epoch
    docking_flight_day: int | None
    total_dv_mps: float
    propellant_kg: float
    phasing_orbits: int
    model: str = field(default="J2Secular")
    hold_s: float = 0.0  # the wait at the approach's hold point for the plan's docking time
    insertion_orbit: str = "generic"  # the insertion orbit flown (:data:`INSERTIONS` name)

    @property
    def insertion_epoch(self) -> Epoch:
        return self.insertion.epoch


# --- flying the rules ---------------------------------------------------------------------

def _read_only(state: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    for values in state:
        values.flags.writeable = False
    return state


class _Flight:
    """Chaser and station in one orbit model; applies steps and records the delta-v."""

    def __init__(self, model: OrbitModel, station: Propagator):
        self.model = model
        self.station = station
        # states already flown, by their exact inputs: a plan's searches ask for half of its
        # coasts and most station states more than once (kept read-only, so shared safely)
        self._flown: dict[tuple | float, tuple[np.ndarray, np.ndarray]] = {}
        # a J2-secular station's states are its kernel's from the initial state: asked of the
        # kernel itself, as its propagator does, without building epochs
        initial = station.initial if type(station) is J2Secular else None
        self._station_start = None if initial is None else (
            float(initial.epoch.tt_s), initial.r_m, initial.v_mps)

    def coast(self, tt_s: float, r_m, v_mps, to_tt_s):
        r_m, v_mps = np.asarray(r_m, dtype=float), np.asarray(v_mps, dtype=float)
        if isinstance(to_tt_s, float):  # one instant, the searches' question
            key = (float(tt_s), r_m.tobytes(), v_mps.tobytes(), to_tt_s)
        else:
            times_s = np.asarray(to_tt_s, dtype=float)
            key = (float(tt_s), r_m.tobytes(), v_mps.tobytes(), times_s.shape, times_s.tobytes())
        flown = self._flown.get(key)
        if flown is None:
            flown = self._flown[key] = _read_only(self._coast(tt_s, r_m, v_mps, to_tt_s))
        return flown

    def _coast(self, tt_s: float, r_m, v_mps, to_tt_s):
        if (to_tt_s == tt_s) if isinstance(to_tt_s, float) else np.all(np.asarray(to_tt_s) == tt_s):
            return np.array(r_m, dtype=float), np.array(v_mps, dtype=float)
        if self.model is J2Secular:  # the planning model's kernel, without building objects
            return propagate_j2_secular(r_m, v_mps, np.asarray(to_tt_s, dtype=float) - tt_s)
        return self.model(Epoch(tt_s), r_m, v_mps).states(Epoch(to_tt_s))

    def station_at(self, tt_s):
        if isinstance(tt_s, float):
            key = tt_s
        else:
            times_s = np.asarray(tt_s, dtype=float)
            key = (times_s.shape, times_s.tobytes())
        flown = self._flown.get(key)
        if flown is None:
            if self._station_start is None:
                flown = self.station.states(Epoch(tt_s))
            else:
                start_s, r_m, v_mps = self._station_start
                flown = propagate_j2_secular(r_m, v_mps, np.asarray(tt_s, dtype=float) - start_s)
            flown = self._flown[key] = _read_only(flown)
        return flown

    def phase_rad(self, tt_s: float, r_m, v_mps) -> float:
        r_s, v_s = self.station_at(tt_s)
        return float(phase_angle_rad(r_m, r_s, _unit_normal(r_s, v_s)))

    def impulse(self, step: Step, r_m, v_mps, later: list[Step]) -> np.ndarray:
        """Inertial delta-v that the rule of ``step`` asks for at the state (r, v)."""
        if step.kind == "apsis":
            return _apsis_dv(r_m, v_mps, step.radius_m)
        if step.kind == "height":
            return self._height_dv(step, r_m, v_mps)
        if step.kind == "coelliptic":
            return self._coelliptic_dv(step.tt_s, r_m, v_mps)
        if step.kind == "plane":
            hx, hy, hz = _unit_normal(*self.station_at(step.tt_s))
            vx, vy, vz = v_mps.tolist()
            out_of_plane_mps = -(vx * hx + vy * hy + vz * hz)
            return np.array([out_of_plane_mps * hx, out_of_plane_mps * hy, out_of_plane_mps * hz])
        if step.kind == "trim":
            return self._trim_dv(step, r_m, v_mps, later)
        if step.kind == "target":
            return self._target_dv(step, r_m, v_mps)
        raise ValueError(f"step kind {step.kind!r} is not known")

    def fly(self, tt_s: float, r_m, v_mps, steps: list[Step], until_tt_s: float):
        """Apply ``steps`` in order from (tt_s, r, v), then coast to ``until_tt_s``.

        Returns (r, v) at ``until_tt_s`` and the list of (step, inertial dv, r, v at the burn).
        """
        record = []
        for index, step in enumerate(steps):
            if step.tt_s > until_tt_s:
                break
            r_m, v_mps = self.coast(tt_s, r_m, v_mps, step.tt_s)
            dv = self.impulse(step, r_m, v_mps, steps[index + 1:])
            record.append((step, dv, r_m, v_mps))
            tt_s, v_mps = step.tt_s, v_mps + dv
        r_m, v_mps = self.coast(tt_s, r_m, v_mps, until_tt_s)
        return r_m, v_mps, record

    def _coelliptic_dv(self, tt_s: float, r_m, v_mps) -> np.ndarray:
        """dv onto the station's orbit shape scaled to the chaser's radius (co-elliptic).

        The station's state is turned back about its orbit normal to the chaser's direction and
        its velocity scaled by sqrt(r_station / r_chaser): same flight-path angle, same shape,
        so the height difference stays constant (osculating J2 terms included, being the
        station's own).
        """
        r_s, v_s = self.station_at(tt_s)
        hx, hy, hz = h = _unit_normal(r_s, v_s)
        angle = -self.phase_rad(tt_s, r_m, v_mps)
        cos, sin = math.cos(angle), math.sin(angle)
        (ux, uy, uz), (vx, vy, vz) = v_s.tolist(), v_mps.tolist()
        along_h, across = hx * ux + hy * uy + hz * uz, 1.0 - cos  # Rodrigues' formula
        turned = [u * cos + w * sin + n * along_h * across
                  for u, w, n in zip((ux, uy, uz), (hy * uz - hz * uy, hz * ux - hx * uz,
                                                    hx * uy - hy * ux), h, strict=True)]
        scale = math.sqrt(norm3(r_s) / norm3(r_m))
        return np.array([turned[0] * scale - vx, turned[1] * scale - vy, turned[2] * scale - vz])

    def _height_dv(self, step: Step, r_m, v_mps) -> np.ndarray:
        """Horizontal dv putting the chaser ``radius_m`` below the station's path at the
        co-elliptic burn (where the station passed the arrival point); vis-viva first guess,
        then secant iterations in the model."""
        r_s, v_s = self.station_at(step.check_tt_s)
        rate_radps = norm3(cross3(r_s, v_s)) / dot3(r_s, r_s)
        r_then, _ = self.station_at(step.check_tt_s - step.phase_rad / rate_radps)
        wanted_m = float(norm3(r_then)) - step.radius_m
        guess = _apsis_dv(r_m, v_mps, wanted_m)
        along = guess / norm3(guess)

        def miss_m(dv_mps: float) -> float:
            r_end, _ = self.coast(step.tt_s, r_m, v_mps + dv_mps * along, step.check_tt_s)
            return float(norm3(r_end)) - wanted_m

        size = float(norm3(guess))
        return _secant(miss_m, size, size + 0.1, 1.0, f"{step.name} height targeting") * along

    def _trim_dv(self, step: Step, r_m, v_mps, later: list[Step]) -> np.ndarray:
        """Along-track dv that brings the station's lead to ``step.phase_rad`` at the check."""
        along = v_mps / norm3(v_mps)

        def miss(dv_mps: float) -> float:
            r_c, v_c, _ = self.fly(step.tt_s, r_m, v_mps + dv_mps * along, later, step.check_tt_s)
            return _wrap_pi(self.phase_rad(step.check_tt_s, r_c, v_c) - step.phase_rad)

        if abs(miss(0.0)) < PHASE_TOLERANCE_RAD:  # the ground update finds nothing to trim
            return np.zeros(3)
        return _secant(miss, 0.0, 0.05, PHASE_TOLERANCE_RAD, f"{step.name} phasing trim") * along

    def _target_dv(self, step: Step, r_m, v_mps) -> np.ndarray:
        """Differential correction to reach ``aim_lvlh_m`` at ``aim_tt_s`` (CW Jacobian)."""
        r_s, v_s = self.station_at(step.tt_s)
        r_aim_s, v_aim_s = self.station_at(step.aim_tt_s)
        transfer_s = step.aim_tt_s - step.tt_s
        n_radps = math.sqrt(GM_EARTH_M3PS2 / norm3(r_s) ** 3)
        stm = cw_stm(n_radps, transfer_s)
        jacobian = stm[:3, 3:]
        to_inertial = lvlh_matrix(r_s, v_s).T
        to_aim_lvlh = lvlh_matrix(r_aim_s, v_aim_s)  # the miss's axes, the same each iteration
        rho, rho_dot = inertial_to_lvlh(r_s, v_s, r_m, v_mps)
        aim = np.asarray(step.aim_lvlh_m, dtype=float)
        wanted = np.linalg.solve(jacobian, aim - stm[:3, :3] @ rho)
        dv_lvlh = wanted - rho_dot
        for _ in range(TARGET_MAX_ITERATIONS):
            if not norm3(dv_lvlh) < TARGET_MAX_DV_MPS:
                raise RendezvousError(
                    f"{step.name} at {Epoch(step.tt_s).utc_iso()}: targeting asks for "
                    f"{norm3(dv_lvlh):.0f} m/s; the chaser is too far for CW guidance"
                )
            r_end, _ = self.coast(step.tt_s, r_m, v_mps + to_inertial @ dv_lvlh, step.aim_tt_s)
            # the position of inertial_to_lvlh, as it computes it
            error = aim - np.einsum("...ij,...j->...i", to_aim_lvlh, r_end - r_aim_s)
            if norm3(error) < TARGET_TOLERANCE_M:
                break
            dv_lvlh = dv_lvlh + np.linalg.solve(jacobian, error)
        else:
            raise RendezvousError(
                f"{step.name} at {Epoch(step.tt_s).utc_iso()}: targeting did not converge "
                f"(miss {norm3(error):.1f} m); the transfer is too far for CW guidance"
            )
        return to_inertial @ dv_lvlh


def _wrap_pi(angle_rad: float) -> float:
    return (angle_rad + math.pi) % TWO_PI - math.pi


def _apsis_dv(r_m, v_mps, far_radius_m: float) -> np.ndarray:
    """Horizontal dv giving semi-major axis (|r| + far)/2: the far apsis at ``far_radius_m``
    (one state, in Python floats: the planner's searches ask it thousands of times)."""
    (rx, ry, rz), (vx, vy, vz) = r_m.tolist(), v_mps.tolist()
    radius_m = math.sqrt(rx * rx + ry * ry + rz * rz)
    ux, uy, uz = rx / radius_m, ry / radius_m, rz / radius_m
    radial_mps = vx * ux + vy * uy + vz * uz
    hx, hy, hz = vx - radial_mps * ux, vy - radial_mps * uy, vz - radial_mps * uz
    a_m = 0.5 * (radius_m + far_radius_m)
    speed2 = GM_EARTH_M3PS2 * (2.0 / radius_m - 1.0 / a_m)
    horizontal_mps = math.sqrt(hx * hx + hy * hy + hz * hz)
    wanted_mps = math.sqrt(speed2 - radial_mps**2)
    return np.array([hx / horizontal_mps * wanted_mps - hx, hy / horizontal_mps * wanted_mps - hy,
                     hz / horizontal_mps * wanted_mps - hz])


def _unit_normal(r_m: np.ndarray, v_mps: np.ndarray) -> tuple[float, float, float]:
    """The unit orbit normal r x v / |r x v| of one state, in Python floats (the bits of
    ``cross3`` and ``norm3``)."""
    (rx, ry, rz), (vx, vy, vz) = r_m.tolist(), v_mps.tolist()
    hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
    size = math.sqrt(hx * hx + hy * hy + hz * hz)
    return hx / size, hy / size, hz / size


# --- design -------------------------------------------------------------------------------

class _Orbit:
    """Mean-motion bookkeeping of orbits (arrays allowed) from the J2 secular rates
    (Vallado 4th ed. eq. 9-41); the argument of latitude advances at argp_dot + M_dot."""

    def __init__(self, a_m, e, i_rad):
        raan_dot, argp_dot, mean_anomaly_dot = j2_secular_rates(a_m, e, i_rad)
        self.a_m = a_m
        self.latitude_rate_radps = argp_dot + mean_anomaly_dot
        self.anomalistic_period_s = TWO_PI / mean_anomaly_dot
        self.node_rate_radps = raan_dot

    @classmethod
    def apsides(cls, r1_m, r2_m, i_rad: float) -> _Orbit:
        return cls(0.5 * (r1_m + r2_m), np.abs(r2_m - r1_m) / (r1_m + r2_m), i_rad)


@dataclass(frozen=True)
class _Timeline:
    """Epochs (TT s) that follow from a number of phasing orbits and a phasing far apsis."""

    orbits: np.ndarray
    far_radius_m: np.ndarray
    nh_s: np.ndarray
    coelliptic_s: np.ndarray
    terminal_s: np.ndarray
    docking_s: np.ndarray
    phasing: _Orbit  # the phasing orbit of each far apsis


class _Designer:
    """Timeline arithmetic of a profile for one insertion, vectorised over candidates."""

    def __init__(self, profile: Profile, spec: InsertionSpec, launch_s: float, insertion_s: float,
                 station: _Orbit, inclination_rad: float, approach: ApproachClock,
                 insertion_latitude_rad: float = 0.0):
        self.profile = profile
        self.spec = spec
        self.insertion_latitude_rad = insertion_latitude_rad  # the chaser's, from its node
        self.launch_s = launch_s
        self.insertion_s = insertion_s
        self.station = station
        self.inclination_rad = inclination_rad
        self.approach = approach
        self.insertion_orbit = _Orbit.apsides(spec.perigee_radius_m, spec.apogee_radius_m,
                                              inclination_rad)
        self.burn_radius_m = spec.apogee_radius_m  # phasing starts at an apogee
        self.coelliptic_radius_m = station.a_m - profile.coelliptic_dh_m
        self.height_orbit = _Orbit.apsides(self.burn_radius_m, self.coelliptic_radius_m,
                                           inclination_rad)
        period_s = float(self.insertion_orbit.anomalistic_period_s)
        first_apogee_s = insertion_s + (0.0 if spec.at_apogee else 0.5 * period_s)
        wait_s = max(0.0, launch_s + profile.phasing_start_s - first_apogee_s)
        self.nc1_s = first_apogee_s + math.ceil(wait_s / period_s) * period_s
        self.station_rate_radps = float(station.latitude_rate_radps)
        self.station_period_s = TWO_PI / self.station_rate_radps
        # a chaser's revolution, for orbit counts: between its insertion orbit's and the station's
        self.revolution_s = 0.5 * (period_s + self.station_period_s)
        self.transfer_s = profile.terminal_transfer_rad / self.station_rate_radps
        self.has_coelliptic = profile.role("coelliptic") is not None
        terminal_rad = profile.terminal_range_m / station.a_m
        self.closing_radps = 0.0
        if self.has_coelliptic:
            self.closing_radps = self.station_rate_radps - float(
                _Orbit(self.coelliptic_radius_m, 0.0, inclination_rad).latitude_rate_radps)
        coast_s = profile.coelliptic_coast_orbits * self.station_period_s
        # a flight plan's times: the co-elliptic coast runs between its co-elliptic and
        # terminal burns (either fixes the other by the profile's coast)
        timed = dict(profile.timed)
        self.timed_trim_s = timed.get("trim")
        self.timed_coelliptic_s = timed.get("coelliptic")
        self.timed_terminal_s = timed.get("terminal")
        if self.timed_coelliptic_s is not None and self.timed_terminal_s is not None:
            coast_s = self.timed_terminal_s - self.timed_coelliptic_s
        elif self.timed_coelliptic_s is not None:
            self.timed_terminal_s = self.timed_coelliptic_s + coast_s
        elif self.timed_terminal_s is not None and self.has_coelliptic:
            self.timed_coelliptic_s = self.timed_terminal_s - coast_s
        self.checkpoint_rad = terminal_rad - self.closing_radps * coast_s
        self.terminal_rad = terminal_rad
        if self.timed_terminal_s is not None:
            self._check_timed(period_s)
        self._grid = None
        self._grid_lead_terms = None
        self._coelliptic_span_s = None  # per row of the grid: its first and last co-elliptic burn

    @property
    def timed_arc_end_s(self) -> float:
        """Where a flight plan's phasing arc ends: its co-elliptic burn, else its terminal."""
        end_s = self.timed_coelliptic_s if self.timed_coelliptic_s is not None \
            else self.timed_terminal_s
        assert end_s is not None, "only a flight plan that times its burns has one"
        return end_s

    def _check_timed(self, period_s: float) -> None:
        """A flight plan's times leave the phasing burn an orbit before the height adjust
        (half an orbit before the co-elliptic burn), with the trim between them."""
        profile = self.profile
        end_s = self.timed_arc_end_s
        height_s = end_s - 0.5 * float(self.height_orbit.anomalistic_period_s)
        trim_s = self.timed_trim_s
        if not (self.nc1_s + period_s < height_s
                and (trim_s is None or self.nc1_s < trim_s < height_s)):
            trim = "" if trim_s is None else f", {profile.role('trim')} at " \
                f"{Epoch(trim_s).utc_iso(0)}"
            raise ValueError(
                f"profile {profile.name!r}: the written burns (the co-elliptic burn at "
                f"{Epoch(end_s).utc_iso(0)}{trim}) leave no room for the phasing burn at "
                f"{Epoch(self.nc1_s).utc_iso(0)}, an orbit of phasing and the height adjust "
                f"half an orbit before the co-elliptic burn (expected them later)")

    def checkpoint_of(self, far_radius_m):
        """The station's lead wanted at the checkpoint for a phasing far apsis (rad): with a
        co-elliptic burn, the terminal range less the coast's closing; without one the
        terminal transfer starts at the far apsis, below the station, and closes the lead of
        its transfer orbit (semi-major axis half-way to the station's: Hohmann, Vallado 4th ed.
        sec. 6.3) over the transfer as well."""
        if self.has_coelliptic:
            return self.checkpoint_rad
        transfer = _Orbit.apsides(np.asarray(far_radius_m), self.station.a_m,
                                  self.inclination_rad)
        return self.checkpoint_rad + (transfer.latitude_rate_radps
                                      - self.station_rate_radps) * self.transfer_s

    def timed_phasing_orbits(self) -> int:
        """The whole insertion-orbit revolutions between the phasing burn and the end of a
        flight plan's phasing arc (the count that places the trim and the plane change)."""
        end_s = self.timed_arc_end_s
        period_s = float(self.insertion_orbit.anomalistic_period_s)
        return max(1, int((end_s - self.nc1_s) // period_s))

    def with_coast(self, coast_orbits: float) -> _Designer:
        """The same design with another co-elliptic coast (station revolutions)."""
        profile = replace(self.profile, coelliptic_coast_orbits=coast_orbits)
        return _Designer(profile, self.spec, self.launch_s, self.insertion_s, self.station,
                         self.inclination_rad, self.approach, self.insertion_latitude_rad)

    def timeline(self, orbits, far_radius_m) -> _Timeline:
        phasing = _Orbit.apsides(self.burn_radius_m, far_radius_m, self.inclination_rad)
        nh_s = self.nc1_s + orbits * phasing.anomalistic_period_s
        if self.timed_terminal_s is not None:  # the flight plan's: the phasing arc ends then
            terminal_s = np.full(np.shape(nh_s), self.timed_terminal_s)
            if self.has_coelliptic:
                coelliptic_s = np.full(np.shape(nh_s), self.timed_coelliptic_s)
                nh_s = coelliptic_s - 0.5 * float(self.height_orbit.anomalistic_period_s)
            else:
                coelliptic_s = terminal_s
                nh_s = terminal_s - 0.5 * phasing.anomalistic_period_s
        elif self.has_coelliptic:
            coelliptic_s = nh_s + 0.5 * float(self.height_orbit.anomalistic_period_s)
            terminal_s = coelliptic_s + self.profile.coelliptic_coast_orbits * self.station_period_s
        else:
            coelliptic_s = terminal_s = nh_s + 0.5 * phasing.anomalistic_period_s
        docking_s = terminal_s + self.transfer_s + self.approach.duration_s
        return _Timeline(orbits, far_radius_m, nh_s, coelliptic_s, terminal_s, docking_s, phasing)

    def predicted_lead_rad(self, lead0_rad: float, timeline: _Timeline,
                           rows: np.ndarray | None = None) -> np.ndarray:
        """Station lead at the checkpoint by mean motions, unwrapped from the insertion lead
        (at ``rows`` of the timeline only, if given)."""
        rate = self.station_rate_radps
        coast_s = self.nc1_s - self.insertion_s
        phasing_rad, last_rad = self._lead_terms(timeline)
        if rows is not None:
            phasing_rad, last_rad = phasing_rad[rows], last_rad[rows]
        return (lead0_rad - (self.insertion_orbit.latitude_rate_radps - rate) * coast_s
                - phasing_rad - last_rad)

    def _lead_terms(self, timeline: _Timeline):
        """The lead the phasing orbit and the last orbit before the checkpoint lose to the
        station (rad): terms of :meth:`predicted_lead_rad` free of the insertion lead, kept for
        the design grid, which every search of a plan asks about."""
        if self._grid is not None and timeline is self._grid[2]:
            if self._grid_lead_terms is None:
                self._grid_lead_terms = self._lead_terms_of(timeline)
                for values in self._grid_lead_terms:  # shared by the searches: kept as made
                    values.flags.writeable = False
            return self._grid_lead_terms
        return self._lead_terms_of(timeline)

    def _lead_terms_of(self, timeline: _Timeline):
        phasing = timeline.phasing
        rate = self.station_rate_radps
        last = self.height_orbit if self.has_coelliptic else phasing
        return ((phasing.latitude_rate_radps - rate) * (timeline.nh_s - self.nc1_s),
                (last.latitude_rate_radps - rate) * (timeline.coelliptic_s - timeline.nh_s))

    def node_drift_rad(self, timeline: _Timeline) -> float:
        """Chaser-minus-station node drift from insertion to NH (J2 secular)."""
        phasing = timeline.phasing
        rate = self.station.node_rate_radps
        return ((self.insertion_orbit.node_rate_radps - rate) * (self.nc1_s - self.insertion_s)
                + (phasing.node_rate_radps - rate) * (timeline.nh_s - self.nc1_s))

    def ladder_dv_mps(self, timeline: _Timeline) -> np.ndarray:
        """Delta-v of the phasing, height-adjust and co-elliptic burns by vis-viva, plus the
        plane change that the differential node drift would need (wedge = drift sin i)."""
        far_radius_m = timeline.far_radius_m
        r_b = self.burn_radius_m
        before = vis_viva_speed_mps(r_b, self.insertion_orbit.a_m)
        phasing = vis_viva_speed_mps(r_b, 0.5 * (r_b + far_radius_m))
        total = np.abs(phasing - before)
        if self.has_coelliptic:
            r_ce = self.coelliptic_radius_m
            height = vis_viva_speed_mps(r_b, self.height_orbit.a_m)
            total = total + np.abs(height - phasing) + np.abs(
                circular_speed_mps(r_ce) - vis_viva_speed_mps(r_ce, self.height_orbit.a_m))
        wedge_rad = np.abs(self.node_drift_rad(timeline)) * math.sin(self.inclination_rad)
        return total + circular_speed_mps(self.station.a_m) * wedge_rad

    def far_radius_limits_m(self) -> tuple[float, float]:
        """Phasing far apsis: above the profile's minimum altitude, and low enough that the
        phasing orbit's semi-major axis stays ``coelliptic_dh_m`` below the station's."""
        return (R_EARTH_M + self.profile.phasing_min_alt_m,
                2.0 * self.coelliptic_radius_m - self.burn_radius_m)

    def candidates(self, lead0_rad: float) -> _Timeline:
        """Phasing-orbit counts that can meet the checkpoint within the limits, with the far
        apsis that does (linear interpolation on a 401-point grid; refined later by flight)."""
        orbits, radii_m, grid = self.design_grid()
        has_root, far_m = _row_roots(
            self.predicted_lead_rad(lead0_rad, grid) - self.checkpoint_of(radii_m), radii_m)
        return self.timeline(orbits[has_root], far_m)

    def design_grid(self):
        """Phasing-orbit counts, far apsides (a 401-point grid within the limits) and their
        timelines (rows: counts); made once per designer, as every search of a plan asks."""
        if self._grid is None:
            low_m, high_m = self.far_radius_limits_m()
            orbits = np.arange(self.profile.phasing_orbits[0],
                               self.profile.phasing_orbits[1] + 1)
            if self.timed_terminal_s is not None:  # one row: the written times fix the arc
                orbits = np.array([self.timed_phasing_orbits()])
            radii_m = np.linspace(low_m, high_m, 401)
            grid = self.timeline(orbits[:, None], radii_m[None, :])
            for values in (orbits, radii_m, grid.nh_s, grid.coelliptic_s, grid.terminal_s,
                           grid.docking_s):  # shared by the searches: kept as made
                values.flags.writeable = False
            self._grid = (orbits, radii_m, grid)
        return self._grid


    def docking_windows(self, docking_flight_day: int | None):
        """(day, opens_s, nominal_closes_s, closes_s) of the profile's schedule for this
        launch, in order (a schedule without placement rules)."""
        schedule = self.profile.schedule
        if isinstance(schedule, FlightDaySchedule):
            return schedule.windows(self.launch_s, self.station_period_s, docking_flight_day)
        return schedule.windows(self.insertion_s, self.revolution_s, docking_flight_day)

    def revolution_bounds(self, revolution: int, lead0_rad: float) -> tuple[float, float]:
        """Epochs (TT s) of the ascending nodes that begin and end the chaser's revolution
        ``revolution`` (revolution 1 begins at launch), for a docking after an insertion with
        the station ``lead0_rad`` (unwrapped) ahead: at docking the chaser has flown the
        station's arc since insertion plus that lead, at the station's mean rate."""
        angle0_rad = self.insertion_latitude_rad + lead0_rad
        rate = self.station_rate_radps
        opens_s = self.insertion_s + ((revolution - 1) * TWO_PI - angle0_rad) / rate
        return opens_s, opens_s + TWO_PI / rate

    def reachable_leads_rad(self, docking_flight_day: int | None) -> np.ndarray:
        """Intervals (K, 2) of insertion lead, rad in [0, 2 pi) (an interval may end past
        2 pi: it wraps), from which some phasing plan docks within the schedule.

        The lead at the checkpoint is the insertion lead plus a term of the plan alone
        (:meth:`predicted_lead_rad`), so each phasing-orbit count maps its band of far apsides
        that docks in a window onto one interval of insertion lead (up to two extra laps, as
        :func:`_choose` allows).
        """
        _, _, grid = self.design_grid()
        needed = self.checkpoint_of(grid.far_radius_m) - self.predicted_lead_rad(0.0, grid)
        usable = (needed >= 0.0) & (needed < 3.0 * TWO_PI)
        intervals = [np.empty((0, 2))]
        for _day, opens_s, _nominal_s, closes_s in self.docking_windows(docking_flight_day):
            # docking time grows with the far apsis: one window is one band of it per row
            inside = usable & (grid.docking_s >= opens_s) & (grid.docking_s <= closes_s)
            rows = inside.any(axis=1)
            low = np.where(inside, needed, np.inf).min(axis=1)[rows]
            high = np.where(inside, needed, -np.inf).max(axis=1)[rows]
            intervals.append(np.column_stack([low % TWO_PI, low % TWO_PI + (high - low)]))
        return np.vstack(intervals)

    def candidates_at(self, lead0_rad: float, terminal_s: float):
        """Phasing plans whose terminal burn falls at ``terminal_s``: per phasing-orbit count,
        the far apsis at which the co-elliptic coast that closes the lead to the terminal range
        ends then, with that coast inside its bounds (the profile's, plus one revolution).
        Returns (timeline, coast in station revolutions)."""
        orbits, radii_m, grid = self.design_grid()
        least = self.profile.coelliptic_coast_orbits
        # a count whose co-elliptic burns all fall outside the coast bounds (a second to
        # spare) keeps no plan: only the others are searched, each row the same bits
        if self._coelliptic_span_s is None:
            self._coelliptic_span_s = (grid.coelliptic_s.min(axis=1),
                                       grid.coelliptic_s.max(axis=1))
        first_s, last_s = self._coelliptic_span_s
        rows = np.flatnonzero(
            (last_s >= terminal_s - (least + 1.0) * self.station_period_s - 1.0)
            & (first_s <= terminal_s - least * self.station_period_s + 1.0))
        coast_s = (self.predicted_lead_rad(lead0_rad, grid, rows) - self.terminal_rad) \
            / self.closing_radps
        has_root, far_m = _row_roots(grid.coelliptic_s[rows] + coast_s - terminal_s, radii_m)
        found = self.timeline(orbits[rows][has_root], far_m)
        coast_orbits = (terminal_s - found.coelliptic_s) / self.station_period_s
        keep = (coast_orbits >= least) & (coast_orbits <= least + 1.0)
        return self.timeline(found.orbits[keep], far_m[keep]), coast_orbits[keep]


class _Placer:
    """Where the schedule's rules put the terminal burn for one launch (Shuttle flight-day
    rules, a Soyuz docking revolution), with the station's ground coverage computed once."""

    def __init__(self, designer: _Designer, station: Propagator, docking_flight_day: int | None):
        self.designer = designer
        self.day = docking_flight_day
        schedule = designer.profile.schedule
        # in view before contact: the flight-day rules, the final leg from the last hold; the
        # docking revolution, the final approach after it, and the hard mate after contact
        # a flight plan that times the terminal burn has placed the docking itself
        timed = designer.timed_terminal_s is not None
        self.revolution = isinstance(schedule, RevolutionSchedule) and not timed
        self.final_s = _final_leg_s(designer.approach, from_hold=not self.revolution)
        self.after_contact_s = schedule.after_contact_s if self.revolution else 0.0
        self.flown_s = designer.transfer_s + designer.approach.duration_s
        self.rule = schedule.rule(designer.launch_s) \
            if isinstance(schedule, FlightDaySchedule) and not timed else None
        self.active = self.rule is not None or self.revolution
        covered = self.rule.coverage if self.rule is not None else getattr(schedule, "coverage",
                                                                            False)
        self.intervals = None
        self.ti_s = None  # the Ti instants the station's lighting allows
        lead_s = self.rule.ti_before_sunset_s if self.rule is not None else None
        if not ((self.active and covered) or lead_s is not None):
            return
        spans = [(opens_s, closes_s) for _day, opens_s, closes_s in self._windows()]
        first_s, last_s = min(a for a, _ in spans), max(b for _, b in spans)
        if self.active and covered:
            self.intervals = coverage_intervals(station, first_s - self.final_s,
                                                last_s + self.after_contact_s)
        if lead_s is not None:
            ti_s = sunsets(station, first_s - self.after_ti_s + lead_s,
                           last_s - self.after_ti_s + lead_s) - lead_s
            # an orbit in full sunlight (a high beta angle) has no sunset: each revolution's
            self.ti_s = ti_s if ti_s.size else None

    def _windows(self):
        """(label, earliest docking, latest docking) for each day or extra lap."""
        designer, schedule = self.designer, self.designer.profile.schedule
        if self.rule is not None:
            for day, _opens_s, _, closes_s in schedule.windows(designer.launch_s,
                                                               designer.station_period_s,
                                                               self.day):
                yield (day, schedule.day_start_s(designer.launch_s, day) + self.rule.ti_lead_s
                       + self.after_ti_s, closes_s)
        else:  # the revolution from any lead of up to three laps
            opens_s, _ = designer.revolution_bounds(schedule.revolution, 3.0 * TWO_PI)
            _, closes_s = designer.revolution_bounds(schedule.revolution, 0.0)
            yield None, opens_s, closes_s

    @property
    def after_ti_s(self) -> float:
        """Ti to docking: the plan's interval, or the transfer and approach as flown where
        they take longer (or the plan gives none)."""
        if self.rule is None:
            return self.flown_s
        return max(self.flown_s, self.rule.ti_to_docking_s or 0.0)

    def _dock_times(self, earliest_s: float, latest_s: float):
        """The docking instants the rules allow in [earliest, latest], in order: the earliest
        and each station revolution after it (a Ti delayed by a revolution meets the same
        relative point one revolution later: ironflight.com rendezvous part 5), or with
        coverage the first instant of each pass (the docking revolution: its last, see
        :class:`RevolutionSchedule`), or by the lighting the Ti of each revolution's."""
        if self.ti_s is not None:
            docking_s = self.ti_s + self.after_ti_s
            yield from (float(t) for t in docking_s[(docking_s >= earliest_s)
                                                    & (docking_s <= latest_s)])
        elif self.intervals is None:
            period_s = self.designer.station_period_s
            yield from np.arange(earliest_s, latest_s + 1e-6, period_s) if self.rule is not None \
                else (earliest_s,)
        elif self.revolution:
            instants = last_covered_instants(self.intervals, np.array([earliest_s]),
                                             np.array([latest_s]), self.final_s,
                                             self.after_contact_s)[0]
            yield from (float(t) for t in instants[~np.isnan(instants)])
        else:
            yield from covered_instants(self.intervals, earliest_s, latest_s, self.final_s)

    def placements(self, lead0_rad: float):
        """(label, laps, terminal epoch) in the order they are tried: the plan takes the first
        label (a day's pass, a pass of the docking revolution) that has a plan."""
        schedule = self.designer.profile.schedule
        if self.rule is not None:
            for day, earliest_s, closes_s in self._windows():
                for docking_s in self._dock_times(earliest_s, closes_s):
                    for laps in (0, 1, 2):
                        yield (day, docking_s), laps, docking_s - self.after_ti_s
        elif self.active:
            found = sorted(
                (docking_s, laps) for laps in (0, 1, 2)
                for docking_s in self._dock_times(*self.designer.revolution_bounds(
                    schedule.revolution, lead0_rad + laps * TWO_PI)))
            for docking_s, laps in found:
                yield docking_s, laps, docking_s - self.after_ti_s

    def _queries(self, leads_rad: np.ndarray):
        """Every placement for each of ``leads_rad``: (lead index, unwrapped lead, terminal
        epoch), as :meth:`placements` gives them, vectorised over the leads."""
        if self.rule is not None:  # a flight day's placements do not depend on the lead
            placed = [(laps, terminal_s) for _, laps, terminal_s in self.placements(0.0)]
            index = np.repeat(np.arange(leads_rad.size), len(placed))
            laps = np.tile([laps for laps, _ in placed], leads_rad.size).astype(float)
            terminal_s = np.tile([t for _, t in placed], leads_rad.size)
            return index, leads_rad[index] + laps * TWO_PI, terminal_s
        index = np.repeat(np.arange(leads_rad.size), 3)
        total = (leads_rad[:, None] + np.arange(3)[None, :] * TWO_PI).ravel()
        opens_s, closes_s = self.designer.revolution_bounds(
            self.designer.profile.schedule.revolution, total)
        if self.intervals is None:
            return index, total, opens_s - self.after_ti_s
        docking_s = last_covered_instants(self.intervals, opens_s, closes_s, self.final_s,
                                          self.after_contact_s)
        q, k = np.nonzero(~np.isnan(docking_s))
        return index[q], total[q], docking_s[q, k] - self.after_ti_s

    def reachable_leads_rad(self) -> np.ndarray:
        """Intervals (K, 2) of insertion lead in [0, 2 pi] from which some plan meets a
        placement (as :meth:`_Designer.candidates_at` finds them), on a 0.5-deg grid.

        A plan (phasing-orbit count, far apsis) coasting c on the co-elliptic orbit reaches
        the terminal point at T = t_coelliptic + c from the lead terminal + closing c - its own
        term (:meth:`_Designer.predicted_lead_rad`): so lead - closing T is fixed by the plan,
        and falls monotonically with the far apsis as t_coelliptic grows. A placement (lead,
        T) is met when that value is reached by a far apsis whose co-elliptic burn comes within
        the coast bounds before T (interpolated along each count's row).
        """
        designer = self.designer
        _, _, grid = designer.design_grid()
        closing = designer.closing_radps
        fixed = designer.terminal_rad - designer.predicted_lead_rad(0.0, grid) \
            - closing * grid.coelliptic_s
        least_s = designer.profile.coelliptic_coast_orbits * designer.station_period_s
        most_s = least_s + designer.station_period_s
        leads = np.radians(np.arange(0.0, 360.0, 0.5))
        index, total, terminal_s = self._queries(leads)
        wanted = total - closing * terminal_s
        met = np.zeros(index.size, dtype=bool)
        early_s, late_s = terminal_s - most_s, terminal_s - least_s
        # a count whose co-elliptic burns all fall outside [earliest, latest] meets nothing
        earliest_s, latest_s = early_s.min(initial=np.inf), late_s.max(initial=-np.inf)
        apart = (grid.coelliptic_s.max(axis=1) < earliest_s) \
            | (grid.coelliptic_s.min(axis=1) > latest_s)
        for coelliptic_s, value in zip(grid.coelliptic_s[~apart], fixed[~apart], strict=True):
            order = np.argsort(coelliptic_s)
            x, y = coelliptic_s[order], value[order]
            # only the placements whose coast bounds meet the row's co-elliptic burns (the
            # values held at the ends, as clipped to [x[0], x[-1]])
            near = np.flatnonzero((late_s >= x[0]) & (early_s <= x[-1]))
            y_early = np.interp(early_s[near], x, y)
            y_late = np.interp(late_s[near], x, y)
            met[near] |= (wanted[near] >= np.minimum(y_early, y_late)) \
                & (wanted[near] <= np.maximum(y_early, y_late))
        reachable = np.zeros(leads.size, dtype=bool)
        np.logical_or.at(reachable, index, met)
        edges = np.diff(np.concatenate([[0], reachable.astype(np.int8), [0]]))
        starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
        step = leads[1] - leads[0]
        return np.column_stack([leads[starts], leads[ends - 1] + step]) if starts.size \
            else np.empty((0, 2))


def _final_leg_s(approach: ApproachClock, from_hold: bool = True) -> float:
    """From the start of the approach's last hold to contact (the whole approach if none), or
    without ``from_hold`` from that hold's end: the final approach."""
    holds = [leg for leg in approach.legs if leg.kind == "hold"]
    if not holds:
        return approach.duration_s
    last = holds[-1]
    return approach.duration_s - last.start_s - (0.0 if from_hold else last.duration_s)


def _choose(designer: _Designer, lead0_rad: float, docking_flight_day: int | None,
            placer: _Placer):
    """The phasing plan: (designer, orbits, far apsis, extra laps, placed terminal epoch or
    None). Where the schedule's rules place the docking (:class:`_Placer`), the plan of least
    delta-v whose terminal burn falls there, the co-elliptic coast stretched to meet it (the
    designer returned carries that coast); else the plan of least delta-v docking in the first
    schedule window that has any."""
    profile = designer.profile
    for _label, group in itertools.groupby(placer.placements(lead0_rad), lambda x: x[0]):
        best = None
        for _, laps, terminal_s in group:
            found, coast_orbits = designer.candidates_at(lead0_rad + laps * TWO_PI, terminal_s)
            if not found.orbits.size:
                continue
            cost = designer.ladder_dv_mps(found)
            k = int(np.argmin(cost))
            if best is None or cost[k] < best[0]:
                best = (cost[k], float(coast_orbits[k]), int(found.orbits[k]),
                        float(found.far_radius_m[k]), laps, terminal_s)
        if best is not None:
            return designer.with_coast(best[1]), *best[2:]
    for _day, opens_s, _nominal_s, closes_s in ([] if placer.active else
                                                designer.docking_windows(docking_flight_day)):
        best = None
        for laps in (0, 1, 2):
            found = designer.candidates(lead0_rad + laps * TWO_PI)
            inside = (found.docking_s >= opens_s) & (found.docking_s <= closes_s)
            if not inside.any():
                continue
            cost = np.where(inside, designer.ladder_dv_mps(found), np.inf)
            k = int(np.argmin(cost))
            if best is None or cost[k] < best[0]:
                best = (cost[k], int(found.orbits[k]), float(found.far_radius_m[k]), laps)
        if best is not None:
            return designer, *best[1:], None
    when = f"flight day {docking_flight_day}" if docking_flight_day else "its schedule"
    raise RendezvousError(
        f"profile {profile.name!r}: a phase angle of {math.degrees(lead0_rad):.1f} deg at "
        f"insertion allows no phasing plan that docks within {when} (phasing perigee >= "
        f"{profile.phasing_min_alt_m / 1e3:.0f} km, {profile.phasing_orbits[0]}-"
        f"{profile.phasing_orbits[1]} phasing orbits); launch in another window"
    )


def _secant(function, x0: float, x1: float, tolerance: float, what: str) -> float:
    """Root of a smooth scalar function by the secant method from x0, x1."""
    f0, f1 = function(x0), function(x1)
    for _ in range(20):
        if abs(f1) < tolerance:
            return x1
        if f1 == f0:
            break
        x0, x1, f0 = x1, x1 - f1 * (x1 - x0) / (f1 - f0), f1
        f1 = function(x1)
    if abs(f1) < tolerance:
        return x1
    raise RendezvousError(f"{what} did not converge (residual {f1:.3g})")


def _refine_far_radius(flight: _Flight, designer: _Designer, orbits: int, far_m: float,
                       state0, lead0_rad: float) -> float:
    """Phasing apsis for which the lead flown in the model meets the checkpoint value."""

    def residual(radius_m: float) -> float:
        timeline = designer.timeline(orbits, radius_m)
        steps = _phasing_steps(designer, timeline)
        r_c, v_c, _ = flight.fly(*state0, steps, float(timeline.coelliptic_s))
        lead = flight.phase_rad(float(timeline.coelliptic_s), r_c, v_c)
        predicted = float(designer.predicted_lead_rad(lead0_rad, timeline))
        return (lead + TWO_PI * round((predicted - lead) / TWO_PI)
                - float(designer.checkpoint_of(radius_m)))

    return _secant(residual, far_m, far_m + 200.0, PHASE_TOLERANCE_RAD,
                   f"profile {designer.profile.name!r}: phasing design")


def _phasing_steps(designer: _Designer, timeline: _Timeline) -> list[Step]:
    """Phasing, height-adjust and co-elliptic burns (no trim, no plane change)."""
    profile = designer.profile
    steps = [Step(profile.role("phasing"), "apsis", designer.nc1_s,
                  radius_m=float(timeline.far_radius_m))]
    if designer.has_coelliptic:
        steps.append(Step(profile.role("height"), "height", float(timeline.nh_s),
                          radius_m=profile.coelliptic_dh_m,
                          check_tt_s=float(timeline.coelliptic_s),
                          phase_rad=designer.checkpoint_rad))
        steps.append(Step(profile.role("coelliptic"), "coelliptic", float(timeline.coelliptic_s)))
    return steps


def _ground_steps(designer: _Designer, timeline: _Timeline, flight: _Flight,
                  state0) -> list[Step]:
    """The ground-targeted steps: phasing, trim, plane, height adjust, co-elliptic."""
    profile = designer.profile
    phasing, *rest = _phasing_steps(designer, timeline)
    steps = [phasing]
    orbits = int(timeline.orbits)
    nh_s = float(timeline.nh_s)
    phasing_period_s = (nh_s - designer.nc1_s) / max(orbits, 1)
    trim_s = designer.timed_trim_s
    if trim_s is None and orbits >= 2:
        trim_s = designer.nc1_s + math.ceil(orbits / 2) * phasing_period_s
    if profile.role("trim") and trim_s is not None:
        steps.append(Step(profile.role("trim"), "trim", trim_s,
                          check_tt_s=float(timeline.coelliptic_s),
                          phase_rad=designer.checkpoint_rad))
    if profile.role("plane") and orbits >= 1:
        # the last crossing of the station's plane before NH: the wedge grown by differential
        # regression until then is removed where the orbits are about to become co-elliptic
        start_s = max(steps[-1].tt_s + 60.0, nh_s - 0.6 * phasing_period_s)
        plane_s = _plane_crossing(flight, state0, steps, start_s, nh_s)
        if plane_s is not None:
            steps.append(Step(profile.role("plane"), "plane", plane_s))
    return steps + rest


def _plane_crossing(flight: _Flight, state0, steps: list[Step], start_s: float, end_s: float):
    """First epoch in [start, end) where the chaser crosses the station's plane, or None."""
    r_c, v_c, _ = flight.fly(*state0, steps, start_s)

    def out_of_plane(tt_s):
        r_t, _ = flight.coast(start_s, r_c, v_c, tt_s)
        r_s, v_s = flight.station_at(tt_s)
        h = cross3(r_s, v_s)
        return np.sum(r_t * h, axis=-1) / np.linalg.norm(h, axis=-1)

    grid_s = np.linspace(start_s, end_s, 16)
    offset_m = out_of_plane(grid_s)
    crossings = np.flatnonzero(np.sign(offset_m[:-1]) * np.sign(offset_m[1:]) < 0.0)
    if not crossings.size:
        return None
    k = crossings[0]
    return _secant(lambda t: float(out_of_plane(t)), grid_s[k], grid_s[k + 1], 1.0,
                   "plane-crossing search")


def _flown_to_terminal(flight: _Flight, designer: _Designer, timeline: _Timeline,
                       state0) -> tuple[list[Step], float]:
    """The ground-targeted steps of ``timeline`` and the terminal epoch they lead to, flown."""
    ground = _ground_steps(designer, timeline, flight, state0)
    r_c, v_c, _ = flight.fly(*state0, ground, float(timeline.coelliptic_s))
    return ground, _terminal_epoch(flight, designer, timeline, r_c, v_c)


def _terminal_epoch(flight: _Flight, designer: _Designer, timeline: _Timeline, r_c, v_c) -> float:
    """When the station's lead falls to the terminal range on the co-elliptic coast."""
    if not designer.has_coelliptic or designer.timed_terminal_s is not None:
        return float(timeline.terminal_s)  # the timeline's, or the flight plan's
    start_s = float(timeline.coelliptic_s)

    def lead_minus_terminal(tt_s: float) -> float:
        r_t, v_t = flight.coast(start_s, r_c, v_c, tt_s)
        return _wrap_pi(flight.phase_rad(tt_s, r_t, v_t) - designer.terminal_rad)

    planned_s = float(timeline.terminal_s)
    return _secant(lead_minus_terminal, planned_s, planned_s + 60.0, PHASE_TOLERANCE_RAD,
                   "terminal-point search")


def _onboard_steps(designer: _Designer, terminal_s: float, aim_lvlh_m: np.ndarray) -> list[Step]:
    """Correction, terminal and midcourse steps around the terminal epoch."""
    profile = designer.profile
    dh_m = profile.coelliptic_dh_m if designer.has_coelliptic else 0.0
    terminal_point = (-profile.terminal_range_m, 0.0, dh_m)
    aim_s = terminal_s + designer.transfer_s
    aim = tuple(float(x) for x in aim_lvlh_m)
    steps = []
    if profile.role("correction") and designer.has_coelliptic:
        steps.append(Step(profile.role("correction"), "target",
                          terminal_s - profile.correction_lead_orbits * designer.station_period_s,
                          aim_tt_s=terminal_s, aim_lvlh_m=terminal_point))
    steps.append(Step(profile.role("terminal"), "target", terminal_s, aim_tt_s=aim_s,
                      aim_lvlh_m=aim))
    for name, fraction in zip(profile.midcourse, profile.midcourse_fractions, strict=True):
        steps.append(Step(name, "target", terminal_s + fraction * designer.transfer_s,
                          aim_tt_s=aim_s, aim_lvlh_m=aim))
    return steps


def _biased_insertion(station: Propagator, site: LaunchSite, launch_epoch: Epoch,
                      spec: InsertionSpec, drift_rad: float, unbiased: Insertion) -> Insertion:
    """Insertion with the node moved against the predicted differential J2 drift, so that the
    planes meet at NH, as far as ascent steering allows (the site offset is linear in the node
    bias: the bias is cut to keep the site within the vehicle's out-of-plane capacity; NPC
    removes the rest). ``unbiased``: the insertion of the same launch without a bias."""
    biased = insert(station, site, launch_epoch, spec, -drift_rad)
    if biased.wedge_rad == 0.0 or unbiased.wedge_rad != 0.0:
        return biased if biased.wedge_rad == 0.0 else unbiased
    slope = (biased.site_offset_rad - unbiased.site_offset_rad) / drift_rad
    limit = math.copysign(spec.out_of_plane_capacity_rad, biased.site_offset_rad) * (1.0 - 1e-9)
    return insert(station, site, launch_epoch, spec,
                  -(limit - unbiased.site_offset_rad) / slope)


def _row_roots(residual: np.ndarray, radii_m: np.ndarray):
    """Per row of ``residual`` (over the far-apsis grid ``radii_m``): whether it changes sign,
    and the far apsis of its first root by linear interpolation (rows with a root only)."""
    sign = np.sign(residual)
    change = sign[:, :-1] * sign[:, 1:] <= 0.0
    has_root = change.any(axis=1)
    k = np.argmax(change, axis=1)
    rows = np.arange(residual.shape[0])
    r0, r1 = residual[rows, k], residual[rows, np.minimum(k + 1, radii_m.size - 1)]
    fraction = np.where(r1 != r0, r0 / np.where(r1 != r0, r0 - r1, 1.0), 0.0)
    return has_root, (radii_m[k] + fraction * (radii_m[1] - radii_m[0]))[has_root]


def _latitude_argument_rad(r_m: np.ndarray, v_mps: np.ndarray) -> float:
    """Argument of latitude (rad, [0, 2 pi)): the angle from the ascending node to r."""
    h = cross3(r_m, v_mps)
    node = np.array([-h[1], h[0], 0.0])
    sine = dot3(cross3(node, r_m), h) / norm3(h)
    return float(np.mod(np.arctan2(sine, dot3(node, r_m)), TWO_PI))


def _nominal_approach(spec: ApproachSpec, rate_radps: float) -> ApproachClock:
    """The approach's clock, for the timeline's arithmetic: memoised on the rate to 1e-9
    rad/s (a millionth of LEO's), as every plan and every launch window's reach asks for it
    and its duration barely moves with the rate."""
    return _approach_at(spec, round(rate_radps, 9))


@functools.lru_cache(maxsize=1024)
def _approach_at(spec: ApproachSpec, rate_radps: float) -> ApproachClock:
    return approach_clock(spec, rate_radps)


def resolve_profile(profile: str | Profile | None, vehicle: VehicleType) -> Profile:
    """A profile given as itself, by name, or as the vehicle's default (None)."""
    return profile if isinstance(profile, Profile) else \
        get_profile(profile or vehicle.default_profile)


def with_wake_up(profile: Profile, wake: Epoch, docking_flight_day: int | None) -> Profile:
    """``profile`` on a flight plan that wakes its crew at ``wake`` on its docking day (the
    written one, else the schedule's earliest): that day starts then
    (:class:`FlightDaySchedule`); a flight-day profile only."""
    schedule = profile.schedule
    if not isinstance(schedule, FlightDaySchedule):
        raise ValueError(f"a docking-day wake-up needs a profile that docks on a crew flight "
                         f"day; {profile.name!r} does not")
    return replace(profile, schedule=replace(
        schedule, wake_tt_s=float(wake.tt_s),
        wake_day=docking_flight_day or schedule.earliest_day))


def _planned_days(profile: Profile, docking_flight_day: int, station_period_s: float) -> Profile:
    """``profile`` flown as a plan that docks on day ``docking_flight_day``. A flight-day
    schedule docks on that day already; a day past its ``latest_day`` (ATV-1's parking orbit)
    adds the phasing orbits the extra days can hold (:func:`_most_orbits_per_day`). A
    revolution-count schedule (a Moscow day) that keeps its revolution's time of day has it
    moved by the station's revolutions (``station_period_s``, nodal) in the added days, to the
    nearest; any other (the fast profiles, which count no days) takes that day's first
    placement (:mod:`stationsim.ops.retry`)."""
    schedule = profile.schedule
    if isinstance(schedule, FlightDaySchedule):
        extra_days = docking_flight_day - schedule.latest_day
        if extra_days <= 0:
            return profile
        fewest, most = profile.phasing_orbits
        return replace(profile, phasing_orbits=(
            fewest, most + math.ceil(extra_days * _most_orbits_per_day(profile))))
    if not isinstance(schedule, RevolutionSchedule) or not schedule.later_days_kept:
        from stationsim.ops.retry import retry_profile  # a docking days after its count

        return retry_profile(profile)
    extra_days = docking_flight_day - schedule.day
    if extra_days < 0:
        raise ValueError(f"docking_flight_day={docking_flight_day}: the {profile.name!r} "
                         f"profile docks on day {schedule.day} at the earliest")
    extra = round(extra_days * DAY_S / station_period_s)
    fewest, most = profile.phasing_orbits
    return replace(profile, schedule=replace(schedule, revolution=schedule.revolution + extra),
                   phasing_orbits=(fewest, most + extra))


def _most_orbits_per_day(profile: Profile) -> float:
    """Phasing orbits a day can hold at most: a day over the period of the circular orbit at
    the profile's lowest phasing altitude (Kepler's third law), the shortest it flies."""
    a_m = R_EARTH_M + profile.phasing_min_alt_m
    return DAY_S / (TWO_PI * math.sqrt(a_m**3 / GM_EARTH_M3PS2))


def _design(station: Propagator, vehicle: VehicleType, site: LaunchSite, launch_epoch: Epoch,
            profile: str | Profile | None, docking_flight_day: int | None,
            approach: str | None, insertion: str | None = None):
    """Profile (a name, or a derived one: :mod:`stationsim.ops.retry`), insertion (``insertion``,
    or the era's first, or the profile's), approach, the insertion probe (the station's lead),
    the station's state then, and the timeline designer its mean orbit and the approach fix
    for this launch."""
    if launch_epoch.shape:
        raise ValueError(f"launch_epoch must be one instant, got shape {launch_epoch.shape}")
    chosen = resolve_profile(profile, vehicle)
    rule = _rule(chosen, launch_epoch)
    spec = insertion_spec(insertion or (rule.insertions[0] if rule is not None
                                        and rule.insertions else chosen.insertion))
    approach = approach or (rule.approach if rule is not None else chosen.approach)
    if approach not in APPROACHES:
        raise ValueError(f"approach {approach!r} is not known; known: {', '.join(APPROACHES)}")
    approach_spec: ApproachSpec = APPROACHES[approach]
    probe = insert(station, site, launch_epoch, spec)
    r_s, v_s, elements = station_at_insertion(station, probe.epoch)
    inclination_rad = float(elements.i_rad)
    station_orbit = _Orbit(float(elements.a_m), float(elements.e), inclination_rad)
    if docking_flight_day is not None:  # on the station's nodal period (ascending nodes)
        chosen = _planned_days(chosen, docking_flight_day,
                               TWO_PI / float(station_orbit.latitude_rate_radps))
    designer = _Designer(chosen, spec, float(launch_epoch.tt_s), float(probe.epoch.tt_s),
                         station_orbit, inclination_rad,
                         _nominal_approach(approach_spec,
                                           float(station_orbit.latitude_rate_radps)),
                         _latitude_argument_rad(probe.r_m, probe.v_mps))
    return chosen, spec, approach_spec, probe, (r_s, v_s), designer


def _rule(profile: Profile, launch_epoch: Epoch) -> DockingRule | None:
    """The flight-day schedule's docking rule for this launch (None: no such schedule)."""
    schedule = profile.schedule
    return schedule.rule(float(launch_epoch.tt_s)) \
        if isinstance(schedule, FlightDaySchedule) else None


def _design_placed(station: Propagator, vehicle: VehicleType, site: LaunchSite,
                   launch_epoch: Epoch, profile: str | Profile | None,
                   docking_flight_day: int | None, approach: str | None):
    """:func:`_design` with its :class:`_Placer`, on the era's insertion orbit from whose phase
    a plan meets the earliest placement of the rules (the first orbit on a tie or when none
    does: the planners targeted the insertion for the phase, OMS-2 being "also considered a
    rendezvous phasing burn"), and that orbit's :func:`_choose` where it was made to compare
    them (else None)."""
    rule = _rule(resolve_profile(profile, vehicle), launch_epoch)
    if rule is None or not rule.insertions:
        designed = _design(station, vehicle, site, launch_epoch, profile, docking_flight_day,
                           approach)
        return (*designed, _Placer(designed[-1], station, docking_flight_day), None)
    best, best_s = None, math.inf
    for insertion in rule.insertions:
        designed = _design(station, vehicle, site, launch_epoch, profile, docking_flight_day,
                           approach, insertion)
        placer = _Placer(designed[-1], station, docking_flight_day)
        try:
            choice = _choose(designed[-1], float(designed[3].phase_angle_rad),
                             docking_flight_day, placer)
            terminal_s = choice[-1]
        except RendezvousError:
            choice, terminal_s = None, math.inf
        if best is None or terminal_s < best_s:
            best, best_s = (*designed, placer, choice), terminal_s
    return best


_designed_kept = Kept(4)  # a written launch's phase check, its plan and a few shifted stations


def _designed(station: Propagator, vehicle: VehicleType, site: LaunchSite, launch_epoch: Epoch,
              profile: str | Profile | None, docking_flight_day: int | None,
              approach: str | None):
    """:func:`_design` and the schedule's :class:`_Placer` (its ground coverage), kept for the
    last few inputs (:class:`~stationsim.ops.kept.Kept`): the phase check of a written launch
    and the plan that follows ask for the same ones from the same station. Only a propagator
    with a ``trajectory_key`` (one whose trajectory its key determines) is kept."""
    trajectory_key = getattr(station, "trajectory_key", None)
    key = None
    if trajectory_key is not None and launch_epoch.shape == ():
        key = (trajectory_key(), id(vehicle), id(site), float(launch_epoch.tt_s),
               profile if isinstance(profile, str) or profile is None else id(profile),
               docking_flight_day, approach)
        designed = _designed_kept.get(key)
        if designed is not None:
            return designed
    designed = _design_placed(station, vehicle, site, launch_epoch, profile,
                              docking_flight_day, approach)
    if key is not None:
        _designed_kept.put(key, (station, vehicle, site, profile), designed,
                           (*designed[4], designed[3].r_m, designed[3].v_mps))
    return designed


def reachable_leads(
    station: Propagator,
    vehicle: VehicleType,
    site: LaunchSite,
    launch_epoch: Epoch,
    profile: str | Profile | None = None,
    docking_flight_day: int | None = None,
) -> tuple[float, np.ndarray]:
    """The station's lead over the vehicle at insertion after a launch at ``launch_epoch``
    (rad, [0, 2 pi)) and the intervals of lead (K, 2) from which the profile has a plan that
    docks within its schedule (:meth:`_Designer.reachable_leads_rad`; where the schedule's
    rules place the docking, the leads that meet that placement,
    :meth:`_Placer.reachable_leads_rad`): where a station phasing before the launch puts the
    lead."""
    _, _, _, probe, _, designer, placer, _ = _designed(station, vehicle, site, launch_epoch,
                                                       profile, docking_flight_day, None)
    intervals = placer.reachable_leads_rad() if placer.active else \
        designer.reachable_leads_rad(docking_flight_day)
    return float(probe.phase_angle_rad), intervals


def plan_rendezvous(
    station: Propagator,
    vehicle: VehicleType,
    site: LaunchSite,
    launch_epoch: Epoch,
    profile: str | Profile | None = None,
    docking_flight_day: int | None = None,
    model: OrbitModel = J2Secular,
    approach: str | None = None,
    mass_kg: float | None = None,
) -> RendezvousPlan:
    """Plan a rendezvous of ``vehicle`` launched from ``site`` at ``launch_epoch``.

    ``station``: the station's propagator (e.g. SGP4 from a TLE); only its state at insertion is
    used, then everything flies in ``model`` (a Propagator class or factory of (epoch, r, v):
    :class:`~stationsim.astro.propagate.J2Secular` by default, or e.g.
    ``functools.partial(Numerical, ...)``). ``profile``: a name in PROFILES (default: the
    vehicle's ``default_profile``).
    ``docking_flight_day``: the flight plan's docking day for flight-day schedules. ``approach``: an
    APPROACHES name (default: the profile's). ``mass_kg``: the vehicle's mass at insertion
    (default: its wet mass). Raises RendezvousError when the phase angle allows no plan.
    """
    if mass_kg is not None and not (math.isfinite(mass_kg) and mass_kg > 0.0):
        raise ValueError(f"mass_kg must be > 0, got {mass_kg!r}")
    chosen, spec, approach_spec, probe, (r_s0, v_s0), designer, placer, choice = _designed(
        station, vehicle, site, launch_epoch, profile, docking_flight_day, approach)
    mass0_kg = vehicle.wet_mass_kg if mass_kg is None else float(mass_kg)
    launch_s = designer.launch_s
    station_orbit = designer.station
    designer, orbits, far_m, laps, placed_s = choice or _choose(
        designer, probe.phase_angle_rad, docking_flight_day, placer)

    inserted = _biased_insertion(station, site, launch_epoch, spec,
                                 float(designer.node_drift_rad(designer.timeline(orbits, far_m))),
                                 probe)
    lead0_rad = inserted.phase_angle_rad + laps * TWO_PI
    flight = _Flight(model, model(inserted.epoch, r_s0, v_s0))
    state0 = (float(inserted.epoch.tt_s), inserted.r_m, inserted.v_mps)
    far_m = _refine_far_radius(flight, designer, orbits, far_m, state0, lead0_rad)
    timeline = designer.timeline(orbits, far_m)
    if placed_s is not None:  # the refined phasing moved the co-elliptic burn: re-aim the coast
        designer = designer.with_coast(
            float((placed_s - timeline.coelliptic_s) / designer.station_period_s))
        far_m = _refine_far_radius(flight, designer, orbits, far_m, state0, lead0_rad)
        timeline = designer.timeline(orbits, far_m)
    ground, terminal_s = _flown_to_terminal(flight, designer, timeline, state0)
    # the docking revolution's ground-targeted burns aim the terminal point at the placement:
    # the co-elliptic coast as flown closes at another rate than the designer's mean one (a
    # minute or two over the coast), so the coast is re-aimed by the miss
    for _ in range(PLACEMENT_ITERATIONS if placer.revolution and placed_s is not None else 0):
        if abs(terminal_s - placed_s) < PLACEMENT_TOLERANCE_S:
            break
        designer = designer.with_coast(designer.profile.coelliptic_coast_orbits
                                       + (placed_s - terminal_s) / designer.station_period_s)
        far_m = _refine_far_radius(flight, designer, orbits, far_m, state0, lead0_rad)
        timeline = designer.timeline(orbits, far_m)
        ground, terminal_s = _flown_to_terminal(flight, designer, timeline, state0)
    aim_lvlh_m = approach_spec.start_lvlh_m()
    steps = ground + _onboard_steps(designer, terminal_s, aim_lvlh_m)
    aim_s = steps[-1].aim_tt_s
    r_aim, v_aim, record = flight.fly(*state0, steps, aim_s)
    burns, mass_left_kg = _burns(vehicle, spec, inserted.epoch, record, mass0_kg)
    # the approach starts by braking the relative velocity the terminal transfer arrives with
    _, arrival_lvlh_mps = inertial_to_lvlh(*flight.station_at(aim_s), r_aim, v_aim)
    approach_plan = plan_approach(approach_spec, float(station_orbit.latitude_rate_radps),
                                  arrival_lvlh_mps)
    approach_propellant_kg = vehicle.propellant_for_dv_kg(approach_plan.dv_total_mps, mass_left_kg)
    schedule = chosen.schedule
    rule = schedule.rule(launch_s) if isinstance(schedule, FlightDaySchedule) else None
    docking_s = aim_s + approach_plan.duration_s
    # the approach waits at its hold point for the plan's Ti-to-docking interval and for the
    # placed docking (the coverage): the terminal root may come seconds before the placement
    wanted_s = [docking_s]
    if rule is not None and rule.ti_to_docking_s is not None:
        wanted_s.append(terminal_s + rule.ti_to_docking_s)
    if placed_s is not None:
        wanted_s.append(placed_s + placer.after_ti_s)
    hold_s = max(wanted_s) - docking_s
    docking_s += hold_s
    flight_day = (schedule.flight_day(launch_s, docking_s)
                  if isinstance(schedule, FlightDaySchedule) else None)
    return RendezvousPlan(
        profile=chosen.name,
        vehicle=vehicle.name,
        site=site.name,
        launch_epoch=launch_epoch,
        insertion=inserted,
        phase_angle_rad=inserted.phase_angle_rad,
        burns=burns,
        steps=steps,
        aim_epoch=Epoch(aim_s),
        aim_lvlh_m=aim_lvlh_m,
        approach=approach_plan,
        docking_epoch=Epoch(docking_s),
        docking_flight_day=flight_day,
        hold_s=hold_s,
        total_dv_mps=sum(b.dv_mps for b in burns) + approach_plan.dv_total_mps,
        propellant_kg=mass0_kg - mass_left_kg + approach_propellant_kg,
        phasing_orbits=orbits,
        model=getattr(model, "__name__", type(model).__name__),
        insertion_orbit=spec.name,
    )


def _burns(vehicle: VehicleType, spec: InsertionSpec, insertion_epoch: Epoch, record,
           mass_kg: float) -> tuple[list[Burn], float]:
    """Burns (vehicle LVLH) with propellant by the rocket equation, and the mass left."""
    burns = []
    insertion_dv_mps = spec.insertion_burn_dv_mps()
    if insertion_dv_mps:
        propellant_kg = vehicle.propellant_for_dv_kg(insertion_dv_mps, mass_kg)
        burns.append(Burn(insertion_epoch, "OMS-2", np.array([insertion_dv_mps, 0.0, 0.0]),
                          propellant_kg, GROUND))
        mass_kg -= propellant_kg
    for step, dv, r_m, v_mps in record:
        dv_lvlh = lvlh_matrix(r_m, v_mps) @ dv
        propellant_kg = vehicle.propellant_for_dv_kg(float(norm3(dv)), mass_kg)
        burns.append(Burn(Epoch(step.tt_s), step.name, dv_lvlh, propellant_kg, step.targeting))
        mass_kg -= propellant_kg
    return burns, mass_kg


def fly_plan(plan: RendezvousPlan, station: Propagator, model: OrbitModel,
             retarget: bool = True) -> tuple[np.ndarray, list[Burn]]:
    """Re-fly ``plan`` from its insertion in another ``model`` and return the miss at the aim.

    With ``retarget`` the plan's rules are re-evaluated in the new model (ground updates and
    onboard targeting, as flown); without, the planned delta-v vectors are replayed as they are.
    ``station``: the station's propagator; its state at insertion starts the station in
    ``model``. Returns (aim-point error in station LVLH, m; the burns as flown).
    """
    insertion = plan.insertion
    r_s0, v_s0 = station.states(insertion.epoch)
    flight = _Flight(model, model(insertion.epoch, r_s0, v_s0))
    state0 = (float(insertion.epoch.tt_s), insertion.r_m, insertion.v_mps)
    aim_s = float(plan.aim_epoch.tt_s)
    if retarget:
        r_c, v_c, record = flight.fly(*state0, plan.steps, aim_s)
    else:
        tt_s, r_c, v_c, record = *state0, []
        planned = plan.burns[len(plan.burns) - len(plan.steps):]  # after the insertion burn
        for step, burn in zip(plan.steps, planned, strict=True):
            r_c, v_c = flight.coast(tt_s, r_c, v_c, step.tt_s)
            dv = lvlh_matrix(r_c, v_c).T @ burn.dv_lvlh_mps
            record.append((step, dv, r_c, v_c))
            tt_s, v_c = step.tt_s, v_c + dv
        r_c, v_c = flight.coast(tt_s, r_c, v_c, aim_s)
    r_s, v_s = flight.station_at(aim_s)
    rho, _ = inertial_to_lvlh(r_s, v_s, r_c, v_c)
    vehicle_burns = [
        Burn(Epoch(step.tt_s), step.name, lvlh_matrix(r_m, v_mps) @ dv, math.nan, step.targeting)
        for step, dv, r_m, v_mps in record
    ]
    return rho - plan.aim_lvlh_m, vehicle_burns
