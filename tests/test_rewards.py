"""Reward shapers, code extraction and the TRL reward function.

The shapers are pure functions of a report, pinned here on constructed reports; the
reward function is pinned end to end on real completions verified in the sandbox."""

import asyncio
import time
from pathlib import Path

import pytest
from cwmkit_plugins.rewards import CwmkitShaper, RewardConfig

from cwmkit.core.errors import ConfigError
from cwmkit.rewards import AsyncVerifierReward, VerifierReward, extract_code
from cwmkit.verify.report import CheckOutcome, TierResult, VerificationReport
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier

GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"
TTT = (GAMES / "tic_tac_toe" / "reference.py").read_text()
KUHN = (GAMES / "kuhn_poker" / "reference.py").read_text()
NA = "not applicable"


def make_report(status="ok", *, api=True, dynamics_metrics=None, **tiers):
    """A report whose tiers have the given scores; ``None`` marks a tier not applicable,
    a str a tier that was skipped with that reason."""
    results = {}
    for name, value in tiers.items():
        if value is None:
            results[name] = TierResult(name, 0.0, (), NA)
        elif isinstance(value, str):
            results[name] = TierResult(name, 0.0, (), value)
        elif name == "static":
            checks = [CheckOutcome("parses", True), CheckOutcome("functions", api),
                      CheckOutcome("arity", True)]
            results[name] = TierResult(name, value, checks)
        elif name == "dynamics":
            metrics = dynamics_metrics or {"playouts": 10, "clean": round(10 * value),
                                           "mean_length": 5.0}
            results[name] = TierResult(name, value, [CheckOutcome("no_errors", value == 1)],
                                       metrics=metrics)
        else:
            results[name] = TierResult(name, value, [CheckOutcome("x", value == 1)])
    score = None if status == "infra_error" else 0.5
    return VerificationReport(status, score, results, "0" * 64, "g")


@pytest.fixture(scope="module")
def host_shapers(host):
    return host.registry("reward_shapers")


# --------------------------------------------------------------------- study

def test_study_weights_renormalise_over_the_tiers_that_apply(host_shapers):
    study = host_shapers["study"]
    imperfect = make_report(static=1.0, dynamics=1.0, information=0.5, scenarios=0.0,
                            utility=0.0, privacy=0.0, differential=0.0)
    # Utility, privacy and differential are not the study's tiers: they change nothing.
    assert study(imperfect) == pytest.approx(0.15 + 0.25 + 0.30 * 0.5)
    perfect = make_report(static=1.0, dynamics=1.0, information=None, scenarios=0.5)
    assert study(perfect) == pytest.approx((0.15 + 0.25 + 0.30 * 0.5) / 0.70)
    full = make_report(static=1.0, dynamics=1.0, information=None, scenarios=1.0)
    assert study(full) == 1.0


def test_study_gates(host_shapers):
    study = host_shapers["study"]
    base = {"static": 1.0, "dynamics": 1.0, "information": 1.0, "scenarios": 1.0}
    # An incomplete API earns only the static share, however well the rest does.
    assert study(make_report(api=False, **{**base, "static": 0.5})) == pytest.approx(
        0.15 * 0.5)
    # Every playout faulting at the initial state: only the static share.
    dead = {"playouts": 10, "clean": 0, "mean_length": 0}
    assert study(make_report(dynamics_metrics=dead, **{**base, "dynamics": 0.0})) == \
        pytest.approx(0.15)
    # The program died while loading: the dynamics tier never started.
    assert study(make_report("crashed", **{**base, "dynamics": "not run: died"})) == \
        pytest.approx(0.15)
    # Dynamics under 0.5 stops before the later tiers; at 0.5 they count.
    assert study(make_report(**{**base, "dynamics": 0.4})) == pytest.approx(0.15 + 0.25 * 0.4)
    assert study(make_report(**{**base, "dynamics": 0.5})) == pytest.approx(
        0.15 + 0.25 * 0.5 + 0.6)
    # Code that does not compile (or breaks the policy) scores 0.
    assert study(make_report("compile_error", **{**base, "static": 0.0})) == 0.0
    assert study(make_report("policy_violation", **base)) == 0.0


def test_infra_error_is_none_for_every_shaper_and_never_zero(host_shapers):
    report = make_report("infra_error")
    assert set(host_shapers) >= {"cwmkit", "study", "binary"}
    for shaper in host_shapers.values():
        assert shaper(report) is None


# --------------------------------------------------------------------- cwmkit, binary

ALL = {"static": 1.0, "dynamics": 1.0, "utility": 1.0, "information": 1.0, "privacy": 1.0,
       "scenarios": 1.0, "differential": 1.0}


def test_cwmkit_shaper_counts_every_tier_with_the_verifier_weights(host_shapers):
    shaper = host_shapers["cwmkit"]
    assert shaper(make_report(**ALL)) == 1.0
    # On a report that passes the gates the reward is the verifier's own score.
    from cwmkit.verify.report import aggregate

    tiers = {**ALL, "differential": 0.5, "privacy": 0.0, "information": None}
    report = make_report(**tiers)
    assert shaper(report) == pytest.approx(aggregate(report.tiers, "ok"))
    gated = make_report(**{**ALL, "dynamics": 0.2})
    assert shaper(gated) == pytest.approx((0.05 + 0.2 * 0.2) / 1.0)


