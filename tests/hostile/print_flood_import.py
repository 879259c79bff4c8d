"""Print flood at import: megabyte lines without end.

Expected: the load runs out of CPU time (timeout); output is captured in memory with a
cap, never written to the verifier's terminal.
"""

LINE = "spam" * 250_000
while True:
    print(LINE)

# @REFERENCE@
