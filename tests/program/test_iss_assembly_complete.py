"""iss-assembly at its end (2011-03-15) against NASA's figures for the assembled station.

NASA, International Space Station facts and figures (2014; iss_structure.csv): mass 924,739 lb,
419,455 kg; pressurised volume 32,333 cubic feet, 916 m^3. The run's station is the catalog's
modules, truss segments (with their solar arrays and radiators) and the ships docked at the end.
"""

from __future__ import annotations

import pytest

from stationsim.hardware import load_catalog
from stationsim.scenario import load_program

NASA_MASS_KG = 419_455.0
NASA_PRESSURIZED_M3 = 916.0
TRUSS = {"z1-truss", "s0-truss", "s1-truss", "s3-s4-truss", "s5-truss", "s6-truss", "p1-truss",
         "p3-p4-truss", "p5-truss", "p6-truss"}


@pytest.fixture(scope="module")
def station():
    from stationsim.program.engine import simulate

    return simulate(load_program("iss-assembly")).stations["iss"].graph


def test_the_truss_is_complete_with_p6_on_p5(station):
    assert TRUSS <= set(station.modules())
    assert station.item("p6-truss").at == "p5-truss.port"  # moved from Z1 by STS-120
    assert station.item("s6-truss").at == "s5-truss.starboard"


def test_pressurised_volume_within_5_percent_of_nasa(station):
    assert station.pressurized_volume_m3() == pytest.approx(NASA_PRESSURIZED_M3, rel=0.05)


def test_mass_is_modules_truss_and_docked_ships(station):
    # the sum, item by item, of catalog masses and the docked ships' current masses
    catalog = load_catalog()
    modules_kg = sum(catalog.module(station.item(name).item.name).mass_kg
                     for name in station.modules())
    ships_kg = sum(station.item(name).mass_kg for name in station.docked_vehicles())
    assert station.mass_kg() == pytest.approx(modules_kg + ships_kg)
    assert sum(catalog.module(name).mass_kg for name in TRUSS) == pytest.approx(113_124.0)


@pytest.mark.xfail(strict=True, reason=(
    "the catalog holds the elements' launch masses: 275 t of modules and truss and about 32 t "
    "of docked ships make 307 t, 27 % under NASA's figure, which also counts the outfitting "
    "and stowage carried up later, the robotic arms, the external platforms and carriers, and "
    "the ATV-2 docked in March 2011; none of them is in the catalog"))
def test_mass_within_3_percent_of_nasa(station):
    assert station.mass_kg() == pytest.approx(NASA_MASS_KG, rel=0.03)
