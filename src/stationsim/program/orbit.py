"""A station's orbit as the engine carries it: numerical propagation between events.

Between two events the station's mass and drag area are fixed, so its orbit is integrated
(DOP853, EGM-96 zonals J2..J6, drag from an orbit-averaged NRLMSIS 2.1 table of the real space
weather; :mod:`stationsim.astro.propagate`) with that segment's Cd*A/m. Impulsive burns change
the velocity; a tracking update replaces the state, and the difference between the model and
the tracked orbit just before is kept as a check of the drag and reboost models.

States are sampled on a fixed grid (``sample_step_s``, 8 minutes by default, about 1/12 of a
LEO revolution) so that the altitude band of every sampled revolution can be reported: see
:func:`orbit_summary`. A run whose record is not tabulated (a campaign's sample) keeps only the
samples of each leg's last revolutions, which the reboost policy reads: the integrator's steps
do not depend on the times asked for, so those samples are the same either way.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import GM_EARTH_M3PS2, R_EARTH_M
from stationsim.astro.elements import state_to_elements
from stationsim.astro.propagate import Numerical, OrbitState
from stationsim.astro.time import Epoch

if TYPE_CHECKING:
    from stationsim.astro.atmosphere import DensityTable

SAMPLE_STEP_S = 480.0
# A station's orbit over years is limited by drag (NRLMSIS densities are good to 10-20 %), not
# by integration. Mir's orbit (390-400 km, its Cd*A/m, the program's density table) at rtol
# 1e-10 (atol 1e-4) stays within 3 mm after a day, 21 m after 30 days (the longest leg between
# events) and 0.25 km after 100 days of the 1e-12 default; a density 10 % higher moves it
# 60-160 m, 59-172 km and 0.6-1.8 Mm. 1e-9 (0.09 m, 240 m, 2.7 km; 23 % fewer steps) would
# still be under 0.4 % of that, but it moved shuttle-mir's STS-84 onto an assumed phase (its
# planning then costs what the steps save).
STATION_RTOL = 1e-10
STATION_ATOL = 1e-4
TAIL_PERIODS = 2.0  # without the whole record, a leg's samples kept over its last 2 periods


@dataclass(frozen=True)
class TrackingDrift:
    """Model minus tracking at one update: semi-major axis (m), node and argument of latitude,
    and the phase as a distance along the track (m, the phase times the tracked radius)."""

    t_s: float
    d_altitude_m: float
    d_raan_rad: float
    d_phase_rad: float
    d_along_track_m: float


class StationOrbit:
    """The orbit of one station, advanced in time order by the engine.

    ``density_table`` is a :class:`stationsim.astro.atmosphere.DensityTable` covering the
    program; ``sample_t0_s`` anchors the sampling grid (TT seconds since J2000);
    ``keep_samples: False`` keeps the samples of each leg's last TAIL_PERIODS revolutions only
    (those that :meth:`last_revolution_radii_m` reads).
    """

    def __init__(
        self,
        state: OrbitState,
        density_table: DensityTable | None,
        sample_t0_s: float,
        sample_step_s: float = SAMPLE_STEP_S,
        keep_samples: bool = True,
    ) -> None:
        self.state = state
        self.keep_samples = keep_samples
        self.density_table = density_table
        self._forces = Numerical(state.epoch, state.r_m, state.v_mps, density_table=density_table,
                                 rtol=STATION_RTOL, atol=STATION_ATOL)
        self.sample_step_s = float(sample_step_s)
        self.sample_t0_s = float(sample_t0_s)
        self._next_sample_s = sample_t0_s + self.sample_step_s * np.ceil(
            (state.epoch.tt_s - sample_t0_s) / self.sample_step_s
        )
        self._samples_t: list[np.ndarray] = []
        self._samples_rv: list[np.ndarray] = []
        self.reentered: OrbitState | None = None

    @property
    def t_s(self) -> float:
        return self.state.epoch.tt_s

    def advance_to(self, t_s: float, cd_area_over_mass_m2pkg: float) -> OrbitState:
        """Propagate to ``t_s`` with this Cd*A/m (m^2/kg), sampling the grid on the way.

        If the orbit decays through the re-entry altitude first, the state stops there and
        ``reentered`` holds it.
        """
        if self.reentered is not None or t_s <= self.t_s:
            return self.state
        count = int(np.floor((t_s - self._next_sample_s) / self.sample_step_s + 1e-9)) + 1
        grid = self._next_sample_s + self.sample_step_s * np.arange(max(count, 0))
        asked = grid
        if not self.keep_samples:
            tail_s = TAIL_PERIODS * 2.0 * np.pi * np.sqrt(
                self._osculating_a_m() ** 3 / GM_EARTH_M3PS2)
            if np.isfinite(tail_s):
                asked = grid[grid >= t_s - tail_s]
        propagator = self._forces.from_state(self.state, cd_area_over_mass_m2pkg)
        result = propagator.run(Epoch(asked), until=Epoch(t_s))
        if result.reentry is not None and asked.size < grid.size:  # the samples before it
            asked = grid
            result = propagator.run(Epoch(asked), until=Epoch(t_s))
        kept = np.isfinite(result.r_gcrf_m[:, 0])
        if kept.any():
            self._samples_t.append(asked[kept])
            self._samples_rv.append(np.hstack([result.r_gcrf_m[kept], result.v_gcrf_mps[kept]]))
        self._next_sample_s = grid[-1] + self.sample_step_s if grid.size else self._next_sample_s
        self.state = result.stop
        if result.reentry is not None:
            self.reentered = result.stop
        return self.state

    def sample_times(self, start_s: float, stop_s: float) -> np.ndarray:
        """The times of the sampling grid within [start_s, stop_s) (TT seconds)."""
        first = np.ceil((start_s - self.sample_t0_s) / self.sample_step_s)
        last = np.ceil((stop_s - self.sample_t0_s) / self.sample_step_s)
        return self.sample_t0_s + self.sample_step_s * np.arange(first, last)

    def planning_propagator(self, cd_area_over_mass_m2pkg: float) -> Numerical:
        """The station's predicted orbit from now on, as flight planners would propagate it."""
        return self._forces.from_state(self.state, cd_area_over_mass_m2pkg)

    def mean_altitude_m(self) -> float:
        """Mean of |r| minus the equatorial radius over the last sampled revolution, m.

        Averaging over a revolution removes the J2 short-period swing (~10 km) that the
        osculating semi-major axis carries. Falls back to the osculating value without samples.
        """
        radii_m = self.last_revolution_radii_m()
        if radii_m is None:
            return float(self._osculating_a_m() - R_EARTH_M)
        return float(radii_m.mean() - R_EARTH_M)

    def _osculating_a_m(self) -> float:
        r = np.linalg.norm(self.state.r_m)
        return 1.0 / (2.0 / r - np.dot(self.state.v_mps, self.state.v_mps) / GM_EARTH_M3PS2)

    def last_revolution_radii_m(self) -> np.ndarray | None:
        """|r| (m) of the samples of the last revolution in the last propagation; None when it
        covered less than a revolution."""
        if not self._samples_t:
            return None
        period_s = 2.0 * np.pi * np.sqrt(self._osculating_a_m() ** 3 / GM_EARTH_M3PS2)
        recent = self._samples_t[-1] >= self.t_s - period_s
        if recent.sum() < period_s / self.sample_step_s - 1:
            return None
        return np.linalg.norm(self._samples_rv[-1][recent, :3], axis=1)

    def apply_dv(self, dv_gcrf_mps: ArrayLike) -> None:
        """Add an impulsive velocity change (GCRF, m/s) at the present state."""
        self.state = OrbitState(
            self.state.epoch,
            self.state.r_m,
            self.state.v_mps + np.asarray(dv_gcrf_mps, dtype=float),
        )

    def shift_along_track(self, shift_rad: float) -> None:
        """Move the station ``shift_rad`` along its orbit at the present epoch, energy, plane
        and apsides unchanged (:func:`stationsim.program.phase.shifted_along_track`)."""
        from stationsim.program.phase import shifted_along_track

        self.state = shifted_along_track(self.state, shift_rad)

    def adopt(self, tracked: OrbitState) -> TrackingDrift:
        """Replace the state by a tracked one at the same epoch; return model minus tracking.

        If the model had re-entered before, the drift is taken from its last (re-entry) state.
        """
        if self.reentered is None and abs(tracked.epoch.tt_s - self.t_s) > 1e-3:
            raise ValueError(
                f"tracked state at {tracked.epoch.utc_iso()} is not at the orbit's epoch "
                f"{self.state.epoch.utc_iso()}; advance the orbit first"
            )
        a_model_m, raan_model_rad, u_model_rad = _plane_and_phase(self.state)
        a_track_m, raan_track_rad, u_track_rad = _plane_and_phase(tracked)
        d_phase_rad = float(_wrap(u_model_rad - u_track_rad))
        drift = TrackingDrift(
            self.t_s,
            a_model_m - a_track_m,
            float(_wrap(raan_model_rad - raan_track_rad)),
            d_phase_rad,
            d_phase_rad * math.hypot(*tracked.r_m),
        )
        self.state = tracked
        self.reentered = None  # tracking says the station still flies, whatever the model did
        return drift

    def samples(self) -> tuple[np.ndarray, np.ndarray]:
        """Sampled (t_s (N,), state (N, 6)) so far, in time order."""
        if not self._samples_t:
            return np.empty(0), np.empty((0, 6))
        return np.concatenate(self._samples_t), np.vstack(self._samples_rv)


