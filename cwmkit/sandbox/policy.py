"""The static import and construct policy for candidate programs.

Checked on the source before anything runs; the harness enforces the same rules at run
time (``cwmkit.sandbox.harness``), so code that hides a name from this pass still meets a
locked door. A violation fails the ``static`` tier with status ``policy_violation``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from cwmkit.sandbox.harness import (
    ALLOWED_MODULES,
    BLOCKED_BUILTINS,
    FORMAT_METHODS,
    HIDDEN_ATTRIBUTES,
    attribute_allowed,
    format_fields_allowed,
)

__all__ = ["StaticAnalysis", "Violation", "analyse"]

# Names whose mere mention is a violation: the blocked builtins that have no guarded
# replacement, and the dunders that reach interpreter internals.
_FORBIDDEN_NAMES = (BLOCKED_BUILTINS - {"getattr", "setattr", "delattr", "hasattr", "print",
                                        "__build_class__", "__debug__"}) | {
    "__builtins__", "__import__", "__loader__", "__spec__", "__file__", "__cached__"}
_DUNDER_TEXT = re.compile(r"__[A-Za-z0-9_]+__")
_OK_DUNDER_TEXT = {"__main__", "__init__", "__name__"}


@dataclass(frozen=True)
class Violation:
    line: int
    message: str


@dataclass(frozen=True)
class StaticAnalysis:
    """What the static pass learned: syntax, violations, top-level functions."""

    syntax_error: str | None
    violations: tuple[Violation, ...]
    functions: dict  # name -> (positional count, required count, has *args)


def _arity(node: ast.FunctionDef | ast.AsyncFunctionDef) -> tuple[int, int, bool]:
    args = node.args
    positional = len(args.posonlyargs) + len(args.args)
    return positional, positional - len(args.defaults), args.vararg is not None


class _Visitor(ast.NodeVisitor):
    def __init__(self) -> None:
        self.violations: list[Violation] = []

    def bad(self, node: ast.AST, message: str) -> None:
        self.violations.append(Violation(getattr(node, "lineno", 0), message))

    def _module(self, node: ast.AST, name: str) -> None:
        if name not in ALLOWED_MODULES:
            allowed = ", ".join(sorted(m for m in ALLOWED_MODULES if m != "__future__"))
            self.bad(node, f"import of '{name}' is not allowed (allowed: {allowed})")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            self.bad(node, "relative imports are not allowed")
        else:
            self._module(node, node.module or "")
            hidden = HIDDEN_ATTRIBUTES.get(node.module or "", set())
            for alias in node.names:
                if alias.name.startswith("_") or alias.name in hidden:
                    self.bad(node, f"'from {node.module} import {alias.name}' is not allowed")
        self.generic_visit(node)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = node.attr
        owner = node.value.id if isinstance(node.value, ast.Name) else None
        own_private = owner in ("self", "cls") and not name.startswith("__")
        if not attribute_allowed(name) and not own_private:
            self.bad(node, f"attribute '{name}' is not allowed (private, dunder and frame "
                           "attributes reach interpreter internals)")
        if owner in HIDDEN_ATTRIBUTES and name in HIDDEN_ATTRIBUTES[owner]:
            self.bad(node, f"'{owner}.{name}' is not allowed")
        if name in FORMAT_METHODS:
            # A format string walks attributes: only a literal one can be checked here.
            literal = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            if not literal:
                self.bad(node, f"'.{name}' is allowed on a string literal only (a format "
                               "string built at run time can walk private attributes)")
            elif not format_fields_allowed(node.value.value):
                self.bad(node, "the format string walks a private, dunder or frame attribute")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _FORBIDDEN_NAMES:
            self.bad(node, f"'{node.id}' is not allowed in a GameCWM")
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str):
            # Format strings can walk attributes ("{0.__globals__}"): no dunders in text.
            found = set(_DUNDER_TEXT.findall(node.value)) - _OK_DUNDER_TEXT
            if found:
                self.bad(node, f"the string mentions {sorted(found)[0]}, which is not "
                               "allowed")

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            if name in _FORBIDDEN_NAMES:
                self.bad(node, f"'{name}' is not allowed in a GameCWM")


def _is_main_test(test: ast.AST) -> bool:
    """``__name__ == "__main__"`` (either way round)."""
    if not (isinstance(test, ast.Compare) and len(test.ops) == 1
            and isinstance(test.ops[0], ast.Eq)):
        return False
    sides = (test.left, test.comparators[0])
    names = [n for n in sides if isinstance(n, ast.Name) and n.id == "__name__"]
    mains = [n for n in sides if isinstance(n, ast.Constant) and n.value == "__main__"]
    return len(names) == 1 and len(mains) == 1


def _without_main_blocks(tree: ast.Module) -> list[ast.stmt]:
    """The module's statements without the bodies of top-level ``if __name__ ==
    "__main__":`` blocks (their ``else`` kept). A candidate loads under another name, so
    such a body never runs and is not judged; unless the module mentions ``__name__``
    anywhere else (it could rebind it), when everything is judged."""
    guards = [n for n in tree.body if isinstance(n, ast.If) and _is_main_test(n.test)]
    if not guards:
        return tree.body
    in_tests = {id(n.test.left) for n in guards} | {id(n.test.comparators[0]) for n in guards}
    for node in ast.walk(tree):
        mentions = (isinstance(node, ast.Name) and node.id == "__name__") or (
            isinstance(node, ast.arg) and node.arg == "__name__") or (
            isinstance(node, ast.alias) and "__name__" in (node.name, node.asname)) or (
            isinstance(node, ast.Global | ast.Nonlocal) and "__name__" in node.names)
        if mentions and id(node) not in in_tests:
            return tree.body
    body: list[ast.stmt] = []
    for node in tree.body:
        body.extend(node.orelse if any(node is g for g in guards) else [node])
    return body


def analyse(source: str) -> StaticAnalysis:
    """Parse ``source`` and check it against the policy, without running it."""
    try:
        tree = ast.parse(source, "<candidate>")
    except SyntaxError as exc:
        return StaticAnalysis(f"line {exc.lineno}: {exc.msg}", (), {})
    except (ValueError, RecursionError, MemoryError) as exc:
        return StaticAnalysis(f"cannot parse: {type(exc).__name__}", (), {})
    tree.body = _without_main_blocks(tree)
    visitor = _Visitor()
    try:
        visitor.visit(tree)
    except RecursionError:
        return StaticAnalysis(None, (Violation(0, "the program is nested too deeply"),), {})
    functions = {node.name: _arity(node) for node in tree.body
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    return StaticAnalysis(None, tuple(visitor.violations), functions)
