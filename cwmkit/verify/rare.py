"""Mutation operators that model rare rule bugs: one case missed, not a rule broken.

A bug that random play seldom reaches is one rule case among many: a line of the win
table left out, a direction never scanned, the last row skipped by a loop. These
operators make such mutants (``mutate.generate`` mixes them in; reports count them
apart, since catching them is what coverage-guided and exhaustive exploration is for):

- ``table``: drop one element of a literal table of two or more tuples or lists (lines,
  directions, offsets);
- ``case``: skip the first or the last element of a loop over a fixed collection (a
  ``for`` statement or a comprehension): one case of the rule, in one position;
- ``edge``: shift a ``range`` bound at one edge (``range(n)`` -> ``range(1, n)``,
  ``range(a, b)`` -> ``range(a + 1, b)``).
"""

from __future__ import annotations

import ast
import copy
from collections.abc import Callable

__all__ = ["RARE_OPERATORS", "rare_sites"]

RARE_OPERATORS = ("table", "case", "edge")

#: (operator, function, line, description, node index, edit) as in ``mutate``.
Site = tuple[str, str, int, str, int, Callable[[ast.AST], None]]


def _pure(node: ast.AST) -> bool:
    """An iterable whose re-evaluation is harmless: a name, an attribute or item of one,
    a literal, or ``range`` of such."""
    if isinstance(node, ast.Name | ast.Constant):
        return True
    if isinstance(node, ast.Attribute):
        return _pure(node.value)
    if isinstance(node, ast.Subscript):
        return _pure(node.value) and _pure(node.slice)
    if isinstance(node, ast.Tuple | ast.List):
        return all(_pure(e) for e in node.elts)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
            node.func.id == "range" and not node.keywords:
        return all(_pure(a) for a in node.args)
    if isinstance(node, ast.BinOp):
        return _pure(node.left) and _pure(node.right)
    return False


def _target_expr(target: ast.AST) -> ast.AST | None:
    """The loop target as an expression (names and tuples of names only)."""
    if isinstance(target, ast.Name):
        return ast.Name(target.id, ast.Load())
    if isinstance(target, ast.Tuple) and all(isinstance(e, ast.Name) for e in target.elts):
        return ast.Tuple([ast.Name(e.id, ast.Load()) for e in target.elts], ast.Load())
    return None


def _is_case(target: ast.AST, iterable: ast.AST, position: int) -> ast.expr:
    """``target == [*iterable][position]`` (a tuple target compares as a tuple)."""
    value = _target_expr(target)
    element = ast.Subscript(ast.List([ast.Starred(copy.deepcopy(iterable), ast.Load())],
                                     ast.Load()),
                            ast.Constant(position), ast.Load())
    if isinstance(value, ast.Tuple):
        element = ast.Call(ast.Name("tuple", ast.Load()), [element], [])
    return ast.Compare(value, [ast.Eq()], [element])


def _functions(tree: ast.Module) -> dict[int, str]:
    """Node id -> the top-level function it is in."""
    out = {}
    for top in tree.body:
        if isinstance(top, ast.FunctionDef | ast.AsyncFunctionDef):
            for node in ast.walk(top):
                out[id(node)] = top.name
    return out


def rare_sites(tree: ast.Module, index: dict[int, int]) -> list[Site]:
    """Every rare-bug mutation site of ``tree`` (``index``: node id -> walk order)."""
    where = _functions(tree)
    sites: list[Site] = []

    def add(operator, node, what, edit, line=None):
        sites.append((operator, where.get(id(node), "<module>"),
                      line or getattr(node, "lineno", 0), what, index[id(node)], edit))

    for node in ast.walk(tree):
        if isinstance(node, ast.List | ast.Tuple) and isinstance(node.ctx, ast.Load) and \
                len(node.elts) >= 2 and all(isinstance(e, ast.Tuple | ast.List)
                                            for e in node.elts):
            for k, element in enumerate(node.elts):
                def drop(n, k=k):
                    n.elts.pop(k)

                add("table", node, f"table loses `{ast.unparse(element)[:40]}`", drop)
        elif isinstance(node, ast.For) and _pure(node.iter) and _target_expr(node.target):
            for position, name in ((0, "first"), (-1, "last")):
                def skip(n, position=position):
                    test = _is_case(n.target, n.iter, position)
                    n.body.insert(0, ast.If(test, [ast.Continue()], []))

                add("case", node, f"`for {ast.unparse(node.target)} in "
                    f"{ast.unparse(node.iter)[:30]}` skips its {name} case", skip)
        elif isinstance(node, ast.ListComp | ast.SetComp | ast.GeneratorExp | ast.DictComp):
            for k, gen in enumerate(node.generators):
                if not (_pure(gen.iter) and _target_expr(gen.target)):
                    continue
                for position, name in ((0, "first"), (-1, "last")):
                    def skip(n, k=k, position=position):
                        g = n.generators[k]
                        g.ifs.append(ast.UnaryOp(ast.Not(),
                                                 _is_case(g.target, g.iter, position)))

                    add("case", node, f"`for {ast.unparse(gen.target)} in "
                        f"{ast.unparse(gen.iter)[:30]}` skips its {name} case", skip)
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and \
                node.func.id == "range" and 1 <= len(node.args) <= 2 and not node.keywords:
            def shift(n):
                if len(n.args) == 1:
                    n.args = [ast.Constant(1), n.args[0]]
                else:
                    n.args[0] = ast.BinOp(n.args[0], ast.Add(), ast.Constant(1))

            add("edge", node, f"`{ast.unparse(node)}` starts one late", shift)
    return sites
