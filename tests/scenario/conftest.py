"""The ISS assembly program, loaded once for the tests of its traffic."""

from __future__ import annotations

import pytest

from stationsim.scenario import load_program


@pytest.fixture(scope="session")
def iss_assembly():
    return load_program("iss-assembly")


@pytest.fixture(scope="session")
def iss_flights(iss_assembly):
    """The program's flights by id."""
    return {flight.id: flight for flight in iss_assembly.flights}
