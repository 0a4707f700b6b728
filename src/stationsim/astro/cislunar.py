"""Flights between the Earth and the Moon: one coast that changes centre at the sphere of influence.

A coast is integrated in legs by :class:`stationsim.astro.propagate.Numerical`: about the
Earth (EGM-96 zonals, the Moon and the Sun as third bodies) and, inside the Moon's sphere of
influence, about the Moon (lunar point mass and J2, the Earth and the Sun as third bodies). Both
legs carry the same bodies, so the switch changes the origin, not the physics, except for the
central body's zonal terms (at the sphere's edge the Earth's J2 pulls with 3e-9 m/s^2, under
10 m in a day). The sphere is Laplace's, r = a (m_Moon / m_Earth)^(2/5) = 66,100 km (Curtis,
*Orbital Mechanics for Engineering Students*, 3rd ed., sec. 8.2). Entering it is found on
samples of the Earth leg every ``probe_s``; leaving it is an event of the Moon leg.

A coast stops at ``until``, at the first of its ``stop`` events (specs about the Moon or the
Earth, as ``("moon", EventSpec)``), or where it meets a surface: the Moon's (impact) or the
Earth's at ``entry_altitude_m``.

>>> t0 = Epoch.from_utc(1968, 12, 21, 15, 47, 5.51)
>>> coast = fly(OrbitState(t0, [-4.7e6, -4.2e6, 2.5e6], [5.2e3, -8.4e3, 3.7e3]), "earth",
...             t0 + 3600.0)
>>> coast.central, coast.state.epoch.utc_iso()
('earth', '1968-12-21T16:47:05.510Z')
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import GM_EARTH_M3PS2, MU_MOON_M3PS2
from stationsim.astro.ephemeris import moon_gcrf
from stationsim.astro.propagate import EventSpec, Numerical, OrbitState
from stationsim.astro.time import Epoch

MOON_MEAN_DISTANCE_M = 384_400e3  # semi-major axis of the lunar orbit (Curtis, table A.1)
SOI_MOON_M = MOON_MEAN_DISTANCE_M * (MU_MOON_M3PS2 / GM_EARTH_M3PS2) ** 0.4
PERILUNE = ("moon", EventSpec("apsis", 0.0, 1))
PERIGEE = ("earth", EventSpec("apsis", 0.0, 1))
THIRD_BODIES = {"earth": ("moon", "sun"), "moon": ("earth", "sun")}
DEFAULT_PROBE_S = 600.0
_CHUNK_S = 6.0 * 3600.0


def recentre(state: OrbitState, from_body: str, to_body: str) -> OrbitState:
    """The same state measured from another centre ('earth' or 'moon'; GCRF axes, DE421)."""
    if from_body == to_body:
        return state
    r_moon_m, v_moon_mps = moon_gcrf(state.epoch)
    sign = -1.0 if to_body == "moon" else 1.0
    if {from_body, to_body} != {"earth", "moon"}:
        raise ValueError(f"centres are 'earth' and 'moon', got {from_body!r} -> {to_body!r}")
    return OrbitState(state.epoch, state.r_m + sign * r_moon_m, state.v_mps + sign * v_moon_mps)


class Coast(NamedTuple):
    """Where a coast ended: the state about ``central``, the ``stop`` that ended it ('until',
    'impact', 'entry', or the (body, EventSpec) that fired) and the geocentric track sampled
    on the way (epochs, r_gcrf_m and v_gcrf_mps (N, 3))."""

    state: OrbitState
    central: str
    stop: object
    track_epochs: Epoch
    track_r_gcrf_m: np.ndarray
    track_v_gcrf_mps: np.ndarray


def geocentric(state: OrbitState, central: str) -> OrbitState:
    """``state`` measured from the Earth's centre."""
    return recentre(state, central, "earth")


