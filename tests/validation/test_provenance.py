"""Which record rows are predictions: the rule of stationsim.validation.provenance on real rows."""

from __future__ import annotations

import dataclasses

import pytest

from stationsim.scenario import load_program
from stationsim.validation.compare import Entry, load_record
from stationsim.validation.provenance import (
    ASSUMED_PHASE,
    CALIBRATION,
    INPUT,
    PREDICTED,
    classify,
    provenance,
)

RECORD = load_record()
SHUTTLE_MIR = load_program("shuttle-mir")


def _entry(quantity: str, subject: str, program: str = "shuttle-mir") -> Entry:
    return next(e for e in RECORD.programs[program]
                if e.quantity == quantity and e.subject == subject)


@pytest.mark.parametrize(("quantity", "subject"), [
    ("undock_utc", "STS-71"),  # undock_utc: 1995-07-04T11:09:42Z in shuttle-mir.yaml
    ("land_utc", "STS-74"),
    ("port", "Soyuz TM-21"),
    ("docking_flight_day", "STS-79"),
    ("mass_kg", "mir"),
])
def test_a_value_the_program_writes_is_an_input(quantity, subject):
    found = provenance(_entry(quantity, subject), SHUTTLE_MIR)
    assert found.kind == INPUT
    # an input stays an input whatever the calibration set or the run's assumed phases
    assert classify(_entry(quantity, subject), SHUTTLE_MIR, {subject}, {subject}).kind == INPUT


def test_an_undocking_written_as_a_stay_is_an_input():
    flight = SHUTTLE_MIR.flight("STS-71").model_copy(update={"undock_utc": None,
                                                             "stay_days": 6.7})
    program = SHUTTLE_MIR.model_copy(update={"flights": [flight]})
    found = provenance(_entry("undock_utc", "STS-71"), program)
    assert found.kind == INPUT and "stay_days" in found.why
    unwritten = SHUTTLE_MIR.model_copy(update={"flights": [
        flight.model_copy(update={"stay_days": None})]})
    assert provenance(_entry("undock_utc", "STS-71"), unwritten).kind == PREDICTED


def test_a_docking_is_predicted_and_a_chosen_launch_too():
    docking = provenance(_entry("dock_utc", "Soyuz TM-21"), SHUTTLE_MIR)
    assert docking.kind == PREDICTED and docking.flights == ("Soyuz TM-21",)
    # after two aborts Progress M-24 docks on the day the program writes: the time of day
    # is what is predicted
    retried = provenance(_entry("dock_utc", "Progress M-24"), SHUTTLE_MIR)
    assert retried.kind == PREDICTED and "time of day on the written retry day 9" in retried.why
    # Soyuz TM-22 is written with earliest_launch_utc only: the engine chooses the launch
    assert SHUTTLE_MIR.flight("Soyuz TM-22").launch_utc is None
    assert provenance(_entry("launch_utc", "Soyuz TM-22"), SHUTTLE_MIR).kind == PREDICTED
    assert provenance(_entry("perigee_km", "mir"), SHUTTLE_MIR).kind == PREDICTED


def test_crew_days_are_an_input_only_between_written_times():
    # Thagard arrived on Soyuz TM-21 (a simulated docking); Afanasyev was aboard at the start
    # and left on Soyuz TM-18's written undocking (shuttle-mir.yaml)
    thagard = provenance(_entry("crew_days", "Norman Thagard"), SHUTTLE_MIR)
    assert thagard.kind == PREDICTED and thagard.flights == ("Soyuz TM-21",)
    aboard = Entry("shuttle-mir", "crew_days", "Viktor Afanasyev", 182.0, None, None, None,
                   "test", "high", "", {"station": "mir"})
    assert provenance(aboard, SHUTTLE_MIR).kind == INPUT


def test_a_docking_of_assumed_phase_is_not_scored_nor_what_depends_on_it():
    docking, stay = _entry("dock_utc", "Soyuz TM-21"), _entry("crew_days", "Norman Thagard")
    for entry in (docking, stay):
        assert classify(entry, SHUTTLE_MIR, frozenset(), {"Soyuz TM-21"}).kind == ASSUMED_PHASE
        assert classify(entry, SHUTTLE_MIR, frozenset(), {"Soyuz TM-23"}).kind == PREDICTED


