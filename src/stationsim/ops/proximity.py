"""Proximity operations and docking: a Clohessy-Wiltshire approach along R-bar or V-bar with a
glideslope and hold points, the contact check against the mechanism, and the port.

LVLH as in :mod:`stationsim.astro.frames` (+x V-bar, +z R-bar toward Earth). Approach axes name
where the chaser comes from: ``r-bar`` from below (+z), ``+v-bar`` from ahead (+x), ``-v-bar``
from behind (-x). Legs between waypoints are CW two-impulse transfers
(:func:`stationsim.astro.relative.cw_two_impulse`; Fehse 2003 sec. 3.3) whose durations follow
an exponential glideslope, range rate = -range / time constant (Fehse 2003 sec. 5.3; the
Shuttle's "range rate in ft/s = range in ft / 1000" is a 1000 s time constant); the last metres
are flown straight at the contact speed against the CW accelerations, and R-bar stationkeeping
costs 3 n^2 |z| per second (the CW radial acceleration). The CW model is exact to ~cm over
these ranges (< 1 km).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.relative import cw_propagate, cw_two_impulse
from stationsim.errors import DockingError
from stationsim.hardware.mechanisms import MECHANISMS
from stationsim.hardware.station import Station
from stationsim.hardware.vehicle import VehicleType

AXES = {
    "r-bar": np.array([0.0, 0.0, 1.0]),
    "+v-bar": np.array([1.0, 0.0, 0.0]),
    "-v-bar": np.array([-1.0, 0.0, 0.0]),
}
GLIDESLOPE_LEG_RATIO = 0.5  # each glideslope leg halves the range
FINAL_RANGE_M = 10.0  # inside this the chaser flies straight in at the contact speed
TRANSITION_FRACTION = 0.25  # a change of axis takes a quarter of the station's orbit
# Kurs final approach as planned for Soyuz TM-31 (NASA ISS status report 00-47, 2000-11-01;
# TM-31 is therefore in the calibration set of validation/record.yaml):
# station-keeping at "about 500 feet" from 3:06 a.m., final approach from 3:15 to 3:24 a.m.
KURS_STATIONKEEPING_M = 500.0 * 0.3048
KURS_STATIONKEEPING_S = 9.0 * 60.0
KURS_FINAL_APPROACH_S = 9.0 * 60.0
KURS_CONTACT_MPS = 0.2  # estimate: SSVP contact at 0.1-0.35 m/s
# SSVP contact to hard mate (capture, retraction, hooks closed): Progress 51 (M-19M, 2013)
# "captured ... at 8:25 a.m. EDT, ... a hard mate when the docking hooks were deployed at
# 8:34 a.m." (NASA, quoted by nasawatch.com 2013-04-26)
SSVP_HARD_MATE_S = 9.0 * 60.0


@dataclass(frozen=True)
class ApproachSpec:
    """How a vehicle flies its last kilometre.

    ``start_axis``/``start_range_m``: where the terminal transfer delivers it. ``final_axis``:
    the docking axis; if it differs, the chaser moves over to it at ``transition_range_m``
    (the Shuttle's R-bar pitch manoeuvre and move to +V-bar). ``holds``: (range_m, duration_s)
    stationkeeping points. ``time_constant_s``: the glideslope's range / range-rate.
    """

    name: str
    start_axis: str
    start_range_m: float
    final_axis: str
    holds: tuple[tuple[float, float], ...]
    time_constant_s: float
    contact_speed_mps: float
    source: str
    transition_range_m: float | None = None

    def __post_init__(self):
        for axis in (self.start_axis, self.final_axis):
            if axis not in AXES:
                raise ValueError(
                    f"approach {self.name!r}: axis {axis!r} must be one of {list(AXES)}")
        for name in ("start_range_m", "time_constant_s", "contact_speed_mps"):
            value = getattr(self, name)
            if not (math.isfinite(value) and value > 0.0):
                raise ValueError(f"approach {self.name!r}: {name}={value!r} must be > 0")
        if (self.start_axis != self.final_axis) != (self.transition_range_m is not None):
            raise ValueError(
                f"approach {self.name!r}: transition_range_m is needed exactly when the axis "
                f"changes ({self.start_axis} -> {self.final_axis})"
            )

    def start_lvlh_m(self) -> np.ndarray:
        """Where the approach begins, LVLH m."""
        return AXES[self.start_axis] * self.start_range_m


@dataclass(frozen=True)
class ApproachLeg:
    """One piece of the approach: a transfer, a hold or the straight final; times from its start.

    ``dv_lvlh_mps``: the impulse at the leg's start; ``thrust_dv_mps``: the delta-v of the
    continuous thrust along the leg (stationkeeping on R-bar, holding the final line).
    """

    kind: str
    start_s: float
    duration_s: float
    from_lvlh_m: np.ndarray
    to_lvlh_m: np.ndarray
    dv_lvlh_mps: np.ndarray
    thrust_dv_mps: float = 0.0

    @property
    def dv_mps(self) -> float:
        return float(np.linalg.norm(self.dv_lvlh_mps)) + self.thrust_dv_mps


@dataclass(frozen=True)
class Approach:
    """A planned approach: legs, total duration and delta-v, and the contact velocity."""

    spec: ApproachSpec
    legs: list[ApproachLeg]
    duration_s: float
    dv_total_mps: float
    contact_velocity_lvlh_mps: np.ndarray


def _waypoints(spec: ApproachSpec) -> list[tuple[np.ndarray, float]]:
    """(point, hold_s) from the start to FINAL_RANGE_M on the final axis."""
    holds = dict(spec.holds)
    stops = sorted({r for r in holds if FINAL_RANGE_M <= r < spec.start_range_m}
                   | ({spec.transition_range_m} if spec.transition_range_m else set())
                   | {FINAL_RANGE_M}, reverse=True)
    points, axis, current_m = [], spec.start_axis, spec.start_range_m
    for stop_m in stops:
        while current_m * GLIDESLOPE_LEG_RATIO > stop_m:
            current_m *= GLIDESLOPE_LEG_RATIO
            points.append((AXES[axis] * current_m, 0.0))
        current_m = stop_m
        points.append((AXES[axis] * stop_m, holds.get(stop_m, 0.0)))
        if spec.transition_range_m is not None and stop_m == spec.transition_range_m:
            axis = spec.final_axis
            points.append((AXES[axis] * stop_m, 0.0))
    return points


class LegTime(NamedTuple):
    """One leg of an approach's clock: kind, start and duration (s), from and to (LVLH m)."""

    kind: str
    start_s: float
    duration_s: float
    from_lvlh_m: np.ndarray
    to_lvlh_m: np.ndarray


class ApproachClock(NamedTuple):
    """When an approach's legs fly, without their delta-v: a plan's timeline needs no more."""

    legs: list[LegTime]
    duration_s: float


def approach_clock(spec: ApproachSpec, n_radps: float) -> ApproachClock:
    """The legs of :func:`plan_approach` and their times, which follow from the waypoints and
    the mean motion ``n_radps`` alone (no CW transfer is solved)."""
    if not (math.isfinite(n_radps) and n_radps > 0.0):
        raise ValueError(f"n_radps must be > 0, got {n_radps!r}")
    rho = spec.start_lvlh_m()
    legs, clock_s = [], 0.0
    for point, hold_s in _waypoints(spec):
        from_range_m, to_range_m = float(np.linalg.norm(rho)), float(np.linalg.norm(point))
        if np.allclose(point, rho):
            continue
        if from_range_m == to_range_m:  # change of axis at constant range
            kind, duration_s = "transition", TRANSITION_FRACTION * 2.0 * math.pi / n_radps
        else:
            kind = "glideslope"
            duration_s = spec.time_constant_s * math.log(from_range_m / to_range_m)
        legs.append(LegTime(kind, clock_s, duration_s, rho, point))
        rho, clock_s = point, clock_s + duration_s
        if hold_s > 0.0:
            legs.append(LegTime("hold", clock_s, hold_s, rho, rho))
            clock_s += hold_s
    final_s = float(np.linalg.norm(rho)) / spec.contact_speed_mps
    legs.append(LegTime("final", clock_s, final_s, rho, np.zeros(3)))
    return ApproachClock(legs, clock_s + final_s)


def plan_approach(
    spec: ApproachSpec,
    n_radps: float,
    arrival_velocity_lvlh_mps: ArrayLike = (0.0, 0.0, 0.0),
) -> Approach:
    """Legs from ``spec.start_lvlh_m()`` to contact around a target of mean motion ``n_radps``.

    ``arrival_velocity_lvlh_mps``: the chaser's relative velocity on reaching the start point
    (the first impulse absorbs it). Returns the legs, duration, delta-v and contact velocity.
    """
    clock = approach_clock(spec, n_radps)
    rho_dot = np.asarray(arrival_velocity_lvlh_mps, dtype=float)
    contact_velocity = -AXES[spec.final_axis] * spec.contact_speed_mps
    departures, arrivals = _transfers(n_radps, [leg for leg in clock.legs
                                                if leg.kind not in ("hold", "final")])
    legs = []
    for kind, start_s, duration_s, rho, point in clock.legs:
        if kind == "hold":
            # stop, then keep station: free on V-bar, 3 n^2 |z| per second on R-bar
            keeping_mps = 3.0 * n_radps**2 * abs(rho[2]) * duration_s
            legs.append(ApproachLeg("hold", start_s, duration_s, rho, rho, -rho_dot, keeping_mps))
            rho_dot = np.zeros(3)
        elif kind == "final":
            # straight in at the contact speed, thrusting against the CW accelerations: 3 n^2 z
            # on a radial line (z falls linearly, so half its start value on average) and the
            # Coriolis 2 n v across the line of motion (Fehse 2003 eq. 3.22)
            line_mps = (1.5 * n_radps**2 * abs(rho[2])
                        + 2.0 * n_radps * spec.contact_speed_mps) * duration_s
            legs.append(ApproachLeg("final", start_s, duration_s, rho, point,
                                    contact_velocity - rho_dot, line_mps))
        else:
            legs.append(ApproachLeg(kind, start_s, duration_s, rho, point,
                                    next(departures) - rho_dot))
            rho_dot = next(arrivals)
    dv_total = float(sum(leg.dv_mps for leg in legs))
    return Approach(spec, legs, clock.duration_s, dv_total, contact_velocity)


def _transfers(n_radps: float, moves: list[LegTime]):
    """Iterators over the departure and arrival velocities (LVLH, m/s) of the CW transfers
    ``moves`` (each from rest), solved in one batch: the same arithmetic, leg by leg, as one
    :func:`cw_two_impulse` and one :func:`cw_propagate` per leg."""
    if not moves:
        return iter(()), iter(())
    rho = np.array([leg.from_lvlh_m for leg in moves])
    duration_s = np.array([leg.duration_s for leg in moves])
    departure, _ = cw_two_impulse(n_radps, rho, np.zeros(3),
                                  np.array([leg.to_lvlh_m for leg in moves]), duration_s)
    _, arrival = cw_propagate(n_radps, rho, departure, duration_s)
    return iter(departure), iter(arrival)


APPROACHES: dict[str, ApproachSpec] = {
    "shuttle-mir": ApproachSpec(
        name="shuttle-mir",
        start_axis="r-bar",
        start_range_m=800.0,  # STS-71: manual phase from ~0.5 mi (800 m) below
        final_axis="r-bar",
        # STS-71: stationkeeping at ~250 ft (75 m) for the go; STS-96: 15 min at 170 ft and a
        # hold at 30 ft (9 m), docking ~11 min later (rendezvous_profiles.csv)
        holds=((75.0, 15.0 * 60.0), (FINAL_RANGE_M, 5.0 * 60.0)),
        time_constant_s=1000.0,  # Shuttle rule: range rate (ft/s) = range (ft) / 1000
        contact_speed_mps=0.1 * 0.3048,  # STS-71 target 0.1 ft/s
        source="rendezvous_profiles.csv: STS-71 R-bar approach, STS-96 holds",
    ),
    "shuttle-iss": ApproachSpec(
        name="shuttle-iss",
        start_axis="r-bar",
        start_range_m=600.0 * 0.3048,  # STS-96: ~600 ft below the station
        final_axis="+v-bar",
        transition_range_m=400.0 * 0.3048,  # half-circle to +V-bar, then 250 ft above/ahead
        holds=((400.0 * 0.3048, 9.0 * 60.0), (170.0 * 0.3048, 15.0 * 60.0),
               (FINAL_RANGE_M, 5.0 * 60.0)),  # R-bar pitch manoeuvre ~9 min; STS-96 holds
        time_constant_s=1000.0,
        contact_speed_mps=0.1 * 0.3048,
        source="rendezvous_profiles.csv: STS-96 prox ops (600 ft below, +V-bar, 170 ft, 30 ft)",
    ),
    # The plan of Soyuz TM-31's approach (NASA ISS status report 00-47, written the evening
    # before): partial flyaround, station-keeping at about 500 ft from 3:06 a.m., final
    # approach from 3:15 a.m. to the docking at 3:24 a.m.: a 9-min hold at ~150 m, then 9 min
    # to contact, the glideslope's time constant taking what the straight final leaves
    "kurs": ApproachSpec(
        name="kurs",
        start_axis="-v-bar",
        start_range_m=400.0,  # flyaround at ~200-400 m to align with the port
        final_axis="-v-bar",
        holds=((KURS_STATIONKEEPING_M, KURS_STATIONKEEPING_S),),
        time_constant_s=(KURS_FINAL_APPROACH_S - FINAL_RANGE_M / KURS_CONTACT_MPS)
        / math.log(KURS_STATIONKEEPING_M / FINAL_RANGE_M),
        contact_speed_mps=KURS_CONTACT_MPS,
        source="rendezvous_profiles.csv: Soyuz/Progress generic (Kurs flyaround 200-400 m); "
        "NASA ISS status report 00-47 (Soyuz TM-31 plan: station-keeping ~500 ft 9 min, final "
        "approach 9 min)",
    ),
    # The 77K modules' Kurs approach (Kvant-2, Kristall, Spektr, Priroda): no plan of theirs is
    # stored, so the Soyuz/Progress estimates from before TM-31's plan stand for it
    "kurs-77k": ApproachSpec(
        name="kurs-77k",
        start_axis="-v-bar",
        start_range_m=400.0,  # flyaround at ~200-400 m to align with the port
        final_axis="-v-bar",
        holds=((200.0, 10.0 * 60.0), (FINAL_RANGE_M, 2.0 * 60.0)),  # estimates
        time_constant_s=400.0,  # estimate: ~0.5 m/s from 200 m
        contact_speed_mps=KURS_CONTACT_MPS,
        source="rendezvous_profiles.csv: Soyuz/Progress generic (Kurs flyaround 200-400 m); "
        "hold durations and glideslope estimated",
    ),
    "apollo": ApproachSpec(
        name="apollo",
        start_axis="-v-bar",
        start_range_m=150.0,  # estimate: TPF braking ends ~150 m from the target
        final_axis="-v-bar",
        holds=((30.0, 10.0 * 60.0),),
        time_constant_s=600.0,
        contact_speed_mps=0.1,
        source="estimate (manual Apollo docking after braking)",
    ),
    "generic": ApproachSpec(
        name="generic",
        start_axis="-v-bar",
        start_range_m=250.0,
        final_axis="-v-bar",
        holds=((30.0, 5.0 * 60.0),),
        time_constant_s=600.0,
        contact_speed_mps=0.05,
        source="estimate (IDSS-era automated V-bar approach)",
    ),
    # --- the later vehicles' documented hold points (rendezvous_rules.csv) ---------------------
    "crew-dragon": ApproachSpec(
        name="crew-dragon",
        start_axis="r-bar",
        start_range_m=400.0,  # Waypoint 0: 400 m, below, at the approach ellipsoid's edge
        final_axis="+v-bar",
        transition_range_m=220.0,  # Waypoint 1: 220 m on the docking axis in front of the port
        # hold durations are estimates (the Demo-2 manual-flying test at WP1); the final
        # go/no-go at 20 m is documented; the go for WP1 is given on arrival at WP0 (no hold)
        holds=((220.0, 10.0 * 60.0), (20.0, 5.0 * 60.0)),
        # Crew-1 plan: keep-out-sphere entry to soft capture ~55 min; 600 s from 200 m gives it
        # with the holds above
        time_constant_s=600.0,
        contact_speed_mps=0.1,  # estimate (IDSS soft capture at ~0.1 m/s)
        source="rendezvous_rules.csv: Crew Dragon WP0 400 m, WP1 220 m, 20 m hold, KOS entry to "
        "soft capture ~55 min (Crew-1 plan)",
    ),
    "starliner": ApproachSpec(
        name="starliner",
        start_axis="r-bar",
        start_range_m=400.0,  # from below, at the approach ellipsoid (estimate of the range)
        final_axis="+v-bar",
        transition_range_m=250.0,  # inbound fly-around to +V-bar in front of the port
        holds=((250.0, 15.0 * 60.0), (20.0, 5.0 * 60.0)),  # estimates: go for KOS, final go
        time_constant_s=600.0,  # as Crew Dragon's (same IDSS approach corridor)
        contact_speed_mps=0.1,
        source="rendezvous_rules.csv: Starliner from below, fly-around to +V-bar, go for KOS, "
        "automated NDS docking (hold durations estimated)",
    ),
    "shenzhou": ApproachSpec(
        name="shenzhou",
        start_axis="-v-bar",
        start_range_m=5000.0,  # the 5 km hold point, where autonomous homing ends
        final_axis="-v-bar",
        holds=((5000.0, 5.0 * 60.0), (400.0, 5.0 * 60.0), (140.0, 5.0 * 60.0),
               (30.0, 5.0 * 60.0)),  # documented points; 5 min each is an estimate
        # 52 km to contact ~2.5 h (planned, Shenzhou 8): the 270 deg transfer takes ~70 min,
        # leaving ~80 min from 5 km, which a 600 s glideslope with the holds gives
        time_constant_s=600.0,
        contact_speed_mps=0.2,  # ~20 cm/s final closing
        source="rendezvous_rules.csv: Shenzhou hold points 5 km, 400 m, 140 m, 30 m; ~20 cm/s; "
        "52 km to contact ~2.5 h (China Daily 2011)",
    ),
    # Zvezda (2000) as the passive target: the Zarya-Unity stack flies the Kurs approach to it
    "zarya-active": ApproachSpec(
        name="zarya-active",
        start_axis="-v-bar",
        start_range_m=400.0,  # Kurs final approach, as Soyuz/Progress (flyaround 200-400 m)
        final_axis="-v-bar",
        # station-keeping at 30 m for the go from all teams (duration an estimate), then the
        # automatic docking
        holds=((30.0, 10.0 * 60.0),),
        time_constant_s=400.0,  # estimate: ~0.5 m/s from 200 m
        contact_speed_mps=0.2,  # closing 0.1-0.2 m/s at the end
        source="rendezvous_rules.csv: ISS Zvezda (2000) passive target, 30 m hold, closing "
        "~0.1-0.2 m/s (NASA ISS status report 00-33)",
    ),
    # Berthing: an R-bar approach from below to a capture point ~10 m under the station, where
    # the vehicle stops and drifts free for the arm (SSRMS) to grapple it; the hold at the
    # capture point stands for the go/no-go and the grapple, the final leg for the arm bringing
    # it to the CBM (its speed an estimate). Hold durations other than Cygnus's 250 m hold
    # (~15 min planned) are estimates.
    "cygnus": ApproachSpec(
        name="cygnus",
        start_axis="r-bar",
        start_range_m=300.0,
        final_axis="r-bar",
        holds=((250.0, 15.0 * 60.0), (30.0, 10.0 * 60.0), (FINAL_RANGE_M, 30.0 * 60.0)),
        time_constant_s=1000.0,  # estimate: the slow R-bar closing of the berthing vehicles
        contact_speed_mps=0.01,
        source="rendezvous_rules.csv: Cygnus NG-11 plan, 250 m hold ~15 min, 30 m hold, "
        "capture point ~10-12 m below, free-drift capture",
    ),
    "htv": ApproachSpec(
        name="htv",
        start_axis="r-bar",
        start_range_m=500.0,  # RI point ~500 m below on R-bar (laser rendezvous sensor)
        final_axis="r-bar",
        # hold 300 m (JAXA HTV-1; HTV-4 timeline 250 m, ~35 min), parking point 30 m, capture box
        holds=((300.0, 35.0 * 60.0), (30.0, 10.0 * 60.0), (FINAL_RANGE_M, 30.0 * 60.0)),
        time_constant_s=1000.0,  # closing 1-10 m/min from 500 m (low confidence): ~1000 s
        contact_speed_mps=0.01,
        source="rendezvous_rules.csv: HTV RI point 500 m, hold 300 m / 250 m ~35 min, parking "
        "30 m, capture box ~10 m",
    ),
    "dragon-1": ApproachSpec(
        name="dragon-1",
        start_axis="r-bar",
        start_range_m=350.0,  # CRS-9: midcourse burns to the 350 m point
        final_axis="r-bar",
        holds=((250.0, 10.0 * 60.0), (30.0, 10.0 * 60.0), (FINAL_RANGE_M, 30.0 * 60.0)),
        time_constant_s=1000.0,
        contact_speed_mps=0.01,
        source="rendezvous_rules.csv: Dragon 1 CRS plan, 250 m hold, R-bar, 30 m hold, 10 m "
        "capture point, SSRMS grapple",
    ),
}

# STS-96's plan (ISS before 2003): the same holds without the R-bar pitch manoeuvre, flown from
# 2005 (rendezvous_rules.csv)
APPROACHES["shuttle-iss-1999"] = replace(
    APPROACHES["shuttle-iss"], name="shuttle-iss-1999",
    holds=((170.0 * 0.3048, 15.0 * 60.0), (FINAL_RANGE_M, 5.0 * 60.0)),
    source="rendezvous_rules.csv: STS-96 prox-ops plan (600 ft below, +V-bar, 170 ft, 30 ft); "
    "no R-bar pitch manoeuvre before 2005")


@dataclass(frozen=True)
class ContactLimits:
    """Capture conditions of a docking mechanism (SI): speed band, lateral and angular limits."""

    closing_speed_min_mps: float
    closing_speed_max_mps: float
    lateral_max_m: float
    angular_max_rad: float
    source: str


# Approximate capture envelopes; the androgynous APAS units share one envelope.
_APAS = ContactLimits(0.02, 0.15, 0.10, math.radians(4.0),
                      "approximate: APAS-89/95 capture envelope (NASA SP-2000-4225, ODS)")
CONTACT_LIMITS: dict[str, ContactLimits] = {
    "APAS-75": _APAS, "APAS-89": _APAS, "APAS-95": _APAS,
    "SSVP-probe": ContactLimits(0.05, 0.35, 0.34, math.radians(7.0),
                                "approximate: SSVP probe-drogue capture (RSC Energia)"),
    "SSVP-hybrid": ContactLimits(0.05, 0.35, 0.34, math.radians(7.0),
                                 "approximate: as SSVP probe-drogue"),
    "Apollo-probe": ContactLimits(0.03, 0.3, 0.3, math.radians(10.0),
                                  "approximate: Apollo probe-drogue capture"),
    "IDSS": ContactLimits(0.05, 0.10, 0.10, math.radians(4.0),
                          "IDSS IDD Rev. E, capture envelope (approximate)"),
    "Shenzhou-androgynous": _APAS,
}
CONTACT_LIMITS["SSVP-drogue"] = CONTACT_LIMITS["SSVP-probe"]
CONTACT_LIMITS["Apollo-drogue"] = CONTACT_LIMITS["Apollo-probe"]


def check_contact(
    mechanism: str, closing_speed_mps: float, lateral_misalignment_m: float,
    angular_misalignment_rad: float,
) -> None:
    """Raise DockingError if contact is outside the mechanism's capture envelope."""
    if mechanism not in MECHANISMS:
        raise ValueError(f"mechanism={mechanism!r} is not known; known: {', '.join(MECHANISMS)}")
    limits = CONTACT_LIMITS.get(mechanism)
    if limits is None:
        raise DockingError(f"{mechanism} is a berthing mechanism: it is not docked to")
    problems = []
    if not limits.closing_speed_min_mps <= closing_speed_mps <= limits.closing_speed_max_mps:
        problems.append(f"closing speed {closing_speed_mps:.3f} m/s outside "
                        f"[{limits.closing_speed_min_mps}, {limits.closing_speed_max_mps}] m/s")
    if abs(lateral_misalignment_m) > limits.lateral_max_m:
        problems.append(f"lateral misalignment {abs(lateral_misalignment_m):.3f} m > "
                        f"{limits.lateral_max_m} m")
    if abs(angular_misalignment_rad) > limits.angular_max_rad:
        problems.append(f"angular misalignment {math.degrees(abs(angular_misalignment_rad)):.2f} "
                        f"deg > {math.degrees(limits.angular_max_rad):.2f} deg")
    if problems:
        raise DockingError(f"{mechanism} contact refused: {'; '.join(problems)} ({limits.source})")


def choose_port(station: Station, vehicle: VehicleType, preferred: str | None = None) -> str:
    """The port to dock at: ``preferred`` if given, else the first free port that fits.

    Raises DockingError naming the free ports if none fits (the attach itself re-checks).
    """
    if preferred is not None:
        return preferred
    ports = station.ports_that_fit(vehicle)
    if not ports:
        raise DockingError(
            f"no free port on the station fits {vehicle.name!r} ({', '.join(vehicle.mechanisms)}); "
            f"free ports: {station.free_ports_by_mechanism() or 'none'}"
        )
    return ports[0]


def dock(
    station: Station, name: str, vehicle: VehicleType, approach: Approach, t_s: float,
    port: str | None = None, until_s: float | None = None, mass_kg: float | None = None,
) -> str:
    """Check contact and attach ``vehicle`` as ``name`` at ``port`` (or the first that fits).

    The closing speed is the approach's contact speed; the station graph refuses a busy or
    incompatible port with DockingError. Returns the port ``"module.port"``.
    """
    at = choose_port(station, vehicle, port)
    attachment = station.attach(name, vehicle, at, t_s=t_s, until_s=until_s, mass_kg=mass_kg)
    closing_mps = float(np.linalg.norm(approach.contact_velocity_lvlh_mps))
    try:
        check_contact(attachment.via_port, closing_mps, 0.0, 0.0)
    except DockingError:
        station.detach(name)
        raise
    return at


def undock(station: Station, name: str) -> str:
    """Free the port ``name`` occupies; returns that port ``"module.port"``."""
    attachment = station.detach(name)
    return f"{attachment.parent}.{attachment.parent_port}"
