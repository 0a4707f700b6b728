"""Station assembly: attach/detach/relocate, DockingError messages, mass, volume, geometry."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stationsim.astro.time import Epoch
from stationsim.errors import DockingError
from stationsim.hardware import ModuleType, PortSpec, Station, load_catalog
from stationsim.hardware.station import cylinder_inertia_kgm2, projected_area_m2

CATALOG = load_catalog()
MIR_FINAL_PORTS = {  # mir_modules.csv final_port
    "kvant-1": "mir-core.aft",
    "kvant-2": "mir-core.plus-y",
    "kristall": "mir-core.minus-z",
    "spektr": "mir-core.minus-y",
    "priroda": "mir-core.plus-z",
}


def mir_1996() -> Station:
    """Mir's final configuration: core, five modules, the Docking Module on Kristall."""
    mir = Station(CATALOG.module("mir-core"))
    for name, at in MIR_FINAL_PORTS.items():
        mir.attach(name, CATALOG.module(name), at=at)
    mir.attach("mir-docking-module", CATALOG.module("mir-docking-module"), at="kristall.axial")
    return mir


def cylinder_module(name="drum", mass_kg=1000.0, length_m=10.0, diameter_m=2.0) -> ModuleType:
    half_m = length_m / 2
    return ModuleType(
        name, name, mass_kg, 10.0, 10.0, length_m, diameter_m,
        ports={
            "forward": PortSpec("forward", (half_m, 0, 0), (1, 0, 0), "APAS-89", "androgynous"),
            "aft": PortSpec("aft", (-half_m, 0, 0), (-1, 0, 0), "APAS-89", "androgynous"),
            "side": PortSpec("side", (0, diameter_m / 2, 0), (0, 1, 0), "APAS-89", "androgynous"),
        },
        source="test geometry",
    )


# --- Mir's mass and volume against the reference data -----------------------------------------
def test_mir_final_modules_mass_within_the_spread_of_the_module_sources():
    # mir_modules.csv, lowest and highest module masses quoted by the sources (FSM tug and
    # Spektr's 23.5 t launch figure included at the top): core 20100-20400, Kvant-1 11000-11050,
    # Kvant-2 18500-19640, Kristall 19500-19640, Spektr 19640-23500, DM 4090-4134,
    # Priroda 19000-20000 kg.
    low_kg = 20100 + 11000 + 18500 + 19500 + 19640 + 4090 + 19000
    high_kg = 20400 + 11050 + 19640 + 19640 + 23500 + 4134 + 20000
    mass_kg = mir_1996().mass_kg()
    assert low_kg <= mass_kg <= high_kg
    # mir_station_summary.csv quotes 124,340 kg and 129,700 kg for the complete station: the
    # modules' launch masses alone must stay below (equipment was added over the years).
    assert mass_kg < 124_340


def test_mir_with_soyuz_and_progress_between_the_quoted_station_masses():
    # mir_station_summary.csv: 124,340 kg (older infobox) and 129,700 kg (current infobox); the
    # sources do not say what was docked. With the usual Soyuz-TM + Progress-M the model must
    # fall between them.
    mir = mir_1996()
    mir.attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="mir-core.forward")
    mir.attach("progress", CATALOG.vehicle("progress-m"), at="kvant-1.aft")
    assert 124_340 <= mir.mass_kg() <= 129_700


def test_mir_final_pressurized_volume():
    # Lower bound: mir_station_summary.csv habitable volume 350 m3 (habitable <= pressurised).
    # Upper bound: the largest module volumes in mir_modules.csv (90 + 40 + 61.9 + 60.8 + 62 + 66)
    # plus the Docking Module's 13 m3 estimate.
    volume_m3 = mir_1996().pressurized_volume_m3()
    assert 350.0 <= volume_m3 <= 90 + 40 + 61.9 + 60.8 + 62 + 66 + 13


def test_mir_1990_volume_with_visiting_ships():
    # globalsecurity.org (mir_station_summary.csv, end of 1990): Mir + Kvant + Kvant-2 + Kristall
    # + Soyuz TM + Progress M, 270 m3. Tolerance 5 m3: the vehicle volumes are rounded.
    mir = Station(CATALOG.module("mir-core"))
    mir.attach("kvant-1", CATALOG.module("kvant-1"), at="mir-core.aft")
    mir.attach("kvant-2", CATALOG.module("kvant-2"), at="mir-core.plus-y")
    mir.attach("kristall", CATALOG.module("kristall"), at="mir-core.minus-y")
    mir.attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="mir-core.forward")
    mir.attach("progress", CATALOG.vehicle("progress-m"), at="kvant-1.aft")
    assert mir.pressurized_volume_m3(include_vehicles=True) == pytest.approx(270.0, abs=5.0)
    assert mir.pressurized_volume_m3() == pytest.approx(90 + 40 + 61.3 + 60.8)


