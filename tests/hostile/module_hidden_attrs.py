"""Public attributes that still walk arbitrary objects: ``string.Formatter().get_field``
and ``operator.attrgetter`` of the globals dunder.

Expected: policy_violation.
"""

# Names from the game's reference program, which the test pastes in at the marker below.
# ruff: noqa: F821

import operator
import string

# @REFERENCE@

GLOBALS = operator.attrgetter("__globals__")(get_rewards)
FIELD = string.Formatter().get_field("0.__globals__", [get_rewards], {})
