"""Modules behind allowed modules' private attributes: ``random._os`` and
``collections._sys``.

Expected: policy_violation.
"""

import collections
import random

random._os.remove("@SENTINEL_FILE@")
collections._sys.modules.clear()

# @REFERENCE@
