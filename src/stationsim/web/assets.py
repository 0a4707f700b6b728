"""Front-end files the dashboard serves itself: pinned npm packages, kept out of git and wheel.

``python -m stationsim.web.assets`` runs ``npm pack`` for each package of :data:`PACKAGES` (one
tarball each, no dependency tree) and unpacks the few files the dashboard needs into
``web/static/vendor/`` of the package, or into ``$STATIONSIM_WEB_ASSETS``:

- ``cesium/``: the prebuilt ``Build/Cesium`` of CesiumJS (about 14 MB: Cesium.js, Workers,
  Widgets, ThirdParty and Assets with the NaturalEarthII imagery);
- ``swagger-ui/``: the bundle and stylesheet of Swagger UI for the API page ``/docs``.

Nothing else is ever fetched: the pages load only these files and the run data, and use no
Cesium ion service.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import tarfile
import tempfile
from pathlib import Path
from typing import NamedTuple

from stationsim.errors import StationsimError


class NpmFiles(NamedTuple):
    package: str
    version: str
    prefix: str  # folder of the tarball whose entries are kept
    kept: tuple[str, ...]  # first path components kept under ``prefix``


PACKAGES = {
    "cesium": NpmFiles("cesium", "1.145.0", "package/Build/Cesium/",
                       ("Cesium.js", "Assets", "ThirdParty", "Widgets", "Workers")),
    "swagger-ui": NpmFiles("swagger-ui-dist", "5.35.0", "package/",
                           ("swagger-ui-bundle.js", "swagger-ui.css")),
}
ASSETS_ENV = "STATIONSIM_WEB_ASSETS"
VERSION_FILE = "stationsim-version.txt"
FETCH_COMMAND = "python -m stationsim.web.assets"


def assets_dir() -> Path:
    """Where the vendored files are looked for: ``$STATIONSIM_WEB_ASSETS`` or the package's."""
    configured = os.environ.get(ASSETS_ENV)
    return Path(configured) if configured else Path(__file__).parent / "static" / "vendor"


def check_assets(folder: Path | None = None) -> Path:
    """The assets folder if every package is there, else StationsimError saying how to fix."""
    folder = folder or assets_dir()
    missing = [name for name, files in PACKAGES.items()
               if not all((folder / name / kept).exists() for kept in files.kept)]
    if missing:
        raise StationsimError(
            f"{' and '.join(missing)} missing from {folder}; fetch them once with "
            f"'{FETCH_COMMAND}' (needs npm) or point {ASSETS_ENV} at a folder holding them")
    return folder


def _fetch(npm: str, files: NpmFiles, target: Path) -> None:
    label = f"{files.package}@{files.version}"
    if (target / VERSION_FILE).is_file() and (target / VERSION_FILE).read_text() == label:
        return
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        done = subprocess.run([npm, "pack", label, "--silent"], cwd=scratch,
                              capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise StationsimError(f"npm pack {label} failed: {done.stderr.strip()}")
        tarball = Path(scratch) / done.stdout.strip().splitlines()[-1]
        unpacked = Path(scratch) / "unpacked"
        with tarfile.open(tarball) as archive:
            members = [m for m in archive.getmembers() if m.name.startswith(files.prefix)
                       and m.name[len(files.prefix):].split("/")[0] in files.kept]
            for member in members:
                member.name = member.name[len(files.prefix):]
            archive.extractall(unpacked, members=members, filter="data")
        (unpacked / VERSION_FILE).write_text(label)
        if target.exists():
            shutil.rmtree(target)
        os.replace(unpacked, target)


def fetch_assets(folder: Path | None = None) -> Path:
    """Fetch every package of :data:`PACKAGES` with ``npm pack`` into ``folder`` (skipping those
    already there at the pinned version)."""
    folder = folder or assets_dir()
    npm = shutil.which("npm")
    if npm is None:
        raise StationsimError("npm is needed to fetch the dashboard's files "
                              "(Debian: apt-get install npm)")
    for name, files in PACKAGES.items():
        _fetch(npm, files, folder / name)
    return check_assets(folder)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Fetch CesiumJS and Swagger UI for "
                                                 "'stationsim serve'.")
    parser.add_argument("--dir", type=Path, default=None,
                        help=f"target folder (default ${ASSETS_ENV} or the package's)")
    arguments = parser.parse_args(argv)
    try:
        print(fetch_assets(arguments.dir))
    except StationsimError as exc:
        print(f"error: {exc}")
        return 2
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
