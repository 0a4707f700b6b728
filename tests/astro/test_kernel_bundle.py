"""The kernels shipped in the package: built from the present sources, loaded by a fresh install
without compiling when they serve the machine, ignored otherwise, and flying the numbers of
freshly compiled kernels to the bit."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import stationsim
from stationsim.astro import kernel_bundle
from stationsim.astro.kernel_bundle import (
    BUILD_COMMAND,
    FORMAT,
    MANIFEST,
    mismatch,
    read_manifest,
    seed,
    target,
    versions,
)
from stationsim.astro.kernel_cache import KERNEL_FILES, sources_digest

# In a fresh process: the bundle from argv[1], then a 6-hour flight at J2..J6 with drag (and
# the J2-secular and Kepler steps) saved to argv[2], then (argv[3] == "every") every other
# kernel; prints the kernels Numba compiled and where stationsim was imported from.
_FLY = """
import json, sys
from pathlib import Path
import numpy as np
from numba.core.event import install_recorder
import stationsim
import stationsim.astro.kernel_bundle as bundle
bundle.BUNDLE_DIR = Path(sys.argv[1])
with install_recorder("numba:compile") as recorder:
    from stationsim.astro.atmosphere import exponential_table
    from stationsim.astro.compile import compile_every_kernel
    from stationsim.astro.kepler import propagate_j2_secular, propagate_kepler
    from stationsim.astro.propagate import Numerical
    from stationsim.astro.time import Epoch
    epoch = Epoch(0.0)
    r_m, v_mps = np.array([6778137.0, 0.0, 0.0]), np.array([0.0, 4782.8, 6034.4])
    orbit = Numerical(epoch, r_m, v_mps, cd_area_over_mass_m2pkg=0.01,
                      density_table=exponential_table())
    r_out, v_out = orbit.states(epoch + np.arange(0.0, 6 * 3600.0 + 1.0, 60.0))
    j2 = propagate_j2_secular(r_m, v_mps, np.arange(0.0, 86400.0, 600.0))
    two_body = propagate_kepler(r_m, v_mps, np.arange(0.0, 86400.0, 600.0))
    np.savez(sys.argv[2], r=r_out, v=v_out, j2_r=j2[0], j2_v=j2[1], kepler_r=two_body[0],
             kepler_v=two_body[1])
    if sys.argv[3] == "every":
        compile_every_kernel()
compiled = sorted({event.data["dispatcher"].__name__ for _, event in recorder.buffer
                   if event.is_start})
