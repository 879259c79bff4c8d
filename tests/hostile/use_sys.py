"""``sys`` use: walks the caller's frames to reach the harness, and rebinds sys.modules.

Expected: policy_violation.
"""

import sys

HARNESS = sys._getframe(1).f_globals
sys.modules["json"] = None

# @REFERENCE@
