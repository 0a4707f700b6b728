"""The kernels a run uses compile once, for one signature, and can compile in the background."""

from __future__ import annotations

import numpy as np

from stationsim.astro import integrate, kepler
from stationsim.astro.atmosphere import exponential_table
from stationsim.astro.compile import compile_kernels_in_background
from stationsim.astro.kepler import propagate_j2_secular, propagate_kepler
from stationsim.campaign.sample import coast


def test_background_compilation_is_one_thread_per_process_and_compiles_the_kernels():
    thread = compile_kernels_in_background()
    assert compile_kernels_in_background() is thread
    thread.join(timeout=600)
    assert not thread.is_alive()
    for kernel in (integrate.propagate_kernel, kepler.j2_secular_kernel,
                   kepler.kepler_universal_kernel):
        assert len(kernel.signatures) == 1, kernel


def test_broadcast_read_only_and_strided_inputs_reuse_the_one_signature():
    r_m = np.array([6778137.0, 0.0, 0.0])
    v_mps = np.array([0.0, 4782.8, 6034.4])
    frozen = r_m.copy()
    frozen.flags.writeable = False
    wide = np.zeros((2, 6))
    wide[:, :3] = r_m
    for propagate in (propagate_j2_secular, propagate_kepler):
        propagate(r_m, v_mps, 60.0)
        propagate(np.broadcast_to(r_m, (4, 3)), v_mps, np.arange(4.0))  # read-only views
        propagate(frozen, v_mps, 60.0)
        propagate(wide[:, :3], np.vstack([v_mps, v_mps]), 60.0)  # strided rows
    # the campaign's coast calls the J2 kernel itself
    coast(frozen[None, :], v_mps[None, :], np.array([60.0]), np.zeros(1), np.zeros(1),
          exponential_table())
    assert len(kepler.j2_secular_kernel.signatures) == 1
    assert len(kepler.kepler_universal_kernel.signatures) == 1
