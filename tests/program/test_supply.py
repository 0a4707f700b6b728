"""Life support that runs out, the rule that answers it, presence gaps, capacities, and cargo
counted once."""

from __future__ import annotations

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.hardware.catalog import load_catalog
from stationsim.program.consumables import BVAD_2004
from stationsim.program.engine import simulate
from stationsim.program.supply import SOYUZ_DESCENT_S
from stationsim.scenario.loader import load_text

PROGRAM = """
name: no-resupply
description: two people on a one-module Mir with 100 kg of water and no cargo ship
span: {start_utc: 1995-11-01T00:00:00Z, end_utc: 1996-01-20T00:00:00Z}
seed: 1
stations:
  - id: mir
    orbit: {epoch_utc: 1995-11-01T00:00:00Z, perigee_km: 392.0, apogee_km: 396.1,
            inclination_deg: 51.644, raan_deg: 192.51, arg_perigee_deg: 278.35,
            true_anomaly_deg: 26.97}
    modules: {root: mir-core}
    consumables: {o2_kg: 500, water_kg: 100, food_kg: 500}
    CAPACITY
    crew_aboard: [Yuri Gidzenko, Sergei Avdeyev]
    docked:
      - {id: Soyuz TM-22, vehicle: soyuz-tm, port: mir-core.aft,
         undock_utc: 1996-01-10T00:00:00Z, landing_utc: 1996-01-10T03:21:00Z,
         crew_down: [Yuri Gidzenko, Sergei Avdeyev]}
crew:
  - {name: Yuri Gidzenko, agency: RKA, nationality: Russia}
  - {name: Sergei Avdeyev, agency: RKA, nationality: Russia}
  - {name: Yuri Onufrienko, agency: RKA, nationality: Russia}
flights:
  - id: Progress M-30
    vehicle: progress-m
    launch_utc: 1995-12-18T13:31:00Z
    site: baikonur-site-1
    port: mir-core.forward
    profile: soyuz-two-day
    cargo: {water_kg: 400, food_kg: 200, dry_kg: 1000}
"""
START_S = Epoch.from_utc(1995, 11, 1).tt_s


@pytest.fixture(scope="module")
def run():
    return simulate(load_text(PROGRAM.replace("CAPACITY", "capacity: {water_kg: 300}")))


def test_water_running_out_is_a_shortage_and_the_crew_leaves_on_its_soyuz(run):
    (shortage,) = [e for e in run.events if e.kind == "shortage"]
    # 100 kg at two people's 1.62 + 0.76 kg a day (BVAD 2004), nothing recovered
    days = 100.0 / (2 * BVAD_2004.water_kg_per_day)
    assert (shortage.t_s - START_S) / DAY_S == pytest.approx(days, abs=1e-6)
    assert "water ran out with 2 aboard" in shortage.detail
    assert any("ran out of water" in w for w in run.warnings)
    soyuz = next(f for f in run.flights if f.flight == "Soyuz TM-22")
    assert soyuz.undock_s == shortage.t_s and soyuz.outcome == "returned early"
    assert soyuz.land_s == pytest.approx(shortage.t_s + SOYUZ_DESCENT_S)
    stays = run.roster.all_stays()
    assert all(s.departed_s == shortage.t_s for s in stays)
    # the written undocking of 1996-01-10 no longer happens
    assert [e.t_s for e in run.events if e.kind == "undock"] == [shortage.t_s]


def test_the_crew_leaving_opens_a_presence_gap(run):
    (gap,) = [e for e in run.events if e.kind == "presence_gap"]
    shortage = next(e for e in run.events if e.kind == "shortage")
    assert gap.t_s == shortage.t_s
    assert not [e for e in run.events if e.kind == "presence_resumed"]


def test_cargo_beyond_the_station_capacity_stays_aboard(run):
    # the 400 kg of water meet an empty 300 kg tank: 100 kg stay on the Progress
    (refused,) = [e for e in run.events if e.kind == "cargo"]
    assert "water 100 kg" in refused.detail
    water = [kg for t, r, kg in run.stations["mir"].ledger.history if r == "water"]
    assert max(water) == pytest.approx(300.0)


