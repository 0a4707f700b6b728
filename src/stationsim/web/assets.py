"""Front-end files the dashboard serves itself: pinned npm packages, kept out of git and wheel.

Each package of :data:`PACKAGES` is one tarball of the npm registry, fetched over HTTPS with the
standard library (no npm needed), checked against its pinned sha512 (the registry's
``dist.integrity``) before anything is unpacked, and cut down to the few files the pages use:

- ``cesium/``: the prebuilt ``Build/Cesium`` of CesiumJS (about 14 MB: Cesium.js, Workers,
  Widgets, ThirdParty and Assets with the NaturalEarthII imagery);
- ``swagger-ui/``: the bundle and stylesheet of Swagger UI for the API page ``/docs``.

They go to ``$STATIONSIM_WEB_ASSETS`` if set, else ``web/static/vendor/`` of the package when
that is writable (an editable install), else the user's cache folder. ``stationsim serve``
fetches them on its first start; ``python -m stationsim.web.assets`` does it ahead (CI, or a
machine that will serve without network). Nothing else is ever fetched: the pages load only
these files and the run data, and use no Cesium ion service.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import os
import shutil
import tarfile
import tempfile
import urllib.error
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from stationsim.errors import StationsimError

if TYPE_CHECKING:
    from rich.console import Console


class NpmFiles(NamedTuple):
    package: str
    version: str
    integrity: str  # "sha512-<base64>", the registry's dist.integrity of the tarball
    prefix: str  # folder of the tarball whose entries are kept
    kept: tuple[str, ...]  # first path components kept under ``prefix``

    @property
    def label(self) -> str:
        return f"{self.package}@{self.version}"


PACKAGES = {
    "cesium": NpmFiles(
        "cesium", "1.145.0",
        "sha512-6Azix8b5LPpoVSx8XQ6zPztpluJVmq+CEO3W2rOWxtc6bri6Nc9MvCYhKmTW1LAEwfisV7yzNgfulCX"
        "w9842+g==",
        "package/Build/Cesium/", ("Cesium.js", "Assets", "ThirdParty", "Widgets", "Workers")),
    "swagger-ui": NpmFiles(
        "swagger-ui-dist", "5.35.0",
        "sha512-U06rpMtW9V3XPGOBeamTUSr0Z09jMX4IJuANpE/EZbAhw0G8CgwrzU4YmXkn/h0wCDNsXdGarTNNHC3"
        "sU8yVUQ==",
        "package/", ("swagger-ui-bundle.js", "swagger-ui.css")),
}
ASSETS_ENV = "STATIONSIM_WEB_ASSETS"
REGISTRY_ENV = "STATIONSIM_NPM_REGISTRY"
DEFAULT_REGISTRY = "https://registry.npmjs.org"
VERSION_FILE = "stationsim-version.txt"
FETCH_COMMAND = "python -m stationsim.web.assets"
TIMEOUT_S = 60.0
CHUNK_BYTES = 1 << 16

Progress = Callable[[str, int, int | None], None]
"""Called as ``progress(label, bytes_so_far, total_bytes_or_None)`` while a tarball downloads."""


def assets_dir() -> Path:
    """Where the vendored files live (module doc): the variable, the package's, or the cache."""
    configured = os.environ.get(ASSETS_ENV)
    if configured:
        return Path(configured)
    packaged = Path(__file__).parent / "static" / "vendor"
    if packaged.exists() or os.access(packaged.parent, os.W_OK):
        return packaged
    cache = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(cache) / "stationsim" / "web-assets"


def missing_packages(folder: Path) -> list[str]:
    """Names of :data:`PACKAGES` not complete at their pinned version in ``folder``."""
    return [name for name, files in PACKAGES.items() if not _complete(files, folder / name)]


def check_assets(folder: Path | None = None) -> Path:
    """The assets folder if every package is there, else StationsimError saying how to fix."""
    folder = folder or assets_dir()
    missing = missing_packages(folder)
    if missing:
        raise StationsimError(
            f"{' and '.join(missing)} missing from {folder}; fetch them once with "
            f"'{FETCH_COMMAND}' (or start 'stationsim serve', which fetches them) or point "
            f"{ASSETS_ENV} at a folder holding them")
    return folder


