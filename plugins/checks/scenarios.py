"""The ``scenarios`` tier: every scenario of the spec, judged here.

The candidate only replays action sequences and reports what it sees; each expectation
is judged in the verifier's process by ``cwmkit.core.scenarios``.
"""

from cwmkit.core.checks import CheckContext, replay_result, tier
from cwmkit.core.report import CheckOutcome, Counterexample, TierResult
from cwmkit.core.scenarios import ReplayFailure, run_scenario
from cwmkit.core.spec import ExpectObservationSame


def needed_histories(spec) -> list[tuple[str, ...]]:
    seen: dict[tuple[str, ...], None] = {}
    for scenario in spec.scenarios:
        for prefix, expectation in scenario.checkpoints():
            seen.setdefault(prefix)
            if isinstance(expectation, ExpectObservationSame):
                seen.setdefault(tuple(expectation.history))
    return list(seen)


def _unplaced_failure(scenario, snapshots) -> tuple[tuple[str, ...], str] | None:
    """A replay failure of the scenario that names no action of it (the initial state
    itself failed): the scenario judge can only report failures at an action."""
    for prefix, _ in scenario.checkpoints():
        snap = snapshots[prefix]
        if isinstance(snap, ReplayFailure) and not 0 <= snap.index < len(prefix):
            return prefix, f"could not replay {list(prefix)}: {snap.message}"
    return None


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
            unplaced = _unplaced_failure(scenario, snapshots)
            if unplaced:
                checks.append(CheckOutcome(scenario.name, False, unplaced[1], 1, 1,
                                           Counterexample(list(unplaced[0]), unplaced[1])))
                continue
            verdict = run_scenario(scenario, ctx.spec.players, snapshots.__getitem__)
            if verdict.passed:
                checks.append(CheckOutcome(scenario.name, True, "passed"))
            else:
                checks.append(CheckOutcome(
                    scenario.name, False, verdict.failure, 1, 1,
                    Counterexample(list(verdict.actions), verdict.failure, verdict.expected,
                                   verdict.actual)))
        passed = sum(c.passed for c in checks)
        return tier(self.name, checks, score=passed / len(checks),
                    metrics={"scenarios": len(checks), "passed": passed})
