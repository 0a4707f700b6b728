"""Solar and geomagnetic indices (F10.7, Ap) for the thermosphere model, from a bundled file.

The bundled file is CelesTrak's ``SW-All.csv`` (format: Vallado & Kelso 2013, AAS 13-518):
daily values from 1957-10-01, observed to 2025-03-23, daily predictions to 2025-05-07, then
monthly predictions to 2041-10-01.
Days in the monthly part take F10.7 and its 81-day average interpolated linearly between the
monthly points, and Ap equal to the mean daily Ap of the observed record (the file forecasts no
Ap there). Nothing is ever downloaded.

F10.7 is the observed flux at the Earth-Sun distance, in solar flux units
(1 sfu = 1e-22 W m^-2 Hz^-1), as NRLMSIS 2.x expects (Emmert et al. 2021, Earth Space Sci. 8).

>>> from stationsim.astro.time import Epoch
>>> SpaceWeather.bundled().at(Epoch.from_utc(1957, 10, 4, 19, 28)).f107_sfu
array([238.2])
"""

from __future__ import annotations

import functools
import gzip
import io
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import NamedTuple

import numpy as np

from stationsim.astro.time import Epoch
from stationsim.errors import SpaceWeatherError

MJD_JD_OFFSET = 2400000.5  # JD of MJD 0 (1858-11-17 00:00)
MJD_UNIX_EPOCH = 40587  # MJD of 1970-01-01, for numpy datetime64 conversions
AP_PER_DAY = 8  # 3-hourly ap values per UTC day
BUNDLED_RESOURCE = "data/sw-all.csv.gz"
FLARE_F107_RATIO = 3.0  # daily F10.7 / 81-day mean beyond which a reading is flare-contaminated


class DailyIndices(NamedTuple):
    """Indices of the UTC day of each epoch: F10.7 and its 81-day centred mean (sfu), daily Ap."""

    f107_sfu: np.ndarray
    f107a_sfu: np.ndarray
    ap: np.ndarray


class MsisIndices(NamedTuple):
    """NRLMSIS inputs: previous day's F10.7 (sfu), 81-day centred mean (sfu), ap array (N, 7).

    The ap columns follow NRLMSIS: daily Ap; 3-hour ap now, 3, 6 and 9 hours before; means of
    the eight 3-hour values 12-33 and 36-57 hours before (Picone et al. 2002, JGR 107(A12)).
    """

    f107_sfu: np.ndarray
    f107a_sfu: np.ndarray
    ap: np.ndarray


