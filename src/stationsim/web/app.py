"""The FastAPI application of ``stationsim serve``: pages, JSON API (OpenAPI at /docs), assets.

Every route reads the run folders under ``runs_dir`` at request time, so a run written while the
server is up appears on the next page load. Unknown runs, objects or bad times answer 404 or 422
with a one-line ``detail``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated

import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from stationsim import __version__
from stationsim.results.export.source import (
    REPORT_NAME,
    list_runs,
    open_store,
)
from stationsim.web import data
from stationsim.web.assets import check_assets

HERE = Path(__file__).parent
TimeQuery = Annotated[str | None, Query(description="ISO-8601 UTC, e.g. 1995-06-29T13:00:00Z")]


def run_store(run: str, request: Request) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store of run ``run`` under the app's runs folder, read-only; 404 if there is none."""
    runs = request.app.state.runs_dir
    if run not in list_runs(runs):
        raise HTTPException(404, f"no run {run!r} in {runs}")
    with open_store(runs / run) as con:
        yield con


Store = Annotated[duckdb.DuckDBPyConnection, Depends(run_store)]


def create_app(runs_dir: str | os.PathLike = "runs", assets: Path | None = None) -> FastAPI:
    """The dashboard over ``runs_dir``, serving the front-end files in ``assets`` (default
    :func:`stationsim.web.assets.assets_dir`); raises StationsimError if they are missing."""
    runs = Path(runs_dir)
    vendor = check_assets(assets)
    app = FastAPI(title="stationsim dashboard", version=__version__, docs_url=None,
                  redoc_url=None,
                  description="Runs of stationsim programs: flights, events, crew, station "
                              "states, trajectories and the station's configuration.")
    app.state.runs_dir = runs
    app.mount("/cesium", StaticFiles(directory=vendor / "cesium"), name="cesium")
    app.mount("/swagger-ui", StaticFiles(directory=vendor / "swagger-ui"), name="swagger-ui")
    app.mount("/static", StaticFiles(directory=HERE / "static"), name="static")
    templates = Jinja2Templates(directory=HERE / "templates")

    @app.get("/docs", response_class=HTMLResponse, include_in_schema=False)
    def api_docs():
        return get_swagger_ui_html(
            openapi_url=app.openapi_url, title="stationsim API",
            swagger_js_url="/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/favicon.svg")

    def when(text: str | None, name: str) -> dt.datetime | None:
        if text is None:
            return None
        try:
            return data.parse_utc(text, name)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    def index(request: Request):
        summaries = []
        for name in list_runs(runs):
            with open_store(runs / name) as con:
                summaries.append(data.run_summary(con, name))
        return templates.TemplateResponse(request, "index.html",
                                          {"runs": summaries, "runs_dir": str(runs)})

    @app.get("/runs/{run}", response_class=HTMLResponse, include_in_schema=False)
    def run_page(request: Request, run: str, con: Store):
        return templates.TemplateResponse(request, "run.html",
                                          {"run": data.run_summary(con, run)})

    @app.get("/runs/{run}/report", include_in_schema=False)
    def report(run: str):
        path = runs / run / REPORT_NAME
        if run not in list_runs(runs) or not path.is_file():
            raise HTTPException(404, f"no report for run {run!r}")
        return FileResponse(path, media_type="text/html")

    @app.get("/api/runs", summary="The runs: program, seed, span, stations, flights")
    def api_runs() -> list[dict]:
        out = []
        for name in list_runs(runs):
            with open_store(runs / name) as con:
                out.append(data.run_summary(con, name))
        return out

    @app.get("/api/runs/{run}", summary="One run's summary")
    def api_run(run: str, con: Store) -> dict:
        return data.run_summary(con, run)

    @app.get("/api/runs/{run}/flights", summary="Flights: launch, dock, port, undock, landing")
    def api_flights(con: Store) -> list[dict]:
        return data.flights(con)

    @app.get("/api/runs/{run}/crew", summary="Crew stays: who was aboard which station, when")
    def api_crew(con: Store) -> list[dict]:
        return data.crew_stays(con)

    @app.get("/api/runs/{run}/events", summary="The event log between two times")
    def api_events(con: Store, start: TimeQuery = None, stop: TimeQuery = None,
                   kind: str | None = None) -> list[dict]:
        return data.events(con, when(start, "start"), when(stop, "stop"), kind)

    @app.get("/api/runs/{run}/station-states",
             summary="Station orbit, mass, volume and crew samples between two times")
    def api_station_states(con: Store, start: TimeQuery = None, stop: TimeQuery = None,
                           station: str | None = None) -> list[dict]:
        return data.station_states(con, when(start, "start"), when(stop, "stop"), station)

    @app.get("/api/runs/{run}/states/{name}",
             summary="GCRF states (m, m/s) of a station or flight between two times")
    def api_states(con: Store, name: str, start: TimeQuery, stop: TimeQuery,
                   step_s: Annotated[float | None, Query(
                       gt=0, description="regular spacing (two-body between samples); "
                                         "default: the stored samples")] = None) -> dict:
        if start is None or stop is None:
            raise HTTPException(422, "start and stop are required")
        try:
            return data.trajectory(con, name, when(start, "start"), when(stop, "stop"), step_s)
        except LookupError as exc:
            raise HTTPException(404, str(exc.args[0])) from None
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None

    @app.get("/api/runs/{run}/configuration",
             summary="Modules and docked vehicles of each station at a time")
    def api_configuration(con: Store, at: TimeQuery) -> dict:
        if at is None:
            raise HTTPException(422, "at is required")
        return data.configuration_at(con, when(at, "at"))

    @app.get("/api/runs/{run}/czml", summary="CZML scene (Earth-fixed) between two times",
             response_class=Response)
    def api_czml(run: str, con: Store, start: TimeQuery = None, stop: TimeQuery = None,
                 step_s: Annotated[float, Query(gt=0)] = 60.0) -> Response:
        from stationsim.results.export.czml import czml_document

        try:
            document = czml_document(con, run, start_utc=start, stop_utc=stop, step_s=step_s,
                                     with_clock=False)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        return Response(document.dumps(), media_type="application/json")

    return app
