"""Program files: the YAML format, its schema and loader with ``file:line:column`` errors.

>>> program = load_program("example-small")
>>> program.flights[0].launch.utc_iso(0)
'1995-11-12T12:30:43Z'
"""

from __future__ import annotations

from stationsim.scenario.library import bundled_names, load_program, program_path
from stationsim.scenario.loader import load_bytes, load_path, load_text
from stationsim.scenario.schema import PROFILES, Flight, Program, Station

__all__ = [
    "PROFILES",
    "Flight",
    "Program",
    "Station",
    "bundled_names",
    "load_bytes",
    "load_path",
    "load_program",
    "load_text",
    "program_path",
]
