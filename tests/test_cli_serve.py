"""``stationsim serve``: its arguments are checked before the server starts."""

from __future__ import annotations

import socket

import pytest

from stationsim.cli import main


@pytest.mark.parametrize("port", ["-1", "0", "65536"])
def test_serve_port_out_of_range_refused(capsys, tmp_path, port):
    # --port -1 gave an OverflowError traceback from the socket layer
    assert main(["serve", "--runs", str(tmp_path), "--port", port]) == 2
    err = capsys.readouterr().err
    assert "--port" in err and "Traceback" not in err and "internal error" not in err


def test_serve_unknown_host_refused(capsys, tmp_path):
    assert main(["serve", "--runs", str(tmp_path), "--host", "no-such-host.invalid"]) == 2
    assert "--host 'no-such-host.invalid' is not an address" in capsys.readouterr().err


def test_serve_port_in_use_refused(capsys, tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        assert main(["serve", "--runs", str(tmp_path), "--port", str(port)]) == 2
    assert f"cannot listen on --host 127.0.0.1 --port {port}" in capsys.readouterr().err
