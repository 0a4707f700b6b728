"""A station's reboost policy as a SimPy process: reboost when the mean altitude falls below
the policy's floor, checking no more often than the decay requires."""

from __future__ import annotations

import numpy as np
from simpy.events import ProcessGenerator

from stationsim.astro.constants import DAY_S, GM_EARTH_M3PS2, R_EARTH_M
from stationsim.program.propulsion import reboost
from stationsim.program.state import SimState
from stationsim.program.station import StationRuntime, advance

REBOOST_CHECK_S = DAY_S
REBOOST_LOOKAHEAD_DAYS = 30.0  # the policy's checks are planned at most this far ahead
REBOOST_DENSITY_DEPTH_M = 10e3  # decay bound taken at this depth below the policy floor
REBOOST_DECAY_SAFETY = 2.0  # and doubled


def reboost_policy_process(state: SimState, runtime: StationRuntime) -> ProcessGenerator:
    """Daily check of the policy: reboost when the mean altitude is below its floor.

    The checks fall every REBOOST_CHECK_S from the start (and from the end of each policy
    reboost), but only those that can find the orbit below the floor are made: from the
    margin above the floor and a bound on the decay rate (:func:`_days_above_floor`) the
    days in between are known to pass, so the orbit is not stopped at each of them. Any
    change of the orbit or of the ballistic coefficient wakes the process to re-plan.
    """
    policy = runtime.reboost
    end_s = state.end_s if policy.until is None else min(state.end_s, policy.until.tt_s)
    origin_s = state.env.now
    last_k = int(np.floor((end_s - origin_s) / REBOOST_CHECK_S + 1e-9))
    k = 0
    while k < last_k:
        advance(state, runtime)
        if runtime.orbit.reentered is not None:
            return
        now_k = int(np.floor((state.env.now - origin_s) / REBOOST_CHECK_S + 1e-9))
        safe_k = now_k + _days_above_floor(runtime, policy.min_mean_altitude_m)
        k = min(max(now_k + 1, safe_k), last_k)
        check_s = origin_s + k * REBOOST_CHECK_S
        runtime.orbit_changed = state.env.event()
        yield state.wait_until(check_s) | runtime.orbit_changed
        runtime.orbit_changed = None
        if state.env.now < check_s:
            continue  # woken by a change: re-plan
        advance(state, runtime)
        if runtime.orbit.reentered is not None:
            return
        if runtime.orbit.mean_altitude_m() < policy.min_mean_altitude_m:
            yield from reboost(state, runtime, policy.max_mean_altitude_m, None, None)
            origin_s = state.env.now
            last_k = int(np.floor((end_s - origin_s) / REBOOST_CHECK_S + 1e-9))
            k = 0


def _days_above_floor(runtime: StationRuntime, floor_m: float) -> int:
    """Whole check intervals over which the mean altitude surely stays above ``floor_m``.

    Circular-orbit decay da/dt = -rho (Cd A / m) sqrt(mu a) (King-Hele; Vallado 4th ed.
    sec. 9.6), an upper bound on the station's as the atmosphere's rotation is left out,
    with the densest row of the density table over the next REBOOST_LOOKAHEAD_DAYS at
    REBOOST_DENSITY_DEPTH_M below the floor (eccentricity, table interpolation), times
    REBOOST_DECAY_SAFETY. The margin is taken less the spread of the revolution's radii over
    their count: a check's mean over the N samples of one revolution is off the orbit's by at
    most half that (one sample more or less), so two checks differ by at most that beyond the
    decay (0.4 km seen against 1.3 km allowed in shuttle-mir). Zero when the last revolution
    is not sampled.
    """
    orbit = runtime.orbit
    radii_m = orbit.last_revolution_radii_m()
    if radii_m is None:
        return 0
    margin_m = orbit.mean_altitude_m() - floor_m - np.ptp(radii_m) / radii_m.size
    if margin_m <= 0.0:
        return 0
    decay_mps = REBOOST_DECAY_SAFETY * _decay_rate_mps(
        runtime, floor_m - REBOOST_DENSITY_DEPTH_M, REBOOST_LOOKAHEAD_DAYS * DAY_S)
    if decay_mps <= 0.0:
        return int(REBOOST_LOOKAHEAD_DAYS * DAY_S // REBOOST_CHECK_S)
    safe_s = min(margin_m / decay_mps, REBOOST_LOOKAHEAD_DAYS * DAY_S)
    return int(safe_s // REBOOST_CHECK_S)


def _decay_rate_mps(runtime: StationRuntime, altitude_m: float, ahead_s: float) -> float:
    """Circular-orbit decay rate at ``altitude_m``, da/dt = rho (Cd A / m) sqrt(mu a)
    (King-Hele; Vallado 4th ed. sec. 9.6), with the densest row of the density table over
    the next ``ahead_s``: an upper bound, the atmosphere's rotation left out."""
    orbit = runtime.orbit
    t0_tt_s, dt_s, h0_m, dh_m, log_rho = orbit.density_table
    rows = np.clip((orbit.t_s - t0_tt_s) / dt_s + np.array([0.0, ahead_s / dt_s]), 0,
                   log_rho.shape[0] - 1)
    column = int(np.clip(np.floor((altitude_m - h0_m) / dh_m), 0, log_rho.shape[1] - 1))
    density_kgpm3 = np.exp(log_rho[int(rows[0]) : int(np.ceil(rows[1])) + 1, column].max())
    return float(density_kgpm3 * runtime.cd_area_over_mass_m2pkg
                 * np.sqrt(GM_EARTH_M3PS2 * (R_EARTH_M + altitude_m)))
