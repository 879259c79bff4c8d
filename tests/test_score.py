"""The score ranks programs: graded checks, the game gate, and the ordering a reward needs.

Pinned with our own programs (``tests/programs.py``): one fault costs its share, not the
tier; a missing function costs its own checks; a program that cannot run earns its static
share whether it broke the policy or raised while loading; a program that is not a game
earns no runtime credit; and, over mutants, a correct program beats any wrong one, one
fault beats two, a program that plays beats one that does not."""

import pytest

from cwmkit.verify.mutate import generate
from cwmkit.verify.report import TIER_WEIGHTS
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier
from tests.programs import DO_NOTHING, RACE, ttt, wrapped

TTT = ttt()
#: Faults that touch different functions (each is its own checks' business).
FAULTS = {
    "name": "def get_player_name(player_id):\n    raise KeyError(player_id)\n",
    "payoff": ("def get_rewards(state):\n    r = _ref_get_rewards(state)\n"
               "    return [r[0], 2 * r[1]] if r[1] > 0 else r\n"),
    "mutation": ("def apply_action(state, action):\n    new = _ref_apply_action(state, action)\n"
                 "    state['touched'] = True\n    return new\n"),
}


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=24)) as v:
        yield v


def test_one_rare_fault_costs_its_share_and_a_common_one_more(verifier):
    rare = wrapped(TTT, "def apply_action(state, action):\n"
                        "    if action == 'o(2,2)' and state['board'][0][0] == 'x':\n"
                        "        raise ValueError('rare')\n"
                        "    return _ref_apply_action(state, action)\n")
    common = wrapped(TTT, "def apply_action(state, action):\n"
                          "    if action.startswith('o'):\n"
                          "        raise ValueError('common')\n"
                          "    return _ref_apply_action(state, action)\n")
    rare_report, common_report = verifier.verify_many([rare, common], game="tic_tac_toe")
    for report in (rare_report, common_report):
        no_errors = [c for c in report.tiers["dynamics"].checks if c.name == "no_errors"][0]
        assert not no_errors.passed and no_errors.trials > 1
    assert 0.9 < rare_report.score < 1.0
    assert common_report.score < rare_report.score
    # Other checks keep measuring: the walks went on past the faults.
    assert rare_report.tiers["dynamics"].score > 0.8


def test_a_missing_get_player_name_costs_its_own_checks_only(verifier):
    report = verifier.verify(wrapped(TTT, drop=("get_player_name",)), game="tic_tac_toe")
    failed = {(t, c.name) for t, c in report.failures}
    assert failed == {("static", "functions"), ("dynamics", "player_names")}
    assert report.score > 0.9 and not report.verified
    for name in ("utility", "scenarios", "differential"):
        assert report.tiers[name].score == 1.0


def test_a_refused_import_and_a_crash_at_import_both_earn_the_static_share(verifier):
    refused, crashed = verifier.verify_many(
        ["import numpy\n" + TTT, TTT + "\nraise RuntimeError('at import')\n"],
        game="tic_tac_toe")
    assert (refused.status, crashed.status) == ("policy_violation", "crashed")
    applies = [n for n, t in crashed.tiers.items() if t.applicable]
    share = TIER_WEIGHTS["static"] / sum(TIER_WEIGHTS[n] for n in applies)
    assert refused.score == crashed.score == pytest.approx(share, abs=1e-6)
    assert "numpy" in refused.message


def test_a_do_nothing_program_earns_no_runtime_credit(verifier):
    for report in (verifier.verify(DO_NOTHING, game="tic_tac_toe"),
                   verifier.verify(DO_NOTHING, info="perfect", players=2)):
        assert report.tiers["static"].score == 1.0
        runtime = {n: t.score for n, t in report.tiers.items()
                   if n != "static" and t.applicable}
        assert runtime and set(runtime.values()) == {0.0}
        assert "already terminal" in report.message and not report.verified


def test_every_declared_player_must_move(verifier):
    # A bare program whose second player never gets a turn is not a game of two.
    alone = RACE.replace('"turn": 1 - state["turn"]', '"turn": 0')
    report = verifier.verify(alone, info="perfect", players=2)
    assert "player 1 never moves" in report.message
    assert report.tiers["dynamics"].score == 0.0
    assert verifier.verify(alone, info="perfect", players=1).tiers["dynamics"].score > 0


def test_one_fault_beats_two(verifier):
    names = sorted(FAULTS)
    singles = [wrapped(TTT, FAULTS[n]) for n in names]
    pairs = [(a, b) for i, a in enumerate(names) for b in names[i + 1:]]
    doubles = [wrapped(TTT, FAULTS[a] + "\n" + FAULTS[b]) for a, b in pairs]
    reports = verifier.verify_many(singles + doubles, game="tic_tac_toe")
    single = dict(zip(names, reports[: len(names)], strict=True))
    for (a, b), report in zip(pairs, reports[len(names):], strict=True):
        assert report.score < min(single[a].score, single[b].score), (a, b)
    assert all(r.score < 1.0 and not r.verified for r in reports)


def test_over_mutants_correct_beats_wrong_and_playing_beats_not_playing(verifier):
    mutants = [m for m in generate(TTT, max_mutants=40, seed=3) if m.operator != "loop"]
    mutants += generate(TTT, max_mutants=8, seed=3, rare=True)
    correct, nothing, *reports = verifier.verify_many(
        [TTT, DO_NOTHING] + [m.source for m in mutants], game="tic_tac_toe")
    assert correct.score == 1.0 and correct.verified
    for mutant, report in zip(mutants, reports, strict=True):
        # Equivalent mutants are verified and score 1.0; every other one scores less.
        assert report.verified == (report.score == 1.0), mutant.description
        if report.status == "ok" and "not_a_game" not in report.tiers["dynamics"].metrics:
            assert report.score > nothing.score, mutant.description
    wrong = [r for r in reports if not r.verified]
    assert len(wrong) >= len(reports) - 6  # a few mutants change no behaviour
    # The reward ranks them: many distinct values, not a handful.
    assert len({r.score for r in wrong}) >= len(wrong) // 2
