"""File writes with plain ``open``: overwrite the sentinel file, drop a file next to it.

Expected: policy_violation (``open`` is a forbidden name).
"""

with open("@SENTINEL_FILE@", "w") as fh:
    fh.write("pwned")
open("@SENTINEL_DIR@/dropped.txt", "w").close()

# @REFERENCE@
