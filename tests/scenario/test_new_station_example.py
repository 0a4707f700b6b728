"""The commercial-station walk-through of docs/programs.md validates and runs as printed."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.hardware import load_catalog
from stationsim.scenario import load_path

DOCS = Path(__file__).parents[2] / "docs" / "programs.md"


@pytest.fixture(scope="module")
def beacon_path(tmp_path_factory):
    blocks = re.findall(r"```yaml\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.DOTALL)
    (text,) = [block for block in blocks if block.startswith("# Beacon")]
    path = tmp_path_factory.mktemp("beacon") / "beacon.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def result(beacon_path):
    from stationsim.program.engine import simulate

    return simulate(load_path(beacon_path))


def test_the_example_defines_its_own_module_vehicle_and_site(beacon_path):
    program = load_path(beacon_path)
    bundled = load_catalog()
    for kind, name in (("module", "beacon-core"), ("module", "beacon-hab"),
                       ("vehicle", "lark"), ("site", "ccsfs-slc-37b")):
        assert name not in getattr(bundled, f"{kind}s")
        assert getattr(program.catalog, kind)(name).source
    hab = program.catalog.module("beacon-hab")
    assert hab.ports == bundled.module("harmony").ports  # extends: harmony
    assert hab.mass_kg == 15000.0


def test_the_habitat_is_berthed_and_the_crew_docks(result):
    records = {record.flight: record for record in result.flights}
    assert records["Habitat"].outcome == "joined"
    lark = records["Lark-1"]
    assert lark.outcome == "landed" and lark.port == "beacon-core.forward"
    # aboard from docking to undocking: the crew-dragon profile docks within a day or two
    docked_days = (lark.dock_s - lark.launch_s) / DAY_S
    assert 0.0 < docked_days < 2.0
    # stay_days counts from the written launch (docs/programs.md, Flights)
    written_launch_s = Epoch.from_utc_iso("2031-03-20T15:00:00Z").tt_s
    assert lark.undock_s == pytest.approx(written_launch_s + 30 * DAY_S, abs=1.0)


def test_the_station_weighs_its_two_modules_at_the_end(result, beacon_path):
    catalog = load_path(beacon_path).catalog
    graph = result.stations["beacon"].graph
    # the capsule has left: only the two modules of the file remain
    assert sorted(graph.modules()) == ["beacon-core", "beacon-hab"]
    assert graph.mass_kg() == pytest.approx(catalog.module("beacon-core").mass_kg
                                            + catalog.module("beacon-hab").mass_kg)
    assert graph.pressurized_volume_m3() == pytest.approx(110 + 75.5)  # core + Harmony shell
    assert graph.stowage_m3() == pytest.approx(20 + 15)
