"""The verifier: a correct program scores 1.0, and each kind of broken program is caught
by the tier that should catch it, with a counterexample that shows why."""

from pathlib import Path

import pytest

from cwmkit.verify.report import VerificationReport
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier

GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"
TTT = (GAMES / "tic_tac_toe" / "reference.py").read_text()
KUHN = (GAMES / "kuhn_poker" / "reference.py").read_text()


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=32)) as v:
        yield v


def mutate(source: str, old: str, new: str) -> str:
    assert old in source, old
    return source.replace(old, new, 1)


def failed(report: VerificationReport) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for tier, check in report.failures:
        out.setdefault(tier, set()).add(check.name)
    return out


def check(report, tier, name):
    [outcome] = [c for c in report.tiers[tier].checks if c.name == name]
    return outcome


def test_references_score_one(verifier):
    for game, source in (("tic_tac_toe", TTT), ("kuhn_poker", KUHN)):
        report = verifier.verify(source, game=game)
        assert report.status == "ok" and report.score == 1.0, report.failures
        assert not report.failures


def test_syntax_error_is_a_compile_error(verifier):
    report = verifier.verify("def get_initial_state(:\n", game="tic_tac_toe")
    assert report.status == "compile_error" and report.score == 0.0
    assert failed(report) == {"static": {"parses"}}
    assert report.tiers["dynamics"].skipped.startswith("not run")


def test_missing_function_fails_static_and_stops(verifier):
    source = mutate(TTT, "def get_player_name(player_id):", "def player_name(player_id):")
    report = verifier.verify(source, game="tic_tac_toe")
    assert "functions" in failed(report)["static"]
    assert "get_player_name" in check(report, "static", "functions").message
    assert report.tiers["dynamics"].skipped == "not run: the static tier failed"


def test_wrong_arity_fails_static(verifier):
    source = mutate(TTT, "def apply_action(state, action):", "def apply_action(state):")
    report = verifier.verify(source, game="tic_tac_toe")
    assert "arity" in failed(report)["static"]


def test_resample_history_is_required_for_imperfect_information(verifier):
    source = mutate(KUHN, "def resample_history(", "def resample(")
    assert "functions" in failed(verifier.verify(source, game="kuhn_poker"))["static"]


def test_mutating_the_input_state_is_caught_with_a_one_move_counterexample(verifier):
    source = mutate(TTT, "new = copy.deepcopy(state)", "new = state")
    report = verifier.verify(source, game="tic_tac_toe")
    assert failed(report)["dynamics"] == {"immutable_states"}
    cx = check(report, "dynamics", "immutable_states").counterexample
    assert len(cx.actions) == 1 and "its input state" in cx.message


def test_nondeterminism_is_caught(verifier):
    source = mutate(TTT, "import copy", "import copy\nimport random")
    source = mutate(source, '    mark = MARKS[state["to_move"]]\n    return [',
                    '    mark = MARKS[state["to_move"]]\n    return random.sample([')
    source = mutate(source, "if not cell]", "if not cell], 2) if random.random() < 2 else []")
    report = verifier.verify(source, game="tic_tac_toe")
    assert "deterministic" in failed(report)["dynamics"]


def test_an_exception_is_caught_with_the_shortest_sequence_that_raises(verifier):
    source = mutate(TTT, '    row, col = int(action[2]), int(action[4])',
                    '    row, col = int(action[2]), int(action[4])\n'
                    '    if (row, col) == (2, 2):\n        raise KeyError("corner")')
    report = verifier.verify(source, game="tic_tac_toe")
    outcome = check(report, "dynamics", "no_errors")
    assert not outcome.passed
    cx = outcome.counterexample
    assert cx.actions[-1].endswith("(2,2)") and len(cx.actions) == 1
    assert "KeyError" in cx.message


def test_an_endless_loop_in_a_call_is_a_timeout(verifier):
    source = mutate(TTT, "def get_rewards(state):\n",
                    "def get_rewards(state):\n    while state['winner'] is not None:\n"
                    "        pass\n")
    report = Verifier(VerifySettings(playouts=4, call_cpu_seconds=0.2)).verify(
        source, game="tic_tac_toe")
    assert report.status == "timeout"
    assert "CPU" in check(report, "dynamics", "no_errors").message


def test_legal_actions_at_a_terminal_state_are_caught(verifier):
    source = mutate(TTT, '    if _is_over(state):\n        return []\n', "")
    report = verifier.verify(source, game="tic_tac_toe")
    assert "terminal_consistency" in failed(report)["dynamics"]


def test_rewards_of_the_wrong_shape_are_caught(verifier):
    source = mutate(TTT, "        return [0.0, 0.0]", "        return [0.0]")
    assert "well_formed" in failed(verifier.verify(source, game="tic_tac_toe"))["dynamics"]


def test_a_game_that_never_ends_exceeds_max_length(verifier):
    source = mutate(TTT, "    return state[\"winner\"] is not None or all(state[\"board\"])",
                    "    return state[\"winner\"] is not None")
    source = mutate(source, "    if action not in get_legal_actions(state):\n"
                            "        raise ValueError(f\"illegal action {action!r}\")\n", "")
    source = mutate(source, 'if not cell]', 'if not cell] or [f"{mark}(0,0)"]')
    report = verifier.verify(source, game="tic_tac_toe")
    assert "within_max_length" in failed(report)["dynamics"]


