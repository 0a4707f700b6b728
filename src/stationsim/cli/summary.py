"""The end-of-run summary table, read back from the results store."""

from __future__ import annotations

from typing import TYPE_CHECKING

from stationsim.cli.output import console, print_table, warn
from stationsim.results.warnings import group_warnings

if TYPE_CHECKING:
    import duckdb


def print_summary(rows: list[list], warnings: list[str]) -> None:
    """The table of :func:`summary_rows` with the number of warnings, then the warnings by
    kind."""
    print_table("run summary", ["quantity", "value"], [*rows, ["warnings", len(warnings)]])
    print_warnings(warnings)


def summary_rows(con: duckdb.DuckDBPyConnection) -> list[list]:
    """(quantity, value) rows of the store read through ``con``: flights, dockings, crew-days
    by agency, mass and volume, predicted landings, delta-v and reboost propellant."""
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
    return rows


SUBJECTS_SHOWN = 6


def print_warnings(warnings: list[str]) -> None:
    """Each kind of warning once: a lone one in full, else its count, the sentence with its
    numbers as N, and the first subjects (every warning is in the report and the store)."""
    groups = group_warnings(warnings)
    for group in groups:
        if group.count == 1:
            warn(group.messages[0])
            continue
        shown = ", ".join(s for s in group.subjects[:SUBJECTS_SHOWN] if s)
        more = group.count - min(group.count, SUBJECTS_SHOWN)
        warn(f"{group.count} × {group.kind}" + (f" ({shown}{f' and {more} more' if more else ''})"
                                                 if shown else ""))
    if len(groups) < len(warnings):
        console.print("every warning in full: the report's Warnings section and the store's "
                      "warnings table", highlight=False, soft_wrap=True)
