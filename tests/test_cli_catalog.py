"""``stationsim catalog``: listing, one entry with its ports and mechanisms, JSON, errors."""

from __future__ import annotations

import json

from stationsim.cli import main
from stationsim.hardware import load_catalog
from stationsim.ops.rendezvous import PROFILES


def _json(capsys, args) -> object:
    code = main([*args, "--json"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return json.loads(captured.out)


def test_the_listing_holds_every_entry_of_every_kind(capsys):
    listing = _json(capsys, ["catalog"])
    catalog = load_catalog()
    assert [row["id"] for row in listing["modules"]] == list(catalog.modules)
    assert [row["id"] for row in listing["vehicles"]] == list(catalog.vehicles)
    assert [row["id"] for row in listing["sites"]] == list(catalog.sites)
    assert [row["id"] for row in listing["profiles"]] == list(PROFILES)


def test_a_module_shows_its_ports_and_what_they_mate_with(capsys):
    unity = _json(capsys, ["catalog", "Unity"])
    assert unity["kind"] == "module" and unity["mass_kg"] == 11612.0
    ports = {port["port"]: port for port in unity["ports"]}
    assert set(ports) == {"forward", "aft", "port", "starboard", "zenith", "nadir"}
    assert ports["nadir"]["mechanism"] == "CBM-active"
    assert ports["nadir"]["mates_with"] == "CBM-passive"
    assert ports["nadir"]["kind"] == "berthing"


def test_a_vehicle_site_and_profile_show(capsys):
    dragon = _json(capsys, ["catalog", "crew-dragon"])
    assert dragon["propellant_mass_kg"] == 2560.0 and dragon["mates_with"] == ["IDSS"]
    site = _json(capsys, ["catalog", "ksc-lc-39a"])
    assert abs(site["latitude_deg"] - 28.608250) < 1e-9  # the YAML's degrees, back
    profile = _json(capsys, ["catalog", "soyuz-two-day"])
    assert profile["kind"] == "profile"


def test_tables_print_for_people(capsys):
    assert main(["catalog", "unity"]) == 0
    out = capsys.readouterr().out
    assert "CBM-active" in out and "ports" in out


def test_an_unknown_id_exits_2_with_suggestions(capsys):
    assert main(["catalog", "soyuz-mss"]) == 2
    err = capsys.readouterr().err
    assert "'soyuz-ms'" in err and len(err.strip().splitlines()) == 1


def test_a_program_adds_its_own_hardware(capsys, tmp_path):
    (tmp_path / "hab.yaml").write_text(
        "name: hab\nspan: {start_utc: 2030-01-01, end_utc: 2030-01-02}\n"
        "vehicles:\n  dream-chaser: {extends: cygnus, display_name: Dream Chaser, "
        "source: a test}\n")
    entry = _json(capsys, ["catalog", "dream-chaser", "--program", str(tmp_path / "hab.yaml")])
    assert entry["display_name"] == "Dream Chaser" and entry["mechanisms"] == ["CBM-passive"]
