"""Re-entry by drag from a published or tracked orbit, computed beside the programs' runs.

The orbit comes from the record entry: apsides above the equatorial radius, inclination and
argument of perigee at an epoch (``orbit``), or a tracked element set (``tle``). Mass, area
and Cd come from the hardware catalog: a vehicle's own drag area and Cd, or for an
uncontrolled module the mean projected area of its cylinder over random orientations (a
quarter of its surface, Cauchy's formula for convex bodies; solar arrays left out) with the
engine's Cd. Nothing is fitted. King-Hele's orbit-averaged decay on NRLMSIS 2.1 with the
bundled space weather (:func:`stationsim.astro.lifetime.reentry_averaged`, within 5 % of full
propagation).
"""

from __future__ import annotations

from stationsim.astro.constants import DEG, KM, R_EARTH_M
from stationsim.astro.lifetime import MeanElements, mean_elements, reentry_averaged
from stationsim.astro.time import Epoch
from stationsim.astro.tle import parse_tle_text
from stationsim.hardware.catalog import load_catalog
from stationsim.hardware.module import tumbling_area_m2
from stationsim.program.engine import DEFAULT_CD


def decay_reentry_s(entry) -> float | None:
    """POSIX seconds (UTC label) of the predicted re-entry for a ``decay_reentry_utc`` entry,
    None if the orbit outlives 30 years."""
    start, mean = _start(entry)
    result = reentry_averaged(start, mean, cd_area_over_mass_m2pkg(entry))
    return None if result.reentry is None else result.reentry.to_datetime().timestamp()


def cd_area_over_mass_m2pkg(entry) -> float:
    """Cd*A/m (m^2/kg) of the entry's ``vehicle`` or tumbling ``module`` from the catalog."""
    catalog = load_catalog()
    if "vehicle" in entry.extra:
        vehicle = catalog.vehicle(entry.extra["vehicle"])
        return vehicle.cd * vehicle.drag_area_m2 / vehicle.dry_mass_kg
    module = catalog.module(entry.extra["module"])
    return DEFAULT_CD * tumbling_area_m2(module.length_m, module.diameter_m) / module.mass_kg


def _start(entry) -> tuple[Epoch, MeanElements]:
    if "tle" in entry.extra:
        (tle,) = parse_tle_text(entry.extra["tle"], source=f"record: {entry.subject}")
        r_m, v_mps = tle.initial_state()
        return tle.epoch, mean_elements(tle.epoch, r_m, v_mps)
    orbit = entry.extra["orbit"]
    perigee_m = R_EARTH_M + float(orbit["perigee_km"]) * KM
    apogee_m = R_EARTH_M + float(orbit["apogee_km"]) * KM
    if not apogee_m >= perigee_m:
        raise ValueError(f"{entry.subject}: apogee_km={orbit['apogee_km']!r} is below "
                         f"perigee_km={orbit['perigee_km']!r}")
    eccentricity = (apogee_m - perigee_m) / (apogee_m + perigee_m)
    return Epoch.from_utc_iso(str(orbit["epoch_utc"])), MeanElements(
        (perigee_m + apogee_m) / 2.0, eccentricity, float(orbit["inclination_deg"]) * DEG, 0.0,
        float(orbit.get("arg_perigee_deg", 0.0)) * DEG)