def test_different_observations_under_perfect_information_are_caught(verifier):
    source = mutate(TTT, "    return [copy.deepcopy(view), copy.deepcopy(view)]",
                    "    return [copy.deepcopy(view), {}]")
    assert "perfect_information" in failed(verifier.verify(source, game="tic_tac_toe"))[
        "dynamics"]


def test_players_that_do_not_alternate_are_caught(verifier):
    source = mutate(TTT, '    new["to_move"] = 1 - state["to_move"]',
                    '    new["to_move"] = 1 - state["to_move"] if sum(map(bool, new["board"]))'
                    ' != 2 else state["to_move"]')
    report = verifier.verify(source, game="tic_tac_toe")
    assert "alternating" in failed(report)["dynamics"]


def test_wrong_payoffs_fail_utility_scenarios_and_differential(verifier):
    source = mutate(TTT, 'else [-1.0, 1.0]', 'else [-1.0, 2.0]')
    report = verifier.verify(source, game="tic_tac_toe")
    got = failed(report)
    assert {"payoff_bounds", "zero_sum", "win_loss_draw"} <= got["utility"]
    assert "o wins with a column" in got["scenarios"]
    assert "rewards" in got["differential"]
    cx = check(report, "utility", "zero_sum").counterexample
    assert "sum to 1" in cx.message and cx.actions


def test_a_missing_rule_gives_the_shortest_differential_counterexample(verifier):
    source = mutate(TTT, "(0, 4, 8), (2, 4, 6)", "(0, 4, 8)")
    report = verifier.verify(source, game="tic_tac_toe")
    assert failed(report)["scenarios"] == {"o wins with the anti-diagonal"}
    cx = check(report, "differential", "terminal").counterexample
    # An anti-diagonal needs three o's, so at least five moves; x moves first: six.
    assert len(cx.actions) in (5, 6)
    assert (cx.expected, cx.actual) == ("terminal", "not terminal")
    accuracy = report.tiers["differential"].metrics["transition_accuracy"]
    assert 0.5 < accuracy < 1.0
    assert report.tiers["differential"].score == pytest.approx(accuracy, abs=1e-6)


def test_leaking_the_opponents_card_fails_privacy(verifier):
    source = mutate(KUHN, '"betting": list(state["betting"]),',
                    '"betting": list(state["betting"]), "cards": list(state["cards"]),')
    report = verifier.verify(source, game="kuhn_poker")
    assert "hides" in failed(report)["privacy"]
    assert check(report, "privacy", "hides").counterexample.actions


def test_hiding_the_own_card_fails_privacy_and_scenarios(verifier):
    source = mutate(KUHN, '"my_card": state["cards"][player] if len(state["cards"]) > player '
                          'else None,', '')
    source = mutate(source, 'mine = last_observation["my_card"]', 'mine = "J"')
    report = verifier.verify(source, game="kuhn_poker")
    assert "reveals" in failed(report)["privacy"]
    assert failed(report)["scenarios"]


def test_inconsistent_resample_history_fails_information(verifier):
    source = mutate(KUHN, "    return cards + list(last_observation[\"betting\"]) + [last_action]",
                    "    return cards")
    report = verifier.verify(source, game="kuhn_poker")
    outcome = check(report, "information", "consistent")
    assert not outcome.passed and report.tiers["information"].score == 0.0
    assert "resample_history" in outcome.counterexample.message


def test_bare_file_runs_the_game_independent_tiers(verifier):
    report = verifier.verify(TTT, info="perfect", players=2)
    assert report.status == "ok" and report.score == 1.0
    assert report.tiers["scenarios"].skipped == "not applicable"
    assert report.tiers["differential"].skipped == "not applicable"
    assert report.tiers["utility"].skipped == "not applicable"
    assert report.game is None


def test_reports_are_deterministic_and_round_trip(verifier):
    source = mutate(TTT, "(0, 4, 8), (2, 4, 6)", "(0, 4, 8)")
    first = verifier.verify(source, game="tic_tac_toe").to_dict()
    with Verifier(VerifySettings(playouts=32, workers=1)) as other:
        second = other.verify_many([source], game="tic_tac_toe")[0].to_dict()
    assert VerificationReport.from_dict(first).to_dict() == first
    for report in (first, second):
        report.pop("cpu_seconds")
    assert first == second


def test_batch_api_keeps_order_and_async_agrees(verifier):
    import asyncio

    broken = mutate(TTT, 'else [-1.0, 1.0]', 'else [-1.0, 2.0]')
    sources = [TTT, broken, TTT, "import os\n"]
    reports = verifier.verify_many(sources, game="tic_tac_toe")
    assert [r.status for r in reports] == ["ok", "ok", "ok", "policy_violation"]
    assert reports[0].score == 1.0 and reports[1].score < 1.0
    again = asyncio.run(verifier.averify_many(sources, game="tic_tac_toe"))
    assert [r.score for r in again] == [r.score for r in reports]


def test_unknown_game_and_missing_info_are_clear_errors(verifier):
    from cwmkit.core.errors import ConfigError, UnknownNameError

    with pytest.raises(UnknownNameError, match="did you mean 'tic_tac_toe'"):
        verifier.verify(TTT, game="tic_tac_to")
    with pytest.raises(ConfigError, match="--info"):
        verifier.verify(TTT)


def test_settings_validation_says_how_to_fix():
    from cwmkit.core.errors import ConfigError

    with pytest.raises(ConfigError, match="verify.playouts must be an integer between 1 and 100000"):
        VerifySettings(playouts=0)
    with pytest.raises(ConfigError, match="did you mean 'playouts'"):
        VerifySettings.from_dict({"playout": 3})
