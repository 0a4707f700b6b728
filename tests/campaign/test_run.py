"""Campaign folders: Parquet parts, resume after a kill, the DuckDB summary and the report."""

from __future__ import annotations

import math
import signal
import subprocess
import sys
import time

import duckdb
import numpy as np
import pyarrow.parquet as pq
import pytest
from scipy.optimize import brentq

from stationsim.campaign import CampaignSpec, Dispersions, run_campaign
from stationsim.campaign.run import wilson_interval

VARY = Dispersions.from_specs(["launch_slip_s=normal(0, 20)", "nav_position_m=normal(0, 10)",
                               "density_scale=lognormal(0, 0.3)"])


def _spec(samples=120, **changes) -> CampaignSpec:
    return CampaignSpec("example-small", samples, seed=21, flight="Soyuz TM-23",
                        dispersions=VARY, batch_size=25, **changes)


def _rows(path) -> dict:
    return pq.read_table(path).to_pydict()


class _Killed(Exception):
    pass


def test_resume_after_a_kill_equals_an_uninterrupted_run(tmp_path, prepared):
    whole = run_campaign(_spec(), tmp_path / "whole", workers=0, prepared=prepared)
    done = []

    def kill_after_two_batches(count):
        done.append(count)
        if len(done) == 2:
            raise _Killed

    folder = tmp_path / "killed"
    with pytest.raises(_Killed):
        run_campaign(_spec(), folder, workers=0, progress=kill_after_two_batches,
                     prepared=prepared)
    assert len(list((folder / "parts").glob("part-*.parquet"))) == 2
    (folder / "parts" / ".part-00002.parquet.999.tmp").write_bytes(b"half a file")
    seen = []
    resumed = run_campaign(_spec(), folder, workers=0, resume=True, progress=seen.append,
                           prepared=prepared)
    assert seen[0] == 50 and sum(seen) == 120  # the two finished batches are not flown again
    assert _rows(resumed.samples_path) == _rows(whole.samples_path)
    assert _rows(resumed.samples_path)["sample"] == list(range(120))


def test_resume_refuses_other_inputs_and_a_rerun_needs_resume(tmp_path, prepared):
    folder = tmp_path / "campaign"
    run_campaign(_spec(40), folder, workers=0, prepared=prepared)
    with pytest.raises(ValueError, match="seed"):
        run_campaign(CampaignSpec("example-small", 40, seed=22, flight="Soyuz TM-23",
                                  dispersions=VARY, batch_size=25),
                     folder, workers=0, resume=True, prepared=prepared)
    with pytest.raises(ValueError, match="--resume"):
        run_campaign(_spec(40), folder, workers=0, prepared=prepared)


@pytest.mark.parametrize(("damage", "message"), [
    # were: pyarrow's message naming no file (exit 2), a JSON decoder's, and for a JSON list an
    # internal error (exit 1)
    (("parts/part-00001.parquet", b"PAR1 half"), "parts/part-00001.parquet: a damaged campaign "
                                                 "part (Parquet magic bytes not found"),
    (("parts/part-00000.parquet", b""), "parts/part-00000.parquet: a damaged campaign part "
                                        "(Parquet file size is 0 bytes); delete it and run "
                                        "again with --resume"),
    (("campaign.json", b"{oops"), "campaign.json does not hold a campaign's inputs (expected "
                                  "the JSON mapping this command writes: not JSON: Expecting"),
    (("campaign.json", b"[1, 2]"), "campaign.json does not hold a campaign's inputs (expected "
                                   "the JSON mapping this command writes: JSON list, not a "
                                   "mapping); use another --out"),
    (("campaign.json", b'{"seed": "\xe9"}'), "campaign.json does not hold a campaign's "
                                              "inputs (expected the JSON mapping this command "
                                              "writes: not UTF-8 (byte 0xe9"),
])
def test_resume_of_a_damaged_folder_names_the_file(tmp_path, prepared, damage, message):
    folder = tmp_path / "campaign"
    run_campaign(_spec(40), folder, workers=0, prepared=prepared)
    samples = (folder / "samples.parquet").read_bytes()
    name, data = damage
    (folder / name).write_bytes(data)
    with pytest.raises(ValueError) as caught:
        run_campaign(_spec(40), folder, workers=0, resume=True, prepared=prepared)
    assert f"{folder}/{message}" in str(caught.value)
    assert (folder / "samples.parquet").read_bytes() == samples  # nothing rewritten


