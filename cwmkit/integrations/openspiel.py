"""The OpenSpiel bridge (extra ``openspiel``), both ways.

- :func:`to_pyspiel`: a GameCWM (module) as a pyspiel game, a Python game type whose
  action ids are the GameCWM's action strings in sorted order (player actions and chance
  outcomes each numbered apart), found by walking the game (``alphabet``) unless given.
  Information-state strings are the player's own (observation, action) pairs and its
  current observation, which is what the contract's ``resample_history`` conditions on;
  observation strings are the current observation alone.
- :func:`from_pyspiel`: a pyspiel game as a GameCWM module whose states are
  ``{"history": [action strings]}``, action strings being OpenSpiel's own, observations
  ``{"observation": ...}`` (information-state strings in imperfect-information games),
  and ``resample_history`` a randomised search for a history that matches the view.
  :func:`openspiel_game` wraps it as a :class:`Game` with a spec made of OpenSpiel's
  facts, so ``Verifier.verify(source, game=...)`` and the planners take it as they are.

The GameCWM contract wants equally likely chance outcomes; a pyspiel game with others is
refused at the chance node that shows them.
"""

from __future__ import annotations

import functools
import random
import types
from collections import OrderedDict
from pathlib import Path

from attrs import field, frozen

from cwmkit.core.errors import ConfigError, MissingExtraError, SpecError
from cwmkit.sandbox.plain import canonical
from cwmkit.spec.games import Game
from cwmkit.spec.model import GameSpec

__all__ = ["BridgedGame", "alphabet", "from_pyspiel", "openspiel_game", "to_pyspiel"]

CHANCE, TERMINAL = -1, -4


def _pyspiel():
    try:
        import pyspiel
    except ImportError:
        raise MissingExtraError("open_spiel", "openspiel", "the OpenSpiel bridge") from None
    return pyspiel


# --------------------------------------------------------------------------- GameCWM -> pyspiel


def alphabet(module, *, max_states: int = 200_000, playouts: int = 2000,
             seed: int = 0) -> tuple[list[str], list[str]]:
    """Every player action and chance outcome string of ``module``: all of them where
    the game has at most ``max_states`` states (a walk over all of them), else those
    met on the walk and on ``playouts`` random playouts."""
    actions: set[str] = set()
    outcomes: set[str] = set()
    seen = {repr(module.get_initial_state())}
    frontier = [module.get_initial_state()]
    while frontier and len(seen) < max_states:
        state = frontier.pop()
        player = module.get_current_player(state)
        for action in module.get_legal_actions(state):
            (outcomes if player == CHANCE else actions).add(action)
            nxt = module.apply_action(state, action)
            key = repr(nxt)
            if key not in seen:
                seen.add(key)
                frontier.append(nxt)
    if frontier:
        rng = random.Random(seed)
        for _ in range(playouts):
            state = module.get_initial_state()
            while (player := module.get_current_player(state)) != TERMINAL:
                legal = module.get_legal_actions(state)
                (outcomes if player == CHANCE else actions).update(legal)
                state = module.apply_action(state, rng.choice(legal))
    return sorted(actions), sorted(outcomes)


_UTILITY = {"zero_sum": "ZERO_SUM", "constant_sum": "CONSTANT_SUM",
            "general_sum": "GENERAL_SUM", "identical": "IDENTICAL"}


