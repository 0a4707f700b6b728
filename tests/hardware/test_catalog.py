"""The bundled catalog: every entry sourced and physical; lookups and suggestions."""

from __future__ import annotations

import math

import pytest

from stationsim.astro.constants import DEG
from stationsim.errors import StationsimError
from stationsim.hardware import UnknownNameError, load_catalog
from stationsim.hardware.mechanisms import MECHANISMS

CATALOG = load_catalog()

REQUIRED_MODULES = {
    "mir-core", "kvant-1", "kvant-2", "kristall", "spektr", "mir-docking-module", "priroda",
    "zarya", "unity", "pma-1", "pma-2", "pma-3", "zvezda", "destiny", "quest", "pirs", "harmony",
    "columbus", "kibo-jem-pm", "kibo-jem-elm-ps", "poisk", "tranquility", "cupola", "rassvet",
    "leonardo-pmm", "ida-1", "ida-2", "ida-3", "astp-docking-module", "tiangong-1",
}
REQUIRED_VEHICLES = {
    "soyuz-t", "soyuz-tm", "soyuz-tma", "soyuz-ms", "progress-m", "progress-m1", "progress-ms",
    "shuttle", "atlantis", "discovery", "endeavour", "columbia", "apollo-csm", "soyuz-19",
    "crew-dragon", "cargo-dragon", "starliner", "cygnus", "htv", "atv", "shenzhou", "sputnik-1",
    "explorer-1", "vostok", "mercury",
}


def test_catalog_is_cached_and_complete():
    assert load_catalog() is CATALOG
    assert REQUIRED_MODULES <= set(CATALOG.modules)
    assert REQUIRED_VEHICLES <= set(CATALOG.vehicles)
    assert len(CATALOG.sites) >= 13


@pytest.mark.parametrize("name", sorted(CATALOG.modules))
def test_every_module_has_a_source_positive_mass_and_valid_ports(name):
    module = CATALOG.modules[name]
    assert module.source.strip()
    assert module.mass_kg > 0 and module.length_m > 0 and module.diameter_m > 0
    assert 0 <= module.habitable_volume_m3 <= module.pressurized_volume_m3
    assert module.ports, f"{name} has no port"
    for port in module.ports.values():
        assert port.mechanism in MECHANISMS
        # ports lie on the module's envelope (within 1 cm of an end face or inside the radius)
        x_m, y_m, z_m = port.position_m
        assert abs(x_m) <= module.length_m / 2 + 0.01
        assert math.hypot(y_m, z_m) <= module.diameter_m / 2 + 0.01


@pytest.mark.parametrize("name", sorted(CATALOG.vehicles))
def test_every_vehicle_has_a_source_and_positive_masses(name):
    vehicle = CATALOG.vehicles[name]
    assert vehicle.source.strip()
    assert vehicle.dry_mass_kg > 0 and vehicle.propellant_mass_kg >= 0
    assert vehicle.drag_area_m2 > 0 and vehicle.cd > 0
    if vehicle.propellant_mass_kg > 0:
        assert vehicle.isp_s > 0 and vehicle.thrust_n > 0


@pytest.mark.parametrize("name", sorted(CATALOG.sites))
def test_every_site_has_a_source(name):
    site = CATALOG.sites[name]
    assert site.source.strip()
    assert site.azimuth_min_rad < site.azimuth_max_rad


def test_reference_values_are_carried_into_the_catalog():
    # mir_modules.csv launch_mass_kg / pressurized_volume_m3 (the values chosen in the notes)
    assert CATALOG.module("kristall").mass_kg == 19640
    assert CATALOG.module("kvant-1").pressurized_volume_m3 == 40
    # iss_modules.csv: Zvezda 19051 kg, 75 m3 pressurised, 46.7 m3 habitable
    zvezda = CATALOG.module("zvezda")
    assert (zvezda.mass_kg, zvezda.pressurized_volume_m3, zvezda.habitable_volume_m3) == (
        19051, 75.0, 46.7)
    # later_stations_and_docking.csv: IDA 526 kg, APAS-95 to IDSS
    ida = CATALOG.module("ida-2")
    assert ida.mass_kg == 526 and ida.adapter
    assert {p.mechanism for p in ida.ports.values()} == {"APAS-95", "IDSS"}


def test_orbiters_extend_the_shuttle_and_columbia_has_no_ods():
    shuttle = CATALOG.vehicle("shuttle")
    atlantis = CATALOG.vehicle("atlantis")
    assert atlantis.dry_mass_kg == shuttle.dry_mass_kg
    assert atlantis.mechanisms == ("APAS-89", "APAS-95")
    assert atlantis.display_name == "Atlantis (OV-104)"
    assert CATALOG.vehicle("columbia").mechanisms == ()


def test_launch_site_converted_to_radians():
    # NASA: LC-39A at 28 deg 36' 29.7" N, 80 deg 36' 15.6" W
    pad = CATALOG.site("KSC-LC-39A")
    assert pad.latitude_rad == pytest.approx((28 + 36 / 60 + 29.7 / 3600) * DEG, abs=1e-7)
    assert pad.longitude_rad == pytest.approx(-(80 + 36 / 60 + 15.6 / 3600) * DEG, abs=1e-7)


def test_azimuth_ranges_including_one_across_north():
    kourou = CATALOG.site("kourou-ela-3")  # Ariane 5 User's Manual: -10.5 .. 93.5 deg
    assert kourou.allows_azimuth(355 * DEG)
    assert kourou.allows_azimuth(-5 * DEG)
    assert kourou.allows_azimuth(90 * DEG)
    assert not kourou.allows_azimuth(180 * DEG)
    pad = CATALOG.site("ksc-lc-39a")
    assert list(pad.allows_azimuth([30 * DEG, 44 * DEG, 125 * DEG])) == [False, True, False]


def test_unknown_name_suggests_the_closest():
    with pytest.raises(UnknownNameError, match="unknown module 'kristal'; did you mean 'kristall'"):
        CATALOG.module("kristal")
    with pytest.raises(KeyError):
        CATALOG.vehicle("soyuz-tmx")
    with pytest.raises(StationsimError):
        CATALOG.site("vandenberg")
    assert CATALOG.suggest("vehicle", "Soyuz TM")[0] == "soyuz-tm"
    assert CATALOG.suggest("site", "zzzz") == []
    with pytest.raises(ValueError, match="kind='crew'"):
        CATALOG.suggest("crew", "x")


def test_a_broken_bundled_entry_names_its_file_and_line(monkeypatch):
    # The bundled catalog is read from the disk cache, which keeps no lines: a broken entry is
    # placed by parsing its file again. soyuz-tm's own line in vehicles.yaml is the oracle.
    from importlib import resources

    from stationsim.hardware import catalog as catalog_module

    text = resources.files(catalog_module).joinpath("vehicles.yaml").read_text()
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith("soyuz-tm:"))
    monkeypatch.setattr(catalog_module, "read_bundled_yaml",
                        lambda filename: {"soyuz-tm": {"extends": "no-such-vehicle"}})
    with pytest.raises(ValueError, match=rf"^vehicles\.yaml:{line}:1: 'soyuz-tm' extends"):
        catalog_module._read_entries("vehicles.yaml")
    with pytest.raises(ValueError, match=rf"^vehicles\.yaml:{line}:1: vehicle 'soyuz-tm': "):
        catalog_module._bundled_entry("vehicle", "soyuz-tm", {"display_name": "Soyuz TM"})
