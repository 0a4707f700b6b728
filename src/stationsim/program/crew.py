"""Who is where: each person's stays aboard stations, and the flights that brought them."""

from __future__ import annotations

from dataclasses import dataclass

from stationsim.astro.constants import DAY_S


@dataclass(frozen=True)
class Stay:
    """One person's stay aboard one station; times are TT seconds since J2000."""

    person: str
    station: str
    arrived_s: float
    departed_s: float | None
    arrival_flight: str
    departure_flight: str | None

    @property
    def days(self) -> float | None:
        return None if self.departed_s is None else (self.departed_s - self.arrived_s) / DAY_S


class CrewRoster:
    """People aboard each station now, and every finished stay."""

    def __init__(self) -> None:
        self._aboard: dict[str, Stay] = {}
        self.stays: list[Stay] = []

    def board(self, person: str, station: str, t_s: float, flight: str) -> None:
        """``person`` comes aboard ``station`` from ``flight``; ValueError if already aboard one."""
        if person in self._aboard:
            where = self._aboard[person].station
            raise ValueError(f"{person} boards {station} from {flight} while still aboard {where}")
        self._aboard[person] = Stay(person, station, t_s, None, flight, None)

    def leave(self, person: str, t_s: float, flight: str) -> Stay:
        """``person`` leaves their station on ``flight``; ValueError if not aboard any."""
        stay = self._aboard.pop(person, None)
        if stay is None:
            raise ValueError(f"{person} is to leave on {flight} but is aboard no station")
        done = Stay(stay.person, stay.station, stay.arrived_s, t_s, stay.arrival_flight, flight)
        self.stays.append(done)
        return done

    def aboard(self, station: str) -> list[str]:
        """Names of the people aboard ``station`` now, sorted."""
        return sorted(p for p, stay in self._aboard.items() if stay.station == station)

    def count(self, station: str) -> int:
        return sum(1 for stay in self._aboard.values() if stay.station == station)

    def all_stays(self) -> list[Stay]:
        """Finished stays followed by the open ones (departed_s None), in arrival order."""
        return sorted(
            self.stays + list(self._aboard.values()), key=lambda s: (s.arrived_s, s.person)
        )
