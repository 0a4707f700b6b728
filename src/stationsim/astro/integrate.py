"""Adaptive Dormand-Prince 8(5,3) integration of orbits with dense output and events.

DOP853 of Hairer, Norsett & Wanner, *Solving Ordinary Differential Equations I* (2nd ed. 1993,
sec. II.5 and II.6; coefficients of their ``dop853.f``): 12 stages per step, an error estimate
mixing the embedded 5th- and 3rd-order solutions, step control with safety 0.9 and step ratio
limits 1/3..6, and a 7th-order continuous extension (3 extra stages, computed only on steps that
hold an output time or an event). Events are located by the Illinois method on the dense output
to 1e-7 s. The right-hand side is the central body's gravity (point mass and zonal terms about
its pole), the Earth's drag (the density table only with drag on) and the pull of third bodies
from a sampled ephemeris table (:mod:`stationsim.astro.forces`).

The kernels take plain floats and arrays, elapsed time ``tau_s`` >= 0 from the start epoch (TT
seconds since J2000 ``t0_tt_s``) marching in ``direction`` (+1 forward, -1 backward in time),
and report a status code instead of raising:
``STATUS_OK`` (reached the end), ``STATUS_REENTRY`` (altitude fell through the re-entry
altitude: a normal stop at the crossing), ``STATUS_NAN`` (non-finite state),
``STATUS_MAX_STEPS``, ``STATUS_EVENT_OVERFLOW`` (event buffer full).

Events are rows ``(kind, value, direction)`` of a float array of shape (K, 3); ``direction`` +1
keeps rising crossings of g (in time), -1 falling ones, 0 both. Kinds and their g:
``EVENT_ALTITUDE`` g = height above the central body's surface (WGS-84 for the Earth) - value
(m); ``EVENT_NODE`` g = z (rising =
ascending node); ``EVENT_APSIS`` g = r.v (rising = perigee, falling = apogee); ``EVENT_RADIUS``
g = |r| - value (m); ``EVENT_LATITUDE`` g = z/|r| - sin(value) (geocentric latitude, rad).
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit, prange

from stationsim.astro.forces import (
    drag_acceleration,
    gravity_about_pole,
    height_m,
    third_body_acceleration,
)
from stationsim.astro.kernel_cache import drop_stale

STATUS_OK = 0
STATUS_REENTRY = 1
STATUS_NAN = 2
STATUS_MAX_STEPS = 3
STATUS_EVENT_OVERFLOW = 4

EVENT_ALTITUDE = 0
EVENT_NODE = 1
EVENT_APSIS = 2
EVENT_RADIUS = 3
EVENT_LATITUDE = 4
REENTRY_EVENT_INDEX = -1  # event_index of the terminal re-entry crossing

EVENT_TIME_TOLERANCE_S = 1e-7
_SAFETY = 0.9
_MIN_STEP_RATIO = 1.0 / 3.0  # Hairer's fac1 = 0.333
_MAX_STEP_RATIO = 6.0  # Hairer's fac2

# Dormand-Prince 8(5,3) tableau (Hairer's dop853.f): nodes C, stages A (row 12 holds the
# 8th-order weights B, so stage 12 is f at the new point; rows 13..15 are the extra stages of the
# dense output), error weights E3 and E5 (over stages 0..12) and dense-output weights D.
_C = np.array([
    0.0, 0.05260015195876773, 0.0789002279381516, 0.1183503419072274, 0.2816496580927726,
    0.3333333333333333, 0.25, 0.3076923076923077, 0.6512820512820513, 0.6, 0.8571428571428571,
    1.0, 1.0, 0.1, 0.2, 0.7777777777777778,
])
_E3 = np.array([
    -0.18980075407240762, 0.0, 0.0, 0.0, 0.0, 4.450312892752409, 1.8915178993145003,
    -5.801203960010585, -0.4226823213237919, -0.1521609496625161, 0.20136540080403034,
    0.02265179219836082, 0.0,
])
_E5 = np.array([
    0.01312004499419488, 0.0, 0.0, 0.0, 0.0, -1.2251564463762044, -0.4957589496572502,
    1.6643771824549864, -0.35032884874997366, 0.3341791187130175, 0.08192320648511571,
    -0.022355307863886294, 0.0,
])
_A = np.zeros((16, 16))
_A[1, [0]] = [
    0.05260015195876773,
]
_A[2, [0, 1]] = [
    0.0197250569845379, 0.0591751709536137,
]
_A[3, [0, 2]] = [
    0.02958758547680685, 0.08876275643042054,
]
_A[4, [0, 2, 3]] = [
    0.2413651341592667, -0.8845494793282861, 0.924834003261792,
]
_A[5, [0, 3, 4]] = [
    0.037037037037037035, 0.17082860872947386, 0.12546768756682242,
]
_A[6, [0, 3, 4, 5]] = [
    0.037109375, 0.17025221101954405, 0.06021653898045596, -0.017578125,
]
_A[7, [0, 3, 4, 5, 6]] = [
    0.03709200011850479, 0.17038392571223998, 0.10726203044637328, -0.015319437748624402,
    0.008273789163814023,
]
_A[8, [0, 3, 4, 5, 6, 7]] = [
    0.6241109587160757, -3.3608926294469414, -0.868219346841726, 27.59209969944671,
    20.154067550477894, -43.48988418106996,
]
_A[9, [0, 3, 4, 5, 6, 7, 8]] = [
    0.47766253643826434, -2.4881146199716677, -0.590290826836843, 21.230051448181193,
    15.279233632882423, -33.28821096898486, -0.020331201708508627,
]
_A[10, [0, 3, 4, 5, 6, 7, 8, 9]] = [
    -0.9371424300859873, 5.186372428844064, 1.0914373489967295, -8.149787010746927,
    -18.52006565999696, 22.739487099350505, 2.4936055526796523, -3.0467644718982196,
]
_A[11, [0, 3, 4, 5, 6, 7, 8, 9, 10]] = [
    2.273310147516538, -10.53449546673725, -2.0008720582248625, -17.9589318631188,
    27.94888452941996, -2.8589982771350235, -8.87285693353063, 12.360567175794303,
    0.6433927460157636,
]
_A[12, [0, 5, 6, 7, 8, 9, 10, 11]] = [
    0.054293734116568765, 4.450312892752409, 1.8915178993145003, -5.801203960010585,
    0.3111643669578199, -0.1521609496625161, 0.20136540080403034, 0.04471061572777259,
]
_A[13, [0, 6, 7, 8, 9, 10, 11, 12]] = [
    0.056167502283047954, 0.25350021021662483, -0.2462390374708025, -0.12419142326381637,
    0.15329179827876568, 0.00820105229563469, 0.007567897660545699, -0.008298,
]
_A[14, [0, 5, 6, 7, 10, 11, 12, 13]] = [
    0.03183464816350214, 0.028300909672366776, 0.053541988307438566, -0.05492374857139099,
    -0.00010834732869724932, 0.0003825710908356584, -0.00034046500868740456, 0.1413124436746325,
]
_A[15, [0, 5, 6, 7, 8, 12, 13, 14]] = [
    -0.42889630158379194, -4.697621415361164, 7.683421196062599, 4.06898981839711,
    0.3567271874552811, -0.0013990241651590145, 2.9475147891527724, -9.15095847217987,
]
_D = np.zeros((4, 16))
_D[0, [0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]] = [
    -8.428938276109013, 0.5667149535193777, -3.0689499459498917, 2.38466765651207,
    2.117034582445028, -0.871391583777973, 2.2404374302607883, 0.6315787787694688,
    -0.08899033645133331, 18.148505520854727, -9.194632392478356, -4.436036387594894,
]
_D[1, [0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]] = [
    10.427508642579134, 242.28349177525817, 165.20045171727028, -374.5467547226902,
    -22.113666853125306, 7.733432668472264, -30.674084731089398, -9.332130526430229,
    15.697238121770845, -31.139403219565178, -9.35292435884448, 35.81684148639408,
]
_D[2, [0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]] = [
    19.985053242002433, -387.0373087493518, -189.17813819516758, 527.8081592054236,
    -11.57390253995963, 6.8812326946963, -1.0006050966910838, 0.7777137798053443,
    -2.778205752353508, -60.19669523126412, 84.32040550667716, 11.99229113618279,
]
_D[3, [0, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]] = [
    -25.69393346270375, -154.18974869023643, -231.5293791760455, 357.6391179106141,
    93.40532418362432, -37.45832313645163, 104.0996495089623, 29.8402934266605,
    -43.53345659001114, 96.32455395918828, -39.17726167561544, -149.72683625798564,
]


def _sparse_rows(matrix):
    """Nonzero entries of ``matrix`` row by row: (row start offsets, column indices, values).

    The kernels sum over these instead of the mostly-zero dense rows, in the same column order:
    the dense sums without their exact zero terms, so the results are the same to the bit.
    """
    columns = [np.flatnonzero(row) for row in matrix]
    start = np.cumsum([0] + [len(c) for c in columns])
    return start, np.concatenate(columns), matrix[matrix != 0.0]


_A_START, _A_COLUMN, _A_VALUE = _sparse_rows(_A)
_D_START, _D_COLUMN, _D_VALUE = _sparse_rows(_D)
_E_START, _E_COLUMN, _E_VALUE = _sparse_rows(np.stack([_E5, _E3]))
# Stage ranges of :func:`_stages` (first, stop) as array elements, not literal ints: a literal
# argument makes Numba compile one copy of the stage routine per distinct value.
_FIRST = np.array([0, 1])  # f at the start of the integration
_STEP = np.array([1, 13])  # the stages of a step
_DENSE = np.array([13, 16])  # the extra stages of the dense output
_NEW_POINT = 12  # the stage at the end of the step (A row 12 = B, C[12] = 1)


@njit(cache=True, inline="always", fastmath={"contract"})
def _weighted_sum(k, start, stop, column, value):
    """Sum of ``value[n] * k[column[n]]`` over n in ``start``..``stop - 1`` (one sparse row of a
    tableau matrix times the stages), as six floats: the components are summed side by side."""
    s0 = s1 = s2 = s3 = s4 = s5 = 0.0
    for n in range(start, stop):
        j, weight = column[n], value[n]
        s0 += weight * k[j, 0]
        s1 += weight * k[j, 1]
        s2 += weight * k[j, 2]
        s3 += weight * k[j, 3]
        s4 += weight * k[j, 4]
        s5 += weight * k[j, 5]
    return s0, s1, s2, s3, s4, s5


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def _stages(
    first, last, tau_s, h_s, y, k, y_work, t0_tt_s, direction, gm_m3ps2, r_eq_m, zonal_j,
    cd_area_over_mass_m2pkg, omega_radps, table_t0_tt_s, table_dt_s, table_h0_m, table_dh_m,
    log_rho, pole_x, pole_y, pole_z, body_t0_tt_s, body_dt_s, body_gm, body_r, body_v,
):
    """Stages ``first``..``last - 1`` of the tableau into rows of ``k``; ``y_work`` receives the
    state of stage 12, the step's new point, and of no other stage. Rows of
    ``k`` are d/dt of the state in time, a step advances it by ``direction * h_s``: the sign
    stays off the stages' chain of dependent operations.

    This is the one call site of the inlined force model (compile time, call overhead), and it
    hands the model plain floats: an array passed into an inlined helper here costs two atomic
    reference-count updates per stage, which took about a fifth of the kernel's time.
    """
    step_s = direction * h_s
    for s in range(first, last):
        d0, d1, d2, d3, d4, d5 = _weighted_sum(
            k, _A_START[s], _A_START[s + 1], _A_COLUMN, _A_VALUE,
        )
        x_m, y_m, z_m = y[0] + step_s * d0, y[1] + step_s * d1, y[2] + step_s * d2
        vx_mps, vy_mps, vz_mps = y[3] + step_s * d3, y[4] + step_s * d4, y[5] + step_s * d5
        ax, ay, az = gravity_about_pole(
            x_m, y_m, z_m, gm_m3ps2, r_eq_m, zonal_j, pole_x, pole_y, pole_z,
        )
        if cd_area_over_mass_m2pkg != 0.0:  # the density table is touched only with drag on
            dx, dy, dz = drag_acceleration(
                t0_tt_s + direction * (tau_s + _C[s] * h_s), x_m, y_m, z_m, vx_mps, vy_mps,
                vz_mps, cd_area_over_mass_m2pkg, omega_radps, table_t0_tt_s, table_dt_s,
                table_h0_m, table_dh_m, log_rho,
            )
            ax += dx
            ay += dy
            az += dz
        if body_gm.shape[0] != 0:  # the Moon and the Sun, when asked for
            dx, dy, dz = third_body_acceleration(
                t0_tt_s + direction * (tau_s + _C[s] * h_s), x_m, y_m, z_m, body_t0_tt_s,
                body_dt_s, body_gm, body_r, body_v,
            )
            ax += dx
            ay += dy
            az += dz
        k[s, 0], k[s, 1], k[s, 2] = vx_mps, vy_mps, vz_mps
        k[s, 3], k[s, 4], k[s, 5] = ax, ay, az
        if s == _NEW_POINT:
            y_work[0], y_work[1], y_work[2] = x_m, y_m, z_m
            y_work[3], y_work[4], y_work[5] = vx_mps, vy_mps, vz_mps


# The same routine inlined into the step loop, its one call per step: about 13 % off the
# benchmark's orbit-day (docs/performance.md), the same bits. The other call sites (start,
# initial-step probe, an event's dense stages) call it: each inlined copy compiles the force
# model again (2-3 s of CPU for this one).
_stages_inline = njit(cache=True, inline="always", error_model="numpy", fastmath={"contract"})(
    _stages.py_func,
)


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def _event_value(kind, value, y, r_polar_m, e2):
    """g(y) of one event kind (see the module docstring); heights above the central body's
    surface (polar radius ``r_polar_m``, eccentricity squared ``e2``)."""
    if kind == EVENT_ALTITUDE:
        return height_m(y[0], y[1], y[2], r_polar_m, e2) - value
    if kind == EVENT_NODE:
        return y[2]
    if kind == EVENT_APSIS:
        return y[0] * y[3] + y[1] * y[4] + y[2] * y[5]
    r_m = math.sqrt(y[0] * y[0] + y[1] * y[1] + y[2] * y[2])
    if kind == EVENT_RADIUS:
        return r_m - value
    return y[2] / r_m - math.sin(value)


@njit(cache=True, inline="always", fastmath={"contract"})
def _finite(values):
    """True when every element is finite (no allocation, unlike np.isfinite)."""
    for value in values:
        if not math.isfinite(value):
            return False
    return True


@njit(cache=True, inline="always", fastmath={"contract"})
def _finite_row(values, row):
    """True when the six floats of ``values[row]`` are finite (no view of the row: a view's
    reference count costs two atomic operations, on every step)."""
    for i in range(6):
        if not math.isfinite(values[row, i]):
            return False
    return True


@njit(cache=True, inline="always", fastmath={"contract"})
def _copy(source, target):
    """``target[:] = source`` for six floats, without NumPy's slice-assignment machinery (whose
    shape checks cost seconds of compile time)."""
    for i in range(6):
        target[i] = source[i]


@njit(cache=True, inline="always", fastmath={"contract"})
def _dense(y_old, f, x, out):
    """Evaluate the continuous extension at fraction ``x`` of the step into ``out``."""
    xm = 1.0 - x
    for i in range(6):
        out[i] = y_old[i] + x * (f[0, i] + xm * (f[1, i] + x * (f[2, i] + xm * (
            f[3, i] + x * (f[4, i] + xm * (f[5, i] + x * f[6, i]))))))


@njit(cache=True, inline="always", fastmath={"contract"})
def _dense_row(y_old, f, x, out, row):
    """:func:`_dense` into ``out[row]``, without a view of the row (on every output time)."""
    xm = 1.0 - x
    for i in range(6):
        out[row, i] = y_old[i] + x * (f[0, i] + xm * (f[1, i] + x * (f[2, i] + xm * (
            f[3, i] + x * (f[4, i] + xm * (f[5, i] + x * f[6, i]))))))


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def _crossed(g_old, g_new, sense):
    """True when g went from g_old to g_new through zero in the sense wanted (+1, -1, 0)."""
    rising = g_old < 0.0 <= g_new
    falling = g_old > 0.0 >= g_new
    if sense > 0.0:
        return rising
    if sense < 0.0:
        return falling
    return rising or falling


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def _locate(kind, value, g_old, g_new, y_old, f, h_s, y_work, r_polar_m, e2):
    """Fraction of the step where g crosses zero (Illinois method on the dense output)."""
    a, b = 0.0, 1.0
    ga, gb = g_old, g_new
    side = 0
    tolerance = EVENT_TIME_TOLERANCE_S / h_s
    for _ in range(100):
        if b - a <= tolerance:
            break
        x = (a * gb - b * ga) / (gb - ga)
        x = min(max(x, a + 0.25 * tolerance), b - 0.25 * tolerance)
        _dense(y_old, f, x, y_work)
        gx = _event_value(kind, value, y_work, r_polar_m, e2)
        if gx == 0.0:
            return x
        if (gx > 0.0) == (gb > 0.0):
            b, gb = x, gx
            if side == 1:
                ga *= 0.5
            side = 1
        else:
            a, ga = x, gx
            if side == -1:
                gb *= 0.5
            side = -1
    return b


@njit(cache=True, inline="always", fastmath={"contract"})
def _error_norm(y, y_new, k, h_s, rtol, atol):
    """Hairer's DOP853 error measure (<= 1 accepts the step)."""
    e5 = _weighted_sum(k, _E_START[0], _E_START[1], _E_COLUMN, _E_VALUE)
    e3 = _weighted_sum(k, _E_START[1], _E_START[2], _E_COLUMN, _E_VALUE)
    err5, err3 = 0.0, 0.0
    for i in range(6):
        scale = atol + rtol * max(abs(y[i]), abs(y_new[i]))
        err5 += (e5[i] / scale) ** 2
        err3 += (e3[i] / scale) ** 2
    if err5 == 0.0 and err3 == 0.0:
        return 0.0
    return abs(h_s) * err5 / math.sqrt(6.0 * (err5 + 0.01 * err3))


