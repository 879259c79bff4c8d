"""``KeyboardInterrupt`` raised at import, hoping to stop the verifier.

Expected: crashed while loading.
"""

raise KeyboardInterrupt

# @REFERENCE@
