"""A printed start state refined, within the precision it was printed to, to the ground's
predicted closest approach to the Moon.

A state printed to 0.01 deg and 0.1 ft/s is known only to half a unit of each last digit, and
on the way to the Moon half a unit moves the perilune by several n mi (MSC-00171 Table 7-II's
MCC-2 cut-off state: 0.005 deg of longitude, 8 n mi). The ground's navigation before the
lunar-orbit insertion fixed that perilune from its tracking (MSC-00171 Table 7-III, the
pericynthion predicted after each translunar maneuver). The refinement is the least change,
in units of half a printed digit, that brings the coast's perilune to the prediction: the
minimum-norm step along the perilune's gradient (finite differences of half a unit), its size
found by the secant method on the coast itself. It is taken only when no field moves by more
than half a unit; otherwise the state is flown as printed. Either way the result says how far
each field moved, the perilune before and after, and whether the bound held.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from stationsim.astro.cislunar import PERILUNE, fly, recentre
from stationsim.astro.constants import NMI_M
from stationsim.astro.propagate import OrbitState
from stationsim.astro.time import Epoch
from stationsim.program.targeting import SEARCH_RTOL, secant
from stationsim.scenario.trajectory import Insertion, PredictedPerilune

FIELDS = ("latitude_deg", "longitude_deg", "altitude_km", "velocity_kmps",
          "flight_path_angle_deg", "heading_deg")
"""The printed fields the refinement may move, each by at most half its printed unit."""


@dataclass(frozen=True)
class Refinement:
    """The insertion flown, and what the refinement did: each field's move in half units of
    its last printed digit (the bound is 1), the perilune heights (m above the prediction's
    reference radius) of the printed and of the flown state, and whether it was taken."""

    insertion: Insertion
    moves: dict[str, float]
    printed_perilune_m: float
    flown_perilune_m: float
    taken: bool

    def summary(self, predicted: PredictedPerilune) -> str:
        """One line for the insertion event."""
        moved = ", ".join(f"{name.rsplit('_', 1)[0].replace('_', ' ')} {value:+.2f}"
                          for name, value in self.moves.items() if abs(value) >= 0.005)
        verdict = ("refined within half a unit of each printed digit" if self.taken else
                   "flown as printed: the prediction needs more than half a unit of a digit")
        return (f"{verdict} to the predicted perilune {predicted.altitude_km * 1e3 / NMI_M:.1f}"
                f" n mi (printed state {self.printed_perilune_m / NMI_M:.1f}, flown "
                f"{self.flown_perilune_m / NMI_M:.1f}; moves in half units: {moved or 'none'})")


def refine_to_perilune(insertion: Insertion, predicted: PredictedPerilune,
                       state_of: Callable[[Insertion], OrbitState], central: str,
                       until: Epoch, interface_m: float) -> Refinement:
    """The least change of ``insertion`` (module doc) whose coast, built by ``state_of`` about
    ``central``, reaches its first perilune before ``until`` at ``predicted``'s height."""
    half = np.array([0.5 * getattr(predicted.printed_units, name) for name in FIELDS])
    reference_m = predicted.reference_radius_km * 1e3
    goal_m = predicted.altitude_km * 1e3
    latitude = "latitude_deg" if insertion.latitude_deg is not None else (
        "geocentric_latitude_deg")
    printed = np.array([getattr(insertion, latitude if name == "latitude_deg" else name)
                        for name in FIELDS])

    def moved(steps: np.ndarray) -> Insertion:
        values = printed + steps * half
        return insertion.model_copy(update={
            (latitude if name == "latitude_deg" else name): float(value)
            for name, value in zip(FIELDS, values, strict=True)})

    def perilune_m(steps: np.ndarray) -> float:
        leg = fly(state_of(moved(steps)), central, until, stop=(PERILUNE,),
                  entry_altitude_m=interface_m, rtol=SEARCH_RTOL)
        if leg.stop != PERILUNE:
            raise ValueError(f"the coast from the insertion {leg.stop} at "
                             f"{leg.state.epoch.utc_iso(0)}, before any perilune")
        about_moon = recentre(leg.state, leg.central, "moon")
        return float(np.linalg.norm(about_moon.r_m)) - reference_m

    zero = np.zeros(len(FIELDS))
    start_m = perilune_m(zero)
    gradient = np.array([perilune_m(np.eye(len(FIELDS))[i]) - start_m
                         for i in range(len(FIELDS))])
    direction = gradient / float(gradient @ gradient)  # the minimum-norm step per metre
    size = secant(lambda s: perilune_m(s * direction) - goal_m, goal_m - start_m,
                  1.01 * (goal_m - start_m), 1.0)
    steps = size * direction
    taken = bool(np.max(np.abs(steps)) <= 1.0)
    if not taken:
        steps = zero
    return Refinement(moved(steps), dict(zip(FIELDS, steps.tolist(), strict=True)), start_m,
                      perilune_m(steps), taken)
