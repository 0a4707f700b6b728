"""Where each kind of vehicle is put by its launcher: nominal insertion orbits and the insertion
state in the station's plane.

Altitudes are above the WGS-84 equatorial radius (a sphere, as TLE perigee/apogee heights are);
the insertion point lies ``arc_rad`` downrange of the launch site in the orbit plane, reached
``met_s`` after lift-off. Every figure names its source; ``estimate`` marks the ones derived
here from a published event rather than quoted.
"""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import DEG, KM, R_EARTH_M
from stationsim.astro.elements import Elements, elements_to_state, state_to_elements
from stationsim.astro.frames import cross3, geodetic_to_itrf, itrf_to_gcrf_fast
from stationsim.astro.maneuvers import vis_viva_speed_mps
from stationsim.astro.time import Epoch
from stationsim.hardware.sites import LaunchSite
from stationsim.hardware.vehicle import VehicleType
from stationsim.ops.kept import Kept

if TYPE_CHECKING:
    from stationsim.astro.propagate import Propagator

TWO_PI = 2.0 * math.pi


@dataclass(frozen=True)
class InsertionSpec:
    """A vehicle family's nominal insertion orbit and how accurately launchers reached it.

    ``at_apogee``: the insertion point is the orbit's apogee (Shuttle: OMS-2 burns there) or its
    perigee (Soyuz/Progress: third-stage cut-off). ``out_of_plane_capacity_rad``: the largest
    angle between the site and the target plane that ascent steering absorbs (sets the launch
    window's width). ``meco_perigee_alt_m``: for the Shuttle, the perigee before OMS-2.
    ``perigee_sigma_m``/``apogee_sigma_m``: insertion accuracy (1 sigma) for dispersions.
    ``quasi_coplanar``: launches are timed for the phase, minutes before the site passes
    through the target plane, and the plane offset left is removed by the first burns.
    """

    name: str
    perigee_alt_m: float
    apogee_alt_m: float
    at_apogee: bool
    met_s: float
    arc_rad: float
    out_of_plane_capacity_rad: float
    perigee_sigma_m: float
    apogee_sigma_m: float
    source: str
    meco_perigee_alt_m: float | None = None
    quasi_coplanar: bool = False

    @property
    def perigee_radius_m(self) -> float:
        return R_EARTH_M + self.perigee_alt_m

    @property
    def apogee_radius_m(self) -> float:
        return R_EARTH_M + self.apogee_alt_m

    @property
    def radius_m(self) -> float:
        """Radius of the insertion point, m."""
        return self.apogee_radius_m if self.at_apogee else self.perigee_radius_m

    def insertion_burn_dv_mps(self) -> float:
        """Delta-v of the burn that completes insertion (Shuttle OMS-2), 0 if none, m/s.

        OMS-2 is horizontal at apogee and raises perigee from the MECO orbit's to the insertion
        orbit's (vis-viva at the common apogee).
        """
        if self.meco_perigee_alt_m is None:
            return 0.0
        r_a = self.apogee_radius_m
        before = vis_viva_speed_mps(r_a, 0.5 * (r_a + R_EARTH_M + self.meco_perigee_alt_m))
        after = vis_viva_speed_mps(r_a, 0.5 * (r_a + self.perigee_radius_m))
        return float(after - before)


