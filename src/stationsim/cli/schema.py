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
    from stationsim.results.atomic import write_text_atomic
    from stationsim.scenario.schema import program_json_schema

    text = json.dumps(program_json_schema(), indent=2) + "\n"
    if out is None:
        typer.echo(text, nl=False)
        return
    if out.is_dir():
        raise ValueError(f"--out {out}: a folder (expected the path of the schema file)")
    folder = next((parent for parent in out.parents if parent.exists()), None)
    if folder is not None and not folder.is_dir():
        raise ValueError(f"--out {out}: {folder} is a file, not a folder")
    try:
        write_text_atomic(out, text)
    except OSError as exc:
        raise ValueError(f"--out {out}: cannot write ({exc.strerror or exc})") from None
    console.print(f"wrote {out}", highlight=False)
