"""The ``utility`` tier: final payoffs as the spec declares them.

Judged on every walk that reached the end (the dynamics playouts and the coverage pool
as the candidate replayed it), each check the share of those walks on which it holds:
payoffs within the declared bounds; zero-sum, constant-sum or identical as declared; and
the declared payoff properties (``terminal_rewards_only``, ``win_loss_draw``).
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
        finished = self._finished(ctx)
        if not finished:
            return tier(self.name, [CheckOutcome(n, False, "no walk reached the end of "
                                                 "the game", 0, 0) for n in names], score=0.0)
        failures: dict[str, list] = {n: [] for n in names}
        for record in finished:
            problems = utility_problems(spec, record["final"])
            if "terminal_rewards_only" in names:
                for i, rewards in enumerate(record["rewards"][:-1]):
                    if _numbers(rewards) and any(abs(r) > TOLERANCE for r in rewards):
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
        checks = []
        for name in names:
            found = failures[name]
            cx = self._shrunk(ctx, name, found) if found and name != "terminal_rewards_only" \
                else None
            checks.append(outcome(name, len(finished), found, ok_message=f"{name} holds",
                                  counterexample=cx))
        return tier(self.name, checks, metrics={"finished_walks": len(finished)})

    @staticmethod
    def _finished(ctx: CheckContext) -> list[dict]:
        """Every walk that reached a terminal state with numeric payoffs: the playouts
        (faults on the way do not matter here) and the pool as the candidate replayed it."""
        out = [{"actions": r["actions"], "rewards": r["rewards"], "final": r["final"]}
               for r in ctx.playouts() if r.get("terminal") and _numbers(r.get("final"))]
        for history, replay in zip(ctx.pool(), ctx.pool_replays(), strict=True):
            steps = replay["steps"]
            if steps and steps[-1]["player"] == -4 and _numbers(steps[-1]["rewards"]):
                out.append({"actions": list(history[: len(steps) - 1]),
                            "rewards": [s["rewards"] for s in steps],
                            "final": steps[-1]["rewards"]})
        return out

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
