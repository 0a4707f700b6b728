"""Every public function of stationsim carries type hints (PEP 484), so ``py.typed`` is honest.

Public means: defined at module level, or a method of a module-level class, with a name not
starting with ``_`` (``__init__`` included, other dunders excluded). Nested functions are
private to their enclosing function. ``self``/``cls`` are the only parameters left bare.
"""

from __future__ import annotations

import ast
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src" / "stationsim"
FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef


def _is_public(name: str) -> bool:
    return name == "__init__" or not name.startswith("_")


def _public_functions(tree: ast.Module) -> list[tuple[str, FunctionNode, bool]]:
    """(qualified name, node, is_method) of each public function in one module."""
    found: list[tuple[str, FunctionNode, bool]] = []
    for node in tree.body:
        if isinstance(node, FunctionNode) and _is_public(node.name):
            found.append((node.name, node, False))
        elif isinstance(node, ast.ClassDef) and not node.name.startswith("_"):
            for member in node.body:
                if isinstance(member, FunctionNode) and _is_public(member.name):
                    found.append((f"{node.name}.{member.name}", member, True))
    return found


def _missing(node: FunctionNode, is_method: bool) -> list[str]:
    """The parts of a signature that carry no annotation."""
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    decorators = {ast.unparse(d) for d in node.decorator_list}
    if is_method and "staticmethod" not in decorators and positional:
        positional = positional[1:]  # self or cls
    missing = [a.arg for a in [*positional, *args.kwonlyargs] if a.annotation is None]
    for star in (args.vararg, args.kwarg):
        if star is not None and star.annotation is None:
            missing.append(f"*{star.arg}")
    if node.returns is None and node.name != "__init__":
        missing.append("return")
    if node.name == "__init__" and node.returns is None and not (positional or args.kwonlyargs):
        missing.append("return")
    return missing


def unannotated() -> tuple[list[str], int]:
    """Every public function lacking an annotation, and how many public functions there are."""
    problems: list[str] = []
    total = 0
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for name, node, is_method in _public_functions(tree):
            total += 1
            missing = _missing(node, is_method)
            if missing:
                where = f"{path.relative_to(SRC.parent)}:{node.lineno}"
                problems.append(f"{where} {name}: {', '.join(missing)}")
    return problems, total


def test_every_public_function_is_annotated() -> None:
    problems, total = unannotated()
    assert total > 400, f"only {total} public functions found under {SRC}: the walk is broken"
    listing = "\n".join(problems)
    assert not problems, f"{len(problems)} of {total} public functions lack hints:\n{listing}"
