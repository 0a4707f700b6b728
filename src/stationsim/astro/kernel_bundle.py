"""The compiled kernels shipped in the package: Numba's cache files, seeded into an empty cache.

Compiling the kernels is most of the first run after an install (about 15 s of CPU). The
package ships Numba's disk-cache files of every kernel the commands call (``data/kernels/``
beside this module), built from the present sources by ``python -m
stationsim.astro.kernel_bundle``, with a manifest of what they were built for: the SHA-256 of
the kernel sources (:func:`stationsim.astro.kernel_cache.sources_digest`), Python, Numba,
llvmlite and NumPy, and the CPU Numba compiled for (LLVM's target triple, CPU name and
features: the codegen's "magic tuple"). :func:`seed` copies a kernel's files into a cache
directory that has no index for it when every one of these equals this process's, and Numba
then loads the kernel instead of compiling it. Anything else (another CPU, another Numba,
edited sources, a file whose SHA-256 is not the manifest's, an unwritable directory) copies
nothing and the kernels compile as without a bundle: the bundle serves machines whose CPU
name and features equal the building machine's.

Numba internals relied on (Numba 0.68; the bundle is only used with the Numba version that
wrote it):

- a dispatcher's cache directory is ``dispatcher._cache._cache_path`` (found by
  :mod:`stationsim.astro.kernel_cache`);
- a kernel's files are named from its module, name, first line and Python version alone
  (``kepler.j2_secular_kernel-188.py311.nbi``, its index, and ``...py311.1.nbc``, one per
  signature), not from the source's place, so the same names serve any install;
- the index is stamped with the SHA-256 of the source file's contents (``get_source_stamp``),
  not its time or place, so a copy stays fresh in a new install, and each entry is keyed by
  signature, magic tuple and the function's byte code, which Numba checks itself on loading;
- ``numba.core.registry.cpu_target.target_context.codegen().magic_tuple()``.

Were one of these to change, a copied index would not match (Numba compiles and overwrites
it) or no copy would be made; :func:`seed` never raises.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

BUNDLE_DIR = Path(__file__).parent / "data" / "kernels"
MANIFEST = "manifest.json"
FORMAT = 1  # of the manifest
BUILD_COMMAND = "python -m stationsim.astro.kernel_bundle"
# Run by the build in a fresh process with an empty NUMBA_CACHE_DIR: no seeding from the old
# bundle, every kernel compiled, then the CPU target printed.
_BUILD_SCRIPT = """
import json, sys
from pathlib import Path
import stationsim.astro.kernel_bundle as bundle
bundle.BUNDLE_DIR = Path(sys.argv[1])
from stationsim.astro.compile import compile_every_kernel
compile_every_kernel()
print(json.dumps(bundle.target()))
"""


def versions() -> dict[str, str]:
    """What the cached code depends on besides the sources and the CPU: Python (implementation,
    version and ABI flags, as in the cache's file names), Numba, llvmlite and NumPy."""
    import llvmlite
    import numba
    import numpy

    return {"python": f"{sys.implementation.cache_tag}{sys.abiflags}",
            "numba": numba.__version__, "llvmlite": llvmlite.__version__,
            "numpy": ".".join(numpy.__version__.split(".")[:2])}


def target() -> list[str]:
    """Numba's magic tuple for this process's CPU: target triple, CPU name, CPU features."""
    from numba.core.registry import cpu_target

    return [str(part) for part in cpu_target.target_context.codegen().magic_tuple()]


def read_manifest() -> dict | None:
    """The bundle's manifest, or None (no bundle, or one of another format)."""
    try:
        manifest = json.loads((BUNDLE_DIR / MANIFEST).read_text("utf-8"))
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) and manifest.get("format") == FORMAT else None


