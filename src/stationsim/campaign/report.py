"""Campaign outputs besides the samples: the DuckDB summary store and the HTML report.

The store holds one table, ``campaign_summary`` (one row per campaign), written like
:mod:`stationsim.results.store`: built in a temporary file beside the target and moved over it
with ``os.replace`` when complete. The report is one self-contained HTML file (plotly.js
inlined once, the figures written as plotly.js data): the success rate with its 95 % Wilson
interval, the outcome counts and histograms (counted here) of the docked samples' delta-v,
propellant margin, docking time and aim-point miss.
"""

from __future__ import annotations

import html
import math
import os
from pathlib import Path
from typing import Any

import numpy as np

from stationsim.results.atomic import replacing, write_text_atomic
from stationsim.results.report import figure_json, plotly_file

SUMMARY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("program", "VARCHAR"),
    ("flight", "VARCHAR"),
    ("vehicle", "VARCHAR"),
    ("profile", "VARCHAR"),
    ("launch_utc", "TIMESTAMP"),
    ("planned_docking_utc", "TIMESTAMP"),
    ("planned_dv_mps", "DOUBLE"),
    ("seed", "BIGINT"),
    ("samples", "BIGINT"),
    ("vary", "VARCHAR"),
    ("docked", "BIGINT"),
    ("success_rate", "DOUBLE"),
    ("success_low", "DOUBLE"),
    ("success_high", "DOUBLE"),
    ("dv_mps_p50", "DOUBLE"),
    ("dv_mps_p99", "DOUBLE"),
    ("propellant_margin_kg_p01", "DOUBLE"),
    ("docking_after_launch_s_p50", "DOUBLE"),
)


def write_summary_store(path: str | os.PathLike, summary: dict) -> Path:
    """Write ``campaign_summary`` (one row from ``summary``) to a DuckDB file, atomically."""
    import duckdb

    with replacing(path) as temporary:
        con = duckdb.connect(str(temporary))
        try:
            declared = ", ".join(f"{name} {sql_type}" for name, sql_type in SUMMARY_COLUMNS)
            con.execute(f"CREATE TABLE campaign_summary ({declared})")
            values = [_sql_value(summary.get(name), sql_type) for name, sql_type in SUMMARY_COLUMNS]
            con.execute(f"INSERT INTO campaign_summary VALUES ({', '.join('?' * len(values))})",
                        values)
            con.execute("CHECKPOINT")
        finally:
            con.close()
    return Path(path)


def _sql_value(value, sql_type: str):
    if value is None:
        return None
    if sql_type == "TIMESTAMP":
        return str(value).rstrip("Z")
    if sql_type == "DOUBLE":
        return None if not math.isfinite(float(value)) else float(value)
    return value


HISTOGRAM_BINS = 50  # bars a histogram is drawn with (counted here: no samples in the page)
_HISTOGRAMS = (
    ("dv_mps", "delta-v (m/s)", 1.0),
    ("propellant_margin_kg", "propellant margin (kg)", 1.0),
    ("docking_after_launch_s", "docking after launch (h)", 1.0 / 3600.0),
    ("aim_miss_m", "miss at the aim point (m)", 1.0),
)


def write_report(path: str | os.PathLike, samples: dict, summary: dict) -> Path:
    """Write the campaign's self-contained HTML report; returns its path."""
    docked = np.asarray(samples["docked"], dtype=bool)
    high, low, rate = summary["success_high"], summary["success_low"], summary["success_rate"]
    figures: list[tuple[list[dict[str, Any]], dict[str, Any]]] = [(
        [{"type": "bar", "x": [rate], "y": ["docked"], "orientation": "h",
          "error_x": {"type": "data", "symmetric": False, "array": [high - rate],
                      "arrayminus": [rate - low]}}],
        {"title": {"text": "success rate with its 95 % Wilson interval"},
         "xaxis": {"range": [0, 1]}, "height": 200, "margin": {"t": 50}})]
    for name, label, scale in _HISTOGRAMS:
        values = np.asarray(samples[name], dtype=float)[docked] * scale
        counts, edges = np.histogram(values[np.isfinite(values)], bins=HISTOGRAM_BINS)
        figures.append((
            [{"type": "bar", "x": (0.5 * (edges[1:] + edges[:-1])).tolist(),
              "y": counts.tolist(), "width": float(edges[1] - edges[0])}],
            {"title": {"text": f"{label}, docked samples"}, "xaxis": {"title": {"text": label}},
             "yaxis": {"title": {"text": "samples"}}, "height": 360, "margin": {"t": 50},
             "bargap": 0}))
    plots = "".join(
        f"<div id='figure-{k}'></div><script>Plotly.newPlot('figure-{k}', "
        f"{figure_json(data)}, {figure_json(layout)})</script>"
        for k, (data, layout) in enumerate(figures))
    rows = "".join(f"<tr><td>{html.escape(str(k))}</td><td>{v}</td></tr>"
                   for k, v in summary["outcomes"].items())
    facts = "".join(
        f"<tr><th>{html.escape(label)}</th><td>{html.escape(str(summary.get(key, '')))}</td></tr>"
        for key, label in (("program", "program"), ("flight", "flight"), ("vehicle", "vehicle"),
                           ("profile", "profile"), ("launch_utc", "launch (UTC)"),
                           ("planned_docking_utc", "planned docking (UTC)"), ("seed", "seed"),
                           ("samples", "samples"), ("vary", "dispersions")))
    document = (
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        f"<title>campaign {html.escape(str(summary.get('flight')))}</title>"
        "<style>body{font-family:sans-serif;max-width:60em;margin:2em auto}"
        "td,th{padding:2px 8px;text-align:left}</style></head><body>"
        f"<h1>Monte Carlo campaign: {html.escape(str(summary.get('flight')))}</h1>"
        f"<table>{facts}</table>"
        f"<p><b>{summary['docked']} of {summary['samples']} docked</b>: success rate "
        f"{rate:.4f} (95 % Wilson interval {low:.4f} to {high:.4f}).</p>"
        f"<h2>Outcomes</h2><table><tr><th>outcome</th><th>samples</th></tr>{rows}</table>"
        + f"<script>{plotly_file('plotly.min.js').decode('utf-8')}</script>{plots}</body></html>"
    )
    return write_text_atomic(path, document)

