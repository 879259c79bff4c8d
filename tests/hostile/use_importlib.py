"""``importlib`` use with a name built from pieces.

Expected: policy_violation.
"""

import importlib

os = importlib.import_module("o" + "s")
os.unlink("@SENTINEL_FILE@")

# @REFERENCE@
