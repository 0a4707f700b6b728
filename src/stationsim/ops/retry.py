"""A docking days after a revolution-count profile's own: the retry of an aborted approach.

The Soyuz/Progress profiles place their own docking by a revolution count from launch (the
two-day profile's revolution 34, the fast profiles' few orbits), which says nothing of a
docking days later (a longer plan on the two-day profile moves its revolution instead, by
the station's revolutions in the added days: :class:`stationsim.ops.rendezvous.
RevolutionSchedule`). A retry, or a later planned day
on the fast profiles, is planned for the day the operators chose (an input: the abort's
``retry_flight_day`` or the flight's ``docking_flight_day``, a Moscow calendar day counted from
the launch date as day 1, as the 77K modules' plans and the record's dates count them), from
the same insertion with the
profile's own ladder of burns, re-targeted to dock at the first opportunity in that day under
the profile's documented rule: the Kurs final leg, from its last hold to contact, flown in view
of the Russian ground stations (rendezvous_rules.csv: Kurs docking in Russian ground coverage,
NASA ISS report iss00-33; the same rule puts the two-day profile's own docking in a pass of
revolution 34, and in the retry's pass the docking comes at its first such instant, as the
flight-day rules place theirs; the fast profiles, which place no docking in coverage, take the
day's first placement, each revolution a Ti delay allows, as a flight-day plan does). The
terminal burn is flown on the retry's day, and each phasing orbit the wait needs is allowed
(the ladder's count is the 77K modules' reach). So the time of day is a prediction from the
station's orbit and its ground coverage, the day alone an input. Progress M-24's retries
(1994-08-30, struck the port; 09-02, docked by TORU) are the documented case
(offnominal_events.csv). Limit: the phasing is re-targeted from the same insertion, not flown
from where the vehicle backed away to (Progress M-24 drifted ~330 km ahead, RP-1357 p. 61).
"""

from __future__ import annotations

from dataclasses import replace
from functools import cache

from stationsim.astro.constants import DAY_S
from stationsim.ops.rendezvous import (
    DockingRule,
    FlightDaySchedule,
    Profile,
    RendezvousPlan,
    get_profile,
)
from stationsim.ops.schedules import MOSCOW_DECREE_UTC_OFFSET_S

RETRY_PHASING_ORBITS = 260  # the 77K ladder's reach (mir-77k: up to ~16 days of phasing)
RETRY_LATEST_DAY = 16  # as the 77K plans' latest docking day


def retry_profile(profile: Profile) -> Profile:
    """``profile`` with its retries' schedule (module doc); a profile of flight days already
    has one and is returned as it is."""
    schedule = profile.schedule
    if isinstance(schedule, FlightDaySchedule):
        return profile
    rule = DockingRule(
        until_utc="2100-01-01T00:00:00Z",
        approach=profile.approach,
        ti_to_docking_s=None,  # the terminal transfer and the approach as flown
        coverage=getattr(schedule, "coverage", False),
        source="rendezvous_rules.csv (Kurs docking in Russian ground coverage, NASA ISS report "
        "iss00-33); offnominal_events.csv (Progress M-24's retries on their days)",
        ti_lead_s=0.0,  # an uncrewed chaser's day has no crew timeline before Ti
    )
    days = FlightDaySchedule(DAY_S, 2, 0.0, DAY_S, latest_day=RETRY_LATEST_DAY,
                             calendar_utc_offset_s=MOSCOW_DECREE_UTC_OFFSET_S, rules=(rule,))
    fewest, most = profile.phasing_orbits
    return replace(profile, schedule=days, phasing_orbits=(fewest, max(most,
                                                                       RETRY_PHASING_ORBITS)))


@cache
def retry_profile_named(name: str) -> Profile:
    """:func:`retry_profile` of a profile name (a vehicle's ``default_profile`` alias too),
    built once per name: the profiles are fixed, and each attempt's day asks for it again."""
    return retry_profile(get_profile(name))


def attempt_day(plan: RendezvousPlan) -> int:
    """The flight day of a plan's docking: the plan's own, else its Moscow calendar day."""
    if plan.docking_flight_day is not None:
        return plan.docking_flight_day
    days = retry_profile_named(plan.profile).schedule
    assert isinstance(days, FlightDaySchedule)  # what retry_profile builds
    return days.flight_day(float(plan.launch_epoch.tt_s), float(plan.docking_epoch.tt_s))

