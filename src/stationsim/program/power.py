"""Electrical power of a station from the solar arrays its modules carry, less sealed ones.

Rated (beginning-of-life) array power per module type, each with its source
(mir_arrays.csv). A module without a figure adds nothing, so a station of such modules has no
power figure at all. Limits: arrays moved between modules (Kristall's to Kvant-1 in 1995) stay
with the module that brought them, and ageing is left out, so a share of the total is a share
of rated power: the record's "half" and "a third" for Spektr in 1997 are of the power
delivered by older, degraded arrays.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from stationsim.hardware.station import Station as StationGraph

# Mir complex in November 1994 (core, Kvant-1, Kvant-2, Kristall): 224 m^2 of arrays giving
# 27.8 kW at most (NASA RP-1357), 124 W per m^2 of array.
MIR_ARRAY_W_PER_M2 = 27.8e3 / 224.0

ARRAY_POWER_W: dict[str, float] = {
    # twin arrays and a third added later, 9-11 kW (Flight International, 'The Mir 1 space
    # station'); Kvant-1's stowed arrays went onto the core and are counted here
    "mir-core": 10.0e3,
    # two arrays, 6.7 kW at beginning of life (GlobalSecurity, Kvant-2)
    "kvant-2": 6.7e3,
    # two removable arrays, 8.4 kW in all (GlobalSecurity, Kristall)
    "kristall": 8.4e3,
    # four arrays of 65 m^2 in all (RSC Energia via goszakaz.tv, 'Spektr' 2025) at the Mir
    # complex's 124 W/m^2
    "spektr": 65.0 * MIR_ARRAY_W_PER_M2,
}


def station_power_w(graph: StationGraph, sealed: set[str]) -> float | None:
    """Rated array power (W) of the modules on ``graph`` that are not ``sealed``; None when no
    module of the station has a figure."""
    known = [(name, ARRAY_POWER_W[graph.item(name).item.name]) for name in graph.modules()
             if graph.item(name).item.name in ARRAY_POWER_W]
    if not known:
        return None
    return sum(power_w for name, power_w in known if name not in sealed)
