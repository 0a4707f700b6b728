"""Tracking where the operators had it: tracking files, adoption in time order, and the rule
that a flight is planned from the last set before its launch.

The short programs here are built from the bundled ISS tracking archive (public NORAD sets,
stationsim/data/tracking/README.md) around STS-96 (launched 1999-05-27 10:49:42 UTC, NASA
STS-96 press kit): the station as Zarya, Unity and the two PMAs, one Shuttle flight.
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
import pytest

from stationsim.astro.constants import DAY_S
from stationsim.astro.time import Epoch
from stationsim.errors import ProgramError
from stationsim.program.engine import simulate
from stationsim.scenario import load_path
from stationsim.scenario.tracking import read_tracking_file, tracking_path

LAUNCH = Epoch.from_utc_iso("1999-05-27T10:49:42Z")
STS96 = """  - {id: STS-96, vehicle: discovery, launch_utc: 1999-05-27T10:49:42Z, site: ksc-lc-39b,
     profile: shuttle, port: pma-2.apas}"""
# Progress M1-3 to Zvezda aft, launched 2000-08-06 18:26:42 UTC (the Progress M1-3 article's
# infobox; in the ISS's plane from Baikonur, which the model's orbit confirms)
PROGRESS_LAUNCH = Epoch.from_utc_iso("2000-08-06T18:26:42Z")
PROGRESS = """  - {id: Progress M1-3, vehicle: progress-m1, launch_utc: 2000-08-06T18:26:42Z,
     site: baikonur-site-1, profile: soyuz-two-day, port: zvezda.aft}"""
ARCHIVE = read_tracking_file(tracking_path("iss-1998-2001.tle.gz", "<program>"))


def _sets_between(start_s: float, stop_s: float):
    return [tle for tle in ARCHIVE if start_s <= tle.epoch.tt_s < stop_s]


def _program(folder: Path, name: str, tracked, flight: str = STS96,
             launch: Epoch = LAUNCH) -> Path:
    """One flight (STS-96 unless given), from the station's set three days before the launch,
    with the element sets ``tracked`` (a list of Tle) in a tracking file beside the program;
    Zvezda is on the station from 2000-07-26 (iss_modules.csv)."""
    zvezda = ("        - {module: zvezda, at: zarya.aft, via: forward}\n"
              if launch.tt_s > Epoch.from_utc_iso("2000-07-26T00:45:00Z").tt_s else "")
    first = _sets_between(launch.tt_s - 3.0 * DAY_S, launch.tt_s)[0]
    end = (launch + 4.0 * DAY_S).utc_iso(0)
    lines = "\n".join(f"        {line}" for line in first.lines)
    text = f"""
