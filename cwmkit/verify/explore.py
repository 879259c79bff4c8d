"""Exploration of a game through its trusted reference: what every candidate is tested on.

Built once per game (per reference text and settings), kept in memory and on disk under
the user's cache directory (``$CWMKIT_CACHE_DIR``, else ``$XDG_CACHE_HOME/cwmkit``, else
``~/.cache/cwmkit``), and the same for every program, so it costs nothing per program:

- ``pool``: coverage-guided trajectories. The reference runs under ``coverage.Tracer``;
  random playouts seed a corpus, then the search replays a prefix of a corpus entry that
  holds rare features, branches off at a random point and plays on at random, keeping
  every trajectory that reaches a feature (a branch, a line, a hit count) none reached
  before. A greedy cover then picks the few trajectories that together reach every
  feature found, shortest first. Rare rules (the win on the last cell of one column, a
  special move) are reached on purpose rather than by luck.
- ``tree``: every reachable state, when the game has at most ``exhaustive_states`` of them
  (tic-tac-toe's 5,478, matrix games, Kuhn poker), as a tree of one shortest history per
  state: the candidate is compared on all of them.
- ``views``: for imperfect information, small views (a player's observations and actions up
  to one of its turns) with every history consistent with them, the chance-weighted
  posterior over those histories and the reference's own samples: the judge of
  ``resample_history``'s distribution.

Everything is seeded from the reference's hash; budgets are counts (traced line hits,
states), never time, so an exploration is the same on every machine (for one Python).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import threading
import time
from pathlib import Path

from attrs import asdict, field, frozen

from cwmkit.sandbox.plain import canonical
from cwmkit.spec.model import TERMINAL_PLAYER
from cwmkit.verify.coverage import BACKEND, Tracer, bucket, executable_lines
from cwmkit.verify.seeding import SeededReference
from cwmkit.verify.views import small_views

__all__ = ["EXPLORE_VERSION", "Exploration", "cache_dir", "exploration", "reachable_tree"]

EXPLORE_VERSION = 3
#: Walks without a new feature after which the search stops early.
PATIENCE = 300
#: Random playouts that seed the corpus.
SEEDS = 24
#: Most walks of one search, whatever the budget left.
MAX_WALKS = 20_000


@frozen
class Exploration:
    game: str
    pool: tuple = field(converter=lambda v: tuple(tuple(t) for t in v))
    tree: tuple | None = field(converter=lambda v: None if v is None else
                               tuple((int(p), a) for p, a in v))
    views: tuple = field(converter=tuple, default=())
    stats: dict = field(factory=dict)
    #: Per pool trajectory, the ``[player, turns]`` views whose resampling the search
    #: traced (rare resampling cases are reached at those cuts).
    cuts: tuple = field(converter=lambda v: tuple(tuple(tuple(c) for c in t) for t in v),
                        default=())

    @property
    def exhaustive(self) -> bool:
        return self.tree is not None

    def to_dict(self) -> dict:
        return {"version": EXPLORE_VERSION, **asdict(self)}

    @classmethod
    def from_dict(cls, d: dict) -> Exploration:
        return cls(d["game"], d["pool"], d["tree"], d.get("views", ()), d.get("stats", {}),
                   d.get("cuts", ()))


def cache_dir() -> Path:
    """Where explorations are kept between runs."""
    explicit = os.environ.get("CWMKIT_CACHE_DIR")
    if explicit:
        return Path(explicit) / "explore"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "cwmkit" / "explore"


_MEMORY: dict[str, Exploration] = {}
_LOCKS: dict[str, threading.Lock] = {}
_GUARD = threading.Lock()


_TEXTS: dict[int, tuple] = {}  # id -> (module, its text): the module held, so ids stay


def _key(module, game_id: str, settings) -> str:
    held = _TEXTS.get(id(module))
    if held is None or held[0] is not module:  # read once per loaded module
        held = _TEXTS[id(module)] = (module, Path(module.__file__).read_bytes())
    text = held[1]
    parts = [EXPLORE_VERSION, BACKEND, game_id, hashlib.sha256(text).hexdigest(),
             settings.explore_events, settings.pool_trajectories, settings.exhaustive_states,
             settings.distribution_views]
    return hashlib.sha256(repr(parts).encode()).hexdigest()[:20]


def exploration(module, spec, settings, *, game_id: str | None = None) -> Exploration:
    """The exploration of ``spec``'s game through ``module`` (its reference): from memory,
    from the disk cache, or built now (once, however many threads ask)."""
    game_id = game_id or spec.id
    key = _key(module, game_id, settings)
    if key in _MEMORY:
        return _MEMORY[key]
    with _GUARD:
        lock = _LOCKS.setdefault(key, threading.Lock())
    with lock:
        if key in _MEMORY:
            return _MEMORY[key]
        path = cache_dir() / f"{game_id}-{key}.json"
        found = _load(path)
        if found is None:
            try:
                found = build(module, spec, settings, seed=int(key[:12], 16),
                              game_id=game_id)
            except Exception as exc:  # noqa: BLE001 - a reference that breaks in the search
                # The tiers still run on random trajectories; the stats say why.
                found = Exploration(game_id, (), None, (), {
                    "error": f"{type(exc).__name__}: {exc}"[:300]})
            else:
                _store(path, found)
        _MEMORY[key] = found
        return found


def _load(path: Path) -> Exploration | None:
    try:
        data = json.loads(path.read_text("utf-8"))
        if data.get("version") != EXPLORE_VERSION:
            return None
        return Exploration.from_dict(data)
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _store(path: Path, found: Exploration) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.{threading.get_ident()}.tmp")
        tmp.write_text(json.dumps(found.to_dict(), separators=(",", ":")), "utf-8")
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only home: the exploration lives in memory only


# --------------------------------------------------------------------------- building


def build(module, spec, settings, *, seed: int, game_id: str) -> Exploration:
    cpu = time.process_time()
    search = _Search(module, spec, random.Random(seed), settings.explore_events)
    search.run()
    pool = search.cover(settings.pool_trajectories)
    tree = reachable_tree(module, settings.exhaustive_states, spec.max_length)
    views = ()
    if spec.imperfect and settings.distribution_views and hasattr(module, "resample_history"):
        views = small_views(module, spec, [t for t, _ in search.corpus] + list(pool),
                            settings.distribution_views, seed)
    lines = executable_lines(module)
    stats = {"backend": BACKEND, "walks": search.walks, "calls": search.tracer.calls,
             "events": search.tracer.events, "corpus": len(search.corpus),
             "features": len(search.covered), "pool": len(pool),
             "pool_steps": sum(len(t) for t in pool),
             "lines": len(lines), "lines_covered": len(lines & search.tracer.lines),
             "lines_missed": sorted(lines - search.tracer.lines)[:200],
             "states": len(tree) if tree is not None else None,
             "views": len(views), "cpu_seconds": round(time.process_time() - cpu, 3)}
    return Exploration(game_id, pool, tree, views, stats,
                       [search.cuts.get(t, ()) for t in pool])


class _Search:
    """The coverage-guided search over the reference's game (see the module's doc)."""

    def __init__(self, module, spec, rng: random.Random, budget: int) -> None:
        self.module = module
        self.spec = spec
        self.rng = rng
        self.budget = budget
        self.tracer = Tracer(module)
        self.corpus: list[tuple[tuple[str, ...], frozenset]] = []
        self.covered: dict = {}  # feature -> corpus entries holding it
        self.cuts: dict = {}  # trajectory -> the (player, turns) views resampled on it
        self.walks = 0
        self.seeded = SeededReference(module) if hasattr(module, "resample_history") \
            else None

    def run(self) -> None:
        with self.tracer:
            names = self.tracer.call
            for player in range(self.spec.players):
                names("get_player_name", self.module.get_player_name, player)
            stale = 0
            weights: list[float] = []
            while self.tracer.events < self.budget and self.walks < MAX_WALKS and \
                    stale < PATIENCE:
                if self.walks < SEEDS or not self.corpus:
                    prefix: tuple[str, ...] = ()
                else:
                    if not weights or self.walks % 32 == 0:
                        weights = self._energies()
                    parent = self.rng.choices(self.corpus, weights)[0][0]
                    prefix = parent[: self.rng.randrange(len(parent) + 1)]
                actions, features, cuts = self._walk(prefix)
                new = [f for f in features if f not in self.covered]
                if new or not self.corpus:
                    for f in features:
                        self.covered[f] = self.covered.get(f, 0) + 1
                    self.corpus.append((actions, frozenset(features)))
                    self.cuts[actions] = cuts
                    weights = []
                    stale = 0
                else:
                    stale += 1

    def _energies(self) -> list[float]:
        """Corpus entries holding rare features are near unexplored rules: more walks."""
        return [sum(1.0 / self.covered[f] for f in feats) / (1 + len(actions)) ** 0.5 + 1e-6
                for actions, feats in self.corpus]

    def _walk(self, prefix: tuple[str, ...]) -> tuple[tuple[str, ...], set, list]:
        """The reference from the initial state along ``prefix``, then at random to the
        end (or ``max_length``), every call traced."""
        self.walks += 1
        m, call, rng = self.module, self.tracer.call, self.rng
        self.tracer.features = features = set()
        state = call("get_initial_state", m.get_initial_state)
        actions: list[str] = []
        views: dict[int, list] = {}
        cuts: list[tuple[int, int]] = []
        while len(actions) < self.spec.max_length:
            player = call("get_current_player", m.get_current_player, state)
            legal = call("get_legal_actions", m.get_legal_actions, state)
            rewards = call("get_rewards", m.get_rewards, state)
            observations = call("get_observations", m.get_observations, state)
            # What the calls return, coarsely: a branch inside one line (a conditional
            # expression) is invisible to line tracing, its result is not.
            features.add(("value", player, bucket(len(legal)),
                          tuple((r > 0) - (r < 0) for r in rewards)))
            if player == TERMINAL_PLAYER or not legal:
                break
            i = len(actions)
            action = prefix[i] if i < len(prefix) and prefix[i] in legal else rng.choice(legal)
            if player >= 0:
                views.setdefault(player, []).append((observations[player], action))
            state = call("apply_action", m.apply_action, state, action)
            actions.append(action)
        if self.spec.imperfect and self.seeded is not None:
            for player, view in sorted(views.items()):
                cut = rng.randint(1, len(view))
                for part in sorted({cut, len(view)}):
                    cuts.append((player, part))
                    self.seeded.seed(rng.getrandbits(32))
                    try:
                        call("resample_history", self.seeded.resample_history, view[:part],
                             player)
                    except Exception:  # noqa: BLE001 - the reference's own problem
                        pass
        self.tracer.features = set()
        return tuple(actions), features, cuts

    def cover(self, cap: int) -> list[tuple[str, ...]]:
        """A few corpus entries that reach every feature found: greedy, a branch or line
        reached at all weighing four times a new hit count, per step of length."""
        presence = {f: (f[0], f[1]) for f in self.covered}
        left = set(self.covered)
        left_where = set(presence.values())
        pool: list[tuple[str, ...]] = []
        chosen: set[int] = set()
        while left and len(pool) < cap:
            best, best_gain = None, 0.0
            for i, (actions, feats) in enumerate(self.corpus):
                if i in chosen:
                    continue
                gain = len(feats & left) + 4 * len({presence[f] for f in feats} & left_where)
                gain /= len(actions) + 8
                if gain > best_gain:
                    best, best_gain = i, gain
            if best is None:
                break
            chosen.add(best)
            actions, feats = self.corpus[best]
            pool.append(actions)
            left -= feats
            left_where -= {presence[f] for f in feats}
        return pool


def reachable_tree(module, cap: int, max_length: int) -> list[tuple[int, str | None]] | None:
    """Every state reachable in the reference, breadth first, as ``(parent, action)``
    nodes (one shortest history per state); None when there are more than ``cap``."""
    if cap <= 0:
        return None
    root = module.get_initial_state()
    nodes: list[tuple[int, str | None]] = [(-1, None)]
    states = [root]
    depth = [0]
    seen = {canonical(root)}
    i = 0
    while i < len(nodes):
        state = states[i]
        if module.get_current_player(state) != TERMINAL_PLAYER and depth[i] < max_length:
            for action in module.get_legal_actions(state):
                nxt = module.apply_action(state, action)
                key = canonical(nxt)
                if key in seen:
                    continue
                seen.add(key)
                nodes.append((i, action))
                states.append(nxt)
                depth.append(depth[i] + 1)
                if len(nodes) > cap:
                    return None
        states[i] = None  # only the frontier is kept
        i += 1
    return nodes


def tree_histories(tree) -> list[tuple[str, ...]]:
    """The history of every node of a ``reachable_tree``."""
    paths: list[tuple[str, ...]] = []
    for parent, action in tree:
        paths.append(() if parent < 0 else paths[parent] + (action,))
    return paths
