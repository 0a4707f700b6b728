"""The density table a program's station flies through, built once and kept on disk.

An orbit-averaged NRLMSIS 2.1 table (:func:`stationsim.astro.atmosphere.msis_table`) over a
multi-year program takes seconds to build; it depends only on its grid and the bundled
space-weather file, so it is cached under ``$XDG_CACHE_HOME/stationsim`` (default
``~/.cache/stationsim``) keyed by those inputs. Grid: daily rows, 150-800 km every 10 km
(log-linear interpolation across 10 km is within 1 % where the scale height exceeds 40 km),
4 latitudes x 6 local times.

The package ships the tables of the README's first program in ``data/density/`` (the files a
run of it writes into an empty cache, copied there), so that its first run after an install
builds none; each file holds the inputs it was built from, and the tests rebuild rows of it
and check its name against them.
"""

from __future__ import annotations

import hashlib
import os
from importlib import resources
from pathlib import Path

import numpy as np

from stationsim.astro.atmosphere import MSIS_VERSION, DensityTable, msis_table
from stationsim.astro.constants import DAY_S, KM
from stationsim.astro.time import Epoch

GRID = {
    "altitude_min_m": 150.0 * KM,
    "altitude_max_m": 800.0 * KM,
    "altitude_step_m": 10.0 * KM,
    "n_latitudes": 4,
    "n_local_times": 6,
}


def cache_folder() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "stationsim"


def station_density_table(start: Epoch, stop: Epoch, inclination_rad: float) -> DensityTable:
    """Daily orbit-averaged NRLMSIS table from ``start`` to ``stop`` (whole days, cached)."""
    first_day = np.floor(start.tt_s / DAY_S) * DAY_S
    last_day = np.ceil(stop.tt_s / DAY_S) * DAY_S
    inclination_rad = round(float(inclination_rad), 3)  # ~0.06 deg bins share a table
    name = table_name(first_day, last_day, inclination_rad)
    for path in (cache_folder() / name, SHIPPED.joinpath(name)):
        try:
            with path.open("rb") as stream, np.load(stream) as saved:
                return DensityTable(*(float(x) for x in saved["grid"]), saved["log_rho"].copy())
        except (OSError, KeyError, ValueError):
            pass
    table = msis_table(Epoch(first_day), Epoch(last_day), inclination_rad, **GRID)
    _save(cache_folder() / name, table, (first_day, last_day, inclination_rad))
    return table


SHIPPED = resources.files("stationsim.program").joinpath("data", "density")
"""The tables shipped with the package (module doc)."""


def table_name(first_day_tt_s: float, last_day_tt_s: float, inclination_rad: float) -> str:
    """The file name of a table: a digest of its inputs, the grid, the NRLMSIS version and
    the bundled space-weather file, so that a change to any of them makes a new table."""
    key = hashlib.sha256(
        repr(
            (
                float(first_day_tt_s),  # Python floats: their repr is not NumPy's to choose
                float(last_day_tt_s),
                float(inclination_rad),
                sorted(GRID.items()),
                MSIS_VERSION,
                _weather_stamp(),
            )
        ).encode()
    ).hexdigest()[:20]
    return f"density-{key}.npz"


def _weather_stamp() -> str:
    """Identify the bundled space-weather file, so that a new file makes new tables."""
    from importlib import resources

    from stationsim.astro.spaceweather import BUNDLED_RESOURCE

    data = resources.files("stationsim").joinpath(BUNDLED_RESOURCE).read_bytes()
    return hashlib.sha256(data).hexdigest()[:16]


def _save(path: Path, table: DensityTable, inputs: tuple[float, float, float]) -> None:
    """Write atomically, with the (first day, last day, inclination) it was built from; a
    cache that cannot be written is simply not kept."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp.npz")
        np.savez(temporary, grid=np.array(table[:4]), log_rho=table.log_rho,
                 inputs=np.array(inputs))
        os.replace(temporary, path)
    except OSError:
        return
