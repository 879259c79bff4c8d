"""Havannah (side 10, 271 cells) against OpenSpiel's havannah(board_size=10, swap=false).

Mapping: OpenSpiel labels a cell by a letter a-s and a number 1-19 with its first row
"a1".."j1"; ours are "A".."S" and 1-19 with the first row "J1".."S1". The numbers
agree and the letters are mirrored: OpenSpiel's letter of index i is our letter of
index 18 - i (a1 = S1, j1 = J1, s10 = A10, s19 = A19), which also maps OpenSpiel's
neighbourhood onto ours.

The variants differ where no parameter reaches, so this test plays its own loop:
- OpenSpiel also wins by a fork (a group touching three edges, corners excluded) and
  by a ring around the mover's own stones only; our game has neither. A trajectory
  where OpenSpiel ends first stops there, after checking that one of these explains
  the end.
- Our game is a draw after 150 stones; OpenSpiel goes on. A trajectory stops there too.
Bridges and rings around empty or enemy cells are compared, payoffs included.
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

TRAJECTORIES = 60
OURS = "ABCDEFGHIJKLMNOPQRS"


def to_ours(os_label: str) -> str:
    return OURS[18 - (ord(os_label[0]) - ord("a"))] + os_label[1:]


def test_mapping_names_the_corners():
    corners = {to_ours(c) for c in ("a1", "j1", "s10", "s19", "j19", "a10")}
    assert corners == {"S1", "J1", "A10", "A19", "J19", "S10"}
    assert to_ours("j10") == "J10"


def _group(module, board, cell):
    player, group, stack = board[cell], {cell}, [cell]
    while stack:
        for n in module.NEIGHBOURS[stack.pop()]:
            if board[n] == player and n not in group:
                group.add(n)
                stack.append(n)
    return group


def _fork(module, board, cell):
    """Whether the group on cell touches three of the six edges (corners excluded)."""
    sides = set()
    for i in _group(module, board, cell):
        if not module.CORNER[i]:
            x, z = module.CELLS[i]
            sides |= {side for side, on in (("x-", x == -9), ("x+", x == 9), ("z-", z == -9),
                                             ("z+", z == 9), ("s-", x + z == -9),
                                             ("s+", x + z == 9)) if on}
    return len(sides) >= 3


def _filled_ring(module, board, cell):
    """Whether the group on cell surrounds some of its own stones only: OpenSpiel's ring
    around own stones, which our rules do not count. Then one of those stones is an
    inner cell whose six neighbours are all in the group."""
    group = _group(module, board, cell)
    return any(not module.EDGE[i] and all(n in group for n in module.NEIGHBOURS[i])
               for i in group)


def test_havannah_agrees_with_openspiel():
    game = pyspiel().load_game("havannah(board_size=10,swap=false)")
    module = reference("havannah")
    rng = random.Random(0)
    ends = {"both": 0, "openspiel only": 0, "ours only": 0}
    for t in range(TRAJECTORIES):
        os_state, state = game.new_initial_state(), module.get_initial_state()
        history = []
        while True:
            where = f"trajectory {t}, after {history}"
            ours_over = module.get_current_player(state) == -4
            if os_state.is_terminal() and not ours_over:
                cell = module.LABEL_INDEX[history[-1]]
                assert (_fork(module, state["board"], cell)
                        or _filled_ring(module, state["board"], cell)), where
                ends["openspiel only"] += 1
                break
            if ours_over and not os_state.is_terminal():
                assert len(history) == 150 and module.get_rewards(state) == [0, 0], where
                ends["ours only"] += 1
                break
            assert module.get_current_player(state) == os_player(os_state), where
            if ours_over:
                assert module.get_rewards(state) == list(os_state.returns()), where
                ends["both"] += 1
                break
            mapped = {to_ours(os_state.action_to_string(a)): a
                      for a in os_state.legal_actions()}
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
    assert sum(ends.values()) == TRAJECTORIES
    assert ends["both"] >= 5, ends
