"""A flight whose rendezvous needs more propellant than its vehicle carries fails in ``run`` as
out of propellant, with a warning naming the flight, the figures and the fix."""

from __future__ import annotations

import math
import re

import pytest

from stationsim.astro.constants import G0_MPS2
from stationsim.scenario import load_text

PROGRAM = """
name: dry-dragon
span: {start_utc: 2031-03-01T00:00:00Z, end_utc: 2031-03-10T00:00:00Z}
vehicles:
  dragon-dry: {extends: crew-dragon, display_name: Crew Dragon with PROPELLANT kg,
               propellant_mass_kg: PROPELLANT, source: a test}
stations:
  - id: outpost
    orbit: {epoch_utc: 2031-03-01T00:00:00Z, perigee_km: 418, apogee_km: 422,
            inclination_deg: 51.6, raan_deg: 120.0, arg_perigee_deg: 0.0,
            true_anomaly_deg: 0.0}
    modules:
      root: pma-2
      attach: [{module: ida-2, at: pma-2.apas, via: apas}]
flights:
  - {id: Dry-1, vehicle: dragon-dry, launch_utc: 2031-03-03T12:00:00Z, site: ksc-lc-39a,
     port: ida-2.idss, stay_days: 3}
"""


def _run(propellant_kg: float):
    from stationsim.program.engine import simulate

    return simulate(load_text(PROGRAM.replace("PROPELLANT", f"{propellant_kg:g}")))


def test_a_plan_beyond_the_load_fails_the_flight_with_a_warning():
    result = _run(5.0)
    (record,) = result.flights
    assert record.outcome == "out-of-propellant" and record.dock_s is None
    (warning,) = [w for w in result.warnings if "out of propellant" in w]
    assert warning.startswith("Dry-1: out of propellant: the plan needs ")
    needed_kg = float(re.search(r"needs ([\d,]+) kg", warning)[1].replace(",", ""))
    assert "dragon-dry carries 5 kg" in warning and needed_kg > 5.0
    # Tsiolkovsky on the plan's delta-v: the burns in sequence need m0 (1 - exp(-dv / ve)) of
    # a vehicle of initial mass m0 = dry + load (Crew Dragon's 9,490 kg dry, Isp 300 s)
    exhaust_mps = 300.0 * G0_MPS2
    ratio = math.exp(record.rendezvous_dv_mps / exhaust_mps)
    assert needed_kg == pytest.approx((9490.0 + 5.0) * (1.0 - 1.0 / ratio), abs=1.0)
    # the load that covers the plan, dry (e^(dv/ve) - 1), and a kilogram more: it docks
    fed = _run(9490.0 * (ratio - 1.0) + 1.0)
    assert fed.flights[0].dock_s is not None  # docked (and left after its stay)
    assert not [w for w in fed.warnings if "out of propellant" in w]
