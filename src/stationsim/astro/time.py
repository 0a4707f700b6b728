"""Epochs: TT seconds since J2000 (float64, scalar or array), UTC only at the edges.

Time scales follow IERS Conventions (2010) through ERFA (pyerfa): UTC <-> TAI uses ERFA's
built-in leap-second table (``eraDat``), TT = TAI + 32.184 s. Before 1960 ERFA takes
TAI - UTC = 0 and flags the year as dubious; that convention is accepted silently (TT - UTC was
then 32.2 s against a true Delta T of 31-33 s, i.e. under a second). UT1 is taken equal to UTC
unless a DUT1 = UT1 - UTC value (seconds, from IERS Bulletin A) is passed to :meth:`Epoch.ut1_jd`;
|DUT1| < 0.9 s, i.e. up to ~400 m of Earth rotation at the equator when ignored.

>>> t = Epoch.from_utc(1995, 6, 29, 13, 0)
>>> (t + 5400.0).utc_iso()
'1995-06-29T14:30:00.000Z'
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as _dt
import functools
import math
import warnings
from collections.abc import Iterable
from typing import Any

import erfa
import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.vectors import all_finite

J2000_JD = 2451545.0  # JD of 2000-01-01 12:00:00 TT (IAU 1976)
DAY_S = 86400.0
TT_MINUS_TAI_S = 32.184  # IAU 1991 Recommendation IV


@contextlib.contextmanager
def _dubious_years_accepted():
    """Silence ERFA's 'dubious year' status (before 1960, or past the leap-second table)."""
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*dubious year", category=erfa.ErfaWarning)
        yield


def _tt_seconds(jd1, jd2) -> np.ndarray:
    """TT seconds since J2000 from a two-part TT Julian date, keeping the precision of jd2."""
    return (np.asarray(jd1, dtype=float) - J2000_JD) * DAY_S + np.asarray(jd2, dtype=float) * DAY_S


def _tt_two_part(tt_s) -> tuple[np.ndarray, np.ndarray]:
    """Two-part TT Julian date (whole days + fraction) from TT seconds since J2000."""
    tt_s = np.asarray(tt_s, dtype=float)
    days = np.floor(tt_s / DAY_S)
    return J2000_JD + days, (tt_s - days * DAY_S) / DAY_S


@functools.lru_cache(maxsize=4096)
def _utc_iso_tt_s(text: str) -> float:
    """TT seconds of one ISO-8601 UTC text: a program's dates are read again and again."""
    return Epoch.from_utc(*_parse_iso(text)).tt_s


LEAP_STEP_MARGIN_S = 2.0  # within this of a step of TAI - UTC, ERFA itself is asked


@functools.cache
def _leap_steps_tt_s() -> tuple[list[float], list[float]]:
    """(TT seconds at which TAI - UTC stepped, TT - UTC from each step) since 1972, when the
    steps became whole leap seconds at the start of a UTC month: ERFA's table (``eraDat``),
    read once."""
    table = erfa.leap_seconds.get()
    table = table[table["year"] >= 1972]
    steps = Epoch.from_utc(table["year"], table["month"], 1).tt_s
    return steps.tolist(), (TT_MINUS_TAI_S + table["tai_utc"]).tolist()


def _tt_minus_utc_between_steps(tt_s: float) -> float | None:
    """TT - UTC at ``tt_s`` from the table of steps (the value ERFA gives), or None before
    1972 or within :data:`LEAP_STEP_MARGIN_S` of a step, where ERFA's own rounding decides."""
    steps, values = _leap_steps_tt_s()
    k = bisect.bisect_right(steps, tt_s) - 1
    if k < 0 or tt_s - steps[k] < LEAP_STEP_MARGIN_S:
        return None
    if k + 1 < len(steps) and steps[k + 1] - tt_s < LEAP_STEP_MARGIN_S:
        return None
    return values[k]