@njit(cache=True, error_model="numpy", fastmath={"contract"})
def propagate_kernel(
    t0_tt_s: float, y0: np.ndarray, tau_out_s: np.ndarray, tau_end_s: float, direction: float,
    gm_m3ps2: float, r_eq_m: float, zonal_j: np.ndarray, cd_area_over_mass_m2pkg: float,
    omega_radps: float, table_t0_tt_s: float, table_dt_s: float, table_h0_m: float,
    table_dh_m: float, log_rho: np.ndarray, central: np.ndarray, body_t0_tt_s: float,
    body_dt_s: float, body_gm: np.ndarray, body_r: np.ndarray, body_v: np.ndarray, rtol: float,
    atol: float, max_steps: int, reentry_altitude_m: float, event_spec: np.ndarray,
    y_out: np.ndarray, event_tau_s: np.ndarray, event_index: np.ndarray, event_y: np.ndarray,
    y_stop: np.ndarray,
) -> tuple[int, int, int, float, int]:
    """Integrate one orbit from ``y0`` (r m, v m/s from the central body, GCRF axes) over tau
    in [0, ``tau_end_s``].

    ``central`` is (pole_x, pole_y, pole_z, polar radius m, eccentricity squared) of the
    central body: the axis of its zonal terms and the surface that heights are measured from
    (the Earth: (0, 0, 1, WGS-84 b, WGS-84 e^2)). The body table (``body_*``, the layout of
    ``astro.ephemeris.BodyTable``; no rows for none) adds the pull of third bodies.

    Fills ``y_out[i]`` at the ascending ``tau_out_s[i]`` (<= tau_end_s), events into
    ``event_tau_s``/``event_index``/``event_y`` (index into ``event_spec`` rows, or
    ``REENTRY_EVENT_INDEX``), and the final state into ``y_stop``. Returns
    ``(status, n_out, n_events, tau_stop_s, n_steps)``.
    """
    n_out_max = tau_out_s.shape[0]
    n_events_max = event_tau_s.shape[0]
    n_kinds: int = event_spec.shape[0]
    k = np.empty((16, 6))
    f = np.empty((7, 6))
    y = np.empty(6)
    _copy(y0, y)
    y_new = np.empty(6)
    y_work = np.empty(6)
    g_old = np.empty(n_kinds + 1)
    g_new = np.empty(n_kinds + 1)
    root = np.empty(n_kinds + 1)
    pole_x, pole_y, pole_z, r_polar_m, e2 = central[0], central[1], central[2], central[3], \
        central[4]
    for e in range(n_kinds):
        g_old[e] = _event_value(int(event_spec[e, 0]), event_spec[e, 1], y, r_polar_m, e2)
    g_old[n_kinds] = height_m(y[0], y[1], y[2], r_polar_m, e2) - reentry_altitude_m
    tau = 0.0
    n_out = 0
    n_events = 0
    n_steps = 0
    status = STATUS_OK
    _copy(y, y_stop)
    if not _finite(y):
        return STATUS_NAN, 0, 0, 0.0, 0
    if g_old[n_kinds] <= 0.0:
        return STATUS_REENTRY, 0, 0, 0.0, 0
    while n_out < n_out_max and tau_out_s[n_out] <= 0.0:
        _copy(y, y_out[n_out])
        n_out += 1
    if tau_end_s <= 0.0:
        return STATUS_OK, n_out, 0, 0.0, 0

    _stages(
        _FIRST[0], _FIRST[1], 0.0, 0.0, y, k, y_work, t0_tt_s, direction, gm_m3ps2, r_eq_m,
        zonal_j, cd_area_over_mass_m2pkg, omega_radps, table_t0_tt_s, table_dt_s, table_h0_m,
        table_dh_m, log_rho, pole_x, pole_y, pole_z, body_t0_tt_s, body_dt_s, body_gm, body_r,
        body_v,
    )

    # Initial step: Hairer, Norsett & Wanner sec. II.4, algorithm of ``hinit``.
    d0, d1 = 0.0, 0.0
    for i in range(6):
        scale = atol + rtol * abs(y[i])
        d0 += (y[i] / scale) ** 2
        d1 += (k[0, i] / scale) ** 2
    d0, d1 = math.sqrt(d0 / 6.0), math.sqrt(d1 / 6.0)
    h = 1e-6 if d0 < 1e-5 or d1 < 1e-5 else 0.01 * d0 / d1
    h = min(h, tau_end_s)
    probe = np.empty((1, 6))  # f(h, y + h f0) lands in probe[0]
    for i in range(6):
        y_new[i] = y[i] + direction * h * k[0, i]
    _stages(
        _FIRST[0], _FIRST[1], h, 0.0, y_new, probe, y_work, t0_tt_s, direction, gm_m3ps2, r_eq_m,
        zonal_j, cd_area_over_mass_m2pkg, omega_radps, table_t0_tt_s, table_dt_s, table_h0_m,
        table_dh_m, log_rho, pole_x, pole_y, pole_z, body_t0_tt_s, body_dt_s, body_gm, body_r,
        body_v,
    )
    d2 = 0.0
    for i in range(6):
        d2 += ((probe[0, i] - k[0, i]) / (atol + rtol * abs(y[i]))) ** 2
    d2 = math.sqrt(d2 / 6.0) / h
    d12 = max(d1, d2)
    h1 = max(1e-6, h * 1e-3) if d12 <= 1e-15 else (0.01 / d12) ** (1.0 / 8.0)
    h = min(100.0 * h, h1, tau_end_s)

    rejected = False
    while True:
        if n_steps >= max_steps:
            status = STATUS_MAX_STEPS
            break
        last = tau + 1.01 * h >= tau_end_s
        if last:
            h = tau_end_s - tau
        tau_new = tau_end_s if last else tau + h
        # the dense stages with the step's when an output time falls in it (one call, not two)
        dense_now = n_out < n_out_max and tau_out_s[n_out] <= tau_new
        _stages_inline(
            _STEP[0], _DENSE[1] if dense_now else _STEP[1], tau, h, y, k, y_work, t0_tt_s,
            direction, gm_m3ps2, r_eq_m, zonal_j, cd_area_over_mass_m2pkg, omega_radps,
            table_t0_tt_s, table_dt_s, table_h0_m, table_dh_m, log_rho, pole_x, pole_y, pole_z,
            body_t0_tt_s, body_dt_s, body_gm, body_r, body_v,
        )
        _copy(y_work, y_new)  # stage 12 is the 8th-order solution (A row 12 = B, C[12] = 1)
        n_steps += 1
        err = _error_norm(y, y_new, k, h, rtol, atol)
        if not (math.isfinite(err) and _finite_row(k, 12)):
            status = STATUS_NAN
            break
        fac11 = math.sqrt(math.sqrt(math.sqrt(err)))  # err^(1/8) in three roots, not a pow
        if err > 1.0:
            h /= min(1.0 / _MIN_STEP_RATIO, fac11 / _SAFETY)
            rejected = True
            continue

        # Accepted step: events, outputs, then advance.
        crossed = False
        for e in range(n_kinds):
            g_new[e] = _event_value(int(event_spec[e, 0]), event_spec[e, 1], y_new, r_polar_m, e2)
            root[e] = -1.0
            if _crossed(g_old[e], g_new[e], event_spec[e, 2] * direction):
                root[e] = 0.0
                crossed = True
        g_new[n_kinds] = (
            height_m(y_new[0], y_new[1], y_new[2], r_polar_m, e2) - reentry_altitude_m
        )
        root[n_kinds] = -1.0
        if _crossed(g_old[n_kinds], g_new[n_kinds], -1.0):
            root[n_kinds] = 0.0
            crossed = True
        if crossed or dense_now:
            if not dense_now:  # an event in a step without an output time
                _stages(
                    _DENSE[0], _DENSE[1], tau, h, y, k, y_work, t0_tt_s, direction, gm_m3ps2,
                    r_eq_m, zonal_j, cd_area_over_mass_m2pkg, omega_radps, table_t0_tt_s,
                    table_dt_s, table_h0_m, table_dh_m, log_rho, pole_x, pole_y, pole_z,
                    body_t0_tt_s, body_dt_s, body_gm, body_r, body_v,
                )
            step_s = direction * h
            for d in range(4):
                row = _weighted_sum(k, _D_START[d], _D_START[d + 1], _D_COLUMN, _D_VALUE)
                for i in range(6):
                    f[3 + d, i] = step_s * row[i]
            for i in range(6):
                dy = y_new[i] - y[i]
                f[0, i] = dy
                f[1, i] = step_s * k[0, i] - dy
                f[2, i] = 2.0 * dy - step_s * (k[12, i] + k[0, i])
        x_stop = 1.0
        if crossed:
            n_found = 0
            for e in range(n_kinds + 1):
                if root[e] == 0.0:
                    kind = EVENT_ALTITUDE if e == n_kinds else int(event_spec[e, 0])
                    value = reentry_altitude_m if e == n_kinds else event_spec[e, 1]
                    root[e] = _locate(
                        kind, value, g_old[e], g_new[e], y, f, h, y_work, r_polar_m, e2,
                    )
                    n_found += 1
            if root[n_kinds] >= 0.0:
                x_stop = root[n_kinds]
                status = STATUS_REENTRY
            if n_events + n_found > n_events_max:
                status = STATUS_EVENT_OVERFLOW
                break
            for _ in range(n_found):
                first = -1
                for e in range(n_kinds + 1):
                    if root[e] >= 0.0 and (first < 0 or root[e] < root[first]):
                        first = e
                if root[first] <= x_stop:
                    _dense(y, f, root[first], event_y[n_events])
                    event_tau_s[n_events] = tau + root[first] * h
                    event_index[n_events] = REENTRY_EVENT_INDEX if first == n_kinds else first
                    n_events += 1
                root[first] = -1.0
        tau_stop = tau + x_stop * h if x_stop < 1.0 else tau_new
        while n_out < n_out_max and tau_out_s[n_out] <= tau_stop:
            _dense_row(y, f, (tau_out_s[n_out] - tau) / h, y_out, n_out)
            n_out += 1
        if status == STATUS_REENTRY:
            _dense(y, f, x_stop, y_stop)
            return status, n_out, n_events, tau_stop, n_steps
        hnew = h / max(1.0 / _MAX_STEP_RATIO, min(1.0 / _MIN_STEP_RATIO, fac11 / _SAFETY))
        if rejected:
            hnew = min(hnew, h)
        rejected = False
        for i in range(6):
            k[0, i] = k[12, i]
            y[i] = y_new[i]
        for e in range(n_kinds + 1):
            g_old[e] = g_new[e]
        tau = tau_new
        h = hnew
        if last:
            break
    _copy(y, y_stop)
    return status, n_out, n_events, tau, n_steps


