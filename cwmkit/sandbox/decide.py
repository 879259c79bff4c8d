"""One planning decision from a request: what the sandbox's ``plan`` op and the
in-process planners both run (``decide``). Standard library only.
"""

from __future__ import annotations

import time

try:
    from cwmkit.sandbox.ismcts import ISMCTS, ViewResampler
    from cwmkit.sandbox.search import MCTS, Program, RandomRollout, Rng, SearchFailure
except ImportError:  # run by the zygote as a script: siblings by path
    from ismcts import ISMCTS, ViewResampler
    from search import MCTS, Program, RandomRollout, Rng, SearchFailure

__all__ = ["DEFAULTS", "decide"]


#: What a planning request may set, with its default (``decide``).
DEFAULTS = {"algorithm": "mcts", "simulations": 1000, "rollouts": 1, "uct_c": 2.0,
            "world_samples": 64, "max_length": 10_000, "seed": 0, "cpu_seconds": None,
            "copy": False}


def decide(program: Program, request: dict, *, seed_global=None, errors: tuple = (),
           fatal=None) -> dict:
    """One decision, as ``SearchResult.to_dict()``; raises ``SearchFailure``.

    ``request`` holds the search settings of ``DEFAULTS`` and where to decide: for
    ``mcts`` the public ``history`` of actions (replayed in the program), for ``ismcts``
    the ``player``, its ``view`` (``[observation, action]`` pairs at its earlier turns),
    its current ``observation`` and the ``legal`` actions it is offered (one of them
    completes the view handed to ``resample_history``, see ``ViewResampler``).
    """
    settings = {**DEFAULTS, **{k: v for k, v in request.items() if k in DEFAULTS}}
    started = time.process_time()
    rng = Rng(int(settings["seed"]))
    evaluator = RandomRollout(int(settings["rollouts"]), int(settings["max_length"]))
    common = {"simulations": int(settings["simulations"]), "uct_c": float(settings["uct_c"]),
              "evaluator": evaluator, "copy": bool(settings["copy"]), "errors": errors,
              "fatal": fatal, "cpu_seconds": settings["cpu_seconds"]}
    algorithm = settings["algorithm"]
    if algorithm == "mcts":
        state = program.replay(list(request["history"]))
        result = MCTS(program, **common).search(state, rng)
    elif algorithm == "ismcts":
        if program.resample is None:
            raise SearchFailure("no_resample", "ISMCTS needs the program's resample_history")
        legal = list(request["legal"])
        if not legal:
            raise SearchFailure("no_actions", "the player is offered no legal action")
        player = int(request["player"])
        view = [(obs, action) for obs, action in request["view"]]
        view.append((request["observation"], legal[0]))
        resampler = ViewResampler(program, view, player, legal[0], seed_global=seed_global,
                                  seed=rng.seed())
        search = ISMCTS(program, world_samples=int(settings["world_samples"]), **common)
        result = search.search(resampler, player, rng)
    else:
        raise SearchFailure("bad_request", f"unknown algorithm {algorithm!r}")
    result.stats["cpu"] = round(time.process_time() - started, 6)
    return result.to_dict()
