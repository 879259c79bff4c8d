"""The verl integration, called exactly as verl calls it.

verl loads the reward function from a file path under the module name ``custom_module``,
binds ``custom_reward_function.reward_kwargs`` to it, and its reward managers call it with
keyword arguments: ``naive`` once per response, ``batch`` once per batch with numpy object
arrays. The rows come from ``cwmkit data build --format verl``, read back as verl's
loader reads them; the numbers must be the ones ``VerifierReward`` gives.
"""

from __future__ import annotations

import importlib.util
import math
import multiprocessing
import sys
from collections import defaultdict
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from cwmkit.cli import main
from cwmkit.integrations import _reward
from cwmkit.integrations import verl as cwm_verl
from cwmkit.rewards import VerifierReward

np = pytest.importorskip("numpy")
datasets = pytest.importorskip("datasets", reason="verl's parquet needs the 'train' extra")

GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"
TTT = (GAMES / "tic_tac_toe" / "reference.py").read_text()
PENNIES = (GAMES / "matching_pennies" / "reference.py").read_text()
VERIFY = {"playouts": 8, "workers": 1, "shrink_rounds": 2}


def fenced(code: str) -> str:
    return f"Here is the module.\n```python\n{code}```\n"


#: Responses per game: the reference, a broken copy, prose, a hostile program.
RESPONSES = {
    "tic_tac_toe": [fenced(TTT), fenced(TTT.replace("return [1.0, -1.0]", "return [0.0, 0.0]")),
                    "I cannot write that.", fenced("import os\nos.system('true')\n")],
    "matching_pennies": [fenced(PENNIES), "no code here"],
}


