"""The OpenRLHF integration's local form, loaded and called as OpenRLHF does.

OpenRLHF executes the reward file and calls ``reward_func(queries, prompts, labels)``: a
query is the chat-templated prompt followed by the decoded response (with its end token),
the label the game id. The rewards must be ``VerifierReward``'s, the prompt's own code (the
interface it shows) must never be scored, and every extra log a list per query.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from cwmkit.core.errors import ConfigError
from cwmkit.core.plugins import get_host
from cwmkit.integrations import _reward
from cwmkit.integrations import openrlhf as cwm_openrlhf
from cwmkit.integrations.openrlhf import response_of
from cwmkit.rewards import VerifierReward

torch = pytest.importorskip("torch")

GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"
TTT = (GAMES / "tic_tac_toe" / "reference.py").read_text()
PENNIES = (GAMES / "matching_pennies" / "reference.py").read_text()
VERIFY = {"playouts": 8, "workers": 1, "shrink_rounds": 2}


def templated(game: str) -> str:
    text = get_host().get("prompts", "default").render(get_host().get("games", game).spec)
    return f"<|im_start|>user\n{text}<|im_end|>\n<|im_start|>assistant\n"


def load_like_openrlhf(path: str):
    spec = importlib.util.spec_from_file_location("reward_func", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.reward_func


@pytest.fixture(autouse=True, scope="module")
def fresh_process_rewards():
    _reward.close_all()
    yield
    _reward.close_all()


def test_the_response_is_what_follows_the_prompt():
    prompt = templated("tic_tac_toe")
    assert "```python" in prompt  # the interface: code that is not the answer
    assert response_of(prompt + "no code<|im_end|>", prompt) == "no code"
    assert response_of(prompt + "x = 1\n<|im_end|><|endoftext|>", prompt) == "x = 1"
    # A prompt that came back from the tokenizer with its start token dropped.
    assert response_of(prompt + "answer", "<s>" + prompt) == "answer"
    # One that differs near its end: cut at the longest common start.
    assert response_of("abcdXYZ", "abcde") == "XYZ"


def test_reward_func_gives_verifier_rewards_numbers(monkeypatch):
    monkeypatch.setenv("CWMKIT_VERIFY", json.dumps(VERIFY))
    responses = [f"```python\n{TTT}```", "I cannot write that.", f"```python\n{PENNIES}```"]
    games = ["tic_tac_toe", "tic_tac_toe", "matching_pennies"]
    prompts = [templated(g) for g in games]
    queries = [p + r + "<|im_end|>" for p, r in zip(prompts, responses, strict=True)]
    reward_func = load_like_openrlhf(cwm_openrlhf.__file__)
    result = reward_func(queries, prompts, games)
    with VerifierReward(settings=VERIFY) as reward:
        expected = reward(responses, game=games)
    assert result["rewards"].tolist() == pytest.approx(expected)
    assert expected[1] == 0.0  # the prompt's interface code was not taken for an answer
    assert result["scores"].tolist() == result["rewards"].tolist()
    logs = result["extra_logs"]
    assert all(isinstance(v, torch.Tensor) and len(v) == 3 for v in logs.values())
    assert logs["verified"].tolist() == [1.0, 0.0, 1.0]
    assert logs["status/no_code"].tolist() == [0.0, 1.0, 0.0]
    # OpenRLHF logs batch means: a tier that does not apply to a game is given the mean
    # of the queries it applies to, so the logged mean is the tier's own.
    for name in _reward.tier_names():
        assert not torch.isnan(logs[f"tier/{name}"]).any()


def test_labels_must_be_game_ids():
    prompt = templated("tic_tac_toe")
    with pytest.raises(ConfigError, match="--label_key"):
        cwm_openrlhf.reward_func([prompt + "x"], [prompt], None)
    with pytest.raises(ConfigError, match="not a game id"):
        cwm_openrlhf.reward_func([prompt + "x"], [prompt], [3])
    with pytest.raises(ConfigError, match="1 queries but 2 labels"):
        cwm_openrlhf.reward_func([prompt + "x"], [prompt], ["a", "b"])


def test_the_payload_imputes_only_where_a_tier_does_not_apply():
    from cwmkit.verify.report import TierResult, VerificationReport

    def report(info_score):
        tiers = {"static": TierResult("static", 1.0),
                 "information": TierResult.not_applicable("information")
                 if info_score is None else TierResult("information", info_score)}
        return VerificationReport("ok", 1.0, tiers, "0" * 64, "g")

    payload = cwm_openrlhf.reward_payload([(1.0, report(0.5)), (0.5, report(None)),
                                           (1.0, report(1.0)), (0.0, None)])
    assert payload["extra_logs"]["tier/information"] == [0.5, 0.5, 1.0, 0.0]
    assert payload["extra_logs"]["tier/static"] == [1.0, 1.0, 1.0, 0.0]
    assert payload["rewards"] == [1.0, 0.5, 1.0, 0.0]