def test_summary_store_and_report(tmp_path, prepared):
    result = run_campaign(_spec(60), tmp_path / "c", workers=0, prepared=prepared)
    con = duckdb.connect(str(result.store_path), read_only=True)
    try:
        flight, samples, docked, rate, low, high = con.execute(
            "SELECT flight, samples, docked, success_rate, success_low, success_high "
            "FROM campaign_summary").fetchone()
    finally:
        con.close()
    rows = _rows(result.samples_path)
    assert (flight, samples) == ("Soyuz TM-23", 60)
    assert docked == sum(rows["docked"]) and rate == pytest.approx(docked / 60)
    assert (low, high) == pytest.approx(wilson_interval(docked, 60))
    page = result.report_path.read_text()
    assert "Wilson interval" in page and page.count("<script") >= 5  # plotly.js + 5 figures
    assert not list(tmp_path.glob("c/.*tmp"))


@pytest.mark.parametrize("successes, trials", [(0, 10), (10, 10), (81, 263), (1, 2000)])
def test_wilson_interval_inverts_the_score_test(successes, trials):
    # Independent reference: the Wilson interval is the set of p whose score test
    # |p_hat - p| <= z sqrt(p (1 - p) / n) does not reject (Wilson, JASA 22, 1927); solve both
    # ends with scipy's brentq.
    z = 1.959963984540054
    p_hat = successes / trials

    def score(p):
        return abs(p_hat - p) - z * math.sqrt(p * (1.0 - p) / trials)

    low = 0.0 if successes == 0 else brentq(score, 1e-15, p_hat - 1e-12, xtol=1e-15)
    high = 1.0 if successes == trials else brentq(score, p_hat + 1e-12, 1.0 - 1e-15, xtol=1e-15)
    assert wilson_interval(successes, trials) == pytest.approx((low, high), abs=1e-12)


def test_campaign_spec_rejects_bad_sizes():
    with pytest.raises(ValueError, match="samples"):
        CampaignSpec("example-small", 0)
    with pytest.raises(ValueError, match="propellant_kg"):
        CampaignSpec("example-small", 5, propellant_kg=-1.0)
    assert [b[1:] for b in CampaignSpec("x", 7, batch_size=3).batches()] == [(0, 3), (3, 3), (6, 1)]
    assert np.isnan(wilson_interval(0, 0)[0])


def test_resume_after_sigkill_of_the_command(tmp_path, prepared):
    # the real thing: `stationsim campaign` killed with SIGKILL once its first part is written
    folder = tmp_path / "killed"
    vary = ["launch_slip_s=normal(0, 20)", "nav_position_m=normal(0, 10)",
            "density_scale=lognormal(0, 0.3)"]
    command = [sys.executable, "-c", "import sys; from stationsim.cli import main; "
               "sys.exit(main())", "campaign", "example-small", "--flight",
               "Soyuz TM-23", "--samples", "3000", "--seed", "21", "--batch-size", "150",
               "--workers", "0", "--out", str(folder)] + [f"--vary={v}" for v in vary]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = folder / "parts"
    deadline = time.monotonic() + 120.0
    while not list(parts.glob("part-*.parquet")) and time.monotonic() < deadline:
        assert process.poll() is None, "the campaign ended before it could be killed"
        time.sleep(0.005)
    process.send_signal(signal.SIGKILL)
    process.wait()
    written = len(list(parts.glob("part-*.parquet")))
    assert 1 <= written < 20
    spec = CampaignSpec("example-small", 3000, seed=21, flight="Soyuz TM-23",
                        dispersions=Dispersions.from_specs(vary), batch_size=150)
    seen = []
    resumed = run_campaign(spec, folder, workers=0, resume=True, progress=seen.append,
                           prepared=prepared)
    assert seen[0] == 150 * written and sum(seen) == 3000
    whole = run_campaign(spec, tmp_path / "whole", workers=0, prepared=prepared)
    assert _rows(resumed.samples_path) == _rows(whole.samples_path)


def test_a_covariance_campaign_resumes_and_is_summarised(tmp_path, prepared):
    covariance = np.diag([500.0, 100.0, 500.0, 0.5, 0.1, 0.5]) ** 2
    spec = CampaignSpec("example-small", 30, seed=2, flight="Soyuz TM-23", batch_size=10,
                        dispersions=Dispersions(insertion_covariance_lvlh=covariance.tolist()))
    first = run_campaign(spec, tmp_path / "c", workers=0, prepared=prepared)
    again = run_campaign(spec, tmp_path / "c", workers=0, resume=True, prepared=prepared)
    assert _rows(first.samples_path) == _rows(again.samples_path)
    assert "sigmas 500, 100, 500, 0.5, 0.1, 0.5" in first.summary["vary"]


def test_a_small_campaign_runs_in_process_its_batches_flown_together(tmp_path, prepared,
                                                                      monkeypatch):
    import stationsim.campaign.run as run

    def no_dask(*args):
        raise AssertionError("a 120-sample campaign started Dask")

    flown = []
    real_run_batch = run.run_batch
    monkeypatch.setattr(run, "_run_on_dask", no_dask)
    monkeypatch.setattr(run, "run_batch", lambda *args: flown.append(args[4]) or
                        real_run_batch(*args))
    together = run_campaign(_spec(), tmp_path / "together", prepared=prepared)
    assert flown == [120]  # five batches (of 25, the last of 20), one kernel call
    assert len(list((tmp_path / "together" / "parts").glob("part-*.parquet"))) == 5
    monkeypatch.setattr(run, "IN_PROCESS_GROUP_SAMPLES", 25)
    apart = run_campaign(_spec(), tmp_path / "apart", prepared=prepared)
    assert flown[1:] == [25, 25, 25, 25, 20]
    assert _rows(together.samples_path) == _rows(apart.samples_path)


