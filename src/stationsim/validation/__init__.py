"""Validation against history: the bundled programs' results beside the record.

``record.yaml`` holds the historical values (each with its source, confidence and a physical
tolerance); :mod:`~stationsim.validation.compare` reads the simulated counterparts from a run's
store; :mod:`~stationsim.validation.report` writes ``docs/validation.md``.
"""

from __future__ import annotations
