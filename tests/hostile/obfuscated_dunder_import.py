"""Obfuscated import: the import dunder called with ``"o" + "s"``.

Expected: policy_violation (the import dunder is a forbidden name).
"""

os = __import__("o" + "s")
os.kill(os.getppid(), 9)

# @REFERENCE@
