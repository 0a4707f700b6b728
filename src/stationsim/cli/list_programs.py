"""``stationsim list``: the bundled programs with their spans and one-line descriptions."""

from __future__ import annotations

from stationsim.cli.app import app


@app.command("list")
def list_programs() -> None:
    """List the bundled programs (run one with 'stationsim run NAME')."""
    from ruamel.yaml import YAML

    from stationsim.cli.output import print_table
    from stationsim.scenario import bundled_names, program_path

    reader = YAML(typ="safe")
    rows = []
    for name in bundled_names():
        head = reader.load(program_path(name).read_text(encoding="utf-8"))
        span = head.get("span", {})
        rows.append(
            [
                name,
                str(span.get("start_utc", ""))[:10],
                str(span.get("end_utc", ""))[:10],
                head.get("description", ""),
            ]
        )
    print_table("bundled programs", ["name", "from", "to", "description"], rows)
