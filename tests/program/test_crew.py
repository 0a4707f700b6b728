"""Crew roster: stays and the refusal of impossible moves."""

from __future__ import annotations

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.program.crew import CrewRoster


def test_thagard_stay_from_soyuz_tm21_to_sts71():
    roster = CrewRoster()
    roster.board("Norman Thagard", "mir", 0.0, "Soyuz TM-21")
    assert roster.aboard("mir") == ["Norman Thagard"]
    stay = roster.leave("Norman Thagard", 110.5 * DAY_S, "STS-71")
    assert (stay.days, stay.arrival_flight) == (110.5, "Soyuz TM-21")
    assert stay.departure_flight == "STS-71"
    assert roster.count("mir") == 0


def test_a_person_cannot_be_in_two_places_or_leave_from_nowhere():
    roster = CrewRoster()
    roster.board("Shannon Lucid", "mir", 0.0, "STS-76")
    with pytest.raises(ValueError, match="still aboard mir"):
        roster.board("Shannon Lucid", "iss", 1.0, "STS-79")
    with pytest.raises(ValueError, match="aboard no station"):
        roster.leave("John Blaha", 2.0, "STS-81")
    assert [s.departed_s for s in roster.all_stays()] == [None]
