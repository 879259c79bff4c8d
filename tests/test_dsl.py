"""The rule DSL: parsing, canonical writing, and the errors a spec author sees."""

import textwrap

import pytest

from cwmkit.core.errors import SpecFileError, SpecSyntaxError, SpecValidationError
from cwmkit.spec import GameSpec, format_spec, load_spec, parse_spec
from cwmkit.spec import model as m

GOOD = textwrap.dedent('''\
    game kuhn_poker "Kuhn Poker" {
      players 2
      information imperfect
      chance uniform
      utility zero_sum
      payoff -2 .. 2
      max_length 6
      split train
      tier 2
      properties terminal_rewards_only

      rules """
        Three cards; each player antes 1.
      """
      actions """
        "Pass" or "Bet".
      """
      observe """
        Your own card and the betting.
      """

      scenario "raise then fold" {
        play "KJ" "Bet" "Pass"
        expect terminal
        expect payoffs [1, -1]
        expect winner 0
      }
      scenario "chance first" {
        expect player chance
        expect legal contains "KJ"
        play "KJ"
        expect player 0
        expect observation 1 same as "QJ"
        expect observation 0 differs from "QJ"
        expect observation 0 shows "K"
        expect legal equals "Pass" "Bet"
        expect legal excludes "Call"
        expect not terminal
      }
    }
''')


def parse(text: str) -> GameSpec:
    return parse_spec(text, path="kuhn.game")


def test_parses_every_part_of_a_spec():
    spec = parse(GOOD)
    assert (spec.id, spec.title, spec.players) == ("kuhn_poker", "Kuhn Poker", 2)
    assert (spec.information, spec.chance, spec.utility) == ("imperfect", "uniform", "zero_sum")
    assert (spec.payoff_min, spec.payoff_max, spec.max_length) == (-2, 2, 6)
    assert (spec.split, spec.tier, spec.properties) == ("train", 2, ("terminal_rewards_only",))
    assert spec.rules == "Three cards; each player antes 1."
    assert spec.actions == '"Pass" or "Bet".'
    first, second = spec.scenarios
    assert first.actions == ("KJ", "Bet", "Pass")
    assert first.checkpoints()[1] == (("KJ", "Bet", "Pass"), m.ExpectPayoffs([1, -1]))
    assert second.steps[0] == m.ExpectPlayer(m.CHANCE_PLAYER)
    assert m.ExpectObservationSame(1, ("QJ",), same=True) in second.steps
    assert m.ExpectObservationSame(0, ("QJ",), same=False) in second.steps
    assert m.ExpectLegal("equals", ("Pass", "Bet")) in second.steps
    assert m.ExpectTerminal(False) in second.steps


def test_canonical_text_round_trips_and_is_stable():
    spec = parse(GOOD)
    text = format_spec(spec)
    assert parse(text) == spec
    assert format_spec(parse(text)) == text


def test_comments_and_layout_do_not_matter():
    squeezed = GOOD.replace("\n      ", "   # a comment\n ")
    assert parse(squeezed) == parse(GOOD)


def test_prose_is_dedented_whatever_its_indentation():
    indented = GOOD.replace("    Three cards; each player antes 1.",
                            "            Three cards; each player antes 1.")
    assert parse(indented).rules == "Three cards; each player antes 1."


def syntax_error(text: str) -> SpecSyntaxError:
    with pytest.raises(SpecSyntaxError) as info:
        parse(text)
    return info.value


def test_syntax_error_points_at_line_and_column_with_a_caret():
    err = syntax_error(GOOD.replace("players 2", "players two"))
    assert (err.line, err.column) == (2, 11)
    text = str(err)
    assert text.startswith("kuhn.game:2:11: syntax error: expected a whole number, found 'two'")
    assert "      players two\n" in text
    assert "\n              ^" in text


def test_misspelt_keyword_gets_a_did_you_mean_hint():
    err = syntax_error(GOOD.replace("max_length 6", "max_lenght 6"))
    assert err.line == 7
    assert "did you mean 'max_length'" in err.hint


def test_misspelt_expectation_gets_a_did_you_mean_hint():
    err = syntax_error(GOOD.replace("expect winner 0", "expect winer 0"))
    assert "did you mean 'winner'" in err.hint


def test_unclosed_string_is_named():
    err = syntax_error(GOOD.replace('play "KJ" "Bet" "Pass"', 'play "KJ" "Bet "Pass"'))
    assert "never closed" in err.hint


def test_unclosed_text_block_is_named():
    err = syntax_error(GOOD.split('observe """')[0] + 'observe """\n  nothing ends this\n')
    assert '"""' in err.hint


