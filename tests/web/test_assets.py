"""Fetching the dashboard's web files from a registry's tarballs: checksum, cut-down, progress.

A registry on 127.0.0.1 serves tarballs made here, laid out as the npm registry lays them
(``<name>/-/<name>-<version>.tgz``), so these tests need no network.
"""

from __future__ import annotations

import base64
import hashlib
import http.server
import io
import tarfile
import threading

import pytest

from stationsim.errors import StationsimError
from stationsim.web import assets
from stationsim.web.assets import VERSION_FILE, NpmFiles, fetch_assets, tarball_url


def _tarball(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as archive:
        for name, content in files.items():
            entry = tarfile.TarInfo(name)
            entry.size = len(content)
            archive.addfile(entry, io.BytesIO(content))
    return buffer.getvalue()


def _integrity(content: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(content).digest()).decode()


TARBALL = _tarball({
    "package/dist/lib.js": b"console.log('lib');\n",
    "package/dist/css/lib.css": b"body{}\n",
    "package/dist/unused.map": b"x" * 5000,
    "package/README.md": b"readme\n",
})


@pytest.fixture
def registry(monkeypatch):
    """A registry on a free local port serving TARBALL as demo-lib 1.2.3; yields the request
    paths it answered."""
    answered = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            answered.append(self.path)
            if self.path != "/demo-lib/-/demo-lib-1.2.3.tgz":
                self.send_error(404)
                return
            self.send_response(200)
            self.send_header("Content-Length", str(len(TARBALL)))
            self.end_headers()
            self.wfile.write(TARBALL)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv(assets.REGISTRY_ENV, f"http://127.0.0.1:{server.server_port}")
    yield answered
    server.shutdown()
    server.server_close()


def _pin(monkeypatch, integrity: str) -> NpmFiles:
    files = NpmFiles("demo-lib", "1.2.3", integrity, "package/dist/", ("lib.js", "css"))
    monkeypatch.setattr(assets, "PACKAGES", {"demo": files})
    return files


def test_the_url_is_the_registrys_tarball_path():
    files = NpmFiles("@scope/pkg", "2.0.0", "sha512-x", "package/", ("a",))
    assert tarball_url(files, "https://example.test/") == \
        "https://example.test/@scope/pkg/-/pkg-2.0.0.tgz"


def test_a_matching_tarball_is_unpacked_to_the_kept_files_only(registry, monkeypatch, tmp_path):
    files = _pin(monkeypatch, _integrity(TARBALL))
    seen = []
    folder = fetch_assets(tmp_path / "vendor", progress=lambda *args: seen.append(args))
    demo = folder / "demo"
    assert (demo / "lib.js").read_bytes() == b"console.log('lib');\n"
    assert (demo / "css" / "lib.css").is_file()
    assert sorted(p.name for p in demo.iterdir()) == ["css", "lib.js", VERSION_FILE]
    assert (demo / VERSION_FILE).read_text() == files.label
    assert seen[-1] == (files.label, len(TARBALL), len(TARBALL))
    # A second call finds the pinned version in place and asks the registry nothing.
    fetch_assets(tmp_path / "vendor")
    assert registry == ["/demo-lib/-/demo-lib-1.2.3.tgz"]


def test_a_tarball_that_does_not_match_its_checksum_is_refused(registry, monkeypatch, tmp_path):
    _pin(monkeypatch, _integrity(TARBALL + b"tampered"))
    with pytest.raises(StationsimError, match="checksum .* does not match the pinned"):
        fetch_assets(tmp_path / "vendor")
    assert list((tmp_path / "vendor").iterdir()) == []  # no file, no scratch folder left


def test_a_registry_out_of_reach_says_how_to_do_without(monkeypatch, tmp_path):
    _pin(monkeypatch, _integrity(TARBALL))
    monkeypatch.setenv(assets.REGISTRY_ENV, "http://127.0.0.1:9")  # the discard port: refused
    with pytest.raises(StationsimError,
                       match=f"could not fetch demo-lib@1.2.3 .*{assets.ASSETS_ENV}"):
        fetch_assets(tmp_path / "vendor")


def test_a_changed_pin_is_fetched_again(registry, monkeypatch, tmp_path):
    _pin(monkeypatch, _integrity(TARBALL))
    (tmp_path / "demo").mkdir()
    (tmp_path / "demo" / "lib.js").write_text("old")
    (tmp_path / "demo" / VERSION_FILE).write_text("demo-lib@1.0.0")
    assert assets.missing_packages(tmp_path) == ["demo"]
    fetch_assets(tmp_path)
    assert (tmp_path / "demo" / "lib.js").read_text().startswith("console.log")


def test_the_pins_are_sha512_integrity_strings():
    for files in assets.PACKAGES.values():
        algorithm, _, digest = files.integrity.partition("-")
        assert algorithm == "sha512" and len(base64.b64decode(digest)) == 64


def test_serve_fetches_once_with_a_word_and_a_bar(registry, monkeypatch, tmp_path):
    from rich.console import Console

    _pin(monkeypatch, _integrity(TARBALL))
    screen = Console(file=io.StringIO(), width=100, markup=False)
    assert assets.fetch_with_bar(tmp_path, console=screen) == tmp_path
    said = screen.file.getvalue()
    assert "fetching the dashboard's web files once (demo-lib@1.2.3)" in said
    again = Console(file=io.StringIO(), width=100, markup=False)
    assets.fetch_with_bar(tmp_path, console=again)
    assert again.file.getvalue() == "" and len(registry) == 1