def tarball_url(files: NpmFiles, registry: str | None = None) -> str:
    """The registry's tarball URL of ``files`` (``<registry>/<name>/-/<base>-<version>.tgz``)."""
    registry = (registry or os.environ.get(REGISTRY_ENV) or DEFAULT_REGISTRY).rstrip("/")
    base = files.package.rsplit("/", 1)[-1]
    return f"{registry}/{files.package}/-/{base}-{files.version}.tgz"


def fetch_assets(folder: Path | None = None, progress: Progress | None = None) -> Path:
    """Download, check and unpack every package of :data:`PACKAGES` missing from ``folder``
    (those present at the pinned version are kept); StationsimError if the registry cannot
    be reached or a tarball does not match its checksum (nothing is then left behind)."""
    folder = folder or assets_dir()
    for name in missing_packages(folder):
        _fetch(PACKAGES[name], folder / name, progress)
    return check_assets(folder)


def _complete(files: NpmFiles, target: Path) -> bool:
    stamp = target / VERSION_FILE
    return (stamp.is_file() and stamp.read_text() == files.label
            and all((target / kept).exists() for kept in files.kept))


def _fetch(files: NpmFiles, target: Path, progress: Progress | None) -> None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StationsimError(f"cannot write the dashboard's files to {target.parent} "
                              f"({exc.strerror}); set {ASSETS_ENV} to a writable folder") from None
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".fetch-") as scratch:
        tarball = Path(scratch) / "package.tgz"
        _download(tarball_url(files), files, tarball, progress)
        unpacked = Path(scratch) / "unpacked"
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith(files.prefix)
                       and m.name[len(files.prefix):].split("/")[0] in files.kept]
            for member in members:
                member.name = member.name[len(files.prefix):]
            archive.extractall(unpacked, members=members, filter="data")
        (unpacked / VERSION_FILE).write_text(files.label)
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)


def _download(url: str, files: NpmFiles, path: Path, progress: Progress | None) -> None:
    """Stream ``url`` into ``path``, hashing as it comes; refuse it unless it matches."""
    algorithm, _, expected = files.integrity.partition("-")
    digest = hashlib.new(algorithm)
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_S) as response, path.open("wb") as out:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            done = 0
            while chunk := response.read(CHUNK_BYTES):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if progress:
                    progress(files.label, done, total)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", None) or exc
        raise StationsimError(
            f"could not fetch {files.label} from {url} ({reason}); on a machine without network, "
            f"run '{FETCH_COMMAND} --dir DIR' elsewhere, copy DIR here and set {ASSETS_ENV}"
        ) from None
    actual = base64.b64encode(digest.digest()).decode()
    if actual != expected:
        raise StationsimError(f"{url}: {algorithm} checksum {actual} does not match the pinned "
                              f"{expected} of {files.label}; nothing was unpacked")


def fetch_with_bar(folder: Path | None = None, console: Console | None = None) -> Path:
    """:func:`fetch_assets` with a Rich download bar and one line saying what and why."""
    from rich.console import Console
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TransferSpeedColumn

    folder = folder or assets_dir()
    missing = missing_packages(folder)
    if not missing:
        return folder
    console = console or Console(markup=False)
    labels = ", ".join(PACKAGES[name].label for name in missing)
    console.print(f"fetching the dashboard's web files once ({labels}) from the npm registry "
                  f"into {folder}", highlight=False, soft_wrap=True)
    with Progress(TextColumn("{task.description}"), BarColumn(), DownloadColumn(),
                  TransferSpeedColumn(), console=console, transient=True) as bar:
        tasks = {PACKAGES[name].label: bar.add_task(PACKAGES[name].label, total=None)
                 for name in missing}
        return fetch_assets(folder, lambda label, done, total: bar.update(
            tasks[label], completed=done, total=total))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch CesiumJS and Swagger UI for "
                                                 "'stationsim serve' from the npm registry.")
    parser.add_argument("--dir", type=Path, default=None,
                        help=f"target folder (default ${ASSETS_ENV}, the package's or the cache)")
    arguments = parser.parse_args(argv)
    try:
        print(fetch_with_bar(arguments.dir))
    except StationsimError as exc:
        print(f"error: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
