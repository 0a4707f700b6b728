"""Landing campaigns (campaign/landing.py): dispersed copies of a trajectory to its landing."""

from __future__ import annotations

import json

import numpy as np
import pytest

from stationsim.campaign.dispersions import Dispersions
from stationsim.campaign.landing import run_landing_campaign, track_offsets_km
from stationsim.scenario import load_program


@pytest.fixture(scope="module")
def vostok():
    return load_program("vostok-1")


def test_undispersed_samples_land_on_the_nominal(vostok):
    flown = run_landing_campaign(vostok, "Vostok 1", 2, 7, Dispersions())
    assert np.all(flown.land_tt_s == flown.nominal[0])
    assert np.all(flown.lat_deg == flown.nominal[1])


def test_a_sample_depends_on_the_seed_and_its_index_only(vostok, tmp_path):
    dispersions = Dispersions.from_specs(["density_scale=normal(1, 0.15)",
                                          "burn_magnitude_frac=normal(0, 0.015)"])
    three = run_landing_campaign(vostok, "Vostok 1", 3, 11, dispersions, tmp_path)
    two = run_landing_campaign(vostok, "Vostok 1", 2, 11, dispersions)
    assert np.array_equal(three.land_tt_s[:2], two.land_tt_s)
    assert np.unique(three.land_tt_s).size == 3  # the draws move the landing
    summary = json.loads((tmp_path / "summary.json").read_text())
    assert summary["landed"] == 3 and summary["flight"] == "Vostok 1"
    assert len((tmp_path / "landings.csv").read_text().splitlines()) == 4


def test_a_stronger_burn_lands_short(vostok):
    # more braking, a steeper entry: the landing moves uprange (along-track offset < 0)
    strong = Dispersions.from_specs(["burn_magnitude_frac=uniform(0.02, 0.02)"])
    flown = run_landing_campaign(vostok, "Vostok 1", 1, 0, strong)
    along, _ = track_offsets_km(flown.nominal[1:], flown.lat_deg, flown.lon_deg,
                                flown.track_heading_rad)
    assert along[0] < -20.0  # 2.6 m/s more: about 28 km a m/s (docs/operations.md)


def test_a_landing_campaign_refuses_rendezvous_dispersions(vostok):
    with pytest.raises(ValueError, match="does not fly launch_slip_s"):
        run_landing_campaign(vostok, "Vostok 1", 1, 0,
                             Dispersions.from_specs(["launch_slip_s=normal(0, 60)"]))
