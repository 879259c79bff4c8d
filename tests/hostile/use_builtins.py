"""``builtins`` use: the real open through the builtins module.

Expected: policy_violation.
"""

import builtins

builtins.open("@SENTINEL_DIR@/dropped.txt", "w").write("pwned")

# @REFERENCE@
