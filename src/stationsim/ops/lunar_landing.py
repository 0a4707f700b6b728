"""Powered descent of the Apollo lunar module from powered-descent initiation to touchdown.

Guidance is the Apollo lunar-descent guidance as flown on Apollo 11 (Klumpp, "Apollo lunar
descent guidance", Automatica 10, 133-146, 1974; its code in Luminary 1A, the LM computer's
program for Apollo 11, LUNAR_LANDING_GUIDANCE_EQUATIONS.agc): every 2 s the commanded
acceleration, in a guidance frame at the landing site (x up, z toward the site along the
ground, y across), is

    ACG = ADG - 6 (VDG + VG) / tgo + 12 (RDG - RG) / tgo^2,

the quartic reference trajectory through the target position, velocity and acceleration, with
the time to go ``tgo`` the root of Klumpp's cubic that also matches the target's downrange jerk,

    -JDGz tgo^3 + 6 ADGz tgo^2 - (18 VDGz + 6 VGz) tgo + 24 (RDGz - RGz) = 0.

Three phases follow each other (Luminary 1A): P63 braking to targets beyond high gate, left
when tgo falls below 60 s; P64 approach to targets just above the site, left when tgo falls
below 10 s; P65 vertical descent at 3 ft/s, ACG = (VDG - VG) / 1.5 s. The site turns with the
Moon; VG is the velocity relative to the ground. The throttle runs at the descent engine's fixed
position when the guidance asks for more than its throttleable top and between its limits
otherwise (Klumpp 1974 sec. 6). The 26 s of trim at minimum throttle after ignition are flown;
the RCS ullage before ignition is not (< 0.5 m/s). Gravity: lunar point mass and J2; the mascons
that moved Apollo 11's navigation are not modelled (no navigation error either: the guidance
sees the true state).

Sources of the numbers: the braking and approach targets (RBRFG, VBRFG, ABRFG, JBRFGZ and the
approach set) are the LGC erasable load as used by Project Apollo - NASSP (GitHub
orbiternassp/NASSP, src_rtccmfd/LMGuidanceSim.cpp, DescentGuidance); its 26 s trim at 1,050 lbf,
the 60 s and 10 s phase switches and the P65 time constant are the same source's; the first
guess of tgo is Luminary 1A's GUIDDURN; the engine (below) as cited there.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike

from stationsim.astro.constants import G0_MPS2, MU_MOON_M3PS2
from stationsim.astro.moon_local import MOON, FrozenMoonFrame
from stationsim.astro.powered_flight import FlightState, fly_until
from stationsim.astro.time import Epoch

FT = 0.3048
LBF_N = 4.4482216152605

GUIDANCE_CYCLE_S = 2.0  # the LGC's servicer cycle (Klumpp 1974)
TRIM_S = 26.0  # ignition at minimum throttle before the fixed throttle position
END_BRAKING_TGO_S = 60.0  # P63 -> P64 (TENDBRAK)
END_APPROACH_TGO_S = 10.0  # P64 -> P65 (TENDAPPR)
VERTICAL_RATE_MPS = -3.0 * FT  # P65 descent rate (press kit: "vertical descent rate ... 3 fps")
VERTICAL_TAU_S = 1.5  # P65 velocity-nulling time constant (TAUVERT)
TGO_START_S = 664.4  # first guess of tgo at ignition (Luminary 1A GUIDDURN, 664.400314 s)


@dataclass(frozen=True)
class DescentEngine:
    """A throttleable engine: fixed throttle position, the throttleable band, and Isp at full
    and minimum thrust (linear between)."""

    fixed_thrust_n: float
    max_throttle_n: float
    min_throttle_n: float
    isp_full_s: float
    isp_min_s: float
    source: str

    def isp_s(self, thrust_n: float) -> float:
        span = self.fixed_thrust_n - self.min_throttle_n
        fraction = (thrust_n - self.min_throttle_n) / span
        return self.isp_min_s + (self.isp_full_s - self.isp_min_s) * min(max(fraction, 0.0), 1.0)

    def thrust_for(self, force_n: float) -> float:
        """The throttle's answer to a commanded force: the fixed position above the band."""
        if force_n > self.max_throttle_n:
            return self.fixed_thrust_n
        return min(max(force_n, self.min_throttle_n), self.max_throttle_n)


