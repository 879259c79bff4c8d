"""Backgammon against OpenSpiel's backgammon (15 checkers, winloss_scoring), OpenSpiel's
X being our player 0 and O our player 1.

Not the generic 1:1 lockstep, because the two games differ on purpose:
- Chance: our every roll is one of the 21 unordered pairs "D_a_b" (a <= b), all listed
  once; OpenSpiel's opening roll is one of 30 (a non-double and who starts) and its later
  rolls are the 36 ordered pairs. So a roll of ours is played in OpenSpiel as a roll of
  the same two numbers, and an opening X roll with them; an opening double has no
  OpenSpiel counterpart, so trajectories here open with a non-double (the rules for
  doubles are compared on every later double).
- Turns: we always start with player 0 and then alternate; OpenSpiel starts with the
  player named by the opening roll and then alternates, so with X starting they agree.
- Moves: our action plays the whole roll; OpenSpiel's actions play two dice each (a
  double takes two actions). So each turn is compared by position: the positions our
  legal actions reach, against those OpenSpiel's action sequences reach.
- Forcing: OpenSpiel follows the standard rule (use both dice when possible, else the
  larger one when possible); we play each die when it can be used without looking ahead
  (the study's variant). So OpenSpiel's end positions must equal ours restricted to the
  sequences that use the most dice, and, when a non-double allows only one die, to
  those using the larger die if any does. Our extra, unforced plays are pinned by the
  spec's scenarios instead.
Our random trajectories pick moves that OpenSpiel also allows, to keep both games in step.
"""

import random
import re

from tests.oracles.lockstep import pyspiel, reference

TRAJECTORIES = 25


def load_game():
    return pyspiel().load_game("backgammon(scoring_type=winloss_scoring,max_player_turns=100000)")


def os_position(os_state):
    """OpenSpiel's checkers as ours: (signed counts of points 1..24, bar, off).
    OpenSpiel's index i is our point 24 - i for both players."""
    text = str(os_state)
    scores = re.search(r"Scores, X: (\d+), O: (\d+)", text)
    off = [int(scores.group(1)), int(scores.group(2))]
    boards = [[os_state.board(p, i) for i in range(24)] for p in (0, 1)]
    points = tuple(boards[0][23 - j] - boards[1][23 - j] for j in range(24))
    bar = tuple(15 - sum(boards[p]) - off[p] for p in (0, 1))
    return points, bar, tuple(off)


def our_position(state):
    return tuple(state["points"]), tuple(state["bar"]), tuple(state["off"])


def os_turn_ends(os_state, ends=None):
    """Every position OpenSpiel's mover can reach by the end of its turn."""
    ends = {} if ends is None else ends
    mover = os_state.current_player()
    for action in os_state.legal_actions():
        child = os_state.child(action)
        if not child.is_terminal() and child.current_player() == mover:
            os_turn_ends(child, ends)  # the second half of a double
        else:
            ends.setdefault(os_position(child), child)
    return ends


def os_roll(os_state, roll, opening):
    """The OpenSpiel chance action that rolls the dice of our "D_a_b"."""
    dice = sorted(roll.split("_")[1:])
    for action, _ in os_state.chance_outcomes():
        text = os_state.action_to_string(action)
        rolled = sorted(re.search(r"roll: (\d)(\d)", text).groups())
        if rolled == dice and (not opening or "X starts" in text):
            return action
    raise AssertionError(f"OpenSpiel has no roll {roll}")


def distance(player, point):
    """How far a checker on ``point`` is from bearing off, for ``player``."""
    return point if player == 0 else 25 - point


def uses_die(state, player, play, die):
    """Whether a one-move play can be made with ``die`` (a bear-off by a larger die is
    allowed from the farthest point only)."""
    source, target = play.split("/")
    start = 25 if source == "bar" else distance(player, int(source))
    if target != "off":
        return start - distance(player, int(target)) == die
    sign = 1 if player == 0 else -1
    farthest = max(distance(player, p + 1) for p, n in enumerate(state["points"]) if sign * n > 0)
    return start == die or (die > start and start == farthest)


def forced(state, player, plays):
    """Our plays that the standard rules allow: the most dice used, and the larger die
    when a non-double allows only one."""
    most = max(play.count(",") + 1 for play in plays)
    plays = [play for play in plays if play.count(",") + 1 == most]
    dice = state["dice"]
    if most == 1 and len(dice) == 2:
        larger = [play for play in plays if uses_die(state, player, play, max(dice))]
        plays = larger or plays
    return plays


def play_along(os_game, module, rng, where):
    os_state, state = os_game.new_initial_state(), module.get_initial_state()
    history = []
    while True:
        at = f"{where}, after {history}"
        player = module.get_current_player(state)
        assert our_position(state) == os_position(os_state), at
        if player == -4:
            assert os_state.is_terminal(), at
            assert module.get_rewards(state) == list(os_state.returns()), at
            return history
        assert not os_state.is_terminal(), at
        if player == -1:
            assert os_state.is_chance_node(), at
            assert module.get_legal_actions(state) == module.ROLLS, at
            rolls = module.ROLLS if history else [r for r in module.ROLLS
                                                  if r[2] != r[4]]
            action = rng.choice(rolls)
            os_state.apply_action(os_roll(os_state, action, opening=not history))
        else:
            assert os_state.current_player() == player, at
            legal = module.get_legal_actions(state)
            ends = os_turn_ends(os_state)
            if legal == ["pass"]:
                assert set(ends) == {our_position(state)}, at
                action = "pass"
            else:
                ours = {}
                for play in forced(state, player, legal):
                    ours.setdefault(our_position(module.apply_action(state, play)), play)
                assert set(ours) == set(ends), (
                    f"{at}: dice {state['dice']}\n ours only: "
                    f"{[ours[p] for p in set(ours) - set(ends)]}\n OpenSpiel only: "
                    f"{len(set(ends) - set(ours))} positions")
                action = ours[rng.choice(sorted(ours))]
            os_state = ends[our_position(module.apply_action(state, action))]
        state = module.apply_action(state, action)
        history.append(action)


def test_backgammon_agrees_with_openspiel():
    os_game, module = load_game(), reference("backgammon")
    rng = random.Random(0)
    turns = [len(play_along(os_game, module, rng, f"trajectory {t}")) // 2
             for t in range(TRAJECTORIES)]
    assert min(turns) > 10  # every trajectory played out to a win


def test_one_move_plays_name_their_die():
    """The test's own reading of which die a one-move play uses."""
    module = reference("backgammon")
    state = module.get_initial_state()
    state = dict(state, dice=[1, 6])
    assert uses_die(state, 0, "13/7", 6) and not uses_die(state, 0, "13/7", 1)
    assert uses_die(state, 1, "1/2", 1) and uses_die(state, 1, "bar/6", 6)
    home = dict(state, points=[0] * 23 + [0])
    home["points"][2] = 2  # player 0's two last checkers on point 3
    assert uses_die(home, 0, "3/off", 3) and uses_die(home, 0, "3/off", 6)
    home["points"][4] = 1  # one more on point 5: a 6 bears off from 5 only
    assert uses_die(home, 0, "5/off", 6) and not uses_die(home, 0, "3/off", 6)