def test_a_cargo_ship_carries_its_cargo_once(run):
    progress = load_catalog().vehicle("progress-m")
    dock = next(f for f in run.flights if f.flight == "Progress M-30").dock_s
    rows = run.stations["mir"].history
    before_kg = [m for t, m, _, _ in rows if t < dock][-1]
    after_kg = [m for t, m, _, _ in rows if t == dock][-1]
    own_kg = run.stations["mir"].propellant_kg["Progress M-30"]  # no burn after docking
    assert 0.0 < own_kg < progress.propellant_mass_kg
    # vehicles.yaml: the Progress-M's 6,420 kg dry mass holds its 2,500 kg of cargo; the
    # manifest's 1,600 kg are added once
    expected_kg = progress.dry_mass_kg - progress.cargo_capacity_kg + own_kg + 1600.0
    assert after_kg - before_kg == pytest.approx(expected_kg, rel=1e-9)


def test_unloaded_cargo_moves_from_the_ship_into_the_station(run):
    mir = run.stations["mir"]
    progress = load_catalog().vehicle("progress-m")
    dock = next(f for f in run.flights if f.flight == "Progress M-30").dock_s
    food = [(t, kg) for t, r, kg in mir.ledger.history if r == "food"]
    before_kg = [kg for t, kg in food if t < dock][-1]
    # the crew left at the water shortage, so nothing is eaten: the 200 kg of food go aboard,
    # 300 kg of the 400 kg of water fill the empty tank and the dry cargo goes to stowage
    assert [kg for t, kg in food if t == dock][-1] == pytest.approx(before_kg + 200.0)
    assert mir.stowed_kg == pytest.approx(1000.0)
    # the ship keeps the 100 kg of water refused and, in its mass, the food: the station's
    # food stock is unbounded, so not part of the station's mass (StationRuntime.stores_kg)
    own_kg = mir.propellant_kg["Progress M-30"]
    assert mir.graph.item("Progress M-30").mass_kg == pytest.approx(
        progress.dry_mass_kg - progress.cargo_capacity_kg + own_kg + 100.0 + 200.0, rel=1e-12)


@pytest.mark.parametrize(("written", "left_kg"), [("", 0.0), (", return_kg: 300", 700.0)])
def test_a_departing_ship_takes_its_return_or_as_much_rubbish_as_it_brought(written, left_kg):
    # no return_kg: a cargo ship goes down with as much rubbish as the dry cargo it brought;
    # return_kg: that much, and the rest of the 1,000 kg stays stowed
    program = PROGRAM.replace("CAPACITY", "").replace(
        "dry_kg: 1000}", f"dry_kg: 1000{written}}}\n    undock_utc: 1996-01-15T00:00:00Z")
    result = simulate(load_text(program))
    mir = result.stations["mir"]
    assert mir.stowed_kg == pytest.approx(left_kg)
    undock = next(f for f in result.flights if f.flight == "Progress M-30").undock_s
    before_kg, after_kg = ([m for t, m, _, _ in mir.history if t < undock][-1],
                           [m for t, m, _, _ in mir.history if t == undock][-1])
    assert "Progress M-30" not in mir.graph
    # the station is lighter by the empty ship, its propellant, the 600 kg of water and food
    # it unloaded into the station's unbounded stocks (counted with it) and what it took away
    progress = load_catalog().vehicle("progress-m")
    own_kg = mir.propellant_kg["Progress M-30"]
    assert before_kg - after_kg == pytest.approx(
        progress.dry_mass_kg - progress.cargo_capacity_kg + own_kg + 600.0 + 1000.0 - left_kg,
        rel=1e-9)


def test_untracked_stocks_never_run_short():
    program = PROGRAM.replace("CAPACITY", "").replace(
        "consumables: {o2_kg: 500, water_kg: 100, food_kg: 500}", "consumables: {o2_kg: 500}")
    result = simulate(load_text(program))
    assert not [e for e in result.events if e.kind == "shortage"]
    soyuz = next(f for f in result.flights if f.flight == "Soyuz TM-22")
    assert soyuz.undock_s == Epoch.from_utc(1996, 1, 10).tt_s


