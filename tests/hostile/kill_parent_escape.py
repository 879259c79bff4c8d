"""Kills the parent (the zygote) and every process it can signal, from inside each
get_initial_state call, through the real builtins that ``typing.get_type_hints``
(fetched by a name built at run time: the allow-list leaves it out, so it is missing)
evaluates with; the names are built at run time.

Expected: refused at run time, so every call raises (dynamics no_errors); even past
that, the sandbox user may not signal the zygote or the verifier. The verifier keeps
serving.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import typing

# @REFERENCE@

_U = "_" * 2
_OS = _U + "import" + _U + "('o' + 's')"


def _real(expression):
    out = []

    def probe(x: "EXPR"):
        return x

    getattr(typing, "get_type" + "_hints")(probe, globalns={
        "EXPR": "(OUT.append(" + expression + "), int)[1]", "OUT": out})
    return out[0]


_initial = get_initial_state


def get_initial_state():
    os = _real(_OS)
    for pid in (os.getppid(), -1):
        os.kill(pid, 9)
    return _initial()