@dataclass(frozen=True, eq=False)
class SpaceWeather:
    """Daily space-weather indices on a regular grid of UTC days starting at ``first_mjd``.

    Build with :meth:`bundled` (the shipped CelesTrak file), :meth:`from_csv` or
    :meth:`constant`. Arrays are indexed by UTC day; ``ap_3h`` has 8 values per day (00-03 UTC
    first). A constant object answers for any date.
    """

    first_mjd: int
    f107_sfu: np.ndarray
    f107a_sfu: np.ndarray
    ap_daily: np.ndarray
    ap_3h: np.ndarray
    observed_last_mjd: int
    is_constant: bool = False

    # --- construction -------------------------------------------------------------------------
    @classmethod
    def bundled(cls) -> SpaceWeather:
        """The CelesTrak file shipped with stationsim, parsed once per process."""
        return _bundled()

    @classmethod
    def from_csv(cls, path: str | Path) -> SpaceWeather:
        """Parse a CelesTrak ``SW-All.csv`` file (plain or ``.gz``)."""
        raw = Path(path).read_bytes()
        return cls._from_text(_decode(raw), str(path))

    @classmethod
    def constant(cls, f107_sfu: float, f107a_sfu: float, ap: float) -> SpaceWeather:
        """The same indices on every date (for studies at a chosen solar activity)."""
        for name, value in (("f107_sfu", f107_sfu), ("f107a_sfu", f107a_sfu), ("ap", ap)):
            if not np.isfinite(value) or value < 0.0:
                raise ValueError(f"{name} must be a finite non-negative number, got {value!r}")
        return cls(
            first_mjd=0,
            f107_sfu=np.array([float(f107_sfu)]),
            f107a_sfu=np.array([float(f107a_sfu)]),
            ap_daily=np.array([float(ap)]),
            ap_3h=np.full((1, AP_PER_DAY), float(ap)),
            observed_last_mjd=0,
            is_constant=True,
        )

    @classmethod
    def _from_text(cls, text: str, source: str) -> SpaceWeather:
        header, _, body = text.partition("\n")
        names = header.strip().split(",")
        try:
            ap_first, ap_last = names.index("AP1"), names.index("AP8")
            numeric = [*range(ap_first, ap_last + 1)] + [
                names.index(name) for name in ("AP_AVG", "F10.7_OBS", "F10.7_OBS_CENTER81")]
        except ValueError as exc:
            raise SpaceWeatherError(f"{source}: not a CelesTrak SW-All file ({exc})") from None
        lines = body.splitlines()
        monthly = [line for line in lines if ",PRM," in line]
        daily = lines[: len(lines) - len(monthly)]
        if any(",PRM," in line for line in daily):
            raise SpaceWeatherError(f"{source}: monthly predictions must follow the daily rows")
        predicted = [i for i, line in enumerate(daily) if ",PRD," in line]
        values = np.loadtxt(daily, delimiter=",", usecols=numeric, ndmin=2)
        monthly_values = np.array(
            [[float(line.split(",")[i]) for i in numeric[-2:]] for line in monthly]).reshape(-1, 2)
        n_daily = len(daily)
        first_mjd, last_daily_mjd = _mjd_of_iso_dates([daily[0][:10], daily[-1][:10]])
        if last_daily_mjd - first_mjd != n_daily - 1:
            raise SpaceWeatherError(f"{source}: daily rows are not consecutive days")
        mjd = np.concatenate([np.arange(first_mjd, first_mjd + n_daily),
                              _mjd_of_iso_dates([line[:10] for line in monthly])])
        n_observed = predicted[0] if predicted else n_daily
        # Daily rows as they are; monthly predictions interpolated linearly between their points.
        days = np.arange(first_mjd, int(mjd[-1]) + 1)
        f107_all = np.interp(days, mjd, np.concatenate([values[:, -2], monthly_values[:, 0]]))
        f107a_all = np.interp(days, mjd, np.concatenate([values[:, -1], monthly_values[:, 1]]))
        ap_fill = float(np.mean(values[:n_observed, AP_PER_DAY]))
        ap_daily = np.full(days.size, ap_fill)
        ap_daily[:n_daily] = values[:, AP_PER_DAY]
        ap_3h = np.full((days.size, AP_PER_DAY), ap_fill)
        ap_3h[:n_daily] = values[:, :AP_PER_DAY]
        return cls(
            first_mjd=int(first_mjd),
            f107_sfu=f107_all,
            f107a_sfu=f107a_all,
            ap_daily=ap_daily,
            ap_3h=ap_3h,
            observed_last_mjd=int(first_mjd) + n_observed - 1,
        )

    # --- span ---------------------------------------------------------------------------------
    @property
    def first_utc(self) -> str:
        """First UTC date of the data ('YYYY-MM-DD')."""
        return _iso_date_of_mjd(self.first_mjd)

    @property
    def last_utc(self) -> str:
        """Last UTC date of the data, predictions included ('YYYY-MM-DD')."""
        return _iso_date_of_mjd(self.first_mjd + self.f107_sfu.size - 1)

    @property
    def observed_until_utc(self) -> str:
        """Last UTC date of observed values; later values are predictions."""
        return _iso_date_of_mjd(self.observed_last_mjd)

    # --- queries ------------------------------------------------------------------------------
    def at(self, epochs: Epoch) -> DailyIndices:
        """F10.7, its 81-day centred mean and daily Ap of the UTC day of each epoch, as (N,)."""
        day = self._day_index(utc_mjd(epochs))
        return DailyIndices(self.f107_sfu[day], self.f107a_sfu[day], self.ap_daily[day])

    def msis_inputs(self, epochs: Epoch) -> MsisIndices:
        """NRLMSIS inputs at each epoch: F10.7 of the previous UTC day, F10.7a, ap (N, 7).

        A daily F10.7 above ``FLARE_F107_RATIO`` times its 81-day mean is taken there: such
        values are noon readings during a solar flare (e.g. 707.6 sfu on 2005-09-09 against a
        mean of 99), not the EUV level F10.7 stands for, and NRLMSIS 2.1 returns NaN for the
        largest. Six days of the record are capped (2001-04-06, 2003-11-04, 2005-09-09,
        2005-09-13, 2006-12-06, 2011-03-07). The 3-hourly history before the file's first day
        repeats its first value.
        """
        mjd = utc_mjd(epochs)
        day = self._day_index(mjd)
        previous_day = self._day_index(mjd - 1.0)
        if self.is_constant:
            slot = np.zeros(day.size, dtype=np.int64)
        else:
            slot = day * AP_PER_DAY + np.floor((mjd - np.floor(mjd)) * AP_PER_DAY).astype(np.int64)
        flat_ap = self.ap_3h.ravel()

        def ap_back(steps: int) -> np.ndarray:
            return flat_ap[np.maximum(slot - steps, 0)]

        ap = np.empty((day.size, 7))
        ap[:, 0] = self.ap_daily[day]
        for column, steps in enumerate((0, 1, 2, 3), start=1):
            ap[:, column] = ap_back(steps)
        ap[:, 5] = np.mean([ap_back(steps) for steps in range(4, 12)], axis=0)
        ap[:, 6] = np.mean([ap_back(steps) for steps in range(12, 20)], axis=0)
        f107a_sfu = self.f107a_sfu[day]
        f107_sfu = np.minimum(self.f107_sfu[previous_day], FLARE_F107_RATIO * f107a_sfu)
        return MsisIndices(f107_sfu, f107a_sfu, ap)

    def _day_index(self, mjd: np.ndarray) -> np.ndarray:
        if self.is_constant:
            return np.zeros(mjd.size, dtype=np.int64)
        day = np.floor(mjd).astype(np.int64) - self.first_mjd
        outside = (day < 0) | (day >= self.f107_sfu.size)
        if np.any(outside):
            bad = _iso_date_of_mjd(int(np.floor(mjd[np.argmax(outside)])))
            raise SpaceWeatherError(
                f"no space-weather data for {bad}: the file covers {self.first_utc} to "
                f"{self.last_utc}; pass SpaceWeather.constant(f107_sfu=..., f107a_sfu=..., ap=...) "
                "for other dates")
        return day


