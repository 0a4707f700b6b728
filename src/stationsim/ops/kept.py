"""The last few results of a computation, kept by key, for the planners' repeated questions.

A rendezvous plan asks the same station the same question several times (a written launch's
phase check, then its plan; the probe, design and biased insertions of one plan). A result is
kept only under a key that determines it: a propagator's ``trajectory_key`` with the other
inputs, some of them by identity, so the inputs are held with the entry (an identity is not
reused while its object lives). Kept arrays are made read-only: nothing may write to a result
another call will be handed.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Any

import numpy as np


class Kept:
    """The last ``size`` results by key, the most recent first."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._entries: list[tuple[Hashable, Any, Any]] = []  # (key, inputs held, result)

    def get(self, key: Hashable) -> Any | None:
        """The result kept under ``key``, or None."""
        for kept_key, _, result in self._entries:
            if kept_key == key:
                return result
        return None

    def put(self, key: Hashable, held: Any, result: Any, arrays: Iterable[Any] = ()) -> None:
        """Keep ``result`` under ``key`` with the inputs ``held``; ``arrays`` (NumPy arrays among
        other values, which are skipped) are made read-only."""
        for values in arrays:
            if isinstance(values, np.ndarray):
                values.flags.writeable = False
        self._entries.insert(0, (key, held, result))
        del self._entries[self.size:]
