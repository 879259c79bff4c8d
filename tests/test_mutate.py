"""Mutation testing of the verifier: mutants are well made, the verifier kills the bad
ones with the tier that should, rare-bug mutants are made and reported apart, and an
equivalent mutant is recognised as such. Mutants are of our own programs
(``tests/programs.py``), whose text does not change under us."""

import ast
import json

import pytest

from cwmkit.cli import main
from cwmkit.verify.mutate import RARE_OPERATORS, behaviour_difference, generate, killers
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier
from tests.programs import kuhn, reference, ttt, wrapped

TTT = ttt()
KUHN = kuhn()


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=32)) as v:
        yield v


@pytest.fixture(scope="module")
def strong():
    with Verifier(VerifySettings(playouts=60, differential_trajectories=60)) as v:
        yield v


def one(mutants, text):
    found = [m for m in mutants if text in m.description]
    assert found, f"no mutant {text!r} among {[m.description for m in mutants]}"
    return found[0]


@pytest.mark.parametrize("source,imperfect", [(TTT, False), (KUHN, True)])
def test_mutants_compile_differ_and_are_described(source, imperfect):
    mutants = generate(source, imperfect=imperfect, max_mutants=40)
    assert len(mutants) == 40
    sources = [m.source for m in mutants]
    assert len(set(sources)) == len(sources)
    assert ast.unparse(ast.parse(source)) not in sources
    for m in mutants:
        compile(m.source, "<mutant>", "exec")
        assert m.description.startswith(f"{m.function} line {m.line}: ")
    operators = {m.operator for m in mutants}
    assert {"alias", "arith", "boolean", "branch", "compare", "constant", "drop",
            "loop"} <= operators
    assert ("leak" in operators) == imperfect
    assert not operators & set(RARE_OPERATORS)
    assert sum(m.operator == "loop" for m in mutants) == 1  # each one hangs a whole session


def test_generation_is_deterministic_and_capped():
    first = generate(TTT, max_mutants=15)
    assert first == generate(TTT, max_mutants=15)
    assert len(first) == 15
    assert generate(TTT, max_mutants=15, seed=1) != first


def test_rare_operators_drop_a_table_element_skip_a_case_and_shift_an_edge():
    rare = generate(TTT, max_mutants=10_000, rare=True)
    assert {m.operator for m in rare} == set(RARE_OPERATORS)
    diagonal = one(rare, "table loses `[(0, 2), (1, 1), (2, 0)]`")
    assert "[(0, 0), (1, 1), (2, 2)]]" in diagonal.source.replace("\n", "")
    last_line = one(rare, "`for (r, c) in line` skips its last case")
    assert "continue" in last_line.source
    edge = one(rare, "get_legal_actions line")
    compile(edge.source, "<mutant>", "exec")
    assert any("range(1, 3)" in m.source for m in rare if m.operator == "edge")


def test_a_rare_bug_mutant_is_killed_and_not_verified(verifier):
    rare = generate(TTT, max_mutants=10_000, rare=True)
    report = verifier.verify(one(rare, "table loses `[(0, 2), (1, 1), (2, 0)]`").source,
                             game="tic_tac_toe")
    assert "differential" in killers(report) and not report.verified


def test_operators_do_what_they_say():
    mutants = generate(TTT, max_mutants=10_000)
    alias = one(mutants, "`list(row)` -> `row`")
    assert "board = [row for row in state['board']]" in alias.source
    hang = one(mutants, "get_initial_state line")
    assert hang.operator in {"loop", "constant", "arith", "drop", "range"}


def test_known_bad_mutants_are_killed_by_the_expected_tier(verifier):
    mutants = generate(TTT, max_mutants=10_000)
    aliased = [m for m in mutants if m.operator == "alias" and m.function == "apply_action"]
    report = verifier.verify(aliased[0].source, game="tic_tac_toe")
    assert "dynamics" in killers(report)
    report = verifier.verify(one(mutants, "`1.0` -> `2.0`").source, game="tic_tac_toe")
    assert "differential" in killers(report)
    leak = one(generate(KUHN, imperfect=True, max_mutants=10_000), "adds the full state")
    report = verifier.verify(leak.source, game="kuhn_poker")
    assert "privacy" in killers(report)


def test_observations_that_hide_part_of_the_board_are_killed(verifier):
    # Found by mutation testing: the differential tier compared no observations.
    rare = generate(TTT, max_mutants=10_000, rare=True)
    source = one(rare, "get_observations line").source
    report = verifier.verify(source, game="tic_tac_toe")
    assert "differential" in killers(report)


def test_an_equivalent_mutant_is_recognised(strong):
    mutants = generate(TTT, max_mutants=10_000)
    # Only legal actions are ever applied, so not checking them changes no behaviour.
    unchecked = one(mutants, "drops `if action not in get_legal_actions(state):`")
    assert behaviour_difference(strong, "tic_tac_toe", unchecked.source) == ""
    wrong = one(mutants, "`%` -> `//`")
    assert behaviour_difference(strong, "tic_tac_toe", wrong.source)


def test_cli_json_has_the_summary_fields(capsys):
    assert main(["mutate", "tic_tac_toe", "--max-mutants", "4",
                 "--equivalence-trajectories", "20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    for key in ("game", "mutants", "killed", "equivalent", "kill_rate", "survivors",
                "by_tier", "results", "rare", "reference_verified"):
        assert key in data
    assert data["game"] == "tic_tac_toe" and data["mutants"] == 4
    assert data["reference_verified"] is True
    relevant = data["mutants"] - data["equivalent"]
    assert data["kill_rate"] == round(data["killed"] / relevant, 4)
    assert all(r["description"] for r in data["results"])


def test_cli_rejects_a_bad_count(capsys):
    assert main(["mutate", "tic_tac_toe", "--max-mutants", "0"]) == 2
    assert "at least 1" in capsys.readouterr().err


def test_mutants_that_broke_the_verifier_are_judged(verifier):
    # Found by mutation testing: a failing initial state crashed the scenarios and
    # differential tiers, too few observations crashed the privacy tier.
    no_start = TTT.replace("def get_initial_state():\n",
                           "def get_initial_state():\n    raise ValueError('no state')\n")
    report = verifier.verify(no_start, game="tic_tac_toe")
    assert report.status == "ok" and report.tiers["dynamics"].score == 0.0
    assert "not a game" in report.message
    one_view = wrapped(reference("kuhn_poker"), "def get_observations(state):\n"
                                                "    return _ref_get_observations(state)[:1]\n")
    report = verifier.verify(one_view, game="kuhn_poker")
    assert report.status == "ok" and "privacy" in killers(report)
