"""State carried from one check to the next: resample_history answers from memory.
apply_action remembers every history the verifier made the program play (keyed by the
state it leads to), and resample_history returns the remembered history whose
observations match the view it is given: the true history, without any inference.
With nothing remembered it returns a history that is not consistent.

Expected: the resampling tier asks a fresh process, which never played the histories
whose views it gets, so the answers are inconsistent (information consistent).
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_apply = apply_action
_initial = get_initial_state
TRAILS = {}


def _key(state):
    return repr(state)


def apply_action(state, action):
    new = _apply(state, action)
    TRAILS[_key(new)] = TRAILS.get(_key(state), []) + [action]
    return new


def _views(history, player):
    state = _initial()
    seen = []
    for action in history:
        if get_current_player(state) == player:
            seen.append((get_observations(state)[player], action))
        state = _apply(state, action)
    return seen


def resample_history(obs_action_history, player_id):
    wanted = [(dict(obs), action) for obs, action in obs_action_history]
    for trail in list(TRAILS.values()):
        for cut in range(len(trail), 0, -1):
            if _views(trail[:cut], player_id) == wanted:
                return list(trail[:cut])
    return ["nothing remembered"]
