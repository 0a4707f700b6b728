"""The planners' store of recent results (stationsim.ops.kept)."""

import numpy as np
import pytest

from stationsim.ops.kept import Kept


def test_keeps_the_last_few_by_key_and_freezes_their_arrays():
    kept = Kept(2)
    first, second, third = np.zeros(3), np.ones(3), np.full(3, 2.0)
    kept.put("a", None, first, (first, 1.5))  # a scalar among the arrays is skipped
    kept.put("b", None, second, (second,))
    assert kept.get("a") is first and kept.get("b") is second
    with pytest.raises(ValueError):
        first[0] = 1.0  # read-only once kept
    kept.put("c", None, third)
    assert kept.get("a") is None  # the oldest dropped beyond the size
    assert kept.get("c") is third and third.flags.writeable  # arrays not named stay writable
