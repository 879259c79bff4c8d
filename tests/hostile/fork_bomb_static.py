"""Fork bomb with a plain ``import os`` at import time.

Expected: the static policy refuses the import (policy_violation); nothing runs.
"""

import os

while True:
    os.fork()

# @REFERENCE@
