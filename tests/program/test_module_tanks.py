"""The station's tanks are its modules': they bound what it holds, and a module that leaves
takes its tanks' share with it."""

from __future__ import annotations

import pytest

from stationsim.astro.time import Epoch
from stationsim.errors import ProgramError
from stationsim.hardware.catalog import load_catalog
from stationsim.program.engine import simulate
from stationsim.scenario.loader import load_text

PROGRAM = """
name: tanks
description: a core module with a tank module that leaves (made-up figures, for the tests)
span: {start_utc: 1995-11-01T00:00:00Z, end_utc: 1995-11-03T00:00:00Z}
seed: 1
modules:
  tank-module:
    extends: kvant-1
    display_name: Tank module
    tanks_kg: {propellant: 500.0, water: 200.0}
    source: made up for the tests
stations:
  - id: mir
    orbit: {epoch_utc: 1995-11-01T00:00:00Z, perigee_km: 392.0, apogee_km: 396.1,
            inclination_deg: 51.644, raan_deg: 192.51, arg_perigee_deg: 278.35,
            true_anomaly_deg: 26.97}
    modules:
      root: mir-core
      attach:
        - {module: tank-module, at: mir-core.aft, via: forward}
    consumables: {o2_kg: 50, water_kg: 150, food_kg: 50, propellant_kg: 400}
    CAPACITY
events:
  - {type: module_leaves, at_utc: 1995-11-02T00:00:00Z, module: tank-module}
"""


def _run(capacity: str = ""):
    return simulate(load_text(PROGRAM.replace("CAPACITY", capacity)))


def test_the_station_holds_what_its_modules_tanks_hold_and_loses_them_with_the_module():
    result = _run()
    mir = result.stations["mir"]
    # mir-core has no tanks: after the tank module left, nothing
    # holds propellant or water, so both stocks left with it
    assert mir.propellant_capacity_kg == 0.0 and mir.ledger.capacity_kg == {"water": 0.0}
    assert mir.station_propellant_kg == 0.0 and mir.ledger.stock_kg["water"] == 0.0
    (lost,) = [e for e in result.events if e.kind == "stores_lost"]
    assert lost.t_s == Epoch.from_utc_iso("1995-11-02T00:00:00Z").tt_s
    assert lost.detail == "the tanks that left held water 150 kg, propellant 400 kg"
    # o2 and food have no tanks anywhere: unbounded, untouched
    assert mir.ledger.stock_kg["food"] == pytest.approx(50.0)


def test_a_stock_written_above_the_tanks_is_cut_to_them_with_a_warning():
    over = simulate(load_text(PROGRAM.replace("water_kg: 150", "water_kg: 260")
                              .replace("CAPACITY", "")))
    assert ("1995-11-01T00:00:00Z: mir: the stocks written exceed its tanks and are cut to "
            "them: water 60 kg") in over.warnings
    start_s = Epoch.from_utc_iso("1995-11-01T00:00:00Z").tt_s
    water_at_start = [kg for t_s, r, kg in over.stations["mir"].ledger.history
                      if r == "water" and t_s == start_s]
    assert water_at_start[-1] == 200.0
    assert "water 200 kg" in next(e.detail for e in over.events if e.kind == "stores_lost")


def test_the_programs_capacity_overrides_the_modules_tanks():
    mir = _run("capacity: {propellant_kg: 1000}").stations["mir"]
    assert mir.propellant_capacity_kg == 1000.0 and mir.station_propellant_kg == 400.0
    assert mir.ledger.capacity_kg == {"water": 0.0}


def test_zaryas_tanks_are_the_iss_propellant_capacity():
    # RSC Energia's FGB specifications: 'propellant load mass, kg: up to 6 100'
    assert load_catalog().module("zarya").tanks_kg == {"propellant": 6100.0}


def test_a_tank_of_an_unknown_resource_is_an_error_with_its_line():
    text = PROGRAM.replace("water: 200.0", "fuel: 200.0").replace("CAPACITY", "")
    with pytest.raises(ProgramError) as error:
        load_text(text, "tanks.yaml")
    message = str(error.value)
    assert "tanks.yaml:10:" in message and "fuel" in message
