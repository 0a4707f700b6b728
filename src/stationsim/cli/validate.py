"""``stationsim validate FILE``: check a program without running it (exit 0 clean, 2 if not)."""

from __future__ import annotations

from typing import Annotated

import typer

from stationsim.cli.app import app


@app.command()
def validate(
    program: Annotated[str, typer.Argument(help="a program file, or the name of a bundled one")],
) -> None:
    """Check a program file: schema, names, times, ports, seats and crew; list every problem."""
    from stationsim.cli.output import console, fail
    from stationsim.errors import ProgramError
    from stationsim.scenario import load_program

    try:
        loaded = load_program(program)
    except ProgramError as exc:
        messages = getattr(exc, "errors", None) or [str(exc)]
        for message in messages:
            fail(message)
        raise ProgramError(f"{program}: {_count(len(messages), 'problem')}") from None
    tracked = len(loaded.tracking) + sum(len(sets) for _, sets in loaded.tracking_file_sets())
    counts = ", ".join(_count(number, noun) for number, noun in (
        (len(loaded.stations), "station"), (len(loaded.flights), "flight"),
        (len(loaded.crew), "person"), (len(loaded.events), "event"),
        (tracked, "tracking update")))
    console.print(f"{loaded.source}: ok ({counts})", highlight=False, soft_wrap=True)


def _count(number: int, noun: str) -> str:
    plural = "people" if noun == "person" else noun + "s"
    return f"{number} {noun if number == 1 else plural}"