def test_consecutive_batches_group_up_to_the_size():
    from stationsim.campaign.run import _consecutive_groups

    batches = [(0, 0, 25), (1, 25, 25), (2, 50, 25), (4, 100, 25), (5, 125, 10)]
    assert _consecutive_groups(batches, 50) == [[(0, 0, 25), (1, 25, 25)], [(2, 50, 25)],
                                                [(4, 100, 25), (5, 125, 10)]]
    assert _consecutive_groups([(0, 0, 500)], 100) == [[(0, 0, 500)]]


def test_parts_round_trip_through_arrow_buffers_without_pandas(tmp_path):
    # Every column kind a part holds (docs/campaign.md), strings with nulls among them, written
    # and read back: pyarrow's own reader gives the same values, the buffer reader the same
    # arrays, and pandas is never imported (a fresh interpreter: the test session has it).
    script = f"""
import sys
from pathlib import Path
import numpy as np
from stationsim.campaign.run import _write_parquet, _gather, CampaignSpec
data = {{"sample": np.arange(5), "outcome": np.array(["docked", "invalid orbit", "docked",
         "failed", "docked"], dtype=object), "docked": np.array([1, 0, 1, 0, 1], dtype=bool),
         "dv_mps": np.array([1.5, np.nan, -0.0, 1e300, 2.0]),
         "failure": np.array([None, None, None, "ValueError: é", None], dtype=object)}}
spec, folder = CampaignSpec("example-small", 5, batch_size=3), Path(r"{tmp_path}")
_write_parquet(folder / "parts" / "part-00000.parquet", {{k: v[:3] for k, v in data.items()}})
_write_parquet(folder / "parts" / "part-00001.parquet", {{k: v[3:] for k, v in data.items()}})
back = _gather(folder, spec)
for name, values in data.items():
    assert back[name].dtype == values.dtype, name
    assert list(back[name].astype(str)) == list(values.astype(str)), name
assert "pandas" not in sys.modules
"""
    subprocess.run([sys.executable, "-c", script], check=True)
    rows = _rows(tmp_path / "parts" / "part-00001.parquet")
    assert rows == {"sample": [3, 4], "outcome": ["failed", "docked"], "docked": [False, True],
                    "dv_mps": [1e300, 2.0], "failure": ["ValueError: é", None]}


def test_density_table_is_msis_tables_kept_in_the_disk_cache(tmp_path, monkeypatch):
    from stationsim.astro import atmosphere
    from stationsim.astro.time import Epoch
    from stationsim.campaign.run import density_table

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    start, stop = Epoch(-1.0e8), Epoch(-1.0e8 + 3 * 86400.0)
    made = density_table(start, stop, 0.9)
    reference = atmosphere.msis_table(start, stop, 0.9)
    assert made[:4] == reference[:4] and np.array_equal(made.log_rho, reference.log_rho)

    def not_again(*args, **kwargs):
        raise AssertionError("the table was made again")

    monkeypatch.setattr(atmosphere, "msis_table", not_again)
    kept = density_table(start, stop, 0.9)
    assert kept[:4] == reference[:4] and np.array_equal(kept.log_rho, reference.log_rho)
    assert kept.log_rho.flags.writeable
    with pytest.raises(AssertionError, match="made again"):
        density_table(start, stop, 0.8)  # another inclination: another table


def test_report_figures_are_valid_plotly_and_count_the_docked(tmp_path, prepared):
    import json
    import re

    import plotly.graph_objects as go

    result = run_campaign(_spec(60), tmp_path / "c", workers=0, prepared=prepared)
    page = result.report_path.read_text()
    calls = re.findall(r"Plotly\.newPlot\('figure-(\d)', (.*?)\)</script>", page)
    assert [number for number, _ in calls] == ["0", "1", "2", "3", "4"]
    decoder = json.JSONDecoder()
    for number, arguments in calls:
        data, end = decoder.raw_decode(arguments)
        layout, _ = decoder.raw_decode(arguments[end + 2:])
        go.Figure(data=data, layout=layout)  # plotly rejects an attribute it does not know
        if number != "0":  # a histogram holds every docked sample once
            assert sum(data[0]["y"]) == result.summary["docked"] and len(data[0]["y"]) == 50
    assert page.index("<script>/**\n* plotly.js v") < page.index("<div id='figure-0'>")
