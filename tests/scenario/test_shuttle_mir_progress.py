"""The Progress cargo flights of the bundled shuttle-mir program against those of the mir program.

mir.yaml holds every Progress flight to Mir of 1986-2001 with its source (launch, port, cargo,
undocking; see its header); shuttle-mir.yaml flies the ones of its own span, 1994-02-01 to
1998-06-15, with the same data, and the one docked when its span starts sits in its ``docked``
list. The expected values here are mir.yaml's, read through the same loader.
"""

from __future__ import annotations

import pytest

from stationsim.scenario import load_program

PROGRESS_VEHICLES = {"progress", "progress-m", "progress-m1"}


@pytest.fixture(scope="module")
def mir():
    return load_program("mir")


@pytest.fixture(scope="module")
def shuttle_mir():
    return load_program("shuttle-mir")


def _progress(program) -> dict:
    return {flight.id: flight for flight in program.flights
            if flight.vehicle in PROGRESS_VEHICLES}


def _in_span(mir, shuttle_mir) -> dict:
    start_s, end_s = shuttle_mir.span.start.tt_s, shuttle_mir.span.end.tt_s
    return {name: flight for name, flight in _progress(mir).items()
            if start_s <= flight.launch.tt_s <= end_s}


def test_every_progress_launched_in_the_span_flies_with_the_same_launch_and_vehicle(
        mir, shuttle_mir):
    expected = _in_span(mir, shuttle_mir)
    flown = _progress(shuttle_mir)
    assert len(expected) == 18  # Progress M-22 to M-39 (mir.yaml)
    assert set(flown) == set(expected)
    for name, reference in expected.items():
        flight = flown[name]
        assert flight.vehicle == reference.vehicle, name
        # a launch known to the second stays launch_utc; a launch date stays a date
        assert (flight.launch_utc is None) == (reference.launch_utc is None), name
        assert flight.launch.tt_s == reference.launch.tt_s, name


def test_cargo_undocking_and_port_are_mir_s(mir, shuttle_mir):
    # shuttle-mir's Soyuz TM-18 to TM-27 hold the same axial ports as mir.yaml's, so every
    # Progress port of mir.yaml is free in shuttle-mir too.
    flown = _progress(shuttle_mir)
    for name, reference in _in_span(mir, shuttle_mir).items():
        assert name in flown
        flight = flown[name]
        assert flight.cargo == reference.cargo, name
        assert flight.undock.tt_s == reference.undock.tt_s, name
        assert flight.port == reference.port, name


def test_the_progress_docked_at_the_span_start_is_in_the_docked_list(mir, shuttle_mir):
    start_s = shuttle_mir.span.start.tt_s
    docked_at_start = {name: flight for name, flight in _progress(mir).items()
                       if flight.launch.tt_s < start_s < flight.undock.tt_s}
    assert set(docked_at_start) == {"Progress M-21"}  # launched 1994-01-28 (mir.yaml)
    (station,) = shuttle_mir.stations
    docked = {entry.id: entry for entry in station.docked}
    for name, reference in docked_at_start.items():
        assert name in docked
        entry = docked[name]
        assert entry.vehicle == reference.vehicle
        assert entry.port == reference.port
        assert entry.undock.tt_s == reference.undock.tt_s
