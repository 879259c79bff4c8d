"""The ``dynamics`` tier: the program is a game, and its walks meet the contract.

Walks are random playouts (uniform chance) and, with a reference, the coverage-guided
pool replayed: every walk is a trial of every check, and a fault costs its own check's
share, not the walk (the harness goes on past a fault where it can). Checks: no call
raises or runs out of CPU time; input states are never mutated; repeated calls agree;
terminal states have no legal actions and others have some; players, legal actions,
rewards and observations are well formed; perfect-information observations are
identical; playouts end within the declared length; ``get_player_name`` names every
player; chance nodes as declared; the declared ``alternating`` property.

Before any of that earns credit the program must be a game: its initial state is not
terminal, every declared player moves in some walk, and some playout ends within the
declared length. A program that is not earns 0 here and in every later runtime tier.
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
    "starts": "the initial state is not terminal",
    "every_player_moves": "every player moved",
    "finishes": "playouts reached the end of the game",
    "no_errors": "no call raised or ran out of CPU time",
    "immutable_states": "no call changed a state it was given",
    "deterministic": "repeated calls agreed",
    "terminal_consistency": "terminal states had no legal actions, others had some",
    "well_formed": "players, legal actions, rewards and observations were well formed",
    "perfect_information": "every player observed the same",
    "within_max_length": "every playout finished within max_length",
    "alternating": "players moved strictly in turn",
    "chance": "chance nodes as declared",
    "player_names": "every player has a name",
}
GATES = ("starts", "every_player_moves", "finishes")


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


def walks(ctx: CheckContext) -> list[dict]:
    """Every walk as ``{"actions", "players" (the mover of each state), "faults",
    "terminal", "playout"}``: the playouts, then the pool's replays."""
    out = []
    for record in ctx.playouts():
        out.append({"actions": record["actions"], "players": record["players"],
                    "faults": record.get("faults", {}), "terminal": record.get("terminal"),
                    "playout": True, "skipped": record.get("skipped", False)})
    for history, replay in zip(ctx.pool(), ctx.pool_replays(), strict=True):
        steps = replay["steps"]
        faults = dict(replay.get("faults", {}))
        failure = replay.get("failure")
        if failure and failure.get("kind") not in (None, "illegal"):
            at = list(history[: max(0, failure.get("index", -1)) + 1]) \
                if failure.get("index", -1) >= 0 else []
            faults.setdefault(failure["kind"], {**failure, "at": at, "count": 1})
        out.append({"actions": list(history[: max(0, len(steps) - 1)]),
                    "players": [s["player"] for s in steps], "faults": faults,
                    "terminal": bool(steps) and steps[-1]["player"] == -4,
                    "playout": False, "skipped": False})
    return out


