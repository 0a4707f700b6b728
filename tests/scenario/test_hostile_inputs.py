"""Hostile program files: refused quickly, with bounded memory and a located message, before
``run`` spends anything on them; and what validates is what ``run`` can do."""

from __future__ import annotations

import time
import tracemalloc
from pathlib import Path

import pytest

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.cli import main
from stationsim.cli.app import MAX_SEED as CLI_MAX_SEED
from stationsim.errors import ProgramError
from stationsim.scenario import bundled_names, load_bytes, load_path, load_program
from stationsim.scenario.checks import MAX_SEED, NAME_PATTERN, space_weather_limits
from stationsim.scenario.loader import MAX_ALIAS_NODES, MAX_FILE_BYTES

BROKEN = Path(__file__).parent / "broken"


def _refusal(name: str) -> tuple[list[str], float, int]:
    """The messages for ``broken/<name>.yaml``, the seconds and the peak bytes it took."""
    data = (BROKEN / f"{name}.yaml").read_bytes()
    tracemalloc.start()
    clock = time.perf_counter()
    try:
        with pytest.raises(ProgramError) as caught:
            load_bytes(data, f"{name}.yaml")
        seconds = time.perf_counter() - clock
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return caught.value.errors, seconds, peak


# --- what YAML may cost -----------------------------------------------------------------------
def test_yaml_alias_bomb_refused():
    # nine levels of nine: 490 million nodes once expanded (10, 91, 820, ... per level); refused
    errors, seconds, peak = _refusal("yaml-alias-bomb")
    assert errors == ["yaml-alias-bomb.yaml:7:10: x-f[0]: aliases expand too far (expected at "
                      f"most {MAX_ALIAS_NODES:,} nodes from aliases, got more)"]
    assert seconds < 10.0 and peak < 50 * 2**20


def test_yaml_recursive_alias_refused():
    errors, seconds, _ = _refusal("yaml-recursive-alias")
    assert "an alias inside its own anchor" in errors[0] and seconds < 10.0


def test_yaml_deep_nesting_refused_at_its_line():
    errors, _, _ = _refusal("yaml-too-deep")
    assert errors[0].startswith("yaml-too-deep.yaml:2:40: x-deep[0]")
    assert errors[0].endswith("nested too deeply (expected at most 32 levels of mappings and "
                              "lists)")


def test_yaml_deep_nesting_far_past_the_recursion_limit_is_refused():
    text = "name: x\nx: " + "[" * 50_000 + "]" * 50_000 + "\n"
    with pytest.raises(ProgramError, match="nested too deeply"):
        load_bytes(text.encode(), "deep.yaml")


def test_yaml_number_too_long_refused():
    errors, _, _ = _refusal("yaml-number-too-long")
    assert errors == ["yaml-number-too-long.yaml:2:7: seed: number too long (expected at most "
                      "32 characters, got 5000)"]


