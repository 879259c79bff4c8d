"""Go 9x9 against OpenSpiel's go(board_size=9, komi=6.5, max_game_length=1000).

Mapping: OpenSpiel names a move "B c3" / "W PASS": the mover's colour, then a column
letter a-j without i (our column 0-8) and a row number 1-9 counted from the bottom
(our row 9 - number, since our row 0 is the top row). "X PASS" is our "pass".

Both implement area (Tromp-Taylor) scoring with komi 6.5, the suicide ban and simple
ko; OpenSpiel's ko point (the single stone just captured, when the capturing stone is
a lone stone in atari) bans exactly the placements that would recreate the board from
before the opponent's last move, our ko rule. Two differences no parameter covers, so
this test plays its own loop:
- OpenSpiel ends a game as a draw when a placement repeats an earlier board (superko);
  our game goes on. A trajectory stops there, after checking the board did repeat.
- OpenSpiel caps a game at max_game_length moves; we have no cap. The cap is set far
  above the length of random games, and a trajectory reaching it stops there.
OpenSpiel's returns are 0 before the end, ours are running, so payoffs are compared at
the end only (the scenarios pin the running rewards).
"""

import random

from tests.oracles.lockstep import os_player, pyspiel, reference

TRAJECTORIES = 60
CAP = 1000
COLUMNS = "abcdefghj"


def to_ours(os_string: str) -> str:
    """OpenSpiel's move string in our notation."""
    point = os_string.split()[1]
    if point == "PASS":
        return "pass"
    column, number = COLUMNS.index(point[0]), int(point[1:])
    return f"place_{9 - number}_{column}"


def test_mapping_names_corners_and_pass():
    assert to_ours("B a9") == "place_0_0"
    assert to_ours("W j9") == "place_0_8"
    assert to_ours("B a1") == "place_8_0"
    assert to_ours("W e5") == "place_4_4"
    assert to_ours("B PASS") == "pass"


def test_go_agrees_with_openspiel():
    game = pyspiel().load_game(f"go(board_size=9,komi=6.5,max_game_length={CAP})")
    module = reference("go")
    rng = random.Random(0)
    finished = stopped = 0
    for t in range(TRAJECTORIES):
        os_state, state = game.new_initial_state(), module.get_initial_state()
        history, boards, repeated = [], {state["board"]}, False
        while True:
            where = f"trajectory {t}, after {history}"
            if os_state.is_terminal() and module.get_current_player(state) != -4:
                # OpenSpiel's superko draw (the last placement repeated a board) or
                # its move cap; our game goes on.
                assert repeated or len(history) == CAP, where
                stopped += 1
                break
            assert module.get_current_player(state) == os_player(os_state), where
            if os_state.is_terminal():
                finished += 1
                assert module.get_rewards(state) == list(os_state.returns()), where
                break
            mapped = {to_ours(os_state.action_to_string(a)): a
                      for a in os_state.legal_actions()}
            assert len(mapped) == len(os_state.legal_actions()), where
            assert sorted(module.get_legal_actions(state)) == sorted(mapped), where
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
            repeated = action != "pass" and state["board"] in boards
            boards.add(state["board"])
    assert finished + stopped == TRAJECTORIES and finished >= TRAJECTORIES // 2
