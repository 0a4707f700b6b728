"""Consumables ledger against hand-computed BVAD figures."""

from __future__ import annotations

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.program.consumables import BVAD_2004, BVAD_2022, ConsumablesLedger


def test_bvad_rates_are_the_documents_values():
    # NASA/CR-2004-208941 (BVAD 2004): O2 0.84, food 0.62, water 1.62 + 0.76 kg per crew-day;
    # NASA/TP-2015-218570/REV2 Table 3-31: O2 0.895, potable water 3.217, food 0.800.
    assert (BVAD_2004.o2_kg_per_day, BVAD_2004.food_kg_per_day) == (0.84, 0.62)
    assert BVAD_2004.water_kg_per_day == pytest.approx(2.38, abs=1e-12)
    assert (BVAD_2022.o2_kg_per_day, BVAD_2022.water_kg_per_day) == (0.895, 3.217)


def test_three_people_for_thirty_days():
    ledger = ConsumablesLedger(0.0, {"o2": 100.0, "water": 500.0, "food": 100.0})
    ledger.set_crew(0.0, 3)
    ledger.advance(30 * DAY_S)
    # 3 x 30 crew-days: O2 75.6 kg, water 214.2 kg, food 55.8 kg (BVAD 2004)
    assert ledger.stock_kg["o2"] == pytest.approx(100.0 - 75.6, abs=1e-9)
    assert ledger.stock_kg["water"] == pytest.approx(500.0 - 214.2, abs=1e-9)
    assert ledger.stock_kg["food"] == pytest.approx(100.0 - 55.8, abs=1e-9)
    assert ledger.shortages == []


def test_regeneration_and_recovery_slow_the_use():
    ledger = ConsumablesLedger(
        0.0,
        {"o2": 10.0, "water": 100.0, "food": 10.0},
        water_recovery_fraction=0.75,
        o2_generation_kgps=2.0 / DAY_S,
    )
    ledger.set_crew(0.0, 2)
    ledger.advance(10 * DAY_S)
    # O2: 10 + (2.0 - 2 x 0.84) x 10 = 13.2 kg; water: 100 - 2 x 2.38 x 0.25 x 10 = 88.1 kg
    assert ledger.stock_kg["o2"] == pytest.approx(13.2, abs=1e-9)
    assert ledger.stock_kg["water"] == pytest.approx(88.1, abs=1e-9)


def test_shortage_is_dated_where_the_stock_runs_out():
    ledger = ConsumablesLedger(0.0, {"o2": 8.4, "water": 1000.0, "food": 1000.0})
    ledger.set_crew(0.0, 1)
    ledger.advance(20 * DAY_S)
    # 8.4 kg at 0.84 kg/day lasts exactly 10 days
    assert [(s.resource, s.t_s / DAY_S) for s in ledger.shortages] == [("o2", pytest.approx(10.0))]
    assert ledger.stock_kg["o2"] == 0.0
    ledger.deliver(21 * DAY_S, {"o2": 5.0})  # nothing can be used while the stock is empty
    assert ledger.stock_kg["o2"] == 5.0
    ledger.advance(22 * DAY_S)
    assert ledger.stock_kg["o2"] == pytest.approx(5.0 - 0.84, abs=1e-9)
    assert len(ledger.shortages) == 1


def test_time_going_back_and_negative_stock_are_refused():
    with pytest.raises(ValueError, match="stock_kg"):
        ConsumablesLedger(0.0, {"o2": -1.0})
    ledger = ConsumablesLedger(10.0, {})
    with pytest.raises(ValueError, match="back in time"):
        ledger.advance(5.0)


def test_a_crumb_left_by_rounding_runs_out_at_once():
    # at a clock of 1e9 s, t + stock / rate for a stock of 1e-13 kg rounds back to t: a crumb
    # that never reached zero kept the supply process waking at the same instant for ever
    t_s = 1.0e9
    ledger = ConsumablesLedger(t_s, {"o2": 1e-13, "water": 10.0, "food": 10.0})
    ledger.set_crew(t_s, 2)
    assert ledger.next_empty({"o2"})[0] == t_s
    ledger.advance(t_s)
    assert ledger.stock_kg["o2"] == 0.0 and [s.resource for s in ledger.shortages] == ["o2"]
    assert ledger.next_empty({"o2"}) is None
