"""The ``information`` tier: ``resample_history`` returns consistent histories.

For views taken from the candidate's own playouts (each player's (observation, action)
pairs, the whole game or up to a random own turn), the returned history must replay
legally from the initial state and give that player the same observations and actions
at its turns, and exactly as many turns.
"""

from cwmkit_plugins.checks.privacy import observation_of

from cwmkit.verify.context import CheckContext, encode, outcome, tier
from cwmkit.verify.report import CheckOutcome, TierResult


def own_turns(players: list[int], player: int) -> list[int]:
    return [i for i, p in enumerate(players) if p == player]


class InformationCheck:
    name = "information"
    description = "resample_history returns legal histories consistent with the player's view"
    order = 30

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.imperfect

    def run(self, ctx: CheckContext) -> TierResult:
        rng = ctx.rng("information")
        requests, origins = [], []
        for record in ctx.playouts():
            if record.get("fault"):
                continue
            for key, view in sorted(record.get("views", {}).items()):
                if not view:
                    continue
                player = int(key)
                cut = rng.randint(1, len(view))
                turns = own_turns(record["players"], player)
                origins.append((player, view[:cut], record["actions"][:turns[cut - 1] + 1]))
                requests.append({"player": player, "view": view[:cut]})
        order = list(range(len(requests)))
        rng.shuffle(order)
        keep = sorted(order[: ctx.settings.resamples])
        requests = [requests[i] for i in keep]
        origins = [origins[i] for i in keep]
        if not requests:
            return tier(self.name, [CheckOutcome("consistent", False, "no clean playout gave "
                                                 "a player's view to resample", 0, 0)],
                        score=0.0)
        results = ctx.candidate.resample(requests)
        sampled = [r.get("history") for r in results]
        replays = ctx.candidate.replay([h for h in sampled if h is not None], trace=True)
        replay_iter = iter(replays)
        failures = []
        for (player, view, origin), result, history in zip(origins, results, sampled,
                                                            strict=True):
            if history is None:
                fault = result.get("fault") or {}
                failures.append((origin, f"resample_history for player {player} failed: "
                                 f"{fault.get('message', 'no result')}", None, None))
                continue
            problem = self._inconsistency(player, view, history, next(replay_iter))
            if problem:
                failures.append((origin, f"resample_history for player {player} returned "
                                 f"{history}: {problem[0]}", problem[1], problem[2]))
        check = outcome("consistent", len(requests), failures,
                        ok_message="every resampled history matched the player's view")
        return tier(self.name, [check], score=check.score,
                    metrics={"requests": len(requests)})

    @staticmethod
    def _inconsistency(player, view, history, replay) -> tuple[str, str, str] | None:
        failure = replay.get("failure")
        if failure:
            return (f"its action {failure.get('index')} is not playable: "
                    f"{failure.get('message')}", "a legal history", str(history))
        steps = replay["steps"]
        seen = [(encode(observation_of(steps[i], player)), history[i])
                for i in range(len(history)) if steps[i]["player"] == player]
        want = [(encode(obs), action) for obs, action in view]
        if seen[: len(want)] != want:
            at = next(i for i in range(len(want)) if i >= len(seen) or seen[i] != want[i])
            got = seen[at] if at < len(seen) else None
            return (f"the player's turn {at + 1} does not match its view",
                    f"observation {want[at][0]} then {want[at][1]!r}",
                    f"observation {got[0]} then {got[1]!r}" if got else "no such turn")
        if len(seen) != len(want):
            return (f"the player moves {len(seen)} times there, {len(want)} in its view",
                    f"{len(want)} turns", f"{len(seen)} turns")
        return None
