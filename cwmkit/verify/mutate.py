"""Mutation testing of the verifier: how many wrong programs does it pass?

``generate(source)`` makes mutants of a reference GameCWM at the AST level (an operator
swapped, a constant off by one, a branch dropped, a copy turned into an alias, hidden
state leaked, ...), deterministically and capped. ``run_mutation(verifier, game)`` verifies
each one; a mutant that scores 1.0 is compared at length with the reference to tell a
blind spot of the verifier (some behaviour differs) from an equivalent mutant (none does).
"""

from __future__ import annotations

import ast
import copy
import random
from collections.abc import Callable, Iterator

import attrs
from attrs import frozen

from cwmkit.sandbox.contract import FUNCTIONS as API_FUNCTIONS
from cwmkit.verify.rare import RARE_OPERATORS, rare_sites
from cwmkit.verify.verifier import Verifier

__all__ = ["RARE_OPERATORS", "Mutant", "MutantResult", "MutationReport",
           "behaviour_difference", "generate", "killers", "run_mutation"]

COMPARE_SWAPS = {ast.Lt: ast.LtE, ast.LtE: ast.Lt, ast.Gt: ast.GtE, ast.GtE: ast.Gt,
                 ast.Eq: ast.NotEq, ast.NotEq: ast.Eq, ast.In: ast.NotIn, ast.NotIn: ast.In,
                 ast.Is: ast.IsNot, ast.IsNot: ast.Is}
ARITH_SWAPS = {ast.Add: ast.Sub, ast.Sub: ast.Add, ast.Mult: ast.FloorDiv,
               ast.FloorDiv: ast.Mult, ast.Div: ast.Mult, ast.Mod: ast.FloorDiv,
               ast.Pow: ast.Mult}
SYMBOLS = {ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Eq: "==",
           ast.NotEq: "!=", ast.In: "in", ast.NotIn: "not in", ast.Is: "is",
           ast.IsNot: "is not", ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.FloorDiv: "//",
           ast.Div: "/", ast.Mod: "%", ast.Pow: "**", ast.And: "and", ast.Or: "or"}
COPIERS = {"deepcopy", "copy", "list", "dict", "set", "tuple"}
PLAYERISH = ("player", "to_move", "turn", "current", "mover", "who", "seat")
#: Most mutants of an operator per game: a hanging program spends the whole session's CPU
#: budget, and one is enough to show that the verifier survives it.
OPERATOR_CAPS = {"loop": 1}
STATEMENTS = (ast.Assign, ast.AugAssign, ast.AnnAssign, ast.Expr, ast.If, ast.For)

#: An edit: called on the node found at a site (in a fresh copy of the tree).
Edit = Callable[[ast.AST], None]


@frozen
class Mutant:
    operator: str
    function: str
    line: int
    description: str
    source: str


@frozen
class MutantResult:
    mutant: Mutant
    status: str
    score: float | None
    killed_by: tuple[str, ...]
    equivalent: bool = False
    difference: str = ""

    @property
    def killed(self) -> bool:
        if self.status == "ok":
            return (self.score or 0.0) < 1.0
        return self.status != "infra_error"

    @property
    def undecided(self) -> bool:
        """The sandbox failed (twice): no verdict, so it counts neither way."""
        return self.status == "infra_error"

    def to_dict(self) -> dict:
        out = {k: v for k, v in attrs.asdict(self, recurse=False).items() if k != "mutant"}
        out.update(attrs.asdict(self.mutant), killed=self.killed, undecided=self.undecided,
                   killed_by=list(self.killed_by))
        del out["source"]
        return out


def _tally(results) -> dict:
    killed = sum(r.killed for r in results)
    equivalent = sum(r.equivalent for r in results)
    undecided = sum(r.undecided for r in results)
    relevant = len(results) - equivalent - undecided
    return {"mutants": len(results), "killed": killed, "equivalent": equivalent,
            "undecided": undecided, "kill_rate": round(killed / relevant, 4) if relevant
            else 1.0, "survivors": [r.mutant.description for r in results
                                    if not (r.killed or r.equivalent or r.undecided)]}


