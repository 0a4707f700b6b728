"""Cached kernels are dropped when any kernel source changed, not only their own file, and an
emptied cache is seeded from the kernels shipped in the package."""

from __future__ import annotations

import hashlib
from pathlib import Path
from types import SimpleNamespace

import pytest

from stationsim.astro import kernel_bundle, kernel_cache


@pytest.fixture(autouse=True)
def no_bundle(tmp_path, monkeypatch):
    """No kernels shipped, unless a test asks for them."""
    monkeypatch.setattr(kernel_bundle, "BUNDLE_DIR", tmp_path / "no-bundle")


def _kernel(path: Path) -> SimpleNamespace:
    """Stands for a Numba dispatcher cached in ``path``."""
    return SimpleNamespace(_cache=SimpleNamespace(_cache_path=str(path)))


def _cache_files(path: Path) -> list[str]:
    for name in ("integrate.propagate_kernel-1.py311.nbi",
                 "integrate.propagate_kernel-1.py311.1.nbc"):
        (path / name).write_bytes(b"compiled")
    return sorted(p.name for p in path.glob("*.nb[ic]"))


def test_the_digest_is_the_sha256_of_every_kernel_source_in_order():
    here = Path(kernel_cache.__file__).parent
    expected = hashlib.sha256(b"".join((here / n).read_bytes() for n in kernel_cache.KERNEL_FILES))
    assert kernel_cache.sources_digest() == expected.hexdigest()
    # every module with cached kernels is in the list
    cached = {p.name for p in here.glob("*.py") if "cache=True" in p.read_text(encoding="utf-8")}
    assert cached == set(kernel_cache.KERNEL_FILES)


def test_kernels_of_other_sources_are_dropped_and_the_marker_rewritten(tmp_path):
    _cache_files(tmp_path)
    (tmp_path / kernel_cache.MARKER).write_text("0" * 64, encoding="ascii")
    kernel_cache.drop_stale({"propagate_kernel": _kernel(tmp_path), "other": 1})
    assert list(tmp_path.glob("*.nb[ic]")) == []
    assert (tmp_path / kernel_cache.MARKER).read_text() == kernel_cache.sources_digest()


def test_dropped_kernels_are_replaced_by_the_shipped_ones(tmp_path, monkeypatch):
    monkeypatch.undo()  # the package's own bundle
    manifest = kernel_bundle.read_manifest()
    reason = ("none shipped" if manifest is None
              else kernel_bundle.mismatch(manifest, kernel_cache.sources_digest()))
    if reason:
        pytest.skip(f"the shipped kernels do not serve this machine: {reason}")
    cache = tmp_path / "cache"
    cache.mkdir()
    _cache_files(cache)
    kernel_cache.drop_stale({"propagate_kernel": _kernel(cache)})
    assert {p.name for p in cache.glob("*.nb[ic]")} == set(manifest["sha256"])
    for name in manifest["sha256"]:
        assert (cache / name).read_bytes() == (kernel_bundle.BUNDLE_DIR / name).read_bytes()
    assert (cache / kernel_cache.MARKER).read_text() == kernel_cache.sources_digest()


def test_kernels_of_the_present_sources_are_kept(tmp_path):
    (tmp_path / kernel_cache.MARKER).write_text(kernel_cache.sources_digest(), encoding="ascii")
    kept = _cache_files(tmp_path)
    kernel_cache.drop_stale({"propagate_kernel": _kernel(tmp_path)})
    assert sorted(p.name for p in tmp_path.glob("*.nb[ic]")) == kept


def test_a_cache_without_a_marker_is_dropped_once_per_process(tmp_path):
    _cache_files(tmp_path)
    kernel_cache.drop_stale({"k": _kernel(tmp_path)})
    assert list(tmp_path.glob("*.nb[ic]")) == []
    kept = _cache_files(tmp_path)  # compiled again after the check
    (tmp_path / kernel_cache.MARKER).unlink()
    kernel_cache.drop_stale({"k": _kernel(tmp_path)})  # already checked: left alone
    assert sorted(p.name for p in tmp_path.glob("*.nb[ic]")) == kept


def test_every_kernel_module_checked_its_cache_on_import():
    from stationsim.astro import entry, forces, integrate, kepler, lambert, powered_flight

    for module in (entry, forces, integrate, kepler, lambert, powered_flight):
        paths = {v._cache._cache_path for v in vars(module).values()
                 if hasattr(getattr(v, "_cache", None), "_cache_path")}
        assert paths and paths <= kernel_cache._checked, module.__name__