# --- attach, detach, relocate and their errors ------------------------------------------------
def test_busy_port_names_occupant_until_and_what_fits():
    mir = mir_1996()
    docked = Epoch.from_utc(1995, 3, 16, 7, 45, 26)  # Soyuz TM-21 (rendezvous_profiles.csv)
    undock = Epoch.from_utc(1995, 9, 11, 3, 30, 44)  # soyuz_tm_1995_1998.csv
    mir.attach("soyuz-tm-21", CATALOG.vehicle("soyuz-tm"), at="kvant-1.aft",
               t_s=docked.tt_s, until_s=undock.tt_s)
    with pytest.raises(DockingError) as error:
        mir.attach("progress-m-27", CATALOG.vehicle("progress-m"), at="kvant-1.aft")
    assert str(error.value) == (
        "port 'kvant-1.aft' is occupied by 'soyuz-tm-21' until 1995-09-11T03:30:44Z; "
        "free ports that fit 'progress-m-27': mir-core.forward"
    )
    arrival = Epoch.from_utc(1995, 4, 11, 23, 0, 0)
    with pytest.raises(DockingError, match=(
        "occupied by 'soyuz-tm-21' until 1995-09-11T03:30:44Z at 1995-04-11T23:00:00Z;"
    )):
        mir.attach("progress-m-27", CATALOG.vehicle("progress-m"), at="kvant-1.aft",
                   t_s=arrival.tt_s)
    assert mir.occupant("kvant-1.aft") == "soyuz-tm-21"
    mir.attach("progress-m-27", CATALOG.vehicle("progress-m"), at="mir-core.forward")
    with pytest.raises(DockingError, match=(
        "'mir-core.forward' is occupied by 'progress-m-27' with no departure planned; "
        "free ports that fit 'progress-m-28': none"
    )):
        mir.attach("progress-m-28", CATALOG.vehicle("progress-m"), at="mir-core.forward")


def test_incompatible_port_says_why_and_what_would_fit():
    mir = mir_1996()
    with pytest.raises(DockingError) as error:
        mir.attach("atlantis", CATALOG.vehicle("atlantis"), at="mir-core.forward")
    assert str(error.value) == (
        "'atlantis' (atlantis) cannot attach at 'mir-core.forward' (SSVP-drogue, passive): "
        "SSVP-drogue mates only with SSVP-probe, and 'atlantis' has APAS-89, APAS-95; "
        "free ports that fit: kristall.lateral, mir-docking-module.forward"
    )
    placed = mir.attach("atlantis", CATALOG.vehicle("atlantis"), at="mir-docking-module.forward")
    assert placed.via_port == "APAS-89" and placed.at == "mir-docking-module.forward"


def test_unknown_ports_and_names():
    mir = mir_1996()
    with pytest.raises(DockingError, match="has no port 'zenith'; its ports: forward, axial"):
        mir.attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="kristall.zenith")
    with pytest.raises(DockingError, match="no module 'skylab'"):
        mir.attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="skylab.forward")
    with pytest.raises(DockingError, match="must be written 'module.port'"):
        mir.attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="forward")
    with pytest.raises(DockingError, match="'kvant-2' is already on the station at mir-core"):
        mir.attach("kvant-2", CATALOG.module("kvant-2"), at="mir-core.forward")


def test_detach_frees_the_port_and_refuses_a_module_carrying_others():
    mir = mir_1996()
    mir.attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="mir-core.forward")
    mass_kg = mir.mass_kg()
    removed = mir.detach("soyuz")
    assert removed.name == "soyuz"
    assert mir.mass_kg() == pytest.approx(mass_kg - CATALOG.vehicle("soyuz-tm").wet_mass_kg)
    assert "mir-core.forward" in mir.free_ports("SSVP-drogue")
    with pytest.raises(DockingError, match="mir-docking-module attached to it"):
        mir.detach("kristall")
    with pytest.raises(DockingError, match="root"):
        mir.detach("mir-core")