def test_rows_of_the_calibration_set_and_records_derived_from_it_are_set_apart():
    calibration = RECORD.calibration_flights
    # SHUTTLE_FLIGHT_DAYS.first_day_s from STS-96's Ti; the Shuttle's Ti lighting and
    # post-sleep from STS-116, -117 and -118; the Kurs approach from TM-31's plan
    assert calibration == {"STS-96", "STS-116", "STS-117", "STS-118", "Soyuz TM-31"}
    iss = load_program("iss-assembly")
    assert classify(_entry("dock_utc", "STS-96", "iss-assembly"), iss,
                    calibration).kind == CALIBRATION
    assert classify(_entry("dock_utc", "STS-101", "iss-assembly"), iss,
                    calibration).kind == PREDICTED
    # a record derived from a calibration flight (record_from) is set apart with it
    derived = dataclasses.replace(_entry("dock_utc", "STS-101", "iss-assembly"),
                                  extra={"record_from": ["STS-96"]})
    kept_apart = classify(derived, iss, calibration)
    assert kept_apart.kind == CALIBRATION and "STS-96" in kept_apart.why
    assert classify(_entry("dock_utc", "Soyuz TM-21"), SHUTTLE_MIR, calibration).kind == PREDICTED
    assert classify(_entry("dock_utc", "Soyuz TM-31", "iss-assembly"), iss,
                    calibration).kind == CALIBRATION


def test_a_bad_calibration_section_is_refused(tmp_path):
    path = tmp_path / "record.yaml"
    path.write_text("calibration: [{constant: X.y, flights: STS-71, source: s}]\n")
    with pytest.raises(ValueError, match="calibration 'X.y'"):
        load_record(str(path))


def test_a_carried_module_depends_on_its_carriers_docking():
    # Tranquility rode in Endeavour's bay (iss-assembly.yaml: carried_by STS-130): its
    # berthing is predicted through STS-130's docking, whose assumed phase sets it apart too
    iss = load_program("iss-assembly")
    entry = _entry("dock_utc", "Tranquility (STS-130)", "iss-assembly")
    found = provenance(entry, iss)
    assert found.kind == PREDICTED and found.flights == ("Tranquility (STS-130)", "STS-130")
    assert classify(entry, iss, frozenset(), {"STS-130"}).kind == ASSUMED_PHASE


def test_a_targeted_apoapsis_and_a_splashdown_on_its_written_target_are_inputs():
    # both Apollo entries are guided to their last entry PAD's target, within 2 km of the
    # record's place; their LOI-1 is flown along its PAD (the orbit predicted), while a LOI-1
    # cut off at a written apoapsis makes that apoapsis an input
    apollo_11, apollo_8 = load_program("apollo-11"), load_program("apollo-8")

    def row(program, quantity, subject):
        return next(e for e in RECORD.programs[program]
                    if e.quantity == quantity and e.subject == subject)

    apoapsis = row("apollo-11", "apoapsis_after_nmi", "Apollo 11")
    assert provenance(apoapsis, apollo_11).kind == PREDICTED
    assert provenance(row("apollo-11", "periapsis_after_nmi", "Apollo 11"),
                      apollo_11).kind == PREDICTED
    assert provenance(row("apollo-11", "land_place", "Apollo 11"), apollo_11).kind == INPUT
    assert provenance(row("apollo-11", "entry_utc", "Apollo 11"), apollo_11).kind == PREDICTED
    assert provenance(row("apollo-8", "apoapsis_after_nmi", "Apollo 8"), apollo_8).kind == PREDICTED
    assert provenance(row("apollo-8", "land_place", "Apollo 8 (trans-Earth)"),
                      apollo_8).kind == INPUT
    flight = apollo_11.flights[0]
    cut = flight.trajectory.burns[0].model_copy(
        update={"external_dv_mps": None, "apoapsis_km": 314.84})
    trajectory = flight.trajectory.model_copy(
        update={"burns": [cut, *flight.trajectory.burns[1:]]})
    targeted = apollo_11.model_copy(update={"flights": [
        flight.model_copy(update={"trajectory": trajectory}), *apollo_11.flights[1:]]})
    assert provenance(apoapsis, targeted).kind == INPUT
    # a target farther from the record than SAME_PLACE_KM leaves the place predicted
    entry = flight.trajectory.entry.model_copy(update={"target": flight.trajectory.entry.target
                                                       .model_copy(update={"latitude_deg": 13.5})})
    moved = apollo_11.model_copy(update={"flights": [flight.model_copy(update={
        "trajectory": flight.trajectory.model_copy(update={"entry": entry})}),
        *apollo_11.flights[1:]]})
    assert provenance(row("apollo-11", "land_place", "Apollo 11"), moved).kind == PREDICTED