@functools.cache
def _bridge_classes():
    pyspiel = _pyspiel()

    class CwmGame(pyspiel.Game):
        """A GameCWM as a pyspiel game (``to_pyspiel``)."""

        def __init__(self, params=None, *, bridge=None):
            super().__init__(bridge.game_type, bridge.game_info, params or {})
            self.bridge = bridge

        def new_initial_state(self):
            return CwmState(self, self.bridge)

        def make_py_observer(self, iig_obs_type=None, params=None):
            recall = iig_obs_type is None or iig_obs_type.perfect_recall
            return CwmObserver(recall)

    class CwmState(pyspiel.State):
        # OpenSpiel clones a Python state with copy.deepcopy: the state holds its
        # bridge by number, so that only the GameCWM state and the views are copied.
        def __init__(self, game, bridge):
            super().__init__(game)
            self.token = bridge.token
            self.state = bridge.module.get_initial_state()
            self.views = [[] for _ in range(bridge.players)]

        @property
        def bridge(self):
            return _BRIDGES[self.token]

        def _player(self):
            return self.bridge.module.get_current_player(self.state)

        def current_player(self):
            player = self._player()
            if player == TERMINAL:
                return pyspiel.PlayerId.TERMINAL
            return pyspiel.PlayerId.CHANCE if player == CHANCE else player

        def _ids(self, player):
            table = self.bridge.outcome_ids if player == CHANCE else self.bridge.action_ids
            legal = self.bridge.module.get_legal_actions(self.state)
            unknown = [a for a in legal if a not in table]
            if unknown:
                raise ConfigError(f"the action {unknown[0]!r} is not in the bridge's "
                                  "alphabet", hint="pass every action string to "
                                  "to_pyspiel(actions=..., outcomes=...)")
            return sorted(table[a] for a in legal)

        def _legal_actions(self, player):
            return self._ids(player)

        def chance_outcomes(self):
            ids = self._ids(CHANCE)
            return [(i, 1.0 / len(ids)) for i in ids]

        def _apply_action(self, action):
            module = self.bridge.module
            player = self._player()
            text = self._action_to_string(player, action)
            if player >= 0:
                self.views[player].append((self.observation(player), text))
            self.state = module.apply_action(self.state, text)

        def _action_to_string(self, player, action):
            names = self.bridge.outcomes if player == CHANCE else self.bridge.actions
            return names[action]

        def is_terminal(self):
            return self._player() == TERMINAL

        def returns(self):
            return [float(r) for r in self.bridge.module.get_rewards(self.state)]

        def observation(self, player):
            return canonical(self.bridge.module.get_observations(self.state)[player])

        def information(self, player):
            return canonical([[o, a] for o, a in self.views[player]]) + "|" + \
                self.observation(player)

        def __str__(self):
            return repr(self.state)

    class CwmObserver:
        """Strings only: the bridge provides no tensors."""

        def __init__(self, recall: bool) -> None:
            self.recall = recall
            self.tensor = None
            self.dict = {}

        def set_from(self, state, player):
            return None

        def string_from(self, state, player):
            return state.information(player) if self.recall else state.observation(player)

    return CwmGame


_BRIDGES: dict[int, _Bridge] = {}


class _Bridge:
    """What the pyspiel classes of one bridged game share."""

    def __init__(self, module, game_type, game_info, players, actions, outcomes) -> None:
        self.token = len(_BRIDGES)
        _BRIDGES[self.token] = self
        self.module = module
        self.game_type = game_type
        self.game_info = game_info
        self.players = players
        self.actions = list(actions)
        self.outcomes = list(outcomes)
        self.action_ids = {a: i for i, a in enumerate(self.actions)}
        self.outcome_ids = {a: i for i, a in enumerate(self.outcomes)}


