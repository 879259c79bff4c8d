"""Monte Carlo tree search over a GameCWM: MCTS for perfect information, ISMCTS for
imperfect information, both over the contract's functions only.

The same code plans with a trusted reference in the caller's process and with an
untrusted candidate inside its sandboxed child (``plan_op``): it touches states only by
handing them back to the program, and everything it keeps (actions, players, rewards,
observation keys) comes through a :class:`Program`, which checks the types where the
program is untrusted. Standard library only, imported by path in the child.

The parts follow OpenSpiel's Python MCTS: an evaluator (:class:`RandomRollout`), the
searches (:class:`MCTS`, :class:`ISMCTS`, each one decision from a root) and, on the
caller's side, bots that own a random state. ISMCTS takes a resampler callback (here
:class:`ViewResampler`, built on the program's own ``resample_history``).

Why it is fast without deep copies: ``apply_action`` returns a new state by contract,
so a simulation starts from the root state itself (a program known to mutate its input
gets one copy of the root per simulation, ``copy``); tree nodes keep their player and
their children once expanded, so going down the tree costs one ``apply_action`` per
edge; rollouts ask only ``get_legal_actions`` (an empty list is the end) and
``apply_action``, and chance is sampled uniformly like any other rollout move. The
transposition key of MCTS is the action path itself (children by action, no state is
hashed); ISMCTS keys a node by the mover, an interned integer naming its own earlier
(observation, action) pairs in the simulation, and the text of its current observation.
"""

from __future__ import annotations

import _random
import math
import time

__all__ = ["CHANCE", "MCTS", "TERMINAL", "Known", "Program", "RandomRollout", "Rng",
           "SearchFailure", "SearchResult", "merge"]

CHANCE = -1
TERMINAL = -4