print(json.dumps({"compiled": compiled, "stationsim": stationsim.__file__}))
"""


def _fly(tmp: Path, package_parent: Path, bundle: Path, every: bool) -> tuple[dict, dict]:
    """Run :data:`_FLY` with stationsim from ``package_parent`` and an empty Numba cache:
    (its report, its arrays)."""
    env = dict(os.environ, PYTHONPATH=str(package_parent), NUMBA_CACHE_DIR=str(tmp / "numba"))
    done = subprocess.run(
        [sys.executable, "-c", _FLY, str(bundle), str(tmp / "flown.npz"),
         "every" if every else "run"],
        env=env, capture_output=True, text=True, check=True, cwd=tmp)
    with np.load(tmp / "flown.npz") as flown:
        return json.loads(done.stdout.splitlines()[-1]), dict(flown)


def _skip_unless_the_bundle_serves_this_machine() -> None:
    manifest = read_manifest()
    if manifest is None:
        pytest.skip(f"no kernel bundle: build it with {BUILD_COMMAND}")
    reason = mismatch(manifest, sources_digest())
    if reason:
        pytest.skip(f"the shipped kernels do not serve this machine: {reason}")


@pytest.fixture(scope="module")
def from_the_bundle(tmp_path_factory):
    """The flight of a fresh install (the package copied: new place, new file times) whose
    empty Numba cache is seeded from the shipped kernels, then every kernel loaded."""
    _skip_unless_the_bundle_serves_this_machine()
    tmp = tmp_path_factory.mktemp("install")
    package = Path(stationsim.__file__).parent
    shutil.copytree(package, tmp / "site" / "stationsim", copy_function=shutil.copy,
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    bundle = tmp / "site" / "stationsim" / kernel_bundle.BUNDLE_DIR.relative_to(package)
    return _fly(tmp, tmp / "site", bundle, every=True)


def test_the_shipped_bundle_is_built_from_the_present_sources():
    manifest = read_manifest()
    assert manifest is not None, f"no kernel bundle: build it with {BUILD_COMMAND}"
    assert manifest["sources_sha256"] == sources_digest(), (
        f"the shipped kernels were built from other kernel sources: rebuild them with "
        f"{BUILD_COMMAND} and commit {kernel_bundle.BUNDLE_DIR}")
    files = {path.name for path in kernel_bundle.BUNDLE_DIR.iterdir()}
    assert files == {MANIFEST, *manifest["sha256"]}
    for name, digest in manifest["sha256"].items():
        assert hashlib.sha256((kernel_bundle.BUNDLE_DIR / name).read_bytes()).hexdigest() == digest
    # a kernel of every module with cached kernels, each with its index and one signature
    modules = {index.split(".")[0] for index in manifest["kernels"]}
    assert modules == {name.removesuffix(".py") for name in KERNEL_FILES}
    assert all(len(data) == 1 for data in manifest["kernels"].values())


def test_a_fresh_install_loads_the_shipped_kernels_without_compiling(from_the_bundle, tmp_path):
    report, _ = from_the_bundle
    assert Path(report["stationsim"]).parent.parent.name == "site"  # the copy, not this tree
    assert report["compiled"] == []


def test_kernels_of_another_digest_compile_and_fly_the_bundles_numbers_to_the_bit(
        from_the_bundle, tmp_path):
    # Fresh and cached code can contract multiply-adds differently (docs/performance.md):
    # a bundle-loaded kernel must fly what a freshly compiled one flies, bit for bit.
    bundle = tmp_path / "bundle"
    shutil.copytree(kernel_bundle.BUNDLE_DIR, bundle)
    manifest = json.loads((bundle / MANIFEST).read_text("utf-8"))
    manifest["sources_sha256"] = "0" * 64
    (bundle / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    fresh_report, fresh = _fly(tmp_path, Path(stationsim.__file__).parent.parent, bundle,
                               every=False)
    assert {"propagate_kernel", "j2_secular_kernel",
            "kepler_universal_kernel"} <= set(fresh_report["compiled"])
    _, loaded = from_the_bundle
    assert np.all(np.isfinite(fresh["r"]))
    for name, values in fresh.items():
        assert values.tobytes() == loaded[name].tobytes(), (
            name, float(np.max(np.abs(values - loaded[name]))))


# --- seeding, on a bundle made up here for this machine -----------------------------------
def _made_up_bundle(folder: Path) -> dict:
    """Two kernels' files and a manifest that serves this process; returns the manifest."""
    kernels = {"kepler.f-10.py311.nbi": ["kepler.f-10.py311.1.nbc"],
               "lambert.g-20.py311.nbi": ["lambert.g-20.py311.1.nbc", "lambert.g-20.py311.2.nbc"]}
    folder.mkdir()
    names = [name for index, data in kernels.items() for name in (index, *data)]
    for name in names:
        (folder / name).write_bytes(name.encode() * 3)
    manifest = {"format": FORMAT, "sources_sha256": sources_digest(), "versions": versions(),
                "target": target(), "kernels": kernels,
                "sha256": {name: hashlib.sha256(name.encode() * 3).hexdigest() for name in names}}
    (folder / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    return manifest


@pytest.fixture
def made_up(tmp_path, monkeypatch):
    monkeypatch.setattr(kernel_bundle, "BUNDLE_DIR", tmp_path / "bundle")
    cache = tmp_path / "cache"
    cache.mkdir()
    return _made_up_bundle(tmp_path / "bundle"), cache


def test_the_missing_kernels_are_copied_once(made_up):
    manifest, cache = made_up
    (cache / "kepler.f-10.py311.nbi").write_bytes(b"compiled here")
    assert seed(cache, sources_digest()) == 1  # lambert.g only: kepler.f has its index
    assert (cache / "kepler.f-10.py311.nbi").read_bytes() == b"compiled here"
    assert sorted(p.name for p in cache.iterdir()) == sorted(
        ["kepler.f-10.py311.nbi", "lambert.g-20.py311.nbi", *manifest["kernels"][
            "lambert.g-20.py311.nbi"]])
    assert (cache / "lambert.g-20.py311.2.nbc").read_bytes() == b"lambert.g-20.py311.2.nbc" * 3
    assert seed(cache, sources_digest()) == 0


@pytest.mark.parametrize(("field", "other", "why"), [
    ("sources_sha256", lambda: "0" * 64, BUILD_COMMAND),
    ("versions", lambda: {**versions(), "numba": "0.0.1"}, "built for"),
    ("target", lambda: [*target()[:2], "+avx512f"], "other CPU features"),
    ("target", lambda: [target()[0], "another-cpu", target()[2]], "another-cpu"),
])
def test_a_bundle_for_other_sources_versions_or_cpus_is_ignored(made_up, field, other, why):
    manifest, cache = made_up
    assert mismatch(manifest, sources_digest()) is None
    manifest[field] = other()
    assert why in mismatch(manifest, sources_digest())
    (kernel_bundle.BUNDLE_DIR / MANIFEST).write_text(json.dumps(manifest), "utf-8")
    assert seed(cache, sources_digest()) == 0
    assert list(cache.iterdir()) == []


def test_a_damaged_file_is_not_copied_and_nothing_raises(made_up, tmp_path):
    manifest, cache = made_up
    (kernel_bundle.BUNDLE_DIR / "lambert.g-20.py311.2.nbc").write_bytes(b"truncated")
    assert seed(cache, sources_digest()) == 1  # kepler.f; lambert.g stops at its bad file
    assert "lambert.g-20.py311.nbi" not in {p.name for p in cache.iterdir()}
    assert seed(tmp_path / "no" / "such" / "folder", sources_digest()) == 0
    (kernel_bundle.BUNDLE_DIR / MANIFEST).write_text("{not json", "utf-8")
    assert seed(cache, sources_digest()) == 0
    (kernel_bundle.BUNDLE_DIR / MANIFEST).write_text(json.dumps({"format": FORMAT}), "utf-8")
    assert seed(tmp_path / "empty", sources_digest()) == 0
    shutil.rmtree(kernel_bundle.BUNDLE_DIR)
    assert seed(cache, sources_digest()) == 0