def load_like_verl(path: str, name: str, reward_kwargs: dict):
    """verl's get_custom_reward_fn: exec the file as 'custom_module', bind the kwargs."""
    spec = importlib.util.spec_from_file_location("custom_module", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["custom_module"] = module
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules["custom_module"]
    raw_fn = getattr(module, name)

    def wrapped_fn(*args, **kwargs):
        return raw_fn(*args, **kwargs, **reward_kwargs)

    return wrapped_fn


def naive_manager(compute_score, batch):
    """verl's NaiveRewardManager: one call per response, extra_info amended per item."""
    rewards, extra = [], defaultdict(list)
    for item in batch:
        extra_info = dict(item["extra_info"])
        extra_info["num_turns"] = None
        extra_info["rollout_reward_scores"] = {}
        score = compute_score(data_source=item["data_source"], solution_str=item["response"],
                              ground_truth=item["reward_model"]["ground_truth"],
                              extra_info=extra_info)
        if isinstance(score, dict):
            rewards.append(score["score"])
            for key, value in score.items():
                extra[key].append(value)
        else:
            rewards.append(score)
    return rewards, dict(extra)


def batch_manager(compute_score, batch, reward_kwargs):
    """verl's BatchRewardManager: one call for the batch, non-tensor data as numpy arrays."""
    data_sources = np.array([item["data_source"] for item in batch], dtype=object)
    ground_truths = [item["reward_model"].get("ground_truth", None) for item in batch]
    extras = np.array([item["extra_info"] for item in batch], dtype=object)
    scores = compute_score(data_sources=data_sources,
                           solution_strs=[item["response"] for item in batch],
                           ground_truths=ground_truths, extra_infos=extras, **reward_kwargs)
    rewards, extra = [], defaultdict(list)
    for score in scores:
        if isinstance(score, dict):
            rewards.append(score["score"])
            for key, value in score.items():
                extra[key].append(value)
        else:
            rewards.append(score)
    return rewards, dict(extra)


@pytest.fixture(scope="module")
def rows(tmp_path_factory):
    out = tmp_path_factory.mktemp("verl")
    assert main(["data", "build", "--format", "verl", "--games", "tic_tac_toe,matching_pennies",
                 "--out", str(out)]) == 0
    table = datasets.load_dataset("parquet", data_files=str(out / "train.parquet"))["train"]
    assert set(table.column_names) >= {"prompt", "data_source", "reward_model", "extra_info"}
    by_game = {row["reward_model"]["ground_truth"]: row for row in table}
    assert by_game["tic_tac_toe"]["prompt"][0]["role"] == "user"
    assert by_game["tic_tac_toe"]["data_source"] == "cwmkit/tic_tac_toe"
    assert by_game["tic_tac_toe"]["extra_info"]["game"] == "tic_tac_toe"
    assert "```python" not in by_game["tic_tac_toe"]["prompt"][0]["content"].split(
        "## Interface")[0]  # no answer rides along
    return [{**by_game[game], "response": response}
            for game, responses in RESPONSES.items() for response in responses]


@pytest.fixture(scope="module")
def expected(rows):
    with VerifierReward(settings=VERIFY) as reward:
        return reward([r["response"] for r in rows],
                      game=[r["reward_model"]["ground_truth"] for r in rows])


@pytest.fixture(autouse=True, scope="module")
def fresh_process_rewards():
    _reward.close_all()
    yield
    _reward.close_all()


def test_the_naive_manager_gets_verifier_rewards_numbers(rows, expected):
    kwargs = {"verify": VERIFY}
    fn = load_like_verl(cwm_verl.__file__, "compute_score", kwargs)
    rewards, extra = naive_manager(fn, rows)
    assert rewards == expected
    assert expected[0] == 1.0 and expected[2] == 0.0 and expected[3] == 0.0
    # Every response has the same keys, as verl's reward_extra_info needs.
    assert all(len(values) == len(rows) for values in extra.values())
    assert extra["verified"][0] == 1.0 and extra["status/no_code"][2] == 1.0
    assert extra["status/policy_violation"][3] == 1.0
    # Tic-tac-toe has no hidden information: its information tier is NaN, not 0.
    assert math.isnan(extra["tier/information"][0])
    assert extra["tier/static"][0] == 1.0 and extra["tier/static"][2] == 0.0


def test_the_batch_manager_gets_the_same_numbers(rows, expected):
    kwargs = {"verify": VERIFY}
    fn = load_like_verl(cwm_verl.__file__, "compute_score_batch", {})
    rewards, extra = batch_manager(fn, rows, kwargs)
    assert rewards == expected
    assert extra["score"] == expected
    # The game id found in extra_info alone; a float each with details=False.
    floats = cwm_verl.compute_score_batch(
        [r["data_source"] for r in rows[2:]], [r["response"] for r in rows[2:]],
        [None] * len(rows[2:]), [r["extra_info"] for r in rows[2:]], verify=VERIFY,
        details=False)
    assert floats == expected[2:]


def _child_score(response: str) -> float:
    return cwm_verl.compute_score("cwmkit/tic_tac_toe", response, "tic_tac_toe",
                                  verify=VERIFY, details=False)


def test_a_forked_worker_verifies_with_its_own_sandbox(rows, expected):
    # verl's prime manager scores in a process pool: each worker makes its own verifier
    # and the parent's keeps working afterwards.
    parent = _reward.process_reward("cwmkit", VERIFY)
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork")) as pool:
        assert pool.submit(_child_score, rows[0]["response"]).result(timeout=120) == 1.0
    assert _reward.process_reward("cwmkit", VERIFY) is parent
    assert _child_score(rows[1]["response"]) == expected[1]


class _Flaky:
    """A reward whose sandbox fails ``failures`` times, then works."""

    def __init__(self, failures: int) -> None:
        from cwmkit.verify.report import VerificationReport

        self.failures = failures
        self.calls = 0
        self.broken = VerificationReport("infra_error", None, {}, "0" * 64, "tic_tac_toe",
                                         message="sandbox failure: zygote died")
        self.fine = VerificationReport("ok", 1.0, {}, "0" * 64, "tic_tac_toe", verified=True)

    def judge(self, completions, game):
        self.calls += 1
        report = self.broken if self.calls <= self.failures else self.fine
        return [(report.score, report) for _ in completions]


def test_an_infrastructure_failure_is_retried_then_raised_never_zero():
    flaky = _Flaky(failures=1)
    assert _reward.judge(flaky, ["a", "b"], ["tic_tac_toe"] * 2) == \
        [(1.0, flaky.fine)] * 2
    assert flaky.calls == 2
    with pytest.raises(cwm_verl.VerifierUnavailable, match="sandbox failed on 2 of 2"):
        _reward.judge(_Flaky(failures=5), ["a", "b"], ["tic_tac_toe"] * 2, retries=2)


def test_a_row_without_a_game_says_where_the_game_goes():
    from cwmkit.core.errors import ConfigError

    with pytest.raises(ConfigError, match="names no game") as err:
        cwm_verl.compute_score("cwmkit", "x", None, {"index": 0})
    assert "ground_truth" in err.value.hint
