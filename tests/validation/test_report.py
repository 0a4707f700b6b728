"""The validation report, the stations as built and the CLI command."""

from __future__ import annotations

import json

import pytest

from stationsim.cli import main
from stationsim.hardware.catalog import load_catalog
from stationsim.scenario import load_program
from stationsim.validation.as_built import as_built, assembled_station
from stationsim.validation.compare import compare_entry, load_record, posix_s
from stationsim.validation.report import ProgramOutcome, render, write_report
from stationsim.validation.skill import rows_of

RECORD = load_record()
# mir_modules.csv: the seven modules of the complete Mir; iss_modules.csv with the three PMAs
MIR_MODULES = {"mir-core", "kvant-1", "kvant-2", "kristall", "spektr", "mir-docking-module",
               "priroda"}
ISS_PRESSURISED = {"zarya", "unity", "zvezda", "destiny", "quest", "pirs", "harmony", "columbus",
                   "kibo-jem-elm-ps", "kibo-jem-pm", "poisk", "tranquility", "cupola", "rassvet",
                   "leonardo-pmm"}


def test_mir_as_built_is_the_sum_of_its_catalog_modules():
    # Independent sum over the catalog entries of mir_modules.csv's seven modules.
    catalog = load_catalog()
    station = assembled_station(load_program("mir"))
    assert set(station.modules()) == MIR_MODULES
    assert station.mass_kg() == pytest.approx(sum(catalog.module(m).mass_kg for m in MIR_MODULES))
    assert station.pressurized_volume_m3() == pytest.approx(
        sum(catalog.module(m).pressurized_volume_m3 for m in MIR_MODULES))


def test_iss_as_built_holds_every_pressurised_module_and_seats_six():
    spec = next(s for s in RECORD.as_built if s["station"] == "ISS")
    iss = as_built("ISS", load_program(spec["program"]), spec["lifeboats"],
                   spec["lifeboats_source"])
    assert ISS_PRESSURISED <= set(iss.modules)
    assert iss.crew_seats == 6  # two Soyuz TMA of three seats (RSC Energia)
    assert iss.habitable_volume_m3 <= iss.pressurized_volume_m3


def _outcome():
    # a port the program writes (an input) that misses its record, and a docking (predicted)
    # that misses its own
    entries = {(e.quantity, e.subject): e for e in RECORD.programs["shuttle-mir"]}
    port = compare_entry(entries["port", "Soyuz TM-25"], "kvant-1.aft")
    docking = entries["dock_utc", "Soyuz TM-26"]
    late = compare_entry(docking, posix_s(docking.value) + 6000.0)  # 1.67 h > 1.5 h
    program = load_program("shuttle-mir")
    return ProgramOutcome("shuttle-mir", rows_of("shuttle-mir", program, [port, late], RECORD),
                          "Run of stationsim in 1 s.")


def test_report_is_written_atomically_with_tables_notes_and_the_lifetime_study(tmp_path):
    lifetime = tmp_path / "lifetime.md"
    lifetime.write_text("# Decay and lifetime\n\n## Sputnik 1\n\ntext\n")
    out = write_report(tmp_path / "validation.md", RECORD,
                       [_outcome(), ProgramOutcome("mir", failure="no run folder")],
                       [], lifetime)
    text = out.read_text()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["lifetime.md", "validation.json",
                                                          "validation.md"]
    assert "## Tolerances" in text and "| shuttle-docking-time | 1.5 h |" in text
    # each miss keeps its note, the predicted one among the predictions, the port among inputs
    predictions = text[text.index("## shuttle-mir"):text.index("## Inputs")]
    assert "0 of 1 predictions within tolerance." in predictions
    assert "**miss**" in predictions and "one revolution late" in predictions
    inputs = text[text.index("## Inputs"):text.index("## Tolerances")]
    assert "**miss**" in inputs and "three weeks after TM-25 arrived" in inputs
    assert "## mir\n\nNot simulated: no run folder." in text
    assert "\n## Decay and lifetime\n" in text and "\n### Sputnik 1\n" in text


def test_as_built_table_gives_the_ratio(tmp_path):
    stations = [as_built(s["station"], load_program(s["program"]), s["lifeboats"],
                         s["lifeboats_source"]) for s in RECORD.as_built]
    text = render(RECORD, [], stations)
    mir, iss = stations
    ratio = iss.pressurized_volume_m3 / mir.pressurized_volume_m3
    assert f"| pressurised volume (m3) | {mir.pressurized_volume_m3:,.1f} | " \
           f"{iss.pressurized_volume_m3:,.1f} | {ratio:.2f} |" in text


def test_validate_history_command_runs_one_program_and_writes_the_report(tmp_path, capsys):
    out = tmp_path / "docs" / "validation.md"
    code = main(["validate-history", "sputnik-1", "--out", str(out.parent), "--runs",
                 str(tmp_path / "runs")])
    assert code == 0
    assert (tmp_path / "runs" / "sputnik-1" / "results.duckdb").is_file()
    text = out.read_text()
    assert "## sputnik-1\n\nRun of stationsim" in text
    assert "Sputnik 1 re-entry by decay (UTC)" in text
    assert "## Mir and the ISS as built" in text
    assert text.index("## Skill against the naive rival") < text.index("## sputnik-1")
    # Sputnik 1's decay from documented inputs, its and its rocket's from their tracking, and
    # Tiangong-1's computed from its element set without a run
    (group,) = json.loads(out.with_suffix(".json").read_text())["skill"]
    assert group["group"] == "re-entries" and group["n"] == 4 and group["skill"] is None
    printed = capsys.readouterr().out
    assert "report:" in printed and "skill against the naive rival" in printed
    assert "re-entries" in printed and "no rival" in printed


def test_unknown_program_exits_2(tmp_path, capsys):
    assert main(["validate-history", "skylab", "--out", str(tmp_path)]) == 2
    assert "no record for skylab" in capsys.readouterr().err


def test_out_names_a_folder_not_a_file(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["validate-history", "skylab", "--out", "docs/validation.md"]) == 2
    assert "expected a folder" in capsys.readouterr().err
    assert not (tmp_path / "docs").exists()


@pytest.mark.parametrize(("content", "failure"), [
    (b"\x00" * 4096, "the results store cannot be read"),
    (b"", "the results store cannot be read"),
    (None, "a run of 'example-small', not of 'sputnik-1'; run 'stationsim validate-history "
           "sputnik-1' to replace it"),
])
def test_a_damaged_or_foreign_run_folder_is_a_failure_of_its_program(tmp_path, content,
                                                                     failure):
    # a damaged store under --runs made validate-history stop with an internal error (exit 1)
    from stationsim.results.store import write_store
    from stationsim.validation.history import program_outcome

    store = tmp_path / "sputnik-1" / "results.duckdb"
    store.parent.mkdir()
    if content is None:
        write_store(store, {"runs": {"program": ["example-small"]}})
    else:
        store.write_bytes(content)
    outcome = program_outcome("sputnik-1", store)
    assert outcome.failure.startswith(f"{store}: ") and failure in outcome.failure
    assert outcome.rows  # the quantities that need no run are compared all the same
