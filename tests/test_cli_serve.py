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


def test_serve_runs_that_is_a_file_refused(capsys, tmp_path):
    # was accepted: the server started over a runs "folder" that lists no run
    runs = tmp_path / "runs.txt"
    runs.write_text("not a folder\n", encoding="utf-8")
    assert main(["serve", "--runs", str(runs), "--port", "1"]) == 2
    assert capsys.readouterr().err == (f"error: --runs {runs}: a file (expected the folder of "
                                       "the run folders)\n")
