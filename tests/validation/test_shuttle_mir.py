"""The bundled Shuttle-Mir program against the record, run once (about 30 s on one core)."""

from __future__ import annotations

from stationsim.program.engine import simulate
from stationsim.results.store import write_store
from stationsim.results.tables import result_tables
from stationsim.scenario import load_program
from stationsim.validation.compare import compare_store, load_record


def test_shuttle_mir_meets_the_record_except_its_documented_misses(tmp_path):
    # Every record entry of shuttle-mir (record.yaml: docking times, flight days, launch to
    # docking, ports, undocking and landing times, NASA crew-days, Mir's mass, volume and
    # altitude band) must be within the tolerance written beside it, and exactly the entries
    # whose note explains a miss must miss (a fixed miss fails here until its note is removed).
    result = simulate(load_program("shuttle-mir"))
    store = write_store(tmp_path / "results.duckdb", result_tables(result, {"program": "x"}))
    comparisons = compare_store("shuttle-mir", store, load_record())
    assert len(comparisons) == len(load_record().programs["shuttle-mir"])
    not_simulated = [c.entry.label for c in comparisons if c.simulated is None]
    assert not not_simulated
    missed = {c.entry.label for c in comparisons if not c.within}
    explained = {c.entry.label for c in comparisons if c.entry.note}
    assert missed == explained, {
        "unexplained misses": sorted(missed - explained),
        "explained but now within": sorted(explained - missed),
    }
