"""Tracking files: the element sets of a station as tracked, read from a file a program names.

A program names a file of two-line element sets (NORAD format, Hoots & Roehrich, Spacetrack
Report No. 3; optionally gzipped) instead of pasting the sets into YAML. The name is a path
relative to the program file, else the name of a file bundled in ``stationsim/data/tracking``
(its README gives the sources). Every set is checked by :mod:`stationsim.astro.tle`; a bad one
is a ``file:line:column`` error. A file is parsed once per process (3,125 sets in about 0.3 s).

>>> sets = read_tracking_file(tracking_path("iss-1998-2001.tle.gz", "<program>"))
>>> len(sets), sets[0].epoch.utc_iso(0)
(3125, '1998-11-20T06:50:00Z')
"""

from __future__ import annotations

import functools
from importlib import resources
from pathlib import Path

from stationsim.astro.tle import Tle, parse_tle_text, tle_file_text
from stationsim.errors import TLEError

BUNDLED_FOLDER = "data/tracking"
MAX_TRACKING_FILE_BYTES = 16 * 2**20
"""Most bytes of a tracking file, and of what a gzipped one unpacks to: 38 times the bundled
ISS archive (3,125 sets, 437,500 bytes unpacked, 140 a set), room for 120,000 sets; a gzip of
300 MiB of blank lines, 300 kB on disk, took a minute to refuse."""


def bundled_tracking_files() -> list[str]:
    """Names of the tracking files shipped with stationsim, sorted."""
    folder = resources.files("stationsim").joinpath(BUNDLED_FOLDER)
    return sorted(entry.name for entry in folder.iterdir() if ".tle" in entry.name)


def tracking_path(name: str, program_source: str) -> Path:
    """The file behind a program's ``file:``: beside the program file, else a bundled one.

    Raises TLEError naming both places when it is neither.
    """
    beside = Path(program_source).parent / name
    if program_source != "<program>" and beside.is_file():
        return beside
    if name in bundled_tracking_files():
        return Path(str(resources.files("stationsim").joinpath(BUNDLED_FOLDER, name)))
    if Path(name).is_absolute() and Path(name).is_file():
        return Path(name)
    raise TLEError(f"no tracking file {name!r} beside the program ({beside.parent}) and none "
                   f"bundled (expected one of {', '.join(bundled_tracking_files())})")


def read_tracking_file(path: str | Path) -> tuple[Tle, ...]:
    """Every element set in the file at ``path`` (``.gz``: gzipped), in the file's order.

    Raises TLEError ``path:line:column: what`` for the first bad set, or when the file cannot
    be read (damaged gzip, not UTF-8 text), is larger than :data:`MAX_TRACKING_FILE_BYTES`
    (gzipped or not), holds no set or holds sets of more than one object.
    """
    return tuple(tle for _, tle in located_sets(path))


def located_sets(path: str | Path) -> tuple[tuple[int, Tle], ...]:
    """(line of its first element line, set) for every set in the tracking file at ``path``."""
    path = Path(path)
    try:
        stat = path.stat()
    except OSError as exc:
        raise TLEError(f"{path}:1:1: cannot read the tracking file ({exc.strerror})") from None
    return _read(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=16)
def _read(path: str, _mtime_ns: int, _size: int) -> tuple[tuple[int, Tle], ...]:
    """The parsed file, cached on its path, modification time and size."""
    text = tle_file_text(path, MAX_TRACKING_FILE_BYTES)
    sets = parse_tle_text(text, path)
    if not sets:
        raise TLEError(f"{path}:1:1: no element set in the tracking file (expected two-line "
                       "element sets)")
    lines = text.splitlines()
    located, row = [], 0
    for tle in sets:  # each set's first element line, for messages about the set
        while lines[row].rstrip() != tle.lines[0]:
            row += 1
        located.append((row + 1, tle))
        if tle.norad_id != sets[0].norad_id:
            raise TLEError(f"{path}:{row + 1}:3: catalog number {tle.norad_id} differs from the "
                           f"first set's {sets[0].norad_id} (expected the element sets of one "
                           f"object, the station)")
        row += 1
    return tuple(located)