def test_kristall_relocated_for_sts71_and_back():
    # mir_modules.csv: Kristall moved from -Z to the forward axial port for STS-71 (June 1995)
    # and back to -Z in July 1995; Atlantis docked to its axial APAS-89.
    mir = Station(CATALOG.module("mir-core"))
    for name in ("kvant-1", "kvant-2", "kristall", "spektr"):
        mir.attach(name, CATALOG.module(name), at=MIR_FINAL_PORTS[name])
    mir.relocate("kristall", "mir-core.forward")
    assert mir.item("kristall").at == "mir-core.forward"
    assert "mir-core.minus-z" in mir.free_ports()
    mir.attach("atlantis", CATALOG.vehicle("atlantis"), at="kristall.axial")
    rotation, origin_m = mir.poses()["kristall"]
    np.testing.assert_allclose(rotation[:, 0], [-1, 0, 0], atol=1e-12)  # points forward of core
    np.testing.assert_allclose(origin_m, [6.565 + 5.95, 0, 0], atol=1e-12)
    mir.detach("atlantis")
    mir.relocate("kristall", "mir-core.minus-z")
    assert mir.occupant("mir-core.minus-z") == "kristall"
    assert mir.occupant("mir-core.forward") is None


def test_failed_relocation_leaves_the_station_unchanged():
    mir = mir_1996()
    mir.attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="mir-core.forward")
    mir.attach("progress", CATALOG.vehicle("progress-m"), at="kvant-1.aft")
    with pytest.raises(DockingError, match="occupied by 'progress'"):
        mir.relocate("soyuz", "kvant-1.aft")
    assert mir.item("soyuz").at == "mir-core.forward"
    assert mir.occupant("mir-core.forward") == "soyuz"
    with pytest.raises(DockingError, match="which it carries itself"):
        mir.relocate("kristall", "mir-docking-module.forward")


def test_departure_before_arrival_is_rejected():
    with pytest.raises(ValueError, match="until_s=1.0 is before t_s=2.0"):
        mir_1996().attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="mir-core.forward",
                          t_s=2.0, until_s=1.0)


def test_soyuz_relocation_keeps_mass_and_times():
    mir = mir_1996()
    mir.attach("soyuz", CATALOG.vehicle("soyuz-tm"), at="kvant-1.aft", t_s=1.0, until_s=2.0,
               mass_kg=7000.0)
    moved = mir.relocate("soyuz", "mir-core.forward")
    assert (moved.mass_kg, moved.t_s, moved.until_s) == (7000.0, 1.0, 2.0)


def test_berthing_needs_an_arm_and_hybrid_halves_must_differ():
    iss = Station(CATALOG.module("zarya"))
    iss.attach("pma-1", CATALOG.module("pma-1"), at="zarya.forward", via_port="apas")
    with pytest.raises(DockingError, match="robotic arm, and the station has none"):
        iss.attach("unity", CATALOG.module("unity"), at="pma-1.cbm")
    armed = iss.copy()
    armed.has_arm = True
    armed.attach("unity", CATALOG.module("unity"), at="pma-1.cbm", via_port="aft")
    armed.attach("cygnus", CATALOG.vehicle("cygnus"), at="unity.nadir")
    assert "unity" not in iss  # the copy is independent
    assert armed.docked_vehicles() == ["cygnus"]
    with pytest.raises(DockingError, match="both SSVP-hybrid halves are active"):
        iss.attach("pirs", CATALOG.module("pirs"), at="zarya.aft", via_port="aft")
    iss.attach("zvezda", CATALOG.module("zvezda"), at="zarya.aft", via_port="forward")
    iss.attach("pirs", CATALOG.module("pirs"), at="zvezda.nadir")
    assert iss.item("pirs").via_port == "aft"


def test_free_ports_by_mechanism():
    grouped = mir_1996().free_ports_by_mechanism()
    assert grouped == {
        "SSVP-drogue": ["mir-core.forward", "kvant-1.aft"],
        "APAS-89": ["kristall.lateral", "mir-docking-module.forward"],
    }


# --- mass properties and frontal area ---------------------------------------------------------
def test_single_cylinder_inertia_is_the_textbook_one():
    # Solid cylinder, m = 1000 kg, L = 10 m, r = 1 m: I_axis = m r^2 / 2 = 500 kg m^2,
    # I_transverse = m (3 r^2 + L^2) / 12 = 8583.33 kg m^2 (Meriam & Kraige, Table D/4).
    station = Station(cylinder_module())
    expected_kgm2 = np.diag([500.0, 8583.333333, 8583.333333])
    np.testing.assert_allclose(station.inertia_tensor_kgm2(), expected_kgm2, rtol=1e-9)
    np.testing.assert_allclose(station.center_of_mass_m(), 0.0, atol=1e-12)


