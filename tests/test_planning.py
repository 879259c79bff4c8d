"""The searches over trusted programs: MCTS and ISMCTS choose well, memoizing changes
nothing but the speed, root-parallel results add up, and the play loop referees (an
illegal or failed move forfeits). Small simulation counts: the strength runs at scale
live in benchmarks/mcts_vs_openspiel.py and benchmarks/results/planning.md."""

from __future__ import annotations

import random

import pytest

from cwmkit.core.errors import ConfigError
from cwmkit.planning import (
    LocalPlanner,
    PlanFailure,
    RandomBot,
    SearchBot,
    algorithm_for,
    outcome,
    play_game,
    wilson,
)
from cwmkit.sandbox.decide import decide
from cwmkit.sandbox.ismcts import ViewResampler
from cwmkit.sandbox.search import Program, SearchFailure, merge


@pytest.fixture(scope="module")
def ttt(host):
    return host.get("games", "tic_tac_toe").reference()


@pytest.fixture(scope="module")
def kuhn(host):
    return host.get("games", "kuhn_poker").reference()


def _play(module, actions):
    state = module.get_initial_state()
    for a in actions:
        state = module.apply_action(state, a)
    return state


def test_mcts_takes_the_win_and_blocks_the_loss(ttt):
    program = Program.from_module(ttt)
    win = decide(program, {"history": ["x(0,0)", "o(1,0)", "x(0,1)", "o(1,1)"],
                           "simulations": 300, "seed": 1})
    assert win["action"] == "x(0,2)"
    block = decide(program, {"history": ["x(0,0)", "o(1,1)", "x(2,2)", "o(0,2)"],
                             "simulations": 300, "seed": 2})
    assert block["action"] == "x(2,0)"
    assert sum(block["visits"].values()) == 300  # every simulation goes through a child
    assert block["stats"]["simulations"] == 300


def test_memoizing_changes_the_speed_only(ttt):
    request = {"history": ["x(1,1)"], "simulations": 400, "seed": 7, "rollouts": 2}
    plain = decide(Program.from_module(ttt), request)
    memo = Program.from_module(ttt).memoized()
    assert decide(memo, request)["visits"] == plain["visits"]
    assert decide(memo, request)["visits"] == plain["visits"]  # warm: same again
    assert 0 < len(memo.table) < 6000


def test_memo_stops_remembering_at_its_cap(ttt):
    memo = Program.from_module(ttt).memoized(cap=50)
    decide(memo, {"history": [], "simulations": 200})
    assert len(memo.table) == 50


def test_ismcts_folds_a_jack_and_calls_with_a_king(kuhn):
    program = Program.from_module(kuhn)

    def facing_a_raise(deal):
        state = _play(kuhn, [deal, "Call", "Raise"])
        view = [(kuhn.get_observations(_play(kuhn, [deal]))[0], "Call")]
        return decide(program, {"algorithm": "ismcts", "player": 0, "view": view,
                                "observation": kuhn.get_observations(state)[0],
                                "legal": kuhn.get_legal_actions(state),
                                "simulations": 300, "seed": 3}, seed_global=random.seed)

    jack = facing_a_raise("JQ")
    assert jack["action"] == "Fold" and jack["values"]["Call"] == -2.0
    king = facing_a_raise("KQ")
    assert king["action"] == "Call" and king["values"]["Call"] == 2.0
    assert king["stats"]["worlds"] >= 1 and king["stats"]["rejected"] == 0


def test_a_resample_that_contradicts_the_view_finds_no_world(kuhn):
    program = Program.from_module(kuhn)
    program.resample = lambda view, player: ["QJ", "Raise", "Call"]
    state = _play(kuhn, ["KQ"])
    view = [(kuhn.get_observations(state)[0], "Call")]
    resampler = ViewResampler(program, view, 0, "Call")
    assert resampler() is None
    assert "does not end with the player's action" in resampler.last_problem or \
        "differ" in resampler.last_problem
    with pytest.raises(SearchFailure, match="no world consistent"):
        decide(program, {"algorithm": "ismcts", "player": 0, "view": [],
                         "observation": kuhn.get_observations(state)[0],
                         "legal": ["Call", "Raise"], "simulations": 80})