def test_missing_closing_brace_is_named():
    err = syntax_error(GOOD.rstrip().rstrip("}"))
    assert "found the end of the file" in str(err)
    assert "never closed" in err.hint


def test_expected_tokens_are_described_in_words():
    err = syntax_error(GOOD.replace("expect terminal\n", "expect\n", 1))
    message = str(err)
    assert "'terminal'" in message and "'winner'" in message
    assert "RBRACE" not in message and "__ANON" not in message


def validation_error(text: str) -> str:
    with pytest.raises(SpecValidationError) as info:
        parse(text)
    return str(info.value)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (("information imperfect", "information partial"),
         "unknown information 'partial'"),
        (("chance uniform", "chance dice"), "unknown chance 'dice'"),
        (("utility zero_sum", "utility zero_summ"), "did you mean 'zero_sum'"),
        (("utility zero_sum", "utility constant_sum"), "needs the constant"),
        (("payoff -2 .. 2", "payoff 2 .. -2"), "payoff bounds are reversed"),
        (("split train", "split test"), "unknown split 'test'"),
        (("split train\n  tier 2", "split eval\n  tier 2"), "eval games take no tier"),
        (("  tier 2\n", ""), "needs a curriculum tier"),
        (("  split train\n", ""), "missing 'split'"),
        (("properties terminal_rewards_only", "properties terminal_reward_only"),
         "did you mean 'terminal_rewards_only'"),
        (("expect payoffs [1, -1]", "expect payoffs [1, -1, 0]"),
         "payoffs list has 3 numbers, expected 2"),
        (('scenario "chance first"', 'scenario "raise then fold"'),
         "scenario name 'raise then fold' is used twice"),
        (("expect winner 0", "expect winner 2"), "winner 2 is not a player"),
        (("players 2\n", "players 2\n  players 3\n"), "'players' is given twice"),
    ],
)
def test_semantic_errors_name_the_problem_and_the_place(change, message):
    old, new = change
    assert old in GOOD
    text = validation_error(GOOD.replace(old, new, 1))
    assert message in text
    assert text.startswith("kuhn.game:")
    assert "^" in text


def test_reversed_payoff_bounds_point_at_the_payoff_line():
    text = validation_error(GOOD.replace("payoff -2 .. 2", "payoff 2 .. -2"))
    assert "kuhn.game: 6:3: payoff bounds are reversed" in text


def test_every_problem_is_reported_at_once():
    text = validation_error(GOOD.replace("chance uniform", "chance dice")
                            .replace("split train", "split test"))
    assert "unknown chance" in text and "unknown split" in text


def test_game_id_must_match_nothing_fancy():
    text = validation_error(GOOD.replace("game kuhn_poker", "game Kuhn"))
    assert "game id 'Kuhn'" in text


def test_missing_file_and_bad_encoding_are_spec_errors(tmp_path):
    with pytest.raises(SpecFileError, match="no such spec file"):
        load_spec(tmp_path / "absent.game")
    bad = tmp_path / "bad.game"
    bad.write_bytes(b"\xff\xfe game")
    with pytest.raises(SpecFileError, match="not UTF-8"):
        load_spec(bad)


def test_from_file_remembers_the_path(tmp_path):
    path = tmp_path / "kuhn.game"
    path.write_text(GOOD)
    spec = load_spec(path)
    assert spec.path == path
    assert spec == parse(GOOD)  # the path is not part of the value


def test_evolve_makes_variants():
    spec = parse(GOOD)
    other = spec.evolve(max_length=8)
    assert other.max_length == 8 and spec.max_length == 6
    assert parse(format_spec(other)) == other


def test_verify_settings_line_round_trips_and_keeps_integers():
    line = "  verify playouts 12 call_cpu_seconds 2.5\n"
    spec = parse(GOOD.replace("  tier 2\n", "  tier 2\n" + line))
    assert spec.verify == (("playouts", 12), ("call_cpu_seconds", 2.5))
    assert type(spec.verify[0][1]) is int
    assert parse(format_spec(spec)) == spec


def test_verifier_applies_and_checks_a_games_verify_line():
    from cwmkit.core.errors import ConfigError
    from cwmkit.verify.verifier import Verifier

    verifier = Verifier()
    spec = parse(GOOD.replace("  tier 2\n", "  tier 2\n  verify playouts 7\n"))
    assert verifier.settings_for(spec).playouts == 7
    bad = parse(GOOD.replace("  tier 2\n", "  tier 2\n  verify playoutz 7\n"))
    with pytest.raises(ConfigError, match="did you mean 'playouts'"):
        verifier.settings_for(bad)
