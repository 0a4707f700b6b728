"""A flight that meets no station: its orbit as published, and its decay to re-entry.

One computation for both commands: the engine's re-entry event (``stationsim run``) and the
``decay_reentry_utc`` rows of validation (:mod:`stationsim.validation.decay`) both call
:func:`free_flight_decay`.

A free flight's elements are read as satellite catalogues publish an orbit (NSSDC, the RAE
Table of Earth Satellites, from the observed period): perigee and apogee are the smallest and
largest height over a revolution above the equatorial radius, not osculating values at the
epoch. Taken as osculating at perigee, Sputnik 1's 215 x 939 km would reach 951 km (the J2
short-period terms lift the far side) and live four days longer (docs/lifetime.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from stationsim.astro.elements import true_to_mean
from stationsim.astro.lifetime import (
    LifetimeResult,
    MeanElements,
    ReentryUncertainty,
    reentry,
    reentry_uncertainty,
    state_from_mean_elements,
)
from stationsim.astro.time import Epoch

if TYPE_CHECKING:
    from stationsim.astro.atmosphere import DensityTable
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.scenario.schema import ElementsOrbit, Flight, TleOrbit


def free_flight_state(orbit: TleOrbit | ElementsOrbit) -> tuple[Epoch, np.ndarray, np.ndarray]:
    """(epoch, r_gcrf_m, v_gcrf_mps) of a free flight's orbit: a TLE's SGP4 state, or the
    state whose revolution has the published perigee and apogee (module doc)."""
    if hasattr(orbit, "record"):
        tle = orbit.record
        r_m, v_mps = tle.initial_state()
        return tle.epoch, np.asarray(r_m), np.asarray(v_mps)
    mean = MeanElements(orbit.semi_major_axis_m, orbit.eccentricity, orbit.inclination_rad,
                        orbit.raan_rad, orbit.arg_perigee_rad)
    anomaly_rad = float(true_to_mean(orbit.true_anomaly_rad, orbit.eccentricity))
    r_m, v_mps = state_from_mean_elements(orbit.epoch, mean, anomaly_rad)
    return orbit.epoch, np.asarray(r_m), np.asarray(v_mps)


def cd_area_over_mass_m2pkg(vehicle: VehicleType) -> float:
    """Cd*A/m (m^2/kg) of a vehicle flying alone: its catalog drag area, Cd and wet mass."""
    return vehicle.cd * vehicle.drag_area_m2 / vehicle.wet_mass_kg


def free_flight_decay(
    flight: Flight,
    vehicle: VehicleType,
    end_tt_s: float,
    density_table: DensityTable | None = None,
) -> LifetimeResult:
    """The decay of ``flight`` (its ``orbit``) flown by ``vehicle`` (catalog entry), followed
    until re-entry or TT ``end_tt_s`` (the program's end), on the bundled space weather."""
    epoch, r_m, v_mps = free_flight_state(flight.orbit)
    return reentry(epoch, r_m, v_mps, cd_area_over_mass_m2pkg(vehicle),
                   max_duration_s=end_tt_s - epoch.tt_s, density_table=density_table)


def reentry_spread(orbit: TleOrbit | ElementsOrbit, decay: LifetimeResult) -> ReentryUncertainty:
    """How well the re-entry of ``decay`` is known: +-20 % of its lifetime from the orbit's
    epoch, in time, revolutions and ground track
    (:func:`stationsim.astro.lifetime.reentry_uncertainty`)."""
    inclination_rad = (orbit.record.inclination_rad if hasattr(orbit, "record")
                       else orbit.inclination_rad)
    return reentry_uncertainty(decay.lifetime_s, inclination_rad)