def test_the_report_gives_margins_shortages_and_gaps(run, tmp_path):
    import duckdb

    from stationsim.results.logistics import logistics_tables
    from stationsim.results.store import write_store
    from stationsim.results.tables import result_tables

    store = write_store(tmp_path / "results.duckdb",
                        result_tables(run, {"program": "no-resupply"}))
    tables = {}
    con = duckdb.connect(str(store), read_only=True)
    try:
        logistics_tables(con, lambda title, columns, rows: tables.setdefault(title, rows) and "")
    finally:
        con.close()
    margins = {row[1]: row for row in tables["Logistics: margins in days of supply"]}
    # water: 100 kg at 2 x 2.38 kg a day (BVAD 2004) lasts 21.0 days from the start
    assert float(margins["water"][2]) == pytest.approx(100.0 / (2 * BVAD_2004.water_kg_per_day),
                                                       abs=0.05)
    assert margins["water"][3].startswith("1995-11-01")
    (shortage,) = tables["Logistics: shortages"]
    assert "water ran out" in shortage[2]
    (gap,) = tables["Logistics: gaps in presence (nobody aboard)"]
    assert gap[2] == "end of the run"


def test_the_dashboard_gives_the_days_left_and_flags_the_gap(run, tmp_path):
    import datetime as dt

    import duckdb

    from stationsim.results.store import write_store
    from stationsim.results.tables import result_tables
    from stationsim.web.data import supply_at

    store = write_store(tmp_path / "results.duckdb",
                        result_tables(run, {"program": "no-resupply"}))
    con = duckdb.connect(str(store), read_only=True)
    try:
        day_10 = supply_at(con, dt.datetime(1995, 11, 11))
        day_30 = supply_at(con, dt.datetime(1995, 12, 1))
    finally:
        con.close()
    use_kg_per_day = 2 * BVAD_2004.water_kg_per_day
    [mir] = day_10["stations"]
    water = next(r for r in mir["resources"] if r["resource"] == "water")
    # ten days of two people's water gone from 100 kg; what is left lasts (100 - 10 u) / u days
    assert water["stock_kg"] == pytest.approx(100.0 - 10 * use_kg_per_day, abs=1e-6)
    assert water["days"] == pytest.approx(100.0 / use_kg_per_day - 10.0, abs=1e-6)
    assert not mir["in_gap"]
    [mir] = day_30["stations"]  # after the shortage of day 21 the crew has gone home
    assert mir["in_gap"] and day_30["gaps"][0]["to_utc"] is None
    assert day_30["gaps"][0]["from_utc"].startswith("1995-11-22")


def test_a_lost_relief_holds_the_lifeboat_until_the_next_crew_can_dock():
    from stationsim.program.relief import RELIEF_RENDEZVOUS_S

    program = PROGRAM.replace("CAPACITY", "").replace(
        "consumables: {o2_kg: 500, water_kg: 100, food_kg: 500}", "consumables: {o2_kg: 500}")
    program = program.replace('''flights:
''', '''flights:
  - {id: Soyuz TM-23, vehicle: soyuz-tm, launch_utc: 1996-01-05T12:00:00Z,
     site: baikonur-site-1, port: mir-core.plus-z, crew_up: [Yuri Onufrienko],
     launch_failure: {cause: drawn}, landing_utc: 1996-01-05T12:30:00Z}
  - {id: Soyuz TM-24, vehicle: soyuz-tm, launch_utc: 1996-01-15T12:00:00Z,
     site: baikonur-site-1, port: mir-core.plus-z, crew_up: [Yuri Onufrienko]}
''')
    result = simulate(load_text(program))
    soyuz = next(f for f in result.flights if f.flight == "Soyuz TM-22")
    relief_s = Epoch.from_utc(1996, 1, 15, 12).tt_s + RELIEF_RENDEZVOUS_S
    assert soyuz.undock_s == pytest.approx(relief_s)  # written 1996-01-10, held to 01-17
    assert soyuz.land_s == pytest.approx(relief_s + SOYUZ_DESCENT_S)
    (held,) = [e for e in result.events if e.kind == "stay_extended"]
    assert held.flight == "Soyuz TM-22" and "7.5 days" in held.detail
