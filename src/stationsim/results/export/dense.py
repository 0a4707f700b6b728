"""Dense ephemerides for export: stored samples carried to a fine grid on the engine's gravity.

The store keeps a station's state about hourly; a polynomial through samples an hour apart puts a
LEO orbit hundreds of km off. Each stored sample is carried forward to the next one (or to the
burn or tracking update that ends its piece; the first one back to the break that begins it)
every ``step_s`` on point mass + EGM-96 J2..J6
(:func:`stationsim.astro.propagate.propagate_batch`, the engine's field) without drag: drag
moves a 400 km station some 40 m in an hour (0.5 a t^2 with a ~ 5e-6 m/s^2, Mir near solar
maximum), far below the 1 km the exports promise. The zonal field is symmetric about GCRF z
(``stationsim.astro.forces``), so without drag the motion does not depend on the epoch and
every sample of a piece is carried over the same offsets in one batch; the few states to a
piece's bounds come from the one-orbit propagator (:class:`~stationsim.astro.propagate.Numerical`,
same field), which also integrates backward, and cheaply for one orbit.
"""

from __future__ import annotations

import numpy as np

from stationsim.astro.constants import R_EARTH_M
from stationsim.astro.propagate import BatchResult, Numerical, propagate_batch
from stationsim.astro.time import Epoch
from stationsim.results.export.source import Trajectory

STEP_S = 480.0  # the engine's own sampling of a station orbit (program.orbit.SAMPLE_STEP_S)
# DOP853 tolerances: within 2 cm over an hour of the propagator's default (1e-12, 1e-6 m),
# measured on Shuttle-Mir's 35,888 Mir samples, and a third faster
RTOL = 1e-9
ATOL_M = 1e-3
# Earth's field alone holds near the Earth: the tidal pulls GM r / d^3 of the Moon (8.6e-6 m/s^2)
# and the Sun (4.0e-6 m/s^2) at r = 100,000 km (Vallado 4th ed. sec. 8.6.3) move a state under
# 100 m in the hour between stored samples. Farther samples (a flight to the Moon) stay as
# they were stored.
NEAR_EARTH_M = 1.0e8
# Below the entry interface (120 km) drag, which the carry leaves out, rules: such samples
# (an entry, a decay's last hours) stay as they were stored too.
ENTRY_INTERFACE_M = 120e3
MIN_POINTS = 10  # the states a degree-9 Lagrange interpolation needs in every segment


def _carry(r_m: np.ndarray, v_mps: np.ndarray, offsets_s: np.ndarray) -> BatchResult:
    """States (N, 3) carried by ``offsets_s`` (M,) seconds: (N, M, 3) results (module doc)."""
    return propagate_batch(Epoch(0.0), r_m, v_mps, Epoch(offsets_s), rtol=RTOL, atol=ATOL_M)


