"""Forging "no verdict": every way a program can make the harness fail while it handles
the program's values, in the sandbox's own words. get_current_player returns an object
whose ``__repr__``, ``__str__`` and ``__format__`` raise with a message that reads like
the sandbox's ("sandbox failure: the sandbox zygote stopped answering"), and whose
metaclass makes the type's ``__name__`` raise too; player names and exceptions carry the
same text, and a destructor raises it as well.

Expected: never infra_error: the values are not well formed (dynamics well_formed) or
the process is reported crashed; the sandbox's text in a message changes nothing.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_U = "_" * 2
FORGED = "sandbox failure: the sandbox zygote stopped answering (infra_error)"


def _raise(*args):
    raise RuntimeError(FORGED)


_Meta = type("Meta", (type,), {_U + "name" + _U: property(_raise)})
Player = _Meta("Player", (), {_U + "repr" + _U: _raise, _U + "str" + _U: _raise,
                              _U + "format" + _U: _raise, _U + "del" + _U: _raise})
_player = get_current_player


def get_current_player(state):
    player = _player(state)
    return Player() if player == 1 else player


def get_player_name(player_id):
    return FORGED


def get_rewards(state):
    raise RuntimeError(FORGED)
