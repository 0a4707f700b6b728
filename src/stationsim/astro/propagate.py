"""One propagator interface over analytic, numerical and SGP4 motion, GCRF in SI.

Every propagator answers ``states(epochs) -> (r_gcrf_m, v_gcrf_mps)`` of shape
``(*epochs.shape, 3)`` and ``state_at(epoch) -> OrbitState``:

- :class:`TwoBody`: Kepler motion (universal variables, :mod:`stationsim.astro.kepler`).
- :class:`J2Secular`: Kepler plus first-order J2 secular drift (~10 km along-track in LEO).
- :class:`Numerical`: DOP853 on point mass + EGM-96 zonals J2..J6 + drag
  (:mod:`stationsim.astro.integrate`, :mod:`stationsim.astro.forces`); about 0.1 mm per day for
  an ISS-like orbit at the default tolerances, against a tighter integration of the same forces.
  With ``third_bodies`` it adds the Moon's and the Sun's pull (DE421, :mod:`.ephemeris`); with
  ``central_body="moon"`` states are Moon-centred (GCRF axes) under the lunar point mass and J2
  about the Moon's pole, the Earth and the Sun as third bodies (0.5 mm and 0.03 mm over a day
  against scipy's DOP853 on jplephem, tests/astro/test_third_body.py); :mod:`.cislunar` carries
  a flight across the Moon's sphere of influence, switching the centre there.
- :class:`Sgp4Propagator`: SGP4 from a TLE (:mod:`stationsim.astro.tle`), TEME rotated to GCRF.

>>> t0 = Epoch.from_utc(1998, 11, 20, 6, 40)
>>> iss = Numerical(t0, [6778137.0, 0.0, 0.0], [0.0, 4800.0, 5980.0], zonal_degree=2)
>>> later = iss.propagate_to(t0 + 5400.0)
>>> later.epoch.utc_iso(), round(float(np.linalg.norm(later.r_m)) / 1e3)
('1998-11-20T08:10:00.000Z', 6778)
"""

from __future__ import annotations

import copy
import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro import integrate
from stationsim.astro.constants import (
    GM_EARTH_M3PS2,
    J2_MOON,
    MU_MOON_M3PS2,
    OMEGA_EARTH_RADPS,
    R_EARTH_M,
    R_MOON_GRAVITY_M,
    R_MOON_M,
    R_POLAR_M,
    WGS84_E2,
)
from stationsim.astro.ephemeris import NO_BODY_TABLE, body_table, check_bodies
from stationsim.astro.forces import (
    MAX_ZONAL_DEGREE,
    NO_DENSITY_TABLE,
    check_density_table,
    height_m,
    zonal_coefficients,
)
from stationsim.astro.kepler import propagate_j2_secular, propagate_kepler
from stationsim.astro.moon_frame import pole_gcrf
from stationsim.astro.time import Epoch
from stationsim.errors import PropagationError

if TYPE_CHECKING:
    from stationsim.astro.atmosphere import DensityTable
    from stationsim.astro.tle import Tle

DEFAULT_RTOL = 1e-12
DEFAULT_ATOL = 1e-6  # on metres and metres per second alike
DEFAULT_REENTRY_ALTITUDE_M = 100e3
_STEPS_PER_REVOLUTION = 2000  # max_steps budget: DOP853 takes ~50 per LEO revolution
_EVENTS_PER_REVOLUTION = 8  # per event spec; J2 short-period terms add apsides near e = 0

EVENT_KIND_CODES = {
    "altitude": integrate.EVENT_ALTITUDE,
    "node": integrate.EVENT_NODE,
    "apsis": integrate.EVENT_APSIS,
    "radius": integrate.EVENT_RADIUS,
    "latitude": integrate.EVENT_LATITUDE,
}


