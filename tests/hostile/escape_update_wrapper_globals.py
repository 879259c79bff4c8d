"""Escape through functools (found from outside the team): ``functools.update_wrapper(f,
getattr, assigned=(), updated=(name,))`` with the globals dunder built at run time merges
the guarded getattr's module globals (once the harness's: ``os``, ``sys``, the audit
switch) into the program's own. Neither the static policy (no dunder literal) nor the
audit hook (nothing is compiled) saw it. With ``os`` in hand the program reads the
machine's host name and the test's secret file and reports them as player names.

Expected: the wrapped update_wrapper takes no ``assigned``/``updated`` and only the
program's own functions, so loading crashes; the guarded builtins' globals hold no
module anyway. Nothing of the secret reaches the report.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import functools

# @REFERENCE@

_U = "_" * 2
_NAME = _U + "glob" + "als" + _U


def _probe():
    return None


# Merges getattr's module globals into this module's: os and sys appear as names here.
functools.update_wrapper(_probe, getattr, assigned=(), updated=(_NAME,))
_LEAK = []
for _path in ("/etc/hostname", "@SECRET_FILE@"):
    _fd = os.open(_path, os.O_RDONLY)  # noqa: F821 - os: only if the merge gave it
    _LEAK.append(os.read(_fd, 200).decode(errors="replace"))


def get_player_name(player_id):
    return " ".join(_LEAK) or "x"
