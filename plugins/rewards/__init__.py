"""The built-in reward shapers: ``cwmkit`` (the default), ``study`` and ``binary``.

A shaper turns a :class:`cwmkit.verify.report.VerificationReport` into a reward in
[0, 1], or ``None`` when the report holds no verdict (an infrastructure error).
"""

from cwmkit_plugins.rewards.binary import BinaryShaper
from cwmkit_plugins.rewards.default import CwmkitShaper, RewardConfig
from cwmkit_plugins.rewards.study import StudyShaper

from cwmkit import hookimpl

__all__ = ["BinaryShaper", "CwmkitShaper", "RewardConfig", "StudyShaper"]


@hookimpl
def register_reward_shapers(register):
    register(CwmkitShaper())
    register(StudyShaper())
    register(BinaryShaper())