@frozen
class MutationReport:
    """Ordinary mutants (``results``, summarised at the top level) and rare-bug mutants
    (``cwmkit.verify.rare``, summarised apart under ``rare``)."""

    game: str
    reference_score: float | None
    results: tuple[MutantResult, ...]
    rare_results: tuple[MutantResult, ...] = ()
    reference_verified: bool = False

    @property
    def killed(self) -> int:
        return sum(r.killed for r in self.results)

    @property
    def equivalent(self) -> int:
        return sum(r.equivalent for r in self.results)

    @property
    def undecided(self) -> int:
        return sum(r.undecided for r in self.results)

    @property
    def survivors(self) -> list[MutantResult]:
        return [r for r in self.results if not (r.killed or r.equivalent or r.undecided)]

    @property
    def kill_rate(self) -> float:
        return _tally(self.results)["kill_rate"]

    def by_tier(self) -> dict[str, int]:
        counts: dict[str, int] = {}
        for r in (*self.results, *self.rare_results):
            for name in r.killed_by:
                counts[name] = counts.get(name, 0) + 1
        return dict(sorted(counts.items()))

    def to_dict(self) -> dict:
        return {"game": self.game, "reference_score": self.reference_score,
                "reference_verified": self.reference_verified, **_tally(self.results),
                "rare": _tally(self.rare_results), "by_tier": self.by_tier(),
                "results": [r.to_dict() for r in self.results],
                "rare_results": [r.to_dict() for r in self.rare_results]}


# --------------------------------------------------------------------------- operators


