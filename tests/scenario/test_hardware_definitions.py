"""A program's own modules, vehicles and sites, and catalog files it includes."""

from __future__ import annotations

import math

import pytest

from stationsim.errors import ProgramError
from stationsim.hardware import load_catalog
from stationsim.scenario import load_path, load_text

HEAD = "name: own\nspan: {start_utc: 2030-01-01, end_utc: 2030-01-02}\n"


def test_entries_extend_the_bundled_catalog_without_changing_it():
    program = load_text(HEAD + """
modules:
  hab-1:
    extends: destiny
    display_name: Hab 1
    mass_kg: 12000
    stowage_m3: 20
    solar_array_area_m2: 100
    source: a test
vehicles:
  dream-chaser: {extends: cygnus, display_name: Dream Chaser, seats: 0, source: a test}
sites:
  wallops-0a:
    display_name: Wallops Pad 0A
    latitude_deg: 37.8338
    longitude_deg: -75.4881
    height_m: 0
    azimuth_min_deg: 38
    azimuth_max_deg: 125
    source: a test
""")
    catalog = program.catalog
    hab = catalog.module("hab-1")
    destiny = load_catalog().module("destiny")
    assert hab.mass_kg == 12000.0 and hab.ports == destiny.ports  # the rest is Destiny's
    assert hab.stowage_m3 == 20.0 and hab.panel_area_m2 == 100.0
    assert catalog.vehicle("dream-chaser").mechanisms == ("CBM-passive",)
    latitude_rad = catalog.site("wallops-0a").latitude_rad
    assert latitude_rad == pytest.approx(math.radians(37.8338), abs=1e-12)
    assert "hab-1" not in load_catalog().modules  # the bundled catalog is untouched
    assert catalog.module("zarya") is load_catalog().module("zarya")


def test_replaces_stands_in_for_a_bundled_entry():
    program = load_text(HEAD + "vehicles:\n  crew-dragon: {extends: crew-dragon, replaces: true, "
                               "propellant_mass_kg: 2700, source: a test}\n")
    assert program.catalog.vehicle("crew-dragon").propellant_mass_kg == 2700.0
    assert load_catalog().vehicle("crew-dragon").propellant_mass_kg == 2560.0


def test_a_catalog_file_is_read_relative_to_the_program(tmp_path):
    (tmp_path / "hw").mkdir()
    (tmp_path / "hw" / "mine.yaml").write_text(
        "modules:\n  node-x: {extends: unity, display_name: Node X, source: a test}\n")
    (tmp_path / "p.yaml").write_text(HEAD + "catalogs: [hw/mine.yaml]\n"
                                     "modules:\n  node-y: {extends: node-x, display_name: Node Y,"
                                     " source: a test}\n")
    program = load_path(tmp_path / "p.yaml")
    assert program.catalog.module("node-y").ports == load_catalog().module("unity").ports


def test_errors_in_a_catalog_file_point_into_it(tmp_path):
    row = "  node-x: {extends: unity, display_name: Node X, source: a test, colour: red}"
    (tmp_path / "mine.yaml").write_text(f"modules:\n{row}\n")
    (tmp_path / "p.yaml").write_text(HEAD + "catalogs: [mine.yaml, nowhere.yaml]\n")
    with pytest.raises(ProgramError) as caught:
        load_path(tmp_path / "p.yaml")
    mine, program = str(tmp_path / "mine.yaml"), str(tmp_path / "p.yaml")
    column = row.index("colour") + 1
    assert caught.value.errors[0].startswith(f"{mine}:2:{column}: modules.node-x.colour: unknown")
    assert caught.value.errors[1].startswith(f"{program}:3:23: catalogs[1]: cannot read")


def test_a_clash_inside_a_catalog_file_is_located_there(tmp_path):
    (tmp_path / "mine.yaml").write_text("vehicles:\n  soyuz-ms: {dry_mass_kg: 1}\n")
    (tmp_path / "p.yaml").write_text(HEAD + "catalogs: [mine.yaml]\n")
    with pytest.raises(ProgramError) as caught:
        load_path(tmp_path / "p.yaml")
    assert caught.value.errors == [
        f"{tmp_path / 'mine.yaml'}:2:13: vehicles.soyuz-ms: vehicle 'soyuz-ms' is already in the "
        f"bundled catalog (expected a new id, or replaces: true to stand in for it)"]


def test_a_port_axis_that_is_not_a_unit_vector_is_refused():
    with pytest.raises(ProgramError) as caught:
        load_text(HEAD + "modules:\n  bad:\n    extends: unity\n    display_name: Bad\n"
                         "    source: a test\n    ports:\n      a: {position_m: [0, 0, 0], "
                         "axis: [2, 0, 0], mechanism: IDSS, role: androgynous}\n", "p.yaml")
    assert caught.value.errors == [
        "p.yaml:5:5: modules.bad: not a valid module (port 'a' axis=(2.0, 0.0, 0.0) must be a "
        "unit 3-vector)"]
