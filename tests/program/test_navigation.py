"""A printed insertion refined within its printed digits to the ground's predicted perilune
(program/navigation.py), on Apollo 11's MCC-2 cut-off state and its MSC-00171 Table 7-III
prediction."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import ValidationError

from stationsim.astro.cislunar import PERILUNE, fly, recentre
from stationsim.astro.constants import NMI_M
from stationsim.hardware.catalog import load_catalog
from stationsim.program.mission import fly_mission, insertion_state
from stationsim.program.navigation import FIELDS, refine_to_perilune
from stationsim.scenario import load_program
from stationsim.scenario.trajectory import Trajectory

FLIGHT = load_program("apollo-11").flights[0]
TRAJECTORY = FLIGHT.trajectory
PREDICTED = TRAJECTORY.predicted_perilune
END = FLIGHT.launch + 80 * 3600.0
INTERFACE_M = 121920.0


def _state(printed):
    return insertion_state(printed, printed.epoch(FLIGHT.launch))


def _perilune_m(printed) -> float:
    leg = fly(_state(printed), "earth", END, stop=(PERILUNE,), entry_altitude_m=INTERFACE_M)
    assert leg.stop == PERILUNE
    return (float(np.linalg.norm(recentre(leg.state, leg.central, "moon").r_m))
            - PREDICTED.reference_radius_km * 1e3)


@pytest.fixture(scope="module")
def refined():
    return refine_to_perilune(TRAJECTORY.insertion, PREDICTED, _state, "earth", END, INTERFACE_M)


def test_apollo_11_reaches_the_predicted_perilune_within_half_a_printed_digit(refined):
    # the printed MCC-2 cut-off state (MSC-00171 Table 7-II) passes 56.5 n mi above the landing
    # site's radius; the ground predicted 61.5 (Table 7-III); no field moves by more than half
    # a unit of its last printed digit, and the coast flown at full precision passes there
    assert refined.taken
    assert refined.printed_perilune_m / NMI_M == pytest.approx(56.5, abs=0.1)
    assert max(abs(move) for move in refined.moves.values()) <= 1.0
    assert _perilune_m(refined.insertion) == pytest.approx(PREDICTED.altitude_km * 1e3, abs=50.0)
    for name in FIELDS:  # each field within half its printed unit of the printed value
        unit = getattr(PREDICTED.printed_units, name)
        assert abs(getattr(refined.insertion, name) - getattr(TRAJECTORY.insertion, name)) <= (
            0.5 * unit + 1e-12)


def test_the_refinement_is_the_least_change_along_the_perilunes_gradient(refined):
    # the minimum-norm step (in half units) moves each field in proportion to the perilune's
    # sensitivity to it: longitude against latitude, as centred differences of half a unit
    # flown here independently
    def slope(name):
        half = 0.5 * getattr(PREDICTED.printed_units, name)
        value = getattr(TRAJECTORY.insertion, name)
        up, down = (_perilune_m(TRAJECTORY.insertion.model_copy(update={name: value + sign * half}))
                    for sign in (1.0, -1.0))
        return 0.5 * (up - down)

    ratio = refined.moves["longitude_deg"] / refined.moves["latitude_deg"]
    assert ratio == pytest.approx(slope("longitude_deg") / slope("latitude_deg"), rel=0.05)


def test_a_prediction_beyond_the_printed_digits_leaves_the_state_as_printed():
    # 30 n mi more than the prediction asks more than two half units of longitude: refused, and
    # the state is flown as printed
    far = PREDICTED.model_copy(update={"altitude_km": PREDICTED.altitude_km + 30 * NMI_M / 1e3})
    refused = refine_to_perilune(TRAJECTORY.insertion, far, _state, "earth", END, INTERFACE_M)
    assert not refused.taken
    assert refused.insertion == TRAJECTORY.insertion
    assert all(move == 0.0 for move in refused.moves.values())
    assert refused.flown_perilune_m == pytest.approx(refused.printed_perilune_m)
    assert "flown as printed" in refused.summary(far)


def test_a_predicted_perilune_needs_a_printed_insertion_and_a_first_burn_at_perilune():
    written = TRAJECTORY.model_dump(exclude_none=True)
    with pytest.raises(ValidationError, match="first burn must be at: perilune"):
        Trajectory.model_validate({**written, "burns": written["burns"][1:]})
    state = {"at_utc": "1969-07-17T16:17:02Z", "r_km": [2e5, 0, 0], "v_kmps": [0, 1.5, 0]}
    without = {key: value for key, value in written.items() if key != "insertion"}
    with pytest.raises(ValidationError, match="refines a printed insertion"):
        Trajectory.model_validate({**without, "state": state})


def test_the_flight_starts_from_the_refined_state_and_says_so(refined):
    # the run's insertion event carries the refinement's report, and the flight starts from
    # the refined state (MSC-00171 Table 7-II's place moved by under 0.005 deg)
    catalog = load_catalog()
    program = load_program("apollo-11")
    flown = fly_mission(FLIGHT, catalog.vehicle(FLIGHT.vehicle), FLIGHT.launch,
                        program.span.end, catalog.site(FLIGHT.site))
    insertion = flown.events[0]
    assert insertion.kind == "insertion"
    assert "refined within half a unit of each printed digit" in insertion.detail
    assert np.allclose(flown.start.r_m, _state(refined.insertion).r_m, atol=1e-3)