class _Sites(ast.NodeVisitor):
    """Walks a tree and lists every mutation site: (operator, function, line, what, edit).

    Nodes are addressed by their index in ``ast.walk`` order, which a deep copy keeps."""

    def __init__(self, tree: ast.Module, imperfect: bool) -> None:
        self.index = {id(n): i for i, n in enumerate(ast.walk(tree))}
        self.imperfect = imperfect
        self.function = "<module>"
        self.comparing = 0  # inside a comparison: a number there is no payoff
        self.sites: list[tuple[str, str, int, str, int, Edit]] = []

    def add(self, operator: str, node: ast.AST, what: str, edit: Edit,
            line: int | None = None) -> None:
        self.sites.append((operator, self.function, line or getattr(node, "lineno", 0), what,
                           self.index[id(node)], edit))

    @property
    def payoffs(self) -> bool:
        return self.function == "get_rewards" and not self.comparing

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self.function = self.function, (node.name if self.function == "<module>"
                                               else self.function)
        if outer == "<module>":
            self._function_sites(node)
        self.generic_visit(node)
        self.function = outer

    def _function_sites(self, node: ast.FunctionDef) -> None:
        hang = ast.parse("while True:\n    pass").body

        def loop(n):
            n.body = copy.deepcopy(hang) + n.body

        if node.name in API_FUNCTIONS:  # a helper may never be called
            self.add("loop", node, "never returns (`while True: pass` first)", loop)
        args = [a.arg for a in node.args.args]
        if node.name == "apply_action" and args:
            self._alias_returns(node, args[0])
        if node.name == "get_observations" and args and self.imperfect:
            self._leaks(node, args[0])

    def _alias_returns(self, node: ast.FunctionDef, state: str) -> None:
        for ret in [n for n in ast.walk(node) if isinstance(n, ast.Return) and n.value]:
            if isinstance(ret.value, ast.Name) and ret.value.id == state:
                continue
            code = f"{state}.clear(); {state}.update(__new); return {state}"

            def edit(n, code=code):
                n.value = ast.Call(ast.Name("dict"), [n.value], [])

            self.add("alias", ret, "updates and returns the input state instead of a new one",
                     _with_prelude(edit, code))

    def _leaks(self, node: ast.FunctionDef, state: str) -> None:
        for ret in [n for n in ast.walk(node) if isinstance(n, ast.Return) and n.value]:
            def edit(n, state=state):
                n.value = ast.parse(f"[dict(__o, hidden_state=repr({state})) for __o in "
                                    f"{ast.unparse(n.value)}]", mode="eval").body

            self.add("leak", ret, "adds the full state to every player's observation", edit)

    def visit_Compare(self, node: ast.Compare) -> None:
        for k, op in enumerate(node.ops):
            swap = COMPARE_SWAPS.get(type(op))
            if swap:
                def edit(n, k=k, swap=swap):
                    n.ops[k] = swap()

                self.add("compare", node, f"`{SYMBOLS[type(op)]}` -> `{SYMBOLS[swap]}`", edit)
        if len(node.ops) == 1 and _playerish(node.left):
            right = node.comparators[0]
            if isinstance(right, ast.Constant) and right.value in (0, 1) \
                    and type(right.value) is int:
                def other(n):
                    n.comparators[0] = ast.Constant(1 - n.comparators[0].value)

                self.add("player", node, f"player {right.value} -> {1 - right.value}", other)
        self.comparing += 1
        self.generic_visit(node)
        self.comparing -= 1

    def visit_BinOp(self, node: ast.BinOp) -> None:
        self._arith(node)
        if isinstance(node.op, ast.Sub) and isinstance(node.left, ast.Constant) \
                and node.left.value == 1 and _playerish(node.right):
            self.add("player", node, f"`1 - {ast.unparse(node.right)}` -> "
                     f"`{ast.unparse(node.right)}`", _replace_with("right"))
        self.generic_visit(node)

    def visit_AugAssign(self, node: ast.AugAssign) -> None:
        self._arith(node)
        self.generic_visit(node)

    def _arith(self, node) -> None:
        swap = ARITH_SWAPS.get(type(node.op))
        if swap:
            def edit(n, swap=swap):
                n.op = swap()

            self.add("arith", node, f"`{SYMBOLS[type(node.op)]}` -> `{SYMBOLS[swap]}`", edit)

    def visit_BoolOp(self, node: ast.BoolOp) -> None:
        swap = ast.Or if isinstance(node.op, ast.And) else ast.And

        def edit(n):
            n.op = swap()

        self.add("boolean", node, f"`{SYMBOLS[type(node.op)]}` -> `{SYMBOLS[swap]}`", edit)
        self.generic_visit(node)

    def visit_UnaryOp(self, node: ast.UnaryOp) -> None:
        if isinstance(node.op, ast.Not):
            self.add("boolean", node, "drops a `not`", _replace_with("operand"))
        elif isinstance(node.op, ast.USub) and self.payoffs:
            self.add("payoff", node, "drops a minus sign", _replace_with("operand"))
        self.generic_visit(node)

    def visit_Constant(self, node: ast.Constant) -> None:
        value = node.value
        if type(value) is bool:
            self.add("boolean", node, f"`{value}` -> `{not value}`",
                     _set_value(not value))
        elif type(value) in (int, float) and self.payoffs and value:
            self.add("payoff", node, f"payoff `{value}` -> `{-value}`", _set_value(-value))
            self.add("payoff", node, f"payoff `{value}` -> `{value * 2}`",
                     _set_value(value * 2))
        elif type(value) is int:
            for new in (value + 1, value - 1):
                self.add("constant", node, f"`{value}` -> `{new}`", _set_value(new))

    def visit_Subscript(self, node: ast.Subscript) -> None:
        index = node.slice
        if isinstance(index, (ast.Name, ast.BinOp, ast.Call)):
            def edit(n):
                n.slice = ast.BinOp(n.slice, ast.Add(), ast.Constant(1))

            self.add("index", node, f"index `{ast.unparse(index)}` -> "
                     f"`{ast.unparse(index)} + 1`", edit)
        self.generic_visit(node)

    def visit_Call(self, node: ast.Call) -> None:
        name = node.func.attr if isinstance(node.func, ast.Attribute) else \
            getattr(node.func, "id", "")
        if name == "range" and node.args:
            def edit(n):
                k = 1 if len(n.args) > 1 else 0
                n.args[k] = ast.BinOp(n.args[k], ast.Sub(), ast.Constant(1))

            self.add("range", node, "`range` stops one early", edit)
        copied = node.args[0] if len(node.args) == 1 and not node.keywords else None
        if name in COPIERS and isinstance(copied, (ast.Name, ast.Subscript, ast.Attribute)):
            self.add("alias", node, f"`{ast.unparse(node)}` -> `{ast.unparse(copied)}` "
                     "(an alias, not a copy)", _become(lambda n: n.args[0]))
        elif name == "copy" and isinstance(node.func, ast.Attribute) and not node.args:
            self.add("alias", node, f"`{ast.unparse(node)}` -> "
                     f"`{ast.unparse(node.func.value)}` (an alias, not a copy)",
                     _become(lambda n: n.func.value))
        self.generic_visit(node)

    def generic_visit(self, node: ast.AST) -> None:
        for field in ("body", "orelse"):
            block = getattr(node, field, None)
            if isinstance(block, list) and self.function != "<module>":
                self._statement_sites(node, field, block)
        super().generic_visit(node)

    def _statement_sites(self, parent: ast.AST, field: str, block: list) -> None:
        for k, stmt in enumerate(block):
            docstring = isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Constant)
            if isinstance(stmt, STATEMENTS) and not docstring \
                    and not (len(block) == 1 and field == "body"):
                text = ast.unparse(stmt).splitlines()[0][:60]

                def drop(n, field=field, k=k):
                    getattr(n, field).pop(k)

                self.add("drop", parent, f"drops `{text}`", drop, stmt.lineno)
            if isinstance(stmt, ast.If):
                test = ast.unparse(stmt.test)[:60]
                self.add("branch", stmt, f"`if {test}:` body -> `pass`", _set_body_pass)
                if len(stmt.orelse) == 1 and isinstance(stmt.orelse[0], ast.If):
                    def unelif(n):
                        n.orelse = n.orelse[0].orelse

                    self.add("branch", stmt, f"removes the `elif` after `if {test}:`", unelif)
                elif stmt.orelse:
                    self.add("branch", stmt, f"removes the `else` of `if {test}:`",
                             _clear("orelse"))


