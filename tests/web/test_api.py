"""The dashboard's JSON API and pages, through FastAPI's TestClient on a synthetic run."""

from __future__ import annotations

import numpy as np
import pytest
from fastapi.testclient import TestClient

from stationsim.astro.time import Epoch
from stationsim.cli import main
from stationsim.errors import StationsimError
from stationsim.web.app import create_app
from web.synthetic_run import FLIGHTS, STATION, STAYS


@pytest.fixture(scope="module")
def client(runs_dir, stand_in_assets):
    return TestClient(create_app(runs_dir, assets=stand_in_assets))


def test_runs_are_listed_with_their_span(client):
    [run] = client.get("/api/runs").json()
    assert run["name"] == "synthetic" and run["stations"] == ["mir"]
    assert (run["start_utc"], run["stop_utc"]) == (
        "1995-03-14T00:00:00.000000Z", "1995-03-16T00:00:00.000000Z")
    assert run["flights"] == ["STS-71", "Soyuz TM-21"]  # launch order
    assert 'href="/runs/synthetic"' in client.get("/").text


def test_flights_and_crew_come_back_as_stored(client):
    flights = {f["flight"]: f for f in client.get("/api/runs/synthetic/flights").json()}
    for name, (launch, dock, port, undock, land, _) in FLIGHTS.items():
        row = flights[name]
        assert [row[k][:19] for k in ("launch_utc", "dock_utc", "undock_utc", "land_utc")] == [
            launch, dock, undock, land]
        assert row["port"] == port
    crew = client.get("/api/runs/synthetic/crew").json()
    assert sorted(c["person"] for c in crew) == sorted(s[0] for s in STAYS)


def test_events_and_station_states_over_a_time_range(client):
    events = client.get("/api/runs/synthetic/events", params={
        "start": "1995-03-14T11:00:00Z", "stop": "1995-03-14T21:00:00Z"}).json()
    assert [(e["kind"], e["flight"]) for e in events] == [
        ("dock", "Soyuz TM-21"), ("dock", "STS-71")]
    states = client.get("/api/runs/synthetic/station-states", params={
        "start": "1995-03-15T00:00:00Z", "stop": "1995-03-15T02:00:00Z"}).json()
    assert [s["t_utc"][11:16] for s in states] == ["00:00", "01:00", "02:00"]
    assert [s["crew_count"] for s in states] == [5, 5, 5]


def test_states_on_a_grid_match_the_two_body_orbit(client):
    answer = client.get("/api/runs/synthetic/states/mir", params={
        "start": "1995-03-14T03:00:00Z", "stop": "1995-03-14T04:00:00Z", "step_s": 45}).json()
    assert answer["frame"] == "GCRF" and len(answer["t_utc"]) == 81
    # Reference: the two-body orbit the run was sampled from (samples every 120 s; between
    # them the API propagates the nearest sample, so only round-off separates the two).
    r_ref, v_ref = STATION.states(Epoch.from_utc_iso(answer["t_utc"]))
    assert np.abs(np.array(answer["r_m"]) - r_ref).max() < 1e-3      # 1 mm
    assert np.abs(np.array(answer["v_mps"]) - v_ref).max() < 1e-6    # 1 micrometre/s


def test_configuration_follows_dockings_and_moves(client):
    def at(time):
        [mir] = client.get("/api/runs/synthetic/configuration", params={"at": time}).json()[
            "stations"]
        return ({m["module"]: m["at"] for m in mir["modules"]},
                {d["flight"]: d["port"] for d in mir["docked"]})

    modules, docked = at("1995-03-14T01:00:00Z")
    assert modules == {"mir-core": None, "kvant-1": "mir-core.aft", "kristall": "mir-core.minus-y"}
    assert docked == {}
    modules, docked = at("1995-03-14T21:00:00Z")
    assert modules["kristall"] == "mir-core.minus-z"  # relocated at 04:00
    assert docked == {"Soyuz TM-21": "kvant-1.aft", "STS-71": "kristall.axial"}
    assert at("1995-03-15T19:00:00Z")[1] == {}


def test_supply_is_the_stock_then_over_its_rate_of_use(client):
    # the synthetic run's water falls linearly from 1200 kg to 1150 kg over its 48 h:
    # 25 kg a day, so at hour 24 there are 1175 kg, 47 days of supply
    answer = client.get("/api/runs/synthetic/supply", params={"at": "1995-03-15T00:00:00Z"})
    [mir] = answer.json()["stations"]
    [water] = mir["resources"]
    assert water["resource"] == "water" and water["stock_kg"] == pytest.approx(1175.0, abs=1e-6)
    assert water["days"] == pytest.approx(47.0, abs=1e-6)
    assert not mir["in_gap"] and answer.json()["gaps"] == []
    before = client.get("/api/runs/synthetic/supply", params={"at": "1995-03-13T00:00:00Z"})
    assert before.json()["stations"] == []
    assert client.get("/api/runs/synthetic/supply").status_code == 422


def test_czml_window_has_no_clock_and_the_objects_in_it(client):
    answer = client.get("/api/runs/synthetic/czml", params={
        "start": "1995-03-14T00:00:00Z", "stop": "1995-03-14T04:00:00Z"})
    packets = answer.json()
    assert "clock" not in packets[0]
    assert {p["id"] for p in packets[1:]} == {"mir", "STS-71"}  # Soyuz launches at 06:00


def test_errors_are_404_or_422_with_one_line(client):
    assert client.get("/api/runs/nope/flights").status_code == 404
    assert client.get("/runs/nope").status_code == 404
    bad = client.get("/api/runs/synthetic/events", params={"start": "yesterday"})
    assert bad.status_code == 422 and "start must be an ISO-8601 UTC time" in bad.json()["detail"]
    missing = client.get("/api/runs/synthetic/states/Progress M-99",
                         params={"start": "1995-03-14T00:00:00Z", "stop": "1995-03-15"})
    assert missing.status_code == 404
    too_many = client.get("/api/runs/synthetic/states/mir", params={
        "start": "1995-03-14T00:00:00Z", "stop": "1995-03-16T00:00:00Z", "step_s": 1})
    assert too_many.status_code == 422 and "at most" in too_many.json()["detail"]


def test_openapi_documents_the_api_on_a_local_page(client):
    page = client.get("/docs").text
    assert "/swagger-ui/swagger-ui-bundle.js" in page and "https://" not in page
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/api/runs", "/api/runs/{run}/flights", "/api/runs/{run}/events",
                 "/api/runs/{run}/states/{name}", "/api/runs/{run}/configuration"):
        assert path in paths


def test_missing_front_end_files_are_a_clear_error(runs_dir, tmp_path, monkeypatch, capsys):
    with pytest.raises(StationsimError, match="python -m stationsim.web.assets"):
        create_app(runs_dir, assets=tmp_path)
    # serve fetches them; with the registry out of reach it stops with one line saying how
    # to bring them (the discard port refuses at once)
    monkeypatch.setenv("STATIONSIM_WEB_ASSETS", str(tmp_path))
    monkeypatch.setenv("STATIONSIM_NPM_REGISTRY", "http://127.0.0.1:9")
    assert main(["serve", "--runs", str(runs_dir), "--port", "1"]) == 2
    err = capsys.readouterr().err
    assert "could not fetch cesium@1.145.0" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == []  # nothing half-fetched left
