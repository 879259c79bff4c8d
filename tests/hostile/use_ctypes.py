"""``ctypes`` use: calls libc's kill on the parent.

Expected: policy_violation.
"""

from ctypes import CDLL

CDLL(None).kill(CDLL(None).getppid(), 9)

# @REFERENCE@