class Epoch:
    """One instant or an array of instants, held as TT seconds since J2000 (``tt_s``).

    Arithmetic is in seconds of TT: ``epoch + 60.0`` is a new Epoch a minute later, and
    ``epoch_b - epoch_a`` is the interval in seconds (float or array).
    """

    __slots__ = ("tt_s",)
    tt_s: Any  # a float for one instant, a float64 array for many

    def __init__(self, tt_s: ArrayLike) -> None:
        if isinstance(tt_s, float | int) and not isinstance(tt_s, bool):  # one plain number
            if not math.isfinite(tt_s):
                raise ValueError(f"tt_s must be finite seconds since J2000, got {tt_s!r}")
            self.tt_s = float(tt_s)
            return
        value = np.asarray(tt_s, dtype=float)
        if not all_finite(value):
            raise ValueError(f"tt_s must be finite seconds since J2000, got {tt_s!r}")
        self.tt_s = value if value.ndim else float(value)

    # --- construction -------------------------------------------------------------------
    @classmethod
    def from_tt_jd(cls, jd1: ArrayLike, jd2: ArrayLike = 0.0) -> Epoch:
        """From a TT Julian date (optionally two-part)."""
        return cls(_tt_seconds(jd1, jd2))

    @classmethod
    def from_utc(
        cls, year: ArrayLike, month: ArrayLike, day: ArrayLike, hour: ArrayLike = 0,
        minute: ArrayLike = 0, second: ArrayLike = 0.0,
    ) -> Epoch:
        """From UTC calendar fields (scalars or broadcastable arrays); second may be 60.x."""
        fields = np.broadcast_arrays(year, month, day, hour, minute, second)
        values = [np.asarray(f, dtype=float) for f in fields]
        if not all(np.all(np.isfinite(v)) for v in values):
            raise ValueError(f"UTC fields must be finite numbers, got {tuple(fields)!r}")
        year, month, day, hour, minute, second = values
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", erfa.ErfaWarning)
                warnings.filterwarnings(
                    "ignore", message=".*dubious year", category=erfa.ErfaWarning
                )
                utc1, utc2 = erfa.dtf2d(
                    "UTC", year.astype(np.int32), month.astype(np.int32), day.astype(np.int32),
                    hour.astype(np.int32), minute.astype(np.int32), second,
                )
        except (erfa.ErfaError, erfa.ErfaWarning) as exc:
            raise ValueError(f"not a valid UTC time: {_fields_text(values)} ({exc})") from None
        return cls._from_utc_jd(utc1, utc2)

    @classmethod
    def _from_utc_jd(cls, utc1, utc2) -> Epoch:
        with _dubious_years_accepted():
            tai1, tai2 = erfa.utctai(utc1, utc2)
        tt1, tt2 = erfa.taitt(tai1, tai2)
        return cls(_tt_seconds(tt1, tt2))

    @classmethod
    def from_utc_iso(cls, text: str | Iterable[str]) -> Epoch:
        """From ISO-8601 UTC text, 'YYYY-MM-DD[THH:MM[:SS[.fff]]][Z]' (scalar or list)."""
        if isinstance(text, str):
            return cls(_utc_iso_tt_s(text))
        fields = np.array([_parse_iso(item) for item in text], dtype=float).reshape(-1, 6)
        return cls.from_utc(*fields.T)

    @classmethod
    def from_datetime(cls, when: _dt.datetime | Iterable[_dt.datetime]) -> Epoch:
        """From timezone-aware datetimes (naive ones are refused: their scale is unknown)."""
        items = [when] if isinstance(when, _dt.datetime) else list(when)
        fields = []
        for item in items:
            if item.tzinfo is None:
                raise ValueError(
                    f"datetime {item!r} is naive; give it tzinfo=datetime.timezone.utc"
                )
            u = item.astimezone(_dt.UTC)
            second = u.second + u.microsecond * 1e-6
            fields.append((u.year, u.month, u.day, u.hour, u.minute, second))
        epoch = cls.from_utc(*np.array(fields, dtype=float).T)
        return epoch[0] if isinstance(when, _dt.datetime) else epoch

    # --- scales ---------------------------------------------------------------------------
    @property
    def tt_jd(self) -> Any:
        """TT Julian date as one float (about 20 microseconds resolution)."""
        if self.shape:
            return J2000_JD + np.asarray(self.tt_s) / DAY_S
        return J2000_JD + self.tt_s / DAY_S

    def tt_two_part(self) -> tuple[np.ndarray, np.ndarray]:
        """TT Julian date as (whole days, fraction) for full precision in ERFA calls."""
        return _tt_two_part(self.tt_s)

    def tai_jd(self) -> tuple[np.ndarray, np.ndarray]:
        """Two-part TAI Julian date."""
        return erfa.tttai(*self.tt_two_part())

    def utc_jd(self) -> tuple[np.ndarray, np.ndarray]:
        """Two-part UTC Julian date (ERFA quasi-JD convention inside leap seconds)."""
        with _dubious_years_accepted():
            return erfa.taiutc(*self.tai_jd())

    def ut1_jd(self, dut1_s: ArrayLike = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """Two-part UT1 Julian date; ``dut1_s`` = UT1 - UTC in seconds (0 unless supplied)."""
        with _dubious_years_accepted():
            return erfa.utcut1(*self.utc_jd(), dut1_s)

    def tt_minus_utc_s(self) -> Any:
        """TT - UTC in seconds: 32.184 s + TAI - UTC of the UTC day (23:59:60 is in the old day)."""
        if not self.shape:
            between_steps = _tt_minus_utc_between_steps(self.tt_s)
            if between_steps is not None:
                return between_steps
        elif self.tt_s.size:  # all between the same two steps: one value
            first = _tt_minus_utc_between_steps(float(self.tt_s.min()))
            if first is not None and first == _tt_minus_utc_between_steps(float(self.tt_s.max())):
                return np.full(self.shape, first)
        year, month, day, day_fraction = erfa.jd2cal(*self.utc_jd())
        with _dubious_years_accepted():
            tai_minus_utc_s = erfa.dat(year, month, day, day_fraction)
        value = TT_MINUS_TAI_S + np.asarray(tai_minus_utc_s)
        return value if value.ndim else float(value)

    # --- output ---------------------------------------------------------------------------
    def utc_fields(self, decimals: int = 3) -> np.ndarray:
        """UTC (year, month, day, hour, minute, second) rows, second rounded to ``decimals``."""
        ihmsf_scale = 10**decimals
        with _dubious_years_accepted():
            iy, im, iday, ihmsf = erfa.d2dtf("UTC", decimals, *self.utc_jd())
        ihmsf = np.asarray(ihmsf)
        seconds = ihmsf["s"] + ihmsf["f"] / ihmsf_scale
        return np.stack(
            [np.asarray(iy), np.asarray(im), np.asarray(iday), ihmsf["h"], ihmsf["m"], seconds],
            axis=-1,
        )

    def utc_iso(self, decimals: int = 3) -> Any:
        """ISO-8601 UTC text ending in 'Z' (a list for an array Epoch); 23:59:60 is kept."""
        rows = np.atleast_2d(self.utc_fields(decimals))
        width = 3 + decimals if decimals else 2
        # %-formatting of Python floats (%d truncates): several times faster than f-strings
        form = f"%04d-%02d-%02dT%02d:%02d:%0{width}.{decimals}fZ"
        texts = [form % tuple(row) for row in rows.tolist()]
        return texts if self.shape else texts[0]

    def to_datetime(self) -> Any:
        """Timezone-aware UTC datetimes (microseconds; a leap second maps to 23:59:59.999999)."""
        rows = np.atleast_2d(self.utc_fields(6))
        out = []
        for y, mo, d, h, mi, s in rows:
            whole = min(int(s), 59)
            micro = 999999 if s >= 60 else int(round((s - whole) * 1e6))
            out.append(
                _dt.datetime(int(y), int(mo), int(d), int(h), int(mi), whole, micro, tzinfo=_dt.UTC)
            )
        return out if self.shape else out[0]

    # --- array behaviour ------------------------------------------------------------------
    @property
    def shape(self) -> tuple[int, ...]:
        return np.shape(self.tt_s)

    def __len__(self) -> int:
        if not self.shape:
            raise TypeError("a scalar Epoch has no len()")
        return self.shape[0]

    def __getitem__(self, index) -> Epoch:
        return Epoch(np.asarray(self.tt_s)[index])

    def __add__(self, seconds) -> Epoch:
        return Epoch(np.asarray(self.tt_s) + np.asarray(seconds, dtype=float))

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, Epoch):
            diff = np.asarray(self.tt_s) - np.asarray(other.tt_s)
            return diff if diff.ndim else float(diff)
        return Epoch(np.asarray(self.tt_s) - np.asarray(other, dtype=float))

    def __eq__(self, other) -> bool:
        return isinstance(other, Epoch) and np.array_equal(self.tt_s, other.tt_s)

    def __lt__(self, other: Epoch):
        return self.tt_s < other.tt_s

    def __le__(self, other: Epoch):
        return self.tt_s <= other.tt_s

    def __hash__(self):
        return hash(np.asarray(self.tt_s).tobytes())

    def __repr__(self) -> str:
        return f"Epoch({self.utc_iso()!r})"

    @classmethod
    def linspace(cls, start: Epoch, stop: Epoch, num: int) -> Epoch:
        """``num`` evenly spaced instants from start to stop inclusive."""
        return cls(np.linspace(start.tt_s, stop.tt_s, num))


def _fields_text(values) -> str:
    y, mo, d, h, mi, s = (np.asarray(v).ravel()[0] for v in values)
    return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}T{int(h):02d}:{int(mi):02d}:{s:06.3f}"


def _parse_iso(text: str) -> tuple[int, int, int, int, int, float]:
    """Split 'YYYY-MM-DD[THH:MM[:SS[.fff]]][Z]' into fields; ValueError names the text."""
    raw = text.strip()
    core = raw[:-1] if raw.endswith(("Z", "z")) else raw
    if core.endswith("+00:00"):
        core = core[:-6]
    try:
        date_part, _, time_part = core.replace(" ", "T").partition("T")
        year, month, day = (int(x) for x in date_part.split("-"))
        hour = minute = 0
        second = 0.0
        if time_part:
            pieces = time_part.split(":")
            if len(pieces) not in (2, 3):
                raise ValueError
            hour, minute = int(pieces[0]), int(pieces[1])
            if len(pieces) == 3:
                second = float(pieces[2])
    except ValueError:
        raise ValueError(
            f"not an ISO-8601 UTC time: {text!r} (expected YYYY-MM-DDTHH:MM:SSZ)"
        ) from None
    return year, month, day, hour, minute, second