def _state_vectors(epoch: Epoch, r_m, v_mps) -> tuple[np.ndarray, np.ndarray]:
    """Validate one GCRF state; PropagationError names the epoch and state when non-finite."""
    if not (isinstance(epoch, Epoch) and isinstance(epoch.tt_s, float)):  # one instant
        raise ValueError(f"epoch must be a scalar Epoch, got {epoch!r}")
    r = np.asarray(r_m, dtype=float)
    v = np.asarray(v_mps, dtype=float)
    if r.shape != (3,) or v.shape != (3,):
        raise ValueError(f"r_m and v_mps must have shape (3,), got {r.shape} and {v.shape}")
    if not (np.isfinite(r).all() and np.isfinite(v).all()):
        raise PropagationError(
            f"non-finite state at {epoch.utc_iso()}: r_m={r.tolist()}, v_mps={v.tolist()}"
        )
    return r, v


@dataclass(frozen=True, eq=False)
class OrbitState:
    """A GCRF state (r m, v m/s) at one epoch; ``propagate`` gives a new state."""

    epoch: Epoch
    r_m: np.ndarray
    v_mps: np.ndarray

    def __post_init__(self):
        r, v = _state_vectors(self.epoch, self.r_m, self.v_mps)
        object.__setattr__(self, "r_m", r)
        object.__setattr__(self, "v_mps", v)

    @classmethod
    def of_kernel(cls, epoch: Epoch, y: np.ndarray) -> OrbitState:
        """The state (r, v) = ``y`` (6,) written by an integration kernel, which leaves it
        finite: copied without the checks of a state from outside."""
        state = object.__new__(cls)
        object.__setattr__(state, "epoch", epoch)
        object.__setattr__(state, "r_m", y[:3].copy())
        object.__setattr__(state, "v_mps", y[3:].copy())
        return state

    def propagate(self, to: Epoch | float, **numerical_options: Any) -> OrbitState:
        """State at epoch ``to`` (or ``to`` seconds later) by :class:`Numerical` propagation.

        ``numerical_options`` are those of :class:`Numerical`; stops early at re-entry (the
        returned epoch is then the re-entry time).
        """
        target = to if isinstance(to, Epoch) else self.epoch + float(to)
        return Numerical(self.epoch, self.r_m, self.v_mps, **numerical_options).propagate_to(target)


class EventSpec(NamedTuple):
    """An event to locate: ``kind`` in EVENT_KIND_CODES, its ``value`` (m or rad) and the sense
    of crossing in time (+1 rising, -1 falling, 0 both); g per kind as in ``integrate``."""

    kind: str
    value: float = 0.0
    direction: int = 0


ASCENDING_NODE = EventSpec("node", 0.0, 1)
DESCENDING_NODE = EventSpec("node", 0.0, -1)
PERIGEE = EventSpec("apsis", 0.0, 1)
APOGEE = EventSpec("apsis", 0.0, -1)


class Event(NamedTuple):
    """A located event: its epoch, the spec that fired (``None`` for re-entry) and the state."""

    epoch: Epoch
    spec: EventSpec | None
    r_m: np.ndarray
    v_mps: np.ndarray


@dataclass(frozen=True, eq=False)
class PropagationResult:
    """States at the requested epochs (NaN after a stop), events in time order, and the stop."""

    r_gcrf_m: np.ndarray
    v_gcrf_mps: np.ndarray
    events: list[Event]
    stop: OrbitState | None = None
    reentry: Event | None = None


def _event_table(events) -> np.ndarray:
    rows = []
    for spec in events:
        spec = EventSpec(*spec)
        if spec.kind not in EVENT_KIND_CODES:
            raise ValueError(f"event kind must be one of {sorted(EVENT_KIND_CODES)}, got {spec!r}")
        if spec.direction not in (-1, 0, 1):
            raise ValueError(f"event direction must be -1, 0 or +1, got {spec!r}")
        rows.append((EVENT_KIND_CODES[spec.kind], float(spec.value), float(spec.direction)))
    return np.array(rows, dtype=float).reshape(-1, 3)


