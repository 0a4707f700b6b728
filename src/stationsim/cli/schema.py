"""``stationsim schema [--out FILE]``: the JSON Schema of program files, for editors."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from stationsim.cli.app import app


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", help="write here instead of stdout")] = None,
) -> None:
    """Write the JSON Schema of the program format (YAML editors use it to check and complete)."""
    import json

    from stationsim.cli.output import console
    from stationsim.scenario.schema import program_json_schema

    text = json.dumps(program_json_schema(), indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    out.write_text(text, encoding="utf-8")
    console.print(f"wrote {out}", highlight=False)