def test_two_cylinders_end_to_end_are_one_cylinder_of_double_length():
    # Independent identity: the stack equals one 2000 kg, 20 m cylinder about its centre.
    station = Station(cylinder_module("a"))
    station.attach("b", cylinder_module("b"), at="a.forward", via_port="aft")
    np.testing.assert_allclose(station.center_of_mass_m(), [5.0, 0, 0], atol=1e-12)
    np.testing.assert_allclose(station.inertia_tensor_kgm2(),
                               cylinder_inertia_kgm2(2000.0, 20.0, 1.0), rtol=1e-12)


def test_crossed_cylinders_inertia_by_parallel_axes():
    # A second drum on the first one's side port stands along +y, its centre 1 + 5 m from the
    # axis; each centre is 3 m from the common centre of mass (0, 3, 0). By the parallel-axis
    # theorem: about x, a contributes its axial and b its transverse moment, both + m 3^2; about
    # y (along b), a transverse + b axial, no shift; about z, both transverse + m 3^2.
    station = Station(cylinder_module("a"))
    station.attach("b", cylinder_module("b"), at="a.side", via_port="aft")
    axial_kgm2, transverse_kgm2 = 500.0, 1000.0 * (3 + 100) / 12
    expected = np.diag([
        axial_kgm2 + transverse_kgm2 + 2 * 1000 * 3**2,
        transverse_kgm2 + axial_kgm2,
        2 * transverse_kgm2 + 2 * 1000 * 3**2,
    ])
    np.testing.assert_allclose(station.center_of_mass_m(), [0, 3.0, 0], atol=1e-12)
    np.testing.assert_allclose(station.inertia_tensor_kgm2(), expected, rtol=1e-12)


@pytest.mark.parametrize(
    "direction,expected_m2",
    [
        ((1, 0, 0), math.pi * 1.0**2),  # end-on: a disc, pi r^2
        ((0, 1, 0), 10.0 * 2.0),  # side-on: a rectangle, L x D
        ((0, 0, -1), 10.0 * 2.0),
        # 30 deg off the axis: end ellipse pi r^2 cos + body band 2 r L sin (Minkowski sum)
        ((math.cos(math.pi / 6), math.sin(math.pi / 6), 0),
         math.pi * math.cos(math.pi / 6) + 2 * 10 * math.sin(math.pi / 6)),
    ],
)
def test_single_cylinder_frontal_area(direction, expected_m2):
    # Rasterised at 1 cm: the pixel error on a ~20 m outline is well under 0.5 %.
    area_m2 = Station(cylinder_module()).frontal_area_m2(direction, resolution_m=0.01)
    assert area_m2 == pytest.approx(expected_m2, rel=5e-3)


def test_frontal_area_counts_overlaps_once():
    # Two drums end to end: end-on they hide each other, side-on they are one 20 m x 2 m band.
    station = Station(cylinder_module("a"))
    station.attach("b", cylinder_module("b"), at="a.forward", via_port="aft")
    assert station.frontal_area_m2((1, 0, 0), 0.01) == pytest.approx(math.pi, rel=5e-3)
    assert station.frontal_area_m2((0, 1, 0), 0.01) == pytest.approx(40.0, rel=5e-3)


def test_shadows_turned_across_the_grid_are_counted_whole():
    # Short, wide drums whose shadows lie diagonally on the pixel grid (viewed along z the grid
    # runs along y and x), apart so that none hides another: the area is the sum of the
    # analytic shadows, pi r^2 cos(theta) + 2 r L sin(theta) with theta from the view line.
    length_m, radius_m = 1.0, 3.0
    tilted = np.array([1.0, 1.0, 1.0]) / math.sqrt(3.0)
    axes = [[math.sqrt(0.5), math.sqrt(0.5), 0.0], [math.sqrt(0.5), -math.sqrt(0.5), 0.0], tilted]
    centres_m = [[0.0, 0.0, 0.0], [20.0, 5.0, 0.0], [-15.0, 12.0, 3.0]]
    cos_theta, sin_theta = 1.0 / math.sqrt(3.0), math.sqrt(2.0 / 3.0)
    expected_m2 = (2 * (2 * radius_m * length_m)
                   + math.pi * radius_m**2 * cos_theta + 2 * radius_m * length_m * sin_theta)
    area_m2 = projected_area_m2(centres_m, axes, [length_m] * 3, [radius_m] * 3, (0, 0, 1), 0.01)
    assert area_m2 == pytest.approx(expected_m2, rel=5e-3)