def _wrap(angle_rad):
    return (np.asarray(angle_rad) + np.pi) % (2.0 * np.pi) - np.pi


def _plane_and_phase(state: OrbitState) -> tuple[float, float, float]:
    """Osculating semi-major axis (m), node and argument of latitude (rad) of one state, in
    scalar arithmetic (an adoption is thousands of them; Vallado 4th ed. Alg. 9)."""
    rx, ry, rz = (float(x) for x in state.r_m)
    vx, vy, vz = (float(x) for x in state.v_mps)
    r_m = math.sqrt(rx * rx + ry * ry + rz * rz)
    a_m = 1.0 / (2.0 / r_m - (vx * vx + vy * vy + vz * vz) / GM_EARTH_M3PS2)
    hx, hy, hz = ry * vz - rz * vy, rz * vx - rx * vz, rx * vy - ry * vx
    h_m2ps = math.sqrt(hx * hx + hy * hy + hz * hz)
    node = math.hypot(hx, hy)
    if node == 0.0:  # equatorial: the node is taken along x
        return a_m, 0.0, math.atan2(ry * math.copysign(1.0, hz), rx)
    raan_rad = math.atan2(hx, -hy)
    u_rad = math.atan2(rz * h_m2ps / node, rx * math.cos(raan_rad) + ry * math.sin(raan_rad))
    return a_m, raan_rad, u_rad


