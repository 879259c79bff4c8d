"""The ``differential`` tier: lockstep replay against the reference GameCWM.

Reference trajectories (random ones and every scenario's) are replayed on the candidate;
at every step the player to move, the legal action set (chance outcomes included),
terminality and the rewards must agree, and each player's observations must tell apart
the same states as the reference's (the values may differ, the information may not).
The share of steps on which everything agrees is the transition accuracy, the tier's
score.
"""

from cwmkit.verify.context import (
    CheckContext,
    encode,
    outcome,
    reference_snapshot,
    reference_trajectories,
    shrink,
    tier,
)
from cwmkit.verify.report import Counterexample, TierResult

TOLERANCE = 1e-9
ASPECTS = ("player", "legal_actions", "terminal", "rewards")


def reference_trace(module, actions) -> list[dict]:
    state = module.get_initial_state()
    steps = [reference_snapshot(module, state)]
    for action in actions:
        if action not in steps[-1]["legal"]:
            raise ValueError(f"{action!r} is not legal in the reference here")
        state = module.apply_action(state, action)
        steps.append(reference_snapshot(module, state))
    return steps


def disagreements(ref: dict, cand: dict) -> dict[str, tuple[str, str]]:
    """Aspect -> (expected, actual) for every aspect on which two snapshots differ."""
    out = {}
    if ref["player"] != cand["player"]:
        out["player"] = (f"player {ref['player']}", f"player {cand['player']}")
    if sorted(ref["legal"]) != sorted(cand["legal"]):
        out["legal_actions"] = (f"legal {sorted(ref['legal'])}",
                                f"legal {sorted(cand['legal'])}")
    if (ref["player"] == -4) != (cand["player"] == -4):
        out["terminal"] = ("terminal" if ref["player"] == -4 else "not terminal",
                           "terminal" if cand["player"] == -4 else "not terminal")
    r, c = ref["rewards"], cand["rewards"]
    same = isinstance(c, list) and len(c) == len(r) and all(
        type(x) in (int, float) and abs(x - y) <= TOLERANCE for x, y in zip(c, r, strict=True))
    if not same:
        out["rewards"] = (f"rewards {r}", f"rewards {c}")
    return out


class ObservationPartition:
    """Per player, the pairing of reference observations with the candidate's seen so
    far: it must stay one-to-one, or the candidate's observations hide or reveal more.

    Under perfect information nothing is hidden, so observations finer than the
    reference's (a move history beside the board, say) are fine; merging states the
    reference tells apart is not."""

    def __init__(self, players: int, *, finer_ok: bool = False) -> None:
        self.players = players
        self.finer_ok = finer_ok
        self.forward: list[dict] = [{} for _ in range(players)]
        self.backward: list[dict] = [{} for _ in range(players)]
        self.where: list[dict] = [{} for _ in range(players)]

    def conflict(self, actions, ref: dict, cand: dict) -> tuple | None:
        """A failure ``(actions, message, expected, actual)`` or None."""
        observed = cand["observations"]
        for p in range(self.players):
            mine = encode(ref["observations"][p])
            theirs = encode(observed[p] if isinstance(observed, list) and p < len(observed)
                            else None)  # malformed: the dynamics tier says so
            seen = self.forward[p].setdefault(mine, theirs)
            known = self.backward[p].setdefault(theirs, mine)
            here = self.where[p].setdefault(mine, list(actions))
            if self.finer_ok:
                seen = theirs  # one reference observation may map to several of ours
            if seen != theirs or known != mine:
                other = here if seen != theirs else self.where[p][known]
                kind = "tell apart" if seen != theirs else "cannot tell apart"
                return (list(actions), f"after {list(actions)}: player {p}'s observations "
                        f"{kind} this state and the one after {other}, unlike the "
                        "reference's", f"the reference's distinction for player {p}",
                        f"observation {theirs[:200]}")
        return None


class DifferentialCheck:
    name = "differential"
    description = "lockstep replay of reference trajectories: the transition accuracy"
    order = 60

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.reference is not None

    def run(self, ctx: CheckContext) -> TierResult:
        module = ctx.reference
        trajectories = reference_trajectories(
            module, ctx.settings.differential_trajectories, ctx.rng("differential"),
            ctx.max_length)
        if ctx.spec is not None:
            trajectories += [s.actions for s in ctx.spec.scenarios]
        traces = [reference_trace(module, t) for t in trajectories]
        replays = ctx.candidate.replay(trajectories, trace=True)
        failures = {a: [] for a in (*ASPECTS, "observations", "replays")}
        steps = agreeing = 0
        partition = ObservationPartition(ctx.players or 0, finer_ok=not ctx.imperfect)
        for actions, ref_steps, replay in zip(trajectories, traces, replays, strict=True):
            cand_steps = replay["steps"]
            broken = None
            for i, ref in enumerate(ref_steps):
                steps += 1
                if i >= len(cand_steps):
                    if broken is None:
                        failure = replay.get("failure") or {}
                        broken = i
                        why = failure.get("message", "replay stopped")
                        # i == 0: the initial state itself failed, no action to name.
                        failures["replays"].append(
                            (actions[:i], f"the candidate cannot play {actions[i - 1]!r} "
                             f"after {list(actions[:i - 1])}: {why}",
                             f"{actions[i - 1]!r} playable", failure.get("kind"))
                            if i else ((), f"the candidate fails at the initial state: {why}",
                                       "an initial state", failure.get("kind")))
                    continue
                diff = disagreements(ref, cand_steps[i])
                for aspect, (expected, actual) in diff.items():
                    failures[aspect].append((actions[:i], f"after {list(actions[:i])}: "
                                             f"expected {expected}, got {actual}",
                                             expected, actual))
                merged = partition.conflict(actions[:i], ref, cand_steps[i])
                if merged:
                    failures["observations"].append(merged)
                agreeing += not diff and not merged
        accuracy = agreeing / steps if steps else 0.0
        checks = []
        for aspect in (*ASPECTS, "observations", "replays"):
            found = failures[aspect]
            cx = self._shrunk(ctx, aspect, found) if found and aspect in ASPECTS else None
            checks.append(outcome(aspect, steps, found, ok_message=f"{aspect} agree with the "
                                  "reference at every step", counterexample=cx))
        return tier(self.name, checks, score=accuracy,
                    metrics={"transition_accuracy": accuracy, "steps": steps,
                             "trajectories": len(trajectories)})

    def _shrunk(self, ctx: CheckContext, aspect: str, found: list) -> Counterexample:
        actions, message, expected, actual = min(found, key=lambda f: len(f[0]))
        module = ctx.reference

        def differences(batch) -> list:
            """Per sequence, the aspect's (expected, actual) where the candidate differs;
            None where it agrees or the sequence is not a legal reference history."""
            refs = {}
            for i, seq in enumerate(batch):
                try:
                    refs[i] = reference_trace(module, seq)[-1]
                except ValueError:  # not a legal reference history: not a counterexample
                    continue
            ends = dict(zip(refs, ctx.candidate.replay([batch[i] for i in refs]),
                            strict=True))
            return [disagreements(refs[i], ends[i]["end"]).get(aspect)
                    if i in refs and ends[i].get("end") else None for i in range(len(batch))]

        def fails(batch):
            return next((i for i, diff in enumerate(differences(batch)) if diff), None)

        if ctx.settings.shrink_rounds:
            actions = shrink(actions, fails, budget=ctx.settings.shrink_rounds)
            [found_now] = differences([list(actions)])
            if found_now:
                expected, actual = found_now
                message = f"after {list(actions)}: expected {expected}, got {actual}"
        return Counterexample(list(actions), message, expected, actual)
