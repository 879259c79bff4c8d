"""The ``information`` tier: ``resample_history`` returns consistent histories, drawn well.

``consistent``: for views taken from the candidate's own walks (each player's
(observation, action) pairs, the whole game or up to a random own turn, from the random
playouts and from the coverage pool replayed), the returned history must replay legally
from the initial state, give that player the same observations and actions at its
turns, and exactly as many turns. The view handed over is exactly what
``get_observations`` returned (tuples, int keys, ``collections`` types included).

``distribution`` (with a reference): on small views, where every consistent history can
be enumerated in the reference, many samples must reach every history they are expected
to reach and fit uniform over the consistent histories, the chance-weighted posterior or
the reference's own sampler (``cwmkit.verify.views``). A sampler that always returns the
same consistent history passes ``consistent`` and fails here.
"""

from cwmkit_plugins.checks.privacy import observation_of

from cwmkit.verify.context import CheckContext, encode, outcome, tier
from cwmkit.verify.report import CheckOutcome, TierResult
from cwmkit.verify.views import candidate_view, judge_samples, samples_for, truncate


def own_turns(players: list[int], player: int) -> list[int]:
    return [i for i, p in enumerate(players) if p == player]


def _pool_views(ctx: CheckContext) -> list[dict]:
    """Walk records (actions, players, views, and the cuts the exploration resampled at)
    of the pool as the candidate replayed it."""
    out = []
    found = ctx.exploration()
    cuts = list(found.cuts) if found is not None else []
    cuts += [()] * (len(ctx.pool()) - len(cuts))
    for history, replay, cut in zip(ctx.pool(), ctx.pool_replays(), cuts, strict=True):
        steps = replay["steps"]
        played = list(history[: max(0, len(steps) - 1)])
        views: dict[str, list] = {}
        for i, action in enumerate(played):
            player = steps[i]["player"]
            obs = observation_of(steps[i], player) if player >= 0 else None
            if player >= 0:
                views.setdefault(str(player), []).append([obs, action])
        out.append({"actions": played, "players": [s["player"] for s in steps],
                    "views": views, "cuts": cut})
    return out


class InformationCheck:
    name = "information"
    description = "resample_history returns consistent histories with the right spread"
    order = 30

    def applies(self, ctx: CheckContext) -> bool:
        return ctx.imperfect

    def run(self, ctx: CheckContext) -> TierResult:
        checks = [self._consistent(ctx)]
        distribution = self._distribution(ctx)
        if distribution is not None:
            checks.append(distribution)
        metrics = {"requests": checks[0].trials}
        if distribution is not None:
            metrics["views"] = distribution.trials
            metrics["coverage"] = ctx.cache.get("distribution_coverage")
        return tier(self.name, checks, metrics=metrics)

    # ------------------------------------------------------------------ consistency

    def _consistent(self, ctx: CheckContext) -> CheckOutcome:
        rng = ctx.rng("information")
        requests, origins = [], []
        # First the views the exploration resampled the reference on: rare resampling
        # cases are reached there on purpose.
        for record in _pool_views(ctx):
            for player, part in record["cuts"]:
                view = record["views"].get(str(player), [])
                if 0 < part <= len(view):
                    turns = own_turns(record["players"], player)
                    origins.append((player, view[:part],
                                    record["actions"][:turns[part - 1] + 1]))
                    requests.append({"player": player, "view": view[:part]})
        chosen = min(len(requests), ctx.settings.resamples)
        priority_requests, priority_origins = requests[:chosen], origins[:chosen]
        requests, origins = [], []
        for record in list(ctx.playouts()) + _pool_views(ctx):
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
        requests = priority_requests + [requests[i] for i in keep]
        origins = priority_origins + [origins[i] for i in keep]
        if not requests:
            return CheckOutcome("consistent", False, "no walk gave a player's view to "
                                "resample", 0, 0)
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
        return outcome("consistent", len(requests), failures,
                       ok_message="every resampled history matched the player's view")

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

    # ------------------------------------------------------------------ distribution

    def _distribution(self, ctx: CheckContext) -> CheckOutcome | None:
        found = ctx.exploration()
        if found is None or not found.views:
            return None
        views = list(found.views)
        replays = ctx.candidate.replay([v["history"] for v in views], trace=True)
        requests, judged = [], []
        for view, replay in zip(views, replays, strict=True):
            if replay.get("failure"):
                continue  # the differential tier says why the history does not replay
            own = candidate_view(replay["steps"], view["history"], view["player"],
                                 view["turns"])
            if own is None:
                continue
            requests.append({"player": view["player"], "view": own,
                             "count": samples_for(len(view["consistent"])),
                             "seed": ctx.child_seed(f"distribution:{len(requests)}")})
            judged.append(view)
        if not requests:
            return CheckOutcome("distribution", False, "no small view of the reference "
                                "replays on the candidate", 0, 0)
        results = ctx.candidate.resample(requests)
        failures, coverage = [], []
        for view, result in zip(judged, results, strict=True):
            index = {tuple(h): i for i, h in enumerate(view["consistent"])}
            counts, outside = [0] * len(index), 0
            for sample in result.get("samples", []):
                history = sample.get("history")
                cut = truncate(ctx.reference, history, view["player"], view["turns"]) \
                    if history is not None else None
                if cut in index:
                    counts[index[cut]] += 1
                else:
                    outside += 1
            ok, why, info = judge_samples(view, counts, outside)
            coverage.append(info["coverage"])
            if not ok:
                failures.append((view["history"], f"resample_history for player "
                                 f"{view['player']} after {view['history']}: {why}",
                                 f"samples spread over the {len(index)} consistent "
                                 "histories", f"counts {counts}"))
        ctx.cache["distribution_coverage"] = round(sum(coverage) / len(coverage), 4)
        return outcome("distribution", len(judged), failures,
                       ok_message="samples of small views cover and fit the consistent "
                                  "histories")