def _one(t_tt_s: float, r_m: np.ndarray, v_mps: np.ndarray,
         at_tt_s: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """One state carried to the times ``at_tt_s`` (all after it, or all before it); NaN
    after a re-entry on the way."""
    orbit = Numerical(Epoch(t_tt_s), r_m, v_mps, rtol=RTOL, atol=ATOL_M)
    result = orbit.run(Epoch(at_tt_s))
    return np.atleast_2d(result.r_gcrf_m), np.atleast_2d(result.v_gcrf_mps)


def cut(piece: Trajectory, breaks_tt_s: np.ndarray) -> list[Trajectory]:
    """``piece`` cut wherever a break (a burn, a tracking update) falls between two samples."""
    breaks = np.sort(np.asarray(breaks_tt_s, dtype=float))
    t = piece.t_tt_s
    if len(piece) < 2 or breaks.size == 0:
        return [piece]
    # a break in (t[k], t[k+1]]: the sample at t[k+1] is already after it
    after = np.searchsorted(breaks, t[:-1], side="right")
    before = np.searchsorted(breaks, t[1:], side="right")
    index = np.split(np.arange(len(piece)), np.flatnonzero(before > after) + 1)
    return [piece._take(i) for i in index]


def densify(piece: Trajectory, stop_tt_s: float | None = None, start_tt_s: float | None = None,
            step_s: float = STEP_S) -> Trajectory:
    """``piece`` with every sample carried forward every ``step_s`` (fewer seconds for a short
    piece, so that it holds MIN_POINTS states) up to the next sample, the last one up to
    ``stop_tt_s`` and the first one back to ``start_tt_s`` (defaults: the piece's own ends;
    each bound itself is a state). The stored samples stay as they are.
    """
    t = piece.t_tt_s
    stop = t[-1] if stop_tt_s is None else max(float(stop_tt_s), t[-1])
    start = t[0] if start_tt_s is None else min(float(start_tt_s), t[0])
    if stop - start <= 0.0:
        return piece
    step = min(step_s, (stop - start) / (MIN_POINTS - 1))
    limits_s = np.append(t[1:], stop) - t
    offsets_s = step * np.arange(int(np.ceil(limits_s.max() / step)) + 1)
    keep = offsets_s[np.newaxis, :] < limits_s[:, np.newaxis] - 1e-6
    radius_m = np.linalg.norm(piece.r_m, axis=1)
    near = (radius_m < NEAR_EARTH_M) & (radius_m > R_EARTH_M + ENTRY_INTERFACE_M)
    keep[~near, :] = False
    keep[:, 0] = True
    if offsets_s.size > 1 and len(piece) == 1 and near[0]:
        r_m, v_mps = (x[np.newaxis] for x in _one(t[0], piece.r_m[0], piece.v_mps[0],
                                                   t[0] + offsets_s))
    elif offsets_s.size > 1 and near.any():
        r_m = np.full((len(piece), offsets_s.size, 3), np.nan)
        v_mps = np.full_like(r_m, np.nan)
        r_m[near], v_mps[near], _, _ = _carry(piece.r_m[near], piece.v_mps[near], offsets_s)
        r_m[:, 0], v_mps[:, 0] = piece.r_m, piece.v_mps
    else:  # nothing to carry: samples close enough, or none where the field holds
        r_m, v_mps = piece.r_m[:, np.newaxis], piece.v_mps[:, np.newaxis]
        keep = keep[:, :1]
    rows, columns = np.nonzero(keep)
    parts = [(rows, offsets_s[columns], r_m[rows, columns], v_mps[rows, columns])]
    last = len(piece) - 1
    if stop > t[-1] and near[-1]:  # the bound itself
        r_end, v_end = _one(t[-1], piece.r_m[-1], piece.v_mps[-1], np.array([stop]))
        parts.append((np.array([last]), np.array([stop - t[-1]]), r_end, v_end))
    if start < t[0] and near[0]:
        back_s = step * np.arange(1, int(np.ceil((t[0] - start) / step)))
        back_s = np.append(back_s[back_s < t[0] - start - 1e-6], t[0] - start)[::-1]
        r_back, v_back = _one(t[0], piece.r_m[0], piece.v_mps[0], t[0] - back_s)
        parts.insert(0, (np.zeros(back_s.size, dtype=int), -back_s, r_back, v_back))
    ref = np.concatenate([p[0] for p in parts])
    elapsed_s = np.concatenate([p[1] for p in parts])
    t_tt_s = t[ref] + elapsed_s
    # UTC seconds elapsed: TT seconds less any leap second inserted meanwhile
    leaps_s = (np.asarray(Epoch(t_tt_s).tt_minus_utc_s())
               - np.asarray(Epoch(t[ref]).tt_minus_utc_s()))
    t_utc = piece.t_utc[ref] + np.round((elapsed_s - leaps_s) * 1e6).astype("timedelta64[us]")
    # a state inside an inserted leap second (23:59:60) has no datetime64: it is left out
    inside = np.flatnonzero(leaps_s != 0.0)
    drop = inside[Epoch(t_tt_s[inside]).utc_fields(6).reshape(-1, 6)[:, 5] >= 60.0]
    r_all_m = np.concatenate([p[2] for p in parts])
    v_all_mps = np.concatenate([p[3] for p in parts])
    lost = np.flatnonzero(~np.all(np.isfinite(r_all_m), axis=1))  # re-entered on the way
    kept = np.setdiff1d(np.arange(t_tt_s.size), np.concatenate([drop, lost]))
    return Trajectory(piece.object, t_utc[kept], t_tt_s[kept], r_all_m[kept], v_all_mps[kept])