def test_cwmkit_shaper_config_changes_weights_and_gates():
    off = CwmkitShaper({"dynamics_gate": 0.0, "weights": {"differential": 0.0}})
    report = make_report(**{**ALL, "dynamics": 0.2, "differential": 0.0})
    assert off(report) == pytest.approx((1.0 - 0.2 - 0.8 * 0.20) / 0.8)
    assert off.config.weights["static"] == 0.05


@pytest.mark.parametrize("bad, match", [
    ({"dynamics_gate": 1.5}, "between 0 and 1"),
    ({"weights": {"static": -1}}, ">= 0"),
    ({"weights": dict.fromkeys(ALL, 0)}, "no tier a positive weight"),
    ({"api_gate": "yes"}, "true or false"),
    ({"dynamics_gat": 0.5}, "did you mean"),
])
def test_reward_config_validation_says_how_to_fix(bad, match):
    with pytest.raises(ConfigError, match=match):
        RewardConfig.from_dict(bad)


def test_binary_is_all_or_nothing(host_shapers):
    binary = host_shapers["binary"]
    perfect = make_report(**ALL).evolve(score=1.0)
    assert binary(perfect) == 1.0
    assert binary(perfect.evolve(score=0.99)) == 0.0
    assert binary(perfect.evolve(status="timeout")) == 0.0


# --------------------------------------------------------------------- extract_code

@pytest.mark.parametrize("completion, code", [
    ("Here:\n```python\nx = 1\n```\nand\n```python\ny = 2\n```", "x = 1\n"),
    ("```py\ndef f():\n    return 1\n```", "def f():\n    return 1\n"),
    ("```python\ndef f():\n    return 1\n", "def f():\n    return 1\n"),  # unclosed
    ("```\nimport math\n```", "import math\n"),  # untagged but Python
    ("```json\n{}\n```\n```python\nx = 2\n```", "x = 2\n"),
    ("def f():\n    return 1\n", "def f():\n    return 1\n"),  # no fence at all
    ("Here is the module:\nimport math\nx = 1\n", "import math\nx = 1\n"),
    ("1. The code:\n   ```python\n   x = 5\n   ```\n", "x = 5\n"),  # indented fence
    ("I cannot help with that.", None),
    ("```python\n\n```", None),
    ("", None),
    ([{"role": "assistant", "content": "```python\nx = 3\n```"}], "x = 3\n"),
    ([{"role": "user", "content": "```python\nx = 0\n```"},
      {"role": "assistant", "content": "first"},
      {"role": "assistant", "content": [{"type": "text", "text": "```python\nx = 4\n```"}]}],
     "x = 4\n"),
    ([{"role": "user", "content": "```python\nx = 0\n```"}], None),
])
def test_extract_code(completion, code):
    assert extract_code(completion) == code


# --------------------------------------------------------------------- the reward function

def fenced(source: str) -> list[dict]:
    return [{"role": "assistant", "content": f"Here it is.\n```python\n{source}```\n"}]


@pytest.fixture(scope="module")
def verifier():
    with Verifier(VerifySettings(playouts=16)) as v:
        yield v


def test_reward_on_real_completions(verifier):
    reward = VerifierReward(verifier=verifier)
    # Misses the anti-diagonal: a wrong rule, still a program that plays.
    broken = TTT.replace("[(0, 2), (1, 1), (2, 0)]", "[(0, 2), (1, 1), (2, 1)]", 1)
    assert broken != TTT
    completions = [fenced(TTT), fenced(broken), "no code here", fenced(KUHN), fenced(TTT)]
    games = ["tic_tac_toe", "tic_tac_toe", "tic_tac_toe", "kuhn_poker", "tic_tac_toe"]
    rewards = reward(completions, game=games, prompts=[""] * 5, trainer_state=None)
    assert rewards[0] == 1.0 and rewards[3] == 1.0 and rewards[4] == 1.0
    assert 0.0 < rewards[1] < 1.0
    assert rewards[2] == 0.0
    metrics = reward.pop_metrics()
    assert metrics["reward/status/ok"] == 4.0 and metrics["reward/status/no_code"] == 1.0
    assert metrics["reward/tier/static"] == 1.0
    assert metrics["reward/tier/scenarios"] < 1.0  # the missed diagonal
    assert metrics["reward/shaped"] == pytest.approx(sum(rewards) / 5)
    # The information tier applies to Kuhn poker alone: its mean is over that completion.
    assert metrics["reward/tier/information"] == 1.0
    assert reward.pop_metrics() == {}  # popped