INSERTIONS: dict[str, InsertionSpec] = {
    "shuttle": InsertionSpec(
        name="shuttle",
        # STS-71 after OMS-2: 85 x 158 nmi = 157 x 293 km (rendezvous_profiles.csv, KSC STS-71
        # day 1 highlights); OMS-2 at about MET 0:40 (shuttlepresskit.com STS-96 REF64).
        perigee_alt_m=157.0 * KM,
        apogee_alt_m=293.0 * KM,
        at_apogee=True,
        met_s=40.0 * 60.0,
        # estimate: MECO ~1,400 km downrange at MET 8.5 min, then coasting to apogee at the
        # insertion orbit's mean motion until OMS-2.
        arc_rad=141.0 * DEG,
        # estimate: STS-74 lifted off 7.5 min before the in-plane instant computed from Mir's
        # November 1995 TLE, 1.17 deg from the plane (tle_historical.csv, shuttle_mir_flights.csv),
        # so ascent yaw steering absorbed at least that much; 1.2 deg taken. The published 5-10 min
        # Mir windows are narrower because the phase angle, not the plane, limited them.
        out_of_plane_capacity_rad=1.2 * DEG,
        # estimate: OMS-2 is targeted on board after MECO; 1 km assumed.
        perigee_sigma_m=1.0 * KM,
        apogee_sigma_m=1.0 * KM,
        meco_perigee_alt_m=74.0 * KM,  # STS-91 initial orbit 74 x 324 km (shuttle_mir_flights.csv)
        source="rendezvous_profiles.csv (STS-71 post-insertion orbit; OMS-2 definition); "
        "shuttle_mir_flights.csv (STS-91 initial orbit)",
    ),
    "soyuz": InsertionSpec(
        name="soyuz",
        # Soyuz TM-21 200 x 249.6 km and TM-26 193 x 249 km (rendezvous_profiles.csv): the mean,
        # and half the spread as 1 sigma.
        perigee_alt_m=196.5 * KM,
        apogee_alt_m=249.3 * KM,
        at_apogee=False,
        # Progress M-37 separation at MET 00:08:49.04; its published EFG vector (rendezvous_
        # profiles.csv) lies 16.7 deg downrange of Baikonur Site 1 in the orbit plane, at perigee.
        met_s=529.0,
        arc_rad=16.7 * DEG,
        # estimate: Soyuz launches are timed to the second; a 10 m/s plane allowance at
        # 7.8 km/s (0.0013 rad) gives a window of about +-20 s at Baikonur.
        out_of_plane_capacity_rad=0.0013,
        perigee_sigma_m=3.5 * KM,
        apogee_sigma_m=0.3 * KM,
        source="rendezvous_profiles.csv (Soyuz TM-21, TM-26 initial orbits; Progress M-37 "
        "separation vector)",
        # 'quasi-coplanar insertion: deliberate small plane offset', removed by the first-lap
        # combined burn (Murtazin, IAC 2016; rendezvous_rules.csv, 2-orbit fast)
        quasi_coplanar=True,
    ),
    "apollo": InsertionSpec(
        name="apollo",
        # ASTP insertion at GET 00:09:55 into 152 x 166 km (space_race_inputs.csv: SP-4012
        # vol. 3 table 2-54 for the time, the Apollo-Soyuz article for the orbit, medium)
        perigee_alt_m=152.0 * KM,
        apogee_alt_m=166.0 * KM,
        at_apogee=False,
        met_s=595.0,
        arc_rad=20.0 * DEG,  # estimate: ~2,000 km downrange at S-IVB cut-off
        out_of_plane_capacity_rad=0.3 * DEG,  # estimate (Saturn IB yaw steering, assumed)
        perigee_sigma_m=2.0 * KM,
        apogee_sigma_m=2.0 * KM,
        source="space_race_inputs.csv (ASTP insertion GET 00:09:55, 152 x 166 km)",
    ),
    "generic": InsertionSpec(
        name="generic",
        # estimate: a typical direct crew/cargo insertion, Soyuz-like.
        perigee_alt_m=200.0 * KM,
        apogee_alt_m=250.0 * KM,
        at_apogee=False,
        met_s=600.0,
        arc_rad=20.0 * DEG,
        out_of_plane_capacity_rad=0.0013,
        perigee_sigma_m=5.0 * KM,
        apogee_sigma_m=5.0 * KM,
        source="estimate (Soyuz-like insertion)",
    ),
    "proton-77k": InsertionSpec(
        name="proton-77k",
        # Kvant-2's Proton-K put it on a 221 x 339 km orbit at 51.6 deg (kosmonavtika.com,
        # lancements/1989/26111989); the same booster and module class flew Kristall, Spektr
        # and Priroda. Cut-off time and arc are estimates (Proton third-stage burn-out about
        # 9.7 min after lift-off, some 2,000 km downrange).
        perigee_alt_m=221.0 * KM,
        apogee_alt_m=339.0 * KM,
        at_apogee=False,
        met_s=585.0,
        arc_rad=20.0 * DEG,
        # estimate: a Proton launch is timed to the second, as Soyuz's (see above)
        out_of_plane_capacity_rad=0.0013,
        perigee_sigma_m=5.0 * KM,
        apogee_sigma_m=5.0 * KM,
        source="kosmonavtika.com (Kvant-2 Proton-K launch, 221 x 339 km x 51.6 deg)",
    ),
}

