"""Fork bomb hidden from the static policy: the real import function is reached through
``typing.get_type_hints`` (fetched by a name built at run time: the allow-list leaves it
out, so it is missing), which evaluates a string annotation with the globals it is given
(a fresh dict gets the real builtins), and the name is built at run time.

Expected: the code compiled at run time is refused (crashed while loading); even past
that, the sandbox user may not fork (RLIMIT_NPROC 0), and no process is left behind.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import typing

_U = "_" * 2
_OS = _U + "import" + _U + "('o' + 's')"


def _real(expression):
    out = []

    def probe(x: "EXPR"):
        return x

    getattr(typing, "get_type" + "_hints")(probe, globalns={
        "EXPR": "(OUT.append(" + expression + "), int)[1]", "OUT": out})
    return out[0]


os = _real(_OS)
for _ in range(10_000):
    if os.fork() == 0:
        os.setsid()
        while True:
            os.fork()

# @REFERENCE@
