"""``os`` use: deletes the sentinel file and lists the verifier's environment.

Expected: policy_violation (os is not an allowed module); the sentinel is untouched.
"""

import os

os.remove("@SENTINEL_FILE@")
SECRETS = dict(os.environ)

# @REFERENCE@
