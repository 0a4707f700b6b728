"""A run's warnings sorted into kinds: the same sentence about different flights is one kind.

A warning reads ``"<subject>: <what happened>"`` (the subject a flight, a station or a UTC
time). Its kind is what happened with every number written as ``N``, so "STS-71: launch moved
+12 min ..." and "STS-74: launch moved -3 min ..." are one kind; the terminal prints each kind
once with its count, while the store and the report keep every warning.

>>> split_warning("STS-71: launch moved +12 min into the launch window of mir's orbit")
('STS-71', "launch moved N min into the launch window of mir's orbit")
>>> [(g.kind, g.subjects) for g in group_warnings(["a: moved 1.5 km", "b: moved -2 km"])]
[('moved N km', ['a', 'b'])]
>>> split_warning("Soyuz TM-24: 2 flights, first Soyuz TM-24")[1]
'N flights, first Soyuz TM-24'

"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

_NUMBER = re.compile(r"(?<![\w.-])[+-]?\d+(?:[.,:]\d+)*(?:[eE][+-]?\d+)?")  # not "TM-24"
_ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?")


def split_warning(message: str) -> tuple[str, str]:
    """(subject, kind) of one warning; a message with no ``subject: `` has subject ''."""
    subject, colon, rest = message.partition(": ")
    if not colon or len(subject) > 60:
        subject, rest = "", message
    kind = _NUMBER.sub("N", _ISO_TIME.sub("T", rest))
    return subject, kind


@dataclass
class WarningGroup:
    """Warnings of one kind, in the order they came."""

    kind: str
    subjects: list[str] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.messages)


def group_warnings(messages: Iterable[str]) -> list[WarningGroup]:
    """The warnings by kind, the most frequent kind first (ties in order of first sight)."""
    groups: dict[str, WarningGroup] = {}
    for message in messages:
        subject, kind = split_warning(message)
        group = groups.setdefault(kind, WarningGroup(kind))
        group.subjects.append(subject)
        group.messages.append(message)
    return sorted(groups.values(), key=lambda g: -g.count)


def warning_rows(messages: Iterable[str]) -> dict[str, list]:
    """The store's ``warnings`` table: one row per warning, in order, with its subject and kind."""
    rows: dict[str, list] = {"seq": [], "subject": [], "kind": [], "message": []}
    for seq, message in enumerate(messages):
        subject, kind = split_warning(message)
        for key, value in zip(rows, (seq, subject, kind, message), strict=True):
            rows[key].append(value)
    return rows
