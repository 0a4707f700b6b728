"""What is wrong with a two-line element set, as located messages for program files.

Format and checksum as in :mod:`stationsim.astro.tle` (Hoots & Roehrich, Spacetrack Report
No. 3; CelesTrak "NORAD Two-Line Element Set Format"); the first defects are worded here in the
program files' ``(expected ..., got ...)`` style, the rest come from the TLE parser.
"""

from __future__ import annotations

import re

from stationsim.astro.tle import TLE_LINE_LENGTH, parse_tle_lines, tle_checksum
from stationsim.errors import TLEError

_LOCATED = re.compile(r"^.*?:(?P<line>[12]):(?P<column>\d+): (?P<message>.*)$", re.DOTALL)


def tle_problems(line1: str, line2: str) -> list[tuple[int, int, str]]:
    """Defects of a TLE as (line number 1 or 2, 1-based column, message); [] when it parses."""
    problems: list[tuple[int, int, str]] = []
    for number, line in ((1, line1), (2, line2)):
        if not line.startswith(f"{number} "):
            problems.append((number, 1, f"wrong line number (expected '{number} ', got "
                                        f"{line[:2]!r})"))
        elif len(line) != TLE_LINE_LENGTH:
            problems.append((number, min(len(line), TLE_LINE_LENGTH) + 1,
                             f"wrong length (expected {TLE_LINE_LENGTH} characters, got "
                             f"{len(line)})"))
        elif line[-1] != str(tle_checksum(line)):
            problems.append((number, TLE_LINE_LENGTH, f"bad checksum (expected "
                                                      f"{tle_checksum(line)}, got {line[-1]!r})"))
    if problems:
        return problems
    try:
        parse_tle_lines(line1, line2, source="tle")
    except TLEError as exc:
        located = _LOCATED.match(str(exc))
        if located is None:
            return [(1, 1, str(exc))]
        return [(int(located["line"]), int(located["column"]), located["message"])]
    return []
