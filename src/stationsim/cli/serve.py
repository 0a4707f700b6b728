"""``stationsim serve``: the web dashboard over the run folders (FastAPI on uvicorn)."""

from __future__ import annotations

from pathlib import Path

import typer

from stationsim.cli.app import app


@app.command()
def serve(
    runs_dir: Path = typer.Option(Path("runs"), "--runs", help="folder of the run folders"),
    host: str = typer.Option("127.0.0.1", "--host",
                             help="address to listen on (default: this machine only)"),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port, 1 to 65535"),
) -> None:
    """Serve the dashboard: runs, 3D globe, port timeline, crew, configuration, report plots.

    The first start fetches the dashboard's web files (CesiumJS, Swagger UI) from the npm
    registry; later starts need no network.
    """
    import uvicorn

    from stationsim.cli.output import console
    from stationsim.web.app import create_app
    from stationsim.web.assets import fetch_with_bar

    if runs_dir.exists() and not runs_dir.is_dir():
        raise ValueError(f"--runs {runs_dir}: a file (expected the folder of the run folders)")
    _check_address(host, port)
    web_app = create_app(runs_dir, assets=fetch_with_bar(console=console))
    console.print(f"stationsim dashboard on http://{host}:{port}/ (runs in {runs_dir}); "
                  "Ctrl-C stops it", highlight=False, soft_wrap=True)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")


def _check_address(host: str, port: int) -> None:
    """Refuse a --host that does not resolve or a --port already taken, before the server
    starts (uvicorn would log the error and exit 1 without naming the option)."""
    import socket

    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except (OSError, UnicodeError) as exc:
        raise ValueError(f"--host {host!r} is not an address to listen on ({exc})") from None
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            raise ValueError(f"cannot listen on --host {host} --port {port} "
                             f"({exc.strerror or exc})") from None
