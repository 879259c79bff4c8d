"""``signal`` use: ignores termination and the CPU-limit signals, then loops.

Expected: policy_violation.
"""

import signal

for sig in (signal.SIGTERM, signal.SIGXCPU, signal.SIGPROF, signal.SIGINT):
    signal.signal(sig, signal.SIG_IGN)

# @REFERENCE@
