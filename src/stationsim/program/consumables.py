"""Life-support consumables aboard a station: used per crew-member-day, regenerated, resupplied.

Rates per crew-member-day (CM-d) from NASA's Baseline Values and Assumptions Document:
``BVAD_2004`` (NASA/CR-2004-208941; NASA RP-1324, Wieland 1994), the Mir/Shuttle-era baseline
used for historical programs, and ``BVAD_2022`` (NASA/TP-2015-218570/REV2, Table 3-31).
Stocks change linearly between events (crew changes, deliveries), so the instant a stock runs
out is found exactly rather than by sampling.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass, field

from stationsim.astro.constants import DAY_S

RESOURCES = ("o2", "water", "food")
# A stock left below this by rounding when it runs out is empty (a milligram: t + stock / rate
# at a clock of 1e9 s rounds to t, so a positive crumb would never run out).
EMPTY_KG = 1e-6


@dataclass(frozen=True)
class ConsumptionRates:
    """Use per crew-member-day, kilograms; ``source`` names the document."""

    o2_kg_per_day: float
    water_kg_per_day: float
    food_kg_per_day: float
    source: str

    def per_second(self) -> dict[str, float]:
        """Use per crew member per second, by resource."""
        return {
            "o2": self.o2_kg_per_day / DAY_S,
            "water": self.water_kg_per_day / DAY_S,
            "food": self.food_kg_per_day / DAY_S,
        }


BVAD_2004 = ConsumptionRates(
    o2_kg_per_day=0.84,
    water_kg_per_day=1.62 + 0.76,  # drinking water plus food preparation
    food_kg_per_day=0.62,
    source="NASA/CR-2004-208941 (BVAD 2004); NASA RP-1324 (Wieland 1994)",
)
BVAD_2022 = ConsumptionRates(
    o2_kg_per_day=0.895,
    water_kg_per_day=3.217,
    food_kg_per_day=0.800,
    source="NASA/TP-2015-218570/REV2 (BVAD 2022) Table 3-31",
)


@dataclass
class Shortage:
    """A resource that ran out: when (TT s) and which."""

    t_s: float
    resource: str


@dataclass
class ConsumablesLedger:
    """The stocks of one station over time.

    ``water_recovery_fraction`` of the water used is recovered; ``o2_generation_kgps`` is made
    aboard (e.g. Mir's Elektron electrolysis) whenever crew are aboard. Call :meth:`advance` before
    every change in crew count, then :meth:`deliver` for cargo. ``capacity_kg`` caps a stock
    (what does not fit is refused); ``on_change`` is called after every change.
    """

    t_s: float
    stock_kg: dict[str, float]
    rates: ConsumptionRates = BVAD_2004
    water_recovery_fraction: float = 0.0
    o2_generation_kgps: float = 0.0
    crew_count: int = 0
    history: list[tuple[float, str, float]] = field(default_factory=list)
    shortages: list[Shortage] = field(default_factory=list)
    capacity_kg: dict[str, float] = field(default_factory=dict)
    on_change: Callable[[], None] | None = None

    def __post_init__(self) -> None:
        for resource in RESOURCES:
            self.stock_kg.setdefault(resource, 0.0)
            if self.stock_kg[resource] < 0.0:
                raise ValueError(
                    f"stock_kg[{resource!r}] must be >= 0, got {self.stock_kg[resource]}"
                )
        self._record()

    def net_rate_kgps(self) -> dict[str, float]:
        """Change of each stock per second with the present crew (negative: being used)."""
        if self.crew_count == 0:
            return dict.fromkeys(RESOURCES, 0.0)
        use = self.rates.per_second()
        return {
            "o2": -self.crew_count * use["o2"] + self.o2_generation_kgps,
            "water": -self.crew_count * use["water"] * (1.0 - self.water_recovery_fraction),
            "food": -self.crew_count * use["food"],
        }

    def advance(self, t_s: float) -> None:
        """Run the stocks forward to ``t_s``; a stock that empties is logged once as a shortage."""
        dt_s = t_s - self.t_s
        if dt_s < 0.0:
            raise ValueError(f"t_s must not go back in time: {t_s} < {self.t_s}")
        for resource, rate in self.net_rate_kgps().items():
            before = self.stock_kg[resource]
            after = before + rate * dt_s
            if after < EMPTY_KG and before >= 0.0 and rate < 0.0:
                if before > 0.0 or not self._short(resource):
                    self.shortages.append(Shortage(self.t_s + before / -rate, resource))
                after = 0.0
            self.stock_kg[resource] = after
        self.t_s = t_s
        self._record()

    def _short(self, resource: str) -> bool:
        return any(s.resource == resource for s in self.shortages)

    def set_crew(self, t_s: float, crew_count: int) -> None:
        """Advance to ``t_s`` and change the number of people aboard."""
        self.advance(t_s)
        self.crew_count = crew_count
        self._record()

    def deliver(self, t_s: float, cargo_kg: dict[str, float]) -> dict[str, float]:
        """Advance to ``t_s`` and add delivered kilograms per resource, up to the capacity;
        returns what did not fit, per resource."""
        self.advance(t_s)
        refused = {}
        for resource, mass_kg in cargo_kg.items():
            if resource in self.stock_kg:
                room_kg = self.capacity_kg.get(resource, float("inf")) - self.stock_kg[resource]
                taken_kg = min(mass_kg, max(room_kg, 0.0))
                self.stock_kg[resource] += taken_kg
                if taken_kg < mass_kg:
                    refused[resource] = mass_kg - taken_kg
        self._record()
        return refused

    def next_empty(self, resources: Collection[str]) -> tuple[float, str] | None:
        """When the first of ``resources`` still in stock runs out at the present rates, and
        which (TT s); None if none is being used up."""
        times = [(self.t_s + self.stock_kg[r] / -rate, r)
                 for r, rate in self.net_rate_kgps().items()
                 if r in resources and rate < 0.0 and self.stock_kg[r] > 0.0]
        return min(times) if times else None

    def remove(self, t_s: float, lost_kg: dict[str, float]) -> dict[str, float]:
        """Advance to ``t_s`` and take away kilograms per resource (lost, not used), never
        below zero; returns what was taken."""
        self.advance(t_s)
        taken = {resource: min(mass_kg, self.stock_kg[resource])
                 for resource, mass_kg in lost_kg.items() if resource in self.stock_kg}
        for resource, mass_kg in taken.items():
            self.stock_kg[resource] -= mass_kg
        self._record()
        return taken

    def _record(self) -> None:
        for resource in RESOURCES:
            self.history.append((self.t_s, resource, self.stock_kg[resource]))
        if self.on_change is not None:
            self.on_change()