class CentralBody(NamedTuple):
    """What the kernels need of the body a state is measured from (:func:`body_constants`)."""

    name: str
    gm_m3ps2: float
    r_eq_m: float  # reference radius of the zonal coefficients
    zonal_j: np.ndarray
    r_polar_m: float  # the surface heights are measured from: polar radius, e^2 (0: sphere)
    e2: float


def body_constants(name: str, zonal_degree: int = MAX_ZONAL_DEGREE) -> CentralBody:
    """The Earth (EGM-96 zonals to ``zonal_degree``, WGS-84 surface) or the Moon (J2 of LP165P
    when ``zonal_degree`` >= 2, a sphere of the IAU mean radius)."""
    if name == "earth":
        return CentralBody("earth", GM_EARTH_M3PS2, R_EARTH_M, zonal_coefficients(zonal_degree),
                           R_POLAR_M, WGS84_E2)
    if name == "moon":
        zonal_j = np.array([0.0, 0.0, J2_MOON if zonal_degree >= 2 else 0.0])
        return CentralBody("moon", MU_MOON_M3PS2, R_MOON_GRAVITY_M, zonal_j, R_MOON_M, 0.0)
    raise ValueError(f"central_body must be 'earth' or 'moon', got {name!r}")


EARTH = body_constants("earth")


def _revolutions(duration_s: float, body: CentralBody = EARTH) -> float:
    """Upper bound on revolutions in ``duration_s`` (period of a grazing circular orbit)."""
    return duration_s / (2.0 * math.pi * math.sqrt(body.r_polar_m**3 / body.gm_m3ps2)) + 1.0


