"""Shared test settings: hypothesis profiles sized for a 2-core CI machine.

``ci`` (the default) is derandomized and keeps no example database, so the same commit draws the
same examples on every machine and every run. ``explore`` draws at random with many more
examples, to search for new edge cases (``HYPOTHESIS_PROFILE=explore python -m pytest ...``, or
``bench/property_search.py``); a failure found there becomes an ``@example`` of its test.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile(
    "ci", max_examples=60, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "explore", max_examples=2000, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
