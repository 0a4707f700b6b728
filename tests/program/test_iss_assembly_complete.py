"""iss-assembly at its end (2011-03-15) against NASA's figures for the assembled station.

NASA, International Space Station facts and figures (2014; iss_structure.csv): mass 924,739 lb,
419,455 kg; pressurised volume 32,333 cubic feet, 916 m^3. The run's station is the catalog's
modules, truss segments (with their solar arrays and radiators), robotic arms and external
carriers, and the ships docked at the end.
"""

from __future__ import annotations

import pytest

from stationsim.hardware import load_catalog
from stationsim.scenario import load_program

NASA_MASS_KG = 419_455.0
NASA_PRESSURIZED_M3 = 916.0
LB_KG = 0.45359237
# Robotics and external carriers, where each is held, and its published launch mass (kg): CSA
# Canadarm2 1,641 kg, CSA MBS 1,450 kg, CSA Dextre 1,662 kg, NASA JEM fact sheet EF 4,000 kg,
# STS-129 ELC1 13,842 lb and ELC2 13,365 lb with their spares, STS-133 press kit ELC4 8,235 lb.
EXTERNAL = {
    "ssrms": ("destiny.pdgf", 1641.0),
    "mbs": ("s0-truss.mt", 1450.0),
    "dextre": ("mbs.pdgf", 1662.0),
    "kibo-jem-ef": ("kibo-jem-pm.ef", 4000.0),
    "elc-1": ("p3-p4-truss.uccas-nadir", 13_842 * LB_KG),
    "elc-2": ("s3-s4-truss.pas-zenith-outboard", 13_365 * LB_KG),
    "elc-4": ("s3-s4-truss.pas-nadir-inboard", 8_235 * LB_KG),
}
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


def test_the_arms_and_carriers_are_where_they_were_installed(station):
    catalog = load_catalog()
    for name, (at, published_kg) in EXTERNAL.items():
        assert station.item(name).at == at
        assert catalog.module(name).mass_kg == pytest.approx(published_kg, abs=0.5)


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
    "the catalog holds launch masses: 300 t of modules, truss, arms, the Kibo Exposed Facility "
    "and three ExPRESS Logistics Carriers and 32 t of docked ships make 332 t, 21 % under "
    "NASA's figure, which also counts the outfitting and stowage carried up later (delivered "
    "cargo is not added to the station's mass), the external stowage platforms (no published "
    "mass found), the JEM-RMS, ELC-3 and AMS-02 (May 2011, after the span) and ATV-2"))
def test_mass_within_3_percent_of_nasa(station):
    assert station.mass_kg() == pytest.approx(NASA_MASS_KG, rel=0.03)
