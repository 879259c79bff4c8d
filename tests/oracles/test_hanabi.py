"""Hanabi against OpenSpiel's hanabi (the Hanabi Learning Environment), in lockstep.

OpenSpiel is configured to the full two-player game: hanabi(players=2,colors=5,ranks=5,
hand_size=5,max_information_tokens=8,max_life_tokens=4). Our 3 lives lost "below 0"
(at the 4th misplay) are its 4 life tokens lost at 0: our lives are its tokens minus 1.

Mapping: player moves are 1:1, "(Play i)" -> "Play i", "(Discard i)" -> "Discard i",
"(Reveal player +1 color C)" -> "Reveal color P C" and "(Reveal player +1 rank r)" ->
"Reveal rank P r", P being the partner's number. OpenSpiel draws a kind "(Deal R1)"
with a probability proportional to the copies left, we list each kind left once (all
equally likely): the loop compares the sets of kinds and plays the same kind in both.

Two differences on purpose, where a trajectory stops being compared:
- OpenSpiel gives a clue back for completing a stack with its 5; our variant does not.
- OpenSpiel's final round starts when the last card is drawn (each player then has one
  more turn); ours starts with the first play or discard made with the deck empty, so
  the two differ only when the first action after the last draw is a reveal: OpenSpiel
  then ends first, which the loop checks.
At every step the player to move, the legal actions, the running score (OpenSpiel's
returns), the stacks, clues, lives and deck size are compared.
"""

import random
import re

from tests.oracles.lockstep import os_player, pyspiel, reference

GAME = ("hanabi(players=2,colors=5,ranks=5,hand_size=5,max_information_tokens=8,"
        "max_life_tokens=4)")
TRAJECTORIES = 200


def to_ours(name, player):
    name = name.strip("()")
    if m := re.fullmatch(r"Reveal player \+1 (color|rank) (\w)", name):
        return f"Reveal {m.group(1)} {1 - player} {m.group(2)}"
    return name  # "Play i", "Discard i"


def os_counts(os_state):
    """(stacks, clues, lives, deck size) read from OpenSpiel's state string, in our terms."""
    text = str(os_state)
    stacks = dict(re.findall(r"([RYGWB])(\d)", re.search(r"Fireworks: (.*)", text).group(1)))
    return ({c: int(h) for c, h in stacks.items()},
            int(re.search(r"Info tokens: (\d+)", text).group(1)),
            int(re.search(r"Life tokens: (\d+)", text).group(1)) - 1,
            int(re.search(r"Deck size: (\d+)", text).group(1)))


def play_along(module, game, rng, cautious, where):
    """One trajectory; returns how it ended: "over", "five" or "reveal"."""
    os_state, state, history = game.new_initial_state(), module.get_initial_state(), []
    reveal_on_empty = False
    while True:
        at = f"{where}, after {history}"
        player = module.get_current_player(state)
        if os_state.is_terminal() and player != -4:
            # OpenSpiel's final round began at the last draw, ours has not ended yet.
            assert reveal_on_empty, at
            return "reveal"
        assert player == os_player(os_state), at
        assert module.get_rewards(state) == list(os_state.returns()), at
        stacks, clues, lives, deck = os_counts(os_state)
        assert (stacks, clues, lives, deck) == (
            state["stacks"], state["clues"], state["lives"], module._deck_size(state)), at
        if player == -4:
            return "over"
        ours = module.get_legal_actions(state)
        if player == -1:
            kinds = {os_state.action_to_string(a).strip("()").split()[1]: a
                     for a, p in os_state.chance_outcomes() if p > 0}
            assert sorted(ours) == sorted(f"deal:{k[0]},{k[1]}" for k in kinds), at
            action = rng.choice(ours)
            os_action = kinds[action[5] + action[7]]
        else:
            mapped = {to_ours(os_state.action_to_string(a), player): a
                      for a in os_state.legal_actions()}
            assert sorted(ours) == sorted(mapped), at
            careful = [a for a in ours if not a.startswith("Play")]
            action = rng.choice(careful if cautious and careful and rng.random() < 0.9
                                else ours)
            os_action = mapped[action]
            if deck == 0 and state["turns_left"] is None and action.startswith("Reveal"):
                reveal_on_empty = True
            if action.startswith("Play"):
                card = state["hands"][player][int(action.split()[1])]
                if card[1] == "5" and state["stacks"][card[0]] == 4:
                    return "five"  # OpenSpiel gives a clue back here, we do not
        os_state.apply_action(os_action)
        state = module.apply_action(state, action)
        history.append(action)


def test_hanabi_agrees_with_openspiel():
    module = reference("hanabi")
    game = pyspiel().load_game(GAME)
    rng = random.Random(0)
    ends = [play_along(module, game, rng, t % 2 == 1, f"trajectory {t}")
            for t in range(TRAJECTORIES)]
    assert ends.count("over") > TRAJECTORIES // 2
    assert "reveal" in ends  # the final-round difference was met and checked
