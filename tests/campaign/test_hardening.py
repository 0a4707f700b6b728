"""Campaigns that used to die or mislead: shuttle-mir's flights, failing samples, no dispersions,
flights that cannot be campaigned."""

from __future__ import annotations

import numpy as np
import pyarrow.parquet as pq
import pytest

from stationsim.astro.time import Epoch
from stationsim.campaign import CampaignSpec, Dispersions, run_campaign
from stationsim.campaign import run as campaign_run
from stationsim.campaign.run import prepare, run_batch, station_propagator
from stationsim.cli import main
from stationsim.errors import StationsimError
from stationsim.hardware.catalog import load_catalog
from stationsim.ops.insertion import insert, insertion_spec
from stationsim.scenario import load_program, program_path


def _in_plane(program_name: str, flight_id: str, launch_utc: str) -> bool:
    """True when the ascent's steering reaches the campaign station's plane at the launch."""
    program = load_program(program_name)
    flight = program.flight(flight_id)
    catalog = load_catalog()
    vehicle = catalog.vehicle(flight.vehicle)
    defaults = program.defaults.get(flight.vehicle)
    site = catalog.site(flight.site or defaults.site)
    station = station_propagator(program, program.station(flight.target), flight.launch)
    inserted = insert(station, site, Epoch.from_utc_iso(launch_utc), insertion_spec(vehicle))
    return inserted.wedge_rad == 0.0


def test_default_flight_of_shuttle_mir_flies_from_a_launch_window():
    # Progress M-22 has only a launch date. Planned at that date's midnight, Baikonur lay far
    # from Mir's plane and the planner's phasing search left the ellipse ("J2Secular needs an
    # elliptic orbit"); the campaign now flies the first window the profile can work with.
    nominal, about = prepare(CampaignSpec("shuttle-mir", 1))
    assert about["flight"] == "Progress M-22"
    launch = Epoch.from_utc_iso(about["launch_utc"])
    earliest = Epoch.from_utc_iso("1994-03-22T00:00:00Z")
    assert 0.0 < launch.tt_s - earliest.tt_s < campaign_run.LAUNCH_SEARCH_DAYS * 86400.0
    assert _in_plane("shuttle-mir", "Progress M-22", about["launch_utc"])
    [outcome] = run_batch(nominal, 0, Dispersions(), 0, 1)["outcome"]
    assert outcome == "docked"


@pytest.mark.parametrize("flight", ["STS-71", "Soyuz TM-21"])
def test_undispersed_shuttle_mir_flights_dock_with_propellant_left(flight):
    # Their written launch times were in the real Mir's plane; the campaign's Mir (the 1993
    # elements carried by J2 secular rates for 15-18 months) lies 1-2 deg away, a plane change
    # of 135-290 m/s that emptied the tanks. The launch now moves into the model's plane (as
    # `stationsim run` does): within half a day, and the plane burn is then small.
    nominal, about = prepare(CampaignSpec("shuttle-mir", 1, flight=flight))
    assert "launch moved" in about["launch_note"]
    written = load_program("shuttle-mir").flight(flight).launch
    assert abs(nominal.launch_tt_s - written.tt_s) <= campaign_run.PLANE_SEARCH_S
    assert _in_plane("shuttle-mir", flight, about["launch_utc"])
    row = run_batch(nominal, 0, Dispersions(), 0, 1)
    assert row["outcome"][0] == "docked" and row["propellant_margin_kg"][0] > 0.0
    plane = [step for step in nominal.steps if step.kind == "plane"]
    assert len(plane) == 1 and about["planned_dv_mps"] < 250.0  # the 1.1-2.2 deg change gone


