"""The reference study's reward.

The study gave partial credit in [0, 1] from four tiers, weighted static 0.15,
dynamics 0.25, information 0.30 and scenarios 0.30 and renormalised over the tiers that
apply (a perfect-information game has no information tier, so its weights sum to 0.70).
Its gates: an incomplete API or a program that fails at the initial state earns only
the static share; a dynamics score under 0.5 earns nothing for the later tiers; a
completion without code, or code that does not compile, earns 0.
"""

from __future__ import annotations

from cwmkit_plugins.rewards.gates import gated_mean

from cwmkit.verify.report import VerificationReport

STUDY_WEIGHTS = {"static": 0.15, "dynamics": 0.25, "information": 0.30, "scenarios": 0.30}
STUDY_DYNAMICS_GATE = 0.5


class StudyShaper:
    name = "study"
    description = ("the reference study's reward: static/dynamics/information/scenarios "
                   "0.15/0.25/0.30/0.30 with its API, initial-state and dynamics gates")

    def __call__(self, report: VerificationReport) -> float | None:
        return gated_mean(report, STUDY_WEIGHTS, api_gate=True, initial_state_gate=True,
                          dynamics_gate=STUDY_DYNAMICS_GATE)
