"""The verifier: a correct program scores 1.0 and is verified, and each kind of broken
program is caught by the tier that should catch it, with a counterexample that shows why.

Broken programs are our own (``tests/programs.py``) or the registered references with a
fault wrapped around them (``programs.wrapped``), never edits of the references' text:
the references change as the games are rewritten."""

import pytest

from cwmkit.verify.report import VerificationReport
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier
from tests.programs import DO_NOTHING, RACE, kuhn, reference, ttt, wrapped

TTT = reference("tic_tac_toe")
KUHN = reference("kuhn_poker")


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=32)) as v:
        yield v


def failed(report: VerificationReport) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for tier, check in report.failures:
        out.setdefault(tier, set()).add(check.name)
    return out


def check(report, tier, name):
    [outcome] = [c for c in report.tiers[tier].checks if c.name == name]
    return outcome


def test_references_and_our_programs_score_one_and_are_verified(verifier):
    for game, source in (("tic_tac_toe", TTT), ("kuhn_poker", KUHN),
                         ("tic_tac_toe", ttt()), ("kuhn_poker", kuhn())):
        report = verifier.verify(source, game=game)
        assert report.status == "ok" and report.score == 1.0, report.failures
        assert report.verified and not report.failures


def test_syntax_error_is_a_compile_error(verifier):
    report = verifier.verify("def get_initial_state(:\n", game="tic_tac_toe")
    assert report.status == "compile_error" and report.score == 0.0
    assert failed(report) == {"static": {"parses"}}
    assert report.tiers["dynamics"].skipped.startswith("not run")
    assert not report.verified


def test_wrong_arity_fails_static(verifier):
    source = wrapped(TTT, "def apply_action(state, action, extra):\n"
                          "    return _ref_apply_action(state, action)\n")
    report = verifier.verify(source, game="tic_tac_toe")
    assert "arity" in failed(report)["static"]


def test_resample_history_is_required_for_imperfect_information(verifier):
    report = verifier.verify(wrapped(KUHN, drop=("resample_history",)), game="kuhn_poker")
    assert "functions" in failed(report)["static"]
    assert "resample_history" in check(report, "static", "functions").message
    # Its own checks fail; the tiers that do not need it still measure the program.
    assert report.tiers["information"].score == 0.0
    assert report.tiers["differential"].score == 1.0


def test_mutating_the_input_state_is_caught_with_a_one_move_counterexample(verifier):
    source = wrapped(TTT, "def apply_action(state, action):\n"
                          "    new = _ref_apply_action(state, action)\n"
                          "    state['touched'] = True\n"
                          "    return new\n")
    report = verifier.verify(source, game="tic_tac_toe")
    assert failed(report)["dynamics"] == {"immutable_states"}
    cx = check(report, "dynamics", "immutable_states").counterexample
    assert len(cx.actions) == 1 and "its input state" in cx.message


def test_nondeterminism_is_caught(verifier):
    source = "import random\n" + wrapped(
        TTT, "def get_legal_actions(state):\n"
             "    legal = _ref_get_legal_actions(state)\n"
             "    return random.sample(legal, len(legal))\n")
    report = verifier.verify(source, game="tic_tac_toe")
    assert "deterministic" in failed(report)["dynamics"]


def test_an_exception_is_caught_with_the_shortest_sequence_that_raises(verifier):
    source = wrapped(TTT, "LAST = _ref_get_legal_actions(_ref_get_initial_state())[-1]\n"
                          "def apply_action(state, action):\n"
                          "    if action == LAST:\n"
                          "        raise KeyError('corner')\n"
                          "    return _ref_apply_action(state, action)\n")
    report = verifier.verify(source, game="tic_tac_toe")
    outcome = check(report, "dynamics", "no_errors")
    assert not outcome.passed and "KeyError" in outcome.counterexample.message
    assert len(outcome.counterexample.actions) == 1
    # The playouts go on past the fault: the other checks still see the game.
    assert 0 < report.tiers["dynamics"].score < 1


def test_an_endless_loop_in_a_call_is_a_timeout():
    source = wrapped(TTT, "def get_rewards(state):\n"
                          "    while _ref_get_current_player(state) == -4:\n"
                          "        pass\n"
                          "    return _ref_get_rewards(state)\n")
    with Verifier(VerifySettings(playouts=4, call_cpu_seconds=0.2)) as v:
        report = v.verify(source, game="tic_tac_toe")
    assert report.status == "timeout"
    assert "CPU" in check(report, "dynamics", "no_errors").message


def test_legal_actions_at_a_terminal_state_are_caught(verifier):
    source = wrapped(TTT, "def get_legal_actions(state):\n"
                          "    return _ref_get_legal_actions(state) or ['pass']\n")
    assert "terminal_consistency" in failed(verifier.verify(source, game="tic_tac_toe"))[
        "dynamics"]


def test_rewards_of_the_wrong_shape_are_caught(verifier):
    source = wrapped(TTT, "def get_rewards(state):\n    return _ref_get_rewards(state)[:1]\n")
    assert "well_formed" in failed(verifier.verify(source, game="tic_tac_toe"))["dynamics"]


def test_a_game_that_sometimes_runs_long_exceeds_max_length():
    source = RACE.replace('["add1", "add2"]', '["add0", "add1", "add2"]')
    with Verifier(VerifySettings(playouts=32, default_max_length=8)) as v:
        report = v.verify(source, info="perfect", players=2)
    assert failed(report)["dynamics"] == {"within_max_length"}
    assert 0 < report.tiers["dynamics"].score < 1