def test_projected_area_rejects_bad_inputs():
    with pytest.raises(ValueError, match="direction"):
        projected_area_m2([[0, 0, 0]], [[1, 0, 0]], [1.0], [1.0], (0, 0, 0), 0.1)
    with pytest.raises(ValueError, match="resolution_m"):
        projected_area_m2([[0, 0, 0]], [[1, 0, 0]], [1.0], [1.0], (1, 0, 0), 0.0)


def test_mir_frontal_area_is_between_its_parts_and_their_sum():
    # Flying along the core axis, the union cannot be smaller than the largest single shadow
    # (Spektr side-on, 14.4 x 4.35 m) nor larger than the sum of all shadows.
    mir = mir_1996()
    area_m2 = mir.frontal_area_m2()
    centres_m, axes, _, lengths_m, radii_m = mir._cylinders()
    shadows_m2 = [
        projected_area_m2(c, a, length, r, (1, 0, 0), 0.05)
        for c, a, length, r in zip(centres_m, axes, lengths_m, radii_m, strict=True)
    ]
    assert max(shadows_m2) <= area_m2 <= sum(shadows_m2)
    assert max(shadows_m2) == pytest.approx(14.4 * 4.35, rel=1e-2)


def test_iss_2011_assembles_at_the_recorded_locations():
    # iss_modules.csv "location" column (Leonardo at Unity nadir, its 2011 place), PMA-2/IDA-2 at
    # Harmony forward (later_stations_and_docking.csv); directions in the ISS analysis frame
    # (+x forward, +y starboard, +z nadir) taken from Zarya as root.
    iss = Station(CATALOG.module("zarya"), has_arm=True)
    steps = [
        ("pma-1", "zarya.forward", "apas"), ("unity", "pma-1.cbm", "aft"),
        ("zvezda", "zarya.aft", "forward"), ("destiny", "unity.forward", "aft"),
        ("harmony", "destiny.forward", "aft"), ("pma-2", "harmony.forward", "cbm"),
        ("ida-2", "pma-2.apas", "apas"), ("quest", "unity.starboard", None),
        ("tranquility", "unity.port", "starboard"), ("cupola", "tranquility.nadir", None),
        ("leonardo-pmm", "unity.nadir", None), ("columbus", "harmony.starboard", None),
        ("kibo-jem-pm", "harmony.port", "aft"), ("kibo-jem-elm-ps", "kibo-jem-pm.zenith", None),
        ("pirs", "zvezda.nadir", None), ("poisk", "zvezda.zenith", None),
        ("rassvet", "zarya.nadir", "aft"),
    ]
    for name, at, via_port in steps:
        iss.attach(name, CATALOG.module(name), at=at, via_port=via_port)
    iss.attach("crew-dragon", CATALOG.vehicle("crew-dragon"), at="ida-2.idss")
    iss.attach("soyuz", CATALOG.vehicle("soyuz-tma"), at="rassvet.forward")
    iss.attach("atv", CATALOG.vehicle("atv"), at="zvezda.aft")
    centres_m = {name: origin_m for name, (_, origin_m) in iss.poses().items()}
    assert centres_m["destiny"][0] > centres_m["unity"][0] > 0 > centres_m["zvezda"][0]
    assert centres_m["columbus"][1] > 0 > centres_m["kibo-jem-pm"][1]  # starboard / port
    assert centres_m["rassvet"][2] > 0 > centres_m["poisk"][2]  # nadir / zenith
    assert centres_m["cupola"][2] > centres_m["tranquility"][2]  # Cupola looks down


def _iss_truss() -> Station:
    """Zarya to Destiny, then the eleven truss segments as completed in 2009 (iss_structure.csv)."""
    iss = Station(CATALOG.module("zarya"), has_arm=True)
    steps = [
        ("pma-1", "zarya.forward", "apas"), ("unity", "pma-1.cbm", "aft"),
        ("destiny", "unity.forward", "aft"), ("z1-truss", "unity.zenith", "cbm"),
        ("s0-truss", "destiny.zenith", "nadir"), ("s1-truss", "s0-truss.starboard", "port"),
        ("s3-s4-truss", "s1-truss.starboard", "port"),
        ("s5-truss", "s3-s4-truss.starboard", "port"), ("s6-truss", "s5-truss.starboard", "port"),
        ("p1-truss", "s0-truss.port", "starboard"), ("p3-p4-truss", "p1-truss.port", "starboard"),
        ("p5-truss", "p3-p4-truss.port", "starboard"), ("p6-truss", "p5-truss.port", "starboard"),
    ]
    for name, at, via_port in steps:
        iss.attach(name, CATALOG.module(name), at=at, via_port=via_port)
    return iss