def fly(
    state: OrbitState, central: str, until: Epoch, stop: Iterable[tuple[str, EventSpec]] = (),
    entry_altitude_m: float = 100e3, probe_s: float = DEFAULT_PROBE_S, rtol: float = 1e-12,
) -> Coast:
    """Coast from ``state`` (about ``central``) to ``until`` or the first ``stop`` event."""
    if central not in THIRD_BODIES:
        raise ValueError(f"central must be 'earth' or 'moon', got {central!r}")
    if until.tt_s < state.epoch.tt_s:
        raise ValueError(f"a coast flies forward: until {until.utc_iso()} is before the state "
                         f"at {state.epoch.utc_iso()}")
    stop = tuple(stop)
    start = geocentric(state, central)
    track_t, track_r, track_v = [state.epoch.tt_s], [start.r_m], [start.v_mps]
    while True:
        specs = [spec for body, spec in stop if body == central]
        if central == "moon":
            specs.append(EventSpec("radius", SOI_MOON_M, 1))
        leg = Numerical(
            state.epoch, state.r_m, state.v_mps, central_body=central,
            third_bodies=THIRD_BODIES[central], rtol=rtol,
            reentry_altitude_m=entry_altitude_m if central == "earth" else 0.0,
        )
        remaining_s = until - state.epoch
        span_s = remaining_s if central == "moon" else min(remaining_s, _CHUNK_S)
        n = max(int(np.ceil(span_s / probe_s)), 1)
        probes = Epoch(state.epoch.tt_s + np.linspace(0.0, span_s, n + 1)[1:])
        result = leg.run(probes, events=specs, until=state.epoch + span_s)
        ended = result.stop.epoch.tt_s
        inside = None
        if central == "earth":
            ok = probes.tt_s <= ended
            r_moon_m = moon_gcrf(probes[ok])[0]
            near = np.flatnonzero(
                np.linalg.norm(result.r_gcrf_m[ok] - r_moon_m, axis=1) < SOI_MOON_M)
            inside = int(near[0]) if near.size else None
        fired = [event for event in result.events if event.spec is not None]
        first = fired[0] if fired else None
        limit = probes.tt_s[inside] if inside is not None else np.inf
        if first is not None and first.epoch.tt_s <= limit:
            keep = probes.tt_s <= first.epoch.tt_s
            _extend(track_t, track_r, track_v, result, probes, keep, central)
            here = OrbitState(first.epoch, first.r_m, first.v_mps)
            if first.spec.kind == "radius" and central == "moon":
                state, central = recentre(here, "moon", "earth"), "earth"
                continue
            return _coast(here, central, (central, first.spec), track_t, track_r, track_v)
        keep = probes.tt_s <= min(ended, limit)
        _extend(track_t, track_r, track_v, result, probes, keep, central)
        if inside is not None:
            here = OrbitState(probes[inside], result.r_gcrf_m[inside], result.v_gcrf_mps[inside])
            state, central = recentre(here, "earth", "moon"), "moon"
            continue
        if result.reentry is not None:
            here = OrbitState(result.reentry.epoch, result.reentry.r_m, result.reentry.v_mps)
            return _coast(here, central, "impact" if central == "moon" else "entry", track_t,
                          track_r, track_v)
        state = result.stop
        if state.epoch.tt_s >= until.tt_s - 1e-6:
            return _coast(state, central, "until", track_t, track_r, track_v)


def earth_moon_plane(
    epochs: Epoch,
    r_gcrf_m: ArrayLike,
    reference: Epoch,
) -> tuple[np.ndarray,
                                                                          np.ndarray]:
    """Geocentric positions (N, 3) m at ``epochs`` in the Moon's orbit plane of ``reference``:
    x toward the Moon then, z along its orbital angular momentum; (N, 2) km, and the Moon's own
    positions at the same epochs likewise (for plots of a flight to the Moon)."""
    r_moon_m, v_moon_mps = moon_gcrf(reference)
    x = r_moon_m / np.linalg.norm(r_moon_m)
    z = np.cross(r_moon_m, v_moon_mps)
    z /= np.linalg.norm(z)
    axes = np.stack([x, np.cross(z, x)])
    moon_m = moon_gcrf(epochs)[0]
    return np.asarray(r_gcrf_m) @ axes.T / 1e3, moon_m @ axes.T / 1e3


def _extend(track_t, track_r, track_v, result, probes: Epoch, keep, central: str) -> None:
    """Append the kept samples of a leg, geocentric, to the track."""
    if not np.any(keep):
        return
    r_m, v_mps = result.r_gcrf_m[keep], result.v_gcrf_mps[keep]
    if central == "moon":
        r_moon_m, v_moon_mps = moon_gcrf(probes[keep])
        r_m, v_mps = r_m + r_moon_m, v_mps + v_moon_mps
    track_t.extend(probes.tt_s[keep])
    track_r.extend(r_m)
    track_v.extend(v_mps)


def _coast(state, central, stop, track_t, track_r, track_v) -> Coast:
    end = geocentric(state, central)
    track_t.append(state.epoch.tt_s)
    track_r.append(end.r_m)
    track_v.append(end.v_mps)
    return Coast(state, central, stop, Epoch(np.array(track_t)), np.array(track_r),
                 np.array(track_v))
