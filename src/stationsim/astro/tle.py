"""Two-line element sets: reading, checking and SGP4 propagation to GCRF in SI.

The TLE format is NORAD's (Hoots & Roehrich, Spacetrack Report No. 3, 1980; CelesTrak "NORAD
Two-Line Element Set Format"). Propagation is SGP4 as revised by Vallado et al. 2006
(AIAA 2006-6753) through the ``sgp4`` package (WGS-72 constants, improved mode, as published
TLEs assume). Kilometres exist only inside this module. SGP4 is only as good as the TLE: about
1 km at epoch, growing by 1-3 km a day in LEO.

>>> tle = parse_tle_lines(
...     "1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051",
...     "2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898", name="MIR")
>>> round(tle.perigee_altitude_m / 1000.0)
392
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sgp4.api import SGP4_ERRORS, WGS72, Satrec, SatrecArray, days2mdhms

from stationsim.astro.constants import KM, R_EARTH_M
from stationsim.astro.frames import teme_to_gcrf_fast
from stationsim.astro.time import Epoch
from stationsim.errors import PropagationError, TLEError
from stationsim.text import TextProblem, decode_text

TLE_LINE_LENGTH = 69
_MAX_NAME_LENGTH = 24  # name lines of the three-line format (CelesTrak)
_MINUTE_S = 60.0

# (first column, last column) 1-based inclusive, field name, pattern of the whole field.
_DECIMAL = r" *[+-]?(\d+\.?\d*|\.\d+)"
_IMPLIED_EXPONENT = r"[ +-]\d{5}[ +-]\d"  # " 72085-4" means 0.72085e-4
_LINE_FIELDS = {
    1: (
        (3, 7, "catalog number", r" *[0-9A-Z]?\d+"),
        (8, 8, "classification", r"[UCS ]"),
        (19, 20, "epoch year", r"\d\d"),
        (21, 32, "epoch day", _DECIMAL),
        (34, 43, "mean motion derivative", _DECIMAL),
        (45, 52, "mean motion second derivative", _IMPLIED_EXPONENT),
        (54, 61, "BSTAR", _IMPLIED_EXPONENT),
        (63, 63, "ephemeris type", r"[ \d]"),
        (65, 68, "element set number", r" *\d*"),
    ),
    2: (
        (3, 7, "catalog number", r" *[0-9A-Z]?\d+"),
        (9, 16, "inclination", _DECIMAL),
        (18, 25, "right ascension of the node", _DECIMAL),
        (27, 33, "eccentricity", r"\d{7}"),
        (35, 42, "argument of perigee", _DECIMAL),
        (44, 51, "mean anomaly", _DECIMAL),
        (53, 63, "mean motion", _DECIMAL),
        (64, 68, "revolution number", r" *\d*"),
    ),
}
_BLANK_COLUMNS = {1: (2, 9, 18, 33, 44, 53, 62, 64), 2: (2, 8, 17, 26, 34, 43, 52)}
# (first column, last column) of line 2, field name, inclusive bounds and unit (CelesTrak
# "NORAD Two-Line Element Set Format"); a mean motion must be above zero.
_LINE2_RANGES = (
    (9, 16, "inclination", 0.0, 180.0, "deg"),
    (18, 25, "right ascension of the node", 0.0, 360.0, "deg"),
    (35, 42, "argument of perigee", 0.0, 360.0, "deg"),
    (44, 51, "mean anomaly", 0.0, 360.0, "deg"),
)


def tle_checksum(line: str) -> int:
    """NORAD checksum of a TLE line: digits of columns 1-68 plus 1 per minus sign, modulo 10."""
    return sum(int(c) if c.isdigit() else c == "-" for c in line[: TLE_LINE_LENGTH - 1]) % 10


def _check_line(line: str, number: int, where: str, lineno: int, check_checksum: bool) -> None:
    """Raise TLEError 'where:lineno:column: what' for the first defect of one element line."""
    if line[:1] != str(number):
        raise TLEError(f"{where}:{lineno}:1: expected TLE line {number}, found {line[:1]!r}")
    if len(line) != TLE_LINE_LENGTH:
        column = min(len(line), TLE_LINE_LENGTH) + 1
        raise TLEError(
            f"{where}:{lineno}:{column}: line has {len(line)} characters, "
            f"a TLE line has {TLE_LINE_LENGTH}"
        )
    stated = line[TLE_LINE_LENGTH - 1]
    computed = tle_checksum(line)
    if not stated.isdigit():
        raise TLEError(f"{where}:{lineno}:69: checksum {stated!r} is not a digit")
    if check_checksum and int(stated) != computed:
        raise TLEError(f"{where}:{lineno}:69: checksum is {stated}, computed {computed}")
    for column in _BLANK_COLUMNS[number]:
        if line[column - 1] != " ":
            found = line[column - 1]
            raise TLEError(f"{where}:{lineno}:{column}: expected a blank, found {found!r}")
    for first, last, field, pattern in _LINE_FIELDS[number]:
        text = line[first - 1 : last]
        if not re.fullmatch(pattern, text):
            raise TLEError(f"{where}:{lineno}:{first}: {field} {text!r} is malformed")


@dataclass(frozen=True, eq=False)
class Tle:
    """One two-line element set: its name, NORAD number, epoch, text and SGP4 record.

    Element accessors give SGP4's mean elements at epoch (not osculating values).
    """

    name: str | None
    norad_id: int
    epoch: Epoch
    lines: tuple[str, str]
    satrec: Satrec

    # --- mean elements (TLE values, SI) --------------------------------------------------
    @property
    def inclination_rad(self) -> float:
        return self.satrec.inclo

    @property
    def raan_rad(self) -> float:
        return self.satrec.nodeo

    @property
    def eccentricity(self) -> float:
        return self.satrec.ecco

    @property
    def arg_perigee_rad(self) -> float:
        return self.satrec.argpo

    @property
    def mean_anomaly_rad(self) -> float:
        return self.satrec.mo

    @property
    def mean_motion_radps(self) -> float:
        """Mean motion as printed in the TLE (Kozai convention), rad/s."""
        return self.satrec.no_kozai / _MINUTE_S

    @property
    def semi_major_axis_m(self) -> float:
        """SGP4's Brouwer mean semi-major axis (recovered from the Kozai mean motion), m."""
        return self.satrec.a * self.satrec.radiusearthkm * KM

    @property
    def perigee_altitude_m(self) -> float:
        """Mean perigee height above the WGS-84 equatorial radius (a sphere), m."""
        return self.semi_major_axis_m * (1.0 - self.eccentricity) - R_EARTH_M

    @property
    def apogee_altitude_m(self) -> float:
        """Mean apogee height above the WGS-84 equatorial radius (a sphere), m."""
        return self.semi_major_axis_m * (1.0 + self.eccentricity) - R_EARTH_M

    # --- propagation ---------------------------------------------------------------------
    def teme_at(self, epoch: Epoch) -> tuple[np.ndarray, np.ndarray]:
        """SGP4 state (r_teme_m, v_teme_mps) at ``epoch`` (scalar or array), TEME of date.

        Time since the TLE epoch is counted in UTC days, as SGP4 defines it (Vallado et al.
        2006): across a leap second the state is one second of motion away from an elapsed-time
        count. Raises PropagationError naming the first failing epoch and SGP4's reason.
        """
        if not isinstance(epoch, Epoch):
            raise ValueError(f"epoch must be an Epoch, got {type(epoch).__name__} {epoch!r}")
        utc1, utc2 = (np.atleast_1d(part).ravel() for part in epoch.utc_jd())
        error, r_km, v_kmps = self.satrec.sgp4_array(utc1, utc2)
        _raise_first_failure(error[None, :], [self], epoch)
        shape = (*epoch.shape, 3)
        return r_km.reshape(shape) * KM, v_kmps.reshape(shape) * KM

    def state_at(self, epoch: Epoch, dut1_s: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """GCRF state (r_gcrf_m, v_gcrf_mps) at ``epoch`` (scalar or array) by SGP4.

        The frame is rotated on the fast path (:func:`~stationsim.astro.frames.teme_to_gcrf_fast`,
        under 10 cm from the full IAU 2006/2000A route in LEO, far inside SGP4's kilometre).
        """
        r_teme_m, v_teme_mps = self.teme_at(epoch)
        return teme_to_gcrf_fast(r_teme_m, v_teme_mps, epoch, dut1_s)

    def initial_state(self, dut1_s: float = 0.0) -> tuple[np.ndarray, np.ndarray]:
        """GCRF state at the TLE epoch, to start a numerical propagation from."""
        return self.state_at(self.epoch, dut1_s)

    def __repr__(self) -> str:
        return f"Tle({self.name!r}, norad_id={self.norad_id}, epoch={self.epoch.utc_iso()!r})"


def states_gcrf(
    tles: list[Tle],
    epoch: Epoch,
    dut1_s: float = 0.0,
) -> tuple[np.ndarray, np.ndarray]:
    """GCRF states of many TLEs at many epochs: (r_gcrf_m, v_gcrf_mps), each (N, M, 3) for N
    TLEs and M epochs (``epoch`` scalar or 1-D).

    SGP4 through ``sgp4``'s vectorised ``SatrecArray``, the frame through one fast-path matrix
    per epoch shared by all TLEs (:func:`~stationsim.astro.frames.teme_to_gcrf_fast`). Raises
    PropagationError naming the first TLE and epoch SGP4 fails at.

    >>> mir = parse_tle_lines(
    ...     "1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051",
    ...     "2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898")
    >>> r_m, v_mps = states_gcrf([mir, mir], Epoch.linspace(mir.epoch, mir.epoch + 5400.0, 4))
    >>> r_m.shape
    (2, 4, 3)
    """
    if not tles:
        raise ValueError("tles must name at least one TLE, got an empty list")
    epochs = Epoch(np.atleast_1d(np.asarray(epoch.tt_s, dtype=float)).ravel())
    utc1, utc2 = epochs.utc_jd()
    error, r_km, v_kmps = SatrecArray([tle.satrec for tle in tles]).sgp4(
        np.ascontiguousarray(utc1), np.ascontiguousarray(utc2))
    _raise_first_failure(error, tles, epochs)
    return teme_to_gcrf_fast(r_km * KM, v_kmps * KM, epochs, dut1_s)


def _raise_first_failure(error: np.ndarray, tles: list[Tle], epochs: Epoch) -> None:
    """PropagationError for the first nonzero SGP4 code in ``error`` (N TLEs, M epochs)."""
    failed = np.argwhere(error)
    if failed.size:
        which, at = failed[0]
        tle = tles[which]
        when = Epoch(np.atleast_1d(epochs.tt_s).ravel()[at])
        raise PropagationError(
            f"SGP4 fails for {tle.name or tle.norad_id} (TLE epoch {tle.epoch.utc_iso()}) "
            f"at {when.utc_iso()}: {SGP4_ERRORS[int(error[which, at])]}"
        )


def _check_values(line1: str, line2: str, where: str, lineno: int) -> None:
    """Raise TLEError 'where:lineno:column: what' for an epoch day or element out of range."""
    year = int(line1[18:20]) + (1900 if int(line1[18:20]) >= 57 else 2000)
    days_in_year = 366 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 365
    day_text = line1[20:32]
    if not 1.0 <= float(day_text) < days_in_year + 1.0:
        raise TLEError(f"{where}:{lineno}:21: epoch day {day_text.strip()!r} out of range "
                       f"(expected 1 to {days_in_year}.99999999, day of {year} and its "
                       f"fraction)")
    for first, last, field, low, high, unit in _LINE2_RANGES:
        text = line2[first - 1 : last]
        if not low <= float(text) <= high:
            raise TLEError(f"{where}:{lineno + 1}:{first}: {field} {text.strip()!r} out of "
                           f"range (expected {low:g} to {high:g} {unit})")
    if not float(line2[52:63]) > 0.0:
        raise TLEError(f"{where}:{lineno + 1}:53: mean motion {line2[52:63].strip()!r} out of "
                       f"range (expected more than 0 revolutions a day)")


def _tle_from_checked(line1: str, line2: str, name: str | None, where: str, lineno: int) -> Tle:
    _check_values(line1, line2, where, lineno)
    if line1[2:7] != line2[2:7]:
        raise TLEError(
            f"{where}:{lineno + 1}:3: catalog number {line2[2:7]!r} differs from "
            f"{line1[2:7]!r} on line 1"
        )
    satrec = Satrec.twoline2rv(line1, line2, WGS72)
    year = satrec.epochyr + (1900 if satrec.epochyr >= 57 else 2000)  # NORAD two-digit years
    epoch = Epoch.from_utc(year, *days2mdhms(year, satrec.epochdays, round_to_microsecond=0))
    return Tle(
        name=name, norad_id=int(satrec.satnum), epoch=epoch, lines=(line1, line2), satrec=satrec
    )


def _parse_pair(line1, line2, name, where, lineno, check_checksum) -> Tle:
    line1, line2 = line1.rstrip(), line2.rstrip()
    _check_line(line1, 1, where, lineno, check_checksum)
    _check_line(line2, 2, where, lineno + 1, check_checksum)
    return _tle_from_checked(line1, line2, name, where, lineno)


def parse_tle_lines(
    line1: str, line2: str, name: str | None = None, source: str = "<tle>",
    check_checksum: bool = True,
) -> Tle:
    """One TLE from its two lines (e.g. CSV columns); errors read ``source:1|2:column: what``.

    ``check_checksum=False`` accepts lines whose checksum digit is wrong (some textbook TLEs,
    e.g. Vallado's Mir 1993 example); everything else is still checked.
    """
    return _parse_pair(line1, line2, name, source, 1, check_checksum)


def parse_tle_text(text: str, source: str = "<text>", check_checksum: bool = True) -> list[Tle]:
    """All TLEs in a text block, each with or without a name line (``0 NAME`` also accepted).

    Blank lines are skipped. Errors read ``source:line:column: what``.
    """
    lines = text.splitlines()
    tles: list[Tle] = []
    index = 0
    while index < len(lines):
        line = lines[index].rstrip()
        if not line.strip():
            index += 1
            continue
        if line.startswith("1 ") and len(line) > _MAX_NAME_LENGTH:
            name, first = None, index
        elif line.startswith("2 ") and len(line) > _MAX_NAME_LENGTH:
            raise TLEError(f"{source}:{index + 1}:1: expected TLE line 1 or a name, found a "
                           "line 2 (lines swapped, or line 1 missing)")
        else:
            name, first = line.removeprefix("0 ").strip(), index + 1
        if first + 1 >= len(lines):
            raise TLEError(
                f"{source}:{index + 1}:1: {line!r} is not followed by the two lines of a TLE"
            )
        tles.append(
            _parse_pair(lines[first], lines[first + 1], name, source, first + 1, check_checksum)
        )
        index = first + 2
    return tles


def read_tle_file(path: str | Path, check_checksum: bool = True,
                  max_bytes: int = 64 * 2**20) -> list[Tle]:
    """All TLEs in a file (2-line or 3-line format); errors read ``file:line:column: what``."""
    return parse_tle_text(tle_file_text(path, max_bytes), str(path), check_checksum)


def tle_file_text(path: str | Path, max_bytes: int) -> str:
    """The text of a file of element sets, gunzipped when it is a gzip file (by its first bytes,
    whatever its name), of at most ``max_bytes`` (uncompressed). TLEError ``file:line:column:
    what`` when it cannot be read, is too large, damaged gzip or not UTF-8 text."""
    import gzip
    import zlib

    try:
        with open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
        if data[:2] == b"\x1f\x8b" and len(data) <= max_bytes:
            data = gzip.GzipFile(fileobj=io.BytesIO(data)).read(max_bytes + 1)
    except (OSError, EOFError, zlib.error) as exc:
        what = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise TLEError(f"{path}:1:1: cannot read the file of element sets ({what})") from None
    if len(data) > max_bytes:
        raise TLEError(f"{path}:1:1: too large (expected at most {max_bytes / 2**20:g} MiB of "
                       "element sets, uncompressed)")
    try:
        return decode_text(data)
    except TextProblem as problem:
        raise TLEError(f"{path}:{problem.line}:{problem.column}: {problem}; expected element "
                       "sets as text") from None
