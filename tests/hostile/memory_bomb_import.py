"""Memory bomb at import: allocates far more than the address-space limit.

Expected: MemoryError under RLIMIT_AS, reported as crashed while loading; the verifier
keeps serving.
"""

HOARD = [bytearray(64 * 1024 * 1024) for _ in range(1024)]

# @REFERENCE@
