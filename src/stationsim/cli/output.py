"""The one place where commands print: Rich tables for people, JSON for machines.

Both consoles have Rich markup switched off: every string they print (messages, table cells,
titles) may carry text from a file, a path or an argument, and ``[/...]`` in it must print as
itself, not be parsed as a style tag. Styles are applied with :class:`rich.text.Text` instead.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

console = Console(markup=False)
err_console = Console(stderr=True, markup=False)


def print_json(payload: Any) -> None:
    """Write ``payload`` as indented JSON to stdout (NaN and inf become null)."""
    sys.stdout.write(json.dumps(_finite(payload), indent=2) + "\n")


def print_table(title: str, columns: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """Print a Rich table with right-aligned numeric columns."""
    table = Table(title=title)
    for name in columns:
        table.add_column(name, justify="right" if _is_numeric(name, rows, columns) else "left")
    for row in rows:
        table.add_row(*(_cell(value) for value in row))
    console.print(table)


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


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:,.3f}" if abs(value) < 1e6 else f"{value:,.0f}"
    return str(value)


def _finite(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(item) for item in value]
    return value
