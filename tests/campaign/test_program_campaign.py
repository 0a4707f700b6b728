"""The whole-program campaign: slips, launch and docking failures drawn at the record's rates,
the operators' and the engine's rules for what follows, per-sample streams and resume."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stationsim.campaign.program import (
    ProgramCampaign,
    fly_sample,
    quantile_interval,
    run_program_campaign,
    shortage_days,
)
from stationsim.campaign.program_draws import (
    DOCKING_RECORD,
    REBOOST_ERROR_SIGMA,
    SampleDraws,
    draw_sample,
    drawn_program,
    failure_rate,
    scrub_rate,
)
from stationsim.program.engine import RunOptions, simulate
from stationsim.scenario import load_program

DAY_S = 86400.0
N_DRAWS = 2000


@pytest.fixture(scope="module")
def shuttle_mir():
    program = load_program("shuttle-mir")
    return program, [draw_sample(program, program.catalog, 5, k) for k in range(N_DRAWS)]


def _within(count: int, trials: int, p: float) -> bool:
    """A binomial count within 4 standard deviations of trials * p."""
    return abs(count - trials * p) < 4.0 * np.sqrt(trials * p * (1.0 - p))


def test_launch_failures_come_at_the_record_rates(shuttle_mir):
    program, draws = shuttle_mir
    catalog = program.catalog
    # launch_record.csv: Soyuz-2.1 2 of 126, Shuttle 1 of 135
    rates = [failure_rate(catalog.vehicle(f.vehicle)) for f in program.flights if f.vehicle]
    assert {round(r[0], 6) for r in rates if r} == {round(2 / 126, 6), round(1 / 135, 6)}
    soyuz = [f.id for f in program.flights if f.vehicle in ("soyuz-tm", "progress-m")]
    failed = sum(f in d.failed for d in draws for f in soyuz)
    assert _within(failed, N_DRAWS * len(soyuz), 2 / 126)


def test_slips_come_at_the_record_rates(shuttle_mir):
    program, draws = shuttle_mir
    shuttles = [f.id for f in program.flights if f.vehicle in ("atlantis", "discovery",
                                                                 "endeavour")]
    assert len(shuttles) == 11  # STS-60, STS-63 and the nine dockings, STS-71 to STS-91
    q, days, _ = scrub_rate(program.catalog.vehicle("atlantis"))
    assert q == pytest.approx(120 / 255) and days == 1.0  # 135 launches in 255 countdowns
    slipped = sum(d.slips_s.get(f, 0.0) > 0.0 for d in draws for f in shuttles)
    assert _within(slipped, N_DRAWS * len(shuttles), q)
    # P(at least two scrubs) = q^2; each scrub costs the 24-hour recycle
    twice = sum(d.slips_s.get(f, 0.0) >= 2 * DAY_S for d in draws for f in shuttles)
    assert _within(twice, N_DRAWS * len(shuttles), q * q)
    assert all(s % DAY_S == 0.0 for d in draws for s in d.slips_s.values())
    # Soyuz family: 34 launches in 35 countdowns (iss_traffic_2019_2024.csv), 2 days a scrub
    soyuz = [f.id for f in program.flights if f.vehicle in ("soyuz-tm", "progress-m")]
    soyuz_slipped = [d.slips_s[f] for d in draws for f in soyuz if f in d.slips_s]
    assert _within(len(soyuz_slipped), N_DRAWS * len(soyuz), 1 / 35)
    assert min(soyuz_slipped) == 2 * DAY_S


def test_progress_dockings_fail_at_the_record_rate(shuttle_mir):
    program, draws = shuttle_mir
    progress = [f.id for f in program.flights if f.vehicle == "progress-m"]
    assert len(progress) == DOCKING_RECORD[1]  # Progress M-22 ... M-39, the rate's denominator
    failed = sum(f in d.docking_failed for d in draws for f in progress)
    assert _within(failed, N_DRAWS * len(progress), 1 / 18 * (1 - 2 / 126))
    assert not any(f.startswith("Soyuz") or f.startswith("STS")
                   for d in draws for f in d.docking_failed)


def test_density_and_reboost_errors_have_their_spread(shuttle_mir):
    _, draws = shuttle_mir
    # shuttle-mir's campaign section: density_scale=lognormal(0, 0.15) (Marcos et al. 2010);
    # the standard error of a standard deviation from n draws is sigma / sqrt(2 n)
    logs = np.log([d.density_scale for d in draws])
    assert abs(logs.std() - 0.15) < 4.0 * 0.15 / (2 * N_DRAWS) ** 0.5
    errors = np.array([d.reboost_errors_frac[0] for d in draws])
    sigma = REBOOST_ERROR_SIGMA
    assert abs(errors.std() - sigma) < 4.0 * sigma / (2 * N_DRAWS) ** 0.5


def test_a_sample_draws_from_its_own_stream():
    program = load_program("example-small")
    first = draw_sample(program, program.catalog, 0, 79)
    assert first.failed == ("Soyuz TM-23",) and first.density_scale == 1.0  # not varied
    assert [draw_sample(program, program.catalog, 0, k) for k in (79, 98)] == [
        draw_sample(program, program.catalog, 0, k) for k in (79, 98)]


def test_a_lost_progress_has_its_cargo_on_the_next_ones(shuttle_mir):
    program, draws = shuttle_mir
    k, lost = next((k, f) for k, d in enumerate(draws) for f in d.failed
                   if f.startswith("Progress") and f != "Progress M-39")
    flown = drawn_program(program, draws[k])
    order = [f for f in program.flights if f.vehicle == "progress-m"]
    after = order[[f.id for f in order].index(lost) + 1:]
    lost_kg = next(f for f in program.flights if f.id == lost).cargo.total_kg
    added_kg = [next(g for g in flown.flights if g.id == f.id).cargo.total_kg - f.cargo.total_kg
                for f in after]
    capacity_kg = program.catalog.vehicle("progress-m").cargo_capacity_kg  # 2500 kg
    room_kg = [capacity_kg - f.cargo.total_kg for f in after]
    # each next Progress is filled to its capacity until the lost manifest is placed
    expected, left = [], lost_kg
    for room in room_kg:
        expected.append(min(max(room, 0.0), left))
        left -= expected[-1]
    assert added_kg == pytest.approx(expected, abs=1e-6) and sum(added_kg) > 0.0
    water = [next(g for g in flown.flights if g.id == f.id).cargo.water_kg - f.cargo.water_kg
             for f in after]
    lost_water = next(f for f in program.flights if f.id == lost).cargo.water_kg
    assert water == pytest.approx([lost_water * kg / lost_kg for kg in added_kg])  # in proportion


def test_a_lost_crew_launch_holds_the_crew_it_was_to_relieve():
    program = load_program("example-small")
    figures = fly_sample(program, 0, 79)  # Soyuz TM-23 lost at launch
    assert figures["failed"] == ["Soyuz TM-23"]
    # no relief left in the program: Soyuz TM-22 stays up to its 180-day docked life (past the
    # span's end), so the Mir-20 crew of three stay aboard for the whole 135-day span
    assert figures["continuously_crewed"] and figures["uncrewed_days"] == 0.0
    assert figures["crew_days"] == pytest.approx(3 * 135.0, abs=1e-3)


def test_a_slipped_relief_keeps_the_crew_aboard_waiting():
    program = load_program("example-small")
    # Soyuz TM-23 (written 1996-02-21) eight days late: Soyuz TM-22, due to leave 02-29,
    # waits the eight days too, and the station stays crewed
    draws = SampleDraws((), {"Soyuz TM-23": 8 * DAY_S}, (), 1.0, ())
    flown = drawn_program(program, draws)
    tm22 = flown.stations[0].docked[0]
    assert tm22.undock_utc.startswith("1996-03-08")
    result = simulate(flown)
    assert not any(e.kind == "presence_gap" for e in result.events)
    tm23 = next(f for f in result.flights if f.flight == "Soyuz TM-23")
    assert tm23.launch_s - program.flights[1].launch.tt_s == pytest.approx(8 * DAY_S,
                                                                           abs=0.5 * DAY_S)


def test_a_failed_automatic_docking_arrives_six_days_late():
    program = load_program("example-small")
    draws = SampleDraws((), {}, ("Soyuz TM-23",), 1.0, ())  # the rule, on any flight
    flown = drawn_program(program, draws)
    before, after = program.flights[1], flown.flights[1]
    assert after.launch.tt_s - before.launch.tt_s == 6 * DAY_S  # Progress M-24's TORU
    assert after.undock.tt_s == before.undock.tt_s  # leaves as written


def test_a_reboost_burn_error_scales_the_burn():
    program = load_program("example-small")
    exact = simulate(program, options=RunOptions(keep_tracks=False))
    off = simulate(program, options=RunOptions(burn_errors_frac=(0.1,), keep_tracks=False))
    first = [next(m for m in r.maneuvers if m.name.startswith("reboost")) for r in (exact, off)]
    assert first[1].dv_mps == pytest.approx(1.1 * first[0].dv_mps, rel=1e-9)
    assert first[1].propellant_kg == pytest.approx(first[0].propellant_kg, rel=1e-9)


def test_shortage_days_count_crewed_days_at_zero():
    program = load_program("example-small")
    result = simulate(program)
    ledger = result.stations["mir"].ledger
    assert shortage_days(result) == 0.0
    # water at zero from day 100 to the end (35 days and the leap second of 1995-12-31),
    # crew aboard throughout
    t100_s = result.start_s + 100 * DAY_S
    ledger.history += [(t100_s, "water", 0.0), (result.end_s, "water", 0.0)]
    ledger.history.sort(key=lambda row: row[0])
    ledger.history[:] = [row for row in ledger.history
                         if not (row[1] == "water" and row[0] > t100_s and row[2] > 0.0)]
    assert shortage_days(result) == pytest.approx((result.end_s - t100_s) / DAY_S, abs=1e-9)


def test_quantile_intervals_are_the_binomial_order_statistics():
    # n = 100: the median's 95 % interval is x(40) to x(61) (Conover, 3rd ed., table A3)
    values = np.arange(1.0, 101.0)
    assert quantile_interval(values, 0.5) == (40.0, 61.0)
    assert quantile_interval(np.arange(1.0, 11.0), 0.05) == (None, None)  # too few


def test_a_campaign_resumes_and_gives_the_same_summary(tmp_path):
    spec = ProgramCampaign("example-small", 2, 0)
    first = run_program_campaign(spec, tmp_path, workers=0)
    written = sorted(p.name for p in (tmp_path / "samples").iterdir())
    assert written == ["sample-00000.json", "sample-00001.json"]
    done = []
    again = run_program_campaign(spec, tmp_path, workers=0, progress=done.append)
    assert again == first and done == [2]  # nothing flown again
    assert json.loads((tmp_path / "summary.json").read_text()) == first
    with pytest.raises(ValueError, match="other inputs"):
        run_program_campaign(ProgramCampaign("example-small", 3, 0), tmp_path, workers=0)


def test_a_damaged_sample_or_inputs_file_is_named(tmp_path):
    # were json's messages naming no file; a JSON list of inputs an internal error
    spec = ProgramCampaign("example-small", 2, 0)
    run_program_campaign(spec, tmp_path, workers=0)
    sample = tmp_path / "samples" / "sample-00001.json"
    sample.write_text('{"sample": 1, "launch', encoding="utf-8")  # cut short
    with pytest.raises(ValueError, match=f"^{sample}: damaged \\(expected the JSON mapping the "
                                         "campaign writes: not JSON: .*\\); delete it and run "
                                         "again to fly the sample anew$"):
        run_program_campaign(spec, tmp_path, workers=0)
    (tmp_path / "campaign.json").write_text("[2]\n", encoding="utf-8")
    with pytest.raises(ValueError, match="campaign.json: damaged .*JSON list, not a mapping"):
        run_program_campaign(spec, tmp_path, workers=0)


def test_two_workers_give_the_samples_of_one(tmp_path):
    spec = ProgramCampaign("example-small", 3, 0)
    alone = run_program_campaign(spec, tmp_path / "w0", workers=0)
    shared = run_program_campaign(spec, tmp_path / "w2", workers=2)
    assert alone == shared
    for k in range(3):
        name = f"sample-{k:05d}.json"
        assert ((tmp_path / "w0" / "samples" / name).read_text()
                == (tmp_path / "w2" / "samples" / name).read_text())


def test_the_density_scale_multiplies_the_station_density():
    program = load_program("example-small")
    nominal = simulate(program).stations["mir"].orbit.density_table
    scaled = simulate(program, density_scale=1.3).stations["mir"].orbit.density_table
    assert np.allclose(scaled.log_rho - nominal.log_rho, np.log(1.3), rtol=0.0, atol=1e-12)


def test_a_lost_soyuz_holds_its_lifeboat_and_the_next_cargo_docks_elsewhere():
    program = load_program("shuttle-mir")
    # Soyuz TM-20 lost (1994-10-03): Soyuz TM-19 stays at kvant-1.aft for its crew, so
    # Progress M-25, written for that port on 1994-11-13, docks at the free forward port
    draws = SampleDraws(("Soyuz TM-20",), {}, (), 1.0, ())
    result = simulate(drawn_program(program, draws), options=RunOptions(keep_tracks=False))
    assert any(e.kind == "stay_extended" and e.flight == "Soyuz TM-19" for e in result.events)
    progress = next(f for f in result.flights if f.flight == "Progress M-25")
    assert progress.outcome != "planned" and progress.port == "mir-core.forward"
    assert any("Progress M-25 docks at mir-core.forward" in w for w in result.warnings)
