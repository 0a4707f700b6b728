"""bench/all.py writes every section of docs/performance.md from one run's results, and keeps
the page's hand-written part as it is (canned results: no bench runs here)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("bench_all", ROOT / "bench" / "all.py")
bench_all = importlib.util.module_from_spec(_spec)
sys.modules["bench_all"] = bench_all  # its dataclass looks its module up
_spec.loader.exec_module(bench_all)

# each bench's RESULT line as the bench prints it (keys of bench/*.py), made-up figures
CANNED = {
    "propagate.py": {"scipy_over_ours": 302.0, "single_over_heyoka": 1.06,
                     "single_over_heyoka_cpu": 1.07, "batch_over_heyoka": 1.50,
                     "batch_over_heyoka_cpu": 1.48},
    "tle.py": {"tle_over_satrecarray": 1.58, "frame_error_m": 0.021},
    "run.py": {"shuttle-mir": {"first_s": 6.9, "first_cpu_s": 7.0, "warm_s": 5.5,
                               "warm_cpu_s": 5.6, "rss_mib": 311.0, "load": [1.2, 1.3]}},
    "run_phases.py": {"program": "shuttle-mir", "load": [2.3, 3.1], "phases": {"now": {
        "imports": [1.1, 1.12], "simulate": [2.5, 2.41], "total": [4.9, 4.38]}}},
    "profile_run.py": {},
    "export.py": {"program": "shuttle-mir", "czml": {"wall_s": 19.5, "cpu_s": 8.6,
                                                    "size_mb": 14.6, "files": 1}},
    "campaign.py": {"campaign_s": 3.3, "campaign_cpu_s": 2.95, "campaign_process_s": 5.5,
                    "campaign_dask2_s": 16.3, "samples": 10_000},
    "program_campaign.py": {"program": "shuttle-mir", "program_ratio": 1.95,
                            "program_samples_per_s_2": 0.747, "program_sample_cpu_s": 2.15},
    "rendezvous.py": {},
    "lambert.py": {"lambert_batch_1_thread_over_lamberthub": 21.3},
    "kepler.py": {},
    "geodetic.py": {},
}
NOTES = [bench_all.NOTES_BEGIN, "## What the figures rest on", "", "- Kernels are cached.",
         "", "### A subsection", "kept *as written*", bench_all.NOTES_END]


def canned_results() -> dict:
    return {bench.script: {"output": f"printed by {bench.script}", "took_s": 12.0,
                           "load": [2.0, 1.8], "revision": "abc1234", "arguments": [],
                           "result": CANNED[bench.script]}
            for bench in bench_all.BENCHES}


def page(results: dict, quick: bool = False) -> str:
    return bench_all.page_text(results, NOTES, dt.datetime(2026, 12, 7, 23, 0, tzinfo=dt.UTC),
                               900.0, quick)


def test_every_bench_has_a_canned_result():
    assert {bench.script for bench in bench_all.BENCHES} == set(CANNED)


def test_the_page_has_every_section_and_every_target_from_one_run():
    text = page(canned_results())
    headings = [line for line in text.splitlines() if line.startswith("## ")]
    assert headings == ["## The targets", "## What the figures rest on",
                        *(f"## {bench.title}" for bench in bench_all.BENCHES)]
    for bench in bench_all.BENCHES:
        assert f"printed by {bench.script}" in text
        assert f"`bench/{bench.script}` at `abc1234`: 12 s, load 2.0 before and 1.8 after" in text
    rows = [line for line in text.splitlines() if line.startswith("| ") and "---" not in line]
    assert len(rows) == 1 + len(bench_all.TARGETS)
    assert not any("not measured" in row or "not run" in row for row in rows)
    assert all(row.endswith("| 2.0-1.8 | `abc1234` |") for row in rows[1:])
    # both ratios of the propagation rows, labelled
    assert "1.48 in CPU time, 1.50 in wall time" in text
    assert "1.07 in CPU time, 1.06 in wall time" in text
    assert "\n".join(NOTES) in text
    assert "quick check" not in text


def test_a_failed_bench_leaves_its_targets_unmeasured_not_stale():
    results = canned_results()
    results["tle.py"]["result"] = {}
    text = page(results)
    assert text.count("not measured: see `bench/tle.py` below") == 2
    assert "quick check" in page(canned_results(), quick=True)


def test_the_hand_written_part_is_read_between_its_marks(tmp_path):
    written = tmp_path / "performance.md"
    written.write_text(page(canned_results()), encoding="utf-8")
    assert bench_all.kept_notes(written) == NOTES
    assert bench_all.kept_notes(tmp_path / "none.md") == []
    written.write_text("# Performance\n\n## What the figures rest on\n", encoding="utf-8")
    with pytest.raises(bench_all.PageError, match="no hand-written part"):
        bench_all.kept_notes(written)


def test_the_committed_page_has_its_hand_written_part_marked():
    notes = bench_all.kept_notes(bench_all.PAGE)
    assert notes[1] == "## What the figures rest on"
