"""Many dashboard clients at once against a live server: the CI test and ``bench/server.py``.

``serving(app)`` runs uvicorn in a thread on a free port; ``hammer(url, clients, ...)`` has each
client (its own connection) fetch the pages and API calls of :data:`REQUESTS` in turn, a
damaged run's and a symbolic link's among them, and counts as an error any status other than
the one expected, any exception (refused or reset connection, time-out) and any body that is
not what the route returns.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx2
import numpy as np
import uvicorn

# (path, expected status, a piece of text the body holds)
REQUESTS = [
    ("/", 200, "Unreadable run folders"),
    ("/api/runs", 200, '"name":"synthetic"'),
    ("/api/runs/synthetic", 200, '"stations":["mir"]'),
    ("/api/runs/synthetic/flights", 200, "STS-71"),
    ("/api/runs/synthetic/events?kind=dock", 200, "kvant-1.aft"),
    ("/api/runs/synthetic/czml?start=1995-03-14T00:00:00Z&stop=1995-03-14T02:00:00Z", 200,
     '"id":"mir"'),
    ("/api/runs/broken", 404, "cannot be read"),
    ("/api/runs/broken/flights", 404, "cannot be read"),
    ("/runs/linked/report", 404, "no run"),
]


@contextlib.contextmanager
def serving(app) -> Iterator[str]:
    """The base URL of ``app`` served by uvicorn in a thread, stopped on exit."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, log_level="error", backlog=2048,
                                           timeout_keep_alive=60))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        sock.close()


@dataclass
class Load:
    """What the clients met: request count, errors (with a few examples), latencies (s)."""

    requests: int = 0
    errors: int = 0
    examples: list[str] = field(default_factory=list)
    latencies_s: list[float] = field(default_factory=list)
    wall_s: float = 0.0

    def error(self, text: str) -> None:
        self.errors += 1
        if len(self.examples) < 5:
            self.examples.append(text)

    def figures(self) -> str:
        latency = np.asarray(self.latencies_s) * 1e3
        return (f"{self.requests} requests in {self.wall_s:.1f} s "
                f"({self.requests / self.wall_s:.0f}/s), {self.errors} errors; latency median "
                f"{np.median(latency):.0f} ms, 99th percentile {np.percentile(latency, 99):.0f} "
                f"ms, max {latency.max():.0f} ms")


def hammer(url: str, clients: int, rounds: int | None = None,
           duration_s: float | None = None, timeout_s: float = 60.0) -> Load:
    """``clients`` clients each fetching REQUESTS in turn, ``rounds`` times over or until
    ``duration_s`` has passed; returns the :class:`Load`."""
    load = Load()

    async def client(k: int, stop_at: float) -> None:
        async with httpx2.AsyncClient(base_url=url, timeout=timeout_s) as session:
            done = 0
            while (rounds is None or done < rounds) and time.monotonic() < stop_at:
                path, status, text = REQUESTS[(k + done) % len(REQUESTS)]
                started = time.monotonic()
                try:
                    answer = await session.get(path)
                except Exception as exc:  # counted: any failure to get an answer is an error
                    load.error(f"{path}: {type(exc).__name__}: {exc}")
                else:
                    if answer.status_code != status or text not in answer.text:
                        load.error(f"{path}: {answer.status_code} {answer.text[:200]!r}")
                load.requests += 1
                load.latencies_s.append(time.monotonic() - started)
                done += 1

    async def main() -> None:
        stop_at = time.monotonic() + (duration_s if duration_s is not None else 1e9)
        await asyncio.gather(*(client(k, stop_at) for k in range(clients)))

    started = time.monotonic()
    asyncio.run(main())
    load.wall_s = time.monotonic() - started
    return load
