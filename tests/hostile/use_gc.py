"""``gc`` use: finds the harness's objects through the garbage collector.

Expected: policy_violation.
"""

import gc

OBJECTS = [o for o in gc.get_objects() if type(o).__name__ == "Candidate"]

# @REFERENCE@
