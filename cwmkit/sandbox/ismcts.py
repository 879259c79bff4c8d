"""Information-set MCTS over an imperfect-information GameCWM (see ``search``).

Single-observer ISMCTS as in OpenSpiel's ``ismcts.py``: the search takes a resampler
callback that draws root worlds; :class:`ViewResampler` is the one built on the program's
own ``resample_history``. Standard library only, imported by path in the sandbox's child.
"""

from __future__ import annotations

import math

try:
    from cwmkit.sandbox.search import (
        CHANCE,
        TERMINAL,
        Program,
        RandomRollout,
        Rng,
        SearchFailure,
        SearchResult,
        _Budget,
        _Faults,
    )
except ImportError:  # run by the zygote as a script: siblings by path
    from search import (
        CHANCE,
        TERMINAL,
        Program,
        RandomRollout,
        Rng,
        SearchFailure,
        SearchResult,
        _Budget,
        _Faults,
    )

__all__ = ["ISMCTS", "ViewResampler"]


class _InfoNode:
    __slots__ = ("visits", "children", "banned")

    def __init__(self) -> None:
        self.visits = 0
        self.children = {}  # action -> [visits, total return of the mover]
        self.banned = None  # actions the program failed to apply here


class ViewResampler:
    """The root worlds of one decision, from the program's own ``resample_history``.

    The player's view is its (observation, action) pairs so far; at the decision it has
    an observation and no action yet, so the view handed over ends with the current
    observation and ``placeholder`` (one of the actions the player may take), and the
    sampled history without its last action is the world. A sample is kept only if it
    replays legally to a state where the player moves, having taken the view's own
    actions at exactly as many earlier turns. ``seed_global(seed)`` seeds the random
    module the program samples with, once per decision.
    """

    def __init__(self, program: Program, view: list, player: int, placeholder,
                 *, seed_global=None, seed: int = 0) -> None:
        self.program = program
        self.view = list(view)
        self.player = player
        self.placeholder = placeholder
        self.rejected = 0
        self.last_problem = None
        if seed_global is not None:
            seed_global(seed)

    def __call__(self):
        program, player = self.program, self.player
        history = program.resample(self.view, player)
        if type(history) is tuple:
            history = list(history)
        problem = None
        if type(history) is not list or not history or history[-1] != self.placeholder:
            problem = "resample_history did not return a history ending with the player's " \
                      "action"
        else:
            own = [action for _, action in self.view[:-1]]
            state = program.initial()
            turns = 0
            for i, action in enumerate(history[:-1]):
                mover = program.player(state)
                if action not in program.legal(state):
                    problem = f"its action {i + 1} ({action!r}) is not legal"
                    break
                if mover == player:
                    if turns >= len(own) or own[turns] != action:
                        problem = "the player's own actions differ from its view"
                        break
                    turns += 1
                state = program.apply(state, action)
            if problem is None and (turns != len(own) or program.player(state) != player):
                problem = "it does not end at the player's turn after its view"
        if problem is not None:
            self.rejected += 1
            self.last_problem = problem
            return None
        return state


class ISMCTS:
    """Single-observer information-set MCTS: each simulation starts from a world drawn
    from the resampler (up to ``world_samples`` of them, then reused at random), nodes
    are keyed by the mover's information, an action unavailable in a world is skipped
    there, and the most visited root action is chosen."""

    def __init__(self, program: Program, *, simulations: int = 1000, uct_c: float = 2.0,
                 evaluator: RandomRollout | None = None, world_samples: int = 64,
                 copy: bool = False, errors: tuple = (), fatal=None,
                 cpu_seconds: float | None = None, max_rejections: int = 64) -> None:
        self.program = program
        self.simulations = int(simulations)
        self.uct_c = float(uct_c)
        self.evaluator = evaluator or RandomRollout()
        self.world_samples = max(1, int(world_samples))
        self.copy = copy and program.copy is not None
        self.errors = errors
        self.fatal = fatal
        self.cpu_seconds = cpu_seconds
        self.max_rejections = max_rejections

    def search(self, resample, player: int, rng: Rng) -> SearchResult:
        program, evaluator = self.program, self.evaluator
        player_of, legal_of, apply, obs_key = (program.player, program.legal, program.apply,
                                               program.obs_key)
        copy = program.copy if self.copy else None
        rand, c = rng.random, self.uct_c
        log, sqrt = math.log, math.sqrt
        root = _InfoNode()
        table: dict = {}
        ids: dict = {}
        worlds: list = []
        rejected = 0
        faults = _Faults(self.errors, self.fatal)
        budget = _Budget(self.cpu_seconds)
        done = 0
        while done < self.simulations and not budget.over(done):
            done += 1
            try:
                if len(worlds) < self.world_samples:
                    world = resample()
                    if world is None:
                        rejected += 1
                        if not worlds and rejected >= self.max_rejections:
                            break
                        if not worlds:
                            continue
                        world = worlds[int(rand() * len(worlds))]
                    else:
                        worlds.append(world)
                else:
                    world = worlds[int(rand() * len(worlds))]
                s = copy(world) if copy else world
                path = []
                own: dict = {}
                node, q, key = root, player, None
                while True:
                    legal = legal_of(s)
                    if node is None:
                        q = player_of(s)
                        if q == TERMINAL or not legal:
                            returns = program.rewards(s)
                            break
                        if q == CHANCE:
                            s = apply(s, legal[int(rand() * len(legal))])
                            continue
                        key = obs_key(s, q)
                        node = table.get((q, own.get(q, 0), key))
                        if node is None:
                            table[(q, own.get(q, 0), key)] = _InfoNode()
                            returns = evaluator.evaluate(program, s, rng)
                            break
                    elif not legal:
                        returns = program.rewards(s)
                        break
                    if node.banned:
                        legal = [a for a in legal if a not in node.banned]
                        if not legal:
                            returns = program.rewards(s)
                            break
                    stats = node.children
                    untried = [a for a in legal if a not in stats]
                    if untried:
                        action = untried[int(rand() * len(untried))]
                        stats[action] = [0, 0.0]
                    else:
                        action = None
                        best = -math.inf
                        scale = c * sqrt(log(node.visits)) if node.visits else 0.0
                        for a in legal:
                            n, total = stats[a]
                            u = total / n + scale / sqrt(n)
                            if u > best:
                                best, action = u, a
                    path.append((node, action, q))
                    link = (own.get(q, 0), key, action)
                    own[q] = ids.get(link) or ids.setdefault(link, len(ids) + 1)
                    try:
                        s = apply(s, action)
                    except self.errors:
                        node.banned = (node.banned or set()) | {action}
                        stats.pop(action, None)
                        raise
                    node = None
            except self.errors as exc:
                faults.note(exc)
                continue
            for n, action, mover in path:
                n.visits += 1
                entry = n.children[action]
                entry[0] += 1
                entry[1] += returns[mover]
        if not root.children:
            if faults.first is not None:
                raise faults.first
            detail = getattr(resample, "last_problem", None)
            raise SearchFailure("no_world", "no world consistent with the player's view"
                                + (f": {detail}" if detail else ""))
        visits = {a: e[0] for a, e in root.children.items()}
        values = {a: e[1] / e[0] if e[0] else 0.0 for a, e in root.children.items()}
        best = max(visits, key=lambda a: (visits[a], values[a]))
        stats = {"simulations": done, "worlds": len(worlds), "rejected": rejected,
                 "faults": faults.count, "nodes": len(table) + 1}
        if faults.first is not None:
            stats["fault"] = str(faults.first)[:300]
        return SearchResult(best, visits, values, stats)
