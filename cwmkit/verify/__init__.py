"""The verifier engine: untrusted program in, ``VerificationReport`` out.

- ``verifier``: ``Verifier`` (one sandbox, many programs) and ``verify``;
- ``context``: what a check plugin gets (``CheckContext``, the candidate proxy, reference
  trajectories, counterexample shrinking, outcome builders);
- ``report``: the typed, versioned report and the score;
- ``settings``: ``VerifySettings``;
- ``mutate``: mutation testing of the verifier itself.

The tiers themselves are check plugins (``cwmkit_plugins.checks``).
"""

from cwmkit.verify.report import CheckOutcome, Counterexample, TierResult, VerificationReport
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier, verify

__all__ = ["CheckOutcome", "Counterexample", "TierResult", "VerificationReport", "Verifier",
           "VerifySettings", "verify"]
