"""Vehicle types: the rocket equation and input checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stationsim.astro.constants import G0_MPS2
from stationsim.hardware import load_catalog


def test_propellant_for_dv_inverts_to_the_rocket_equation():
    # Tsiolkovsky: dv = Isp g0 ln(m0 / (m0 - mp)); invert the result independently.
    progress = load_catalog().vehicle("progress-m")
    mass_kg = 130_000.0
    dv_mps = np.array([0.0, 1.0, 10.0, 100.0])
    propellant_kg = progress.propellant_for_dv_kg(dv_mps, mass_kg)
    recovered_mps = progress.isp_s * G0_MPS2 * np.log(mass_kg / (mass_kg - propellant_kg))
    np.testing.assert_allclose(recovered_mps, dv_mps, atol=1e-9)  # 1 nm/s
    # small-burn limit mp ~ m0 dv / (Isp g0): 1 m/s on 130 t at Isp 302 s -> 43.9 kg
    assert propellant_kg[1] == pytest.approx(mass_kg * 1.0 / (302.0 * G0_MPS2), rel=2e-4)


def test_propellant_for_dv_scalar_in_scalar_out():
    soyuz = load_catalog().vehicle("soyuz-tm")
    value = soyuz.propellant_for_dv_kg(50.0, soyuz.wet_mass_kg)
    assert isinstance(value, float)
    assert value == pytest.approx(soyuz.wet_mass_kg * (1 - math.exp(-50.0 / (302 * G0_MPS2))))


def test_vehicle_without_propulsion_and_bad_inputs():
    catalog = load_catalog()
    with pytest.raises(ValueError, match="sputnik-1"):
        catalog.vehicle("sputnik-1").propellant_for_dv_kg(1.0, 83.6)
    soyuz = catalog.vehicle("soyuz-tm")
    with pytest.raises(ValueError, match="dv_mps"):
        soyuz.propellant_for_dv_kg(-1.0, 7000.0)
    with pytest.raises(ValueError, match="mass_kg"):
        soyuz.propellant_for_dv_kg(1.0, float("nan"))


def test_autonomous_seconds():
    assert load_catalog().vehicle("soyuz-tm").autonomous_s == 4 * 86400.0
