"""The all-or-nothing reward: 1 for a program that passes every check, else 0."""

from __future__ import annotations

from cwmkit.verify.report import VerificationReport


class BinaryShaper:
    name = "binary"
    description = "1 when every check passes (status ok, score 1.0), else 0"

    def __call__(self, report: VerificationReport) -> float | None:
        if report.status == "infra_error":
            return None
        return 1.0 if report.status == "ok" and report.score == 1.0 else 0.0
