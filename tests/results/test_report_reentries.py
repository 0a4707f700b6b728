"""The run report lists re-entries with how well each is known."""

from __future__ import annotations

from stationsim.results.report import write_report
from stationsim.results.store import write_store


def test_report_lists_reentries_with_their_spread(tmp_path):
    detail = "decay under drag; place known only as the latitude band 65.1 S to 65.1 N"
    store = write_store(tmp_path / "results.duckdb", {"events": {
        "t_utc": ["1958-03-20T08:36:18.000Z", "2001-03-23T05:49:30.000Z"],
        "kind": ["reentry", "reentry"],
        "flight": ["Sputnik 1", None],
        "station": [None, "mir"],
        "detail": [detail, "the station's orbit decayed"],
        "lat_deg": [None, -25.9],
        "lon_deg": [None, -176.2],
    }})
    page = write_report(store, tmp_path / "report.html").read_text()
    table = page[page.index("<h2>Re-entries</h2>"):]
    assert "<td>Sputnik 1</td>" in table and "latitude band 65.1 S to 65.1 N" in table
    assert "<td>mir</td><td>-25.90</td><td>-176.20</td>" in table
    assert "plotly-gz" not in page  # no plot, so no plotly.js: a few kilobytes
