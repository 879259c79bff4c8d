"""The ``scenarios`` tier: every scenario of the spec, judged here.

The candidate only replays action sequences and reports what it sees; each expectation
is judged in the verifier's process by ``cwmkit.spec.scenarios``. A scenario's score is
the share of its expectations met; the tier's, the mean over scenarios.
"""

from cwmkit.spec.model import ExpectObservationSame
from cwmkit.spec.scenarios import run_scenario
from cwmkit.verify.context import CheckContext, replay_result, tier
from cwmkit.verify.report import CheckOutcome, Counterexample, TierResult


def needed_histories(spec) -> list[tuple[str, ...]]:
    seen: dict[tuple[str, ...], None] = {}
    for scenario in spec.scenarios:
        for prefix, expectation in scenario.checkpoints():
            seen.setdefault(prefix)
            if isinstance(expectation, ExpectObservationSame):
                seen.setdefault(tuple(expectation.history))
    return list(seen)


class ScenariosCheck:
    name = "scenarios"
    description = "every scenario of the game's spec"
    order = 50

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.spec is not None and bool(ctx.spec.scenarios)

    def run(self, ctx: CheckContext) -> TierResult:
        histories = needed_histories(ctx.spec)
        results = ctx.candidate.replay(histories)
        snapshots = {h: replay_result(r) for h, r in zip(histories, results, strict=True)}
        checks = []
        for scenario in ctx.spec.scenarios:
            verdict = run_scenario(scenario, ctx.spec.players, snapshots.__getitem__)
            trials = max(1, verdict.checked)
            if verdict.passed:
                checks.append(CheckOutcome(scenario.name, True, "passed", trials, 0))
            else:
                checks.append(CheckOutcome(
                    scenario.name, False, verdict.failure, trials, max(1, verdict.failed),
                    Counterexample(list(verdict.actions), verdict.failure, verdict.expected,
                                   verdict.actual)))
        passed = sum(c.passed for c in checks)
        return tier(self.name, checks, metrics={"scenarios": len(checks), "passed": passed})