def utc_mjd(epochs: Epoch) -> np.ndarray:
    """UTC modified Julian date (float days) of each epoch, as a (N,) array."""
    utc1, utc2 = epochs.utc_jd()
    return np.atleast_1d((np.asarray(utc1) - MJD_JD_OFFSET) + np.asarray(utc2))


def utc_datetime64(epochs: Epoch) -> np.ndarray:
    """UTC instants as numpy ``datetime64[ms]`` (N,) (inputs of libraries such as pymsis)."""
    ms = np.rint((utc_mjd(epochs) - MJD_UNIX_EPOCH) * 86_400_000.0).astype(np.int64)
    return ms.astype("datetime64[ms]")


def _mjd_of_iso_dates(texts: list[str]) -> np.ndarray:
    days = np.array(texts, dtype="datetime64[D]").astype(np.int64)
    return days + MJD_UNIX_EPOCH


def _iso_date_of_mjd(mjd: int) -> str:
    return str(np.datetime64("1970-01-01", "D") + np.timedelta64(mjd - MJD_UNIX_EPOCH, "D"))


def _decode(raw: bytes) -> str:
    if raw[:2] == b"\x1f\x8b":
        with gzip.open(io.BytesIO(raw)) as handle:
            raw = handle.read()
    return raw.decode("ascii")


@functools.cache
def _bundled() -> SpaceWeather:
    resource = resources.files("stationsim").joinpath(BUNDLED_RESOURCE)
    return SpaceWeather._from_text(_decode(resource.read_bytes()), BUNDLED_RESOURCE)