def mismatch(manifest: dict, digest: str) -> str | None:
    """Why the bundle of ``manifest`` does not serve this process (kernel sources of SHA-256
    ``digest``), or None when it does."""
    if manifest["sources_sha256"] != digest:
        return f"built from other kernel sources: rebuild it with {BUILD_COMMAND}"
    if manifest["versions"] != versions():
        return f"built for {manifest['versions']}, not {versions()}"
    built, here = manifest["target"], target()
    if built[:2] != here[:2]:
        return f"built for the CPU {built[1]} ({built[0]}), not {here[1]} ({here[0]})"
    if built != here:
        return f"built for {built[1]} with other CPU features than this machine's"
    return None


def seed(cache_dir: str | Path, digest: str) -> int:
    """Copy into ``cache_dir`` the bundle's kernels that have no index there, if the bundle
    serves this process (:func:`mismatch`); returns the number of kernels copied (0 on any
    mismatch or failure: the kernels compile instead)."""
    copied = 0
    try:
        manifest = read_manifest()
        if manifest is None:
            return 0
        directory = Path(cache_dir)
        missing = [index for index in manifest["kernels"] if not (directory / index).exists()]
        if not missing or mismatch(manifest, digest):
            return 0
        for index in missing:
            for name in [*manifest["kernels"][index], index]:  # the index after its data
                data = (BUNDLE_DIR / name).read_bytes()
                if hashlib.sha256(data).hexdigest() != manifest["sha256"][name]:
                    return copied
                partial = directory / f"{name}.{os.getpid()}-{threading.get_ident()}.part"
                partial.write_bytes(data)
                os.replace(partial, directory / name)
            copied += 1
    except Exception:  # noqa: BLE001 - a bundle that cannot be used: the kernels compile
        pass
    return copied


def build(directory: Path = BUNDLE_DIR) -> dict:
    """Compile every kernel in a fresh process with an empty Numba cache and write its cache
    files and manifest to ``directory`` (replacing what was there); returns the manifest."""
    from stationsim.astro.kernel_cache import sources_digest

    with tempfile.TemporaryDirectory() as scratch:
        env = dict(os.environ, NUMBA_CACHE_DIR=str(Path(scratch) / "numba"))
        done = subprocess.run([sys.executable, "-c", _BUILD_SCRIPT, str(Path(scratch) / "none")],
                              env=env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"compiling the kernels failed:\n{done.stderr}")
        caches = [path for path in Path(env["NUMBA_CACHE_DIR"]).iterdir()
                  if any(path.glob("*.nbi"))]
        if len(caches) != 1:
            raise RuntimeError(f"the kernels cache in {caches}; expected one directory")
        cache = caches[0]
        kernels = {index.name: sorted(data.name for data in cache.glob(f"{index.stem}.*.nbc"))
                   for index in sorted(cache.glob("*.nbi"))}
        names = [name for index, data in kernels.items() for name in (index, *data)]
        manifest = {"format": FORMAT, "sources_sha256": sources_digest(),
                    "versions": versions(), "target": json.loads(done.stdout.splitlines()[-1]),
                    "kernels": kernels,
                    "sha256": {name: hashlib.sha256((cache / name).read_bytes()).hexdigest()
                               for name in names}}
        fresh = directory.with_name(f"{directory.name}.new")
        shutil.rmtree(fresh, ignore_errors=True)
        fresh.mkdir(parents=True)
        for name in names:
            shutil.copyfile(cache / name, fresh / name)
        (fresh / MANIFEST).write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        fresh.rename(directory)
    return manifest


def main() -> None:
    """Build the bundle (:func:`build`) and say what it holds."""
    manifest = build()
    size = sum(path.stat().st_size for path in BUNDLE_DIR.iterdir())
    print(f"{len(manifest['kernels'])} kernels, {len(manifest['sha256'])} files, "
          f"{size / 1e6:.2f} MB in {BUNDLE_DIR}, for {manifest['target'][1]} "
          f"({manifest['target'][0]}), {', '.join(manifest['versions'].values())}")


if __name__ == "__main__":
    main()
