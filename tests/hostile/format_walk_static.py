"""Format-string walk with a string built at run time:
``("{0." + "__glo" + "bals__}").format(f)``.

Expected: policy_violation (``.format`` is allowed on a string literal only).
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

# @REFERENCE@

_U = "_" * 2
LEAK = ("{0." + _U + "globals" + _U + "}").format(get_rewards)
