"""Multi-process training through accelerate, on CPU: two processes talking over gloo.

``cwmkit train ... --accelerate-config pipelines/accelerate/cpu.yaml`` runs the same
command again under ``accelerate launch``: SFT and then GRPO (from the SFT adapter) train
for two steps on the tiny model in two processes. Each process trains its share of every
batch and verifies its own completions with its own sandbox; the reward metrics of both
are in the log; the main process alone writes the log, the adapter and the summary. The
shipped DDP, FSDP and DeepSpeed configs are checked the way ``accelerate launch`` reads
them, without a GPU.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("trl", reason="training needs the 'train' extra")
accelerate_launch = pytest.importorskip("accelerate.commands.launch")

from cwmkit.cli._launch import _argv, add_launch_arguments  # noqa: E402
from cwmkit.core.errors import ConfigError  # noqa: E402
from cwmkit.models import build_tiny_model  # noqa: E402
from cwmkit.training.distributed import accelerate_command  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CONFIGS = ROOT / "pipelines" / "accelerate"
ASK = [{"role": "user", "content": "Write matching_pennies"}]
CODE = "```python\ndef get_initial_state():\n    return {}\n```"


def write_jsonl(path: Path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def cwmkit(*argv, timeout=600) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cwmkit", *argv], cwd=ROOT, text=True,
                          capture_output=True, timeout=timeout)


def log_lines(run: Path) -> list[dict]:
    return [json.loads(line) for line in (run / "log.jsonl").read_text().splitlines()]


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> str:
    return build_tiny_model(tmp_path_factory.mktemp("tiny"))


def test_sft_then_grpo_in_two_processes(tiny, tmp_path):
    answers = write_jsonl(tmp_path / "answers.jsonl", [
        {"prompt": ASK, "completion": [{"role": "assistant", "content": c}]}
        for c in (CODE, "no", CODE, "no")])
    sft = {"model": tiny, "dataset": answers, "learning_rate": 1e-2,
           "lr_scheduler_type": "constant", "per_device_train_batch_size": 2,
           "gradient_accumulation_steps": 1, "max_length": 128, "logging_steps": 1,
           "save_steps": 1000, "lora_target_modules": "all-linear", "max_steps": 2,
           "device": "cpu"}
    (tmp_path / "sft.yaml").write_text(json.dumps({"sft": sft}))
    launch = ["--accelerate-config", str(CONFIGS / "cpu.yaml")]
    done = cwmkit("train", "sft", "--config", str(tmp_path / "sft.yaml"), "--out",
                  str(tmp_path / "sft"), *launch)
    assert done.returncode == 0, done.stderr[-3000:]
    # The main process reports once; its log has each step once; two processes each
    # took 2 of the 4 records per step, so two steps are two epochs.
    assert done.stdout.count("adapter saved to") == 1
    logs = log_lines(tmp_path / "sft")
    assert len({r["id"] for r in logs}) == len(logs)
    steps = [r for r in logs if "loss" in r]
    assert [r["step"] for r in steps] == [1, 2] and steps[-1]["epoch"] == 2.0
    adapter = tmp_path / "sft" / "adapter"
    assert (adapter / "adapter_model.safetensors").is_file()
    assert (adapter / "tokenizer_config.json").is_file()
    assert json.loads((tmp_path / "sft" / "train_config.json").read_text())["trainer"] == "sft"

    prompts = write_jsonl(tmp_path / "prompts.jsonl",
                          [{"prompt": ASK, "game": "matching_pennies"}] * 4)
    grpo = {"model": tiny, "dataset": prompts, "sft_adapter": str(adapter),
            "num_generations": 4, "per_device_train_batch_size": 2,
            "gradient_accumulation_steps": 1, "max_completion_length": 16, "max_steps": 2,
            "logging_steps": 1, "save_steps": 1000, "learning_rate": 1e-3,
            "verify": {"playouts": 4}, "device": "cpu"}
    (tmp_path / "grpo.yaml").write_text(json.dumps({"grpo": grpo}))
    done = cwmkit("train", "grpo", "--config", str(tmp_path / "grpo.yaml"), "--out",
                  str(tmp_path / "grpo"), *launch, "--set", "seed=7")
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("adapter saved to") == 1
    steps = [r for r in log_lines(tmp_path / "grpo") if "loss" in r]
    assert [r["step"] for r in steps] == [1, 2]
    for record in steps:
        # A group of 4 straddles the two processes: each verified its 2 completions.
        assert record["reward/processes"] == 2.0
        assert sum(v for k, v in record.items() if k.startswith("reward/status/")) == 4
    assert (tmp_path / "grpo" / "adapter" / "adapter_model.safetensors").is_file()
    assert json.loads((tmp_path / "grpo" / "train_config.json").read_text())["seed"] == 7


# ------------------------------------------------------------------ the launch line

def _train_parser():
    parser = argparse.ArgumentParser()
    parser.add_argument("trainer")
    parser.add_argument("--config", type=Path)
    parser.add_argument("--set", action="append", default=[])
    parser.add_argument("--resume", action="store_true")
    add_launch_arguments(parser)
    return parser


def test_the_relaunched_command_is_the_same_command_without_the_launch_options():
    parser = _train_parser()
    args = parser.parse_args(["grpo", "--config", "g.yaml", "--set", "a=1", "--set", "b=2",
                              "--resume", "--accelerate-config", "x.yaml",
                              "--num-processes", "4"])
    argv = _argv(parser, args, "train")
    assert argv == ["train", "grpo", "--config", "g.yaml", "--set", "a=1", "--set", "b=2",
                    "--resume"]
    again = parser.parse_args(argv[1:])
    assert (again.trainer, again.set, again.accelerate_config) == ("grpo", ["a=1", "b=2"],
                                                                   None)


def test_the_accelerate_command_line(tmp_path):
    line = accelerate_command(["train", "sft"], config=CONFIGS / "ddp.yaml", num_processes=4)
    assert line[:3] == [sys.executable, "-m", "accelerate.commands.launch"]
    assert line[line.index("--config_file") + 1] == str(CONFIGS / "ddp.yaml")
    assert line[line.index("--num_processes") + 1] == "4"
    assert line[-4:] == ["-m", "cwmkit", "train", "sft"]
    # No config: N processes on this machine, on a port of their own.
    bare = accelerate_command(["train", "sft"], config=None, num_processes=2)
    assert "--multi_gpu" in bare and "--main_process_port" in bare
    (tmp_path / "other.yaml").write_text("num_processes: 2\n")
    with pytest.raises(ConfigError, match="not an accelerate config"):
        accelerate_command(["train"], config=tmp_path / "other.yaml", num_processes=None)
    with pytest.raises(ConfigError, match="cannot read"):
        accelerate_command(["train"], config=CONFIGS / "missing.yaml", num_processes=None)


# ------------------------------------------------------------------ the shipped configs

EXPECTED = {"cpu.yaml": ("multi_gpu", 2), "ddp.yaml": ("multi_gpu", 8),
            "fsdp.yaml": ("use_fsdp", 8), "deepspeed_zero2.yaml": ("use_deepspeed", 8),
            "deepspeed_zero3.yaml": ("use_deepspeed", 8)}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_shipped_config_is_what_accelerate_launch_reads(name):
    from accelerate.utils import prepare_deepspeed_cmd_env, prepare_multi_gpu_env

    flag, processes = EXPECTED[name]
    args = accelerate_launch.launch_command_parser().parse_args(
        ["--config_file", str(CONFIGS / name), "-m", "cwmkit", "train", "sft"])
    args, defaults, _ = accelerate_launch._validate_launch_command(args)
    assert getattr(args, flag) and args.num_processes == processes
    if flag == "use_deepspeed":
        args.deepspeed_fields_from_accelerate_config = ",".join(defaults.deepspeed_config)
        _, env = prepare_deepspeed_cmd_env(args)
        assert env["ACCELERATE_DEEPSPEED_ZERO_STAGE"] == name[-6]
    else:
        env = prepare_multi_gpu_env(args)
        if flag == "use_fsdp":
            assert (env["FSDP_VERSION"], env["FSDP_STATE_DICT_TYPE"]) == ("2",
                                                                          "FULL_STATE_DICT")
    assert name in (CONFIGS / name).read_text()  # each file says how to use it


# ------------------------------------------------------------------ vLLM in server mode

def test_grpo_with_a_vllm_server_translates_into_trls_settings(tmp_path):
    """The trainer on some GPUs, 'trl vllm-serve' on others: checked without either."""
    from cwmkit_plugins.trainers import GRPOConfig
    from cwmkit_plugins.trainers.grpo import trl_args

    config = GRPOConfig(dataset="d.jsonl", use_vllm=True, vllm_mode="server",
                        vllm_server_base_url="http://127.0.0.1:8001")
    args = trl_args(config, tmp_path)
    assert (args.use_vllm, args.vllm_mode, args.vllm_server_base_url) == (
        True, "server", "http://127.0.0.1:8001")
    assert args.vllm_max_model_length == config.max_prompt_length + \
        config.max_completion_length
    with pytest.raises(ConfigError, match="vllm_mode: server"):
        GRPOConfig(dataset="d.jsonl", use_vllm=True,
                   vllm_server_base_url="http://127.0.0.1:8001")
    with pytest.raises(ConfigError, match="needs a GPU"):
        GRPOConfig(dataset="d.jsonl", use_vllm=True, vllm_mode="server", device="cpu")
