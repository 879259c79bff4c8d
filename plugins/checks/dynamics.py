"""The ``dynamics`` tier: random playouts under every contract check.

Playouts (chance outcomes uniform) must finish within the declared length without
errors; input states are never mutated; repeated calls agree; terminal states have no
legal actions and non-terminal ones have some; rewards, observations and legal actions
are well formed; ``get_current_player`` is in range; perfect-information observations
are identical; ``get_player_name`` names every player; and the declared ``alternating``
property holds.
"""

from cwmkit.verify.context import CheckContext, outcome, shrink, tier
from cwmkit.verify.report import Counterexample, TierResult

#: Fault kind (from the harness) -> the check it fails.
FAULT_CHECKS = {
    "exception": "no_errors",
    "timeout": "no_errors",
    "missing_function": "no_errors",
    "mutation": "immutable_states",
    "nondeterministic": "deterministic",
    "terminal_actions": "terminal_consistency",
    "no_actions": "terminal_consistency",
    "bad_player": "well_formed",
    "bad_legal": "well_formed",
    "bad_rewards": "well_formed",
    "bad_observations": "well_formed",
    "not_plain": "well_formed",
    "observations_differ": "perfect_information",
}

OK_MESSAGES = {
    "no_errors": "no call raised or ran out of CPU time",
    "immutable_states": "no call changed a state it was given",
    "deterministic": "repeated calls agreed",
    "terminal_consistency": "terminal states had no legal actions, others had some",
    "well_formed": "players, legal actions, rewards and observations were well formed",
    "perfect_information": "every player observed the same",
    "within_max_length": "every playout finished within max_length",
    "alternating": "players moved strictly in turn",
}


def alternation_break(players: list[int]) -> int | None:
    """Index of the first move by the same player twice in a row (chance aside)."""
    last = None
    for i, p in enumerate(players):
        if p < 0:
            continue
        if p == last:
            return i
        last = p
    return None


class DynamicsCheck:
    name = "dynamics"
    description = "random playouts finish cleanly: no mutation, deterministic, well formed"
    order = 10

    def applies(self, ctx: CheckContext) -> bool:
        return True

    def run(self, ctx: CheckContext) -> TierResult:
        playouts = ctx.playouts()
        names = ["no_errors", "immutable_states", "deterministic", "terminal_consistency",
                 "well_formed", "within_max_length"]
        if not ctx.imperfect:
            names.append("perfect_information")
        alternating = ctx.spec is not None and "alternating" in ctx.spec.properties
        if alternating:
            names.append("alternating")
        failures: dict[str, list] = {n: [] for n in names}
        clean = 0
        for record in playouts:
            fault = record.get("fault")
            bad = False
            if fault:
                check = FAULT_CHECKS.get(fault["kind"], "no_errors")
                failures.setdefault(check, []).append(
                    (fault.get("at", record["actions"]), fault["message"], fault.get("expected"),
                     fault.get("actual")))
                bad = True
            elif not record.get("terminal"):
                failures["within_max_length"].append(
                    (record["actions"], f"not over after max_length={ctx.max_length} actions",
                     f"a terminal state within {ctx.max_length} actions",
                     f"player {record['players'][-1]} to move"))
                bad = True
            if alternating:
                at = alternation_break(record["players"])
                if at is not None:
                    failures["alternating"].append(
                        (record["actions"][:at], f"player {record['players'][at]} moves twice "
                         "in a row", "the other player to move",
                         f"player {record['players'][at]}"))
                    bad = True
            clean += not bad
        checks = []
        for name in names:
            found = failures.get(name, [])
            cx = self._shrunk(ctx, name, found) if found else None
            checks.append(outcome(name, len(playouts), found, ok_message=OK_MESSAGES[name],
                                  counterexample=cx))
        trials = len(playouts)
        if ctx.players is not None:
            # Names are one more trial beside the playouts: a broken name costs as much
            # as one broken playout.
            named = ctx.candidate.names()
            fault = named.get("fault")
            failures_names = [((), fault["message"], "a non-empty string per player",
                               fault.get("actual"))] if fault else []
            checks.append(outcome("player_names", 1, failures_names,
                                  ok_message="every player has a name"))
            clean += not fault
            trials += 1
        lengths = [len(r["actions"]) for r in playouts]
        metrics = {"playouts": len(playouts), "clean": clean,
                   "mean_length": sum(lengths) / len(lengths) if lengths else 0}
        return tier(self.name, checks, score=clean / trials if trials else 0.0,
                    metrics=metrics)

    def _shrunk(self, ctx: CheckContext, name: str, found: list) -> Counterexample:
        actions, message, expected, actual = min(found, key=lambda f: len(f[0]))
        kinds = {k for k, v in FAULT_CHECKS.items() if v == name}
        if kinds and ctx.settings.shrink_rounds:
            def fails(batch):
                for i, result in enumerate(ctx.candidate.replay(batch, check=True)):
                    if (result.get("failure") or {}).get("kind") in kinds:
                        return i
                return None

            actions = shrink(actions, fails, budget=ctx.settings.shrink_rounds)
            [result] = ctx.candidate.replay([actions], check=True)
            failure = result.get("failure") or {}
            if failure.get("kind") in kinds:
                message = failure["message"]
                expected, actual = failure.get("expected"), failure.get("actual")
        return Counterexample(list(actions), message, expected, actual)