# The Shuttle to the ISS: the insertion apogee lower than for Mir. On STS-132's docking day
# Atlantis was still in the 127 x 145 statute mi (204 x 233 km) orbit its phasing burns had made
# before the height burn (flametrench.blogspot.com, 2010-05-16, "Docking day: Atlantis astronauts
# close in"); burns at apogee raise the perigee only, so its insertion apogee was 233 km.
INSERTIONS["shuttle-iss"] = replace(
    INSERTIONS["shuttle"], name="shuttle-iss", apogee_alt_m=233.0 * KM,
    source="flametrench.blogspot.com 2010-05 (STS-132's phasing orbit, 127 x 145 statute mi); "
    "the rest as the shuttle's")

# Rendezvous profile (VehicleType.default_profile) -> insertion family.
_FAMILY_OF_PROFILE = {
    "shuttle": "shuttle",
    "soyuz-two-day": "soyuz",
    "soyuz-four-orbit": "soyuz",
    "soyuz-two-orbit": "soyuz",
    "apollo": "apollo",
    "mir-77k": "proton-77k",
}


def insertion_spec(vehicle: VehicleType | str) -> InsertionSpec:
    """The insertion of a vehicle (by its ``default_profile``) or of a family/profile name."""
    key = vehicle.default_profile if isinstance(vehicle, VehicleType) else str(vehicle)
    if key in INSERTIONS:
        return INSERTIONS[key]
    return INSERTIONS[_FAMILY_OF_PROFILE.get(key, "generic")]


@dataclass(frozen=True)
class Insertion:
    """The vehicle's GCRF state at insertion and its geometry against the station.

    ``phase_angle_rad``: how far the station leads the vehicle along its orbit, [0, 2 pi).
    ``wedge_rad``: out-of-plane angle left after ascent steering (removed later by NPC).
    ``site_offset_rad``: the site's angular distance from the target plane at lift-off.
    """

    epoch: Epoch
    r_m: np.ndarray
    v_mps: np.ndarray
    phase_angle_rad: float
    wedge_rad: float
    site_offset_rad: float


def site_position_gcrf_m(site: LaunchSite, epochs: Epoch) -> np.ndarray:
    """GCRF position of a launch pad at ``epochs`` (scalar or array), shape (*epochs.shape, 3).

    By :func:`stationsim.astro.frames.itrf_to_gcrf_fast` (IAU 2000B, polar motion ignored):
    within 5 cm of the full IAU 2000A rotation, a millisecond of a window's in-plane instant.
    """
    return itrf_to_gcrf_fast(_pad_itrf_m(site.latitude_rad, site.longitude_rad, site.height_m),
                             epochs)


@functools.lru_cache(maxsize=64)
def _pad_itrf_m(latitude_rad: float, longitude_rad: float, height_m: float) -> np.ndarray:
    """A pad's ITRF position, read-only: a run places the same few pads hundreds of times."""
    r_itrf_m = geodetic_to_itrf(latitude_rad, longitude_rad, height_m)
    r_itrf_m.flags.writeable = False
    return r_itrf_m


def phase_angle_rad(
    r_chaser_m: ArrayLike,
    r_target_m: ArrayLike,
    h_target: ArrayLike,
) -> np.ndarray | np.float64:
    """Angle by which the target leads the chaser along the target's motion, [0, 2 pi) (a
    NumPy scalar for one pair).

    Both positions are projected on the target's orbit plane (unit normal ``h_target``).
    """
    r_c = np.asarray(r_chaser_m, dtype=float)
    r_t = np.asarray(r_target_m, dtype=float)
    h = np.asarray(h_target, dtype=float)
    if r_c.shape == r_t.shape == h.shape == (3,):  # one pair: the same sums in Python floats
        (cx, cy, cz), (tx, ty, tz), (hx, hy, hz) = r_c.tolist(), r_t.tolist(), h.tolist()
        sine = (cy * tz - cz * ty) * hx + (cz * tx - cx * tz) * hy + (cx * ty - cy * tx) * hz
        return np.float64(math.atan2(sine, cx * tx + cy * ty + cz * tz) % TWO_PI)
    sine = np.sum(cross3(r_c, r_t) * h, axis=-1)
    cosine = np.sum(r_c * r_t, axis=-1)
    return np.mod(np.arctan2(sine, cosine), TWO_PI)