class DynamicsCheck:
    name = "dynamics"
    description = "a game whose walks finish cleanly: no mutation, deterministic, well formed"
    order = 10

    def applies(self, ctx: CheckContext) -> bool:
        return True

    def run(self, ctx: CheckContext) -> TierResult:
        all_walks = walks(ctx)
        playouts = [w for w in all_walks if w["playout"]]
        names = ["no_errors", "immutable_states", "deterministic", "terminal_consistency",
                 "well_formed", "within_max_length"]
        if not ctx.imperfect:
            names.append("perfect_information")
        alternating = ctx.spec is not None and "alternating" in ctx.spec.properties
        if alternating:
            names.append("alternating")
        failures: dict[str, list] = {n: [] for n in (*GATES, *names, "chance")}
        for walk in all_walks:
            for kind, fault in walk["faults"].items():
                check = FAULT_CHECKS.get(kind, "no_errors")
                failures[check].append((fault.get("at", walk["actions"]), fault["message"],
                                        fault.get("expected"), fault.get("actual")))
            if walk["playout"] and not walk["terminal"] and not walk["faults"] and \
                    len(walk["actions"]) >= ctx.max_length:
                failures["within_max_length"].append(
                    (walk["actions"], f"not over after max_length={ctx.max_length} actions",
                     f"a terminal state within {ctx.max_length} actions",
                     f"player {walk['players'][-1]} to move"))
            if alternating:
                at = alternation_break(walk["players"][: len(walk["actions"])])
                if at is not None:
                    failures["alternating"].append(
                        (walk["actions"][:at], f"player {walk['players'][at]} moves twice "
                         "in a row", "the other player to move",
                         f"player {walk['players'][at]}"))
        trials = {n: len(all_walks) for n in names}
        trials["within_max_length"] = len(playouts)
        gates = self._gates(ctx, all_walks, playouts, failures, trials)
        checks = []
        for name in (*GATES, *names):
            found = failures[name]
            cx = self._shrunk(ctx, name, found) if found and name not in GATES else None
            checks.append(outcome(name, trials[name], found, ok_message=OK_MESSAGES[name],
                                  counterexample=cx))
        if "chance" in trials:
            checks.append(outcome("chance", trials["chance"], failures["chance"],
                                  ok_message=OK_MESSAGES["chance"]))
        if ctx.players is not None:
            named = ctx.candidate.names()
            fault = named.get("fault")
            found = [((), fault["message"], "a non-empty string per player",
                      fault.get("actual"))] if fault else []
            checks.append(outcome("player_names", 1, found,
                                  ok_message=OK_MESSAGES["player_names"]))
        lengths = [len(w["actions"]) for w in playouts]
        metrics = {"playouts": len(playouts), "pool_walks": len(all_walks) - len(playouts),
                   "clean": sum(not w["faults"] for w in all_walks),
                   "mean_length": sum(lengths) / len(lengths) if lengths else 0}
        if gates:
            metrics["not_a_game"] = gates
            return tier(self.name, checks, score=0.0, metrics=metrics)
        return tier(self.name, checks, metrics=metrics)

    @staticmethod
    def _gates(ctx, all_walks, playouts, failures, trials) -> str:
        """Fill the gate checks (and the chance check); the reason the program is not a
        game, or ""."""
        reasons = []
        started = [w for w in playouts if w["players"]]
        trials["starts"] = 1
        if not started:
            failures["starts"].append(((), "the initial state fails", "an initial state",
                                       None))
            reasons.append("its initial state fails")
        elif started[0]["players"][0] == -4:
            failures["starts"].append(((), "the initial state is already terminal",
                                       "a game to play", "terminal"))
            reasons.append("its initial state is already terminal")
        moved = {w["players"][i] for w in all_walks for i in range(len(w["actions"]))
                 if i < len(w["players"])}
        declared = range(ctx.players) if ctx.players is not None else None
        if declared is None:
            trials["every_player_moves"] = 1
            if not any(p >= 0 for p in moved):
                failures["every_player_moves"].append(((), "no player ever moves",
                                                       "a move", "none"))
                reasons.append("no player ever moves")
        else:
            trials["every_player_moves"] = len(declared)
            idle = [p for p in declared if p not in moved]
            for p in idle:
                failures["every_player_moves"].append(
                    ((), f"player {p} never moves in any walk", f"a move by player {p}",
                     "none"))
            if idle:
                reasons.append(f"player{'s' * (len(idle) > 1)} "
                               f"{', '.join(map(str, idle))} never move{'s' * (len(idle) == 1)}")
        trials["finishes"] = 1
        if not any(w["terminal"] for w in playouts):
            failures["finishes"].append(((), f"no playout ends within {ctx.max_length} "
                                         "actions", "a finished game", "none"))
            reasons.append(f"no playout ends within {ctx.max_length} actions")
        if ctx.spec is not None:
            chance_walks = [w for w in all_walks if -1 in w["players"]]
            if ctx.spec.has_chance:
                trials["chance"] = 1
                if not chance_walks:
                    failures["chance"].append(((), "the game declares chance, but no walk "
                                               "has a chance node", "a chance node", "none"))
            else:
                trials["chance"] = len(all_walks)
                for w in chance_walks:
                    at = w["players"].index(-1)
                    failures["chance"].append((w["actions"][:at], "a chance node in a game "
                                               "without chance", "a player or the end",
                                               "player -1"))
        return "; ".join(reasons)

    def _shrunk(self, ctx: CheckContext, name: str, found: list) -> Counterexample:
        actions, message, expected, actual = min(found, key=lambda f: len(f[0]))
        kinds = {k for k, v in FAULT_CHECKS.items() if v == name}
        if kinds and ctx.settings.shrink_rounds:
            def shows(result) -> bool:
                if (result.get("failure") or {}).get("kind") in kinds:
                    return True
                return bool(kinds & set(result.get("faults", {})))

            def fails(batch):
                for i, result in enumerate(ctx.candidate.replay(batch, check=True)):
                    if shows(result):
                        return i
                return None

            actions = shrink(actions, fails, budget=ctx.settings.shrink_rounds)
            [result] = ctx.candidate.replay([actions], check=True)
            fault = (result.get("failure") if (result.get("failure") or {}).get("kind")
                     in kinds else next((f for k, f in result.get("faults", {}).items()
                                         if k in kinds), None))
            if fault:
                message = fault["message"]
                expected, actual = fault.get("expected"), fault.get("actual")
        return Counterexample(list(actions), message, expected, actual)
