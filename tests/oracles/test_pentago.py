"""Pentago against OpenSpiel's pentago.

Mapping: OpenSpiel writes a move as the cell, column letter a-f then row 1-6 from the
top, followed by one letter for the quadrant turn; ours is "x(r,c)_rotate_q_DIR" with
r = row - 1 and c = the column index. OpenSpiel's eight letters, found by turning a
single marble in each quadrant: s/t turn the top-left quadrant (0) counter-clockwise /
clockwise, u/v the top-right one (1), y/z the bottom-left one (2) and w/x the
bottom-right one (3). Its player 0 moves first, as our "x". Both judge the board after
the turn only, give the win to a single player with five (even the non-mover) and call
fives for both, or a full board, a draw.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference

TURNS = {"s": (0, "CCW"), "t": (0, "CW"), "u": (1, "CCW"), "v": (1, "CW"),
         "y": (2, "CCW"), "z": (2, "CW"), "w": (3, "CCW"), "x": (3, "CW")}
MARKS = ["x", "o"]


def to_ours(player: int, os_string: str) -> str:
    column, row, turn = os_string[0], int(os_string[1]), os_string[2]
    quadrant, direction = TURNS[turn]
    return f"{MARKS[player]}({row - 1},{'abcdef'.index(column)})_rotate_{quadrant}_{direction}"


def test_mapping_names_cells_and_turns():
    assert to_ours(0, "a1t") == "x(0,0)_rotate_0_CW"
    assert to_ours(1, "f6w") == "o(5,5)_rotate_3_CCW"
    assert to_ours(0, "a5y") == "x(4,0)_rotate_2_CCW"


def test_mapping_turns_a_marble_as_our_quadrants_do():
    game = pyspiel().load_game("pentago")
    module = reference("pentago")
    for cell in ("a1", "d1", "a4", "d4", "b2", "f6"):
        for turn in TURNS:
            os_state = game.new_initial_state()
            action = next(a for a in os_state.legal_actions()
                          if os_state.action_to_string(a) == cell + turn)
            os_state.apply_action(action)
            state = module.apply_action(module.get_initial_state(), to_ours(0, cell + turn))
            # Both agree on which cells are still free after the turn.
            free = sorted(to_ours(1, os_state.action_to_string(a))
                          for a in os_state.legal_actions())
            assert free == sorted(module.get_legal_actions(state))


def test_pentago_agrees_with_openspiel():
    game = pyspiel().load_game("pentago")
    result = lockstep(reference("pentago"), game,
                      lambda s, a: to_ours(s.current_player(),
                                           s.action_to_string(s.current_player(), a)))
    assert result["trajectories"] == 200