name: {name}
span: {{start_utc: {first.epoch.utc_iso(0)}, end_utc: {end}}}
stations:
  - id: iss
    orbit:
      tle: |
{lines}
    modules:
      root: zarya
      attach:
        - {{module: pma-1, at: zarya.forward, via: apas}}
        - {{module: unity, at: pma-1.cbm, via: aft}}
        - {{module: pma-2, at: unity.forward, via: cbm}}
{zvezda}    has_arm: true
flights:
{flight}
"""
    if tracked:
        (folder / f"{name}.tle").write_text(
            "".join(f"{tle.lines[0]}\n{tle.lines[1]}\n" for tle in tracked), encoding="utf-8")
        text += f"tracking_files:\n  - {{station: iss, file: {name}.tle}}\n"
    path = folder / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _flight(result, flight_id="STS-96"):
    return next(record for record in result.flights if record.flight == flight_id)


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    """STS-96 planned from: the last set before the launch; no set after the starting one;
    that set and one adopted between the launch and the docking."""
    folder = tmp_path_factory.mktemp("sts96")
    before = _sets_between(LAUNCH.tt_s - 3.0 * DAY_S, LAUNCH.tt_s)[-1]
    after = _sets_between(LAUNCH.tt_s + 3600.0, LAUNCH.tt_s + DAY_S)[0]
    return {
        "last set": simulate(load_path(_program(folder, "with-set", [before]))),
        "set removed": simulate(load_path(_program(folder, "without-set", []))),
        "set after launch": simulate(load_path(_program(folder, "set-after", [before, after]))),
        "before": before,
        "after": after,
    }


def test_the_bundled_archive_is_the_reference_file():
    # /work/shared/reference/tle_iss_1998_2001.txt: 3,125 sets, 1998-11-20 to a 2004 set.
    assert len(ARCHIVE) == 3125
    assert {tle.norad_id for tle in ARCHIVE} == {25544}
    assert ARCHIVE[0].epoch.utc_iso(0) == "1998-11-20T06:50:00Z"
    assert max(tle.epoch.utc_iso(0) for tle in ARCHIVE).startswith("2004-01-03")


def test_removing_the_set_before_the_launch_changes_the_docking(runs):
    # The orbit matters: without the set (taken 0.2 h before the launch) the model's own
    # three-day prediction plans the rendezvous, and the plan changes: its delta-v and its
    # docking (30 s and 0.6 m/s when written; the planner converges to a millisecond and a
    # mm/s, so 10 s and 0.1 m/s are changes of the orbit, not of round-off).
    with_set, without = _flight(runs["last set"]), _flight(runs["set removed"])
    assert with_set.outcome == without.outcome == "docked"
    assert abs(with_set.dock_s - without.dock_s) > 10.0
    assert abs(with_set.rendezvous_dv_mps - without.rendezvous_dv_mps) > 0.1
    drifts = runs["last set"].drifts["iss"]
    assert [d.t_s for d in drifts] == [runs["before"].epoch.tt_s]
    # the set corrected the model's along-track position by more than a kilometre
    assert abs(drifts[0].d_along_track_m) > 1e3


def test_a_later_set_corrects_the_orbit_but_never_the_flights_plan(runs):
    planned, corrected = _flight(runs["last set"]), _flight(runs["set after launch"])
    after = runs["after"]
    assert LAUNCH.tt_s < after.epoch.tt_s < planned.dock_s
    assert corrected.dock_s == planned.dock_s
    assert corrected.rendezvous_dv_mps == planned.rendezvous_dv_mps
    # ...while the station's orbit from the set's epoch on is the tracked one
    drifts = runs["set after launch"].drifts["iss"]
    assert [d.t_s for d in drifts] == [runs["before"].epoch.tt_s, after.epoch.tt_s]
    t_s, states = runs["set after launch"].stations["iss"].orbit.samples()
    k = int(np.searchsorted(t_s, after.epoch.tt_s))
    r_tracked, _ = after.state_at(Epoch(t_s[k]))
    t_s0, states0 = runs["last set"].stations["iss"].orbit.samples()
    k0 = int(np.searchsorted(t_s0, t_s[k]))
    # a sample after the set: 8 minutes of numerical propagation from the tracked state are
    # within SGP4's own accuracy (about 1 km, Vallado et al. 2006) of SGP4 from the set
    assert np.linalg.norm(states[k, :3] - r_tracked) < 2e3
    assert np.linalg.norm(states0[k0, :3] - r_tracked) > np.linalg.norm(states[k, :3]
                                                                        - r_tracked)


def test_tracking_updates_are_adopted_in_time_order_and_logged():
    # the tracking files' sets are adopted at their epochs, one 'tracking' event each, in time
    # order
    from stationsim.program.tracking import station_updates
    from stationsim.scenario import load_program

    program = load_program("iss-assembly")
    start_s, end_s = program.span.start.tt_s, program.span.end.tt_s
    updates = station_updates(program, start_s, end_s)["iss"]
    assert np.all(np.diff(updates.t_s) > 0.0)
    filed = {tle.epoch.tt_s for _, sets in program.tracking_file_sets() for tle in sets}
    assert {tle.epoch.tt_s for tle in ARCHIVE} < filed
    epochs = filed | {entry.epoch.tt_s for entry in program.tracking}
    assert set(updates.t_s) == {t for t in epochs if start_s <= t <= end_s}
    assert updates.last_before(LAUNCH.tt_s) == max(t for t in epochs if t <= LAUNCH.tt_s)


def test_a_bad_tracking_file_is_a_located_error(tmp_path):
    good = _sets_between(LAUNCH.tt_s - DAY_S, LAUNCH.tt_s)
    program = _program(tmp_path, "bad", good)
    lines = (tmp_path / "bad.tle").read_text().splitlines()
    lines[3] = lines[3][:68] + str((int(lines[3][68]) + 1) % 10)  # second set's line 2
    (tmp_path / "bad.tle").write_text("\n".join(lines) + "\n")
    with pytest.raises(ProgramError) as caught:
        load_path(program)
    (message,) = caught.value.errors
    assert message.startswith(f"{program}:")
    assert ": tracking_files[0].file: not a readable tracking file (" in message
    assert f"{tmp_path / 'bad.tle'}:4:69: checksum is" in message


def test_a_missing_or_gzipped_tracking_file(tmp_path):
    program = _program(tmp_path, "gz", _sets_between(LAUNCH.tt_s - DAY_S, LAUNCH.tt_s))
    text = (tmp_path / "gz.tle").read_bytes()
    (tmp_path / "gz.tle.gz").write_bytes(gzip.compress(text))
    (tmp_path / "gz.tle").unlink()
    with pytest.raises(ProgramError, match="no tracking file 'gz.tle'"):
        load_path(program)
    program.write_text(program.read_text().replace("file: gz.tle", "file: gz.tle.gz"))
    loaded = load_path(program)
    assert len(loaded.tracking_file_sets()[0][1]) == len(text.splitlines()) // 2


def test_a_tracked_phase_out_of_reach_is_not_moved(tmp_path):
    # Progress M1-3's station tracked 0.2 h before the launch, but (made up here) at a phase
    # the two-day profile cannot reach: the tracked position is knowledge, so the engine moves
    # nothing; a warning names the phase and the reachable range, and the plan fails. The
    # tracked state is the real set's moved along its orbit into the middle of the widest gap
    # of the reach, found with the planner's own reachable_leads (74 deg wide when written).
    from stationsim.astro.propagate import J2Secular, OrbitState
    from stationsim.hardware.catalog import load_catalog
    from stationsim.ops.launch import find_site
    from stationsim.ops.rendezvous import reachable_leads
    from stationsim.program.phase import merged_intervals, shifted_along_track

    before = _sets_between(PROGRESS_LAUNCH.tt_s - DAY_S, PROGRESS_LAUNCH.tt_s)[-1]
    r_m, v_mps = before.state_at(before.epoch)
    lead_rad, intervals = reachable_leads(
        J2Secular(before.epoch, r_m, v_mps), load_catalog().vehicle("progress-m1"),
        find_site("baikonur-site-1"), PROGRESS_LAUNCH, "soyuz-two-day")
    merged = merged_intervals(intervals)
    starts = np.roll(merged[:, 0], -1) + 2 * np.pi * (np.arange(len(merged)) == len(merged) - 1)
    gaps = np.column_stack([merged[:, 1], starts])
    widest = gaps[np.argmax(gaps[:, 1] - gaps[:, 0])]
    assert widest[1] - widest[0] > np.radians(30.0)  # room to be well outside the reach
    shift_rad = 0.5 * (widest[0] + widest[1]) - lead_rad
    moved = shifted_along_track(OrbitState(before.epoch, r_m, v_mps), shift_rad)
    program = _program(tmp_path, "tracked-out-of-reach", [], PROGRESS, PROGRESS_LAUNCH)
    r_km, v_kmps = ([float(x) / 1e3 for x in vector] for vector in (moved.r_m, moved.v_mps))
    program.write_text(program.read_text() + (
        f"tracking:\n  - {{station: iss, epoch_utc: '{before.epoch.utc_iso(6)}', "
        f"r_km: {r_km}, v_kmps: {v_kmps}}}\n"))
    result = simulate(load_path(program))
    assert not [e for e in result.events if e.kind == "phase-assumed"]
    (warning,) = [w for w in result.warnings if "not moved" in w]
    assert warning.startswith("Progress M1-3: a phase angle of")
    assert "outside the soyuz-two-day profile's reach (" in warning
    assert _flight(result, "Progress M1-3").outcome == "no-rendezvous"