def _playerish(node: ast.AST) -> bool:
    text = ast.unparse(node).lower()
    return any(word in text for word in PLAYERISH)


def _set_value(value) -> Edit:
    def edit(n):
        n.value = value
    return edit


def _replace_with(field: str) -> Edit:
    """Marks the node to be replaced by one of its children (see ``_Replace``)."""
    def edit(n):
        n._replace_by = getattr(n, field)
    return edit


def _become(child: Callable[[ast.AST], ast.AST]) -> Edit:
    """Marks the node to be replaced by ``child(node)``, e.g. its argument."""
    def edit(n):
        n._replace_by = child(n)
    return edit


def _set_body_pass(n) -> None:
    n.body = [ast.Pass()]


def _clear(field: str) -> Edit:
    def edit(n):
        setattr(n, field, [])
    return edit


def _with_prelude(edit: Edit, code: str) -> Edit:
    """A return statement becomes ``__new = <value>`` followed by ``code``."""
    def wrapped(n):
        edit(n)
        n._replace_stmts = [ast.Assign([ast.Name("__new", ast.Store())], n.value),
                            *ast.parse(code).body]
    return wrapped


class _Replace(ast.NodeTransformer):
    def visit(self, node):
        node = self.generic_visit(node)
        if hasattr(node, "_replace_stmts"):
            return node._replace_stmts
        return getattr(node, "_replace_by", node)


def _apply(tree: ast.Module, index: int, edit: Edit) -> str:
    fresh = copy.deepcopy(tree)
    edit(next(n for i, n in enumerate(ast.walk(fresh)) if i == index))
    fresh = ast.fix_missing_locations(_Replace().visit(fresh))
    return ast.unparse(fresh)


def _interleave(groups: dict[str, list]) -> Iterator:
    """Round-robin over groups (sorted by key), so every group gets a fair share."""
    queues = [list(groups[k]) for k in sorted(groups)]
    while any(queues):
        for queue in queues:
            if queue:
                yield queue.pop(0)


def generate(source: str, *, imperfect: bool = False, max_mutants: int = 60,
             seed: int = 0, rare: bool = False) -> list[Mutant]:
    """Mutants of ``source``: compiling, distinct, sampled evenly over operators and then
    functions, deterministic for a given source and seed. With ``rare``, the operators
    that model rare rule bugs (``cwmkit.verify.rare``) instead of the ordinary ones."""
    tree = ast.parse(source)
    sites = _Sites(tree, imperfect)
    sites.visit(tree)
    found = rare_sites(tree, sites.index) if rare else sites.sites
    rng = random.Random(seed)
    by_operator: dict[str, dict[str, list]] = {}
    for site in found:
        by_operator.setdefault(site[0], {}).setdefault(site[1], []).append(site)
    for functions in by_operator.values():
        for items in functions.values():
            rng.shuffle(items)
    ordered = _interleave({op: list(_interleave(fs)) for op, fs in by_operator.items()})
    original = ast.unparse(tree)
    seen = {original}
    mutants: list[Mutant] = []
    taken: dict[str, int] = {}
    for operator, function, line, what, index, edit in ordered:
        if len(mutants) >= max_mutants:
            break
        if taken.get(operator, 0) >= OPERATOR_CAPS.get(operator, max_mutants):
            continue
        try:
            text = _apply(tree, index, edit)
            compile(text, "<mutant>", "exec")
        except (SyntaxError, ValueError, TypeError, StopIteration):
            continue
        if text in seen:
            continue
        seen.add(text)
        taken[operator] = taken.get(operator, 0) + 1
        mutants.append(Mutant(operator, function, line, f"{function} line {line}: {what}",
                              text))
    return mutants


