"""File writes outside the temporary directory, through the real ``open`` and ``os`` behind
``typing.get_type_hints`` (fetched by a name built at run time: the allow-list leaves it
out, so it is missing): overwrites the sentinel file, drops a new file next to it and
removes the sentinel directory's file.

Expected: refused at run time (crashed while loading); the read-only filesystem view and
the unprivileged user stop the writes anyway. The sentinel is unchanged.
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


_real("open('@SENTINEL_FILE@', 'w').write('pwned')")
_real("open('@SENTINEL_DIR@/dropped.txt', 'w').write('pwned')")
_real(_U + "import" + _U + "('os').remove('@SENTINEL_FILE@')")

# @REFERENCE@
