"""Format-string walks that the static policy cannot read: the ``format`` method fetched
with getattr, also as format_map, both walking a generator's frame.

Written to pass only when a walk works. Expected: the guarded getattr refuses
``format`` at run time, so loading crashes.
"""


def _gen():
    yield 1


LEAKS = []
try:
    walk = getattr("{0.gi" + "_frame.f_back}", "for" + "mat")
    LEAKS.append(walk(_gen()))
except AttributeError:
    pass
try:
    walk = getattr("{x.gi_frame}", "format_" + "map")
    LEAKS.append(walk({"x": _gen()}))
except AttributeError:
    pass
if not LEAKS:
    raise ImportError("every walk was refused")

# @REFERENCE@
