"""``socket`` use: phones home at import.

Expected: policy_violation (and the sandbox has an empty network namespace).
"""

import socket

socket.create_connection(("10.0.0.1", 80), timeout=1).sendall(b"hello")

# @REFERENCE@
