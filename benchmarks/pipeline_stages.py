"""The quickstart's time per stage, and a GRPO step split into its parts.

    python benchmarks/pipeline_stages.py [--skip-quickstart] [--skip-grpo] [--steps 3]

Measures, and writes to benchmarks/results/pipeline.{json,md}:

- the quickstart pipeline (``cwmkit run pipelines/quickstart.yaml``) in a fresh run
  directory: the command's wall time and each stage's seconds (its ``state/*.json``);
- a GRPO step on the tiny model (CPU), split into generation, reward and optimisation
  time, with the reward prefetched group by group (verification overlapping generation)
  and, for comparison, without the overlap. So that the reward has real programs to
  verify, the tiny model is first fine-tuned to answer a short prompt with a short
  matching-pennies program (which compiles, runs and fails some checks), sampled at
  temperature 0.7 so a group holds distinct programs, some of which run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = Path(__file__).parent / "results"

ASK = [{"role": "user", "content": "Write matching_pennies as a GameCWM."}]
PROGRAM = '''```python
def get_initial_state():
    return {"moves": []}


def get_current_player(state):
    return -4 if len(state["moves"]) > 1 else len(state["moves"])


def get_player_name(player_id):
    return str(player_id)


def get_legal_actions(state):
    return [] if len(state["moves"]) > 1 else ["H", "T"]


def apply_action(state, action):
    return {"moves": state["moves"] + [action]}


def get_rewards(state):
    if len(state["moves"]) < 2:
        return [0.0, 0.0]
    return [1.0, -1.0] if state["moves"][0] == state["moves"][1] else [-1.0, 1.0]


def get_observations(state):
    return [{"moves": list(state["moves"])} for _ in range(2)]


def resample_history(obs_action_history, player_id):
    return ["H"] * len(obs_action_history)
```'''


def quickstart() -> dict:
    with tempfile.TemporaryDirectory() as scratch:
        out = Path(scratch) / "run"
        began = time.perf_counter()
        result = subprocess.run([sys.executable, "-m", "cwmkit", "run",
                                 str(ROOT / "pipelines" / "quickstart.yaml"), "--out",
                                 str(out), "--quiet"], cwd=ROOT, capture_output=True,
                                text=True)
        wall = time.perf_counter() - began
        if result.returncode != 0:
            raise SystemExit(result.stderr[-3000:])
        stages = {}
        for name in ("model", "data", "sft", "grpo", "generate", "verify", "evaluate",
                     "report"):
            state = json.loads((out / "state" / f"{name}.json").read_text())
            line = (state.get("line") or "").replace(str(out), "RUN")
            stages[name] = {"seconds": state["seconds"], "line": line}
        grpo_log = [json.loads(line) for line in (out / "grpo" / "log.jsonl").read_text()
                    .splitlines()]
    return {"wall_seconds": round(wall, 1), "stages": stages,
            "load_average": round(os.getloadavg()[0], 1),
            "grpo_steps": [{k: v for k, v in r.items() if k.startswith("time/")}
                           for r in grpo_log if "loss" in r]}


def _write_jsonl(path: Path, rows) -> str:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return str(path)


def grpo_split(steps: int) -> dict:
    from cwmkit_plugins.trainers import GRPOTrainer, SFTTrainer

    from cwmkit.models import build_tiny_model

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        model = build_tiny_model(scratch / "tiny")
        answers = _write_jsonl(scratch / "sft.jsonl", [
            {"prompt": ASK, "completion": [{"role": "assistant", "content": PROGRAM}]}] * 2)
        began = time.perf_counter()
        sft = SFTTrainer().train({
            "model": model, "dataset": answers, "max_steps": 50, "learning_rate": 1e-2,
            "lr_scheduler_type": "constant", "per_device_train_batch_size": 2,
            "gradient_accumulation_steps": 1, "max_length": 512, "logging_steps": 10,
            "save_steps": 1000, "lora_target_modules": "all-linear", "device": "cpu",
            "lora_r": 32, "lora_alpha": 64}, scratch / "sft")
        sft_seconds = time.perf_counter() - began
        prompts = _write_jsonl(scratch / "prompts.jsonl",
                               [{"prompt": ASK, "game": "matching_pennies"}] * 4)
        runs = {"watcher": watcher_overhead(model)}
        for overlap in (True, False):
            load_before = os.getloadavg()[0]
            result = GRPOTrainer().train({
                "model": model, "dataset": prompts, "sft_adapter": sft["adapter"],
                "num_generations": 4, "per_device_train_batch_size": 8,
                "gradient_accumulation_steps": 1, "max_completion_length": 300,
                "temperature": 0.7, "max_steps": steps, "logging_steps": 1,
                "save_steps": 1000, "learning_rate": 1e-4, "device": "cpu",
                "reward_overlap": overlap, "verify": {"workers": 2, "playouts": 16}},
                scratch / f"grpo-{overlap}")
            logged = [h for h in result["log_history"] if "time/step" in h]
            runs["overlapped" if overlap else "plain"] = {
                "load_average": [round(load_before, 1), round(os.getloadavg()[0], 1)],
                "steps": [{k: round(v, 3) for k, v in h.items()
                           if k.startswith(("time/", "reward/status/")) or k == "reward"}
                          for h in logged]}
    return {"sft_seconds": round(sft_seconds, 1), "sft_final_loss": sft["log_history"][-2]
            .get("loss") if len(sft["log_history"]) > 1 else None, **runs}


def watcher_overhead(model: str, rounds: int = 3) -> dict:
    """Seconds to sample 8 x 120 tokens with and without the stopping criterion that
    streams finished completions to the reward, alternating, so load hits both alike."""
    import statistics

    import torch
    from cwmkit_plugins.trainers.overlap import _finished_watcher
    from transformers import AutoModelForCausalLM, StoppingCriteriaList

    lm = AutoModelForCausalLM.from_pretrained(model).eval()
    prompt = torch.randint(0, lm.config.vocab_size, (8, 60))
    eos = [lm.generation_config.eos_token_id]
    times: dict[str, list] = {"plain": [], "watched": []}
    for _ in range(rounds):
        for mode in ("plain", "watched"):
            extra = {"stopping_criteria": StoppingCriteriaList(
                [_finished_watcher(eos, lambda rows, tokens: None)])} if mode == "watched" \
                else {}
            torch.manual_seed(0)
            began = time.perf_counter()
            with torch.no_grad():
                lm.generate(prompt, max_new_tokens=120, min_new_tokens=120, do_sample=True,
                            **extra)
            times[mode].append(round(time.perf_counter() - began, 3))
    return {mode: {"seconds": values, "median": statistics.median(values)}
            for mode, values in times.items()}


def _mean(values) -> float:
    values = list(values)
    return sum(values) / len(values) if values else 0.0


def markdown(results: dict) -> str:
    lines = ["# Pipeline stages and the GRPO step", "",
             f"Machine: {results['machine']}. Command: `python benchmarks/pipeline_stages.py`.",
             ""]
    quick = results.get("quickstart")
    if quick:
        lines += ["## The quickstart, stage by stage", "",
                  f"`cwmkit run pipelines/quickstart.yaml` in a fresh run directory: "
                  f"{quick['wall_seconds']} s wall for the whole command (Python start-up "
                  "and imports included)"
                  + (f", load average {quick['load_average']} at its end" if
                     "load_average" in quick else "") + ".", "",
                  "| stage | seconds | result |", "| --- | ---: | --- |"]
        for name, stage in quick["stages"].items():
            lines.append(f"| {name} | {stage['seconds']:.1f} | {stage['line']} |")
        lines.append("")
    split = results.get("grpo")
    if split:
        lines += ["## One GRPO step, split", "",
                  "The tiny model (CPU) fine-tuned first to answer with a short "
                  "matching-pennies program (271 tokens), then GRPO with 2 prompts x 4 "
                  "completions of up to 300 tokens at temperature 0.7 per step, verified "
                  "with 2 sandbox workers. Mean seconds per "
                  "step (the first step, which includes warm-up, is left out when there are "
                  "more):", "",
                  "| reward | step | generation | reward wait | verification | "
                  "log-probabilities | optimisation | hidden |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for mode in ("overlapped", "plain"):
            steps = split[mode]["steps"]
            steps = steps[1:] if len(steps) > 1 else steps

            def mean(key, steps=steps):
                return _mean(s.get(f"time/{key}", 0.0) for s in steps)

            verification = mean("verification")
            hidden = 1 - mean("reward_wait") / verification if verification else 0.0
            lines.append(f"| {mode} | {mean('step'):.2f} | {mean('generation'):.2f} | "
                         f"{mean('reward_wait'):.2f} | {verification:.2f} | "
                         f"{mean('logprobs'):.2f} | {mean('optimisation'):.2f} | "
                         f"{max(0.0, hidden):.0%} |")
        watcher = split.get("watcher")
        loads = ", ".join(f"{mode} {split[mode]['load_average'][0]}-"
                          f"{split[mode]['load_average'][1]}" for mode in ("overlapped", "plain")
                          if "load_average" in split[mode])
        if loads:
            lines += ["", f"Load average (start-end) during each run: {loads}. The machine is "
                      "shared: every part of a step moves with the load, optimisation as much "
                      "as generation, so compare the rows by their shares, not their "
                      "seconds."]
        same = [st.get("reward") for st in split["overlapped"]["steps"]] == \
            [st.get("reward") for st in split["plain"]["steps"]]
        if same:
            lines += ["", "Both runs sample the same completions (same seeds): their rewards "
                      "are equal step by step, so the overlap changes when programs are "
                      "verified, never what the step learns from."]
        if watcher:
            lines += ["", "The stopping criterion that streams finished completions costs no "
                      "measurable generation time: 8 x 120 tokens take "
                      f"{watcher['plain']['median']:.2f} s without it and "
                      f"{watcher['watched']['median']:.2f} s with it (medians of "
                      f"{len(watcher['plain']['seconds'])} alternating rounds)."]
        lines += ["", "verification: wall seconds during which at least one program was "
                  "being verified; hidden: the share of it the step did not wait for. "
                  "Overlapped: each completion goes to the sandbox the moment it ends while "
                  "the batch still generates, the rest when generation returns, verified "
                  "while the old and reference log-probabilities are computed. Plain: the "
                  "reward verifies when TRL calls it, as TRL alone does.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-quickstart", action="store_true")
    parser.add_argument("--skip-grpo", action="store_true")
    parser.add_argument("--steps", type=int, default=3, help="GRPO steps per mode")
    args = parser.parse_args()
    results = {"machine": f"{platform.machine()}, {os.cpu_count()} CPUs, "
                          f"Python {platform.python_version()}, load average "
                          f"{os.getloadavg()[0]:.1f} at the start"}
    earlier = RESULTS / "pipeline.json"
    if earlier.is_file():  # a part that is skipped keeps its last measurement
        results = {**json.loads(earlier.read_text()), **results}
    if not args.skip_quickstart:
        results["quickstart"] = quickstart()
    if not args.skip_grpo:
        import transformers

        transformers.utils.logging.set_verbosity_error()
        results["grpo"] = grpo_split(args.steps)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "pipeline.json").write_text(json.dumps(results, indent=2) + "\n")
    (RESULTS / "pipeline.md").write_text(markdown(results))
    print(markdown(results))


if __name__ == "__main__":
    main()
