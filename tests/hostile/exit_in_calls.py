"""``SystemExit`` from apply_action and ``KeyboardInterrupt`` from get_rewards once the
game is over, hoping to end the harness before the bad call is reported.

Expected: each is reported as an exception of that call (dynamics no_errors).
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_apply = apply_action
_rewards = get_rewards


def apply_action(state, action):
    if action == "o(2,2)":
        raise SystemExit(0)
    return _apply(state, action)


def get_rewards(state):
    if get_current_player(state) == -4:
        raise KeyboardInterrupt
    return _rewards(state)
