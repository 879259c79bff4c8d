"""Facts about a verification report that reward shapers gate on, and the gated mean.

Every function here is a pure function of a :class:`VerificationReport`.
"""

from __future__ import annotations

from collections.abc import Mapping

from cwmkit.verify.report import TierResult, VerificationReport

#: Tiers that judge the program's structure and its ability to run at all; every other
#: tier judges what the program means and is gated on the dynamics score.
FOUNDATION = ("static", "dynamics")

#: Statuses whose program never ran: nothing to give credit for.
NOT_RUN = ("compile_error", "policy_violation")



def applies(tier: TierResult | None) -> bool:
    return tier is not None and tier.applicable


def api_complete(report: VerificationReport) -> bool:
    """Every required function exists and takes the contract's arguments."""
    static = report.tiers.get("static")
    if static is None:
        return True
    return all(c.passed for c in static.checks if c.name in ("functions", "arity"))


def initial_state_failed(report: VerificationReport) -> bool:
    """The dynamics tier could not even start: it never ran (the program died or timed
    out while loading, or the static tier stopped it) or every playout faulted at the
    initial state, before any action."""
    dynamics = report.tiers.get("dynamics")
    if not applies(dynamics):
        return False
    if dynamics.skipped is not None:
        return True
    metrics = dynamics.metrics
    return (metrics.get("playouts", 0) > 0 and metrics.get("clean", 0) == 0
            and metrics.get("mean_length", 0) == 0)


def gated_mean(report: VerificationReport, weights: Mapping[str, float], *, api_gate: bool,
               initial_state_gate: bool, dynamics_gate: float) -> float | None:
    """The weighted mean of the tiers of ``weights`` that apply to ``report``, renormalised
    over them, after the gates:

    - ``None`` for an infrastructure error, 0 for a program that never ran;
    - ``api_gate``: an incomplete API earns only the static share;
    - ``initial_state_gate``: a program that fails at the initial state earns only the
      static share;
    - ``dynamics_gate``: a dynamics score below it earns nothing for the later tiers.
    """
    if report.status == "infra_error":
        return None
    if report.status in NOT_RUN:
        return 0.0
    tiers = {name: report.tiers[name] for name, w in weights.items()
             if w > 0 and applies(report.tiers.get(name))}
    total = sum(weights[name] for name in tiers)
    if total <= 0:
        return 0.0
    if (api_gate and not api_complete(report)) or (initial_state_gate
                                                   and initial_state_failed(report)):
        counted = ("static",)
    elif "dynamics" in tiers and tiers["dynamics"].score < dynamics_gate:
        counted = FOUNDATION
    else:
        counted = tuple(tiers)
    earned = sum(tiers[name].score * weights[name] for name in counted if name in tiers)
    return round(min(1.0, max(0.0, earned / total)), 6)
