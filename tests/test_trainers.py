"""The SFT and GRPO trainers, on a tiny Qwen2 model built locally and trained on CPU."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

import pytest

from cwmkit.cli import main
from cwmkit.core.errors import ConfigError, MissingExtraError
from cwmkit.core.plugins import get_host

pytest.importorskip("trl", reason="the trainers need the 'train' extra")

from cwmkit_plugins.trainers import GRPOConfig, GRPOTrainer, SFTConfig, SFTTrainer  # noqa: E402
from cwmkit_plugins.trainers.grpo import plan_stages, trl_args  # noqa: E402

from cwmkit.models import build_tiny_model  # noqa: E402

ASK = [{"role": "user", "content": "Write matching_pennies"}]
CODE = "```python\ndef get_initial_state():\n    return {}\n```"
REFUSAL = "I cannot write that game."


def write_jsonl(path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def read_jsonl(path) -> list[dict]:
    return [json.loads(line) for line in open(path)]


def answers(tmp_path) -> str:
    """One short prompt answered by a short program half the time, by prose otherwise."""
    rows = [{"prompt": ASK, "completion": [{"role": "assistant", "content": c}]}
            for c in (CODE, REFUSAL, CODE, REFUSAL)]
    return write_jsonl(tmp_path / "answers.jsonl", rows)


def fast_sft(model, dataset, **changes) -> dict:
    return {"model": model, "dataset": dataset, "learning_rate": 1e-2,
            "lr_scheduler_type": "constant", "per_device_train_batch_size": 4,
            "gradient_accumulation_steps": 1, "max_length": 128, "logging_steps": 1,
            "save_steps": 1000, "lora_target_modules": "all-linear", **changes}


def lora_weights(adapter) -> dict:
    from safetensors.torch import load_file

    return load_file(f"{adapter}/adapter_model.safetensors")


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> str:
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


@pytest.fixture(scope="module")
def coder(tiny, tmp_path_factory) -> str:
    """An SFT adapter after which the tiny model answers ASK with CODE or REFUSAL about
    half and half, so that a GRPO group gets different rewards from the verifier."""
    where = tmp_path_factory.mktemp("coder")
    result = SFTTrainer().train(fast_sft(tiny, answers(where), max_steps=20), where / "run")
    return result["adapter"]


# ---------------------------------------------------------------------------- SFT

def test_sft_lowers_the_loss_on_reference_programs(tiny, tmp_path):
    host = get_host()
    prompt = host.get("prompts", "default")
    rows = []
    for game_id in ("tic_tac_toe", "matching_pennies"):
        game = host.get("games", game_id)
        code = open(game.reference_path).read()
        rows.append({"prompt": [{"role": "user", "content": prompt.render(game.spec)}],
                     "completion": [{"role": "assistant",
                                     "content": f"```python\n{code}```"}]})
    data = write_jsonl(tmp_path / "sft.jsonl", rows)
    result = SFTTrainer().train(
        fast_sft(tiny, data, max_steps=4, learning_rate=3e-3, per_device_train_batch_size=2,
                 max_length=2048, lora_target_modules=["q_proj", "k_proj", "v_proj",
                                                       "o_proj"]), tmp_path / "run")
    losses = [h["loss"] for h in result["log_history"] if "loss" in h]
    assert len(losses) == 4
    assert losses[-1] < losses[0]
    assert result["global_step"] == 4
    adapter = json.load(open(f"{result['adapter']}/adapter_config.json"))
    assert (adapter["r"], adapter["lora_alpha"]) == (16, 32)
    assert sorted(adapter["target_modules"]) == ["k_proj", "o_proj", "q_proj", "v_proj"]
    assert [r["loss"] for r in read_jsonl(result["log"]) if "loss" in r] == losses


def test_the_study_defaults():
    sft = SFTConfig(dataset="d.jsonl")
    assert (sft.lora_r, sft.lora_alpha, sft.lora_dropout) == (16, 32, 0.05)
    assert sft.lora_target_modules == ("q_proj", "k_proj", "v_proj", "o_proj")
    assert (sft.learning_rate, sft.lr_scheduler_type, sft.num_train_epochs) == \
        (1e-5, "cosine", 2.0)
    assert (sft.max_length, sft.completion_only_loss) == (6000, True)
    grpo = GRPOConfig(dataset="d.jsonl")
    assert (grpo.lora_r, grpo.lora_alpha, grpo.lora_target_modules) == (16, 64, "all-linear")
    assert (grpo.num_generations, grpo.beta, grpo.temperature, grpo.learning_rate) == \
        (8, 0.1, 0.6, 2e-5)
    assert (grpo.max_prompt_length, grpo.max_completion_length) == (4096, 4096)


# ---------------------------------------------------------------------------- GRPO

def fast_grpo(model, dataset, **changes) -> dict:
    return {"model": model, "dataset": dataset, "num_generations": 4,
            "per_device_train_batch_size": 4, "gradient_accumulation_steps": 1,
            "max_completion_length": 32, "max_steps": 2, "logging_steps": 1,
            "save_steps": 1000, "learning_rate": 1e-3, "verify": {"playouts": 4},
            **changes}


def test_grpo_trains_on_the_verifier_reward_and_logs_its_metrics(tiny, coder, tmp_path):
    data = write_jsonl(tmp_path / "prompts.jsonl",
                       [{"prompt": ASK, "game": "matching_pennies"}] * 2)
    result = GRPOTrainer().train(fast_grpo(tiny, data, sft_adapter=coder), tmp_path / "run")
    steps = [h for h in result["log_history"] if "loss" in h]
    assert [h["step"] for h in steps] == [1, 2]
    # The reward's own metrics are merged into the training logs, in memory and on disk.
    for logs in (steps, [r for r in read_jsonl(result["log"]) if "loss" in r]):
        assert all("reward/tier/static" in h and "reward/shaped" in h for h in logs)
        assert any(h.get("reward/status/ok", 0) > 0 for h in logs)
    assert any(h["reward_std"] > 0 for h in steps)  # groups were told programs apart
    # Every step is timed; the reward was verified while generation went on.
    assert all(h["time/step"] >= h["time/generation"] > 0 for h in steps)
    assert all("time/reward_wait" in h and "time/optimisation" in h for h in steps)
    logged = read_jsonl(result["log"])
    assert len({r["id"] for r in logged}) == len(logged)
    # LoRA's B matrices start at zero: any non-zero one was trained.
    weights = lora_weights(result["adapter"])
    assert any(float(w.abs().sum()) > 0 for k, w in weights.items() if "lora_B" in k)
    adapter = json.load(open(f"{result['adapter']}/adapter_config.json"))
    assert (adapter["r"], adapter["lora_alpha"]) == (16, 64)
    modules = {name.rsplit(".", 1)[-1] for name in adapter["target_modules"]}
    assert {"q_proj", "o_proj", "gate_proj", "up_proj", "down_proj"} <= modules


def test_grpo_verifies_completions_while_the_batch_still_generates(tiny, coder, tmp_path,
                                                                   monkeypatch):
    import inspect

    from cwmkit.rewards import AsyncVerifierReward

    during = []
    prefetch = AsyncVerifierReward.prefetch

    def spy(self, completions, games):
        # HF's sampling loop on the stack: the batch is still being generated.
        during.append(any(frame.function == "_sample" for frame in inspect.stack()))
        return prefetch(self, completions, games)

    monkeypatch.setattr(AsyncVerifierReward, "prefetch", spy)
    data = write_jsonl(tmp_path / "prompts.jsonl",
                       [{"prompt": ASK, "game": "matching_pennies"}] * 2)
    GRPOTrainer().train(fast_grpo(tiny, data, sft_adapter=coder, max_steps=1,
                                  max_completion_length=48), tmp_path / "run")
    assert True in during and during[-1] is False  # streamed, then the rest at the end


def test_grpo_can_continue_training_the_sft_adapter(tiny, coder, tmp_path):
    data = write_jsonl(tmp_path / "prompts.jsonl", [{"prompt": ASK, "game": "tic_tac_toe"}])
    result = GRPOTrainer().train(
        fast_grpo(tiny, data, sft_adapter=coder, sft_adapter_mode="continue", max_steps=1),
        tmp_path / "run")
    # The SFT adapter's own shape (alpha 32), not a new GRPO adapter (alpha 64).
    adapter = json.load(open(f"{result['adapter']}/adapter_config.json"))
    assert adapter["lora_alpha"] == 32
    assert lora_weights(result["adapter"]).keys() == lora_weights(coder).keys()


def test_grpo_curriculum_trains_tier_by_tier_on_the_cumulative_games(tiny, tmp_path):
    data = write_jsonl(tmp_path / "prompts.jsonl", [
        {"prompt": ASK, "game": "matching_pennies"},  # tier 1
        {"prompt": [{"role": "user", "content": "Write kuhn_poker"}], "game": "kuhn_poker"},
    ])
    settings = fast_grpo(tiny, data, curriculum=True, max_steps=1, num_generations=2,
                         per_device_train_batch_size=2, max_completion_length=8)
    result = GRPOTrainer().train(settings, tmp_path / "run")
    assert [(s["stage"], s["games"]) for s in result["stages"]] == [
        ("tier-1", ["matching_pennies"]), ("tier-2", ["kuhn_poker", "matching_pennies"])]
    assert result["adapter"] == str(tmp_path / "run" / "stage-2-tier-2" / "adapter")
    assert {r["stage"] for r in read_jsonl(result["log"])} == {"tier-1", "tier-2"}
    # Resuming a finished curriculum retrains nothing.
    resume = {**settings, "resume_from_checkpoint": True}
    again = GRPOTrainer().train(resume, tmp_path / "run")
    assert again["log_history"] == []
    assert [s["adapter"] for s in again["stages"]] == [s["adapter"] for s in result["stages"]]
    # A run stopped inside stage 2 skips stage 1 and continues stage 2 from its checkpoint.
    shutil.rmtree(tmp_path / "run" / "stage-2-tier-2" / "adapter")
    again = GRPOTrainer().train({**resume, "max_steps": 2}, tmp_path / "run")
    assert [s.get("global_step") for s in again["stages"]] == [None, 2]
    assert [(h["stage"], h["step"]) for h in again["log_history"] if "loss" in h] == \
        [("tier-2", 1), ("tier-2", 2)]


def test_curriculum_stages_follow_the_tiers():
    tiers = {"a": 1, "b": 2, "c": 2, "d": 4}
    config = GRPOConfig(dataset="d.jsonl", curriculum=True)
    assert plan_stages(config, tiers) == [
        ("tier-1", ["a"]), ("tier-2", ["a", "b", "c"]), ("tier-4", ["a", "b", "c", "d"])]
    assert plan_stages(config.evolve(curriculum_tiers=(2, 4)), tiers)[0] == \
        ("tier-2", ["a", "b", "c"])
    assert plan_stages(config.evolve(curriculum=False, curriculum_tiers=None), tiers) == \
        [("all", ["a", "b", "c", "d"])]
    with pytest.raises(ConfigError, match="no tier.*eval games"):
        plan_stages(config, {"a": 1, "y": None})


# ---------------------------------------------------------------------------- resume, CLI

def test_a_resumed_run_continues_where_it_stopped(tiny, tmp_path, capsys):
    config = tmp_path / "sft.yaml"
    config.write_text(json.dumps({"sft": fast_sft(tiny, answers(tmp_path), save_steps=2)}))
    run = str(tmp_path / "run")
    assert main(["train", "sft", "--config", str(config), "--out", run,
                 "--set", "max_steps=2"]) == 0
    assert "adapter saved" in capsys.readouterr().out
    # A fresh start would overwrite the run's checkpoints: the CLI refuses it.
    assert main(["train", "sft", "--config", str(config), "--out", run]) == 2
    assert "--resume" in capsys.readouterr().err
    assert main(["train", "sft", "--config", str(config), "--out", run,
                 "--set", "max_steps=4", "--resume", "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["global_step"] == 4
    logged = [r["step"] for r in read_jsonl(tmp_path / "run" / "log.jsonl") if "loss" in r]
    assert logged == [1, 2, 3, 4]  # the second run started at step 3


# ---------------------------------------------------------------------------- validation

@pytest.mark.parametrize("settings, message, hint", [
    ({"dataset": "d.jsonl", "learnig_rate": 1e-4}, "unknown sft setting 'learnig_rate' "
     r"\(did you mean 'learning_rate'\?\)", "settings: "),
    ({"dataset": "d.jsonl", "learning_rate": -1}, r"sft.learning_rate must be a number "
     "above 0, got -1", "peak learning rate"),
    ({"dataset": "d.jsonl", "lora_r": "16"}, "sft.lora_r must be an integer, got '16'",
     "LoRA rank"),
    ({"dataset": "d.jsonl", "dtype": "bf16"}, "sft.dtype must be one of auto, float32, "
     "bfloat16, float16, got 'bf16'", "weight dtype"),
    ({"dataset": "d.jsonl", "max_steps": 0}, "sft.max_steps must be a positive integer or "
     "-1, got 0", "the epochs decide"),
    ({}, "sft.dataset is not set", "'prompt' and 'completion' columns"),
])
def test_a_bad_sft_setting_says_what_and_how_to_fix(settings, message, hint):
    with pytest.raises(ConfigError, match=message) as caught:
        SFTConfig.from_dict(settings)
    assert hint in caught.value.hint


@pytest.mark.parametrize("settings, message", [
    ({"num_generations": 3}, r"\(8 x 4 = 32\) must be a multiple of num_generations \(3\)"),
    ({"curriculum_tiers": [1, 2]}, "curriculum_tiers is set but grpo.curriculum is false"),
    ({"curriculum": True, "curriculum_tiers": [2, 1]}, "must be increasing tier numbers"),
    ({"use_vllm": True, "device": "cpu"}, "use_vllm needs a GPU"),
    ({"vllm_mode": "remote"}, "one of colocate, server"),
    ({"verify": {"playout": 3}}, r"unknown verify setting 'playout' \(did you mean"),
])
def test_a_bad_grpo_setting_says_what_and_how_to_fix(settings, message):
    with pytest.raises(ConfigError, match=message):
        GRPOConfig.from_dict({"dataset": "d.jsonl", **settings})


def test_trl_settings_pass_through_and_are_checked(tmp_path):
    from trl import SFTConfig as TRLSFTConfig

    config = SFTConfig(dataset="d.jsonl", device="cpu", trl={"weight_decay": 0.1})
    args = config.trl_config(TRLSFTConfig, tmp_path)
    assert (args.weight_decay, args.learning_rate, args.lr_scheduler_type) == \
        (0.1, 1e-5, "cosine")
    with pytest.raises(ConfigError, match="has no such setting.*did you mean 'weight_decay'"):
        config.evolve(trl={"weight_decy": 0.1}).trl_config(TRLSFTConfig, tmp_path)
    with pytest.raises(ConfigError, match="set it as a sft setting"):
        config.evolve(trl={"learning_rate": 0.1}).trl_config(TRLSFTConfig, tmp_path)


def test_grpo_settings_become_trl_settings(tmp_path):
    config = GRPOConfig(dataset="d.jsonl", device="cpu")
    args = trl_args(config, tmp_path)
    assert (args.num_generations, args.beta, args.temperature, args.learning_rate) == \
        (8, 0.1, 0.6, 2e-5)
    assert (args.max_completion_length, args.use_vllm, args.use_cpu) == (4096, False, True)
    served = config.evolve(device="auto", use_vllm=True, vllm_mode="server",
                           vllm_server_base_url="http://gpu-host:8000")
    args = trl_args(served, tmp_path)
    assert (args.use_vllm, args.vllm_mode, args.vllm_server_base_url) == \
        (True, "server", "http://gpu-host:8000")
    assert args.vllm_max_model_length == 4096 + 4096


def test_a_missing_extra_is_named(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "peft", None)  # import peft now fails
    with pytest.raises(MissingExtraError, match="needs the 'peft' package") as caught:
        SFTTrainer().train({"dataset": "d.jsonl"}, tmp_path)
    assert caught.value.hint == "pip install 'cwmkit[train]'"


def test_bad_data_is_reported_before_training(tiny, tmp_path):
    missing = write_jsonl(tmp_path / "x.jsonl", [{"prompt": ASK, "answer": "x"}])
    with pytest.raises(ConfigError, match="no column 'completion'"):
        SFTTrainer().train(fast_sft(tiny, missing), tmp_path / "run")
    unknown = write_jsonl(tmp_path / "y.jsonl", [{"prompt": ASK, "game": "tic_tac_to"}])
    with pytest.raises(ConfigError, match="unknown game 'tic_tac_to'"):
        GRPOTrainer().train(fast_grpo(tiny, unknown), tmp_path / "run")
    with pytest.raises(ConfigError, match="no such folder or .jsonl file"):
        SFTTrainer().train(fast_sft(tiny, str(tmp_path / "none.jsonl")), tmp_path / "run")


def test_the_cli_prints_a_bad_value_and_its_fix_without_a_traceback(tmp_path, capsys):
    config = tmp_path / "grpo.yaml"
    config.write_text("dataset: prompts.jsonl\nbeta: -0.5\n")
    assert main(["train", "grpo", "--config", str(config)]) == 2
    err = capsys.readouterr().err
    assert "grpo.beta must be a number of at least 0, got -0.5" in err
    assert "hint: weight of the KL penalty" in err
    assert "Traceback" not in err
    assert main(["train", "grpo", "--config", str(config), "--set", "beta=0.2",
                 "--set", "shaper=nope"]) == 2
    assert "unknown reward shaper 'nope'" in capsys.readouterr().err
    assert main(["train", "grpo", "--list-settings"]) == 0
    listed = capsys.readouterr().out
    assert "num_generations" in listed and "completions per prompt" in listed


def test_a_bad_trl_value_is_refused_before_any_model_loads(tmp_path, capsys, monkeypatch):
    import cwmkit.training.loading as loading

    def no_loading(*args, **kwargs):
        raise AssertionError("the model must not load")

    monkeypatch.setattr(loading, "check_model_source", no_loading)
    config = tmp_path / "sft.yaml"
    config.write_text("dataset: d.jsonl\ndevice: cpu\n")
    assert main(["train", "sft", "--config", str(config), "--set", "trl.weight_decay=abc",
                 "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "sft.trl.weight_decay must be a number, got 'abc'" in err
    assert "Traceback" not in err


def test_unknown_lora_targets_are_named_with_the_models_layers(tiny, tmp_path, capsys):
    config = tmp_path / "sft.yaml"
    config.write_text(json.dumps(fast_sft(tiny, answers(tmp_path))))
    assert main(["train", "sft", "--config", str(config), "--set",
                 "lora_target_modules=[foo_proj]", "--out", str(tmp_path / "run")]) == 2
    err = capsys.readouterr().err
    assert "sft.lora_target_modules: the model has no linear layer named 'foo_proj'" in err
    assert "q_proj" in err and "Traceback" not in err
    assert not (tmp_path / "run" / "log.jsonl").exists()


def test_the_model_card_names_the_base_model(tiny, coder):
    card = (Path(coder).parent / "README.md").read_text()
    assert f"Base model: `{tiny}`" in card and "[None]" not in card
    assert "20 optimizer steps" in card
    assert f"base_model: {tiny}" in (Path(coder) / "README.md").read_text()
