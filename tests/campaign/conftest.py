"""The nominal flight the campaign tests share: Soyuz TM-23 of example-small (soyuz-two-day)."""

from __future__ import annotations

import pytest

from stationsim.campaign import CampaignSpec
from stationsim.campaign.run import prepare

PROGRAM = "example-small"
FLIGHT = "Soyuz TM-23"


@pytest.fixture(scope="session")
def prepared():
    """(Nominal, description) of the flight with its full propellant load."""
    return prepare(CampaignSpec(PROGRAM, samples=1, flight=FLIGHT))
