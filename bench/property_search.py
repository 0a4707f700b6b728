"""Search for new edge cases: the property tests with many random examples.

Run: ``python bench/property_search.py [pytest arguments]`` (default: every test module). The
test suite's own hypothesis profile is derandomized so CI draws the same examples on every run;
this runs the same tests under the ``explore`` profile (tests/conftest.py): 2,000 random
examples per property and a fresh seed each time. A failure printed here is an edge case to
keep as an ``@example`` of its test.
"""

from __future__ import annotations

import os
import subprocess
import sys


def main() -> int:
    arguments = sys.argv[1:] or ["tests"]
    environment = dict(os.environ, HYPOTHESIS_PROFILE="explore")
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
               "-k", "round_trip or propert or fuzz", *arguments]
    return subprocess.call(command, env=environment)


if __name__ == "__main__":
    raise SystemExit(main())
