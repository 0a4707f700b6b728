"""``relocate``: a docked vehicle or a module moves to another port."""

from __future__ import annotations

from stationsim.program.ports import relocate


def handle(state, runtime, event):
    name = event.module or event.flight
    yield from relocate(state, runtime, name, event.to, flight=event.flight, via=event.via)
