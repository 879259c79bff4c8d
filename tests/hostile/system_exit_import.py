"""``SystemExit`` raised at import, hoping the harness exits cleanly with status 0.

Expected: crashed while loading.
"""

raise SystemExit(0)

# @REFERENCE@
