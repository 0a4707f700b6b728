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
    port: int = typer.Option(8000, "--port", help="TCP port"),
) -> None:
    """Serve the dashboard: runs, 3D globe, port timeline, crew, configuration, report plots."""
    import uvicorn

    from stationsim.cli.output import console
    from stationsim.web.app import create_app

    web_app = create_app(runs_dir)
    console.print(f"stationsim dashboard on http://{host}:{port}/ (runs in {runs_dir}); "
                  "Ctrl-C stops it", highlight=False, soft_wrap=True)
    uvicorn.run(web_app, host=host, port=port, log_level="warning")
