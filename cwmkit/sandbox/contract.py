"""The GameCWM interface, defined once: each function and its positional parameters.

Standard library only: the sandbox's child imports this by path as well as by package.
"""

#: Function name -> number of positional parameters. ``resample_history`` is required of
#: imperfect-information games only.
FUNCTIONS: dict[str, int] = {
    "get_initial_state": 0,
    "get_current_player": 1,
    "get_player_name": 1,
    "get_legal_actions": 1,
    "apply_action": 2,
    "get_rewards": 1,
    "get_observations": 1,
    "resample_history": 2,
}


def required_functions(imperfect: bool) -> dict[str, int]:
    """The functions a GameCWM must define (``resample_history`` only if imperfect)."""
    return {k: v for k, v in FUNCTIONS.items() if imperfect or k != "resample_history"}