# --------------------------------------------------------------------------- running

#: How hard a survivor is examined before it is called equivalent: far more reference
#: trajectories and playouts than a normal verification, with the CPU to match.
EQUIVALENCE_SETTINGS = {"differential_trajectories": 400, "playouts": 400, "resamples": 200,
                        "privacy_trajectories": 100, "session_cpu_seconds": 900.0,
                        "wall_backstop_seconds": 900.0}


def killers(report) -> tuple[str, ...]:
    """The status (when not ok) and every tier that ran and scored below 1.0."""
    tiers = [name for name, t in report.tiers.items() if t.skipped is None and t.score < 1.0]
    return tuple(([report.status] if report.status != "ok" else []) + tiers)


def run_mutation(verifier, game, *, max_mutants: int = 60, max_rare: int = 0,
                 seed: int = 0, equivalence_trajectories: int = 400,
                 progress=None) -> MutationReport:
    """Verify the reference, its ordinary mutants and ``max_rare`` rare-bug mutants;
    examine every survivor for equivalence. ``progress(done, total)`` is called as
    mutants finish."""
    game = verifier.resolve_game(game)
    reference = game.reference_path.read_text("utf-8")
    mutants = generate(reference, imperfect=game.spec.imperfect, max_mutants=max_mutants,
                       seed=seed)
    rare = generate(reference, imperfect=game.spec.imperfect, max_mutants=max_rare,
                    seed=seed, rare=True) if max_rare else []
    everything = mutants + rare
    sources = [reference] + [m.source for m in everything]
    futures = [verifier.submit(s, game=game) for s in sources]
    reports = []
    for done, future in enumerate(futures, 1):
        report = future.result()
        if report.status == "infra_error":  # a sandbox hiccup, not a verdict: once more
            report = verifier.verify(sources[done - 1], game=game)
        reports.append(report)
        if progress:
            progress(done, len(futures))
    results = [MutantResult(m, r.status, r.score, killers(r))
               for m, r in zip(everything, reports[1:], strict=True)]
    survivors = [i for i, r in enumerate(results) if not r.killed]
    if survivors:
        settings = verifier.settings.evolve(**{
            **EQUIVALENCE_SETTINGS, "differential_trajectories": equivalence_trajectories,
            "playouts": equivalence_trajectories})
        with Verifier(settings, host=verifier.host) as strong:
            for i in survivors:
                difference = behaviour_difference(strong, game, results[i].mutant.source)
                status = "infra_error" if difference.startswith("infra_error") else "ok"
                results[i] = attrs.evolve(results[i], status=status, difference=difference,
                                          equivalent=not difference)
    return MutationReport(game.spec.id, reports[0].score, tuple(results[: len(mutants)]),
                          tuple(results[len(mutants):]), reports[0].verified)


def behaviour_difference(strong, game, source: str) -> str:
    """What a long examination by ``strong`` (a verifier with far more trajectories and
    playouts) finds different from the reference; "" when nothing. The differential tier
    compares, in lockstep along reference trajectories, the player to move, the legal
    actions, the rewards and which states each player's observations tell apart."""
    report = strong.verify(source, game=game)
    if report.status == "infra_error":  # a sandbox hiccup, not a verdict: once more
        report = strong.verify(source, game=game)
    if report.status != "ok":
        return f"{report.status}: {report.message}"
    failures = report.failures
    if failures:
        tier_name, check = failures[0]
        return f"{tier_name}.{check.name}: {check.message}"
    return ""
