"""Aborted approaches and their retries: a flight's documented aborts as events of the program.

The 77K modules of Mir and several Progress ships broke off an automatic approach and came back
days later (offnominal_events.csv, rendezvous_rules.csv: Kvant-1 at ~200 m on 1987-04-05,
Kvant-2 at ~20 m on 1989-12-02; Progress M-24 on 1994-08-27 and 08-30). A flight with
``approach_aborts`` flies its first attempt on its ``docking_flight_day``, or where its
profile's revolution count puts it (Soyuz/Progress); the attempt is called off at contact time
(the approach is flown to its documented range, then the vehicle backs away), and the
rendezvous is planned again for the abort's ``retry_flight_day`` (on a revolution-count
profile, the first opportunity of that Moscow day in Russian ground coverage:
:mod:`stationsim.ops.retry`). Every plan is made at launch from the station's orbit as
predicted then (what the operators had), so the retry's time of day on its day is a prediction
of the profile, not an input. A retry under manual control (TORU, Progress M-24's on
1994-09-02) is planned as the automatic one and logged as manual; an abort with no retry day
abandons the docking, as does a retry that would dock before the attempt it repeats. Limits:
the retry's phasing is the profile's ladder re-targeted to the new day from the same
insertion, not flown from the state the vehicle backed away to; so the docked vehicle's tanks
are charged with the docking plan's propellant alone (one ladder): a re-approach from near the
station costs little (Progress M-35's planned burns of 5.98, 4.02 and 0.58 m/s, satobs.org
Aug-1997/0200 in rendezvous_rules.csv), and three ladders from insertion would overstate it
(Progress M-24's would need more than its 880 kg).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from simpy.events import ProcessGenerator

from stationsim.ops.retry import attempt_day
from stationsim.program.rendezvous import plan as plan_at_launch
from stationsim.program.rendezvous import plan_maneuvers

if TYPE_CHECKING:
    from stationsim.hardware.vehicle import VehicleType
    from stationsim.ops.rendezvous import RendezvousPlan
    from stationsim.program.state import FlightRecord, SimState
    from stationsim.program.station import StationRuntime
    from stationsim.scenario.schema import Flight, VehicleDefaults


def fly_aborted_attempts(
    state: SimState, flight: Flight, vehicle: VehicleType, runtime: StationRuntime,
    record: FlightRecord, defaults: VehicleDefaults | None, plan: RendezvousPlan,
) -> ProcessGenerator:
    """SimPy steps of the aborted attempts; returns the plan that docks (None: no retry plan,
    or the docking abandoned).

    ``plan`` is the first attempt's plan (made at launch); the retries are planned now, still
    at launch, then each aborted attempt is logged at its contact time. The flight's manoeuvre
    log keeps each plan's burns up to the abort that ends it.
    """
    plans, start_s = [plan], float(state.env.now)
    retried = [a for a in flight.approach_aborts if a.retry_flight_day is not None]
    for abort in retried:
        retry = plan_at_launch(state, flight.model_copy(update={"docking_flight_day":
                                                                abort.retry_flight_day}),
                               vehicle, runtime, record, defaults, retry=True)
        if retry is None:
            return None
        if retry.docking_epoch.tt_s <= plans[-1].docking_epoch.tt_s:
            record.outcome = "no-docking"
            state.warnings.append(
                f"{flight.id}: the retry on flight day {abort.retry_flight_day} would dock "
                f"{retry.docking_epoch.utc_iso(0)}, before the attempt it repeats "
                f"({plans[-1].docking_epoch.utc_iso(0)}, flight day {attempt_day(plans[-1])}): "
                "no docking")
            return None
        plans.append(retry)
    abandoned = len(retried) < len(flight.approach_aborts)
    ends_s = [float(p.docking_epoch.tt_s) for p in plans[:-1]] + [float("inf")]
    if abandoned:
        ends_s[-1] = float(plans[-1].docking_epoch.tt_s)
    begins_s = [start_s] + ends_s[:-1]
    kept = [m for m in state.maneuvers if m.flight != flight.id]
    for p, begin_s, end_s in zip(plans, begins_s, ends_s, strict=True):
        kept += [m for m in plan_maneuvers(flight, vehicle, p) if begin_s <= m.t_s < end_s]
    state.maneuvers[:] = kept
    record.rendezvous_dv_mps = sum(m.dv_mps for m in kept if m.flight == flight.id)
    count = len(flight.approach_aborts)
    for abort, attempt, retry in zip(flight.approach_aborts, plans[:count],
                                     (plans[1:] + [None])[:count], strict=True):
        yield state.wait_until(attempt.docking_epoch.tt_s)
        then = ("the docking abandoned" if retry is None else
                f"retry planned for flight day {abort.retry_flight_day}"
                f"{' under manual control (TORU)' if abort.retry_docking == 'manual' else ''}"
                f", docking {retry.docking_epoch.utc_iso(0)}")
        state.log("approach_abort", flight.id, runtime.id, detail=(
            f"approach on flight day {attempt_day(attempt)} aborted"
            f"{'' if abort.range_m is None else f' at {abort.range_m:g} m'}"
            f" ({abort.cause or 'cause not given'}); {then}"))
    if abandoned:
        record.outcome = "no-docking"
        state.warnings.append(f"{flight.id}: docking abandoned after "
                              f"{len(flight.approach_aborts)} aborted approaches")
        return None
    return plans[-1]
