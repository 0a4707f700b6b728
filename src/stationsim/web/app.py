"""The FastAPI application of ``stationsim serve``: pages, JSON API (OpenAPI at /docs), assets.

Every route reads the run folders under ``runs_dir`` at request time, so a run written while the
server is up appears on the next page load (the index keeps each run's summary while its store
is unchanged, :mod:`stationsim.web.index`). Unknown runs, objects or bad times answer 404 or 422
with a one-line ``detail``; a run whose store cannot be read answers 404 naming the cause and is
listed apart on the index page; symbolic links in the runs folder are never followed.

A CZML scene is bounded: at most ``MAX_CZML_POSITIONS`` positions (422 beyond, before any is
computed), at most ``CZML_TIME_LIMIT_S`` seconds of work (503 beyond), ``CZML_WORKERS`` scenes
computed at once, and the work stops when the client goes away.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import anyio
import duckdb
from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from fastapi.templating import Jinja2Templates

from stationsim import __version__
from stationsim.errors import StorageError
from stationsim.results.export.source import (
    REPORT_NAME,
    is_run_folder,
    open_store,
)
from stationsim.web import data
from stationsim.web.assets import check_assets
from stationsim.web.index import RunIndex

HERE = Path(__file__).parent
TimeQuery = Annotated[str | None, Query(description="ISO-8601 UTC, e.g. 1995-06-29T13:00:00Z")]
MAX_CZML_POSITIONS = 100_000  # a week of 10 objects at 60 s; at most ~8 s of work and ~4 MB
# of CZML (all of shuttle-mir every 1460 s, docs/reliability.md)
CZML_TIME_LIMIT_S = 30.0
CZML_WORKERS = 2
DISCONNECT_POLL_S = 0.25


def run_folder(run: str, request: Request) -> Path:
    """The folder of run ``run`` under the app's runs folder; 404 if it is not a run."""
    runs = request.app.state.runs_dir
    if Path(run).name != run or not is_run_folder(runs / run):
        raise HTTPException(404, f"no run {run!r} in {runs}")
    return runs / run


def run_store(folder: Annotated[Path, Depends(run_folder)]) -> Iterator[duckdb.DuckDBPyConnection]:
    """The store of the run, read-only (a damaged one: StorageError, answered 404)."""
    with open_store(folder) as con:
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
    index_of_runs = RunIndex(runs)
    czml_limiter = anyio.CapacityLimiter(CZML_WORKERS)

    @app.exception_handler(StorageError)
    async def unreadable_run(request: Request, exc: StorageError):
        return JSONResponse({"detail": str(exc)}, status_code=404)
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
        listing = index_of_runs.listing()
        return templates.TemplateResponse(request, "index.html", {
            "runs": listing.runs, "unreadable": listing.unreadable, "runs_dir": str(runs)})

    @app.get("/runs/{run}", response_class=HTMLResponse, include_in_schema=False)
    def run_page(request: Request, run: str, con: Store):
        return templates.TemplateResponse(request, "run.html",
                                          {"run": data.run_summary(con, run)})

    @app.get("/runs/{run}/report", include_in_schema=False)
    def report(folder: Annotated[Path, Depends(run_folder)]):
        path = folder / REPORT_NAME
        if path.is_symlink() or not path.is_file():
            raise HTTPException(404, f"no report for run {folder.name!r}")
        return FileResponse(path, media_type="text/html")

    @app.get("/api/runs", summary="The readable runs: program, seed, span, stations, flights")
    def api_runs() -> list[dict]:
        return index_of_runs.listing().runs

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

    @app.get("/api/runs/{run}/supply",
             summary="Stocks and days of supply of each station at a time, and the gaps in "
                     "presence")
    def api_supply(con: Store, at: TimeQuery) -> dict:
        if at is None:
            raise HTTPException(422, "at is required")
        return data.supply_at(con, when(at, "at"))

    @app.get("/api/runs/{run}/czml", summary="CZML scene (Earth-fixed) between two times",
             description=f"At most {MAX_CZML_POSITIONS} positions (422 beyond: shorten "
                         f"start..stop or lengthen step_s) and {CZML_TIME_LIMIT_S:g} s of work "
                         "(503 beyond).", response_class=Response)
    async def api_czml(request: Request, folder: Annotated[Path, Depends(run_folder)],
                       start: TimeQuery = None, stop: TimeQuery = None,
                       step_s: Annotated[float, Query(gt=0)] = 60.0) -> Response:
        for text, name in ((start, "start"), (stop, "stop")):
            when(text, name)

        def scene(check: Callable[[], None]) -> str:
            from stationsim.results.export.czml import czml_document

            with open_store(folder) as con:
                return czml_document(con, folder.name, start_utc=start, stop_utc=stop,
                                     step_s=step_s, with_clock=False,
                                     max_samples=MAX_CZML_POSITIONS, check=check).dumps()

        try:
            text = await bounded(request, scene, czml_limiter, CZML_TIME_LIMIT_S)
        except ValueError as exc:
            raise HTTPException(422, str(exc)) from None
        except TimeoutError:
            raise HTTPException(503, f"the scene took over {CZML_TIME_LIMIT_S:g} s; ask for a "
                                     "shorter start..stop or a longer step_s") from None
        return Response(text, media_type="application/json")

    return app


class ClientGone(Exception):
    """The client closed the connection: the work for it stops."""


async def bounded(
    request: Request,
    work: Callable[[Callable[[], None]], object],
    limiter: anyio.CapacityLimiter,
    limit_s: float,
) -> object:
    """Run ``work(check)`` in a worker thread (at most ``limiter`` at once) and return what it
    returns, None if the client has gone. ``check()``, called by the work between pieces,
    raises TimeoutError once the work has run ``limit_s`` seconds (waiting for a thread does
    not count) and ClientGone once the client has gone."""
    gone = threading.Event()

    def run():
        deadline = time.monotonic() + limit_s

        def check() -> None:
            if gone.is_set():
                raise ClientGone
            if time.monotonic() > deadline:
                raise TimeoutError

        check()
        return work(check)

    async def watch() -> None:
        while not await request.is_disconnected():
            await anyio.sleep(DISCONNECT_POLL_S)
        gone.set()

    outcome: dict = {}
    async with anyio.create_task_group() as group:
        group.start_soon(watch)
        try:
            outcome["value"] = await anyio.to_thread.run_sync(run, limiter=limiter)
        except Exception as exc:  # raised below, outside the group (which would wrap it)
            outcome["error"] = exc
        group.cancel_scope.cancel()
    if isinstance(outcome.get("error"), ClientGone):
        return None
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]
