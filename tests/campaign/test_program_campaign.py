"""The whole-program campaign: failures drawn at the record's rates, the engine's own rules
for what follows, per-sample streams and resume."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stationsim.campaign.program import (
    ProgramCampaign,
    draw_sample,
    failure_rate,
    fly_sample,
    run_program_campaign,
)
from stationsim.hardware.catalog import load_catalog
from stationsim.scenario import load_program


def test_failures_come_at_the_record_rates():
    program, catalog = load_program("shuttle-mir"), load_catalog()
    # launch_record.csv: Soyuz-2.1 2 of 126, Shuttle 1 of 135
    rates = [failure_rate(catalog.vehicle(f.vehicle)) for f in program.flights if f.vehicle]
    assert {round(r[0], 6) for r in rates if r} == {round(2 / 126, 6), round(1 / 135, 6)}
    expected = sum(r[0] for r in rates if r)
    variance = sum(r[0] * (1.0 - r[0]) for r in rates if r)
    n = 2000
    draws = [draw_sample(program, catalog, 5, k) for k in range(n)]
    mean = sum(len(failed) for failed, _ in draws) / n
    assert abs(mean - expected) < 4.0 * (variance / n) ** 0.5  # 4 sigma of the sample mean
    # shuttle-mir's campaign section: density_scale=lognormal(0, 0.15) (Marcos et al. 2010);
    # the standard error of a standard deviation from n draws is sigma / sqrt(2 n)
    logs = np.log([scale for _, scale in draws])
    assert abs(logs.std() - 0.15) < 4.0 * 0.15 / (2 * n) ** 0.5
    assert abs(logs.mean()) < 4.0 * 0.15 / n ** 0.5


def test_a_sample_draws_from_its_own_stream():
    program, catalog = load_program("example-small"), load_catalog()
    assert draw_sample(program, catalog, 0, 79) == (["Soyuz TM-23"], 1.0)  # density not varied
    assert [draw_sample(program, catalog, 0, k) for k in (79, 98)] == [
        draw_sample(program, catalog, 0, k) for k in (79, 98)]


def test_a_lost_crew_launch_holds_the_crew_it_was_to_relieve():
    program = load_program("example-small")
    figures = fly_sample(program, 0, 79)  # Soyuz TM-23 lost at launch
    assert figures["failed"] == ["Soyuz TM-23"]
    # no relief left in the program: Soyuz TM-22 stays up to its 180-day docked life (past the
    # span's end), so the Mir-20 crew of three stay aboard for the whole 135-day span
    assert figures["continuously_crewed"] and figures["uncrewed_days"] == 0.0
    assert figures["crew_days"] == pytest.approx(3 * 135.0, abs=1e-3)


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


def test_the_density_scale_multiplies_the_station_density():
    from stationsim.program.engine import simulate

    program = load_program("example-small")
    nominal = simulate(program).stations["mir"].orbit.density_table
    scaled = simulate(program, density_scale=1.3).stations["mir"].orbit.density_table
    assert np.allclose(scaled.log_rho - nominal.log_rho, np.log(1.3), rtol=0.0, atol=1e-12)
