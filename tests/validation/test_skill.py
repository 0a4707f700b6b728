"""The naive rival, the skill arithmetic, the report's tables and its JSON."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from stationsim.results.store import write_store
from stationsim.scenario import load_program
from stationsim.validation.compare import (
    Entry,
    Tolerance,
    compare_entry,
    compare_store,
    flight_facts,
    load_record,
    posix_s,
)
from stationsim.validation.provenance import (
    ASSUMED_PHASE,
    CALIBRATION,
    INPUT,
    PHASE_ASSUMED_EVENT,
    PREDICTED,
    Provenance,
)
from stationsim.validation.report import ProgramOutcome, render, render_json, write_report
from stationsim.validation.skill import (
    MODULES,
    TRACKED,
    Row,
    rival_errors,
    rows_of,
    skill_table,
    tracked_by_group,
    tracked_skill,
)

RECORD = load_record()
HOUR = Tolerance("one-revolution", 1.5, "h", "one revolution")


def _row(subject: str, record_h: float, simulated_h: float, kind: str = PREDICTED,
         group: str = "g", program: str = "p", age_s: float | None = None) -> Row:
    entry = Entry(program, "launch_to_dock_h", subject, record_h, None, None, HOUR, "test",
                  "high", "")
    comparison = compare_entry(entry, simulated_h)
    return Row(program, comparison, Provenance(kind, "test"), group,
               simulated_h - record_h if group != MODULES else (simulated_h - record_h) / 24.0,
               record_h, age_s)


def _hand_example() -> list[Row]:
    # three flights of one group, recorded 10, 12 and 17 h from launch to docking; the model
    # docks them 1 h late, 2 h early and 0.5 h late
    return [_row("A", 10.0, 11.0), _row("B", 12.0, 10.0), _row("C", 17.0, 17.5)]


def test_the_rival_is_the_leave_one_out_mean_of_the_other_flights():
    # A: (12 + 17) / 2 = 14.5 -> +4.5 h; B: (10 + 17) / 2 = 13.5 -> +1.5 h;
    # C: (10 + 12) / 2 = 11 -> -6 h
    assert rival_errors(_hand_example()) == pytest.approx({0: 4.5, 1: 1.5, 2: -6.0})


def test_the_rival_takes_the_median_so_one_other_plan_does_not_weaken_it():
    # D flew a week-long plan (170 h): A's rival is the median of 12, 17 and 170 h, 17 h
    rows = [*_hand_example(), _row("D", 170.0, 48.0)]
    assert rival_errors(rows)[0] == pytest.approx(17.0 - 10.0)


def test_skill_is_the_models_mean_error_over_the_rivals():
    (group,) = skill_table(_hand_example())
    assert group.n == 3 and group.flights == ("A", "B", "C")
    assert group.model_mean == pytest.approx((1.0 + 2.0 + 0.5) / 3.0)
    assert group.rival_mean == pytest.approx((4.5 + 1.5 + 6.0) / 3.0)
    assert group.skill == pytest.approx(3.5 / 12.0)  # 0.29: the model beats the rival
    assert group.median == pytest.approx(1.0)


def test_a_flight_replayed_twice_is_left_out_of_its_own_rival():
    # A again from a second program: its rival must not see A's own record (still 14.5 h)
    rows = [*_hand_example(), _row("A", 10.0, 12.0, program="q")]
    assert rival_errors(rows)[3] == pytest.approx(4.5)
    (group,) = skill_table(rows)
    assert group.n == 4 and group.flights == ("A", "B", "C")


def test_rows_not_scored_feed_the_rival_but_never_the_score():
    # C as an input row (or from the calibration set) with a huge model error: the rival of
    # A and B still learns from C's record, but C is not scored
    for kind in (INPUT, CALIBRATION, ASSUMED_PHASE):
        rows = [_row("A", 10.0, 11.0), _row("B", 12.0, 10.0), _row("C", 17.0, 99.0, kind)]
        (group,) = skill_table(rows)
        assert group.n == 2 and group.flights == ("A", "B")
        assert group.model_mean == pytest.approx(1.5)
        assert group.rival_mean == pytest.approx(3.0)  # |14.5 - 10| and |13.5 - 12|


def test_a_group_of_one_flight_has_no_rival_and_modules_count_days():
    (alone,) = skill_table([_row("Z", 331.8, 60.0)])
    assert alone.rival_mean is None and alone.skill is None
    (modules,) = skill_table([_row("K", 240.0, 48.0, group=MODULES),
                              _row("S", 288.0, 48.0, group=MODULES)])
    assert modules.unit == "d"
    assert modules.model_mean == pytest.approx((8.0 + 10.0) / 2.0)  # 192 h and 240 h early
    assert modules.rival_mean == pytest.approx(2.0)  # each is 48 h from the other's record


def test_the_tracked_line_keeps_dockings_tracked_within_two_days():
    rows = [_row("A", 10.0, 11.0, age_s=3600.0), _row("B", 12.0, 10.0, age_s=3.0 * 86400.0),
            _row("C", 17.0, 17.5, age_s=2.0 * 86400.0),
            _row("K", 240.0, 48.0, group=MODULES, age_s=0.0)]
    tracked = tracked_skill(rows)
    assert tracked.group == TRACKED and tracked.flights == ("A", "C")
    assert tracked.model_mean == pytest.approx(0.75)
    assert tracked.rival_mean == pytest.approx((4.5 + 6.0) / 2.0)
    assert tracked_skill(rows[1:2]) is None
    (by_group,) = tracked_by_group(rows)
    assert by_group.group == "tracked: g" and by_group.flights == ("A", "C")


def test_a_row_without_a_rival_leaves_the_skill_to_the_rows_with_one():
    # D's launch time is not written (no record launch to docking): scored, but the skill is
    # the model's mean over A, B, C against the rival's over the same rows
    rows = [*_hand_example(), dataclasses.replace(_row("D", 20.0, 24.0), record_dock_h=None)]
    (group,) = skill_table(rows)
    assert group.n == 4 and group.n_rival == 3
    assert group.model_mean == pytest.approx((1.0 + 2.0 + 0.5 + 4.0) / 4.0)
    assert group.skill == pytest.approx(3.5 / 12.0)


def test_an_input_row_never_counts_as_agreement(tmp_path):
    rows = [_row("A", 10.0, 11.0), _row("B", 12.0, 12.0, INPUT), _row("C", 17.0, 30.0)]
    outcome = ProgramOutcome("p", rows)
    assert outcome.count(PREDICTED) == (1, 2) and outcome.count(INPUT) == (1, 1)
    text = render(RECORD, [outcome], [])
    assert "1 of 2 predictions within tolerance." in text
    assert text.index("## Skill against the naive rival") < text.index("## Calibration set") \
        < text.index("## p\n") < text.index("## Inputs") < text.index("### p\n")
    assert "1 of 1 inputs within tolerance (not counted as agreement)." in text


def test_json_holds_the_skill_table_calibration_and_counts(tmp_path):
    outcome = ProgramOutcome("p", _hand_example(), "Run of stationsim in 1 s.")
    out = write_report(tmp_path / "docs" / "validation.md", RECORD, [outcome], [])
    payload = json.loads((tmp_path / "docs" / "validation.json").read_text())
    assert payload == render_json(RECORD, [outcome])
    (group,) = payload["skill"]
    assert set(group) == {"group", "unit", "n", "flights", "model_mean_abs_error",
                          "rival_mean_abs_error", "n_with_rival", "skill", "median_abs_error"}
    assert group["skill"] == pytest.approx(3.5 / 12.0) and group["n"] == 3
    assert payload["tracked_within_2_days"] == []  # no tracking ages in the example
    assert payload["calibration"][0]["flights"] == ["STS-96"]
    assert payload["programs"] == [{
        "program": "p", "predicted": {"within": 2, "compared": 3},  # B: 2 h > 1.5 h
        "input": {"within": 0, "compared": 0}, "calibration": {"within": 0, "compared": 0},
        "assumed_phase": {"within": 0, "compared": 0}, "failure": ""}]
    assert [(r["subject"], r["provenance"], r["error"], r["unit"]) for r in payload["rows"]] \
        == [("A", PREDICTED, 1.0, "h"), ("B", PREDICTED, -2.0, "h"), ("C", PREDICTED, 0.5, "h")]
    assert out.read_text().startswith("# Validation")


def _utc(text: str, hours: float = 0.0) -> str:
    moment = dt.datetime.fromtimestamp(posix_s(text) + hours * 3600.0, dt.UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def test_rows_of_a_run_store_read_tracking_ages_and_assumed_phases(tmp_path):
    # Soyuz TM-21 (launch 1995-03-14T06:11:34Z) docks 0.5 h after its record; Mir was tracked
    # 30 h and 50 h before its launch and once after it; TM-23's phase was assumed.
    tm21, tm23 = "1995-03-14T06:11:34Z", "1996-02-21T12:34:00Z"
    record_dock = "1995-03-16T07:45:26Z"
    store = write_store(tmp_path / "results.duckdb", {
        "flights": {"flight": ["Soyuz TM-21", "Soyuz TM-23"], "station": ["mir", "mir"],
                    "launch_utc": [_utc(tm21), _utc(tm23)],
                    "dock_utc": [_utc(record_dock, 0.5), _utc("1996-02-23T14:21:00Z", 1.0)]},
        "events": {"t_utc": [_utc(tm21, -50.0), _utc(tm21, -30.0), _utc(tm21, 1.0),
                             _utc(tm23, -1.0)],
                   "kind": ["tracking", "tracking", "tracking", PHASE_ASSUMED_EVENT],
                   "flight": [None, None, None, "Soyuz TM-23"],
                   "station": ["mir", "mir", "mir", "mir"]}})
    facts = flight_facts(store)
    assert facts.assumed_phase == {"Soyuz TM-23"}
    assert facts.tracking_age_s == pytest.approx({  # TM-23: the set an hour after TM-21
        "Soyuz TM-21": 30.0 * 3600.0, "Soyuz TM-23": posix_s(tm23) - posix_s(tm21) - 3600.0})
    rows = {(r.subject, r.comparison.entry.quantity): r for r in rows_of(
        "shuttle-mir", load_program("shuttle-mir"), compare_store("shuttle-mir", store, RECORD),
        RECORD, facts)}
    tm21_row = rows["Soyuz TM-21", "dock_utc"]
    assert tm21_row.scored and tm21_row.group == "soyuz-two-day"
    assert tm21_row.error == pytest.approx(0.5)
    # the record's own launch to docking: 2 d 1 h 34 m less the 52 s of launch seconds
    assert tm21_row.record_dock_h == pytest.approx(
        (posix_s(record_dock) - posix_s(tm21)) / 3600.0)
    assert tm21_row.tracking_age_s == pytest.approx(30.0 * 3600.0)
    tm23_row = rows["Soyuz TM-23", "dock_utc"]
    assert tm23_row.provenance.kind == ASSUMED_PHASE and not tm23_row.scored
    assert rows["STS-74", "docking_flight_day"].provenance.kind == INPUT
    assert rows["STS-74", "dock_utc"].group == "shuttle, flight day 4"
    text = render(RECORD, [ProgramOutcome("shuttle-mir", list(rows.values()))], [])
    assert "### Assumed phase: not scored" in text


@pytest.mark.parametrize(("program", "subject", "group"), [
    ("shuttle-mir", "STS-74", "shuttle, flight day 4"),  # docking_flight_day: 4
    ("shuttle-mir", "Progress M-37", "soyuz-two-day"),  # with the Soyuz TM: same profile
    # docked on its written retry day after two aborts: its rival must know the day too
    ("shuttle-mir", "Progress M-24", "soyuz-two-day, retried on flight day 9"),
    ("shuttle-mir", "Spektr", MODULES),  # a module flying itself
    ("iss-assembly", "Zvezda", MODULES),
    ("iss-commercial-crew", "Demo-2", "crew-dragon"),  # a profile of its own
    ("iss-commercial-crew", "OFT-2", "starliner"),
    ("astp", "Apollo (ASTP)", "apollo, flight day 3"),
])
def test_groups_are_decided_from_the_program(program, subject, group):
    entry = next(e for e in RECORD.programs[program]
                 if e.subject == subject and e.quantity in ("dock_utc", "launch_to_dock_h"))
    (row,) = rows_of(program, load_program(program), [compare_entry(entry, None)], RECORD)
    assert row.group == group and row.error is None and not row.scored


def test_an_untracked_docking_that_misses_says_how_old_the_stations_tracking_was(tmp_path):
    # Soyuz TM-21 docks 3 h late; Mir was last tracked 10 days before its launch: the row says
    # so. Within its tolerance the same row says nothing; tracked the day before, a miss needs
    # the record's own note.
    tm21 = "1995-03-14T06:11:34Z"

    def row_with(dock_hours_late: float, tracked_hours_before: float):
        store = write_store(tmp_path / f"{dock_hours_late}-{tracked_hours_before}.duckdb", {
            "flights": {"flight": ["Soyuz TM-21"], "station": ["mir"],
                        "launch_utc": [_utc(tm21)],
                        "dock_utc": [_utc("1995-03-16T07:45:26Z", dock_hours_late)]},
            "events": {"t_utc": [_utc(tm21, -tracked_hours_before)], "kind": ["tracking"],
                       "flight": [None], "station": ["mir"]}})
        rows = rows_of("shuttle-mir", load_program("shuttle-mir"),
                       compare_store("shuttle-mir", store, RECORD), RECORD, flight_facts(store))
        return next(r for r in rows if r.subject == "Soyuz TM-21"
                    and r.comparison.entry.quantity == "dock_utc")

    late = row_with(3.0, 240.0)
    assert late.comparison.within is False and late.untracked
    assert late.why_missed.startswith("the station was last tracked 10 d before launch")
    assert row_with(0.5, 240.0).why_missed == ""
    tracked = row_with(3.0, 24.0)
    assert not tracked.untracked and tracked.why_missed == tracked.comparison.entry.note
