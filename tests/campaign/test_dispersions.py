"""The --vary parser, the samplers and the per-sample streams."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stationsim.campaign.dispersions import (
    Dispersions,
    Distribution,
    parse_vary,
    sample_generator,
    sample_generators,
)


def test_parse_vary_reads_name_kind_and_parameters():
    assert parse_vary("launch_slip_s=normal(0, 600)") == (
        "launch_slip_s", Distribution("normal", 0.0, 600.0))
    assert parse_vary(" density_scale = lognormal( 0 , 0.2 ) ") == (
        "density_scale", Distribution("lognormal", 0.0, 0.2))


@pytest.mark.parametrize("text, fragment", [
    ("launch_slip=normal(0, 600)", "unknown quantity 'launch_slip'"),
    ("launch_slip_s=gauss(0, 600)", "must be one of"),
    ("launch_slip_s=normal(0, -1)", "sigma must be >= 0"),
    ("launch_slip_s=uniform(5, 1)", "high must not be below low"),
    ("launch_slip_s=normal(0)", "expected NAME=KIND(A, B)"),
    ("launch_slip_s=normal(0, nan)", "must be finite"),
    ("launch_slip_s=normal(0x10, 1)", "expected numbers A and B, got '0x10' and '1'"),
    # beyond a quantity's reach: 1e300 s overflowed the insertion interpolation (exit 0)
    ("launch_slip_s=normal(0, 1e300)", "draws reach 6e+300 at 6 sigma (expected at most 86400"),
    ("launch_slip_s=uniform(-90000, 0)", "draws reach 9e+04 at its bounds"),
])
def test_parse_vary_rejects_bad_specs_naming_them(text, fragment):
    with pytest.raises(ValueError, match="launch_slip") as caught:
        parse_vary(text)
    assert fragment in str(caught.value)


@pytest.mark.parametrize("text, fragment", [
    # a negative factor on the density turns drag into a push (b = Cd A / m times the factor)
    ("density_scale=uniform(-1, 2)", "draws reach -1 at its low end (expected at least 0"),
    ("density_scale=normal(1, 0.4)", "draws reach -0.2 at 3 sigma (expected at least 0"),
    ("density_scale=lognormal(0, 0.8)", "draws reach 122 at 6 sigma (expected at most 100"),
    ("burn_pointing_deg=normal(0, 31)", "expected at most 180 for burn_pointing_deg"),
])
def test_a_factor_stays_positive_and_every_quantity_within_its_limit(text, fragment):
    with pytest.raises(ValueError, match=fragment.replace("(", r"\(")):
        parse_vary(text)
    for usual in ("density_scale=normal(1, 0.3)", "density_scale=lognormal(0, 0.7)",
                  "burn_pointing_deg=normal(0, 2)", "launch_slip_s=uniform(-600, 600)"):
        parse_vary(usual)


def test_a_quantity_named_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        Dispersions.from_specs(["density_scale=normal(1, 0.1)", "density_scale=normal(1, 0.2)"])


def test_sample_stream_is_the_spawned_child():
    # numpy SeedSequence.spawn: child k has spawn_key (k,); the stream must be that child's
    children = np.random.SeedSequence(1234).spawn(8)
    expected = np.random.Generator(np.random.PCG64(children[7])).random(5)
    assert np.array_equal(sample_generator(1234, 7).random(5), expected)


@pytest.mark.parametrize("seed", [0, 1234, 2**32 - 1, 2**40 + 17, 2**130 + 5])
def test_batched_streams_are_the_spawned_children_bit_for_bit(seed):
    # the seeding hash run for many samples at once in NumPy against numpy's own SeedSequence,
    # for one- to five-word seeds and spawn keys up to the last one-word index
    for first, count in ((0, 6), (2**32 - 3, 3), (2**32 - 1, 2)):
        batched = [rng.random(4) for rng in sample_generators(seed, first, count)]
        single = [sample_generator(seed, index).random(4) for index in range(first, first + count)]
        assert len(batched) == count
        assert all(np.array_equal(a, b) for a, b in zip(batched, single, strict=True))


def test_draws_do_not_depend_on_batching():
    dispersions = Dispersions.from_specs(["launch_slip_s=normal(0, 600)",
                                          "burn_pointing_deg=normal(0, 1)",
                                          "nav_position_m=normal(0, 10)"])
    whole = dispersions.draw(5, 0, 10, n_burns=4, n_targets=2)
    part = dispersions.draw(5, 3, 5, n_burns=4, n_targets=2)
    for name, values in whole._asdict().items():
        assert np.array_equal(values[3:8], getattr(part, name)), name


def test_samplers_have_the_stated_moments():
    # 20,000 draws: sample mean within 5 standard errors, sigma within 3 %
    n = 20_000
    dispersions = Dispersions.from_specs(["launch_slip_s=normal(30, 600)",
                                          "density_scale=lognormal(0, 0.2)",
                                          "insertion_x_m=uniform(-100, 300)",
                                          "burn_pointing_deg=normal(0, 2)"])
    draws = dispersions.draw(11, 0, n, n_burns=1, n_targets=0)
    assert abs(draws.launch_slip_s.mean() - 30.0) < 5 * 600 / math.sqrt(n)
    assert abs(draws.launch_slip_s.std() / 600.0 - 1.0) < 0.03
    assert abs(np.median(draws.density_scale) - 1.0) < 0.01  # median of a lognormal: exp(mu)
    x_m = draws.insertion_lvlh[:, 0]
    assert -100.0 <= x_m.min() and x_m.max() < 300.0
    assert abs(x_m.mean() - 100.0) < 5 * 400 / math.sqrt(12 * n)
    # degrees at the edge, radians inside: 2 deg = 0.0349 rad
    assert abs(draws.burn_pointing_rad.std() / math.radians(2.0) - 1.0) < 0.03


def test_zero_width_distributions_give_the_nominal_values_exactly():
    zero = Dispersions.from_specs(["launch_slip_s=normal(0, 0)", "density_scale=normal(1, 0)",
                                   "nav_velocity_mps=uniform(0, 0)"])
    draws = zero.draw(3, 0, 4, n_burns=2, n_targets=1)
    nominal = Dispersions().draw(3, 0, 4, n_burns=2, n_targets=1)
    for name, values in draws._asdict().items():
        assert np.array_equal(values, getattr(nominal, name)), name
    assert np.all(draws.density_scale == 1.0)


def test_insertion_covariance_is_reproduced_by_the_draws():
    # a correlated LVLH covariance (radial position with along-track velocity, as an insertion
    # height error shows): 40,000 draws give it back, each entry within 5 standard errors
    sigmas = np.array([800.0, 300.0, 1000.0, 0.8, 0.3, 0.5])
    correlation = np.eye(6)
    correlation[2, 3] = correlation[3, 2] = -0.9
    covariance = correlation * np.outer(sigmas, sigmas)
    dispersions = Dispersions(insertion_covariance_lvlh=covariance.tolist())
    draws = dispersions.draw(17, 0, 40_000, n_burns=0, n_targets=0).insertion_lvlh
    sample = np.cov(draws, rowvar=False)
    # standard error of a covariance estimate: sqrt((s_ii s_jj + s_ij^2) / n)
    standard_error = np.sqrt((np.outer(np.diag(covariance), np.diag(covariance))
                              + covariance**2) / draws.shape[0])
    assert np.all(np.abs(sample - covariance) < 5 * standard_error)
    assert np.all(np.abs(draws.mean(axis=0)) < 5 * sigmas / math.sqrt(draws.shape[0]))


@pytest.mark.parametrize("matrix, fragment", [
    (np.eye(5), "6x6"),
    (np.eye(6) + np.diag(np.ones(5), 1), "symmetric"),
    (np.diag([1.0, 1.0, 1.0, 1.0, 1.0, -1.0]), "positive semi-definite"),
])
def test_bad_insertion_covariances_are_refused(matrix, fragment):
    with pytest.raises(ValueError, match=fragment):
        Dispersions(insertion_covariance_lvlh=matrix.tolist())


def test_covariance_and_insertion_components_exclude_each_other():
    with pytest.raises(ValueError, match="not both"):
        Dispersions(Dispersions.from_specs(["insertion_z_m=normal(0, 1)"]).varied,
                    insertion_covariance_lvlh=np.eye(6).tolist())
