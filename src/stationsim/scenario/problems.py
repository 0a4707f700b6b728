"""Problems found in a program file, located by their path in the YAML tree and formatted as
``file:line:column: path.to.field: what is wrong (expected ..., got ...)``."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ruamel.yaml.scalarstring import LiteralScalarString

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a program, at ``path`` (keys and list indices from the root).

    ``on_key`` points at the key instead of its value (unknown keys); ``row`` and ``column``
    (1-based) point into the text of a block value (a TLE given with ``|``).
    """

    path: Path
    message: str
    on_key: bool = False
    row: int = 0
    column: int = 0


def dotted(path: Path) -> str:
    """``('flights', 2, 'cargo', 'o2_kg')`` -> ``flights[2].cargo.o2_kg`` ('program' for root).

    A key that is not a plain word (a misspelt key may hold anything, newlines included) is
    quoted in brackets, ``defaults['a.b\\n']``, so that a message stays one line.
    """
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif not _PLAIN_KEY.fullmatch(str(step)):
            text += f"[{describe(str(step))}]"
        else:
            text += f".{step}" if text else str(step)
    return text or "program"


_PLAIN_KEY = re.compile(r"[A-Za-z0-9_-]+")


def describe(value: Any) -> str:
    """A short rendering of a value found in the file, for 'got ...'."""
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:37] + "...")
    return repr(value)


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """'; did you mean 'x'?' for the closest choice (difflib), or '' when none is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def one_of(choices: Sequence[str], limit: int = 8) -> str:
    """'a, b or c' (the first ``limit`` choices, then '...')."""
    shown = [str(choice) for choice in choices[:limit]]
    if len(choices) > limit:
        return ", ".join(shown) + ", ..."
    if len(shown) <= 1:
        return "".join(shown) or "nothing"
    return ", ".join(shown[:-1]) + " or " + shown[-1]


class Locator:
    """Finds the 1-based line and column of a path in a ruamel.yaml round-trip tree."""

    def __init__(self, root: Any, lines: list[str]):
        self.root = root
        self.lines = lines

    def position(self, problem: Problem) -> tuple[int, int]:
        """(line, column) of the deepest node of ``problem.path`` found in the tree."""
        node = self.root
        line, col = _start(node, 0, 0)
        path = problem.path
        for depth, step in enumerate(path):
            lc = getattr(node, "lc", None)
            last = depth == len(path) - 1
            try:
                if isinstance(node, dict) and step in node:
                    line, col = lc.key(step) if (last and problem.on_key) else lc.value(step)
                elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                    line, col = lc.item(step)
                else:
                    break
            except (AttributeError, KeyError, IndexError, TypeError):
                break
            node = node[step]
            line, col = _start(node, line, col)
        else:
            if problem.row and isinstance(node, LiteralScalarString):
                # the text of a block scalar ('|') starts on the line after its indicator
                line = line + problem.row
                text = self.lines[line] if line < len(self.lines) else ""
                col = len(text) - len(text.lstrip()) + max(problem.column - 1, 0)
        return line + 1, col + 1


def _start(node: Any, line: int, col: int) -> tuple[int, int]:
    lc = getattr(node, "lc", None)
    if lc is not None and isinstance(node, dict | list) and lc.line is not None:
        return lc.line, lc.col
    return line, col

