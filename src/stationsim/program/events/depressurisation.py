"""``depressurisation``: a module loses its air and is sealed off (:mod:`..sealing`)."""

from __future__ import annotations

from stationsim.program.sealing import seal_module


def handle(state, runtime, event):
    seal_module(state, runtime, event.module, event.cause)
    yield from ()