DPS = DescentEngine(
    fixed_thrust_n=9870.0 * LBF_N,
    max_throttle_n=6300.0 * LBF_N,
    min_throttle_n=1050.0 * LBF_N,
    isp_full_s=311.0,
    isp_min_s=285.0,
    source="9,870 lbf at the fixed throttle position (Smithsonian/USSRC engine placard, "
    "heroicrelics.org); throttleable 1,050-6,300 lbf, 10-60 % of the 10,500 lbf rating; Isp "
    "311 s at full thrust, 285 s at 10 % (Wikipedia, Descent propulsion system)",
)


@dataclass(frozen=True)
class Targets:
    """One phase's targets in the guidance frame (x up, y across, z downrange), SI."""

    r_m: np.ndarray
    v_mps: np.ndarray
    a_mps2: np.ndarray
    jerk_z_mps3: float


def _targets(r_ft, v_fps, a_fps2, jerk_z_fps3) -> Targets:
    return Targets(np.array(r_ft) * FT, np.array(v_fps) * FT, np.array(a_fps2) * FT,
                   jerk_z_fps3 * FT)


BRAKING = _targets((171.835, 0.0, -10678.596), (-105.876, 0.0, -1.04),
                   (0.6241, 0.0, -9.1044), -0.011885)
APPROACH = _targets((111.085, 0.0, -26.794), (-4.993, 0.0, 0.248), (0.05, 0.0, -0.65),
                    0.034336)


@dataclass(frozen=True)
class LandingSite:
    """Where the guidance aims: selenographic latitude, east longitude (deg) and radius (m)."""

    lat_deg: float
    lon_deg: float
    radius_m: float


@dataclass(frozen=True)
class Touchdown:
    """The result of a powered descent.

    ``lat_deg``/``lon_deg`` are selenographic (astro.moon_frame) at touchdown; ``miss_m`` is the
    distance along the surface from the aim point; ``phase_epochs`` holds the starts of P64
    (high gate) and P65 (vertical descent); ``track`` the state at every guidance cycle
    (epoch TT s, r_m (3), v_mps (3), mass_kg) in the frame the descent was flown in.
    """

    epoch: Epoch
    lat_deg: float
    lon_deg: float
    mass_kg: float
    miss_m: float
    phase_epochs: dict[str, Epoch]
    track: np.ndarray


def _frame_rows(r_m, v_ground_mps, land_m, tgo_s) -> np.ndarray:
    """The guidance frame (rows x, y, z): x up at the site; z toward the site from a quarter of
    tgo ahead along the ground track (Luminary CGCALC, GAINBRAK = 1/4)."""
    x = land_m / np.linalg.norm(land_m)
    lead = land_m - r_m - 0.25 * tgo_s * v_ground_mps
    y = np.cross(lead, land_m)
    y /= np.linalg.norm(y)
    return np.stack([x, y, np.cross(x, y)])


def _tgo_s(targets: Targets, rg_m, vg_mps, guess_s: float) -> float:
    """Klumpp's cubic for the time to go, the positive root nearest ``guess_s``."""
    coefficients = [-targets.jerk_z_mps3, 6.0 * targets.a_mps2[2],
                    -(18.0 * targets.v_mps[2] + 6.0 * vg_mps[2]),
                    24.0 * (targets.r_m[2] - rg_m[2])]
    roots = np.roots(coefficients)
    real = roots[(np.abs(roots.imag) < 1e-6 * (1.0 + np.abs(roots.real))) & (roots.real > 0.0)]
    if real.size == 0:
        raise ValueError(f"descent guidance found no positive time to go at RG={rg_m.tolist()}")
    return float(real.real[np.argmin(np.abs(real.real - guess_s))])


def _gravity(r_m) -> np.ndarray:
    return -MU_MOON_M3PS2 * r_m / np.linalg.norm(r_m) ** 3


