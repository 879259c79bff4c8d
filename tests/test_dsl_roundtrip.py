"""Property: the canonical text of any valid spec parses back to the same spec."""

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from cwmkit.spec import GameSpec, format_spec, parse_spec, spec_problems
from cwmkit.spec import model as m

TEXT = st.characters(blacklist_categories=("Cs",))
PROSE_CHARS = st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t ")
numbers = st.floats(allow_nan=False, allow_infinity=False) | st.integers(-10**6, 10**6)
action = st.text(TEXT, min_size=1, max_size=8)
prose = st.text(PROSE_CHARS, min_size=1, max_size=120).filter(
    lambda s: s.strip() and '"""' not in s)


@st.composite
def expectation(draw, players: int):
    player = st.integers(0, players - 1)
    return draw(st.one_of(
        st.builds(m.ExpectTerminal, st.booleans()),
        st.builds(m.ExpectPlayer, player),
        st.builds(m.ExpectLegal, st.sampled_from(m.LEGAL_MODES),
                  st.lists(action, min_size=1, max_size=4)),
        st.builds(m.ExpectPayoffs, st.lists(numbers, min_size=players, max_size=players)),
        st.builds(m.ExpectWinner, player),
        st.just(m.ExpectDraw()),
        st.builds(m.ExpectObservationShows, player, st.lists(action, min_size=1, max_size=3)),
        st.builds(m.ExpectObservationSame, player, st.lists(action, max_size=3),
                  st.booleans()),
    ))


@st.composite
def scenario(draw, players: int, name: str):
    steps = draw(st.lists(
        st.one_of(st.builds(m.Play, st.lists(action, min_size=1, max_size=4)),
                  expectation(players)),
        max_size=6))
    steps.append(draw(expectation(players)))
    return m.Scenario(name, steps)


@st.composite
def game_specs(draw):
    players = draw(st.integers(1, 4))
    lo, hi = sorted(draw(st.lists(numbers, min_size=2, max_size=2)))
    utility = draw(st.sampled_from(m.UTILITIES))
    split = draw(st.sampled_from(m.SPLITS))
    names = draw(st.lists(st.text(TEXT, min_size=1, max_size=12).filter(str.strip),
                          unique=True, max_size=3))
    spec = GameSpec(
        id=draw(st.from_regex(r"[a-z][a-z0-9_]{0,12}", fullmatch=True)),
        title=draw(st.text(TEXT, min_size=1, max_size=20).filter(str.strip)),
        players=players,
        information=draw(st.sampled_from(m.INFORMATION)),
        chance=draw(st.sampled_from(m.CHANCE)),
        utility=utility,
        utility_constant=draw(numbers) if utility == "constant_sum" else None,
        payoff_min=lo,
        payoff_max=hi,
        max_length=draw(st.integers(1, 10**6)),
        split=split,
        tier=draw(st.integers(1, 9)) if split == "train" else None,
        properties=draw(st.lists(st.sampled_from(sorted(m.PROPERTIES)), unique=True)),
        rules=draw(prose),
        actions=draw(prose),
        observe=draw(prose),
        scenarios=[draw(scenario(players, n)) for n in names],
    )
    return spec


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(game_specs())
def test_parse_of_format_is_identity(spec):
    problems = spec_problems(spec)
    # Only a chance expectation in a game without chance can be invalid here.
    assume(not problems)
    assert parse_spec(format_spec(spec)) == spec


@settings(max_examples=100, deadline=None)
@given(prose)
def test_prose_normalisation_is_idempotent(text):
    once = m.normalize_prose(text)
    assert m.normalize_prose(once) == once
