"""Off-nominal events and their consequences, one of each kind on a small Mir program
(tests/program/offnominal.yaml)."""

from __future__ import annotations

from pathlib import Path

import pytest

from stationsim.astro.time import Epoch
from stationsim.hardware.catalog import load_catalog
from stationsim.program.engine import simulate
from stationsim.scenario import load_program

PROGRAM = Path(__file__).with_name("offnominal.yaml")


@pytest.fixture(scope="module")
def run():
    return simulate(load_program(str(PROGRAM)))


def _at(text: str) -> float:
    return Epoch.from_utc_iso(text).tt_s


def _events(run, kind):
    return [e for e in run.events if e.kind == kind]


def _state_at(runtime, t_s):
    """(mass, volume, crew) of the last configuration recorded at or before ``t_s``."""
    return [row for row in runtime.history if row[0] <= t_s][-1][1:]


def _stock_at(ledger, resource, t_s, before):
    rows = [kg for t, r, kg in ledger.history if r == resource and t == t_s]
    return rows[0] if before else rows[-1]


def test_a_collision_seals_the_module_with_its_volume_power_and_stowage(run):
    mir = run.stations["mir"]
    spektr = load_catalog().module("spektr")
    t_s = _at("1996-01-20T09:18:00Z")
    (collision,) = _events(run, "collision")
    assert collision.t_s == t_s and "spektr" in collision.detail
    # the pressurised volume drops by Spektr's (mir_modules.csv: 61.9 m^3, catalog 62)
    _, before_m3, _ = _state_at(mir, t_s - 1.0)
    _, after_m3, _ = _state_at(mir, t_s)
    assert before_m3 - after_m3 == pytest.approx(spektr.pressurized_volume_m3, abs=1e-9)
    # power: four arrays of 65 m^2 at the Mir complex's 27.8 kW / 224 m^2 (NASA RP-1357)
    powers = dict(mir.power_history)
    lost_w = powers[max(t for t in powers if t < t_s)] - powers[t_s]
    assert lost_w == pytest.approx(65.0 * 27.8e3 / 224.0, rel=1e-12)
    # what was stowed there: Spektr's share of the volume, of every stock
    water_before = _stock_at(mir.ledger, "water", t_s, before=True)
    water_after = _stock_at(mir.ledger, "water", t_s, before=False)
    assert water_after / water_before == pytest.approx(after_m3 / before_m3, rel=1e-12)
    assert "spektr" in mir.sealed


def test_a_depressurisation_seals_a_second_module(run):
    mir = run.stations["mir"]
    kristall = load_catalog().module("kristall")
    t_s = _at("1996-02-01T00:00:00Z")
    _, before_m3, _ = _state_at(mir, t_s - 1.0)
    _, after_m3, _ = _state_at(mir, t_s)
    assert before_m3 - after_m3 == pytest.approx(kristall.pressurized_volume_m3, abs=1e-9)
    assert [e.t_s for e in _events(run, "depressurisation")] == [_at("1996-01-20T09:18:00Z"),
                                                                 t_s]
    # the station's power is then the core's and Kvant-2's (Flight International; GlobalSecurity)
    assert mir.power_history[-1][1] == pytest.approx(10.0e3 + 6.7e3)


def test_a_fire_takes_its_oxygen_and_counts_the_crew_fighting_it(run):
    mir = run.stations["mir"]
    t_s = _at("1995-11-05T19:35:00Z")
    o2_before = _stock_at(mir.ledger, "o2", t_s, before=True)
    o2_after = _stock_at(mir.ledger, "o2", t_s, before=False)
    assert o2_before - o2_after == pytest.approx(1.0, abs=1e-9)
    (fire,) = _events(run, "fire")
    assert "3 aboard" in fire.detail and "0.7 crew-hours" in fire.detail  # 3 x 14 min


def test_an_eva_counts_crew_hours_of_the_crew_and_of_a_docked_vehicle(run):
    # 2 x 3.5 h by the Mir-20 crew, 2 h by STS-74's Ross while Atlantis was docked
    assert run.stations["mir"].eva_crew_hours == pytest.approx(2 * 3.5 + 2.0)
    assert len(_events(run, "eva")) == 2


def test_an_early_return_takes_the_crew_home_before_the_written_undocking(run):
    record = next(f for f in run.flights if f.flight == "Soyuz TM-22")
    assert record.undock_s == _at("1996-02-25T00:00:00Z")
    assert record.land_s == _at("1996-02-25T03:30:00Z")
    assert record.outcome == "returned early"
    assert [e.t_s for e in run.events if e.kind == "undock" and e.flight == "Soyuz TM-22"] == [
        record.undock_s]
    stays = [s for s in run.roster.all_stays() if s.departure_flight == "Soyuz TM-22"]
    assert {s.person for s in stays} == {"Yuri Gidzenko", "Sergei Avdeyev", "Thomas Reiter"}
    assert all(s.departed_s == record.undock_s for s in stays)


def test_undock_and_redock_move_a_visiting_vehicle_to_another_port(run):
    graph = run.stations["mir"].graph
    assert graph.item("Soyuz TM-23").at == "mir-core.forward"
    assert graph.occupant("kvant-1.aft") is None
    undock, redock = (e for e in run.events if e.flight == "Soyuz TM-23"
                      and e.kind in ("undock", "dock") and e.t_s >= _at("1996-03-05"))
    assert (undock.port, redock.port) == ("kvant-1.aft", "mir-core.forward")
    assert redock.t_s - undock.t_s == pytest.approx(1800.0)


def test_a_crew_visit_counts_the_visitors_aboard_for_its_interval(run):
    visits = [s for s in run.roster.all_stays() if s.person == "Kenneth Cameron"]
    assert len(visits) == 1
    assert visits[0].days == pytest.approx(8.0 / 24.0)


def test_a_module_leaves_with_its_mass(run):
    mir = run.stations["mir"]
    module = load_catalog().module("mir-docking-module")
    t_s = _at("1996-03-10T00:00:00Z")
    assert "mir-docking-module" not in mir.graph
    before_kg, _, _ = _state_at(mir, t_s - 1.0)
    after_kg, _, _ = _state_at(mir, t_s)
    assert before_kg - after_kg == pytest.approx(module.mass_kg, abs=1e-6)


def test_a_launch_failure_loses_vehicle_and_cargo(run):
    record = next(f for f in run.flights if f.flight == "Progress M-X")
    assert record.outcome == "launch-failure" and record.dock_s is None
    (event,) = [e for e in _events(run, "launch_failure") if e.flight == "Progress M-X"]
    assert "2200 kg of cargo lost" in event.detail  # 400 + 300 + 1500 kg
    assert not [e for e in run.events if e.flight == "Progress M-X" and e.kind == "dock"]
    assert any("Progress M-X lost at launch" in w for w in run.warnings)


def test_a_crewed_launch_failure_returns_the_crew(run):
    record = next(f for f in run.flights if f.flight == "Soyuz TM-X")
    assert record.outcome == "launch-failure"
    assert record.land_s == _at("1996-01-15T10:21:27Z")
    assert not [s for s in run.roster.all_stays() if s.person == "Vasily Lazarev"]
