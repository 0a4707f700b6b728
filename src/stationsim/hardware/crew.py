"""Crew members: who flies, for which agency, of which nationality."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CrewMember:
    """One person who flies; ``agency`` as flown (e.g. 'NASA', 'RKA'), nationality as a name."""

    name: str
    agency: str
    nationality: str

    def __post_init__(self):
        for field_name in ("name", "agency", "nationality"):
            if not getattr(self, field_name).strip():
                raise ValueError(f"crew member {field_name} must not be empty")
