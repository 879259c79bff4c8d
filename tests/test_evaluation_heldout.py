"""Held-out evaluation during training: the callback samples from the model being
trained on its schedule, verifies, records every program in heldout.jsonl, puts the
numbers into that step's log record, and leaves the training's random state alone."""

from __future__ import annotations

import json
from types import SimpleNamespace

import pytest

from cwmkit.core.errors import ConfigError
from cwmkit.evaluation.heldout import HeldoutSettings, heldout_callback, heldout_metrics

pytest.importorskip("transformers")


def test_settings_are_checked():
    assert not HeldoutSettings().enabled
    with pytest.raises(ConfigError, match="grpo.heldout.every"):
        HeldoutSettings.from_dict({"every": -1})
    with pytest.raises(ConfigError, match="unknown grpo.heldout setting 'sample'"):
        HeldoutSettings.from_dict({"sample": 2})
    with pytest.raises(ConfigError, match="grpo.heldout: .*'pig' is in the train split"):
        HeldoutSettings.from_dict({"every": 5, "split": "eval", "games": ["pig"]})
    assert HeldoutSettings.from_dict({"every": 5, "games": ["pig"]}).game_names() == ["pig"]
    assert "gen_tic_tac_toe" in HeldoutSettings(every=5).game_names()  # the eval split


def test_metrics_leave_out_programs_without_a_verdict():
    verdicts = [{"score": 1.0, "verified": True, "status": "ok"},
                {"score": 0.0, "verified": False, "status": "no_code"},
                {"score": None, "verified": False, "status": "infra_error"}]
    assert heldout_metrics(verdicts) == {
        "heldout/programs": 3, "heldout/mean_score": 0.5, "heldout/verified_rate": 0.5,
        "heldout/compile_rate": 0.5}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    from transformers import AutoModelForCausalLM, AutoTokenizer

    from cwmkit.models.tiny import build_tiny_model

    folder = tmp_path_factory.mktemp("tiny")
    build_tiny_model(folder)
    return AutoModelForCausalLM.from_pretrained(folder), AutoTokenizer.from_pretrained(folder)


def test_the_callback_evaluates_on_its_schedule_and_logs_beside_the_reward(tiny, tmp_path):
    import torch

    model, tokenizer = tiny
    callback = heldout_callback({"every": 2, "games": ["tic_tac_toe"],
                                 "samples": 2, "max_new_tokens": 8})
    args = SimpleNamespace(output_dir=str(tmp_path))
    state = SimpleNamespace(global_step=1, max_steps=3, is_world_process_zero=True,
                            log_history=[])
    control = SimpleNamespace(should_log=False)
    try:
        callback.on_step_end(args, state, control, model=model, processing_class=tokenizer)
        assert not control.should_log and not (tmp_path / "heldout.jsonl").exists()
        state.global_step = 2
        model.train()
        before = torch.random.get_rng_state()
        callback.on_step_end(args, state, control, model=model, processing_class=tokenizer)
        assert torch.equal(before, torch.random.get_rng_state())  # training unaffected
        assert model.training and control.should_log
        logs = {"reward": 0.25}
        state.log_history.append({"step": 2, "reward": 0.25})
        callback.on_log(args, state, control, logs=logs)
        assert logs["reward"] == 0.25 and logs["heldout/programs"] == 2
        assert state.log_history[-1]["heldout/mean_score"] == logs["heldout/mean_score"]
        state.global_step = 3  # the last step: evaluated although 3 is not a multiple of 2
        callback.on_step_end(args, state, control, model=model, processing_class=tokenizer)
    finally:
        callback.on_train_end(args, state, control)
    records = [json.loads(line) for line in (tmp_path / "heldout.jsonl").read_text()
               .splitlines()]
    assert [r["id"] for r in records] == ["2/tic_tac_toe/0", "2/tic_tac_toe/1",
                                          "3/tic_tac_toe/0", "3/tic_tac_toe/1"]
    assert all(isinstance(r["text"], str) and r["status"] for r in records)