def test_a_history_the_program_cannot_replay_is_a_failure(ttt):
    with pytest.raises(SearchFailure, match="does not allow") as info:
        decide(Program.from_module(ttt), {"history": ["x(0,0)", "o(0,0)"]})
    assert info.value.kind == "lost"


def test_merge_adds_up_root_statistics():
    a = {"action": "L", "visits": {"L": 6, "R": 4}, "values": {"L": 0.5, "R": 1.0},
         "stats": {"simulations": 10}}
    b = {"action": "R", "visits": {"L": 1, "R": 9}, "values": {"L": 0.0, "R": 0.0},
         "stats": {"simulations": 10}}
    merged = merge([a, b])
    assert merged["action"] == "R" and merged["visits"] == {"L": 7, "R": 13}
    assert merged["values"]["R"] == pytest.approx(4 / 13)
    assert merged["stats"] == {"simulations": 20, "workers": 2}


def test_root_parallel_search_over_processes(ttt):
    with LocalPlanner(ttt, workers=2) as planner:
        result = planner.decide({"algorithm": "mcts", "simulations": 200, "seed": 5,
                                 "history": ["x(0,0)", "o(1,1)", "x(2,2)", "o(0,2)"]})
    assert result["stats"]["workers"] == 2 and result["stats"]["simulations"] == 200
    assert result["action"] == "x(2,0)"


def test_mcts_beats_random_at_tic_tac_toe(ttt):
    planner = LocalPlanner(ttt)
    results = []
    for i in range(8):
        seat = i % 2
        bots = [RandomBot(i), RandomBot(i)]
        bots[seat] = SearchBot(planner, "mcts", seed=i, simulations=150)
        results.append(outcome(play_game(ttt, bots, players=2, perfect=True, seed=i), seat))
    assert "loss" not in results and results.count("win") >= 5


def test_the_play_loop_is_reproducible_from_its_seeds(kuhn):
    planner = LocalPlanner(kuhn)

    def game():
        bots = [SearchBot(planner, "ismcts", seed=4, simulations=60), RandomBot(9)]
        return play_game(kuhn, bots, players=2, perfect=False, seed=11)

    assert game() == game()


class _Illegal:
    def step(self, seat):
        return "x(9,9)"


class _Lost:
    def step(self, seat):
        raise PlanFailure("lost", "the program cannot follow the game")


def test_an_illegal_move_or_no_move_forfeits(ttt):
    record = play_game(ttt, [RandomBot(0), _Illegal()], players=2, perfect=True)
    assert record.forfeit == 1 and record.reason == "illegal" and len(record.actions) == 1
    assert outcome(record, 1) == "loss" and outcome(record, 0) == "win"
    record = play_game(ttt, [_Lost(), RandomBot(0)], players=2, perfect=True)
    assert (record.forfeit, record.reason, record.actions) == (0, "lost", ())


def test_imperfect_information_seats_see_no_history(kuhn):
    seen = []

    class Spy(RandomBot):
        def step(self, seat):
            seen.append(seat)
            return super().step(seat)

    play_game(kuhn, [Spy(1), Spy(2)], players=2, perfect=False, seed=3)
    assert seen and all(s.history is None for s in seen)
    assert all(len(s.view) == sum(1 for t in seen[:i] if t.player == s.player)
               for i, s in enumerate(seen))


def test_the_planner_must_fit_the_game():
    assert algorithm_for(False) == "mcts" and algorithm_for(True) == "ismcts"
    with pytest.raises(ConfigError, match="hides"):
        algorithm_for(True, "mcts")
    with pytest.raises(ConfigError, match="resample_history"):
        algorithm_for(False, "ismcts")


def test_wilson_interval():
    low, high = wilson(0.5, 100)
    assert low < 0.5 < high and high - low == pytest.approx(0.196, abs=0.01)
    assert wilson(1.0, 10)[1] == pytest.approx(1.0) and wilson(1.0, 10)[0] > 0.6
    assert wilson(0.0, 0) == (0.0, 1.0)
