"""How it flies: launch windows, insertion, rendezvous profiles, proximity operations, docking,
reboost and deorbit, built on :mod:`stationsim.astro` and :mod:`stationsim.hardware`.

>>> from stationsim.astro.propagate import Sgp4Propagator
>>> from stationsim.astro.time import Epoch
>>> from stationsim.astro.tle import parse_tle_lines
>>> from stationsim.hardware import load_catalog
>>> mir = Sgp4Propagator(parse_tle_lines(
...     "1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051",
...     "2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898"))
>>> plan = plan_rendezvous(mir, load_catalog().vehicle("atlantis"), find_site("KSC-39A"),
...                        Epoch.from_utc_iso("1995-11-12T12:30:43Z"), docking_flight_day=4,
...                        approach="shuttle-mir")
>>> plan.docking_flight_day, [b.name for b in plan.burns][:3]
(4, ['OMS-2', 'NC1', 'NC2'])
"""

from __future__ import annotations

from stationsim.ops.insertion import INSERTIONS, Insertion, InsertionSpec, insert, insertion_spec
from stationsim.ops.launch import LaunchWindow, find_site, launch_windows, next_launch_window
from stationsim.ops.proximity import (
    APPROACHES,
    Approach,
    ApproachSpec,
    check_contact,
    choose_port,
    dock,
    plan_approach,
    undock,
)
from stationsim.ops.rendezvous import (
    PROFILES,
    Burn,
    RendezvousError,
    RendezvousPlan,
    fly_plan,
    get_profile,
    plan_rendezvous,
)
from stationsim.ops.stationkeeping import (
    DeorbitPlan,
    Engine,
    mean_altitude_m,
    plan_deorbit,
    reboost_burns,
)

__all__ = [
    "APPROACHES",
    "INSERTIONS",
    "PROFILES",
    "Approach",
    "ApproachSpec",
    "Burn",
    "DeorbitPlan",
    "Engine",
    "Insertion",
    "InsertionSpec",
    "LaunchWindow",
    "RendezvousError",
    "RendezvousPlan",
    "check_contact",
    "choose_port",
    "dock",
    "find_site",
    "fly_plan",
    "get_profile",
    "insert",
    "insertion_spec",
    "launch_windows",
    "mean_altitude_m",
    "next_launch_window",
    "plan_approach",
    "plan_deorbit",
    "plan_rendezvous",
    "reboost_burns",
    "undock",
]
