"""``stationsim plan translunar``: JSON fields and bad input."""

from __future__ import annotations

import json

from stationsim.cli import main


def test_json_plan(capsys):
    code = main(["plan", "translunar", "--date", "1969-07-16T13:43:49Z", "--inclination-deg",
                 "32.521", "--tof-hours", "73", "--perilune-km", "130", "--search-hours", "3",
                 "--json"])
    assert code == 0
    plan = json.loads(capsys.readouterr().out)
    assert abs(plan["time_of_flight_h"] - 73.0) < 0.1
    assert abs(plan["perilune_km"] - 130.0) < 1.0
    assert 3100.0 < plan["tli_dv_mps"] < 3200.0
    assert "1969-07-16T13:43:49" <= plan["tli_utc"] <= "1969-07-16T16:43:49"
    assert plan["perilune_inclination_deg"] > 90.0 and plan["free_return"] is False


def test_bad_input_exits_2(capsys):
    assert main(["plan", "translunar", "--date", "1968-12-21", "--tof-hours", "10"]) == 2
    assert "--tof-hours must be from 36 to 240, got 10" in capsys.readouterr().err
    assert main(["plan", "translunar", "--date", "yesterday"]) == 2
    assert "--date 'yesterday' is not an ISO-8601 UTC time" in capsys.readouterr().err
