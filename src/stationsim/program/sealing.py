"""A module closed off from the station after it lost its air (the Spektr collision).

Its pressurised volume and its arrays' power leave the station (:mod:`.power`), and with it
what was stowed there: the module's share of the station's consumables, taken as its share of
the pressurised volume (stowage spread by volume, an assumption: no stowage plan is modelled).
"""

from __future__ import annotations

from stationsim.program.consumables import RESOURCES
from stationsim.program.power import station_power_w
from stationsim.program.state import SimState
from stationsim.program.station import StationRuntime, advance, snapshot


def seal_module(state: SimState, runtime: StationRuntime, module: str, cause: str) -> None:
    """Seal ``module`` now; a module not on the station or already sealed is a warning."""
    advance(state, runtime)
    if module not in runtime.graph.modules():
        state.warn(f"{module} is not on {runtime.id}: it cannot be sealed ({cause})")
        return
    if module in runtime.sealed:
        state.warn(f"{module} on {runtime.id} is already sealed ({cause})")
        return
    volume_before_m3 = runtime.pressurized_volume_m3()
    power_before_w = station_power_w(runtime.graph, runtime.sealed)
    module_m3 = runtime.graph.item(module).item.pressurized_volume_m3
    share = module_m3 / volume_before_m3 if volume_before_m3 > 0.0 else 0.0
    ledger = runtime.ledger
    ledger.advance(state.env.now)
    lost_kg = ledger.remove(state.env.now, {r: ledger.stock_kg[r] * share for r in RESOURCES})
    runtime.sealed.add(module)
    snapshot(state, runtime)
    power_after_w = station_power_w(runtime.graph, runtime.sealed)
    power = ("" if power_before_w is None else
             f"; power {power_before_w / 1e3:.1f} -> {power_after_w / 1e3:.1f} kW")
    stowed = ", ".join(f"{r} {kg:.0f} kg" for r, kg in lost_kg.items() if kg > 0.0) or "no stocks"
    state.log("depressurisation", station=runtime.id, detail=(
        f"{module} sealed ({cause or 'cause not given'}): volume {volume_before_m3:.0f} -> "
        f"{runtime.pressurized_volume_m3():.0f} m^3{power}; stowed there and lost: {stowed}"))
