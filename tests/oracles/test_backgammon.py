"""Hyper-backgammon against OpenSpiel's backgammon(hyper_backgammon=true,
scoring_type=winloss_scoring), OpenSpiel's X being our player 0.

Not the generic 1:1 lockstep:
- OpenSpiel's actions encode two checker steps (a doubles roll takes two actions by the
  same player), and several of its actions can reach the same position. So turns are
  compared by position: at each decision, the set of positions our legal moves reach
  must equal the set OpenSpiel's legal action sequences reach by the end of the turn;
  we then play a move of ours and steer OpenSpiel to the same position.
- Chance: OpenSpiel's opening outcomes are (unordered non-double roll, who starts), 30
  equally likely; ours are the ordered pair "a-b" of player 0's and player 1's dice
  (a != b), the higher die starting. Later rolls are the 36 ordered pairs in both.
- Our turn limit (100 moves, then a draw) differs on purpose from OpenSpiel's
  max_player_turns, so OpenSpiel runs without a practical limit and a game that reaches
  our limit is only checked to be a draw.
- OpenSpiel's returns look for 15 borne-off checkers, so for hyper-backgammon they are
  0 even when a player has won; the winner is read from its position instead (the
  player with all three checkers off), and its returns are compared only when non-zero.
Besides 200 random trajectories, every scenario history of our spec is replayed.
"""

import functools
import random
import re

from cwmkit.core.plugins import get_host
from cwmkit.core.spec import Play
from tests.oracles.lockstep import os_player, pyspiel, reference

TRAJECTORIES = 200


def os_position(os_state):
    text = str(os_state)
    scores = re.search(r"Scores, X: (\d+), O: (\d+)", text)
    off = (int(scores.group(1)), int(scores.group(2)))
    boards = tuple(tuple(os_state.board(p, i) for i in range(24)) for p in (0, 1))
    bar = tuple(3 - sum(boards[p]) - off[p] for p in (0, 1))
    return boards, bar, off


def our_position(state):
    """Our checkers as OpenSpiel's (boards, bar, off): OpenSpiel's index i is player
    0's point 24 - i, which is player 1's point i + 1."""
    boards = [[0] * 24, [0] * 24]
    for player, points in enumerate(state["checkers"]):
        for point in points:
            if 1 <= point <= 24:
                boards[player][24 - point if player == 0 else point - 1] += 1
    bar = tuple(points.count(25) for points in state["checkers"])
    off = tuple(points.count(0) for points in state["checkers"])
    return (tuple(boards[0]), tuple(boards[1])), bar, off


def os_turn_ends(os_state, paths, path=()):
    """Map every position reachable by the end of the mover's turn to one action path."""
    mover = os_state.current_player()
    for action in os_state.legal_actions():
        child = os_state.child(action)
        if not child.is_terminal() and child.current_player() == mover:
            os_turn_ends(child, paths, path + (action,))  # second half of a doubles roll
        else:
            paths.setdefault(os_position(child), path + (action,))
    return paths


def os_roll(os_state, action):
    """Our name for an OpenSpiel roll."""
    text = os_state.action_to_string(action)
    dice = re.search(r"roll: (\d)(\d)", text)
    a, b = int(dice.group(1)), int(dice.group(2))
    if "starts" in text:
        # Opening: X (our player 0) starts when its die is the higher one.
        high, low = max(a, b), min(a, b)
        return f"{high}-{low}" if "X starts" in text else f"{low}-{high}"
    return f"{a}-{b}"


def load_game():
    return pyspiel().load_game(
        "backgammon(hyper_backgammon=true,scoring_type=winloss_scoring,"
        "max_player_turns=100000)")


def play_along(os_game, module, choose, where):
    """Play one game in both implementations, comparing at every step; ``choose(legal)``
    picks our next action, or returns None to stop. Returns how the game ended."""
    os_state, state = os_game.new_initial_state(), module.get_initial_state()
    history = []
    while True:
        at = f"{where}, after {history}"
        player = module.get_current_player(state)
        if player == -4 and not os_state.is_terminal():
            assert state["turns"] == module.MAX_TURNS, at
            assert module.get_rewards(state) == [0.0, 0.0], at
            return "capped"
        assert player == os_player(os_state), at
        assert our_position(state) == os_position(os_state), at
        if player == -4:
            off = os_position(os_state)[2]
            assert sorted(off)[1] == 3 > sorted(off)[0], at
            expected = [1.0, -1.0] if off[0] == 3 else [-1.0, 1.0]
            assert module.get_rewards(state) == expected, at
            if any(os_state.returns()):
                assert list(os_state.returns()) == expected, at
            return "finished"
        if player == -1:
            outcomes = [a for a, p in os_state.chance_outcomes() if p > 0]
            assert len({round(p, 9) for _, p in os_state.chance_outcomes()}) == 1, at
            mapped = {os_roll(os_state, a): a for a in outcomes}
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), at
            action = choose(sorted(mapped))
            if action is None:
                return "stopped"
            os_state.apply_action(mapped[action])
        else:
            paths = os_turn_ends(os_state, {})
            ours = {}
            for move in module.get_legal_actions(state):
                ours.setdefault(our_position(module.apply_action(state, move)), move)
            assert set(ours) == set(paths), (
                f"{at}: dice {state['dice']}\n ours only: "
                f"{[ours[p] for p in set(ours) - set(paths)]}\n OpenSpiel only: "
                f"{[os_state.action_to_string(paths[p][0]) for p in set(paths) - set(ours)]}")
            action = choose(module.get_legal_actions(state))
            if action is None:
                return "stopped"
            for os_action in paths[our_position(module.apply_action(state, action))]:
                os_state.apply_action(os_action)
        state = module.apply_action(state, action)
        history.append(action)


def test_backgammon_agrees_with_openspiel():
    os_game, module = load_game(), reference("backgammon")
    rng = random.Random(0)
    ends = [play_along(os_game, module, rng.choice, f"trajectory {t}")
            for t in range(TRAJECTORIES)]
    assert ends.count("finished") > 150 and "stopped" not in ends


def next_of(script, legal):
    return next(script, None)


def test_backgammon_scenarios_agree_with_openspiel():
    """Random play rarely meets the rarer rules (the larger die, blocked entry), so
    every scenario's history of our spec is also played in both implementations."""
    os_game, module = load_game(), reference("backgammon")
    for scenario in get_host().get("games", "backgammon").spec.scenarios:
        script = iter([a for step in scenario.steps if isinstance(step, Play)
                       for a in step.actions])
        play_along(os_game, module, functools.partial(next_of, script), scenario.name)