def test_the_truss_runs_port_to_starboard_across_destiny():
    # S0's clock turns it across Destiny's zenith: every segment's axis along +-y, end to end.
    iss = _iss_truss()
    poses = iss.poses()
    names = ["p6-truss", "p5-truss", "p3-p4-truss", "p1-truss", "s0-truss", "s1-truss",
             "s3-s4-truss", "s5-truss", "s6-truss"]
    for name in names:
        assert abs(poses[name][0][:, 0] @ [0.0, 1.0, 0.0]) == pytest.approx(1.0, abs=1e-12)
    y_m = [poses[name][1][1] for name in names]
    assert y_m == sorted(y_m)  # port (-y) to starboard (+y)
    # end to end, the segments span the sum of their lengths: 13.7 + 3.37 + 13.8 + 13.7 + 13.4
    # + 13.7 + 13.8 + 3.37 + 13.7 = 102.5 m (the whole ITS, with the wings' booms, 108.5 m)
    lengths_m = sum(CATALOG.module(name).length_m for name in names)
    span_m = (y_m[-1] + CATALOG.module(names[-1]).length_m / 2) - (
        y_m[0] - CATALOG.module(names[0]).length_m / 2)
    assert span_m == pytest.approx(lengths_m, abs=1e-9)
    assert poses["s0-truss"][1][2] < poses["destiny"][1][2]  # above Destiny (-z is zenith)


def test_a_clock_rolls_the_joined_module_and_none_keeps_the_smallest_turn():
    plain = cylinder_module("hub")
    clocked = dataclass_replace_port(plain, "side", clock=(1.0, 0.0, 0.0))
    arm = dataclass_replace_port(cylinder_module("arm"), "aft", clock=(0.0, 0.0, 1.0))
    station = Station(clocked)
    station.attach("arm", arm, at="hub.side", via_port="aft")
    # the arm's clock (+z) is turned onto the hub's (+x): the arm's own z axis ends along x
    rotation, _ = station.poses()["arm"]
    assert rotation @ np.array([0.0, 0.0, 1.0]) == pytest.approx([1.0, 0.0, 0.0], abs=1e-12)
    assert rotation[:, 0] == pytest.approx([0.0, 1.0, 0.0], abs=1e-12)  # out of the side port
    unclocked = Station(plain)
    unclocked.attach("arm", cylinder_module("arm"), at="hub.side", via_port="aft")
    assert unclocked.poses()["arm"][0] @ np.array([0.0, 0.0, 1.0]) == pytest.approx(
        [0.0, 0.0, 1.0], abs=1e-12)


def dataclass_replace_port(module: ModuleType, port: str, **changes) -> ModuleType:
    from dataclasses import replace

    ports = dict(module.ports)
    ports[port] = replace(ports[port], **changes)
    return replace(module, ports=ports)


def test_panels_add_their_area_by_attitude():
    # Eight wings of 313.5 m^2 (Boeing: 27,000 sq ft for eight), four PV radiators of 42 m^2 and
    # two sets of three HRS radiators of 238 m^2 (catalog): 3,152 m^2 of panels in all.
    iss = _iss_truss()
    assert iss.panel_area_m2() == pytest.approx(8 * 313.5 + 4 * 42 + 2 * 238, abs=1.0)
    edge_on = iss.frontal_area_m2(resolution_m=0.1, panels="edge-on")
    assert iss.frontal_area_m2(resolution_m=0.1, panels="face-on") - edge_on == pytest.approx(
        iss.panel_area_m2())
    # the default: normal on the Sun, the velocity turning in the orbit plane: mean |cos| 2/pi
    assert iss.frontal_area_m2(resolution_m=0.1) - edge_on == pytest.approx(
        2.0 / math.pi * iss.panel_area_m2())
    with pytest.raises(ValueError, match="panels"):
        iss.frontal_area_m2(panels="feathered")


def test_a_clock_must_lie_in_the_port_plane():
    with pytest.raises(ValueError, match="perpendicular"):
        PortSpec("p", (0, 0, 0), (1, 0, 0), "IDSS", "androgynous", clock=(1.0, 0.0, 0.0))
