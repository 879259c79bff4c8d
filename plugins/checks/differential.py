"""The ``differential`` tier: lockstep replay against the reference GameCWM.

The candidate replays the game's exploration (``cwmkit.verify.explore``): the coverage-
guided pool, which reaches every branch of the reference found, random reference
trajectories and every scenario's actions; and, for a game small enough, every reachable
state (one shortest history each), once the replays agreed everywhere. At every step the
player to move, the legal action set (chance outcomes included), terminality and the
rewards must agree, and each player's observations must tell apart the same states as
the reference's (the values may differ, the information may not). The share of steps on
which everything agrees is the transition accuracy, the tier's score.
"""

from cwmkit.verify.context import (
    CheckContext,
    outcome,
    reference_trace,
    reference_trajectories,
    reference_tree,
    shrink,
    tier,
)
from cwmkit.verify.explore import tree_histories
from cwmkit.verify.report import Counterexample, TierResult

TOLERANCE = 1e-9
ASPECTS = ("player", "legal_actions", "terminal", "rewards")
CHECKS = (*ASPECTS, "observations", "replays")


def disagreements(ref: dict, cand: dict) -> dict[str, tuple[str, str]]:
    """Aspect -> (expected, actual) for every aspect on which two snapshots differ."""
    if ref["player"] == cand["player"] and ref["legal"] == cand["legal"] and \
            ref["rewards"] == cand["rewards"] and type(cand["rewards"]) is list:
        return {}  # the common case, decided without sorting
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
    reference tells apart is not. Both sides are canonical texts (or digests of them)."""

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
            mine = ref["observations"][p]
            theirs = str(observed[p] if isinstance(observed, list) and p < len(observed)
                         else None)  # malformed: the dynamics tier says so
            seen = self.forward[p].setdefault(mine, theirs)
            known = self.backward[p].setdefault(theirs, mine)
            where = self.where[p]
            if mine not in where:
                where[mine] = list(actions)
            here = where[mine]
            if self.finer_ok:
                seen = theirs  # one reference observation may map to several of ours
            if seen != theirs or known != mine:
                other = here if seen != theirs else self.where[p][known]
                kind = "tell apart" if seen != theirs else "cannot tell apart"
                return (list(actions), f"after {list(actions)}: player {p}'s observations "
                        f"{kind} this state and the one after {other}, unlike the "
                        "reference's", f"the reference's distinction for player {p}",
                        "the candidate's observations")
        return None


def _tree_snapshot(node: dict) -> dict | None:
    if "p" not in node:
        return None
    return {"player": node["p"], "legal": node["l"], "rewards": node["r"],
            "observations": node["o"]}


class _Count:
    steps = agreeing = 0


class DifferentialCheck:
    name = "differential"
    description = "lockstep replay of the reference's exploration: the transition accuracy"
    order = 60

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.reference is not None

    def run(self, ctx: CheckContext) -> TierResult:
        module = ctx.reference
        found = ctx.exploration()
        trajectories = [tuple(t) for t in reference_trajectories(
            module, ctx.settings.differential_trajectories, ctx.rng("differential"),
            ctx.max_length)]
        trajectories += ctx.pool()
        if ctx.spec is not None:
            trajectories += [tuple(s.actions) for s in ctx.spec.scenarios]
        traces = [reference_trace(module, t) for t in trajectories]
        replays = ctx.candidate.replay(trajectories, trace=True, digests=True)
        failures: dict[str, list] = {a: [] for a in CHECKS}
        count = _Count()  # per run: the check object is shared by concurrent runs
        partition = ObservationPartition(ctx.players or 0, finer_ok=not ctx.imperfect)
        for actions, ref_steps, replay in zip(trajectories, traces, replays, strict=True):
            cand_steps = replay["steps"]
            for i, ref in enumerate(ref_steps):
                if i >= len(cand_steps):
                    # The rest of the trajectory cannot be compared: each step counts.
                    count.steps += len(ref_steps) - i
                    failures["replays"].append(self._broken(actions, i, replay))
                    break
                self._compare(actions[:i], ref, cand_steps[i], partition, failures, count)
        states = 0
        # Every reachable state, when the game is small and the replays agreed everywhere
        # (a program that already disagrees is scored on the replays: the exhaustive pass
        # is the last proof, and the costly one).
        exhaustive = found is not None and found.tree is not None
        if exhaustive and not any(failures.values()):
            histories = tree_histories(found.tree)
            nodes = ctx.candidate.tree(found.tree)
            refs = reference_tree(module, found.tree)
            states = len(nodes)
            for history, ref, node in zip(histories, refs, nodes, strict=True):
                snap = _tree_snapshot(node)
                if snap is None:
                    count.steps += 1
                    if "x" not in node:  # the node itself failed, not only its parent
                        failures["replays"].append(
                            (history, f"the candidate fails at {list(history)}: "
                             f"{node.get('m', 'no snapshot')}", "a state", node.get("f")))
                    continue
                self._compare(history, ref, snap, partition, failures, count)
        accuracy = count.agreeing / count.steps if count.steps else 0.0
        checks = []
        for aspect in CHECKS:
            found_here = failures[aspect]
            cx = self._shrunk(ctx, aspect, found_here) if found_here and aspect in ASPECTS \
                else None
            checks.append(outcome(aspect, count.steps, found_here, ok_message=f"{aspect} agree "
                                  "with the reference at every step", counterexample=cx))
        metrics = {"transition_accuracy": accuracy, "steps": count.steps,
                   "trajectories": len(trajectories), "exhaustive_states": states,
                   "reachable_states": len(found.tree) if exhaustive else None,
                   "pool": len(ctx.pool())}
        return tier(self.name, checks, score=accuracy, metrics=metrics)

    @staticmethod
    def _compare(actions, ref: dict, cand: dict, partition, failures, count) -> None:
        count.steps += 1
        diff = disagreements(ref, cand)
        for aspect, (expected, actual) in diff.items():
            failures[aspect].append((list(actions), f"after {list(actions)}: expected "
                                     f"{expected}, got {actual}", expected, actual))
        merged = partition.conflict(actions, ref, cand)
        if merged:
            failures["observations"].append(merged)
        count.agreeing += not diff and not merged

    @staticmethod
    def _broken(actions, i: int, replay: dict) -> tuple:
        failure = replay.get("failure") or {}
        why = failure.get("message", "replay stopped")
        if not i:  # the initial state itself failed, no action to name
            return ((), f"the candidate fails at the initial state: {why}", "an initial state",
                    failure.get("kind"))
        return (list(actions[:i]), f"the candidate cannot play {actions[i - 1]!r} after "
                f"{list(actions[:i - 1])}: {why}", f"{actions[i - 1]!r} playable",
                failure.get("kind"))

    def _shrunk(self, ctx: CheckContext, aspect: str, found: list) -> Counterexample:
        actions, message, expected, actual = min(found, key=lambda f: len(f[0]))
        module = ctx.reference

        def differences(batch) -> list:
            """Per sequence, the aspect's (expected, actual) where the candidate differs;
            None where it agrees or the sequence is not a legal reference history."""
            refs = {}
            for i, seq in enumerate(batch):
                try:
                    refs[i] = reference_trace(module, tuple(seq))[-1]
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
