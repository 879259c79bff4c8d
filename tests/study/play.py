"""Play action strings through a built-in game's reference, checking each is legal."""

from __future__ import annotations

from collections.abc import Iterable

from cwmkit.core.plugins import get_host


def reference(game_id: str):
    return get_host().get("games", game_id).reference()


def play(game_id: str, actions: Iterable[str], module=None):
    """Apply ``actions`` from the initial state; each must be legal where it is played.

    Returns ``(module, state)`` so the caller can check where the actions led.
    """
    module = module or reference(game_id)
    state = module.get_initial_state()
    done: list[str] = []
    for action in actions:
        legal = module.get_legal_actions(state)
        if action not in legal:
            raise AssertionError(
                f"{game_id}: {action!r} is not legal after {done}; legal: {sorted(legal)[:40]}")
        state = module.apply_action(state, action)
        done.append(action)
    return module, state
