"""The timeout-swallowing loop at import time.

Expected: status timeout (the process is ended after repeated strikes).
"""

while True:
    try:
        while True:
            pass
    except BaseException:
        pass

# @REFERENCE@