def test_campaign_without_dispersions_says_so(tmp_path, capsys, prepared):
    assert main(["campaign", "example-small", "--flight", "Soyuz TM-23", "--samples", "10",
                 "--workers", "0", "--out", str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert "no dispersions: all 10 samples would fly the same undispersed plan" in err
    assert not (tmp_path / "c").exists()
    # one undispersed sample is the nominal flight, and allowed
    result = run_campaign(CampaignSpec("example-small", 1, flight="Soyuz TM-23"),
                          tmp_path / "one", workers=0, prepared=prepared)
    assert result.summary["samples"] == 1


def test_failing_sample_is_recorded_and_the_campaign_goes_on(tmp_path, prepared, monkeypatch):
    fly = campaign_run.fly_batch

    def failing(nominal, draws):
        if 3 in draws.index:
            raise FloatingPointError("sample 3 left the model's domain")
        return fly(nominal, draws)

    monkeypatch.setattr(campaign_run, "fly_batch", failing)
    spec = CampaignSpec("example-small", 8, seed=4, flight="Soyuz TM-23", batch_size=5,
                        dispersions=Dispersions.from_specs(["nav_position_m=normal(0, 5)"]))
    result = run_campaign(spec, tmp_path, workers=0, prepared=prepared)
    rows = pq.read_table(result.samples_path).to_pydict()
    assert rows["sample"] == list(range(8))
    assert rows["outcome"][3] == "failed"
    assert rows["failure"][3] == "FloatingPointError: sample 3 left the model's domain"
    assert [f for k, f in enumerate(rows["failure"]) if k != 3] == [None] * 7
    assert np.isnan(rows["dv_mps"][3])
    assert result.summary["outcomes"]["failed"] == 1 and result.summary["docked"] == 7


def test_flight_that_cannot_be_campaigned_is_refused_up_front(tmp_path, capsys):
    # Mir moved to a 30 deg orbit (and its tracking set, at 51.6 deg, left out): Baikonur
    # (45.9 deg N) never passes under its plane, so no launch can reach it, whether at a
    # written time or after an earliest date. The program's own feasibility check refuses it
    # when it is loaded, naming the site's latitude, before any sample is drawn.
    text = program_path("example-small").read_text(encoding="utf-8")
    low = text.replace("inclination_deg: 51.644", "inclination_deg: 30.0", 1)
    low = low[:low.index("\ntracking:")] + "\n"
    assert "inclination_deg: 30.0" in low
    written = tmp_path / "low.yaml"
    written.write_text(low, encoding="utf-8")
    earliest = tmp_path / "low-earliest.yaml"
    earliest.write_text(low.replace("launch_utc: 1996-02-21T12:34:00Z",
                                    "earliest_launch_utc: 1996-02-21T00:00:00Z", 1),
                        encoding="utf-8")
    reason = r"45\.92 deg latitude cannot launch directly into the station's 30\.00 deg orbit"
    for path in (written, earliest):
        with pytest.raises(StationsimError, match=reason):
            prepare(CampaignSpec(str(path), 1, flight="Soyuz TM-23"))
    assert main(["campaign", str(written), "--flight", "Soyuz TM-23", "--samples", "10",
                 "--vary", "density_scale=normal(1, 0.1)", "--workers", "0", "--out",
                 str(tmp_path / "c")]) == 2
    err = capsys.readouterr().err
    assert "low.yaml:" in err and "choose a site" in err and "Traceback" not in err
    assert not (tmp_path / "c").exists()


def test_second_campaign_writer_refused_and_stale_parts_cleaned(tmp_path, prepared):
    from stationsim.errors import RunFolderBusy
    from stationsim.results.atomic import folder_lock

    spec = CampaignSpec("example-small", 4, seed=4, flight="Soyuz TM-23", batch_size=2,
                        dispersions=Dispersions.from_specs(["nav_position_m=normal(0, 5)"]))
    with folder_lock(tmp_path / "c"), pytest.raises(RunFolderBusy, match="another stationsim"):
        run_campaign(spec, tmp_path / "c", workers=0, prepared=prepared)
    stale = tmp_path / "c" / "parts" / ".part-00001.parquet.4242.tmp"  # a killed batch's
    stale.parent.mkdir(parents=True)
    stale.write_bytes(b"half a part")
    run_campaign(spec, tmp_path / "c", workers=0, prepared=prepared)
    assert sorted(p.name for p in (tmp_path / "c" / "parts").iterdir()) == [
        "part-00000.parquet", "part-00001.parquet"]