def to_pyspiel(module, spec: GameSpec, *, actions: list[str] | None = None,
               outcomes: list[str] | None = None, register: bool = False):
    """``module`` (a GameCWM) as a ``pyspiel.Game`` with the facts of ``spec``.

    ``actions``/``outcomes`` fix the action and chance-outcome strings (sorted, they are
    the ids); by default ``alphabet`` finds them. ``register`` also makes
    ``pyspiel.load_game("cwmkit_<id>")`` return it.
    """
    pyspiel = _pyspiel()
    if actions is None or outcomes is None:
        found_actions, found_outcomes = alphabet(module)
        actions = found_actions if actions is None else actions
        outcomes = found_outcomes if outcomes is None else outcomes
    actions, outcomes = sorted(set(actions)), sorted(set(outcomes))
    kind = pyspiel.GameType
    game_type = kind(
        short_name=f"cwmkit_{spec.id}", long_name=f"{spec.title} (cwmkit GameCWM)",
        dynamics=kind.Dynamics.SEQUENTIAL,
        chance_mode=kind.ChanceMode.EXPLICIT_STOCHASTIC if spec.has_chance
        else kind.ChanceMode.DETERMINISTIC,
        information=kind.Information.IMPERFECT_INFORMATION if spec.imperfect
        else kind.Information.PERFECT_INFORMATION,
        utility=getattr(kind.Utility, _UTILITY[spec.utility]),
        reward_model=kind.RewardModel.TERMINAL,
        max_num_players=spec.players, min_num_players=spec.players,
        provides_information_state_string=True, provides_information_state_tensor=False,
        provides_observation_string=True, provides_observation_tensor=False,
        parameter_specification={})
    utility_sum = 0.0 if spec.utility == "zero_sum" else spec.utility_constant
    game_info = pyspiel.GameInfo(
        num_distinct_actions=max(1, len(actions)), max_chance_outcomes=len(outcomes),
        num_players=spec.players, min_utility=spec.payoff_min, max_utility=spec.payoff_max,
        utility_sum=utility_sum, max_game_length=spec.max_length)
    bridge = _Bridge(module, game_type, game_info, spec.players, actions, outcomes)
    cls = _bridge_classes()

    def factory(params=None):
        return cls(params, bridge=bridge)

    if register:
        pyspiel.register_game(game_type, factory)
    return factory()


# --------------------------------------------------------------------------- pyspiel -> GameCWM


def from_pyspiel(game, *, cache_states: int = 50_000) -> types.ModuleType:
    """A pyspiel game (or its name) as a GameCWM module (see the module doc). States
    are replayed from a bounded cache of pyspiel states keyed by their history."""
    pyspiel = _pyspiel()
    if isinstance(game, str):
        game = pyspiel.load_game(game)
    facts = game.get_type()
    imperfect = facts.information != pyspiel.GameType.Information.PERFECT_INFORMATION
    players = game.num_players()
    states: OrderedDict = OrderedDict()

    def native(state):
        history = tuple(state["history"])
        found = states.get(history)
        if found is not None:
            states.move_to_end(history)
            return found
        if history:
            parent = native({"history": history[:-1]})
            found = parent.clone()
            found.apply_action(_id(parent, history[-1]))
        else:
            found = game.new_initial_state()
        states[history] = found
        if len(states) > cache_states:
            states.popitem(last=False)
        return found

    def _id(state, action):
        player = state.current_player()
        for a in (state.legal_actions() if player != pyspiel.PlayerId.CHANCE
                  else [o for o, _ in state.chance_outcomes()]):
            if state.action_to_string(player, a) == action:
                return a
        raise ValueError(f"illegal action {action!r}")

    def get_initial_state():
        return {"history": []}

    def get_current_player(state):
        s = native(state)
        if s.is_terminal():
            return TERMINAL
        return CHANCE if s.is_chance_node() else s.current_player()

    def get_player_name(player_id):
        return f"Player {player_id}"

    def get_legal_actions(state):
        s = native(state)
        if s.is_terminal():
            return []
        if s.is_chance_node():
            outcomes = s.chance_outcomes()
            if max(p for _, p in outcomes) - min(p for _, p in outcomes) > 1e-9:
                raise ValueError(f"{game} has chance outcomes that are not equally likely, "
                                 "which the GameCWM contract requires")
            return [s.action_to_string(CHANCE, o) for o, _ in outcomes]
        return [s.action_to_string(s.current_player(), a) for a in s.legal_actions()]

    def apply_action(state, action):
        _id(native(state), action)
        return {"history": list(state["history"]) + [action]}

    def get_rewards(state):
        return [float(r) for r in native(state).returns()]

    def get_observations(state):
        s = native(state)
        if imperfect and facts.provides_information_state_string:
            return [{"observation": s.information_state_string(p)} for p in range(players)]
        return [{"observation": s.observation_string(p)} for p in range(players)]

    def resample_history(obs_action_history, player_id):
        view = [(obs["observation"], action) for obs, action in obs_action_history]
        found = _consistent(view, player_id, [], 0, [200_000])
        if found is None:
            raise ValueError("no history matches this view")
        return found

    def _consistent(view, player, history, turns, budget):
        budget[0] -= 1
        if budget[0] < 0:
            return None
        state = {"history": history}
        mover = get_current_player(state)
        if mover == TERMINAL:
            return None
        if mover == player:
            observation, action = view[turns]
            if get_observations(state)[player]["observation"] != observation or \
                    action not in get_legal_actions(state):
                return None
            if turns + 1 == len(view):
                return history + [action]
            return _consistent(view, player, history + [action], turns + 1, budget)
        legal = get_legal_actions(state)
        for action in random.sample(legal, len(legal)):
            found = _consistent(view, player, history + [action], turns, budget)
            if found is not None:
                return found
        return None

    module = types.ModuleType(f"openspiel_{facts.short_name}")
    module.__doc__ = f"OpenSpiel's {facts.long_name} as a GameCWM (cwmkit's bridge)."
    module.__file__ = __file__  # its functions' code: the verifier's coverage reads it
    for fn in (get_initial_state, get_current_player, get_player_name, get_legal_actions,
               apply_action, get_rewards, get_observations):
        setattr(module, fn.__name__, fn)
    if imperfect:
        module.resample_history = resample_history
    module.pyspiel_game = game
    return module


