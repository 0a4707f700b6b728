"""Orbit lifetime: when drag brings an orbit down to the re-entry altitude.

Two modes, both on the orbit-averaged NRLMSIS 2.1 table of :mod:`stationsim.astro.atmosphere`
built block by block from the bundled space weather (:func:`reentry` picks one by the span):

* ``averaged``: King-Hele's orbit-averaged decay of the mean semi-major axis and eccentricity
  (D. King-Hele, *Satellite Orbits in an Atmosphere: Theory and Applications*, Blackie 1987;
  Gauss's equations averaged over the eccentric anomaly E), with B = Cd A / m:
  da/dt = -B a^2 n <rho F (1 + e cos E)^1.5 (1 - e cos E)^-0.5>_E,
  de/dt = -B a (1 - e^2) n <rho F ((1 + e cos E) / (1 - e cos E))^0.5 cos E>_E,
  F = (1 - r w_E cos i / v)^2 for the co-rotating atmosphere; the argument of perigee turns
  at the J2 secular rate (Vallado 4th ed. ch. 9) so the perigee's height above the ellipsoid follows
  its latitude. RK4 steps of at most a day, shortened so that a falls by at most 1 km per step
  (step error < 1e-6 of the lifetime). It leaves out the few-km drift of the perigee height
  from J2 short-period and odd-zonal terms as the perigee turns: against full propagation the
  lifetime agrees within 5 % (docs/validation.md).
* ``numerical``: DOP853 integration of the state with EGM-96 zonals J2..J6 and drag
  (:class:`stationsim.astro.propagate.Numerical`), stopped by its re-entry altitude event.

Re-entry is the instant the height above the WGS-84 ellipsoid first falls to
``reentry_altitude_m`` (120 km by default): at perigee in the averaged mode, along the
trajectory in the numerical one. The averaged mode starts from :class:`MeanElements` whose
a and e give the actual smallest and largest radius over a revolution; :func:`mean_elements`
and :func:`state_from_mean_elements` convert to and from a GCRF state.

A predicted re-entry is uncertain by +-20 % of the remaining lifetime (:func:`reentry_uncertainty`);
over more than a revolution of timing error its place is known only as a band of latitudes.
Tracking that saw the period fall measures the drag itself: :func:`drag_scale_from_tracking`
gives the factor on Cd A/m that reproduces it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.atmosphere import TABLE_ALTITUDE_MAX_M, DensityTable, msis_table
from stationsim.astro.constants import (
    DAY_S,
    GM_EARTH_M3PS2,
    J2,
    OMEGA_EARTH_RADPS,
    R_EARTH_M,
    R_POLAR_M,
    WGS84_E2,
)
from stationsim.astro.elements import elements_to_state, mean_to_true, state_to_elements
from stationsim.astro.spaceweather import SpaceWeather
from stationsim.astro.time import Epoch
from stationsim.errors import PropagationError

REENTRY_ALTITUDE_M = 120.0e3
MAX_DURATION_S = 30.0 * 365.25 * DAY_S
TABLE_BLOCK_S = 30.0 * DAY_S  # the density table is built this far ahead at a time
TABLE_MARGIN_ABOVE_APOGEE_M = 100.0e3
NUMERICAL_SPAN_MAX_S = 400.0 * DAY_S  # :func:`reentry` integrates spans up to this in full
# Re-entry predictions from tracking are good to +-20 % of the remaining lifetime at 90 %
# confidence (Pardini & Anselmo, statistics of the IADC re-entry prediction campaigns).
PREDICTION_SPREAD = 0.20
AVERAGED_MAX_STEP_S = DAY_S
AVERAGED_MAX_DECAY_PER_STEP_M = 1000.0
NUMERICAL_RTOL = 1e-10
NUMERICAL_ATOL_M = 1e-3
HISTORY_STEP_S = 6.0 * 3600.0  # sampling of the numerical mode's perigee/apogee history
_N_ECCENTRIC_ANOMALY = 128  # trapezoid nodes over E (spectral accuracy on a periodic integrand)
_ECCENTRIC_ANOMALY_RAD = np.arange(_N_ECCENTRIC_ANOMALY) * 2.0 * np.pi / _N_ECCENTRIC_ANOMALY
MODES = ("averaged", "numerical")

ProgressCallback = Callable[[float], None]  # called with the simulated seconds so far


class MeanElements(NamedTuple):
    """Orbit-averaged elements: a (m) and e from the perigee and apogee radii, angles (rad)."""

    a_m: float
    e: float
    i_rad: float
    raan_rad: float
    argp_rad: float


@dataclass(frozen=True, eq=False)
class LifetimeResult:
    """A predicted decay: the re-entry epoch (None if not within the span) and its history.

    ``epochs``, ``perigee_altitude_m`` and ``apogee_altitude_m`` sample the decay (heights of
    the mean or osculating apsides above the equatorial radius).
    """

    mode: str
    start: Epoch
    reentry: Epoch | None
    reentry_altitude_m: float
    epochs: Epoch
    perigee_altitude_m: np.ndarray
    apogee_altitude_m: np.ndarray

    @property
    def lifetime_s(self) -> float:
        """Seconds from start to re-entry (NaN when the orbit outlived the span)."""
        return float("nan") if self.reentry is None else self.reentry - self.start


class ReentryUncertainty(NamedTuple):
    """How well a predicted re-entry is known: its instant +- ``timing_s``; over that time the
    satellite flies ``revolutions`` and its ground track ``along_track_m`` (each way). When the
    whole window spans a revolution or more (``latitude_band_only``) the place is known only
    as the band of latitudes up to the inclination."""

    timing_s: float
    revolutions: float
    along_track_m: float
    latitude_band_only: bool
    inclination_rad: float

    def describe(self) -> str:
        """One line for the event log and reports."""
        timing = (f"{self.timing_s / DAY_S:.1f} d" if self.timing_s >= DAY_S
                  else f"{self.timing_s / 3600.0:.1f} h")
        head = (f"re-entry time +-{timing} (+-{PREDICTION_SPREAD * 100:.0f} % of the remaining "
                f"lifetime, Pardini & Anselmo), {self.revolutions:.1f} revolutions each way")
        if self.latitude_band_only:
            band_deg = np.degrees(min(self.inclination_rad, np.pi - self.inclination_rad))
            return f"{head}: place known only as the latitude band {band_deg:.1f} S to " \
                   f"{band_deg:.1f} N"
        return f"{head}: place anywhere within +-{self.along_track_m / 1e3:,.0f} km along " \
               "the ground track"


def reentry_uncertainty(remaining_s: float, inclination_rad: float,
                        reentry_altitude_m: float = REENTRY_ALTITUDE_M) -> ReentryUncertainty:
    """The spread of a re-entry predicted ``remaining_s`` ahead (:data:`PREDICTION_SPREAD`),
    in time, revolutions of the circular orbit at the re-entry altitude, and ground track
    (the sub-satellite point moves 2 pi R_E per revolution; Earth's rotation left out)."""
    if not (np.isfinite(remaining_s) and remaining_s >= 0.0):
        raise ValueError(f"remaining_s must be finite and >= 0, got {remaining_s!r}")
    timing_s = PREDICTION_SPREAD * remaining_s
    period_s = 2.0 * np.pi * np.sqrt((R_EARTH_M + reentry_altitude_m) ** 3 / GM_EARTH_M3PS2)
    revolutions = timing_s / period_s
    return ReentryUncertainty(float(timing_s), float(revolutions),
                              float(revolutions * 2.0 * np.pi * R_EARTH_M),
                              bool(2.0 * revolutions >= 1.0), float(inclination_rad))


def reentry(
    start: Epoch, r_gcrf_m: ArrayLike, v_gcrf_mps: ArrayLike, cd_area_over_mass_m2pkg: float,
    max_duration_s: float = MAX_DURATION_S, **options: Any,
) -> LifetimeResult:
    """Re-entry of a GCRF state (m, m/s), in the mode its span calls for.

    Spans up to :data:`NUMERICAL_SPAN_MAX_S` are propagated in full (:func:`reentry_numerical`);
    longer ones (Explorer 1's twelve years) in the orbit-averaged mode from the state's
    :func:`mean_elements` (within 5 % of full propagation, docs/lifetime.md). ``options``
    (space_weather, progress, density_table) go to the mode's function.
    """
    if max_duration_s <= NUMERICAL_SPAN_MAX_S:
        return reentry_numerical(start, r_gcrf_m, v_gcrf_mps, cd_area_over_mass_m2pkg,
                                 max_duration_s=max_duration_s, **options)
    return reentry_averaged(start, mean_elements(start, r_gcrf_m, v_gcrf_mps),
                            cd_area_over_mass_m2pkg, max_duration_s=max_duration_s, **options)


# --- orbit-averaged (King-Hele) -------------------------------------------------------------
def averaged_rates(
    t_tt_s: float, a_m: float, e: float, argp_rad: float, inclination_rad: float,
    cd_area_over_mass_m2pkg: float, density_table: DensityTable,
) -> tuple[float, float, float]:
    """(da/dt m/s, de/dt 1/s, d argp/dt rad/s) of mean elements under drag and J2 (module doc).

    The mean over E is the trapezoid rule on 128 nodes (spectrally accurate: periodic integrand).
    """
    cos_e = np.cos(_ECCENTRIC_ANOMALY_RAD)
    one_minus = 1.0 - e * cos_e
    one_plus = 1.0 + e * cos_e
    r_m = a_m * one_minus
    v_mps = np.sqrt(GM_EARTH_M3PS2 * (2.0 / r_m - 1.0 / a_m))
    nu_rad = 2.0 * np.arctan2(np.sqrt(1.0 + e) * np.sin(_ECCENTRIC_ANOMALY_RAD / 2.0),
                              np.sqrt(1.0 - e) * np.cos(_ECCENTRIC_ANOMALY_RAD / 2.0))
    height_m = r_m - _ellipsoid_radius_m(np.sin(inclination_rad) * np.sin(argp_rad + nu_rad))
    rho_f = density_table.density_kgpm3(t_tt_s, height_m) * (
        1.0 - r_m * OMEGA_EARTH_RADPS * np.cos(inclination_rad) / v_mps) ** 2
    ratio = np.sqrt(one_plus / one_minus)
    n_radps = np.sqrt(GM_EARTH_M3PS2 / a_m**3)
    da = -cd_area_over_mass_m2pkg * a_m**2 * n_radps * np.mean(rho_f * one_plus * ratio)
    de = -cd_area_over_mass_m2pkg * a_m * (1.0 - e**2) * n_radps * np.mean(rho_f * ratio * cos_e)
    p_m = a_m * (1.0 - e**2)
    dargp = 0.75 * n_radps * J2 * (R_EARTH_M / p_m) ** 2 * (5.0 * np.cos(inclination_rad)**2 - 1.0)
    return float(da), float(de), float(dargp)


def _ellipsoid_radius_m(sin_geocentric_latitude):
    """Distance from the centre to the WGS-84 ellipsoid along a geocentric latitude, m."""
    return R_POLAR_M / np.sqrt(1.0 - WGS84_E2 * (1.0 - sin_geocentric_latitude**2))


def _perigee_height_m(a_m, e, argp_rad, inclination_rad) -> float:
    return a_m * (1.0 - e) - float(_ellipsoid_radius_m(np.sin(inclination_rad) * np.sin(argp_rad)))


def _averaged_segment(t_tt_s, y, stop_tt_s, inclination_rad, cd_area_over_mass_m2pkg,
                      table, reentry_altitude_m, history):
    """RK4 on y = (a_m, e, argp_rad) from t_tt_s to stop_tt_s; returns (t, y, re-entered)."""

    def rates(t, state):
        return np.array(averaged_rates(t, state[0], state[1], state[2], inclination_rad,
                                       cd_area_over_mass_m2pkg, table))

    height = _perigee_height_m(y[0], y[1], y[2], inclination_rad)
    if height <= reentry_altitude_m:  # a perigee already below it: re-entry within the orbit
        return t_tt_s, y, True
    while t_tt_s < stop_tt_s:
        k1 = rates(t_tt_s, y)
        dt_s = min(AVERAGED_MAX_STEP_S, stop_tt_s - t_tt_s,
                   AVERAGED_MAX_DECAY_PER_STEP_M / max(-k1[0], 1e-30))
        k2 = rates(t_tt_s + dt_s / 2, y + dt_s / 2 * k1)
        k3 = rates(t_tt_s + dt_s / 2, y + dt_s / 2 * k2)
        k4 = rates(t_tt_s + dt_s, y + dt_s * k3)
        y_next = y + dt_s / 6.0 * (k1 + 2.0 * k2 + 2.0 * k3 + k4)
        y_next[1] = max(y_next[1], 0.0)
        if not np.all(np.isfinite(y_next)):
            raise PropagationError(f"averaged decay became non-finite at TT {t_tt_s:.1f} s, "
                                   f"a_m={y[0]:.1f}, e={y[1]:.6f}")
        height_next = _perigee_height_m(y_next[0], y_next[1], y_next[2], inclination_rad)
        if height_next <= reentry_altitude_m:
            fraction = (height - reentry_altitude_m) / (height - height_next)
            return t_tt_s + fraction * dt_s, y + fraction * (y_next - y), True
        t_tt_s, y, height = t_tt_s + dt_s, y_next, height_next
        history.append((t_tt_s, y[0] * (1.0 - y[1]), y[0] * (1.0 + y[1])))
    return t_tt_s, y, False


def reentry_averaged(
    start: Epoch,
    mean: MeanElements,
    cd_area_over_mass_m2pkg: float,
    space_weather: SpaceWeather | None = None,
    *,
    reentry_altitude_m: float = REENTRY_ALTITUDE_M,
    max_duration_s: float = MAX_DURATION_S,
    progress: ProgressCallback | None = None,
    density_table: DensityTable | None = None,
) -> LifetimeResult:
    """Re-entry of an orbit given by mean elements, orbit-averaged (King-Hele) mode.

    The NRLMSIS table is built in blocks of 30 days as the decay proceeds, unless a
    ``density_table`` covering the span is given (e.g. ``atmosphere.exponential_table()``).
    """
    _check_orbit(mean.a_m, mean.e, cd_area_over_mass_m2pkg, reentry_altitude_m)
    history = [(start.tt_s, mean.a_m * (1.0 - mean.e), mean.a_m * (1.0 + mean.e))]
    y = np.array([mean.a_m, mean.e, mean.argp_rad])

    def advance(t_tt_s, stop_tt_s, table):
        nonlocal y
        t_tt_s, y, reentered = _averaged_segment(
            t_tt_s, y, stop_tt_s, mean.i_rad, cd_area_over_mass_m2pkg, table,
            reentry_altitude_m, history)
        return t_tt_s, reentered

    reentry = _run_blocks(start, mean.i_rad, mean.a_m * (1.0 + mean.e), space_weather,
                          density_table, max_duration_s, progress, advance)
    if reentry is not None:
        history.append((reentry.tt_s, y[0] * (1.0 - y[1]), y[0] * (1.0 + y[1])))
    return _result("averaged", start, reentry, reentry_altitude_m, history)


def period_decrease_s(result: LifetimeResult, revolutions: float) -> float:
    """Anomalistic period lost (s) over the first ``revolutions`` of an averaged decay.

    Revolutions are counted as the integral of dt / P(t) over the sampled history (trapezoid;
    the period falls smoothly, by a few seconds a day).
    """
    a_m = (result.perigee_altitude_m + result.apogee_altitude_m) / 2.0 + R_EARTH_M
    period_s = 2.0 * np.pi * np.sqrt(a_m**3 / GM_EARTH_M3PS2)
    elapsed_s = result.epochs.tt_s - result.start.tt_s
    counted = np.concatenate([[0.0], np.cumsum(
        np.diff(elapsed_s) * 0.5 * (1.0 / period_s[1:] + 1.0 / period_s[:-1]))])
    if not counted[-1] >= revolutions:
        raise ValueError(f"the decay history covers {counted[-1]:.1f} revolutions, "
                         f"fewer than {revolutions!r}")
    return float(period_s[0] - np.interp(revolutions, counted, period_s))


def drag_scale_from_tracking(
    start: Epoch,
    mean: MeanElements,
    cd_area_over_mass_m2pkg: float,
    revolutions: float,
    tracked_period_decrease_s: float,
    space_weather: SpaceWeather | None = None,
    density_table: DensityTable | None = None,
) -> float:
    """The factor on Cd A/m that makes the averaged decay lose the tracked period.

    Tracking measures drag per revolution directly: the fall of the period over the first
    ``revolutions`` (King-Hele 1987: dT/dt is proportional to rho Cd A/m near perigee).
    The factor is what the model's drag lacks or has in excess, whatever the cause (area,
    Cd, density); a prediction made with it is a prediction from that tracking, as re-entry
    predictions from element sets fit their ballistic coefficient. The NRLMSIS table of the
    tracked span is built once, unless a ``density_table`` is given.
    """
    from scipy.optimize import brentq

    period_s = 2.0 * np.pi * np.sqrt(mean.a_m**3 / GM_EARTH_M3PS2)
    span_s = 1.2 * revolutions * period_s
    table = density_table or msis_table(
        start, start + span_s, mean.i_rad, space_weather,
        altitude_max_m=min(mean.a_m * (1.0 + mean.e) - R_POLAR_M + TABLE_MARGIN_ABOVE_APOGEE_M,
                           TABLE_ALTITUDE_MAX_M))

    def excess_s(scale: float) -> float:
        result = reentry_averaged(start, mean, scale * cd_area_over_mass_m2pkg,
                                  max_duration_s=span_s, density_table=table)
        try:
            return period_decrease_s(result, revolutions) - tracked_period_decrease_s
        except ValueError:
            if result.reentry is None:
                raise
            return period_s  # down within the tracked revolutions: far more drag than tracked

    if not 0.0 < tracked_period_decrease_s < period_s:
        raise ValueError(f"tracked_period_decrease_s must be in (0, {period_s:.0f}), got "
                         f"{tracked_period_decrease_s!r}")
    high = 2.0
    while excess_s(high) < 0.0:
        high *= 2.0
    return float(brentq(excess_s, 1e-3, high, xtol=1e-4))


# --- numerical ------------------------------------------------------------------------------
def reentry_numerical(
    start: Epoch,
    r_gcrf_m: ArrayLike,
    v_gcrf_mps: ArrayLike,
    cd_area_over_mass_m2pkg: float,
    space_weather: SpaceWeather | None = None,
    *,
    reentry_altitude_m: float = REENTRY_ALTITUDE_M,
    max_duration_s: float = MAX_DURATION_S,
    rtol: float = NUMERICAL_RTOL,
    progress: ProgressCallback | None = None,
    density_table: DensityTable | None = None,
) -> LifetimeResult:
    """Re-entry of a GCRF state (m, m/s) at ``start`` by DOP853 integration with drag.

    ``rtol`` is the integrator's relative tolerance (absolute: 1 mm, 1 mm/s).
    """
    y = np.concatenate([np.asarray(r_gcrf_m, float), np.asarray(v_gcrf_mps, float)])
    if y.shape != (6,) or not np.all(np.isfinite(y)):
        raise ValueError(f"r_gcrf_m and v_gcrf_mps must be finite 3-vectors, got {y!r}")
    elements = state_to_elements(y[:3], y[3:])
    _check_orbit(float(elements.a_m), float(elements.e), cd_area_over_mass_m2pkg,
                 reentry_altitude_m)
    history = [(start.tt_s, *_apsides_m(y))]

    def advance(t_tt_s, stop_tt_s, table):
        nonlocal y
        t_tt_s, reentered, y, samples = _propagate(
            t_tt_s, y, stop_tt_s - t_tt_s, cd_area_over_mass_m2pkg, table, rtol,
            reentry_altitude_m)
        history.extend((t, *_apsides_m(state)) for t, state in samples)
        return t_tt_s, reentered

    apogee_radius_m = float(elements.a_m * (1.0 + elements.e))
    reentry = _run_blocks(start, float(elements.i_rad), apogee_radius_m, space_weather,
                          density_table, max_duration_s, progress, advance)
    return _result("numerical", start, reentry, reentry_altitude_m, history)


def _propagate(t0_tt_s, y0, duration_s, cd_area_over_mass_m2pkg, table, rtol,
               reentry_altitude_m, history_step_s=HISTORY_STEP_S):
    """Numerical propagation for ``duration_s``: (stop time, re-entered, stop state, samples)."""
    from stationsim.astro.propagate import Numerical

    start = Epoch(t0_tt_s)
    propagator = Numerical(start, y0[:3], y0[3:], cd_area_over_mass_m2pkg, table, rtol=rtol,
                           atol=NUMERICAL_ATOL_M, reentry_altitude_m=reentry_altitude_m)
    sample_tt_s = t0_tt_s + np.arange(history_step_s, duration_s, history_step_s)
    result = propagator.run(Epoch(sample_tt_s), until=start + duration_s)
    states = np.hstack([result.r_gcrf_m, result.v_gcrf_mps])
    samples = [(t, state) for t, state in zip(sample_tt_s, states, strict=True)
               if np.all(np.isfinite(state))]
    stop = result.stop
    return (stop.epoch.tt_s, result.reentry is not None, np.concatenate([stop.r_m, stop.v_mps]),
            samples)


def _apsides_m(y) -> tuple[float, float]:
    elements = state_to_elements(y[:3], y[3:])
    a_m, e = float(elements.a_m), float(elements.e)
    return a_m * (1.0 - e), a_m * (1.0 + e)


# --- mean <-> osculating ----------------------------------------------------------------------
def mean_elements(
    start: Epoch,
    r_gcrf_m: ArrayLike,
    v_gcrf_mps: ArrayLike,
    n_samples: int = 720,
) -> MeanElements:
    """Orbit-averaged elements of a GCRF state (m, m/s), as the averaged mode reads them.

    One revolution of J2..J6 motion is sampled: a and e come from the smallest and largest
    radius (the actual perigee and apogee, J2 short-period terms included: the osculating a
    of a low orbit sits up to ~10 km above its radius), i, RAAN and the argument of perigee
    from the time-averaged angular-momentum and eccentricity vectors.
    """
    y0 = np.concatenate([np.asarray(r_gcrf_m, float), np.asarray(v_gcrf_mps, float)])
    elements = state_to_elements(y0[:3], y0[3:])
    period_s = 2.0 * np.pi * np.sqrt(float(elements.a_m) ** 3 / GM_EARTH_M3PS2)
    step_s = period_s / n_samples
    *_, samples = _propagate(start.tt_s, y0, period_s - step_s / 2, 0.0, None, 1e-12,
                               0.0, history_step_s=step_s)
    states = np.array([y0] + [state for _, state in samples])
    r, v = states[:, :3], states[:, 3:]
    radius_m = np.linalg.norm(r, axis=1)
    perigee_m, apogee_m = radius_m.min(), radius_m.max()
    h = np.cross(r, v)
    e_mean = (np.cross(v, h) / GM_EARTH_M3PS2 - r / radius_m[:, None]).mean(axis=0)
    h_mean = h.mean(axis=0)
    node = np.cross([0.0, 0.0, 1.0], h_mean)
    argp = np.arctan2(np.dot(np.cross(node, e_mean), h_mean) / np.linalg.norm(h_mean),
                      np.dot(node, e_mean))
    return MeanElements((perigee_m + apogee_m) / 2.0,
                        (apogee_m - perigee_m) / (apogee_m + perigee_m),
                        float(np.arccos(h_mean[2] / np.linalg.norm(h_mean))),
                        float(np.arctan2(node[1], node[0]) % (2 * np.pi)),
                        float(argp % (2 * np.pi)))


def state_from_mean_elements(start: Epoch, mean: MeanElements, mean_anomaly_rad: float = 0.0,
                             iterations: int = 3) -> tuple[np.ndarray, np.ndarray]:
    """GCRF (r_m, v_mps) whose :func:`mean_elements` match ``mean`` in a and e (fixed point)."""
    a_m, e = mean.a_m, mean.e
    nu_rad = float(mean_to_true(mean_anomaly_rad, mean.e))
    for _ in range(iterations):
        r, v = elements_to_state(a_m, e, mean.i_rad, mean.raan_rad, mean.argp_rad, nu_rad)
        achieved = mean_elements(start, r, v)
        a_m += mean.a_m - achieved.a_m
        e = max(e + mean.e - achieved.e, 0.0)
    return elements_to_state(a_m, e, mean.i_rad, mean.raan_rad, mean.argp_rad, nu_rad)


# --- shared -----------------------------------------------------------------------------------
def _run_blocks(start, inclination_rad, apogee_radius_m, space_weather, density_table,
                max_duration_s, progress, advance) -> Epoch | None:
    """Advance block by block (each with its NRLMSIS table) until re-entry or the span ends.

    Tables reach 100 km above the apogee (drag only lowers it), at most to 1000 km.
    """
    if not max_duration_s > 0.0:
        raise ValueError(f"max_duration_s must be > 0, got {max_duration_s!r}")
    t_tt_s = start.tt_s
    stop_tt_s = start.tt_s + max_duration_s
    altitude_max_m = min(apogee_radius_m - R_POLAR_M + TABLE_MARGIN_ABOVE_APOGEE_M,
                         TABLE_ALTITUDE_MAX_M)
    while t_tt_s < stop_tt_s:
        block_stop_tt_s = min(t_tt_s + TABLE_BLOCK_S, stop_tt_s)
        table = density_table or msis_table(
            Epoch(t_tt_s), Epoch(block_stop_tt_s), inclination_rad, space_weather,
            altitude_max_m=altitude_max_m)
        t_tt_s, reentered = advance(t_tt_s, block_stop_tt_s, table)
        if progress is not None:
            progress(t_tt_s - start.tt_s)
        if reentered:
            return Epoch(t_tt_s)
    return None


def _result(mode, start, reentry, reentry_altitude_m, history) -> LifetimeResult:
    t_tt_s, perigee_r_m, apogee_r_m = np.array(history).T
    return LifetimeResult(mode, start, reentry, reentry_altitude_m, Epoch(t_tt_s),
                          perigee_r_m - R_EARTH_M, apogee_r_m - R_EARTH_M)


def _check_orbit(a_m, e, cd_area_over_mass_m2pkg, reentry_altitude_m) -> None:
    if not (np.isfinite(a_m) and a_m > 0.0 and 0.0 <= e < 1.0):
        raise ValueError(f"need an ellipse (a_m > 0, 0 <= e < 1), got a_m={a_m!r}, e={e!r}")
    if not (np.isfinite(cd_area_over_mass_m2pkg) and cd_area_over_mass_m2pkg > 0.0):
        raise ValueError(
            f"cd_area_over_mass_m2pkg must be > 0, got {cd_area_over_mass_m2pkg!r}")
    if not 0.0 < reentry_altitude_m < a_m * (1.0 - e) - R_POLAR_M:
        raise ValueError(
            f"reentry_altitude_m={reentry_altitude_m!r} must be > 0 and below the perigee "
            f"({(a_m * (1.0 - e) - R_EARTH_M) / 1e3:.1f} km above the equatorial radius)")
