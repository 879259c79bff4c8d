"""The ``utility`` tier: final payoffs as the spec declares them.

Judged on the dynamics playouts that reached the end: payoffs within the declared
bounds; zero-sum, constant-sum or identical as declared; and the declared payoff
properties (``terminal_rewards_only``, ``win_loss_draw``).
"""

from cwmkit.verify.context import CheckContext, outcome, shrink, tier
from cwmkit.verify.report import CheckOutcome, Counterexample, TierResult

TOLERANCE = 1e-9


def utility_problems(spec, rewards: list) -> dict[str, str]:
    """Check name -> what is wrong with these final payoffs (empty when all hold)."""
    out = {}
    lo, hi = spec.payoff_min, spec.payoff_max
    if any(r < lo - TOLERANCE or r > hi + TOLERANCE for r in rewards):
        out["payoff_bounds"] = f"payoffs {rewards} outside [{lo:g}, {hi:g}]"
    total = sum(rewards)
    if spec.utility == "zero_sum" and abs(total) > TOLERANCE:
        out["zero_sum"] = f"payoffs {rewards} sum to {total:g}, not 0"
    if spec.utility == "constant_sum" and abs(total - spec.utility_constant) > TOLERANCE:
        out["constant_sum"] = f"payoffs {rewards} sum to {total:g}, not " \
                              f"{spec.utility_constant:g}"
    if spec.utility == "identical" and max(rewards) - min(rewards) > TOLERANCE:
        out["identical"] = f"payoffs {rewards} are not identical"
    if "win_loss_draw" in spec.properties and sorted(rewards) not in (
            [-1, 1], [0, 0]):
        out["win_loss_draw"] = f"payoffs {rewards} are neither a win/loss nor a draw"
    return out


class UtilityCheck:
    name = "utility"
    description = "final payoffs within bounds and summing as declared"
    order = 20

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.spec is not None

    def run(self, ctx: CheckContext) -> TierResult:
        spec = ctx.spec
        names = ["payoff_bounds"]
        if spec.utility != "general_sum":
            names.append(spec.utility)
        for prop in ("win_loss_draw", "terminal_rewards_only"):
            if prop in spec.properties:
                names.append(prop)
        finished = [r for r in ctx.playouts() if r.get("terminal") and not r.get("fault")]
        if len(finished) < len(ctx.playouts()) // 2:
            # Dynamics faults (a mutated input, say) cut most playouts short; judge the
            # payoffs on playouts without those checks rather than fail this tier too.
            unchecked = ctx.candidate.playouts(ctx.settings.playouts,
                                               ctx.child_seed("utility"), ctx.max_length,
                                               check=False)
            finished = [r for r in unchecked if r.get("terminal") and not r.get("fault")]
        if not finished:
            return tier(self.name, [CheckOutcome(n, False, "no playout reached the end of "
                                                 "the game", 0, 0) for n in names], score=0.0)
        failures: dict[str, list] = {n: [] for n in names}
        clean = 0
        for record in finished:
            problems = utility_problems(spec, record["final"])
            if "terminal_rewards_only" in names:
                for i, rewards in enumerate(record["rewards"][:-1]):
                    if any(abs(r) > TOLERANCE for r in rewards):
                        problems["terminal_rewards_only"] = \
                            f"rewards {rewards} before the end of the game"
                        failures["terminal_rewards_only"].append(
                            (record["actions"][:i], problems["terminal_rewards_only"],
                             "all rewards 0", str(rewards)))
                        break
            for name, message in problems.items():
                if name != "terminal_rewards_only":
                    failures[name].append((record["actions"], message, None,
                                           str(record["final"])))
            clean += not problems
        checks = []
        for name in names:
            found = failures[name]
            cx = self._shrunk(ctx, name, found) if found and name != "terminal_rewards_only" \
                else None
            checks.append(outcome(name, len(finished), found, ok_message=f"{name} holds",
                                  counterexample=cx))
        return tier(self.name, checks, score=clean / len(finished),
                    metrics={"finished_playouts": len(finished)})

    def _shrunk(self, ctx: CheckContext, name: str, found: list) -> Counterexample:
        actions, message, expected, actual = min(found, key=lambda f: len(f[0]))

        def fails(batch):
            for i, result in enumerate(ctx.candidate.replay(batch)):
                end = result.get("end")
                if end and end["player"] == -4 and _numbers(end["rewards"]) and \
                        name in utility_problems(ctx.spec, end["rewards"]):
                    return i
            return None

        if ctx.settings.shrink_rounds:
            actions = shrink(actions, fails, budget=ctx.settings.shrink_rounds)
            [result] = ctx.candidate.replay([actions])
            end = result.get("end")
            if end and _numbers(end["rewards"]):
                message = utility_problems(ctx.spec, end["rewards"]).get(name, message)
                actual = str(end["rewards"])
        return Counterexample(list(actions), message, expected, actual)


def _numbers(values) -> bool:
    return isinstance(values, list) and values and all(
        type(v) in (int, float) for v in values)
