"""A child that detaches with ``os.setsid`` and outlives the verification, reached through
the real builtins behind ``typing.get_type_hints`` (fetched by a name built at run time:
the allow-list leaves it out, so it is missing).

Expected: the code compiled at run time is refused (crashed while loading); the sandbox
user may not fork anyway, and no process is left behind.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import typing

_U = "_" * 2


def _real(expression):
    out = []

    def probe(x: "EXPR"):
        return x

    getattr(typing, "get_type" + "_hints")(probe, globalns={
        "EXPR": "(OUT.append(" + expression + "), int)[1]", "OUT": out})
    return out[0]


os = _real(_U + "import" + _U + "('o' + 's')")
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        while True:
            pass
    os.kill(os.getpid(), 9)

# @REFERENCE@
