"""Correct Python is accepted: plain data as programmers write it, compared by value,
handed back to ``resample_history`` exactly; ``json`` importable; dead code under
``__main__`` not judged; and ``resample_history``'s distribution judged on its own."""

import math
from collections import Counter, OrderedDict, defaultdict, deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cwmkit.core.plugins import get_host
from cwmkit.sandbox.plain import (
    NotPlainError,
    canonical,
    canonical_json,
    from_wire,
    leaves,
    show,
    to_wire,
)
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier
from cwmkit.verify.views import chi2_sf, fit_p_value, homogeneity_p_value
from tests.programs import TTT_COLLECTIONS, kuhn, ttt

scalars = st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=5) | \
    st.floats(allow_nan=False, allow_infinity=False)
keys = st.recursive(st.none() | st.booleans() | st.integers(-99, 99) | st.text(max_size=4),
                    lambda inner: st.tuples(inner, inner) | st.frozensets(inner, max_size=3),
                    max_leaves=4)
plain = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.tuples(inner, inner)
    | st.dictionaries(keys, inner, max_size=4)
    | st.dictionaries(st.text(max_size=4), inner, max_size=4).map(Counter)
    | st.dictionaries(keys, inner, max_size=3).map(OrderedDict)
    | st.dictionaries(keys, inner, max_size=3).map(lambda d: defaultdict(list, d))
    | st.lists(inner, max_size=3).map(deque)
    | st.frozensets(keys, max_size=3) | st.sets(keys, max_size=3),
    max_leaves=12)


def same_types(a, b) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_types(a[k], b[k]) for k in a) and (
            type(a) is not defaultdict or a.default_factory is b.default_factory)
    if isinstance(a, (list, tuple, deque)):
        return all(same_types(x, y) for x, y in zip(a, b, strict=True))
    return True


@given(plain)
def test_the_wire_form_gives_back_the_same_value_and_types(value):
    wire = to_wire(value)
    back = from_wire(wire)
    assert back == value and same_types(back, value)
    assert canonical_json(wire) == canonical(value)


@given(plain)
def test_equal_values_have_equal_canonical_texts(value):
    assert canonical(value) == canonical(from_wire(to_wire(value)))


def test_values_compare_by_value():
    assert canonical((1, [2, 3])) == canonical([1, (2, 3)]) == canonical(deque([1, [2, 3]]))
    assert canonical(Counter(a=1)) == canonical({"a": 1}) == canonical(OrderedDict(a=1))
    assert canonical({2.0: 1.0}) == canonical({2: 1}) and canonical(0.5) != canonical(0)
    assert canonical({1: "x"}) != canonical({"1": "x"})
    assert canonical({(0, 1): "x", "y": 2}) == canonical({"y": 2, (0, 1): "x"})
    assert canonical(frozenset({1, 2})) == canonical({2, 1})
    assert show(to_wire({"cells": {(0, 1): "x"}, "seen": {"b", "a"}})) == \
        "{'cells': {(0, 1): 'x'}, 'seen': {'a', 'b'}}"
    assert set(leaves(to_wire({(0, 1): "x", "n": 2.0}))) >= {"x", "n", "2", "2.0", "0", "1"}


@pytest.mark.parametrize("bad", [object(), math.nan, {}.get, type("D", (dict,), {})(),
                                 {(1, object()): 2}])
def test_what_is_not_plain_data_is_refused(bad):
    with pytest.raises((NotPlainError, TypeError)):
        to_wire(bad)


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=24)) as v:
        yield v


def test_states_and_observations_of_collections_verify(verifier):
    report = verifier.verify(TTT_COLLECTIONS, game="tic_tac_toe")
    assert report.status == "ok" and report.score == 1.0 and report.verified, report.failures


def test_resample_history_gets_exactly_what_get_observations_returned(verifier):
    # Our Kuhn poker observes a tuple of bets and an int-keyed dict, and its
    # resample_history asserts that it gets them back as such.
    report = verifier.verify(kuhn(), game="kuhn_poker")
    assert report.tiers["information"].score == 1.0 and report.verified, report.failures


def test_json_is_importable_but_not_its_classes(verifier):
    with_json = "import json\n" + ttt().replace(
        '    view = {"board": [list(row) for row in state["board"]], "status": state["status"]}',
        '    view = json.loads(json.dumps({"board": state["board"], "status": state["status"]}))')
    assert "json.loads" in with_json
    report = verifier.verify(with_json, game="tic_tac_toe")
    assert report.score == 1.0, report.message
    encoder = verifier.verify("import json\nX = json.JSONEncoder\n" + ttt(), game="tic_tac_toe")
    assert encoder.status == "policy_violation"


def test_the_prompt_lists_the_importable_modules():
    prompt = get_host().get("prompts", "default").render(
        get_host().get("games", "tic_tac_toe").spec)
    assert "collections, collections.abc, copy" in prompt and "json" in prompt
    assert "itertools" in prompt and " os" not in prompt


def test_dead_code_under_main_is_neither_run_nor_judged(verifier):
    source = ttt() + '\n\nif __name__ == "__main__":\n    import os\n    print(input())\n'
    report = verifier.verify(source, game="tic_tac_toe")
    assert report.status == "ok" and report.score == 1.0
    rebinding = '__name__ = "__main__"\n' + source
    assert verifier.verify(rebinding, game="tic_tac_toe").status == "policy_violation"


def test_a_sampler_that_always_returns_the_same_history_fails_distribution(verifier):
    report = verifier.verify(kuhn(SAMPLER="first"), game="kuhn_poker")
    checks = {c.name: c for c in report.tiers["information"].checks}
    assert checks["consistent"].passed
    assert not checks["distribution"].passed and checks["distribution"].trials >= 2
    assert "never sampled" in checks["distribution"].message
    assert report.tiers["information"].score == pytest.approx(0.5, abs=0.01)
    good = verifier.verify(kuhn(), game="kuhn_poker")
    assert good.tiers["information"].metrics["coverage"] == 1.0


def test_the_chi_square_tail_and_the_fit_tests():
    assert chi2_sf(0.0, 3) == 1.0
    assert chi2_sf(3.841, 1) == pytest.approx(0.05, abs=1e-3)
    assert chi2_sf(11.07, 5) == pytest.approx(0.05, abs=1e-3)
    assert chi2_sf(200.0, 4) < 1e-30
    assert fit_p_value([25, 23], [1, 1]) > 0.5
    assert fit_p_value([48, 0], [1, 1]) < 1e-9
    assert homogeneity_p_value([24, 24], [20, 28]) > 0.1
    assert homogeneity_p_value([48, 0], [24, 24]) < 1e-6
