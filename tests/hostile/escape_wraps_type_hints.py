"""Escape through typing (found from outside the team): ``functools.wraps(getattr,
assigned=())(probe)`` sets ``probe.__wrapped__`` to the guarded getattr, and
``typing.get_type_hints(probe)`` follows it to getattr's globals (once the harness's),
evaluating the annotation ``"os"`` there. The program reads the test's secret through
the ``os`` it gets and raises it from every call. Both names are fetched at run time.

Expected: ``get_type_hints`` is not on the allow-list and the wrapped ``wraps`` refuses
``assigned`` and other modules' functions, so loading crashes; nothing of the secret
reaches the report.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import functools
import typing

# @REFERENCE@


def probe(x: "os"):
    return x


functools.wraps(getattr, assigned=())(probe)
_os = getattr(typing, "get_type" + "_hints")(probe)["x"]
_fd = _os.open("@SECRET_FILE@", _os.O_RDONLY)
SECRET = _os.read(_fd, 200).decode()


def get_legal_actions(state):
    raise ValueError(SECRET)
