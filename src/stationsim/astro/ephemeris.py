"""The Moon and the Sun in GCRF from JPL DE421, and their sampled tables for the integrator.

Positions are DE421 (Folkner, Williams & Boggs 2009, IPN Progress Report 42-178) evaluated by
``jplephem`` from the ``de421`` package (its Chebyshev coefficients ship inside the package:
nothing is fetched at run time). DE421's axes are the ICRF's, taken here as GCRF's; positions
are geometric (no light time or aberration: what gravity needs). The ephemeris argument is TDB,
from TT through ERFA's ``dtdb`` at the geocentre (Fairhead & Bretagnon 1990, under 2 ms; the
Moon moves 2 m in that time). The package's coefficients span 1899-07-29 to 2199-06-22.

:func:`body_table` samples Moon and Sun relative to a central body (Earth or Moon) on an even
grid for the Numba force model, which interpolates it by cubic Hermite splines
(:func:`stationsim.astro.forces.body_positions`): at the default hour step the Moon is within
1 cm of DE421 itself.

>>> t = Epoch.from_utc(1969, 7, 20, 20, 17, 40)
>>> r_m, v_mps = moon_gcrf(t)
>>> round(float(np.linalg.norm(r_m)) / 1e3)
389468
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from typing import NamedTuple

import erfa
import numpy as np

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, KM, MU_MOON_M3PS2, MU_SUN_M3PS2
from stationsim.astro.time import Epoch

BODIES = ("earth", "moon", "sun")
DEFAULT_TABLE_STEP_S = 3600.0


@functools.cache
def _de421():
    """The DE421 ephemeris (loaded once per process; ~4 MB of coefficients read on use)."""
    import de421
    from jplephem import Ephemeris

    return Ephemeris(de421)


def tdb_two_part(epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
    """Two-part TDB Julian date of ``epochs`` (TT + ERFA dtdb at the geocentre)."""
    tt1, tt2 = epochs.tt_two_part()
    dtdb_s = erfa.dtdb(tt1, tt2, 0.0, 0.0, 0.0, 0.0)
    return erfa.tttdb(tt1, tt2, dtdb_s)


def _check_span(epochs: Epoch, tdb1, tdb2) -> None:
    eph = _de421()
    jd = np.atleast_1d(np.asarray(tdb1) + np.asarray(tdb2)).ravel()
    outside = np.flatnonzero((jd < eph.jalpha) | (jd > eph.jomega))
    if outside.size:
        when = Epoch(np.atleast_1d(epochs.tt_s).ravel()[outside[0]]).utc_iso()
        raise ValueError(
            f"DE421 covers TDB JD {eph.jalpha} to {eph.jomega} (1899-07-29 to 2199-06-22); "
            f"got an epoch outside it, {when}"
        )


def _position_velocity(name: str, epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
    """DE421 series ``name`` at ``epochs``: (km, km/day) of shape (3, N)."""
    tdb1, tdb2 = tdb_two_part(epochs)
    _check_span(epochs, tdb1, tdb2)
    return _de421().position_and_velocity(
        name, np.atleast_1d(tdb1).ravel(), np.atleast_1d(tdb2).ravel()
    )


def _shaped(epochs: Epoch, r_km, v_kmpd) -> tuple[np.ndarray, np.ndarray]:
    shape = (*np.shape(epochs.tt_s), 3)
    return r_km.T.reshape(shape) * KM, v_kmpd.T.reshape(shape) * (KM / DAY_S)


def moon_gcrf(epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
    """Geocentric Moon (r m, v m/s) in GCRF at ``epochs``, each of shape (*epochs.shape, 3)."""
    return _shaped(epochs, *_position_velocity("moon", epochs))


def sun_gcrf(epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
    """Geocentric Sun (r m, v m/s) in GCRF at ``epochs`` (DE421 Sun minus DE421 Earth)."""
    eph = _de421()
    r_sun, v_sun = _position_velocity("sun", epochs)
    r_emb, v_emb = _position_velocity("earthmoon", epochs)
    r_moon, v_moon = _position_velocity("moon", epochs)
    r_earth = r_emb - eph.earth_share * r_moon
    v_earth = v_emb - eph.earth_share * v_moon
    return _shaped(epochs, r_sun - r_earth, v_sun - v_earth)


def body_gcrf(name: str, epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
    """Geocentric GCRF state of ``name`` ('earth', 'moon' or 'sun'): (r m, v m/s)."""
    if name == "moon":
        return moon_gcrf(epochs)
    if name == "sun":
        return sun_gcrf(epochs)
    if name == "earth":
        zeros = np.zeros((*np.shape(epochs.tt_s), 3))
        return zeros, zeros.copy()
    raise ValueError(f"body must be one of {BODIES}, got {name!r}")


GM_M3PS2 = {"earth": GM_EARTH_M3PS2, "moon": MU_MOON_M3PS2, "sun": MU_SUN_M3PS2}


class BodyTable(NamedTuple):
    """Third bodies sampled for the kernels: positions and velocities relative to the central
    body (GCRF axes) at TT ``t0_tt_s + i * dt_s``; ``gm_m3ps2`` (B,), ``r_m``/``v_mps`` (B, N, 3).
    B = 0 turns third-body forces off."""

    t0_tt_s: float
    dt_s: float
    gm_m3ps2: np.ndarray
    r_m: np.ndarray
    v_mps: np.ndarray


NO_BODY_TABLE = BodyTable(0.0, 1.0, np.zeros(0), np.zeros((0, 2, 3)), np.zeros((0, 2, 3)))


def check_bodies(central: str, bodies: Iterable[str]) -> tuple[str, ...]:
    """The third ``bodies`` as a tuple, checked against the ``central`` body (ValueError)."""
    bodies = tuple(bodies)
    if central not in ("earth", "moon"):
        raise ValueError(f"central body must be 'earth' or 'moon', got {central!r}")
    for name in bodies:
        if name not in BODIES or name == central:
            raise ValueError(
                f"third bodies must be among {BODIES} other than the central {central!r}, "
                f"got {name!r}"
            )
    return bodies


def body_table(
    central: str, bodies: Iterable[str], start: Epoch, stop: Epoch,
    step_s: float = DEFAULT_TABLE_STEP_S,
) -> BodyTable:
    """Sample ``bodies`` (names from 'earth', 'moon', 'sun', not ``central``) relative to
    ``central`` ('earth' or 'moon') over [start, stop] (either order) with two steps of margin.
    """
    bodies = check_bodies(central, bodies)
    if not bodies:
        return NO_BODY_TABLE
    if not step_s > 0.0:
        raise ValueError(f"step_s must be > 0, got {step_s!r}")
    first_s = min(start.tt_s, stop.tt_s) - 2.0 * step_s
    count = int(np.ceil((max(start.tt_s, stop.tt_s) - first_s) / step_s)) + 3
    grid = Epoch(first_s + step_s * np.arange(count))
    r_centre, v_centre = body_gcrf(central, grid)
    rows_r, rows_v = [], []
    for name in bodies:
        r_m, v_mps = body_gcrf(name, grid)
        rows_r.append(r_m - r_centre)
        rows_v.append(v_mps - v_centre)
    gm = np.array([GM_M3PS2[name] for name in bodies])
    return BodyTable(
        float(first_s), float(step_s), gm, np.ascontiguousarray(rows_r),
        np.ascontiguousarray(rows_v),
    )