def test_oversized_file_refused_without_reading_it_all(tmp_path):
    path = tmp_path / "huge.yaml"
    with path.open("wb") as handle:
        handle.write(b"name: huge\nx-pad: '")
        handle.seek(64 * MAX_FILE_BYTES)  # sparse: 64 MiB on paper, nothing on disk
        handle.write(b"'\n")
    tracemalloc.start()
    try:
        with pytest.raises(ProgramError) as caught:
            load_path(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert caught.value.errors == [f"{path}:1:1: program: too large (expected at most 1 MiB of "
                                   "YAML, got more)"]
    assert peak < 4 * MAX_FILE_BYTES


def test_named_pipe_as_program_or_catalog_refused_without_waiting(tmp_path):
    # a catalog file that was a named pipe made validate wait for a writer forever
    import os

    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    with pytest.raises(ProgramError, match="pipe.yaml:1:1: program: cannot read the file "
                                           r"\(not a regular file\)"):
        load_path(pipe)
    text = (BROKEN / "name-absolute-path.yaml").read_text(encoding="utf-8")
    program = tmp_path / "p.yaml"
    program.write_text(text.replace("name: /tmp/ESCAPED", "name: p") + "catalogs: [pipe.yaml]\n")
    with pytest.raises(ProgramError, match=r"catalogs\[0\]: cannot read the catalog file "
                                           r".*pipe.yaml' \(not a regular file\)"):
        load_path(program)


def test_anchors_within_the_caps_still_load():
    text = (BROKEN / "yaml-alias-bomb.yaml").read_text(encoding="utf-8")
    head, _, rest = text.partition("x-c:")
    program = load_bytes((head + rest.partition("\nx-i:")[2].partition("\n")[2]).encode(),
                         "anchors.yaml")
    assert program.name == "broken-base"


# --- the name decides where run writes --------------------------------------------------------
def test_name_cannot_escape_runs_folder(tmp_path, monkeypatch, capsys):
    work = tmp_path / "a" / "b" / "c"
    work.mkdir(parents=True)
    monkeypatch.chdir(work)
    program = work / "escape.yaml"
    program.write_bytes((BROKEN / "name-escapes-runs-folder.yaml").read_bytes())
    assert main(["validate", str(program)]) == 2
    assert main(["run", str(program)]) == 2
    err = capsys.readouterr().err.replace("\n", "")
    assert f"{program}:1:7: name: not a plain name" in err and "Traceback" not in err
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["a", "b", "c", "escape.yaml"]


def test_absolute_name_refused():
    errors, _, _ = _refusal("name-absolute-path")
    assert errors[0].startswith("name-absolute-path.yaml:1:7: name: not a plain name")


@pytest.mark.parametrize("name", ["..", ".hidden", "a/b", "a\\b", "", "CON", "nul.txt", "x" * 65,
                                  "tab\there", "run:1"])
def test_names_that_are_not_plain_file_names_refused(name):
    text = (BROKEN / "name-absolute-path.yaml").read_text(encoding="utf-8")
    text = text.replace("name: /tmp/ESCAPED", f"name: {name!r}".replace("\\\\", "\\"))
    with pytest.raises(ProgramError, match=r":1:\d+: name: "):
        load_bytes(text.encode(), "p.yaml")


def test_bundled_program_names_are_plain_and_their_own():
    for name in bundled_names():
        assert NAME_PATTERN.fullmatch(name)
    assert load_program("example-small").name == "example-small"


def test_run_folder_refuses_a_name_altered_after_loading():
    from stationsim.cli.run import default_folder

    assert default_folder("example-small") == Path("runs") / "example-small"
    with pytest.raises(ValueError, match="cannot name a run folder"):
        default_folder("../../ESCAPED")


# --- accepted by validate, failing in run -----------------------------------------------------
def test_seed_beyond_64_bits_refused():
    errors, _, _ = _refusal("seed-beyond-64-bits")
    assert errors == ["seed-beyond-64-bits.yaml:2:7: seed: out of range (expected <= "
                      "9223372036854775807, a 64-bit integer, got 9223372036854775808)"]
    assert MAX_SEED == CLI_MAX_SEED == 2**63 - 1


def test_seed_option_beyond_64_bits_refused(capsys):
    assert main(["run", "example-small", "--seed", str(2**63)]) == 2
    assert "--seed" in capsys.readouterr().err


def test_span_outside_space_weather_refused():
    errors, seconds, _ = _refusal("span-beyond-space-weather")
    assert errors == ["span-beyond-space-weather.yaml:2:50: span.end_utc: outside the bundled "
                      "space weather (expected 1957-10-04 to 2041-09-29, 3 days inside the "
                      "bundled space weather, 1957-10-01 to 2041-10-01, got 2050-01-01T00:00:00Z)"]
    assert seconds < 10.0


def test_span_at_the_space_weather_edges_has_its_density(tmp_path, monkeypatch):
    # the engine's station density table runs from a day before the span to a day after it
    # (program/station.py); at the accepted edges it builds, a day further out it cannot
    from stationsim.errors import SpaceWeatherError
    from stationsim.program.density import station_density_table

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    first, last, _ = space_weather_limits()
    inclination_rad = 0.9
    station_density_table(Epoch(first.tt_s - DAY_S), Epoch(first.tt_s + DAY_S), inclination_rad)
    station_density_table(Epoch(last.tt_s - DAY_S), Epoch(last.tt_s + DAY_S), inclination_rad)
    with pytest.raises(SpaceWeatherError):
        station_density_table(Epoch(first.tt_s - 2 * DAY_S), Epoch(first.tt_s), inclination_rad)


def test_hyperbolic_tracking_state_refused():
    # escape speed at 6770 km: sqrt(2 GM / r) = 10.851 km/s
    errors, _, _ = _refusal("tracking-state-hyperbolic")
    assert errors == ["tracking-state-hyperbolic.yaml:34:13: tracking[0].v_kmps: not a closed "
                      "orbit (expected a speed below the escape speed 10.851 km/s at that "
                      "distance, got 12.000 km/s)"]


def test_apogee_beyond_the_models_refused():
    errors, _, _ = _refusal("apogee-above-the-models")
    assert errors[0].startswith("apogee-above-the-models.yaml:8:18: stations[0].orbit."
                                "apogee_km: apogee too high for the orbit models")
    errors, _, _ = _refusal("apogee-beyond-the-models")  # 1e9 km: the lunar keys are named
    assert "reaches the Moon's distance" in errors[0] and "third_bodies" in errors[0]


def test_yaml_tags_beyond_plain_refused():
    # an !!omap with a repeated key failed inside ruamel.yaml (an AssertionError, reported as
    # "cannot be read" at 1:1); no program needs a tag, so any but the plain ones is refused
    errors, _, _ = _refusal("yaml-omap-tag")
    assert errors == ["yaml-omap-tag.yaml:2:10: x-order: tag '!!omap' not allowed (expected "
                      "plain YAML: mappings, lists, text, numbers, true/false and null)"]
    for tagged in ("!!python/object/apply:os.system [echo]", "!!binary aGk=", "!custom {a: 1}"):
        with pytest.raises(ProgramError, match=r"p\.yaml:2:\d+: x-t: tag '!"):
            load_bytes(f"name: t\nx-t: {tagged}\n".encode(), "p.yaml")


def test_campaign_flight_must_exist_and_meet_a_station():
    errors, _, _ = _refusal("campaign-unknown-flight")
    assert errors == ["campaign-unknown-flight.yaml:31:20: campaign.flight: unknown flight "
                      "(expected one of Soyuz TM-23, got 'Soyuz TM-32'); did you mean "
                      "'Soyuz TM-23'?"]
    from stationsim.scenario import program_path

    free = program_path("sputnik-1").read_text(encoding="utf-8")
    flight = load_program("sputnik-1").flights[0].id
    with pytest.raises(ProgramError, match=f"campaign.flight: '{flight}' meets no station"):
        load_bytes(f"{free}campaign: {{flight: {flight}, samples: 5}}\n".encode(), "s.yaml")


def test_key_with_a_newline_keeps_its_message_on_one_line():
    text = "name: t\nspan: {start_utc: 1995-01-01T00:00:00Z, end_utc: 1995-02-01T00:00:00Z}\n"
    with pytest.raises(ProgramError) as caught:
        load_bytes((text + '"se\\ned": 1\n').encode(), "k.yaml")
    assert caught.value.errors[0].startswith("k.yaml:3:1: ['se\\ned']: unknown field")
    assert all("\n" not in message for message in caught.value.errors)


def test_redefined_anchor_prints_no_warning(capfd):
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a warning would raise here
        with pytest.raises(ProgramError, match="span: required field is missing"):
            load_bytes(b"name: t\nx-a: &a 1\nx-b: &a 2\n", "a.yaml")
    assert capfd.readouterr().err == ""
