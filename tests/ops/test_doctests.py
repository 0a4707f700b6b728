"""The examples in the ops docstrings run as written."""

import doctest

import stationsim.ops


def test_ops_package_example():
    result = doctest.testmod(stationsim.ops, verbose=False)
    assert result.attempted > 0 and result.failed == 0