def descend(
    epoch0: Epoch, r0_m: ArrayLike, v0_mps: ArrayLike, mass_kg: float, propellant_kg: float,
    site: LandingSite, frame: FrozenMoonFrame, engine: DescentEngine = DPS,
) -> Touchdown:
    """Fly the descent from ignition at ``epoch0`` (state in ``frame``, total mass
    ``mass_kg`` of which ``propellant_kg`` is the descent stage's) to touchdown at the radius
    of ``site``; raises ValueError if the propellant or the guidance gives out."""
    if not 0.0 < propellant_kg < mass_kg:
        raise ValueError(f"propellant_kg={propellant_kg!r} must be > 0 and below the mass "
                         f"{mass_kg!r} kg")
    dry_kg = float(mass_kg) - float(propellant_kg)
    land_fixed = np.array([
        np.cos(np.radians(site.lat_deg)) * np.cos(np.radians(site.lon_deg)),
        np.cos(np.radians(site.lat_deg)) * np.sin(np.radians(site.lon_deg)),
        np.sin(np.radians(site.lat_deg))]) * site.radius_m
    state = FlightState(np.asarray(r0_m, float), np.asarray(v0_mps, float), float(mass_kg))
    t_s, tgo_s, phase, targets = 0.0, TGO_START_S, "P63", BRAKING
    phases: dict[str, Epoch] = {}
    rows, track = None, [[epoch0.tt_s, *state.r_m, *state.v_mps, state.mass_kg]]

    def above(s: FlightState) -> float:
        return float(np.linalg.norm(s.r_m)) - site.radius_m

    while True:
        epoch = epoch0 + t_s
        land = frame.fixed_to_frozen(epoch) @ land_fixed
        v_ground = frame.ground_velocity_mps(state.r_m, state.v_mps, epoch)
        if phase != "P65":
            rows = _frame_rows(state.r_m, v_ground, land, tgo_s)
        rg, vg = rows @ (state.r_m - land), rows @ v_ground
        if phase == "P65":
            acg = (np.array([VERTICAL_RATE_MPS, 0.0, 0.0]) - vg) / VERTICAL_TAU_S
        else:
            tgo_s = _tgo_s(targets, rg, vg, tgo_s)
            limit = END_BRAKING_TGO_S if phase == "P63" else END_APPROACH_TGO_S
            if tgo_s < limit:
                phase, targets = ("P64", APPROACH) if phase == "P63" else ("P65", targets)
                phases[phase] = epoch
                continue
            acg = (targets.a_mps2 - 6.0 * (targets.v_mps + vg) / tgo_s
                   + 12.0 * (targets.r_m - rg) / tgo_s**2)
        thrust_accel = rows.T @ acg - _gravity(state.r_m)
        force_n = float(np.linalg.norm(thrust_accel)) * state.mass_kg
        thrust_n = engine.min_throttle_n if t_s < TRIM_S else engine.thrust_for(force_n)
        step_s = min(GUIDANCE_CYCLE_S, TRIM_S - t_s) if t_s < TRIM_S else GUIDANCE_CYCLE_S
        isp_s = engine.isp_s(thrust_n)
        if state.mass_kg - thrust_n / (isp_s * G0_MPS2) * step_s <= dry_kg:
            raise ValueError(f"the descent used up its {propellant_kg:.0f} kg of propellant "
                             f"{t_s:.0f} s after ignition, {above(state):.0f} m up")
        state, flown_s = fly_until(state, step_s, MOON, above, thrust_n, thrust_accel, isp_s)
        t_s += flown_s
        track.append([(epoch0 + t_s).tt_s, *state.r_m, *state.v_mps, state.mass_kg])
        if flown_s < step_s or above(state) <= 0.0:
            break
        if t_s > 2.0 * TGO_START_S:
            raise ValueError("the descent guidance did not reach the surface in 22 minutes")
    epoch = epoch0 + t_s
    lat, lon, _ = frame.selenographic(state.r_m, epoch)
    land = frame.fixed_to_frozen(epoch) @ land_fixed
    cos_angle = np.dot(state.r_m, land) / (np.linalg.norm(state.r_m) * np.linalg.norm(land))
    miss_m = float(np.arccos(np.clip(cos_angle, -1.0, 1.0))) * site.radius_m
    return Touchdown(epoch, float(np.degrees(lat)), float(np.degrees(lon)), state.mass_kg,
                     miss_m, phases, np.array(track))

