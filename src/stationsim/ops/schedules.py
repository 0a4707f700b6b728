"""Docking windows given as elapsed time: a vehicle family's documented launch-to-docking class.

Crew Dragon's one-day profile docks 19-27 h after launch (longer where the phase requires it),
Starliner's about a day after, Shenzhou's two-day profile on the second day
(rendezvous_rules.csv). The planner takes the plan of least
delta-v whose docking falls inside the window; the window itself is the family's published
range, never a fit to a flight's docking.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch

# Soviet and Russian flight control worked in Moscow decree time, UTC+3 all year (no summer
# time), the time zone of the module flight plans' dates (from memory, unverified).
MOSCOW_DECREE_UTC_OFFSET_S = 3.0 * 3600.0


@dataclass(frozen=True)
class ElapsedSchedule:
    """Docking between ``first_s`` and ``last_s`` after insertion (the window a profile's
    timeline must meet; same interface as the orbit-count schedule of
    :mod:`stationsim.ops.rendezvous`)."""

    first_s: float
    last_s: float
    # where the phase allows no docking in the window, later windows of the same length up to
    # this much after it, the first that allows one taken
    longer_s: float = 0.0

    def __post_init__(self):
        if not 0.0 <= self.first_s < self.last_s:
            raise ValueError(f"window must satisfy 0 <= first_s < last_s, got "
                             f"{self.first_s!r}, {self.last_s!r}")

    def windows(
        self,
        insertion_tt_s: float,
        period_s: float,
        day: int | None,
    ) -> Iterator[tuple[int | None, float, float, float]]:
        """The window (day, opens, nominal close, close), TT s, then the later ones if any;
        ``period_s`` is not used."""
        opens_s, closes_s = insertion_tt_s + self.first_s, insertion_tt_s + self.last_s
        yield None, opens_s, closes_s, closes_s
        end_s = closes_s + self.longer_s
        while closes_s < end_s:
            opens_s, closes_s = closes_s, min(closes_s + self.last_s - self.first_s, end_s)
            yield None, opens_s, closes_s, closes_s


def calendar_day_left_s(tt_s: float, utc_offset_s: float) -> float:
    """Seconds from ``tt_s`` to the next midnight of the time zone ``utc_offset_s`` ahead of
    UTC (leap seconds included): what is left of the calendar day a launch falls on."""
    local_date = Epoch(tt_s + utc_offset_s).utc_iso(0)[:10]
    midnight_tt_s = Epoch.from_utc_iso(f"{local_date}T00:00:00Z").tt_s - utc_offset_s
    return float(midnight_tt_s + DAY_S - tt_s)
