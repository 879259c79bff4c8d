"""The static import and construct policy for candidate programs.

Checked on the source before anything runs; the harness enforces the same rules at run
time (``cwmkit.sandbox.harness``; the tables live in ``cwmkit.sandbox.allowlist``), so
code that hides a name from this pass still meets a locked door. A violation fails the
``static`` tier with status ``policy_violation``.

Syntax that reads or binds attributes by name is held to the attribute rules: dunder
names may be bound only as the special methods a class may define (and a few module and
class attributes), class patterns of ``match`` may name only allowed attributes and take
no positional sub-patterns (those read the attributes that ``__match_args__`` names), and
``super`` with arguments may only name a class of the program (or it could skip the
program's view of a class, ``random.Random``'s seeding included).
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from cwmkit.sandbox.allowlist import (
    ALLOWED_MODULES,
    BLOCKED_BUILTINS,
    CLASS_DUNDERS,
    FORMAT_METHODS,
    MODULE_DUNDERS,
    READABLE_DUNDER_NAMES,
    SPECIAL_METHODS,
    attribute_allowed,
    format_fields_allowed,
    module_names,
    parse,
)

__all__ = ["StaticAnalysis", "Violation", "analyse"]

# Names whose mere mention is a violation: the blocked builtins that have no guarded
# replacement, and the dunders that reach interpreter internals.
_FORBIDDEN_NAMES = (BLOCKED_BUILTINS - {"getattr", "setattr", "delattr", "hasattr", "print",
                                        "__build_class__", "__debug__"}) | {
    "__builtins__", "__import__", "__loader__", "__spec__", "__file__", "__cached__"}
_DUNDER_TEXT = re.compile(r"__[A-Za-z0-9_]+__")
_DOCUMENTED = (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)
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


def _dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


class _Visitor(ast.NodeVisitor):
    def __init__(self, classes: set[str], docstrings: set[int]) -> None:
        self.violations: list[Violation] = []
        self.docstrings = docstrings  # ids of docstring constants
        self.scopes = ["module"]
        self.modules: dict[str, str] = {}  # import alias -> module
        self.classes = classes  # names of the program's classes
        self.called: set[int] = set()  # ids of Name nodes that are called

    def bad(self, node: ast.AST, message: str) -> None:
        self.violations.append(Violation(getattr(node, "lineno", 0), message))

    # ------------------------------------------------------------------ bindings

    def bind(self, node: ast.AST, name: str | None) -> None:
        if not name or not _dunder(name) or name in _FORBIDDEN_NAMES:
            return
        scope = self.scopes[-1]
        if scope == "class" and name in SPECIAL_METHODS | CLASS_DUNDERS:
            return
        if scope == "module" and name in MODULE_DUNDERS:
            return
        where = {"class": "in a class", "module": "at module level"}.get(scope, "here")
        self.bad(node, f"binding '{name}' {where} is not allowed (a class may define its "
                       "own construction, comparison, arithmetic, container and text "
                       "methods; attribute, descriptor, class-creation, pickling and "
                       "finaliser hooks are refused)")

    def scoped(self, kind: str, node: ast.AST, body) -> None:
        self.scopes.append(kind)
        try:
            for child in body:
                self.visit(child)
        finally:
            self.scopes.pop()

    def _arguments(self, args: ast.arguments) -> None:
        for arg in (*args.posonlyargs, *args.args, *args.kwonlyargs,
                    *filter(None, (args.vararg, args.kwarg))):
            self.bind(arg, arg.arg)
            if arg.annotation is not None:
                self.visit(arg.annotation)

    def visit_FunctionDef(self, node: ast.FunctionDef | ast.AsyncFunctionDef) -> None:
        self.bind(node, node.name)
        for item in (*node.decorator_list, *node.args.defaults,
                     *filter(None, node.args.kw_defaults)):
            self.visit(item)
        if node.returns is not None:
            self.visit(node.returns)
        self.scopes.append("function")
        try:
            self._arguments(node.args)
            for child in node.body:
                self.visit(child)
        finally:
            self.scopes.pop()

    visit_AsyncFunctionDef = visit_FunctionDef

    def visit_Lambda(self, node: ast.Lambda) -> None:
        for item in (*node.args.defaults, *filter(None, node.args.kw_defaults)):
            self.visit(item)
        self.scopes.append("function")
        try:
            self._arguments(node.args)
            self.visit(node.body)
        finally:
            self.scopes.pop()

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        self.bind(node, node.name)
        for item in (*node.decorator_list, *node.bases, *node.keywords):
            self.visit(item)
        self.scoped("class", node, node.body)

    def _comprehension(self, node) -> None:
        self.scoped("function", node, [*node.generators,
                                       *([node.key, node.value] if isinstance(node, ast.DictComp)
                                         else [node.elt])])

    visit_ListComp = visit_SetComp = visit_GeneratorExp = visit_DictComp = _comprehension

    def visit_ExceptHandler(self, node: ast.ExceptHandler) -> None:
        self.bind(node, node.name)
        self.generic_visit(node)

    def visit_alias(self, node: ast.alias) -> None:
        self.bind(node, node.asname or node.name.split(".")[0])

    def visit_Nonlocal(self, node: ast.Nonlocal) -> None:
        for name in node.names:
            self.bind(node, name)

    # ------------------------------------------------------------------ imports

    def _module(self, node: ast.AST, name: str) -> None:
        if name not in ALLOWED_MODULES:
            allowed = ", ".join(sorted(m for m in ALLOWED_MODULES if m != "__future__"))
            self.bad(node, f"import of '{name}' is not allowed (allowed: {allowed})")

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self._module(node, alias.name)
            if alias.asname:
                self.modules[alias.asname] = alias.name
            else:
                top = alias.name.split(".")[0]
                self.modules[top] = top
        self.generic_visit(node)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.level:
            self.bad(node, "relative imports are not allowed")
        else:
            module = node.module or ""
            self._module(node, module)
            for alias in node.names:
                if alias.name == "*":
                    continue
                sub = f"{module}.{alias.name}"
                if sub in ALLOWED_MODULES:
                    self.modules[alias.asname or alias.name] = sub
                elif module in ALLOWED_MODULES and alias.name not in module_names(module):
                    self.bad(node, f"'from {module} import {alias.name}' is not allowed "
                                   f"({module}.{alias.name} is not on the allow-list)")
        self.generic_visit(node)

    def _module_path(self, node: ast.AST) -> str | None:
        """The allowed module an expression names (``collections.abc``), or None."""
        if isinstance(node, ast.Name):
            return self.modules.get(node.id)
        if isinstance(node, ast.Attribute):
            owner = self._module_path(node.value)
            if owner and f"{owner}.{node.attr}" in ALLOWED_MODULES:
                return f"{owner}.{node.attr}"
        return None

    # ------------------------------------------------------------------ attributes

    def visit_Attribute(self, node: ast.Attribute) -> None:
        name = node.attr
        owner = node.value.id if isinstance(node.value, ast.Name) else None
        own_private = owner in ("self", "cls") and not name.startswith("__")
        if not attribute_allowed(name) and not own_private:
            self.bad(node, f"attribute '{name}' is not allowed (private, dunder and frame "
                           "attributes reach interpreter internals)")
        module = self._module_path(node.value)
        if module and f"{module}.{name}" not in ALLOWED_MODULES \
                and name not in module_names(module):
            self.bad(node, f"'{module}.{name}' is not allowed ({module}.{name} is not on "
                           "the allow-list)")
        if name in FORMAT_METHODS:
            # A format string walks attributes: only a literal one can be checked here.
            literal = isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
            if not literal:
                self.bad(node, f"'.{name}' is allowed on a string literal only (a format "
                               "string built at run time can walk private attributes)")
            elif not format_fields_allowed(node.value.value):
                self.bad(node, "the format string walks a private, dunder or frame attribute")
        self.generic_visit(node)

    def visit_MatchClass(self, node: ast.MatchClass) -> None:
        if node.patterns:
            self.bad(node, "positional sub-patterns in a class pattern are not allowed "
                           "(they read the attributes __match_args__ names); use keywords")
        for name in node.kwd_attrs:
            if not attribute_allowed(name):
                self.bad(node, f"the class pattern reads attribute '{name}', which is not "
                               "allowed")
        self.generic_visit(node)

    def visit_MatchAs(self, node: ast.MatchAs) -> None:
        self.bind(node, node.name)
        self.generic_visit(node)

    def visit_MatchStar(self, node: ast.MatchStar) -> None:
        self.bind(node, node.name)

    def visit_MatchMapping(self, node: ast.MatchMapping) -> None:
        self.bind(node, node.rest)
        self.generic_visit(node)

    # ------------------------------------------------------------------ names

    def visit_Call(self, node: ast.Call) -> None:
        if isinstance(node.func, ast.Name) and node.func.id == "super":
            self.called.add(id(node.func))
            if node.args and not (isinstance(node.args[0], ast.Name)
                                  and node.args[0].id in self.classes):
                self.bad(node, "super() with arguments may only name a class the program "
                               "defines")
        self.generic_visit(node)

    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _FORBIDDEN_NAMES:
            self.bad(node, f"'{node.id}' is not allowed in a GameCWM")
        elif node.id == "super" and id(node) not in self.called:
            self.bad(node, "'super' may only be called")
        elif isinstance(node.ctx, ast.Load):
            if _dunder(node.id) and node.id not in READABLE_DUNDER_NAMES \
                    and node.id not in SPECIAL_METHODS and node.id != "__debug__":
                self.bad(node, f"the name '{node.id}' is not allowed in a GameCWM")
        else:
            self.bind(node, node.id)

    def visit_Constant(self, node: ast.Constant) -> None:
        # A docstring may name dunders: it is never a format string the program can walk
        # with (``.format`` is allowed on a literal only, and that literal is checked).
        if isinstance(node.value, str) and id(node) not in self.docstrings:
            # Format strings can walk attributes ("{0.__globals__}"): no dunders in text.
            found = set(_DUNDER_TEXT.findall(node.value)) - _OK_DUNDER_TEXT
            if found:
                self.bad(node, f"the string mentions {sorted(found)[0]}, which is not "
                               "allowed")

    def visit_Global(self, node: ast.Global) -> None:
        for name in node.names:
            if name in _FORBIDDEN_NAMES:
                self.bad(node, f"'{name}' is not allowed in a GameCWM")
            else:
                self.bind(node, name)


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
        tree = parse(source, "<candidate>")
    except SyntaxError as exc:
        return StaticAnalysis(f"line {exc.lineno}: {exc.msg}", (), {})
    except (ValueError, RecursionError, MemoryError) as exc:
        return StaticAnalysis(f"cannot parse: {type(exc).__name__}", (), {})
    tree.body = _without_main_blocks(tree)
    classes = {node.name for node in ast.walk(tree) if isinstance(node, ast.ClassDef)}
    docstrings = {id(node.body[0].value) for node in ast.walk(tree)
                  if isinstance(node, _DOCUMENTED) and node.body
                  and isinstance(node.body[0], ast.Expr)
                  and isinstance(node.body[0].value, ast.Constant)
                  and isinstance(node.body[0].value.value, str)}
    visitor = _Visitor(classes, docstrings)
    try:
        visitor.visit(tree)
    except RecursionError:
        return StaticAnalysis(None, (Violation(0, "the program is nested too deeply"),), {})
    functions = {node.name: _arity(node) for node in tree.body
                 if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)}
    return StaticAnalysis(None, tuple(visitor.violations), functions)
