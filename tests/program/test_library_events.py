"""The documented off-nominal events of the bundled programs, on their dates and with their
consequences (offnominal_events.csv; astp.yaml's sources)."""

from __future__ import annotations

import pytest

from stationsim.astro.time import Epoch
from stationsim.hardware.catalog import load_catalog
from stationsim.program.engine import simulate
from stationsim.program.power import ARRAY_POWER_W
from stationsim.scenario import load_program


@pytest.fixture(scope="module")
def shuttle_mir():
    return simulate(load_program("shuttle-mir"))


def test_shuttle_mir_has_the_fire_and_the_spektr_collision_on_their_dates(shuttle_mir):
    kinds = {e.kind: e for e in shuttle_mir.events if e.kind in ("fire", "collision")}
    assert Epoch(kinds["fire"].t_s).utc_iso(0) == "1997-02-23T19:35:00Z"
    assert "6 aboard" in kinds["fire"].detail  # EO-22, EO-23, Ewald and Linenger
    assert Epoch(kinds["collision"].t_s).utc_iso(0) == "1997-06-25T09:18:00Z"
    assert kinds["collision"].flight == "Progress M-34"


def test_spektr_volume_and_power_are_gone_after_the_collision(shuttle_mir):
    mir = shuttle_mir.stations["mir"]
    t_s = Epoch.from_utc_iso("1997-06-25T09:18:00Z").tt_s
    volume = {t: v for t, _, v, _ in mir.history}
    before_m3 = volume[max(t for t in volume if t < t_s)]
    after_m3 = volume[t_s]
    assert before_m3 - after_m3 == pytest.approx(
        load_catalog().module("spektr").pressurized_volume_m3, abs=1e-9)
    power = dict(mir.power_history)
    assert power[max(t for t in power if t < t_s)] - power[t_s] == pytest.approx(
        ARRAY_POWER_W["spektr"])
    # and they stay gone: no later configuration has them back
    assert all(v <= after_m3 + 1e-9 for t, v in volume.items() if t > t_s)
    assert "spektr" in mir.sealed


def test_astp_visits_between_the_spacecraft_and_docks_a_second_time():
    result = simulate(load_program("astp"))
    apollo = [(Epoch(e.t_s).utc_iso(0), e.kind) for e in result.events
              if e.flight == "Apollo (ASTP)" and e.kind in ("dock", "undock")]
    assert apollo[1:] == [("1975-07-19T12:12:00Z", "undock"), ("1975-07-19T12:33:00Z", "dock"),
                          ("1975-07-19T15:26:12Z", "undock")]
    (brand,) = [s for s in result.roster.all_stays() if s.person == "Vance Brand"]
    assert brand.days * 24.0 == pytest.approx(2.0 + 23.0 / 60.0)  # 13:20 to 15:43 UTC


def test_the_iss_is_crewed_without_a_gap_from_expedition_1():
    # continuous presence since Expedition 1 boarded on 2000-11-02 (NASA facts and figures):
    # Soyuz TMA-01M's crew (2010-10 to 2011-03) bridges TMA-19's departure and TMA-20's
    # arrival, so no presence gap opens
    result = simulate(load_program("iss-assembly"))
    assert not [e for e in result.events if e.kind == "presence_gap"]
    assert not [w for w in result.warnings if "uncrewed from" in w]
