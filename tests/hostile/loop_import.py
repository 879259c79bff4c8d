"""Infinite loop at import.

Expected: the load runs out of CPU time (timeout).
"""

n = 0
while True:
    n += 1

# @REFERENCE@