@njit(cache=True, parallel=True, error_model="numpy", fastmath={"contract"})
def propagate_batch_kernel(
    t0_tt_s: np.ndarray,
    y0: np.ndarray,
    tau_out_s: np.ndarray,
    tau_end_s: np.ndarray,
    direction: np.ndarray,
    gm_m3ps2: float,
    r_eq_m: float,
    zonal_j: np.ndarray,
    cd_area_over_mass_m2pkg: np.ndarray,
    omega_radps: float,
    table_t0_tt_s: float,
    table_dt_s: float,
    table_h0_m: float,
    table_dh_m: float,
    log_rho: np.ndarray,
    central: np.ndarray,
    body_t0_tt_s: float,
    body_dt_s: float,
    body_gm: np.ndarray,
    body_r: np.ndarray,
    body_v: np.ndarray,
    rtol: float,
    atol: float,
    max_steps: int,
    reentry_altitude_m: float,
    event_spec: np.ndarray,
    y_out: np.ndarray,
    event_tau_s: np.ndarray,
    event_index: np.ndarray,
    event_y: np.ndarray,
    y_stop: np.ndarray,
    status: np.ndarray,
    n_out: np.ndarray,
    n_events: np.ndarray,
    tau_stop_s: np.ndarray,
) -> None:
    """:func:`propagate_kernel` over N orbits in parallel (``numba.prange``).

    Per-orbit inputs gain a leading axis N: ``t0_tt_s``, ``y0`` (N, 6), ``tau_out_s`` (N, M),
    ``tau_end_s``, ``direction``, ``cd_area_over_mass_m2pkg``; outputs likewise, with ``status``,
    ``n_out``, ``n_events`` (int64) and ``tau_stop_s`` (N,) filled per orbit. ``y_out`` need not
    be initialised: rows after an orbit's stop are set to NaN.
    """
    for n in prange(y0.shape[0]):
        status[n], n_out[n], n_events[n], tau_stop_s[n], _ = propagate_kernel(
            t0_tt_s[n], y0[n], tau_out_s[n], tau_end_s[n], direction[n], gm_m3ps2, r_eq_m,
            zonal_j, cd_area_over_mass_m2pkg[n], omega_radps, table_t0_tt_s, table_dt_s,
            table_h0_m, table_dh_m, log_rho, central, body_t0_tt_s, body_dt_s, body_gm, body_r,
            body_v, rtol, atol, max_steps, reentry_altitude_m,
            event_spec, y_out[n], event_tau_s[n], event_index[n], event_y[n], y_stop[n],
        )
        for m in range(n_out[n], y_out.shape[1]):  # the epochs after a stop
            for i in range(6):
                y_out[n, m, i] = np.nan


drop_stale(globals())  # before any kernel here loads from the disk cache (kernel_cache)