def _unit(vector: np.ndarray) -> np.ndarray:
    return vector / np.linalg.norm(vector, axis=-1, keepdims=True)


_station_kept = Kept(4)  # a plan asks for one insertion epoch four or five times


def station_at_insertion(station: Propagator, insertion_epoch: Epoch
                         ) -> tuple[np.ndarray, np.ndarray, Elements]:
    """The station's GCRF state and elements at ``insertion_epoch`` (one instant), read-only,
    kept for the last few (:class:`~stationsim.ops.kept.Kept`): a plan's probe, its design and
    its biased insertions ask for the same ones. Only a propagator with a ``trajectory_key``
    (one whose trajectory its key determines) is kept."""
    trajectory_key = getattr(station, "trajectory_key", None)
    if trajectory_key is None or insertion_epoch.shape:
        r_s, v_s = station.states(insertion_epoch)
        return r_s, v_s, state_to_elements(r_s, v_s)
    key = (trajectory_key(), float(insertion_epoch.tt_s))
    kept = _station_kept.get(key)
    if kept is None:
        r_s, v_s = station.states(insertion_epoch)
        kept = (r_s, v_s, state_to_elements(r_s, v_s))
        _station_kept.put(key, station, kept, (r_s, v_s, *kept[2]))  # some elements are scalars
    return kept


def insert(
    station: Propagator, site: LaunchSite, launch_epoch: Epoch, spec: InsertionSpec,
    node_offset_rad: float = 0.0,
) -> Insertion:
    """The vehicle's state at insertion after a launch at ``launch_epoch`` toward the station.

    ``station``: a propagator (``states(Epoch)``). The vehicle is put into the station's plane
    at insertion with its node moved by ``node_offset_rad`` (to pre-compensate the differential
    J2 regression of a lower phasing orbit); if the site lay farther from that plane than the
    vehicle's steering capacity, the excess remains as an out-of-plane ``wedge_rad``.
    """
    if not math.isfinite(node_offset_rad):
        raise ValueError(f"node_offset_rad must be finite, got {node_offset_rad!r}")
    insertion_epoch = launch_epoch + spec.met_s
    r_s, v_s, elements = station_at_insertion(station, insertion_epoch)
    raan_rad = float(elements.raan_rad) + node_offset_rad
    inclination_rad = float(elements.i_rad)
    h = np.array([
        math.sin(raan_rad) * math.sin(inclination_rad),
        -math.cos(raan_rad) * math.sin(inclination_rad),
        math.cos(inclination_rad),
    ])
    node = np.array([math.cos(raan_rad), math.sin(raan_rad), 0.0])
    site_unit = _unit(site_position_gcrf_m(site, launch_epoch))
    site_offset_rad = math.asin(float(np.dot(site_unit, h)))
    u_site_rad = math.atan2(float(np.dot(site_unit, cross3(h, node))),
                            float(np.dot(site_unit, node)))
    u_rad = u_site_rad + spec.arc_rad
    nu_rad = math.pi if spec.at_apogee else 0.0
    a_m = 0.5 * (spec.perigee_radius_m + spec.apogee_radius_m)
    e = (spec.apogee_radius_m - spec.perigee_radius_m) / (2.0 * a_m)
    r_m, v_mps = elements_to_state(a_m, e, inclination_rad, raan_rad, u_rad - nu_rad, nu_rad)
    excess_rad = abs(site_offset_rad) - spec.out_of_plane_capacity_rad
    wedge_rad = math.copysign(max(excess_rad, 0.0), site_offset_rad)
    if wedge_rad:
        axis = _unit(r_m)  # tilt the velocity about the radius: the plane turns by wedge_rad
        v_mps = (v_mps * math.cos(wedge_rad) + cross3(axis, v_mps) * math.sin(wedge_rad)
                 + axis * np.dot(axis, v_mps) * (1.0 - math.cos(wedge_rad)))
    phase = float(phase_angle_rad(r_m, r_s, _unit(cross3(r_s, v_s))))
    return Insertion(insertion_epoch, r_m, v_mps, phase, wedge_rad, site_offset_rad)
