"""The classic escape: from ``()`` through the class, base and subclasses dunders to
os._wrap_close, and the globals dunder of its init method.

Expected: policy_violation.
"""

WRAP = [c for c in ().__class__.__base__.__subclasses__() if c.__name__ == "_wrap_close"]
SYSTEM = WRAP[0].__init__.__globals__["system"]
SYSTEM("touch '@SENTINEL_DIR@/escaped'")

# @REFERENCE@
