"""Loading valid programs: the bundled example, defaults, SI accessors, library look-up."""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path

import pytest

from stationsim.astro.constants import KM, R_EARTH_M
from stationsim.errors import ProgramError
from stationsim.scenario import bundled_names, load_path, load_program, load_text, program_path
from stationsim.scenario.schema import ElementsOrbit, TleTracking, program_json_schema

DOCS = Path(__file__).parents[2] / "docs" / "programs.md"


@pytest.fixture(scope="module")
def example():
    return load_program("example-small")


def test_example_is_bundled_and_loads(example):
    assert "example-small" in bundled_names()
    assert example.name == "example-small"
    assert [flight.id for flight in example.flights] == ["STS-74", "Soyuz TM-23"]
    assert example.source.endswith("example-small.yaml")


def test_defaults_fill_site_port_profile_and_stay(example):
    soyuz = example.flight("Soyuz TM-23")
    assert (soyuz.site, soyuz.port, soyuz.profile, soyuz.stay_days, soyuz.target) == (
        "baikonur-site-1", "kvant-1.aft", "soyuz-two-day", 180.0, "mir")
    # 180 days after 1996-02-21T12:34Z, by calendar arithmetic (no leap second in 1996-02..08)
    expected = dt.datetime(1996, 2, 21, 12, 34, tzinfo=dt.UTC) + dt.timedelta(days=180)
    assert soyuz.undock.utc_iso(0) == expected.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert soyuz.stay_s == 180 * 86400.0


def test_flight_values_keep_what_the_file_says(example):
    sts74 = example.flight("STS-74")
    assert sts74.profile == "shuttle" and sts74.site == "ksc-lc-39a"
    assert sts74.delivers_module.instance == "mir-docking-module"
    assert sts74.cargo.total_kg == 1400.0
    assert len(sts74.crew_down) == 5 and sts74.crew_down == sts74.crew_up   # YAML alias
    assert sts74.landing.utc_iso(0) == "1995-11-20T17:01:27Z"


def test_elements_in_si(example):
    orbit = example.station("mir").orbit
    assert isinstance(orbit, ElementsOrbit)
    r_p_m, r_a_m = R_EARTH_M + 392.0 * KM, R_EARTH_M + 396.1 * KM
    assert orbit.perigee_radius_m == pytest.approx(r_p_m, abs=1e-6)
    assert orbit.semi_major_axis_m == pytest.approx((r_p_m + r_a_m) / 2, abs=1e-6)
    assert orbit.eccentricity == pytest.approx(4.1 / (2 * 6378.137 + 788.1), rel=1e-12)
    assert orbit.inclination_rad == pytest.approx(math.radians(51.644), rel=1e-15)


def test_tracking_tle_epoch(example):
    entry = example.tracking[0]
    assert isinstance(entry, TleTracking) and entry.station == "mir"
    # day 315.33685943 of 1995 = 11 November, 0.33685943 d = 08:05:04.655
    assert entry.epoch.utc_iso(3) == "1995-11-11T08:05:04.655Z"
    assert entry.record.norad_id == 16609


def test_lookups_name_what_exists(example):
    with pytest.raises(KeyError, match="known: mir"):
        example.station("salyut-7")


def test_unknown_bundled_name_suggests_the_closest():
    with pytest.raises(ProgramError, match="did you mean 'example-small'"):
        load_program("example-smal")


def test_a_path_loads_like_a_name(tmp_path):
    copy = tmp_path / "copy.yaml"
    copy.write_text(program_path("example-small").read_text(encoding="utf-8"), encoding="utf-8")
    assert load_program(copy).flights == load_program("example-small").flights
    assert load_path(copy).source == str(copy)


def test_missing_file_is_a_program_error(tmp_path):
    with pytest.raises(ProgramError, match=r"copy.yaml:1:1: program: cannot read the file"):
        load_path(tmp_path / "copy.yaml")


PROGRAM = """\
name: anchors
span: {start_utc: 1996-01-01, end_utc: 1996-12-31}
x-soyuz: &soyuz {vehicle: soyuz-tm, site: baikonur-site-1, stay_days: 10}
stations:
  - id: mir
    orbit: {epoch_utc: 1996-01-01, perigee_km: 380, apogee_km: 390, inclination_deg: 51.6,
            raan_deg: 10, arg_perigee_deg: 0, true_anomaly_deg: 0}
    modules: {root: mir-core}
crew: [{name: A, agency: RKA, nationality: Russia}]
flights:
  - {<<: *soyuz, id: one, launch_utc: 1996-02-01T00:00:00Z, port: mir-core.forward,
     crew_up: [A], crew_down: [A]}
  - {<<: *soyuz, id: two, launch_utc: 1996-02-01T00:00:00Z, port: mir-core.aft}
  - {id: free, vehicle: vostok, site: baikonur-site-1, launch_utc: 1996-03-01T06:00:00Z,
     landing_utc: 1996-03-01T07:48:00Z, crew_up: [A]}
"""


def test_x_keys_hold_anchors_and_merges_reuse_them():
    program = load_text(PROGRAM, "anchors.yaml")
    one, two, free = program.flights
    assert (one.vehicle, one.site, one.stay_days) == ("soyuz-tm", "baikonur-site-1", 10.0)
    assert two.port == "mir-core.aft" and two.target == "mir"
    assert free.target is None and free.port is None  # a free flight docks nowhere


def test_several_stations_need_a_target():
    text = PROGRAM.replace("crew: [", """\
  - id: salyut-7
    orbit: {epoch_utc: 1996-01-01, perigee_km: 300, apogee_km: 310, inclination_deg: 51.6,
            raan_deg: 10, arg_perigee_deg: 0, true_anomaly_deg: 0}
    modules: {root: mir-core}
crew: [""")
    with pytest.raises(ProgramError) as caught:
        load_text(text, "two.yaml")
    assert caught.value.errors[0] == (
        "two.yaml:15:5: flights[0]: target is missing (expected the station this flight meets; "
        "the program has several)")


def test_docs_example_is_the_bundled_example():
    text = DOCS.read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, flags=re.DOTALL)
    bundled = program_path("example-small").read_text(encoding="utf-8")
    assert bundled in blocks


def test_json_schema_describes_the_format():
    schema = program_json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) == {"name", "span"}
    assert schema["additionalProperties"] is False and "^x-" in schema["patternProperties"]
    flight = schema["$defs"]["Flight"]["properties"]
    assert "soyuz-two-day" in str(flight["profile"])
    assert schema["$defs"]["Cargo"]["properties"]["o2_kg"]["minimum"] == 0.0
