"""Prisoner's Dilemma against OpenSpiel matrix games, turned into turn-based games.

OpenSpiel's own matrix_pd pays 5/5, 0/10, 10/0, 1/1, not the study's table, so it is
compared for the game's structure (turns, legal moves, the end) with its moves
"Cooperate" / "Defect" named "C" / "D" and its payoffs centred and halved (its
differences are twice the study's, so that recovers ours). The payoffs themselves are
compared on a matrix game built in OpenSpiel from the study's classic table (3/3, 0/5,
5/0, 1/1): ours must be those points minus the mean of the two.
"""

from tests.oracles.lockstep import lockstep, pyspiel, reference

MOVES = {"Cooperate": "C", "Defect": "D", "C": "C", "D": "D"}


def to_ours(os_state, os_action):
    return MOVES[os_state.action_to_string(os_state.current_player(), os_action)]


def centred(returns, scale=1.0):
    mean = sum(returns) / len(returns)
    return [(r - mean) * scale for r in returns]


def study_table():
    spiel = pyspiel()
    matrix = spiel.create_matrix_game(
        "study_pd", "Prisoner's Dilemma", ["C", "D"], ["C", "D"],
        [[3, 0], [5, 1]],   # player 0's points, rows = player 0's move
        [[3, 5], [0, 1]])   # player 1's points
    return spiel.convert_to_turn_based(matrix)


def test_the_mapping_names_both_moves():
    state = pyspiel().load_game_as_turn_based("matrix_pd").new_initial_state()
    assert [to_ours(state, a) for a in state.legal_actions()] == ["C", "D"]


def test_prisoners_dilemma_agrees_with_openspiel_matrix_pd():
    game = pyspiel().load_game_as_turn_based("matrix_pd")
    result = lockstep(reference("prisoners_dilemma"), game, to_ours, trajectories=40,
                      payoffs=lambda r: centred(r, 0.5))
    assert result["trajectories"] == 40


def test_prisoners_dilemma_pays_the_centred_study_table():
    result = lockstep(reference("prisoners_dilemma"), study_table(), to_ours,
                      trajectories=40, payoffs=centred)
    assert result["trajectories"] == 40
