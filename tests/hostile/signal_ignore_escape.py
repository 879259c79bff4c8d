"""Signal handlers that ignore termination and the CPU limits (SIGTERM, SIGXCPU, SIGPROF),
installed through the real builtins behind ``typing.get_type_hints`` (fetched by a name
built at run time: the allow-list leaves it out, so it is missing), then an endless loop
in a call.

Expected: refused at run time (crashed while loading); past that, RLIMIT_CPU's SIGKILL
and the verifier's kill cannot be ignored.
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


signal = _real(_U + "import" + _U + "('sig' + 'nal')")
for _sig in (signal.SIGTERM, signal.SIGXCPU, signal.SIGPROF, signal.SIGINT):
    signal.signal(_sig, signal.SIG_IGN)

# @REFERENCE@

_legal = get_legal_actions


def get_legal_actions(state):
    while True:
        pass
    return _legal(state)
