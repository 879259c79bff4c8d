"""Kills the parent: ``os.kill(os.getppid(), 9)`` and the whole process group.

Expected: policy_violation.
"""

import os

os.kill(os.getppid(), 9)
os.killpg(0, 9)

# @REFERENCE@
