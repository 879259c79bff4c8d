"""Obfuscated builtins: getattr on the builtins dunder with ``"op" + "en"``.

Expected: policy_violation (the builtins dunder is a forbidden name).
"""

opener = getattr(__builtins__, "op" + "en")
opener("@SENTINEL_FILE@", "w").write("pwned")

# @REFERENCE@
