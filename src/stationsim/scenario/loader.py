"""Read a YAML program into a validated, cross-checked :class:`Program`.

Every way a file can be wrong ends as one :class:`~stationsim.errors.ProgramError` listing all
problems, each as ``file:line:column: path.to.field: what is wrong (expected ..., got ...)``.
What a file may cost is capped before it is built: its size, how deep it nests, how many nodes
its aliases add when expanded (a "billion laughs" file is refused, not grown), how long a
number may be, and which explicit tags it may carry (only the plain core ones).

A file's plain tree is kept in the disk cache (:mod:`stationsim.disk_cache`) keyed by its bytes,
so a program read before, and the bundled ones, are not parsed again; the round-trip tree with
each node's line and column is parsed only when a problem needs placing.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import stat
import typing
from pathlib import Path as FilePath
from typing import Any

from pydantic import BaseModel, ValidationError
from ruamel.yaml import YAML
from ruamel.yaml import __version__ as ruamel_version
from ruamel.yaml.composer import Composer
from ruamel.yaml.constructor import RoundTripConstructor
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.nodes import MappingNode, Node, SequenceNode

from stationsim.disk_cache import cached
from stationsim.errors import ProgramError
from stationsim.scenario.checks import check_program, resolve_defaults
from stationsim.scenario.hardware import build_catalog, read_catalog_files
from stationsim.scenario.problems import (
    Locator,
    Path,
    Problem,
    describe,
    did_you_mean,
    dotted,
    one_of,
)
from stationsim.scenario.schema import (
    EVENT_TYPES,
    EXTENSION_PREFIX,
    UNION_TAG_PREFIX,
    UNION_TAGS,
    Program,
)
from stationsim.text import TextProblem, decode_text

MAX_FILE_BYTES = 2**20
"""Largest program file read: 12 times the largest bundled one (the ISS assembly, 83 kB). A
file at the cap took 29 s to validate on a busy 2-core machine: seconds, not minutes."""
MAX_DEPTH = 32
"""Deepest nesting of mappings and lists (bundled programs nest 7 deep)."""
MAX_ALIAS_NODES = 100_000
"""Most nodes that aliases may add when expanded (the ISS assembly has 4,100 nodes in all)."""
MAX_NUMBER_CHARS = 32
"""Longest number, in characters (a float64 needs at most 24)."""
_RECIPE = (f"ruamel.yaml {ruamel_version}, loader "
           f"{hashlib.sha256(FilePath(__file__).read_bytes()).hexdigest()}")
"""What makes a plain tree of the bytes (the parser, this module's caps and code), for the disk
cache's key."""


def load_path(path: str | FilePath) -> Program:
    """Load, validate and cross-check the program file at ``path``.

    Raises ProgramError (never anything else) listing every problem found.
    """
    source = str(path)
    try:
        data = read_capped(path)
    except OSError as exc:
        message = f"{source}:1:1: program: cannot read the file ({exc.strerror})"
        raise ProgramError([message]) from None
    return load_bytes(data, source)


def read_capped(path: str | FilePath) -> bytes:
    """At most MAX_FILE_BYTES + 1 bytes of the regular file at ``path`` (the size cap bounds
    memory); OSError for anything else, a named pipe or a terminal among them, whose read
    would wait for a writer that may never come."""
    if not stat.S_ISREG(os.stat(path).st_mode):
        raise OSError(errno.EINVAL, "not a regular file")
    with open(path, "rb") as handle:
        return handle.read(MAX_FILE_BYTES + 1)


def load_text(text: str, source: str = "<program>") -> Program:
    """Load a program from YAML text; ``source`` names it in the messages."""
    return load_bytes(text.encode("utf-8"), source)


def load_bytes(data: bytes, source: str = "<program>") -> Program:
    """Load a program from the bytes of a YAML file; ``source`` names it in the messages."""
    try:
        return _load(data, source)
    except ProgramError:
        raise
    except Exception as exc:  # the boundary: no input may escape as a traceback
        message = f"{source}:1:1: program: cannot be read ({type(exc).__name__}: {exc})"
        raise ProgramError([message]) from None


def _load(data: bytes, source: str) -> Program:
    tree = parsed_plain(data, source)
    if not isinstance(tree, dict):
        kind = "a list" if isinstance(tree, list) else describe(tree)
        _raise(source, data, [Problem((), "not a program (expected a mapping with name, span, "
                                          f"stations and flights, got {kind})")])
    plain = {key: value for key, value in tree.items()
             if not (isinstance(key, str) and key.startswith(EXTENSION_PREFIX))}
    try:
        program = Program.model_validate(plain, strict=True)  # YAML types as written
    except ValidationError as exc:
        _raise(source, data, [_problem(error) for error in exc.errors()])
    program._source = source  # before the checks: tracking files are named relative to it
    included, problems, elsewhere = read_catalog_files(program)
    program._catalog, own, more = build_catalog(program, included)
    problems, elsewhere = problems + own, elsewhere + more
    if not problems and not elsewhere:
        program, problems = resolve_defaults(program)
        problems += check_program(program)
    if problems or elsewhere:
        _raise(source, data, problems, elsewhere)
    return program


def parsed_plain(data: bytes, source: str, kind: str = "program") -> Any:
    """The plain tree of YAML bytes under the program caps (ProgramError if refused), kept in
    the disk cache: a file read before costs no parse. The round-trip tree, with the lines and
    columns that messages need, is parsed again only when there is a problem to place.
    ``kind`` (program or catalog) names the file in the messages."""
    _check_text(data, source, kind)
    return cached("yaml", _RECIPE, data, lambda: _plain(_parse(data, source, kind)))


_EXPECTED = {"program": "a mapping with name, span, stations and flights",
             "catalog": "a mapping with modules, vehicles or sites"}
"""What a file of each kind holds at its top, for the messages about an empty one."""


def _check_text(data: bytes, source: str, kind: str = "program") -> str:
    """The text of ``data`` if it may be parsed: not too large, UTF-8 (not UTF-16, gzip or
    binary), not empty."""
    if len(data) > MAX_FILE_BYTES:
        raise ProgramError([f"{source}:1:1: {kind}: too large (expected at most "
                            f"{MAX_FILE_BYTES // 2**20} MiB of YAML, got more)"])
    try:
        text = decode_text(data)
    except TextProblem as problem:
        raise ProgramError([f"{source}:{problem.line}:{problem.column}: {kind}: {problem}; "
                            "expected YAML text in UTF-8"]) from None
    if not text.strip() or all(not line.strip() or line.lstrip().startswith("#")
                               for line in text.splitlines()):
        raise ProgramError([f"{source}:1:1: {kind}: the file is empty (expected "
                            f"{_EXPECTED[kind]})"])
    return text


def _parse(data: bytes, source: str, kind: str = "program") -> Any:
    """The round-trip tree of ``data`` (lines and columns on every node), under the caps."""
    text = _check_text(data, source, kind)
    yaml = YAML(typ="rt")
    yaml.Constructor = _TextTimestamps
    yaml.Composer = _CappedComposer
    try:
        return yaml.load(text)
    except _TooCostly as exc:
        mark = exc.problem_mark
        where = f"{source}:{mark.line + 1}:{mark.column + 1}"
        raise ProgramError([f"{where}: {exc.problem}"]) from None
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark is not None else (1, 1)
        what = " ".join(part for part in (exc.context, exc.problem) if part)
        message = f"{source}:{line}:{col}: {kind}: YAML syntax error: {what}"
        raise ProgramError([message]) from None
    except YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ProgramError([f"{source}:1:1: {kind}: YAML error: {first}"]) from None


_CORE_TAG = "tag:yaml.org,2002:"
_PLAIN_TAGS = {_CORE_TAG + kind for kind in ("str", "int", "float", "bool", "null", "map", "seq")}
"""Explicit tags a program may carry; others (!!omap, !!set, !!binary, !!python/..., custom
ones) build objects a program never needs, and some make the YAML library itself fail."""


class _TooCostly(MarkedYAMLError):
    """The file would cost more than the caps allow; ``problem`` says which and why."""


class _CappedComposer(Composer):
    """ruamel's composer with the caps: nesting, plain tags only, nodes added by aliases, no
    recursive alias, short numbers; each refusal names the field and its line.

    An alias shares its node, so the tree ruamel builds stays small; the cost comes later, when
    the tree is expanded into plain values. The cap counts what that expansion will add.
    """

    def __init__(self, loader: Any = None) -> None:
        super().__init__(loader)
        self.warn_double_anchors = False  # YAML lets an anchor be redefined: no stray warning
        self.alias_nodes = 0
        self._sizes: dict[int, int] = {}
        self._path: list[str | int] = []  # where the node being composed sits, for messages

    def compose_node(self, parent: Any, index: Any) -> Any:
        self._mark = self.parser.peek_event().start_mark
        step = index.value if isinstance(index, Node) else index  # a key's node, or a position
        self._path.append(str(step) if isinstance(step, str) else step)
        try:
            if self.depth >= MAX_DEPTH:
                self._refuse(f"nested too deeply (expected at most {MAX_DEPTH} levels of "
                             f"mappings and lists)", self._mark)
            tag = str(getattr(self.parser.peek_event(), "ctag", None) or "!")
            if tag != "!" and tag not in _PLAIN_TAGS:
                shown = tag.replace(_CORE_TAG, "!!")
                self._refuse(f"tag {shown!r} not allowed (expected plain YAML: mappings, lists, "
                             f"text, numbers, true/false and null)", self._mark)
            return super().compose_node(parent, index)
        finally:
            self._path.pop()

    def return_alias(self, node: Node) -> Node:
        if isinstance(node, SequenceNode | MappingNode) and node.end_mark is None:
            self._refuse("an alias inside its own anchor (expected a finite structure, got a "
                         "recursive one)", self._mark)
        self.alias_nodes += self._size(node)
        if self.alias_nodes > MAX_ALIAS_NODES:
            self._refuse(f"aliases expand too far (expected at most {MAX_ALIAS_NODES:,} nodes "
                         f"from aliases, got more)", self._mark)
        return node

    def compose_scalar_node(self, anchor: Any) -> Any:
        node = super().compose_scalar_node(anchor)
        kind = str(getattr(node.tag, "value", node.tag))
        if kind.endswith((":int", ":float")) and len(node.value) > MAX_NUMBER_CHARS:
            self._refuse(f"number too long (expected at most {MAX_NUMBER_CHARS} characters, "
                         f"got {len(node.value)})", node.start_mark)
        return node

    def _refuse(self, what: str, mark: Any) -> typing.NoReturn:
        path = tuple(step for step in self._path if step is not None)
        raise _TooCostly(None, None, f"{dotted(path)}: {what}", mark)

    def _size(self, node: Node) -> int:
        """Nodes in ``node`` with every alias expanded (memoised: shared nodes count once here)."""
        known = self._sizes.get(id(node))
        if known is None:
            if isinstance(node, MappingNode):
                known = 1 + sum(self._size(key) + self._size(value) for key, value in node.value)
            elif isinstance(node, SequenceNode):
                known = 1 + sum(self._size(item) for item in node.value)
            else:
                known = 1
            self._sizes[id(node)] = known
        return known


class _TextTimestamps(RoundTripConstructor):
    """Round-trip constructor that keeps YAML timestamps as their text: the schema parses them
    as UTC and reports a bad one (``1996-02-30``) at its line and column."""


_TextTimestamps.add_constructor("tag:yaml.org,2002:timestamp",
                                lambda constructor, node: constructor.construct_scalar(node))


def _plain(node: Any) -> Any:
    """ruamel round-trip nodes -> plain dicts, lists and scalars."""
    if isinstance(node, dict):
        return {_key(key): _plain(value) for key, value in node.items()}
    if isinstance(node, list):
        return [_plain(item) for item in node]
    if isinstance(node, bool) or node is None:
        return node
    if isinstance(node, int | float):  # ruamel's number subclasses (an anchored true is an int)
        return int(node) if isinstance(node, int) else float(node)
    return str(node)  # plain text, also for ruamel's string subclasses and odd tags


def _key(key: Any) -> str:
    return key if isinstance(key, str) else str(key)


def _raise(source: str, data: bytes, problems: list[Problem],
           elsewhere: list[str] = ()) -> typing.NoReturn:
    """ProgramError with every problem placed at its line and column in ``data``."""
    raise ProgramError(list(elsewhere) + located_messages(source, data, problems))


def _lines(data: bytes) -> list[str]:
    return data.decode("utf-8-sig").splitlines()


def _messages(source: str, locator: Locator, problems: list[Problem]) -> list[str]:
    located = []
    for problem in problems:
        line, col = locator.position(problem)
        located.append((line, col, f"{source}:{line}:{col}: {dotted(problem.path)}: "
                                   f"{problem.message}"))
    located.sort(key=lambda item: (item[0], item[1]))
    return list(dict.fromkeys(message for _, _, message in located))


def located_messages(source: str, data: bytes, problems: list[Problem]) -> list[str]:
    """``file:line:column: path: what`` for problems of another YAML file (a catalog file)."""
    return _messages(source, Locator(_parse(data, source), _lines(data)), problems)


def pydantic_problem(error: dict[str, Any], root: type[BaseModel]) -> Problem:
    """One pydantic error of a model ``root`` (a catalog file) as a Problem."""
    return _problem(error, root)


# --- pydantic errors -> problems ----------------------------------------------------------
_TYPE_WORDS = {
    "string_type": "a string", "float_type": "a number", "float_parsing": "a number",
    "int_type": "an integer", "int_parsing": "an integer", "int_from_float": "an integer",
    "bool_type": "true or false", "bool_parsing": "true or false", "list_type": "a list",
    "dict_type": "a mapping", "model_type": "a mapping", "model_attributes_type": "a mapping",
    "finite_number": "a finite number", "tuple_type": "a list",
}
_BOUNDS = {"greater_than": ("gt", ">"), "greater_than_equal": ("ge", ">="),
           "less_than": ("lt", "<"), "less_than_equal": ("le", "<=")}


def _problem(error: dict[str, Any], root: type[BaseModel] = Program) -> Problem:
    loc = tuple(error["loc"])
    path: Path = tuple(step for step in loc
                       if not (isinstance(step, str) and step.startswith(UNION_TAG_PREFIX)))
    kind, value, ctx = error["type"], error.get("input"), error.get("ctx") or {}
    got = describe(value)
    if kind == "missing":
        return Problem(path, "required field is missing")
    if kind == "extra_forbidden":
        fields = _fields_at(loc[:-1], root)
        return Problem(path, f"unknown field (expected one of {one_of(sorted(fields), 40)}, got "
                             f"{describe(path[-1])}){did_you_mean(path[-1], fields)}", on_key=True)
    if kind in _TYPE_WORDS:
        return Problem(path, f"wrong type (expected {_TYPE_WORDS[kind]}, got {got})")
    if kind in _BOUNDS:
        key, sign = _BOUNDS[kind]
        return Problem(path, f"out of range (expected {sign} {ctx.get(key)}, got {got})")
    if kind == "string_too_short" and isinstance(value, str) and value.strip() == "":
        return Problem(path, f"empty (expected at least {ctx.get('min_length')} character "
                             f"other than spaces, got {got})")
    if kind in ("too_short", "too_long", "string_too_short"):
        bound = (f"at most {ctx.get('max_length')}" if kind == "too_long"
                 else f"at least {ctx.get('min_length')}")
        unit = "characters" if kind == "string_too_short" else "items"
        actual = ctx.get("actual_length", len(value) if hasattr(value, "__len__") else "?")
        return Problem(path, f"wrong length (expected {bound} {unit}, got {actual})")
    if kind == "literal_error":
        choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return Problem(path, f"unknown value (expected one of {one_of(choices, 10)}, got {got})"
                             f"{did_you_mean(str(value), choices)}")
    if kind == "union_tag_not_found":
        return Problem(path + ("type",), f"required field is missing (expected one of "
                                         f"{one_of(EVENT_TYPES)})")
    if kind == "union_tag_invalid":
        tag = str(ctx.get("tag", "")).removeprefix(UNION_TAG_PREFIX)
        return Problem(path + ("type",), f"unknown event type (expected one of "
                                         f"{one_of(EVENT_TYPES)}, got {tag!r})"
                                         f"{did_you_mean(tag, EVENT_TYPES)}")
    if kind == "value_error":
        return Problem(path, str(ctx.get("error", error["msg"])))
    return Problem(path, f"{error['msg']} (got {got})")


def _fields_at(loc: tuple[Any, ...], root: type[BaseModel] = Program) -> list[str]:
    """The field names of the model found at ``loc`` (list indices and dict keys pass through)."""
    candidates: set[type[BaseModel]] = {root}
    for step in loc:
        if isinstance(step, str) and step.startswith(UNION_TAG_PREFIX):
            candidates = {UNION_TAGS[step]} if step in UNION_TAGS else candidates
            continue
        fields = [model.model_fields[step] for model in candidates
                  if isinstance(step, str) and step in model.model_fields]
        if fields:
            candidates = set().union(*(_models_in(field.annotation) for field in fields))
    names = {name for model in candidates for name in model.model_fields}
    return sorted(names)


def _models_in(annotation: Any) -> set[type[BaseModel]]:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return {annotation}
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) is typing.Annotated:
        args = args[:1]
    found: set[type[BaseModel]] = set()
    for arg in args:
        found |= _models_in(arg)
    return found
