"""Changed copies of program models, validated and cross-checked as a program file is.

pydantic's ``model_copy(update=...)`` skips validation: a launch date that does not parse or a
port that does not exist would only fail deep in a run. ``replace`` validates the changed
model, and for a whole :class:`~stationsim.scenario.schema.Program` runs the loader's defaults
and cross-checks too, so that a changed program is exactly as trustworthy as a loaded file.
"""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from stationsim.errors import ProgramError
from stationsim.scenario.problems import Problem, dotted

M = TypeVar("M", bound=BaseModel)


def replaced(model: M, changes: dict[str, Any]) -> M:
    """A copy of ``model`` with ``changes`` (field name -> value, plain data or models).

    ProgramError lists every problem as ``source: path.to.field: what is wrong``.
    """
    from stationsim.scenario.loader import _problem
    from stationsim.scenario.schema import Program

    kind = type(model)
    source = getattr(model, "source", f"<{kind.__name__}>")
    unknown = sorted(set(changes) - set(kind.model_fields))
    if unknown:
        known = ", ".join(kind.model_fields)
        raise ProgramError([f"{source}: {name}: not a field of {kind.__name__} (fields: "
                            f"{known})" for name in unknown])
    data = model.model_dump(round_trip=True, warnings=False)
    data |= {name: _plain(value) for name, value in changes.items()}
    try:
        new = kind.model_validate(data)
    except ValidationError as exc:
        problems = [_problem(dict(error)) for error in exc.errors()]
        raise ProgramError(_located(source, problems)) from None
    if isinstance(new, Program):
        from stationsim.scenario.checks import check_program, resolve_defaults

        new._source = source
        program, problems = resolve_defaults(new)
        problems += check_program(program)
        if problems:
            raise ProgramError(_located(source, problems))
        return program  # type: ignore[return-value]  # M is Program here
    return new


def _plain(value: Any) -> Any:
    """Models inside ``value`` as the data they were read from (tagged unions need the tags)."""
    if isinstance(value, BaseModel):
        return value.model_dump(round_trip=True, warnings=False)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _located(source: str, problems: list[Problem]) -> list[str]:
    return list(dict.fromkeys(f"{source}: {dotted(p.path)}: {p.message}" for p in problems))
