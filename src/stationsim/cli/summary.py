"""The end-of-run summary table, read back from the results store."""

from __future__ import annotations

import duckdb

from stationsim.cli.output import print_table, warn


def print_summary(store_path, warnings: list[str]) -> None:
    """Flights, dockings, crew-days by agency, mass and volume, delta-v, warnings."""
    con = duckdb.connect(str(store_path), read_only=True)
    try:
        one = lambda sql: con.execute(sql).fetchone()  # noqa: E731
        n_flights, n_docked = one("SELECT count(*), count(dock_utc) FROM flights")
        rows = [["flights", n_flights], ["dockings", n_docked]]
        for agency, days in con.execute(
            "SELECT agency, sum(days) FROM crew_stays GROUP BY agency ORDER BY agency"
        ).fetchall():
            rows.append([f"crew-days, {agency}", round(days, 1)])
        for station, mass0, mass1, vol0, vol1 in con.execute(
            "SELECT station, arg_min(mass_kg, t_utc), arg_max(mass_kg, t_utc), "
            "arg_min(pressurized_volume_m3, t_utc), arg_max(pressurized_volume_m3, t_utc) "
            "FROM station_states GROUP BY station ORDER BY station"
        ).fetchall():
            rows.append(
                [f"{station} mass at start / end (t)", f"{mass0 / 1e3:.1f} / {mass1 / 1e3:.1f}"]
            )
            rows.append(
                [f"{station} pressurized volume at start / end (m³)", f"{vol0:.0f} / {vol1:.0f}"]
            )
        (dv_mps,) = one("SELECT coalesce(sum(rendezvous_dv_mps), 0) FROM flights")
        (reboost_kg,) = one(
            "SELECT coalesce(sum(propellant_kg), 0) FROM maneuvers WHERE name LIKE 'reboost%'"
        )
        for flight, when, lat, lon in con.execute(
            "SELECT flight, t_utc, lat_deg, lon_deg FROM events WHERE kind = 'land' AND "
            "lat_deg IS NOT NULL ORDER BY t_utc"
        ).fetchall():  # a trajectory's predicted landing (program/mission.py)
            rows.append([f"{flight} landing", f"{when:%Y-%m-%d %H:%M:%S} UTC, {lat:.2f}, "
                                              f"{lon:.2f}"])
        rows.append(["rendezvous delta-v, all flights (m/s)", round(dv_mps, 1)])
        rows.append(["reboost propellant (kg)", round(reboost_kg, 1)])
        rows.append(["warnings", len(warnings)])
    finally:
        con.close()
    print_table("run summary", ["quantity", "value"], rows)
    for warning in warnings:
        warn(warning)
