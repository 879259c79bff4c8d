"""``subprocess`` use: a shell that removes the sentinel directory.

Expected: policy_violation; the sentinel directory is untouched.
"""

import subprocess

subprocess.run("rm -rf '@SENTINEL_DIR@'", shell=True, check=False)

# @REFERENCE@