@frozen
class BridgedGame(Game):
    """A game whose reference is a module made in this process (an OpenSpiel game)."""

    module: types.ModuleType | None = field(default=None, eq=False, repr=False)

    def reference(self) -> types.ModuleType:
        return self.module

    @property
    def reference_source(self) -> str:
        raise SpecError(f"game '{self.name}' is OpenSpiel's: it has no GameCWM source")


def openspiel_game(name: str, *, max_length: int | None = None) -> BridgedGame:
    """OpenSpiel's game ``name`` as a cwmkit :class:`Game` (``from_pyspiel`` is its
    reference), its spec made of OpenSpiel's facts, so it can be verified against and
    planned on. Its ``max_length`` counts chance moves too (OpenSpiel's maximum game
    length does not), unless ``max_length`` is given."""
    pyspiel = _pyspiel()
    game = pyspiel.load_game(name)
    facts = game.get_type()
    kind = pyspiel.GameType
    if facts.dynamics != kind.Dynamics.SEQUENTIAL:
        raise ConfigError(f"OpenSpiel's {name} is not a sequential game",
                          hint="GameCWMs take one action at a time")
    utility = {kind.Utility.ZERO_SUM: "zero_sum", kind.Utility.CONSTANT_SUM: "constant_sum",
               kind.Utility.IDENTICAL: "identical"}.get(facts.utility, "general_sum")
    ident = "openspiel_" + "".join(c if c.isalnum() else "_" for c in name.lower())
    spec = GameSpec(
        id=ident, title=f"{facts.long_name} (OpenSpiel)", players=game.num_players(),
        information="perfect" if facts.information == kind.Information.PERFECT_INFORMATION
        else "imperfect",
        chance="none" if facts.chance_mode == kind.ChanceMode.DETERMINISTIC else "uniform",
        utility=utility, payoff_min=game.min_utility(), payoff_max=game.max_utility(),
        max_length=max_length or game.max_game_length() + game.max_chance_nodes_in_history(),
        split="eval",
        rules=f"OpenSpiel's {facts.long_name}, as OpenSpiel implements it.",
        actions="OpenSpiel's action strings (State.action_to_string).",
        observe="OpenSpiel's observation strings (information-state strings in "
                "imperfect-information games).",
        utility_constant=game.utility_sum() if utility == "constant_sum" else None)
    return BridgedGame(spec, Path(__file__), module=from_pyspiel(game))