def test_different_observations_under_perfect_information_are_caught(verifier):
    source = wrapped(TTT, "def get_observations(state):\n"
                          "    return [_ref_get_observations(state)[0], {}]\n")
    assert "perfect_information" in failed(verifier.verify(source, game="tic_tac_toe"))[
        "dynamics"]


def test_players_that_do_not_alternate_are_caught(verifier):
    source = ttt().replace("    return _count(state[\"board\"]) % 2\n",
                           "    n = _count(state[\"board\"])\n"
                           "    return 0 if n == 3 else n % 2\n")
    report = verifier.verify(source, game="tic_tac_toe")
    assert "alternating" in failed(report)["dynamics"]


def test_wrong_payoffs_fail_utility_scenarios_and_differential(verifier):
    source = wrapped(TTT, "def get_rewards(state):\n"
                          "    r = _ref_get_rewards(state)\n"
                          "    return [r[0], 2 * r[1]]\n")
    report = verifier.verify(source, game="tic_tac_toe")
    got = failed(report)
    assert {"payoff_bounds", "zero_sum", "win_loss_draw"} <= got["utility"]
    assert "o wins with a column" in got["scenarios"]
    assert "rewards" in got["differential"]
    cx = check(report, "utility", "zero_sum").counterexample
    assert "sum to" in cx.message and "not 0" in cx.message and cx.actions


def test_a_missing_rule_gives_the_shortest_differential_counterexample(verifier):
    # o's wins on the anti-diagonal (line 7) are missed.
    report = verifier.verify(ttt(MISSED=("o", 7, None)).replace(
        "MISSED == (mark, index, _count(board))",
        "MISSED[:2] == (mark, index)"), game="tic_tac_toe")
    assert "o wins with the anti-diagonal" in failed(report)["scenarios"]
    cx = check(report, "differential", "terminal").counterexample
    assert len(cx.actions) == 6  # three o's: x moves first, so six moves
    assert (cx.expected, cx.actual) == ("terminal", "not terminal")
    accuracy = report.tiers["differential"].metrics["transition_accuracy"]
    assert 0.5 < accuracy < 1.0
    assert report.tiers["differential"].score == pytest.approx(accuracy, abs=1e-6)


def test_leaking_the_state_fails_privacy(verifier):
    source = wrapped(KUHN, "def get_observations(state):\n"
                           "    return [dict(o, leak=repr(state)) for o in "
                           "_ref_get_observations(state)]\n")
    report = verifier.verify(source, game="kuhn_poker")
    assert "hides" in failed(report)["privacy"]
    assert check(report, "privacy", "hides").counterexample.actions


def test_hiding_the_own_card_fails_privacy_and_scenarios(verifier):
    source = kuhn().replace('[{"card": state["cards"][p], ', '[{').replace(
        '"rank": {0: RANKS.index(state["cards"][p])}', '"rank": {0: 0}').replace(
        '    mine = observation["card"]\n', '    mine = "J"\n')
    report = verifier.verify(source, game="kuhn_poker")
    assert "reveals" in failed(report)["privacy"]
    assert failed(report)["scenarios"]


def test_inconsistent_resample_history_fails_information(verifier):
    source = kuhn().replace("    return [deal] + list(observation[\"betting\"]) + [action]",
                            "    return [deal]")
    report = verifier.verify(source, game="kuhn_poker")
    outcome = check(report, "information", "consistent")
    assert not outcome.passed and outcome.score == 0.0
    assert "resample_history" in outcome.counterexample.message


def test_bare_file_runs_the_game_independent_tiers(verifier):
    report = verifier.verify(RACE, info="perfect", players=2)
    assert report.status == "ok" and report.score == 1.0 and report.verified
    for name in ("scenarios", "differential", "utility"):
        assert report.tiers[name].skipped == "not applicable"
    assert report.game is None


def test_reports_are_deterministic_and_round_trip(verifier):
    source = ttt(MISSED=("o", 5, 8))
    first = verifier.verify(source, game="tic_tac_toe").to_dict()
    with Verifier(VerifySettings(playouts=32, workers=1)) as other:
        second = other.verify_many([source], game="tic_tac_toe")[0].to_dict()
    assert VerificationReport.from_dict(first).to_dict() == first
    assert first["verified"] is False and "verified" in first
    for report in (first, second):
        report.pop("cpu_seconds")
    assert first == second
    old = dict(first, version=1)
    del old["verified"]
    assert VerificationReport.from_dict(old).verified is False


def test_batch_api_keeps_order_and_async_agrees(verifier):
    import asyncio

    broken = wrapped(TTT, "def get_rewards(state):\n    return [0.5, 0.5]\n")
    sources = [TTT, broken, TTT, "import os\n", DO_NOTHING]
    reports = verifier.verify_many(sources, game="tic_tac_toe")
    assert [r.status for r in reports] == ["ok", "ok", "ok", "policy_violation", "ok"]
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

    with pytest.raises(ConfigError, match="verify.playouts must be .*between 1 and 100000"):
        VerifySettings(playouts=0)
    with pytest.raises(ConfigError, match="did you mean 'playouts'"):
        VerifySettings.from_dict({"playout": 3})