def orbit_summary(t_s: np.ndarray, states: np.ndarray, at_s: np.ndarray) -> dict[str, np.ndarray]:
    """Altitude band and plane of the orbit at times ``at_s`` from the sampled states.

    Perigee, apogee and mean altitude are the minimum, maximum and mean of |r| minus the
    equatorial radius over the samples of the revolution that starts at each time (the way a
    tracked orbit's band is quoted; J2 short-period terms included); inclination and node are
    osculating at the first sample. Times with no sample within one step, and times whose
    revolution runs past the last sample (a part of one is no band), get NaN.
    """
    out = {
        key: np.full(np.shape(at_s), np.nan)
        for key in ("perigee_m", "apogee_m", "mean_altitude_m", "inclination_rad", "raan_rad")
    }
    if t_s.size == 0:
        return out
    radius_m = np.linalg.norm(states[:, :3], axis=1) - R_EARTH_M
    step_s = float(np.median(np.diff(t_s))) if t_s.size > 1 else 1.0
    first = np.searchsorted(t_s, np.asarray(at_s) - 1e-6)
    valid = first < t_s.size
    valid[valid] &= np.abs(t_s[first[valid]] - np.asarray(at_s)[valid]) <= step_s
    elements = state_to_elements(states[first[valid], :3], states[first[valid], 3:])
    period_s = 2.0 * np.pi * np.sqrt(np.abs(elements.a_m) ** 3 / GM_EARTH_M3PS2)
    width = int(min(max(np.rint(np.median(period_s) / step_s), 1), radius_m.size))
    padded = np.concatenate([radius_m, np.full(width - 1, np.nan)])
    windows = np.lib.stride_tricks.sliding_window_view(padded, width)[first[valid]]
    whole = np.isfinite(windows).all(axis=1)  # a revolution cut by the last sample: no band
    valid[valid] = whole
    out["perigee_m"][valid] = np.min(windows[whole], axis=1)
    out["apogee_m"][valid] = np.max(windows[whole], axis=1)
    out["mean_altitude_m"][valid] = np.mean(windows[whole], axis=1)
    out["inclination_rad"][valid] = np.asarray(elements.i_rad)[whole]
    out["raan_rad"][valid] = np.asarray(elements.raan_rad)[whole]
    return out
