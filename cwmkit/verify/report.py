"""Verification reports: typed, versioned, JSON-serialisable.

A :class:`VerificationReport` keeps every tier's score and every check's outcome, with a
counterexample for each failure: the shortest action sequence found that shows it, with
the expected and the actual value.
"""

from __future__ import annotations

from typing import Literal

import attrs
from attrs import field, frozen

__all__ = [
    "REPORT_VERSION",
    "STATUSES",
    "TIER_WEIGHTS",
    "CheckOutcome",
    "Counterexample",
    "TierResult",
    "VerificationReport",
    "aggregate",
    "is_verified",
]

#: 2: ``verified``; graded checks; tiers not applicable may say why. Version 1 reports
#: still load (``verified`` then means status ok and a score of 1.0).
REPORT_VERSION = 2

Status = Literal["ok", "compile_error", "timeout", "crashed", "policy_violation", "infra_error"]
STATUSES = ("ok", "compile_error", "timeout", "crashed", "policy_violation", "infra_error")

#: Weights of the overall score, renormalised over the tiers that apply to a program.
#: The semantic tiers that compare against the rules (scenarios, differential) and the
#: dynamics that planning depends on weigh most; static only gates.
TIER_WEIGHTS = {
    "static": 0.05,
    "dynamics": 0.20,
    "utility": 0.10,
    "information": 0.15,
    "privacy": 0.10,
    "scenarios": 0.20,
    "differential": 0.20,
}


@frozen
class Counterexample:
    """The shortest action sequence found that shows a failure."""

    actions: tuple[str, ...] = field(converter=tuple)
    message: str
    expected: str | None = None
    actual: str | None = None

    def to_dict(self) -> dict:
        return {"actions": list(self.actions), "message": self.message,
                "expected": self.expected, "actual": self.actual}

    @classmethod
    def from_dict(cls, d: dict) -> Counterexample:
        return cls(d["actions"], d["message"], d.get("expected"), d.get("actual"))


@frozen
class CheckOutcome:
    """One check: how many trials it ran, how many failed, and an example failure."""

    name: str
    passed: bool
    message: str = ""
    trials: int = 1
    failures: int = 0
    counterexample: Counterexample | None = None

    @property
    def score(self) -> float:
        if self.trials <= 0:
            return 1.0 if self.passed else 0.0
        return (self.trials - self.failures) / self.trials

    def to_dict(self) -> dict:
        return {"name": self.name, "passed": self.passed, "message": self.message,
                "trials": self.trials, "failures": self.failures,
                "counterexample": self.counterexample.to_dict() if self.counterexample
                else None}

    @classmethod
    def from_dict(cls, d: dict) -> CheckOutcome:
        cx = d.get("counterexample")
        return cls(d["name"], d["passed"], d.get("message", ""), d.get("trials", 1),
                   d.get("failures", 0), Counterexample.from_dict(cx) if cx else None)


#: ``TierResult.skipped`` of a tier that does not apply to the program's game.
NOT_APPLICABLE = "not applicable"
#: How ``TierResult.skipped`` of a tier whose check plugin failed begins.
BROKEN_PLUGIN = "check plugin"


@frozen
class TierResult:
    """A tier's score in [0, 1] and the checks behind it; ``score`` is None when the tier
    does not apply (``skipped`` starts with ``NOT_APPLICABLE``, maybe with a reason)."""

    name: str
    score: float | None
    checks: tuple[CheckOutcome, ...] = field(converter=tuple, default=())
    skipped: str | None = None
    metrics: dict = field(factory=dict)

    @classmethod
    def not_applicable(cls, name: str, reason: str | None = None) -> TierResult:
        """The tier does not apply; ``reason`` says why when it is not the game's kind
        (e.g. no view small enough to enumerate)."""
        return cls(name, None, (), f"{NOT_APPLICABLE}: {reason}" if reason else NOT_APPLICABLE)

    @classmethod
    def broken(cls, name: str, why: str) -> TierResult:
        """The tier's check plugin failed (raised, or returned something else): the
        verifier's fault, so the tier is left out of the score and says why."""
        return cls(name, None, (), f"{BROKEN_PLUGIN} '{name}' failed: {why}")

    @property
    def applicable(self) -> bool:
        return not (self.skipped or "").startswith(NOT_APPLICABLE)

    @property
    def plugin_failed(self) -> bool:
        return bool(self.skipped) and self.skipped.startswith(BROKEN_PLUGIN)

    @property
    def passed(self) -> bool:
        return self.skipped is None and all(c.passed for c in self.checks)

    def to_dict(self) -> dict:
        return {"name": self.name, "score": self.score, "skipped": self.skipped,
                "checks": [c.to_dict() for c in self.checks], "metrics": dict(self.metrics)}

    @classmethod
    def from_dict(cls, d: dict) -> TierResult:
        return cls(d["name"], d["score"], [CheckOutcome.from_dict(c) for c in d["checks"]],
                   d.get("skipped"), d.get("metrics", {}))


