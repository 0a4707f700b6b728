"""The station's tanks are its modules': they bound what it holds, and a module that leaves
takes its tanks' share with it."""

from __future__ import annotations

from pathlib import Path

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


# A tanked node carried up by a Shuttle and berthed mid-program, then leaving, on the station
# of iss_after_sts88.yaml (Zarya's tanks bound the propellant; nothing bounds the water until
# the node comes). The node, its tanks, the flights and dates are made up for the test.
ISS_AFTER_STS88 = Path(__file__).with_name("iss_after_sts88.yaml").read_text()
JOINING = """
name: tank-node
description: a module with tanks joining mid-program and leaving (made-up figures)
span: {start_utc: 2000-01-01T00:00:00Z, end_utc: 2000-01-12T00:00:00Z}
seed: 1
modules:
  tank-node:
    extends: pma-3
    display_name: Tank node
    mass_kg: 2500.0
    tanks_kg: {water: 300.0, propellant: 1000.0}
    source: made up for the tests
stations:
""" + ISS_AFTER_STS88 + """    consumables: {water_kg: 200, propellant_kg: 5000}
    CREW
flights:
  - {id: Tank node (STS-X), launch_utc: 2000-01-02T12:00:00Z, site: ksc-lc-39a,
     carried_by: STS-X, berth_flight_day: 5,
     delivers_module: {module: tank-node, via: cbm, berth_at: unity.nadir}}
  - {id: STS-X, vehicle: endeavour, launch_utc: 2000-01-02T12:00:00Z, site: ksc-lc-39a,
     profile: shuttle, docking_flight_day: 3, port: pma-2.apas, stay_days: 6,
     landing_utc: 2000-01-10T12:00:00Z}
EVENTS
"""
LEAVES = "events:\n  - {type: module_leaves, at_utc: 2000-01-11T12:00:00Z, module: tank-node}"
CREW = """crew:
  - {name: A, agency: NASA, nationality: USA}
  - {name: B, agency: RKA, nationality: Russia}"""
NODE_KG = 2500.0


def _step_kg(history, t_s: float) -> float:
    """The station's mass at the snapshot of ``t_s`` less the one before it (nothing aboard
    uses or burns anything in between: no crew, no reboost)."""
    before = [mass_kg for t, mass_kg, _, _ in history if t < t_s][-1]
    after = [mass_kg for t, mass_kg, _, _ in history if t == t_s][-1]
    return after - before


@pytest.fixture(scope="module")
def joined_and_left():
    return simulate(load_text(JOINING.replace("CREW", "").replace("EVENTS", LEAVES)))


def test_a_tanked_module_joining_adds_its_launch_mass_and_the_stock_stays(joined_and_left):
    result = joined_and_left
    iss = result.stations["iss"]
    join_s = next(f.dock_s for f in result.flights if f.flight == "Tank node (STS-X)")
    # the water, unbounded until the node's tanks came, is counted from then on, and that
    # must not step the mass: it was aboard already (the node's own stock is in its mass)
    assert _step_kg(iss.history, join_s) == pytest.approx(NODE_KG, abs=1e-6)
    water_at_join = [kg for t, r, kg in iss.ledger.history if r == "water" and t == join_s]
    assert water_at_join and water_at_join[-1] == 200.0  # nothing cut: 200 kg fit in 300
    # nothing lost at the join, all lost at the leave
    assert [e.t_s for e in result.events if e.kind == "stores_lost"] == [
        Epoch.from_utc_iso("2000-01-11T12:00:00Z").tt_s]


def test_a_tanked_module_leaving_takes_its_stock_with_its_mass_once(joined_and_left):
    result = joined_and_left
    iss = result.stations["iss"]
    leave_s = Epoch.from_utc_iso("2000-01-11T12:00:00Z").tt_s
    # the node's mass stands for it with what its tanks held: no second subtraction
    assert _step_kg(iss.history, leave_s) == pytest.approx(-NODE_KG, abs=1e-6)
    (lost,) = [e for e in result.events if e.kind == "stores_lost"]
    assert lost.detail == "the tanks that left held water 200 kg"
    # Zarya's 6,100 kg still hold the propellant: none of it left
    assert iss.propellant_capacity_kg == 6100.0 and iss.station_propellant_kg == 5000.0
    assert iss.ledger.capacity_kg == {"water": 0.0} and iss.ledger.stock_kg["water"] == 0.0
    # back to the station before the node came: the same modules, the same mass
    assert iss.history[-1][1] == pytest.approx(iss.history[0][1], abs=1e-6)


def test_the_stock_a_joining_module_bounds_is_used_on_as_before():
    result = simulate(load_text(JOINING.replace("CREW", "crew_aboard: [A, B]")
                                .replace("EVENTS", CREW)))
    iss = result.stations["iss"]
    assert iss.ledger.capacity_kg == {"water": 300.0} and iss.propellant_capacity_kg == 7100.0
    # two people drink and cook 2.38 kg a day each (BVAD 2004), through the join, 11 days
    span_s = (Epoch.from_utc_iso("2000-01-12T00:00:00Z").tt_s
              - Epoch.from_utc_iso("2000-01-01T00:00:00Z").tt_s)
    assert iss.ledger.stock_kg["water"] == pytest.approx(200.0 - 2 * 2.38 * span_s / 86400.0,
                                                         abs=1e-6)
    assert not [e for e in result.events if e.kind in ("stores_lost", "shortage")]


def test_what_the_first_tanks_to_bound_a_stock_cannot_hold_is_lost_at_the_join():
    result = simulate(load_text(JOINING.replace("water_kg: 200", "water_kg: 400")
                                .replace("CREW", "").replace("EVENTS", "")))
    join_s = next(f.dock_s for f in result.flights if f.flight == "Tank node (STS-X)")
    (lost,) = [e for e in result.events if e.kind == "stores_lost"]
    assert lost.t_s == join_s
    assert lost.detail == "beyond the tanks that now hold them: water 100 kg"
    iss = result.stations["iss"]
    assert iss.ledger.stock_kg["water"] == 300.0
    assert _step_kg(iss.history, join_s) == pytest.approx(NODE_KG, abs=1e-6)
