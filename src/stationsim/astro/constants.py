"""Physical constants, SI, each with its source.

GM and the zonal harmonics are EGM-96 (Lemoine et al. 1998, NASA/TP-1998-206861); the
ellipsoid is WGS-84 (NIMA TR8350.2, 3rd ed., 2000). Jn are unnormalised:
Jn = -Cn0 = -sqrt(2n+1) * C̄n0.
"""

from __future__ import annotations

import math

GM_EARTH_M3PS2 = 3.986004418e14  # EGM-96 / WGS-84 (NIMA TR8350.2 Table 3.1)
R_EARTH_M = 6378137.0  # WGS-84 semi-major axis; also the EGM-96 reference radius
WGS84_INV_FLATTENING = 298.257223563  # NIMA TR8350.2 Table 3.1
WGS84_FLATTENING = 1.0 / WGS84_INV_FLATTENING
WGS84_E2 = WGS84_FLATTENING * (2.0 - WGS84_FLATTENING)  # first eccentricity squared
R_POLAR_M = R_EARTH_M * (1.0 - WGS84_FLATTENING)
OMEGA_EARTH_RADPS = 7.292115e-5  # WGS-84 nominal mean angular velocity (NIMA TR8350.2)

# EGM-96 normalised zonal coefficients C̄n0 (Lemoine et al. 1998), converted to unnormalised Jn.
_C_BAR_N0 = {
    2: -0.484165371736e-03,
    3: 0.957254173792e-06,
    4: 0.539873863789e-06,
    5: 0.685323475630e-07,
    6: -0.149957994714e-06,
}
J2 = -_C_BAR_N0[2] * math.sqrt(5.0)  # 1.08262668e-3
J3 = -_C_BAR_N0[3] * math.sqrt(7.0)  # -2.5326564e-6
J4 = -_C_BAR_N0[4] * math.sqrt(9.0)  # -1.6196215e-6
J5 = -_C_BAR_N0[5] * math.sqrt(11.0)  # -2.2729e-7
J6 = -_C_BAR_N0[6] * math.sqrt(13.0)  # 5.4068e-7
J_ZONAL = (0.0, 0.0, J2, J3, J4, J5, J6)  # index n -> Jn

G0_MPS2 = 9.80665  # standard gravity for Isp (CGPM 1901; ISO 80000-3)
KM = 1000.0  # metres per kilometre, for conversions at the edges
DAY_S = 86400.0
NMI_M = 1852.0  # international nautical mile
DEG = math.pi / 180.0  # radians per degree, for conversions at the edges

# The Moon and the Sun. GMs are those of JPL DE421 (Folkner, Williams & Boggs 2009, IPN Progress
# Report 42-178, Table 4: GM(Earth+Moon) and the Earth/Moon mass ratio 81.3005690699; GM(Sun)),
# so the third-body forces match the ephemeris they are evaluated on.
MU_MOON_M3PS2 = 4.902800076e12  # DE421 GM(Moon) = GMB / (1 + EMRAT)
MU_SUN_M3PS2 = 1.32712440041e20  # DE421 GM(Sun)
R_MOON_M = 1737400.0  # mean radius, IAU WGCCRE 2009 (Archinal et al. 2011, Celest. Mech. 109)
# Unnormalised lunar J2 = -C20 of the LP165P field (Konopliv et al. 2001, Icarus 150, 1-18):
# normalised C̄20 = -9.0920e-5 at reference radius 1738 km, J2 = -C̄20 * sqrt(5).
R_MOON_GRAVITY_M = 1738000.0  # reference radius of the LP165P coefficients
J2_MOON = 9.0920e-5 * math.sqrt(5.0)  # 2.0330e-4
