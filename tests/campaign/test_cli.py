"""``stationsim campaign``: exit codes, the printed summary and the folder it writes."""

from __future__ import annotations

import json
from types import SimpleNamespace

import numpy as np
import pyarrow.parquet as pq

from stationsim.cli import main


def test_starved_campaign_runs_and_reports_no_docking(capsys, tmp_path):
    # 5 kg of propellant cannot fly a ~110 m/s rendezvous: every sample runs out
    code = main(["campaign", "example-small", "--flight", "Soyuz TM-23", "--samples", "30",
                 "--seed", "3", "--workers", "0", "--out", str(tmp_path), "--propellant-kg", "5",
                 "--vary", "nav_position_m=normal(0, 10)"])
    out = capsys.readouterr().out
    assert code == 0
    assert "out of propellant" in out and "success rate 0.0000" in out
    rows = pq.read_table(tmp_path / "samples.parquet").to_pydict()
    assert rows["outcome"] == ["out of propellant"] * 30
    assert (tmp_path / "campaign.duckdb").exists() and (tmp_path / "report.html").exists()


def test_bad_vary_exits_2_naming_the_spec(capsys, tmp_path):
    code = main(["campaign", "example-small", "--samples", "10", "--out", str(tmp_path),
                 "--vary", "launch_slip_s=normal(0)"])
    assert code == 2
    assert "launch_slip_s=normal(0)" in capsys.readouterr().err


def test_samples_beyond_the_cap_and_a_file_as_out_exit_2(capsys, tmp_path):
    # 10^11 samples held 24 GB before the first flew, until the kernel killed the process; a
    # file as --out read "[Errno 20] Not a directory: '.../parts'"
    (tmp_path / "plain").write_text("x")
    for extra in ([], ["--program"]):
        assert main(["campaign", "example-small", "--samples", str(10**11), "--workers", "0",
                     "--vary", "density_scale=normal(1, 0.1)", *extra]) == 2
        assert "--samples must be 1 to 10,000,000, got 100000000000" in capsys.readouterr().err
        assert main(["campaign", "example-small", "--samples", "2", "--workers", "0",
                     "--vary", "density_scale=normal(1, 0.1)", "--out", str(tmp_path / "plain"),
                     *extra]) == 2
        assert "a file (expected a campaign folder)" in capsys.readouterr().err
    assert [path.name for path in tmp_path.iterdir()] == ["plain"]


def test_a_bad_dispersion_of_the_campaign_section_is_placed_in_the_file(capsys, tmp_path):
    # read "--vary 'launch_slip_s=normal(0, -5)': ..." though no --vary was given
    from stationsim.scenario import program_path

    program = tmp_path / "varied.yaml"
    program.write_text(program_path("example-small").read_text(encoding="utf-8") + (
        'campaign: {flight: Soyuz TM-23, samples: 5,\n'
        '           vary: ["density_scale=normal(1, 0.1)", "launch_slip_s=normal(0, -5)"]}\n'),
        encoding="utf-8")
    assert main(["campaign", str(program), "--workers", "0", "--out", str(tmp_path / "c")]) == 2
    assert capsys.readouterr().err.replace("\n", "").startswith(
        f"error: {program}:84:51: campaign.vary[1]: normal(0.0, -5.0): sigma must be >= 0")
    assert not (tmp_path / "c").exists()


def test_unknown_flight_exits_2(capsys, tmp_path):
    code = main(["campaign", "example-small", "--samples", "10", "--workers", "0",
                 "--vary", "density_scale=normal(1, 0.1)", "--flight", "STS-999", "--out",
                 str(tmp_path)])
    assert code == 2
    assert "STS-999" in capsys.readouterr().err


class _WithCampaign:
    """A loaded program plus a ``campaign:`` section (the schema field the CLI reads)."""

    def __init__(self, program, section):
        self._program, self.campaign = program, section

    def __getattr__(self, name):
        return getattr(self._program, name)


def test_campaign_section_fills_the_options_left_out(capsys, tmp_path, monkeypatch):
    import stationsim.scenario as scenario

    real = scenario.load_program
    section = SimpleNamespace(flight="Soyuz TM-23", samples=12, seed=4, propellant_kg=5.0,
                              vary=["nav_position_m=normal(0, 10)"],
                              insertion_covariance_lvlh=(np.eye(6) * 4.0).tolist())
    monkeypatch.setattr(scenario, "load_program", lambda ref: _WithCampaign(real(ref), section))
    assert main(["campaign", "example-small", "--workers", "0", "--out", str(tmp_path)]) == 0
    inputs = json.loads((tmp_path / "campaign.json").read_text())
    assert inputs["samples"] == 12 and inputs["seed"] == 4 and inputs["flight"] == "Soyuz TM-23"
    assert inputs["vary"] == ["nav_position_m=normal(0, 10)"] and inputs["propellant_kg"] == 5.0
    assert inputs["insertion_covariance_lvlh"] == (np.eye(6) * 4.0).tolist()
    assert "out of propellant" in capsys.readouterr().out


def test_no_samples_and_no_section_exits_2(capsys, tmp_path):
    assert main(["campaign", "example-small", "--out", str(tmp_path)]) == 2
    assert "--samples" in capsys.readouterr().err


def test_the_main_program_campaigns_with_its_own_section(capsys, tmp_path):
    # `stationsim campaign shuttle-mir` with no options: shuttle-mir.yaml's campaign section
    # (Progress M-22, density dispersed) flies and docks; 25 samples of its 1,000 keep this short
    code = main(["campaign", "shuttle-mir", "--samples", "25", "--workers", "0", "--out",
                 str(tmp_path)])
    assert code == 0
    inputs = json.loads((tmp_path / "campaign.json").read_text())
    assert inputs["flight"] == "Progress M-22"
    assert inputs["vary"] == ["density_scale=lognormal(0, 0.15)"]
    rows = pq.read_table(tmp_path / "samples.parquet").to_pydict()
    assert rows["outcome"] == ["docked"] * 25