def test_reward_with_the_study_shaper_and_a_compile_error(verifier):
    reward = VerifierReward("study", verifier=verifier)
    rewards = reward(["```python\ndef get_initial_state(:\n```", fenced(TTT)],
                     game=["tic_tac_toe"] * 2)
    assert rewards == [0.0, 1.0]
    assert reward.pop_metrics()["reward/status/compile_error"] == 1.0


def test_infrastructure_failure_is_none_not_zero(verifier, monkeypatch):
    from cwmkit.sandbox.client import SandboxFailure

    def broken_spawn(*args, **kwargs):
        raise SandboxFailure("zygote gone")

    reward = VerifierReward(verifier=verifier)
    monkeypatch.setattr(verifier.zygote, "spawn", broken_spawn)
    assert reward([fenced(TTT), "no code"], game=["tic_tac_toe"] * 2) == [None, 0.0]
    metrics = reward.pop_metrics()
    assert metrics["reward/status/infra_error"] == 1.0
    assert metrics["reward/shaped"] == 0.0  # the mean of the rewards that exist


def test_a_verifier_and_settings_together_are_refused(verifier):
    with pytest.raises(ConfigError, match="not both"):
        VerifierReward(verifier=verifier, settings={"playouts": 4})


def test_missing_game_column_is_a_config_error(verifier):
    reward = VerifierReward(verifier=verifier, game_column="env")
    with pytest.raises(ConfigError, match="'env' column"):
        reward([fenced(TTT)], game=["tic_tac_toe"])


def test_async_reward_matches_the_sync_one(verifier):
    sync = VerifierReward(verifier=verifier)
    areward = AsyncVerifierReward(verifier=verifier)
    completions = [fenced(TTT), fenced(KUHN), "nothing"]
    games = ["tic_tac_toe", "kuhn_poker", "kuhn_poker"]
    assert asyncio.run(areward(completions, game=games)) == sync(completions, game=games)


def test_trl_sees_the_name_and_the_async_variant(verifier):
    utils = pytest.importorskip("trl.trainer.utils")
    sync = VerifierReward(verifier=verifier)
    areward = AsyncVerifierReward(verifier=verifier)
    assert utils.get_callable_name(sync) == "cwmkit_verifier"
    assert not utils.is_async_callable(sync)
    assert utils.is_async_callable(areward)


def test_own_verifier_starts_at_construction_and_closes():
    with VerifierReward(settings={"playouts": 8, "workers": 1}) as reward:
        assert reward.verifier.zygote.isolation is not None
        assert reward([fenced(TTT)], game="tic_tac_toe") == [1.0]


def test_prefetched_programs_are_verified_once_and_timed(verifier, monkeypatch):
    areward = AsyncVerifierReward(verifier=verifier)
    calls = []
    verify = verifier.verify
    monkeypatch.setattr(verifier, "verify", lambda code, **kw: calls.append(code) or
                        verify(code, **kw))
    other = TTT + "\n\nUNUSED = 1\n"
    completions = [fenced(TTT), fenced(TTT), "no code", fenced(other)]
    games = ["tic_tac_toe"] * 4
    assert areward.prefetch(completions, games) == 2
    time.sleep(0.5)  # the sandboxes work while the caller does something else
    assert asyncio.run(areward(completions, game=games)) == [1.0, 1.0, 0.0, 1.0]
    assert len(calls) == 2
    timing = areward.pop_timing()
    assert timing["verification"] > 0 and timing["reward_wait"] < timing["verification"]
    assert areward.pop_timing() == {"reward_wait": 0.0, "verification": 0.0}


def test_a_timeout_is_killed_and_logged_with_game_program_and_stage(tmp_path, caplog):
    endless = TTT + "\n\nwhile True:\n    pass\n"
    settings = {"playouts": 2, "load_cpu_seconds": 0.3, "workers": 1}
    with AsyncVerifierReward(settings=settings, timeouts_dir=tmp_path) as areward:
        began = time.perf_counter()
        with caplog.at_level("WARNING", logger="cwmkit.rewards"):
            rewards = asyncio.run(areward([fenced(endless), fenced(TTT)],
                                          game=["tic_tac_toe"] * 2))
        assert time.perf_counter() - began < 30  # killed, never hanging the step
        assert areward.pop_metrics()["reward/status/timeout"] == 1.0
    assert rewards[0] is not None and rewards[0] < 0.5 and rewards[1] > 0.5
    message = caplog.text
    assert "tic_tac_toe program timed out and was killed: program sha256" in message
    assert "while loading" in message
    saved = list(tmp_path.glob("tic_tac_toe-*.py"))
    assert len(saved) == 1 and "while True" in saved[0].read_text()


def test_a_shaper_takes_its_own_settings():
    from cwmkit.rewards import make_shaper

    shaper = make_shaper("cwmkit", {"dynamics_gate": 0.2})
    assert shaper.config.dynamics_gate == 0.2
    with pytest.raises(ConfigError, match="reward.dynamics_gate must be a number"):
        make_shaper("cwmkit", {"dynamics_gate": "high"})
    with pytest.raises(ConfigError, match="'study' takes no settings"):
        make_shaper("study", {"dynamics_gate": 0.2})
