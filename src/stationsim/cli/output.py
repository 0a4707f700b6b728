"""The one place where commands print: Rich tables for people, JSON for machines.

Tables fit the terminal (80 columns when it is not one): UTC times print as
``YYYY-MM-DD HH:MM:SS`` (to the second; the column title says UTC, JSON keeps them whole), and a
cell too wide for its column wraps, at the space between date and time first, never cut.

Both consoles have Rich markup switched off: every string they print (messages, table cells,
titles) may carry text from a file, a path or an argument, and ``[/...]`` in it must print as
itself, not be parsed as a style tag. Styles are applied with :class:`rich.text.Text` instead.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
import sys
from collections.abc import Sequence
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

console = Console(markup=False)
err_console = Console(stderr=True, markup=False)


def print_json(payload: Any) -> None:
    """Write ``payload`` as indented JSON to stdout (NaN and inf become null)."""
    sys.stdout.write(json.dumps(_finite(payload), indent=2) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a Rich table that fits the terminal (module doc), numbers aligned on the right."""
    table = Table(title=title, box=box.SIMPLE_HEAD, collapse_padding=True, pad_edge=False)
    cells = [[_cell(value) for value in row] for row in rows]
    for index, name in enumerate(columns):
        if _is_numeric(name, rows, columns):
            # padded here: Rich's own right-justified cells overflow a narrow terminal
            width = max(len(row[index]) for row in cells)
            for row in cells:
                row[index] = row[index].rjust(width)
        words = [word for row in cells for word in row[index].split()] or [""]
        table.add_column(name, overflow="fold", min_width=min(max(map(len, words)), MAX_WORD))
    for row in cells:
        table.add_row(*row)
    console.print(table)


MAX_WORD = 20  # a column is never narrower than its longest word up to this many characters


def fail(message: str) -> None:
    """Print one error line on stderr (the caller exits 2)."""
    err_console.print(Text.assemble(("error:", "bold red"), " ", message), highlight=False,
                      soft_wrap=True)


def warn(message: str) -> None:
    """Print one warning line on stdout."""
    console.print(Text.assemble(("warning:", "yellow"), " ", message), highlight=False,
                  soft_wrap=True)


def _is_numeric(name: str, rows: Sequence[Sequence[Any]], columns: Sequence[str]) -> bool:
    index = list(columns).index(name)
    return all(isinstance(row[index], int | float) for row in rows) and bool(rows)


_ISO_UTC = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?Z?")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1e6 else f"{value:,.0f}"
    if isinstance(value, dt.datetime):
        return _to_the_second(value)
    if isinstance(value, str) and _ISO_UTC.fullmatch(value):
        try:
            return _to_the_second(dt.datetime.fromisoformat(value.removesuffix("Z")))
        except ValueError:  # a leap second, 23:59:60, which datetime cannot hold
            return value.replace("T", " ").removesuffix("Z")
    return str(value)


def _to_the_second(when: dt.datetime) -> str:
    """``YYYY-MM-DD HH:MM:SS``, rounded to the nearest second."""
    return f"{when + dt.timedelta(microseconds=500_000):%Y-%m-%d %H:%M:%S}"


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
