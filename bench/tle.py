"""TLE states in GCRF: stationsim beside sgp4's ``SatrecArray`` (TEME only), in one run.

Run: ``python bench/tle.py`` (about 10 s). 100 consecutive element sets of the ISS tracking
archive from 1999 (Mir's 1995 set repeated if the archive is missing) at 1,440 epochs a
minute apart. The anchor is ``SatrecArray.sgp4`` alone: SGP4 in C++ in the TEME frame. Ours
adds the rotation to GCRF: the fast path (one interpolated IAU 2000B matrix per epoch, shared
by all satellites) and, for comparison, the full IAU 2006/2000A route per state. The frame
error of the fast path against the full route is printed too (tests bound it at 10 cm in LEO).
The last line, ``RESULT {...}``, holds the ratio and the error for ``bench/all.py``.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
from sgp4.api import SatrecArray
from timing import best_time_s

from stationsim.astro.frames import teme_to_gcrf
from stationsim.astro.tle import parse_tle_lines, read_tle_file, states_gcrf

ARCHIVE = next((folder / "shared" / "reference" / "tle_iss_1998_2001.txt"
                for folder in Path(__file__).resolve().parents
                if (folder / "shared" / "reference" / "tle_iss_1998_2001.txt").is_file()),
               Path("tle_iss_1998_2001.txt"))  # the shared reference beside any checkout
MIR_1995 = ("1 16609U 86017A   95315.33685943  .00005096  00000-0  72085-4 0  9051",
            "2 16609  51.6442 140.6949 0003055 316.9830  43.1086 15.57967912555898")
SATELLITES = 100
EPOCHS = 1440


def main() -> None:
    if ARCHIVE.is_file():
        tles = read_tle_file(ARCHIVE)[1000 : 1000 + SATELLITES]
        what = f"{len(tles)} consecutive sets of {ARCHIVE.name}"
    else:
        tles = [parse_tle_lines(*MIR_1995)] * SATELLITES
        what = f"Mir's 1995 set x {SATELLITES}"
    start = tles[len(tles) // 2].epoch
    epochs = start + np.arange(EPOCHS) * 60.0
    utc1, utc2 = (np.ascontiguousarray(part) for part in epochs.utc_jd())
    satrecs = SatrecArray([tle.satrec for tle in tles])
    states = len(tles) * EPOCHS

    anchor_s = best_time_s(lambda: satrecs.sgp4(utc1, utc2))
    ours_s = best_time_s(lambda: states_gcrf(tles, epochs))
    _, r_km, v_kmps = satrecs.sgp4(utc1, utc2)
    one_full_s = best_time_s(lambda: teme_to_gcrf(r_km[0] * 1e3, v_kmps[0] * 1e3, epochs))
    full_s = one_full_s * len(tles)
    r_fast_m, _ = states_gcrf(tles[:1], epochs)
    r_full_m, _ = teme_to_gcrf(r_km[0] * 1e3, v_kmps[0] * 1e3, epochs)
    frame_error_m = np.linalg.norm(r_fast_m[0] - r_full_m, axis=1).max()

    print(f"{what}, {EPOCHS} epochs from {start.utc_iso()[:19]}: {states:,} states")
    print(f"  sgp4 SatrecArray (TEME, the anchor): {anchor_s / states * 1e6:.3f} us per state")
    print(f"  stationsim states_gcrf (fast path):   {ours_s / states * 1e6:.3f} us per state "
          f"(ratio {ours_s / anchor_s:.2f})")
    print(f"  full IAU 2006/2000A route per state:  {full_s / states * 1e6:.3f} us per state "
          f"(ratio {full_s / anchor_s:.1f})")
    print(f"  fast path against the full route: {frame_error_m * 100:.1f} cm at most "
          f"(one satellite, a day)")
    print("RESULT " + json.dumps({"tle_over_satrecarray": ours_s / anchor_s,
                                  "frame_error_m": float(frame_error_m)}))


if __name__ == "__main__":
    main()
