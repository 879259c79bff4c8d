"""Coverage-guided and exhaustive exploration: rare rule bugs are reached on purpose.

Pinned here: the tracer sees lines and hit counts of the reference only; the search's
pool reaches what random play seldom does; the exploration is deterministic, cached in
memory and on disk, keyed by the reference; small games are compared on every state; a
rare bug is caught and the report is not ``verified``."""

import importlib.util
import json

import pytest

from cwmkit.core.plugins import get_host
from cwmkit.verify import explore
from cwmkit.verify.coverage import Tracer, bucket, executable_lines
from cwmkit.verify.explore import build, exploration, reachable_tree, tree_histories
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier
from tests.programs import ttt


def _module(tmp_path, source: str, name: str = "ref"):
    path = tmp_path / f"{name}.py"
    path.write_text(source)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_buckets_are_exact_then_by_powers_of_two():
    assert [bucket(n) for n in range(1, 17)] == list(range(1, 17))
    assert bucket(17) == bucket(31) != bucket(32)


def test_the_tracer_counts_hits_in_the_reference_only(tmp_path):
    module = _module(tmp_path, ttt())
    tracer = Tracer(module)
    with tracer:
        state = tracer.call("get_initial_state", module.get_initial_state)
        tracer.call("apply_action", module.apply_action, state, "x(0,0)")
    labels = {f[0] for f in tracer.features}
    assert labels == {"get_initial_state", "apply_action"}
    assert tracer.lines <= executable_lines(module) and tracer.lines
    # The win check's loop over the table ran all eight lines: a hit count of 8.
    hits = {f[2] for f in tracer.features if f[0] == "apply_action"}
    assert 8 in hits


def test_the_pool_reaches_a_win_on_every_line_of_the_table(tmp_path):
    """Random play seldom makes o win on the right column with the eighth mark; the
    search counts the win check's iterations and so keeps a trajectory for each line."""
    game = get_host().get("games", "tic_tac_toe")
    module = _module(tmp_path, ttt())
    found = build(module, game.spec, VerifySettings(exhaustive_states=0), seed=7,
                  game_id="tic_tac_toe")
    assert found.tree is None and found.pool
    # Unreachable: the illegal-action raise and the MISSED case (off here).
    assert found.stats["lines_covered"] == found.stats["lines"] - 2
    winners = set()
    for history in found.pool:
        state = module.get_initial_state()
        for action in history:
            state = module.apply_action(state, action)
        if state["status"].endswith("won"):
            board = state["board"]
            mark = state["status"][0]
            winners |= {i for i, line in enumerate(module.LINES)
                        if all(board[r][c] == mark for r, c in line)}
    assert len(winners) >= 7, winners


def test_small_games_are_enumerated_state_by_state():
    game = get_host().get("games", "tic_tac_toe")
    tree = reachable_tree(game.reference(), 6000, game.spec.max_length)
    assert len(tree) == 5478
    histories = tree_histories(tree)
    assert histories[0] == () and len(set(histories)) == 5478
    assert reachable_tree(game.reference(), 5000, game.spec.max_length) is None


def test_exploration_is_deterministic_and_cached_on_disk(tmp_path, monkeypatch):
    monkeypatch.setenv("CWMKIT_CACHE_DIR", str(tmp_path / "cache"))
    game = get_host().get("games", "kuhn_poker")
    settings = VerifySettings(explore_events=150_000)
    first = exploration(game.reference(), game.spec, settings)
    [path] = (tmp_path / "cache" / "explore").glob("kuhn_poker-*.json")
    assert json.loads(path.read_text())["pool"] == [list(t) for t in first.pool]
    assert first.tree is not None and len(first.tree) == 55  # every Kuhn poker state
    assert first.views  # small views for resample_history's distribution
    monkeypatch.setattr(explore, "_MEMORY", {})
    again = exploration(game.reference(), game.spec, settings)
    assert again == first
    monkeypatch.setattr(explore, "_MEMORY", {})
    path.unlink()
    rebuilt = exploration(game.reference(), game.spec, settings)
    assert rebuilt.pool == first.pool and rebuilt.views == first.views


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=24)) as v:
        yield v


def test_a_rare_missed_win_is_caught_and_not_verified(verifier):
    # o completing the right column (line 5) with the eighth mark is not a win.
    report = verifier.verify(ttt(MISSED=("o", 5, 8)), game="tic_tac_toe")
    assert report.status == "ok" and not report.verified
    assert 0.99 < report.score < 1.0
    [(tier, check)] = [f for f in report.failures if f[1].name == "terminal"]
    assert tier == "differential" and len(check.counterexample.actions) == 8
    assert check.counterexample.actions[-1] == "o(2,2)"


def test_the_correct_program_is_compared_on_every_state(verifier):
    report = verifier.verify(ttt(), game="tic_tac_toe")
    assert report.verified and report.score == 1.0
    metrics = report.tiers["differential"].metrics
    assert metrics["exhaustive_states"] == metrics["reachable_states"] == 5478
    assert metrics["pool"] > 0 and report.tiers["dynamics"].metrics["pool_walks"] > 0