def aggregate(tiers: dict[str, TierResult], status: str) -> float | None:
    """The overall score: the weighted mean of the tier scores that apply.

    ``None`` for an infrastructure failure (no verdict); 0 when the program does not
    compile. A program that cannot run (it breaks the policy, or its module raised or ran
    out of time while loading) earns its static share only: every other tier counts 0.
    Otherwise tiers that never ran (the program crashed or timed out first) count as 0.
    The score is below 1.0 whenever any check failed, however small its share.
    """
    if status == "infra_error":
        return None
    if status == "compile_error":
        return 0.0
    applied = {k: t for k, t in tiers.items() if t.score is not None and t.applicable}
    if not applied:
        return 0.0
    weights = {k: TIER_WEIGHTS.get(k, 0.1) for k in applied}
    total = sum(weights.values())
    score = round(sum(applied[k].score * w for k, w in weights.items()) / total, 6)
    if score >= 1.0 and not all(t.passed for t in applied.values()):
        score = MAX_IMPERFECT
    return score


#: The highest score of a program with a failed check (scores are rounded to 6 places).
MAX_IMPERFECT = 0.999999


def is_verified(tiers: dict[str, TierResult], status: str) -> bool:
    """Every check of every tier that applies ran and passed (and the program ran)."""
    return status == "ok" and bool(tiers) and all(
        t.passed for t in tiers.values() if t.applicable)


@frozen
class VerificationReport:
    """The verdict on one program."""

    status: Status
    score: float | None
    tiers: dict[str, TierResult]
    program_sha256: str
    game: str | None = None
    message: str = ""
    sandbox: dict = field(factory=dict)
    cpu_seconds: float = 0.0
    output: str = ""
    version: int = REPORT_VERSION
    #: Every check passed on the full exploration: what pass rates count (``score``
    #: stays graded for the reward).
    verified: bool = False

    @property
    def tier_scores(self) -> dict[str, float | None]:
        """Tier name -> score; None for a tier that does not apply."""
        return {name: t.score for name, t in self.tiers.items()}

    @property
    def checks(self) -> list[CheckOutcome]:
        return [c for t in self.tiers.values() for c in t.checks]

    @property
    def failures(self) -> list[tuple[str, CheckOutcome]]:
        return [(t.name, c) for t in self.tiers.values() for c in t.checks if not c.passed]

    def evolve(self, **changes) -> VerificationReport:
        return attrs.evolve(self, **changes)

    def to_dict(self) -> dict:
        return {
            "version": self.version, "status": self.status, "score": self.score,
            "game": self.game, "program_sha256": self.program_sha256, "message": self.message,
            "tiers": {k: t.to_dict() for k, t in self.tiers.items()},
            "sandbox": dict(self.sandbox), "cpu_seconds": self.cpu_seconds,
            "output": self.output, "verified": self.verified,
        }

    @classmethod
    def from_dict(cls, d: dict) -> VerificationReport:
        if d.get("version") not in (1, REPORT_VERSION):
            raise ValueError(f"report version {d.get('version')} is not {REPORT_VERSION}")
        verified = d.get("verified")
        if verified is None:
            verified = d["status"] == "ok" and d["score"] == 1.0
        return cls(d["status"], d["score"],
                   {k: TierResult.from_dict(t) for k, t in d["tiers"].items()},
                   d["program_sha256"], d.get("game"), d.get("message", ""),
                   d.get("sandbox", {}), d.get("cpu_seconds", 0.0), d.get("output", ""),
                   verified=bool(verified))
