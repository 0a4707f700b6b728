"""Shared fixtures of the ops tests: Mir's November 1995 element set and the STS-74 plan."""

import functools

import pytest

from stationsim.astro.propagate import Numerical, Sgp4Propagator
from stationsim.astro.time import Epoch
from stationsim.astro.tle import parse_tle_lines
from stationsim.hardware.catalog import load_catalog
from stationsim.ops.launch import find_site
from stationsim.ops.rendezvous import plan_rendezvous

# Mir, 1995-11-11T08:05Z, SeeSat-L (W. Nissen, 13 Nov 1995); tle_historical.csv
MIR_1995 = (
    "1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051",
    "2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898",
)
STS74_LAUNCH_UTC = "1995-11-12T12:30:43Z"  # shuttle_mir_flights.csv
STS74_DOCKING_FLIGHT_DAY = 4  # shuttle_mir_flights.csv (flight plan)

# The full model: EGM-96 zonals J2..J6, no drag (a 3-day rendezvous loses ~1 km of height to
# drag at 400 km, common to both vehicles to first order).
@pytest.fixture(scope="session")
def numerical():
    return functools.partial(Numerical, rtol=1e-10, atol=1e-4)


@pytest.fixture(scope="session")
def mir_tle():
    return parse_tle_lines(*MIR_1995, name="MIR")


@pytest.fixture(scope="session")
def mir(mir_tle):
    return Sgp4Propagator(mir_tle)


@pytest.fixture(scope="session")
def catalog():
    return load_catalog()


@pytest.fixture(scope="session")
def ksc():
    return find_site("KSC-39A")


@pytest.fixture(scope="session")
def sts74_plan(mir, catalog, ksc):
    return plan_rendezvous(mir, catalog.vehicle("atlantis"), ksc,
                           Epoch.from_utc_iso(STS74_LAUNCH_UTC),
                           docking_flight_day=STS74_DOCKING_FLIGHT_DAY, approach="shuttle-mir")
