"""Planning with untrusted programs, inside the sandbox (the ``plan`` request): the same
search as in process, only actions and statistics come back, and a program's faults,
mutations, loops and wrong rules cost it the decision or the game, never the planner."""

from __future__ import annotations

import pytest

from cwmkit.planning import PlanFailure, SandboxPlanner, planning_value
from cwmkit.sandbox.client import Zygote
from cwmkit.verify.settings import VerifySettings

BLOCK = ["x(0,0)", "o(1,1)", "x(2,2)", "o(0,2)"]  # x must play x(2,0)


@pytest.fixture(scope="module")
def zygote():
    z = Zygote()
    yield z
    z.close()


@pytest.fixture(scope="module")
def ttt_game(host):
    return host.get("games", "tic_tac_toe")


def _planner(zygote, source, players=2, **kw):
    settings = VerifySettings(call_cpu_seconds=kw.pop("call_cpu_seconds", 1.0))
    return SandboxPlanner(source, players=players, zygote=zygote, settings=settings, **kw)


def _mcts(history, sims=300, seed=1):
    return {"algorithm": "mcts", "history": history, "simulations": sims, "seed": seed}


def test_mcts_inside_the_sandbox_returns_an_action_and_statistics(zygote, ttt_game):
    with _planner(zygote, ttt_game.reference_source) as planner:
        result = planner.decide(_mcts(BLOCK))
    assert result["action"] == "x(2,0)"
    assert set(result) == {"action", "visits", "values", "stats"}
    assert result["stats"]["simulations"] == 300 and result["stats"]["faults"] == 0


def test_the_sandboxed_search_is_the_in_process_search(zygote, ttt_game):
    from cwmkit.sandbox.decide import decide
    from cwmkit.sandbox.search import Program

    local = decide(Program.from_module(ttt_game.reference()), _mcts(BLOCK, 200, 9))
    with _planner(zygote, ttt_game.reference_source) as planner:
        assert planner.decide(_mcts(BLOCK, 200, 9))["visits"] == local["visits"]


def test_a_program_that_mutates_its_input_is_copied_once_per_simulation(zygote, ttt_game):
    source = ttt_game.reference_source.replace(
        "    board = [list(cells) for cells in state[\"board\"]]",
        "    board = state[\"board\"]  # mutates its input")
    assert source != ttt_game.reference_source
    with _planner(zygote, source) as planner:
        assert planner.decide(_mcts(BLOCK))["action"] == "x(2,0)"


def test_an_action_the_program_cannot_apply_is_dropped(zygote, ttt_game):
    source = ttt_game.reference_source.replace(
        "def apply_action(state, action):\n",
        "def apply_action(state, action):\n    if action == 'x(2,1)':\n"
        "        raise KeyError(action)\n")
    with _planner(zygote, source) as planner:
        result = planner.decide(_mcts(BLOCK))
    assert result["action"] == "x(2,0)" and "x(2,1)" not in result["visits"]
    assert result["stats"]["faults"] >= 1 and "KeyError" in result["stats"]["fault"]


def test_a_program_that_loops_loses_the_decision_and_the_game(zygote, ttt_game):
    source = ttt_game.reference_source.replace(
        "def apply_action(state, action):\n",
        "def apply_action(state, action):\n    while action == 'x(2,0)':\n        pass\n")
    with _planner(zygote, source, call_cpu_seconds=0.05) as planner:
        with pytest.raises(PlanFailure) as info:
            planner.decide(_mcts(BLOCK, 50))
        assert info.value.kind == "timeout"
        with pytest.raises(PlanFailure):  # out of the game from here on
            planner.decide(_mcts([], 10))


def test_answers_of_the_wrong_type_are_faults(zygote, ttt_game):
    source = ttt_game.reference_source.replace(
        "    return [f\"{mark}({r},{c})\"", "    return [(r, c)")
    assert source != ttt_game.reference_source
    with _planner(zygote, source) as planner:
        with pytest.raises(PlanFailure, match="list of strings"):
            planner.decide(_mcts([], 20))


def test_a_program_the_policy_refuses_never_runs(zygote):
    with _planner(zygote, "import os\n") as planner:
        with pytest.raises(PlanFailure) as info:
            planner.decide(_mcts([], 5))
    assert info.value.kind == "policy_violation"


def test_ismcts_inside_the_sandbox(zygote, host):
    kuhn = host.get("games", "kuhn_poker")
    request = {"algorithm": "ismcts", "player": 0, "simulations": 200, "seed": 2,
               "view": [[{"my_card": "J", "betting": []}, "Call"]],
               "observation": {"my_card": "J", "betting": ["Call", "Raise"]},
               "legal": ["Fold", "Call"]}
    with _planner(zygote, kuhn.reference_source, workers=2) as planner:
        result = planner.decide(request)
    assert result["action"] == "Fold" and result["stats"]["workers"] == 2


def test_planning_value_of_the_reference_and_of_a_program_with_wrong_moves(zygote,
                                                                          ttt_game):
    same = planning_value(ttt_game, ttt_game.reference_source, games=4, simulations=60,
                          zygote=zygote)
    assert same.games == 4 and same.forfeits == 0 and same.even
    assert same.candidate_decisions > 0 and len(same.records) == 4
    # o's moves spelled with x's mark: as o the program moves illegally, as x it cannot
    # follow the real game once o has moved
    wrong = ttt_game.reference_source.replace("    mark = MARKS[player]\n",
                                              "    mark = 'x'\n")
    assert wrong != ttt_game.reference_source
    value = planning_value(ttt_game, wrong, games=4, simulations=30, zygote=zygote)
    assert value.illegal_moves == 2 and value.failures == {"lost": 2}
    assert value.forfeits == 4 and value.forfeit_rate == 1.0 and value.losses == 4
    assert not value.even
    assert value.to_dict()["interval"][0] <= value.score
