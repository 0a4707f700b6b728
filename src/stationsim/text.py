"""The text of a file a user gives: UTF-8 (a byte-order mark dropped), or where and why not;
and the JSON mapping a folder's bookkeeping file holds, or why not.

Editors on Windows save UTF-16 or Latin-1 by default, and a gzip or binary file is easily named
by mistake; each is told apart here so that a message can say which, at the first bad byte's
line and column (1-based, the column in bytes).

>>> decode_text(b"\\xef\\xbb\\xbfname: x\\n")
'name: x\\n'
>>> try:
...     decode_text(b"name: R\\xe9iter\\n")
... except TextProblem as problem:
...     print(problem.line, problem.column, problem)
1 8 not UTF-8 (byte 0xe9: Latin-1 or another code page?)
"""

from __future__ import annotations

import json
import os
from pathlib import Path


class TextProblem(ValueError):
    """Bytes that are not UTF-8 text: ``line`` and ``column`` of the first bad byte, and what
    they are instead (for a message that goes on with what was expected)."""

    def __init__(self, line: int, column: int, what: str):
        super().__init__(what)
        self.line, self.column = line, column


def decode_text(data: bytes) -> str:
    """``data`` as UTF-8 text without its byte-order mark; TextProblem for UTF-16, gzip,
    binary (a NUL byte) or bytes that are not UTF-8."""
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise TextProblem(1, 1, "UTF-16 text (save the file as UTF-8)")
    if data[:2] == b"\x1f\x8b":
        raise TextProblem(1, 1, "a gzip file (unpack it)")
    nul = data.find(b"\x00")
    if nul >= 0:
        raise TextProblem(*_place(data, nul), "binary file (a NUL byte)")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextProblem(*_place(data, exc.start), f"not UTF-8 (byte "
                          f"0x{data[exc.start]:02x}: Latin-1 or another code page?)") from None


def json_mapping(path: str | os.PathLike) -> dict:
    """The JSON object in the file at ``path``; ValueError saying why not (unreadable, not
    UTF-8, not JSON, or JSON of another kind), for a message that names the file."""
    try:
        value = json.loads(decode_text(Path(path).read_bytes()))
    except TextProblem as problem:
        raise ValueError(f"{problem} at line {problem.line}") from None
    except OSError as exc:
        raise ValueError(exc.strerror or str(exc)) from None
    except json.JSONDecodeError as exc:
        raise ValueError(f"not JSON: {exc}") from None
    if not isinstance(value, dict):
        raise ValueError(f"JSON {type(value).__name__}, not a mapping")
    return value


def _place(data: bytes, offset: int) -> tuple[int, int]:
    """(line, column) of byte ``offset``, both 1-based."""
    return data.count(b"\n", 0, offset) + 1, offset - (data.rfind(b"\n", 0, offset) + 1) + 1