class Propagator:
    """Common interface: GCRF states at an Epoch (scalar or array)."""

    def states(self, epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
        """(r_gcrf_m, v_gcrf_mps), each of shape (*epochs.shape, 3)."""
        raise NotImplementedError

    def state_at(self, epoch: Epoch) -> OrbitState:
        """The state at one epoch as an :class:`OrbitState`."""
        r_m, v_mps = self.states(epoch)
        return OrbitState(epoch, r_m, v_mps)


def _check_epochs(epochs) -> Epoch:
    if not isinstance(epochs, Epoch):
        raise ValueError(f"epochs must be an Epoch, got {type(epochs).__name__} {epochs!r}")
    return epochs


class _AnalyticFromState(Propagator):
    """Closed-form motion of one initial state by ``advance(r0_m, v0_mps, dt_s)``."""

    advance = None  # set by each subclass

    def __init__(self, epoch0: Epoch, r0_m, v0_mps):
        self.initial = OrbitState(epoch0, r0_m, v0_mps)

    def states(self, epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
        dt_s = _check_epochs(epochs) - self.initial.epoch
        return type(self).advance(self.initial.r_m, self.initial.v_mps, dt_s)


class TwoBody(_AnalyticFromState):
    """Kepler motion from (epoch0, r0_m, v0_mps), GM of EGM-96."""

    advance = staticmethod(propagate_kepler)


class J2Secular(_AnalyticFromState):
    """Kepler motion with first-order J2 secular node, perigee and anomaly rates.

    The fast planning model (:func:`stationsim.astro.kepler.j2_secular_kernel`: about 2
    microseconds per state in arrays, about 10 for one state); elliptic orbits only
    (ValueError otherwise).
    """

    advance = staticmethod(propagate_j2_secular)

    def __init__(self, epoch0: Epoch, r0_m: ArrayLike, v0_mps: ArrayLike) -> None:
        super().__init__(epoch0, r0_m, v0_mps)
        r, v = self.initial.r_m, self.initial.v_mps
        inverse_a = 2.0 / math.sqrt(r @ r) - (v @ v) / GM_EARTH_M3PS2
        if not inverse_a > 0.0:
            raise ValueError(f"J2Secular needs an elliptic orbit, got 1/a = {inverse_a!r} /m")


class Sgp4Propagator(Propagator):
    """SGP4 from a :class:`stationsim.astro.tle.Tle`, rotated from TEME to GCRF."""

    def __init__(self, tle: Tle, dut1_s: float = 0.0) -> None:
        self.tle = tle
        self.dut1_s = dut1_s

    def states(self, epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
        return self.tle.state_at(_check_epochs(epochs), self.dut1_s)


def _check_above_surface(epoch_tt_s: float, r_m: np.ndarray, v_mps: np.ndarray,
                         body: CentralBody = EARTH) -> None:
    """PropagationError naming epoch and state when r is below the central body's surface."""
    below_m = height_m(r_m[0], r_m[1], r_m[2], body.r_polar_m, body.e2)
    if below_m < 0.0:
        surface = "WGS-84" if body.name == "earth" else "lunar"
        raise PropagationError(
            f"state below the {surface} surface ({below_m:.0f} m) at "
            f"{Epoch(epoch_tt_s).utc_iso()}: r_m={r_m.tolist()}, v_mps={v_mps.tolist()}"
        )


def _check_options(cd_area_over_mass_m2pkg, density_table, rtol, atol, reentry_altitude_m):
    """Validate the numerical options; returns Cd*A/m as a float array."""
    cd_am = np.asarray(cd_area_over_mass_m2pkg, dtype=float)
    if not np.all(np.isfinite(cd_am) & (cd_am >= 0.0)):
        raise ValueError(f"cd_area_over_mass_m2pkg must be >= 0, got {cd_area_over_mass_m2pkg!r}")
    if np.any(cd_am > 0.0) and density_table is None:
        raise ValueError("drag (cd_area_over_mass_m2pkg > 0) needs a density_table")
    if not (0.0 < rtol < 1.0 and atol > 0.0):
        raise ValueError(f"rtol must be in (0, 1) and atol > 0, got rtol={rtol!r}, atol={atol!r}")
    if not math.isfinite(reentry_altitude_m):
        raise ValueError(f"reentry_altitude_m must be finite, got {reentry_altitude_m!r}")
    return cd_am


class Numerical(Propagator):
    """DOP853 propagation on point mass + EGM-96 zonals to ``zonal_degree`` + co-rotating drag.

    ``cd_area_over_mass_m2pkg`` (Cd*A/m, m^2/kg; 0 = no drag) needs a ``density_table`` in the
    layout of :mod:`stationsim.astro.forces`. ``rtol``/``atol`` are the DOP853 tolerances
    (atol on m and m/s). Integration stops at ``reentry_altitude_m`` above the central body's
    surface (WGS-84; a normal stop reported in :meth:`run`); epochs before ``epoch0`` are
    reached by integrating backward. ``central_body`` 'moon' measures states from the Moon's
    centre (GCRF axes; lunar point mass and J2 about its pole at ``epoch0``, no drag);
    ``third_bodies`` ('moon', 'sun', 'earth': not the central one) add their point-mass pull
    from DE421 sampled hourly (:func:`stationsim.astro.ephemeris.body_table`).
    """

    def __init__(
        self, epoch0: Epoch, r0_m: ArrayLike, v0_mps: ArrayLike,
        cd_area_over_mass_m2pkg: float = 0.0, density_table: DensityTable | tuple | None = None,
        zonal_degree: int = MAX_ZONAL_DEGREE, rtol: float = DEFAULT_RTOL,
        atol: float = DEFAULT_ATOL, reentry_altitude_m: float = DEFAULT_REENTRY_ALTITUDE_M,
        central_body: str = "earth", third_bodies: Iterable[str] = (),
    ) -> None:
        self.initial = OrbitState(epoch0, r0_m, v0_mps)
        self.body = body_constants(central_body, zonal_degree)
        self.third_bodies = check_bodies(central_body, third_bodies)
        _check_above_surface(self.initial.epoch.tt_s, self.initial.r_m, self.initial.v_mps,
                             self.body)
        cd_am = _check_options(cd_area_over_mass_m2pkg, density_table, rtol, atol,
                               reentry_altitude_m)
        cd_am = float(cd_am)
        if cd_am > 0.0 and central_body != "earth":
            raise ValueError("drag is the Earth's atmosphere: cd_area_over_mass_m2pkg must be 0 "
                             f"about the {central_body}")
        self.cd_area_over_mass_m2pkg = cd_am
        self.density_table = check_density_table(density_table)
        self.zonal_j = self.body.zonal_j
        self.rtol = float(rtol)
        self.atol = float(atol)
        self.reentry_altitude_m = float(reentry_altitude_m)

    def from_state(self, state: OrbitState, cd_area_over_mass_m2pkg: float | None = None
                   ) -> Numerical:
        """The same forces and tolerances from ``state`` (with another Cd*A/m, m^2/kg, if
        given): a new leg at the cost of its own checks only, the density table being checked.
        """
        leg = copy.copy(self)
        leg.initial = state
        _check_above_surface(state.epoch.tt_s, state.r_m, state.v_mps, self.body)
        if cd_area_over_mass_m2pkg is not None:
            cd_am = float(cd_area_over_mass_m2pkg)
            if not (math.isfinite(cd_am) and cd_am >= 0.0):
                raise ValueError(
                    f"cd_area_over_mass_m2pkg must be >= 0, got {cd_area_over_mass_m2pkg!r}")
            if cd_am > 0.0 and self.density_table is NO_DENSITY_TABLE:
                raise ValueError("drag (cd_area_over_mass_m2pkg > 0) needs a density_table")
            leg.cd_area_over_mass_m2pkg = cd_am
        return leg

    def trajectory_key(self) -> tuple:
        """A hashable key, equal for two propagators that fly the same trajectory: the initial
        state, forces and tolerances, the density table by identity (a cache keyed on it must
        hold the propagator, so that the table's identity is not reused)."""
        initial = self.initial
        return (float(initial.epoch.tt_s), initial.r_m.tobytes(), initial.v_mps.tobytes(),
                self.body.name, self.zonal_j.tobytes(), tuple(self.third_bodies),
                self.cd_area_over_mass_m2pkg, id(self.density_table), self.rtol, self.atol,
                self.reentry_altitude_m)

    def states(self, epochs: Epoch) -> tuple[np.ndarray, np.ndarray]:
        """GCRF states at ``epochs``; PropagationError if the orbit re-enters before one."""
        y_out, legs, main = self._fly(_check_epochs(epochs), _NO_EVENTS, None)
        if not all(leg.complete for leg in legs):  # a stop left whole rows NaN
            when = main.stop.epoch if main.reentry is None else main.reentry.epoch
            raise PropagationError(
                f"orbit from {self.initial.epoch.utc_iso()} re-enters at "
                f"{when.utc_iso()}, before some requested epochs"
            )
        shape = _state_shape(epochs)
        return y_out[:, :3].reshape(shape), y_out[:, 3:].reshape(shape)

    def propagate_to(self, epoch: Epoch) -> OrbitState:
        """State at ``epoch``, or at the re-entry crossing if that comes first."""
        return self.run(epoch, until=epoch).stop

    def events(self, until: Epoch, specs: Iterable[EventSpec]) -> list[Event]:
        """Events of ``specs`` (EventSpec rows) from epoch0 to ``until``, with re-entry if any."""
        return self.run(Epoch(np.empty(0)), events=specs, until=until).events

    def run(
        self,
        epochs: Epoch,
        events: Iterable[EventSpec] = (),
        until: Epoch | None = None,
    ) -> PropagationResult:
        """Propagate to cover ``epochs`` (and ``until``), locating ``events`` on the way.

        ``stop`` is the state where the forward leg ended (``until``, the last epoch or the
        re-entry); states after a re-entry are NaN.
        """
        y_out, legs, main = self._fly(_check_epochs(epochs), _event_table(events), until)
        found = [event for leg in legs for event in leg.events]
        found.sort(key=lambda event: event.epoch.tt_s)
        shape = _state_shape(epochs)
        return PropagationResult(
            y_out[:, :3].reshape(shape), y_out[:, 3:].reshape(shape), found, main.stop,
            main.reentry,
        )

    def _fly(self, epochs: Epoch, event_spec: np.ndarray, until: Epoch | None
             ) -> tuple[np.ndarray, list[_Leg], _Leg]:
        """The states at ``epochs`` as rows (r, v) in the order of ``epochs.tt_s`` flattened,
        every leg flown, and the one whose stop :meth:`run` reports."""
        tt_s, t0_tt_s = epochs.tt_s, self.initial.epoch.tt_s
        if isinstance(tt_s, float):
            offsets_s = np.array([tt_s - t0_tt_s])
        else:
            offsets_s = tt_s.ravel() - t0_tt_s
        n = offsets_s.size
        end_s = float(until - self.initial.epoch) if until is not None else 0.0
        y_out = np.empty((n, 6))  # every row written by a leg, NaN after a stop
        if end_s >= 0.0 and (n == 0 or (offsets_s[0] >= 0.0 and (
                n == 1 or bool((offsets_s[1:] >= offsets_s[:-1]).all())))):
            # forward, in order (the usual call): the kernel writes straight into y_out
            tau_end_s = max(float(offsets_s[-1]) if n else 0.0, end_s)
            leg = self._leg(offsets_s, tau_end_s, 1.0, event_spec, y_out)
            return y_out, [leg], leg
        legs = {}  # the general case: legs each way in time order, scattered back
        for direction in (-1.0, 1.0):
            chosen = np.flatnonzero(offsets_s < 0.0 if direction < 0.0 else offsets_s >= 0.0)
            tau_out_s = direction * offsets_s[chosen]
            tau_end_s = max(float(tau_out_s.max(initial=0.0)), direction * end_s)
            if direction < 0.0 and tau_end_s == 0.0:
                continue
            order = np.argsort(tau_out_s, kind="stable")
            leg_out = np.empty((order.size, 6))
            legs[direction] = self._leg(tau_out_s[order], tau_end_s, direction, event_spec,
                                        leg_out)
            y_out[chosen[order]] = leg_out
        return y_out, list(legs.values()), legs[-1.0] if end_s < 0.0 else legs[1.0]

    def _central_and_bodies(self, t0_tt_s: float, span_s: float) -> tuple:
        """The kernels' ``central`` row and body table for a leg from ``t0_tt_s`` over
        ``span_s`` seconds (signed)."""
        body = self.body
        if body.name == "earth" and not self.third_bodies:
            return (_EARTH_CENTRAL, *NO_BODY_TABLE)
        pole = _central_pole(body.name, self.initial.epoch)
        table = body_table(body.name, self.third_bodies, Epoch(t0_tt_s), Epoch(t0_tt_s + span_s))
        return (np.array([*pole, body.r_polar_m, body.e2]), *table)

    def _leg(self, tau_out_s, tau_end_s, direction, event_spec, y_out) -> _Leg:
        """One kernel call along ``direction``, states at the ascending ``tau_out_s`` into the
        rows of ``y_out`` (NaN after a stop); raises PropagationError on NaN / max steps."""
        revolutions = _revolutions(tau_end_s, self.body)
        n_events_max = int(_EVENTS_PER_REVOLUTION * revolutions * event_spec.shape[0]) + 16
        event_tau_s = np.empty(n_events_max)
        event_index = np.empty(n_events_max, dtype=np.int64)
        event_y = np.empty((n_events_max, 6))
        y_stop = np.empty(6)
        t0_tt_s = self.initial.epoch.tt_s
        status, n_out, n_events, tau_stop_s, _ = integrate.propagate_kernel(
            t0_tt_s, np.concatenate([self.initial.r_m, self.initial.v_mps]),
            np.ascontiguousarray(tau_out_s), tau_end_s, direction, self.body.gm_m3ps2,
            self.body.r_eq_m, self.zonal_j, self.cd_area_over_mass_m2pkg, OMEGA_EARTH_RADPS,
            *self.density_table, *self._central_and_bodies(t0_tt_s, direction * tau_end_s),
            self.rtol, self.atol, int(10_000 + _STEPS_PER_REVOLUTION * revolutions),
            self.reentry_altitude_m, event_spec, y_out, event_tau_s, event_index, event_y, y_stop,
        )
        complete = n_out == y_out.shape[0]
        if not complete:
            y_out[n_out:] = np.nan  # the epochs after a stop
        stop_tt_s = t0_tt_s + direction * tau_stop_s
        if status not in (integrate.STATUS_OK, integrate.STATUS_REENTRY):
            reason = {
                integrate.STATUS_NAN: "the state became non-finite",
                integrate.STATUS_MAX_STEPS: "the step budget ran out",
                integrate.STATUS_EVENT_OVERFLOW: "too many events",
            }[status]
            raise PropagationError(
                f"numerical propagation stopped at {Epoch(stop_tt_s).utc_iso()} because {reason}: "
                f"r_m={y_stop[:3].tolist()}, v_mps={y_stop[3:].tolist()}"
            )
        specs = [EventSpec(*spec) for spec in _spec_rows(event_spec)] if n_events else []
        events = [
            Event(
                Epoch(t0_tt_s + direction * event_tau_s[k]),
                None if event_index[k] == integrate.REENTRY_EVENT_INDEX else specs[event_index[k]],
                event_y[k, :3].copy(), event_y[k, 3:].copy(),
            )
            for k in range(n_events)
        ]
        reentry = None
        if status == integrate.STATUS_REENTRY:
            # the crossing event, or the start itself when it is already below the altitude
            stop = OrbitState.of_kernel(Epoch(stop_tt_s), y_stop)
            reentry = events[-1] if n_events else Event(stop.epoch, None, stop.r_m, stop.v_mps)
        return _Leg(events, stop_tt_s, y_stop, reentry, complete)


_EARTH_CENTRAL = np.array([0.0, 0.0, 1.0, R_POLAR_M, WGS84_E2])


def _central_pole(name: str, epoch: Epoch) -> tuple[float, float, float]:
    """The axis of the central body's zonal terms: GCRF z for the Earth (as in
    :mod:`stationsim.astro.forces`), the IAU 2009 pole for the Moon."""
    if name == "earth":
        return 0.0, 0.0, 1.0
    return tuple(float(c) for c in pole_gcrf(epoch))


def _spec_rows(event_spec: np.ndarray) -> list[tuple[str, float, int]]:
    names = {code: name for name, code in EVENT_KIND_CODES.items()}
    return [(names[int(kind)], float(value), int(sense)) for kind, value, sense in event_spec]


class _Leg(NamedTuple):
    events: list[Event]
    stop_tt_s: float
    y_stop: np.ndarray  # (r, v) where the leg ended
    reentry: Event | None
    complete: bool  # every requested state written (no stop before the last)

    @property
    def stop(self) -> OrbitState:
        """The state where the leg ended (made when asked: :meth:`Numerical.states` does not)."""
        return OrbitState.of_kernel(Epoch(self.stop_tt_s), self.y_stop)


_NO_EVENTS = np.empty((0, 3))  # the event table of no events (the kernels only read it)


def _state_shape(epochs: Epoch) -> tuple[int, ...]:
    """The shape of the states at ``epochs``: (*epochs.shape, 3)."""
    tt_s = epochs.tt_s
    return (3,) if isinstance(tt_s, float) else (*tt_s.shape, 3)


class BatchResult(NamedTuple):
    """States of N orbits at M epochs (NaN after a stop) and each orbit's stop.

    ``status`` holds ``integrate.STATUS_*`` codes (OK, REENTRY, NAN, MAX_STEPS) per orbit.
    """

    r_gcrf_m: np.ndarray  # (N, M, 3)
    v_gcrf_mps: np.ndarray  # (N, M, 3)
    status: np.ndarray  # (N,) int64
    stop_epoch: Epoch  # (N,)


def propagate_batch(
    epoch0: Epoch, r0_m: ArrayLike, v0_mps: ArrayLike, epochs: Epoch,
    cd_area_over_mass_m2pkg: ArrayLike = 0.0, density_table: DensityTable | tuple | None = None,
    zonal_degree: int = MAX_ZONAL_DEGREE, rtol: float = DEFAULT_RTOL, atol: float = DEFAULT_ATOL,
    reentry_altitude_m: float = DEFAULT_REENTRY_ALTITUDE_M,
) -> BatchResult:
    """Propagate N orbits forward to common ``epochs`` (M,) in parallel (numba prange).

    ``epoch0`` (N,) or scalar, ``r0_m``/``v0_mps`` (N, 3) GCRF, ``cd_area_over_mass_m2pkg``
    scalar or (N,); the forces and tolerances are those of :class:`Numerical`, which this
    matches state for state. Every epoch must be at or after each orbit's epoch0.
    """
    r0 = np.atleast_2d(np.asarray(r0_m, dtype=float))
    v0 = np.atleast_2d(np.asarray(v0_mps, dtype=float))
    if r0.ndim != 2 or r0.shape[1] != 3 or v0.shape != r0.shape:
        raise ValueError(f"r0_m and v0_mps must be (N, 3), got {r0.shape} and {v0.shape}")
    n = r0.shape[0]
    # fresh writable copies whatever was given: the kernel compiles for one signature, and a
    # read-only argument (a broadcast scalar when N = 1, an (N,) array's broadcast view)
    # would be another
    t0_tt_s = np.broadcast_to(np.asarray(epoch0.tt_s, dtype=float), (n,)).copy()
    cd_am = np.broadcast_to(np.asarray(cd_area_over_mass_m2pkg, dtype=float), (n,)).copy()
    _check_options(cd_am, density_table, rtol, atol, reentry_altitude_m)
    for k in np.flatnonzero(~np.all(np.isfinite(np.hstack([r0, v0])), axis=1))[:1]:
        OrbitState(Epoch(t0_tt_s[k]), r0[k], v0[k])  # raises, naming epoch and state
    for k in range(n):
        _check_above_surface(t0_tt_s[k], r0[k], v0[k])
    target_tt_s = np.atleast_1d(np.asarray(_check_epochs(epochs).tt_s, dtype=float))
    if target_tt_s.ndim != 1 or np.any(np.diff(target_tt_s) < 0.0):
        raise ValueError("epochs must be a 1-D Epoch in ascending order")
    tau_out_s = np.ascontiguousarray(target_tt_s[np.newaxis, :] - t0_tt_s[:, np.newaxis])
    if tau_out_s.size and tau_out_s.min() < 0.0:
        raise ValueError("propagate_batch integrates forward: every epoch must follow epoch0")
    tau_end_s = np.ascontiguousarray(tau_out_s.max(axis=1, initial=0.0))
    max_steps = int(10_000 + _STEPS_PER_REVOLUTION * _revolutions(float(tau_end_s.max())))
    y_out = np.empty((n, target_tt_s.size, 6))  # the kernel sets rows after a stop to NaN
    y_stop = np.empty((n, 6))
    status = np.empty(n, dtype=np.int64)
    tau_stop_s = np.empty(n)
    integrate.propagate_batch_kernel(
        t0_tt_s, np.ascontiguousarray(np.hstack([r0, v0])), tau_out_s, tau_end_s, np.ones(n),
        GM_EARTH_M3PS2, R_EARTH_M, zonal_coefficients(zonal_degree), cd_am, OMEGA_EARTH_RADPS,
        *check_density_table(density_table), _EARTH_CENTRAL, *NO_BODY_TABLE, float(rtol),
        float(atol), max_steps,
        float(reentry_altitude_m), np.empty((0, 3)), y_out, np.empty((n, 1)),
        np.empty((n, 1), dtype=np.int64), np.empty((n, 1, 6)), y_stop, status,
        np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64), tau_stop_s,
    )
    return BatchResult(y_out[..., :3], y_out[..., 3:], status, Epoch(t0_tt_s + tau_stop_s))
