"""A small synthetic run folder for the export and dashboard tests (written with write_store).

Mir on a two-body orbit sampled every minute for two days; Soyuz TM-21 and STS-71 fly free on
their own two-body orbits, dock, undock and land; five people come and go.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from stationsim.astro.constants import R_EARTH_M
from stationsim.astro.elements import elements_to_state
from stationsim.astro.propagate import TwoBody
from stationsim.astro.time import Epoch
from stationsim.results.report import write_report
from stationsim.results.store import write_store

START_UTC = "1995-03-14T00:00:00"
STOP_UTC = "1995-03-16T00:00:00"
STEP_S = 120.0
FLIGHTS = {
    # flight: (launch, dock, port, undock, land, vehicle)
    "Soyuz TM-21": ("1995-03-14T06:00:00", "1995-03-14T12:00:00", "kvant-1.aft",
                    "1995-03-15T18:00:00", "1995-03-15T21:00:00", "soyuz-tm"),
    "STS-71": ("1995-03-14T02:00:00", "1995-03-14T20:00:00", "kristall.axial",
               "1995-03-15T10:00:00", "1995-03-15T14:00:00", "space-shuttle"),
}
STAYS = [
    # person, agency, arrived, departed, arrival flight, departure flight
    ("Valeri Polyakov", "RKA", START_UTC, None, None, None),
    ("Elena Kondakova", "RKA", START_UTC, "1995-03-15T18:00:00", None, "Soyuz TM-21"),
    ("Norman Thagard", "NASA", "1995-03-14T12:00:00", None, "Soyuz TM-21", None),
    ("Robert Gibson", "NASA", "1995-03-14T20:00:00", "1995-03-15T10:00:00", "STS-71", "STS-71"),
    ("Bonnie Dunbar", "NASA", "1995-03-14T20:00:00", "1995-03-15T10:00:00", "STS-71", "STS-71"),
]


def orbit(altitude_m: float, raan_deg: float, anomaly_deg: float) -> TwoBody:
    """A circular 51.6 deg orbit at START_UTC (elements -> GCRF state, then two-body)."""
    r_m, v_mps = elements_to_state(
        R_EARTH_M + altitude_m, 0.0, np.radians(51.6), np.radians(raan_deg), 0.0,
        np.radians(anomaly_deg))
    return TwoBody(Epoch.from_utc_iso(START_UTC), r_m, v_mps)


STATION = orbit(395e3, 20.0, 0.0)
VEHICLES = {"Soyuz TM-21": orbit(350e3, 20.0, -30.0), "STS-71": orbit(330e3, 20.0, -60.0)}


def _grid(start_utc: str, stop_utc: str) -> Epoch:
    start = Epoch.from_utc_iso(start_utc)
    return start + np.arange(0.0, Epoch.from_utc_iso(stop_utc) - start + 1e-6, STEP_S)


def _sample(columns: dict, name: str, propagator: TwoBody, epochs: Epoch) -> None:
    r_m, v_mps = propagator.states(epochs)
    columns["t_utc"] += [t.rstrip("Z") for t in epochs.utc_iso(6)]
    columns["object"] += [name] * len(r_m)
    for k, key in enumerate(("x_m", "y_m", "z_m")):
        columns[key] += list(r_m[:, k])
    for k, key in enumerate(("vx_mps", "vy_mps", "vz_mps")):
        columns[key] += list(v_mps[:, k])


def synthetic_tables(seed: int = 1) -> dict:
    """The tables of the synthetic run (``stationsim.results.store.write_store``'s input)."""
    trajectories = {key: [] for key in ("t_utc", "object", "x_m", "y_m", "z_m", "vx_mps",
                                        "vy_mps", "vz_mps")}
    _sample(trajectories, "mir", STATION, _grid(START_UTC, STOP_UTC))
    for flight, (launch, dock, _, undock, land, _) in FLIGHTS.items():
        _sample(trajectories, flight, VEHICLES[flight], _grid(launch, dock))
        _sample(trajectories, flight, VEHICLES[flight], _grid(undock, land))
    names = list(FLIGHTS)
    flights = {
        "flight": names,
        "vehicle": [FLIGHTS[n][5] for n in names],
        "site": ["baikonur", "ksc"],
        "launch_utc": [FLIGHTS[n][0] for n in names],
        "dock_utc": [FLIGHTS[n][1] for n in names],
        "station": ["mir", "mir"],
        "port": [FLIGHTS[n][2] for n in names],
        "undock_utc": [FLIGHTS[n][3] for n in names],
        "land_utc": [FLIGHTS[n][4] for n in names],
        "profile": ["soyuz-two-day", "shuttle"],
        "rendezvous_dv_mps": [95.0, 120.0],
        "outcome": ["landed", "landed"],
    }
    events = [
        (START_UTC, "module_attach", None, "mir", None, "mir-core"),
        (START_UTC, "module_attach", None, "mir", "mir-core.aft", "kvant-1"),
        (START_UTC, "module_attach", None, "mir", "mir-core.minus-y", "kristall"),
        ("1995-03-14T04:00:00", "relocate", None, "mir", "mir-core.minus-z",
         "kristall from mir-core.minus-y"),
    ]
    for flight, (launch, dock, port, undock, land, _) in FLIGHTS.items():
        events += [(launch, "launch", flight, "mir", None, None),
                   (dock, "dock", flight, "mir", port, None),
                   (undock, "undock", flight, "mir", port, None),
                   (land, "land", flight, None, None, None)]
    events.sort(key=lambda e: e[0])
    hours = Epoch.from_utc_iso(START_UTC) + np.arange(0.0, 48 * 3600.0 + 1.0, 3600.0)
    hour_texts = [t.rstrip("Z") for t in hours.utc_iso(6)]
    crew_count = [sum(1 for s in STAYS if s[2] <= t and (s[3] is None or s[3] > t))
                  for t in hour_texts]
    tables = {
        "runs": {"program": ["synthetic"], "program_sha256": ["0" * 64], "seed": [seed],
                 "stationsim_version": ["test"], "started_utc": ["2026-01-01T00:00:00"],
                 "wall_s": [1.0], "tracking_updates": [0]},
        "flights": flights,
        "events": {key: [e[k] for e in events] for k, key in enumerate(
            ("t_utc", "kind", "flight", "station", "port", "detail"))},
        "crew_stays": {
            "person": [s[0] for s in STAYS], "agency": [s[1] for s in STAYS],
            "station": ["mir"] * len(STAYS), "arrived_utc": [s[2] for s in STAYS],
            "departed_utc": [s[3] for s in STAYS], "arrival_flight": [s[4] for s in STAYS],
            "departure_flight": [s[5] for s in STAYS], "days": [1.0] * len(STAYS)},
        "station_states": {
            "t_utc": hour_texts, "station": ["mir"] * len(hours),
            "perigee_km": [390.0] * len(hours), "apogee_km": [400.0] * len(hours),
            "mean_altitude_km": [395.0 - 0.01 * k for k in range(len(hours))],
            "inclination_deg": [51.6] * len(hours), "raan_deg": [20.0] * len(hours),
            "mass_kg": [120e3] * len(hours), "pressurized_volume_m3": [350.0] * len(hours),
            "crew_count": crew_count},
        "consumables": {"t_utc": [START_UTC, STOP_UTC], "station": ["mir", "mir"],
                        "resource": ["water", "water"], "stock_kg": [1200.0, 1150.0]},
        "trajectories": trajectories,
    }
    return tables


def write_synthetic_run(folder: Path) -> Path:
    """Write results.duckdb and report.html of the synthetic run into ``folder`` (as a run
    folder of an earlier stationsim: no manifest)."""
    store = write_store(Path(folder) / "results.duckdb", synthetic_tables())
    write_report(store, Path(folder) / "report.html")
    return Path(folder)
