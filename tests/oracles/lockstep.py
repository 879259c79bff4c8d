"""Lockstep comparison of a reference GameCWM with OpenSpiel (an independent oracle).

Each oracle test maps OpenSpiel actions to our action strings and plays random
trajectories in both implementations at once, comparing at every step the player to
move, the set of legal actions (chance outcomes included), terminality and, at the end,
the payoffs. OpenSpiel is a test-only extra: without it these tests are skipped.
"""

from __future__ import annotations

import random
from collections.abc import Callable

import pytest

from cwmkit.core.plugins import get_host

TRAJECTORIES = 200


def pyspiel():
    return pytest.importorskip("pyspiel", reason="needs the openspiel extra")


def reference(game_id: str):
    return get_host().get("games", game_id).reference()


def os_player(os_state) -> int:
    """OpenSpiel's player to move in our convention (-1 chance, -4 terminal)."""
    if os_state.is_terminal():
        return -4
    if os_state.is_chance_node():
        return -1
    return os_state.current_player()


def lockstep(module, os_game, to_ours: Callable, *, trajectories: int = TRAJECTORIES,
             seed: int = 0, payoffs: Callable | None = None,
             uniform_chance: bool = True) -> dict:
    """Play ``trajectories`` random games in both implementations and compare.

    ``to_ours(os_state, os_action) -> str`` names an OpenSpiel action with our string.
    ``payoffs(os_returns) -> list`` maps OpenSpiel's returns onto ours (default: same).
    Returns counts (``steps``, ``trajectories``) for the caller to report.
    """
    rng = random.Random(seed)
    steps = 0
    for t in range(trajectories):
        os_state = os_game.new_initial_state()
        state = module.get_initial_state()
        history: list[str] = []
        while True:
            where = f"trajectory {t}, after {history}"
            player = os_player(os_state)
            assert module.get_current_player(state) == player, (
                f"{where}: player to move {module.get_current_player(state)} vs "
                f"OpenSpiel {player}")
            if player == -4:
                break
            if os_state.is_chance_node():
                outcomes = os_state.chance_outcomes()
                os_actions = [a for a, p in outcomes if p > 0]
                if uniform_chance:
                    probs = {round(p, 9) for _, p in outcomes if p > 0}
                    assert len(probs) == 1, f"{where}: OpenSpiel chance is not uniform"
            else:
                os_actions = os_state.legal_actions()
            mapped = {to_ours(os_state, a): a for a in os_actions}
            assert len(mapped) == len(os_actions), f"{where}: action mapping is not 1:1"
            ours = module.get_legal_actions(state)
            assert sorted(ours) == sorted(mapped), (
                f"{where}: legal actions differ\n ours only: "
                f"{sorted(set(ours) - set(mapped))}\n OpenSpiel only: "
                f"{sorted(set(mapped) - set(ours))}")
            action = rng.choice(sorted(mapped))
            os_state.apply_action(mapped[action])
            state = module.apply_action(state, action)
            history.append(action)
            steps += 1
        expected = list(os_state.returns())
        if payoffs is not None:
            expected = payoffs(expected)
        got = module.get_rewards(state)
        assert len(got) == len(expected) and all(
            abs(a - b) < 1e-9 for a, b in zip(got, expected, strict=True)), (
            f"trajectory {t} {history}: payoffs {got} vs OpenSpiel {expected}")
    return {"trajectories": trajectories, "steps": steps}
