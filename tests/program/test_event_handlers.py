"""Every event kind of the schema has its handler module, and no module handles a kind the
schema does not know."""

from __future__ import annotations

import inspect
import pkgutil
import typing

import stationsim.program.events as events
from stationsim.scenario.schema import Event


def _schema_kinds() -> set[str]:
    union = typing.get_args(Event)[0]
    return {typing.get_args(typing.get_args(member)[0].model_fields["type"].annotation)[0]
            for member in typing.get_args(union)}


def test_each_event_kind_has_one_handler_module():
    kinds = _schema_kinds()
    modules = {info.name for info in pkgutil.iter_modules(events.__path__)}
    assert {kind.replace("-", "_") for kind in kinds} == modules
    for kind in kinds:
        assert inspect.isgeneratorfunction(events.handler(kind))