class SearchFailure(Exception):
    """The program cannot be planned with from here (a history it cannot replay, no
    world consistent with the player's view, every simulation failing)."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message


class Rng:
    """Uniform choices from the C generator itself: its methods are no Python code a
    program could patch, and ``random()`` is the cheapest draw there is."""

    __slots__ = ("random",)

    def __init__(self, seed: int) -> None:
        self.random = _random.Random(int(seed) & 0xFFFFFFFFFFFFFFFF).random

    def below(self, n: int) -> int:
        return int(self.random() * n)

    def seed(self) -> int:
        return int(self.random() * 2**62)

    def shuffled(self, items: list) -> list:
        items = list(items)
        rand = self.random
        for i in range(len(items) - 1, 0, -1):
            j = int(rand() * (i + 1))
            items[i], items[j] = items[j], items[i]
        return items


class Program:
    """A GameCWM as the search sees it: one callable per contract function.

    ``obs_key(state, player)`` is a hashable text of ``player``'s observation (ISMCTS's
    node key); ``copy(state)`` copies a state for a program that mutates its input.
    """

    __slots__ = ("initial", "player", "legal", "apply", "rewards", "obs_key", "resample",
                 "copy", "observations", "table")

    def __init__(self, *, initial, player, legal, apply, rewards, observations=None,
                 obs_key=None, resample=None, copy=None) -> None:
        self.initial = initial
        self.player = player
        self.legal = legal
        self.apply = apply
        self.rewards = rewards
        self.observations = observations
        self.obs_key = obs_key or (lambda state, p: repr(observations(state)[p]))
        self.resample = resample
        self.copy = copy
        self.table = None

    @classmethod
    def from_module(cls, module) -> Program:
        """A trusted program (a reference, a bridged game): its functions as they are."""
        observations = getattr(module, "get_observations", None)
        return cls(initial=module.get_initial_state, player=module.get_current_player,
                   legal=module.get_legal_actions, apply=module.apply_action,
                   rewards=module.get_rewards, observations=observations,
                   resample=getattr(module, "resample_history", None))

    def memoized(self, cap: int = 100_000, key=repr) -> Program:
        """This program with its transitions remembered: for a trusted program only (pure
        and deterministic, as the contract says), whose states ``key`` names exactly
        (``repr`` of plain data: equal texts are equal states).

        States become ``Known`` records: a state met again, by any path, is one dict
        lookup, and its legal actions, player, rewards and successors are asked of the
        program once. At ``cap`` states nothing new is remembered (memory stays bounded).
        The searches run unchanged on it and draw the same random numbers, so a memoized
        search chooses exactly what the plain one does, only faster.
        """
        raw = self
        table: dict = {}

        def wrap(state) -> Known:
            k = key(state)
            known = table.get(k)
            if known is None:
                known = Known(state)
                if len(table) < cap:
                    table[k] = known
            return known

        def player(known):
            p = known.player
            if p is None:
                p = known.player = raw.player(known.state)
            return p

        def legal(known):
            actions = known.legal
            if actions is None:
                actions = known.legal = raw.legal(known.state)
            return actions

        def apply(known, action):
            nxt = known.next.get(action)
            if nxt is None:
                nxt = wrap(raw.apply(known.state, action))
                if len(table) < cap:
                    known.next[action] = nxt
            return nxt

        def rewards(known):
            returns = known.returns
            if returns is None:
                returns = known.returns = raw.rewards(known.state)
            return returns

        def obs_key(known, p):
            keys = known.keys
            if keys is None:
                keys = known.keys = {}
            k = keys.get(p)
            if k is None:
                k = keys[p] = raw.obs_key(known.state, p)
            return k

        memo = Program(initial=lambda: wrap(raw.initial()), player=player, legal=legal,
                       apply=apply, rewards=rewards, obs_key=obs_key, resample=raw.resample)
        memo.observations = lambda known: raw.observations(known.state)
        memo.table = table
        return memo

    def replay(self, history) -> object:
        """The state after ``history`` from the initial state; a ``SearchFailure`` at
        the first action the program does not list as legal."""
        state = self.initial()
        for i, action in enumerate(history):
            if action not in self.legal(state):
                raise SearchFailure("lost", f"the program does not allow {action!r} after "
                                            f"{list(history[:i])[-8:]} (move {i + 1})")
            state = self.apply(state, action)
        return state


class Known:
    """A state of a memoized program, with what the program said about it."""

    __slots__ = ("state", "player", "legal", "next", "returns", "keys")

    def __init__(self, state) -> None:
        self.state = state
        self.player = None
        self.legal = None
        self.next = {}
        self.returns = None
        self.keys = None


class RandomRollout:
    """The evaluator: the mean returns of ``rollouts`` uniformly random playouts (chance
    included), each cut at ``max_length`` moves."""

    def __init__(self, rollouts: int = 1, max_length: int = 10_000) -> None:
        self.rollouts = max(1, int(rollouts))
        self.max_length = int(max_length)

    def evaluate(self, program: Program, state, rng: Rng) -> list:
        legal_of, apply, rand = program.legal, program.apply, rng.random
        cap = self.max_length
        total = None
        for _ in range(self.rollouts):
            s = state
            steps = 0
            legal = legal_of(s)
            while legal and steps < cap:
                s = apply(s, legal[int(rand() * len(legal))])
                steps += 1
                legal = legal_of(s)
            returns = program.rewards(s)
            if total is None:
                total = list(returns)
            else:
                for i, r in enumerate(returns):
                    if i < len(total):
                        total[i] += r
        if self.rollouts == 1:
            return total
        return [t / self.rollouts for t in total]


class SearchResult:
    """One decision: the action chosen, and per root action its visits and mean value
    for the mover. ``stats`` says what it cost (simulations, samples, faults)."""

    __slots__ = ("action", "visits", "values", "stats")

    def __init__(self, action, visits: dict, values: dict, stats: dict) -> None:
        self.action = action
        self.visits = visits
        self.values = values
        self.stats = stats

    def to_dict(self) -> dict:
        return {"action": self.action, "visits": self.visits, "values": self.values,
                "stats": self.stats}


def merge(results: list[dict]) -> dict:
    """Root-parallel search: add up the root statistics of independent searches (each
    a ``SearchResult.to_dict()``) and choose the most visited action of the sum."""
    visits: dict = {}
    totals: dict = {}
    stats: dict = {}
    for r in results:
        for a, n in r["visits"].items():
            visits[a] = visits.get(a, 0) + n
            totals[a] = totals.get(a, 0.0) + n * r["values"].get(a, 0.0)
        for k, v in r["stats"].items():
            if type(v) in (int, float) and type(v) is not bool:
                stats[k] = stats.get(k, 0) + v
            else:
                stats.setdefault(k, v)
    values = {a: totals[a] / n if n else 0.0 for a, n in visits.items()}
    best = max(visits, key=lambda a: (visits[a], values[a])) if visits else \
        results[0]["action"]
    stats["workers"] = len(results)
    return {"action": best, "visits": visits, "values": values, "stats": stats}


class _Budget:
    """Stops a search at ``cpu_seconds`` of process time (checked every few simulations);
    the simulations already run still decide."""

    __slots__ = ("deadline",)

    def __init__(self, cpu_seconds: float | None) -> None:
        self.deadline = None if not cpu_seconds else time.process_time() + cpu_seconds

    def over(self, done: int) -> bool:
        return self.deadline is not None and done % 8 == 0 and \
            time.process_time() > self.deadline


class _Faults:
    """Simulations that raised one of ``errors`` (an untrusted program's faults): each
    is dropped; ``fatal(exc)`` says which end the search at once (a timeout)."""

    __slots__ = ("errors", "fatal", "count", "first")

    def __init__(self, errors: tuple, fatal) -> None:
        self.errors = errors
        self.fatal = fatal
        self.count = 0
        self.first = None

    def note(self, exc) -> None:
        self.count += 1
        if self.first is None:
            self.first = exc
        if self.fatal is not None and self.fatal(exc):
            raise exc


# --------------------------------------------------------------------------- MCTS


class _Node:
    __slots__ = ("action", "mover", "player", "visits", "total", "children")

    def __init__(self, action, mover: int) -> None:
        self.action = action
        self.mover = mover      # who chose the edge into this node (its value is theirs)
        self.player = None      # who moves here, once expanded
        self.visits = 0
        self.total = 0.0
        self.children = None    # list of _Node once expanded; () at a terminal state


class MCTS:
    """UCT over a perfect-information GameCWM: random-rollout leaves, max^n backup (each
    node's value is its mover's return), chance children sampled uniformly, the most
    visited root action chosen."""

    def __init__(self, program: Program, *, simulations: int = 1000, uct_c: float = 2.0,
                 evaluator: RandomRollout | None = None, copy: bool = False,
                 errors: tuple = (), fatal=None, cpu_seconds: float | None = None) -> None:
        self.program = program
        self.simulations = int(simulations)
        self.uct_c = float(uct_c)
        self.evaluator = evaluator or RandomRollout()
        self.copy = copy and program.copy is not None
        self.errors = errors
        self.fatal = fatal
        self.cpu_seconds = cpu_seconds

    def search(self, state, rng: Rng) -> SearchResult:
        program, evaluator = self.program, self.evaluator
        player_of, legal_of, apply = program.player, program.legal, program.apply
        copy = program.copy if self.copy else None
        rand, c = rng.random, self.uct_c
        log, sqrt = math.log, math.sqrt
        root = _Node(None, CHANCE)
        faults = _Faults(self.errors, self.fatal)
        budget = _Budget(self.cpu_seconds)
        done = 0
        while done < self.simulations and not budget.over(done):
            done += 1
            node = root
            s = copy(state) if copy else state
            path = [root]
            try:
                while True:
                    children = node.children
                    if children is None:
                        if node.visits == 0 and node is not root:
                            returns = evaluator.evaluate(program, s, rng)
                            break
                        p = player_of(s)
                        node.player = p
                        legal = legal_of(s) if p != TERMINAL else ()
                        if not legal:
                            node.children = ()
                            returns = program.rewards(s)
                            break
                        children = node.children = [_Node(a, p) for a in rng.shuffled(legal)]
                    elif not children:
                        returns = program.rewards(s)
                        break
                    if node.player == CHANCE:
                        child = children[int(rand() * len(children))]
                    else:
                        child = None
                        best = -math.inf
                        scale = c * sqrt(log(node.visits)) if node.visits else 0.0
                        for ch in children:
                            n = ch.visits
                            if n == 0:
                                child = ch
                                break
                            u = ch.total / n + scale / sqrt(n)
                            if u > best:
                                best, child = u, ch
                    try:
                        s = apply(s, child.action)
                    except self.errors:
                        children.remove(child)  # the program cannot play it: drop it
                        raise
                    node = child
                    path.append(node)
            except self.errors as exc:
                faults.note(exc)
                continue
            for n in path:
                n.visits += 1
                if n.mover >= 0:
                    n.total += returns[n.mover]
        if root.children is None or not root.children:
            if faults.first is not None:
                raise faults.first
            raise SearchFailure("no_actions", "the program lists no legal action here")
        best = max(root.children, key=lambda ch: (ch.visits, ch.total))
        visits = {ch.action: ch.visits for ch in root.children}
        values = {ch.action: ch.total / ch.visits if ch.visits else 0.0
                  for ch in root.children}
        stats = {"simulations": done, "faults": faults.count}
        if faults.first is not None:
            stats["fault"] = str(faults.first)[:300]
        return SearchResult(best.action, visits, values, stats)
