"""GRPO with the verifier as the reward: TRL's GRPOTrainer on a LoRA adapter.

Each prompt asks for a game's GameCWM; each completion's program is verified in the
sandbox against that game and the report, shaped by a reward shaper plugin, is the reward.
The reward is async and prefetched (:mod:`cwmkit_plugins.trainers.overlap`): verification
runs while the next group generates. With ``curriculum`` the run trains in stages on the
cumulative tiers (tier 1, then tiers 1-2, ...), each stage continuing the previous
stage's adapter. The reward's own metrics (per-tier means, status counts) and the step's
time split are merged into every training log.
"""

from __future__ import annotations

import json
from pathlib import Path

from cwmkit_plugins.trainers.config import GRPOConfig
from cwmkit_plugins.trainers.overlap import overlapped_trainer, timing_callback
from cwmkit_plugins.trainers.sft import check_settings, use_callbacks

from cwmkit.core.errors import ConfigError, MissingExtraError, UnknownNameError
from cwmkit.rewards import merge_tallies, tally_metrics
from cwmkit.training import (
    check_target_modules,
    load_dataset_columns,
    load_model,
    load_tokenizer,
    log_callback,
    note,
    require_train_extra,
    resume_point,
    trim_log,
    write_model_card,
)
from cwmkit.training.distributed import gather_objects, is_main_process

__all__ = ["GRPOTrainer", "plan_stages", "reward_metrics_callback", "trl_args"]


def reward_metrics_callback(reward):
    """A TrainerCallback that adds the reward's metrics to each training log: those of
    every process of the run (each verifies its own completions), added up."""
    from transformers import TrainerCallback

    class RewardMetrics(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            # Every process logs at the same steps, so every one takes part in the gather.
            metrics = tally_metrics(merge_tallies(gather_objects(reward.pop_tallies())))
            if logs is None or not metrics:
                return
            logs.update(metrics)
            # The trainer files its record in log_history before the callbacks see it.
            if state.log_history and state.log_history[-1].get("step") == state.global_step:
                state.log_history[-1].update(metrics)

    return RewardMetrics()


def _game_tiers(data, column: str) -> dict[str, int | None]:
    from cwmkit.core.plugins import get_host

    host = get_host()
    games = set(data[column])
    for game in games:
        if not isinstance(game, str):
            raise ConfigError(f"grpo.dataset: the '{column}' column holds {game!r}, not a "
                              "game id", hint="give each row a registered game id")
    tiers = {}
    for game in sorted(games):
        try:
            tiers[game] = host.get("games", game).spec.tier
        except UnknownNameError as exc:
            raise ConfigError(f"grpo.dataset: {exc.message}", hint=exc.hint) from None
    return tiers


def plan_stages(config: GRPOConfig, tiers: dict[str, int | None]) -> list[tuple[str, list]]:
    """The run's stages: (name, games trained on); one stage without a curriculum."""
    if not config.curriculum:
        return [("all", sorted(tiers))]
    untiered = sorted(g for g, t in tiers.items() if t is None)
    if untiered:
        raise ConfigError(f"grpo.curriculum: the games {', '.join(untiered)} have no tier "
                          "(eval games)", hint="leave them out of the dataset, or set "
                                               "curriculum: false")
    stage_tiers = config.curriculum_tiers or tuple(sorted(set(tiers.values())))
    stages = []
    for top in stage_tiers:
        games = sorted(g for g, t in tiers.items() if t <= top)
        if not games:
            raise ConfigError(f"grpo.curriculum_tiers: no game of the dataset has tier "
                              f"{top} or lower", hint="tiers in the dataset: " + ", ".join(
                                  map(str, sorted(set(tiers.values())))))
        stages.append((f"tier-{top}", games))
    return stages


def _prompt_length(tokenizer, prompt) -> int:
    if isinstance(prompt, str):
        return len(tokenizer(prompt).input_ids)
    return len(tokenizer.apply_chat_template(prompt, add_generation_prompt=True,
                                             tokenize=True, return_dict=False))


def keep_short_prompts(data, tokenizer, limit: int):
    """The rows whose prompt fits in ``limit`` tokens: a game spec cut short would ask
    for a different game, so long prompts are left out rather than truncated."""
    keep = [i for i, p in enumerate(data["prompt"]) if _prompt_length(tokenizer, p) <= limit]
    if not keep:
        raise ConfigError(f"grpo: every prompt is longer than max_prompt_length ({limit} "
                          "tokens)", hint="raise max_prompt_length")
    if len(keep) < len(data):
        note(f"left out {len(data) - len(keep)} of {len(data)} prompts longer than "
             f"{limit} tokens")
    return data.select(keep)


def _start_model(config: GRPOConfig, finished: Path | None):
    """The model a stage trains and the LoRA config to add (None: it has its adapter).

    ``finished`` is the adapter of the last stage an earlier run finished: it already
    holds whatever the SFT adapter contributed, except what was merged into the base.
    """
    from peft import PeftModel

    model = load_model(config.model, config)
    if config.sft_adapter is not None and config.sft_adapter_mode == "merge":
        note(f"merging the SFT adapter {config.sft_adapter} into the base model")
        model = PeftModel.from_pretrained(model, config.sft_adapter).merge_and_unload()
    if finished is not None:
        return PeftModel.from_pretrained(model, str(finished), is_trainable=True), None
    if config.sft_adapter is not None and config.sft_adapter_mode == "continue":
        note(f"continuing to train the SFT adapter {config.sft_adapter}")
        return PeftModel.from_pretrained(model, config.sft_adapter, is_trainable=True), None
    check_target_modules(config, model)
    return model, config.lora()


def _check_vllm(config: GRPOConfig) -> None:
    if not config.use_vllm:
        return
    try:
        import vllm  # noqa: F401
    except ImportError:
        raise MissingExtraError("vllm", "vllm", "grpo with use_vllm") from None
    if not config.on_gpu():
        raise ConfigError("grpo.use_vllm needs a GPU and none is visible",
                          hint="set use_vllm: false to generate with transformers")


def trl_args(config: GRPOConfig, out: Path):
    """TRL's GRPOConfig for one stage of the run."""
    from trl import GRPOConfig as TRLGRPOConfig

    vllm = {}
    if config.use_vllm:
        vllm = {"vllm_mode": config.vllm_mode,
                "vllm_gpu_memory_utilization": config.vllm_gpu_memory_utilization,
                "vllm_max_model_length": config.max_prompt_length
                + config.max_completion_length}
        if config.vllm_server_base_url:
            vllm["vllm_server_base_url"] = config.vllm_server_base_url
    return config.trl_config(
        TRLGRPOConfig, out, num_generations=config.num_generations, beta=config.beta,
        temperature=config.temperature, max_completion_length=config.max_completion_length,
        use_vllm=config.use_vllm, log_completions=config.log_completions, **vllm)


class GRPOTrainer:
    """The ``grpo`` trainer."""

    name = "grpo"
    description = "GRPO with the sandboxed verifier as the reward, on a LoRA adapter (TRL)"
    config_class = GRPOConfig

    def check(self, config, *, environment: bool = True) -> GRPOConfig:
        """Every setting, TRL's included, checked without loading a model; with
        ``environment`` also that this machine can run it (vLLM installed, a GPU)."""
        if not isinstance(config, GRPOConfig):
            config = GRPOConfig.from_dict(config)
        if config.sft_adapter and not (Path(config.sft_adapter) / "adapter_config.json"
                                       ).is_file():
            raise ConfigError(f"grpo.sft_adapter {config.sft_adapter!r} holds no LoRA "
                              "adapter", hint="give the 'adapter' folder of an SFT run")
        require_train_extra("cwmkit train grpo")
        if environment:
            _check_vllm(config)
        check_settings(config, lambda out: trl_args(config, out),
                       lora=config.sft_adapter is None or config.sft_adapter_mode == "merge")
        return config

    def train(self, config, run_dir, *, callbacks=None) -> dict:
        """Train; returns the adapter path, the stages and the logs. ``callbacks``
        (TrainerCallbacks) replace the default progress printer when given."""
        from cwmkit.rewards import AsyncVerifierReward, make_shaper

        config = self.check(config)
        run_dir = Path(run_dir)
        # The reward starts its sandbox now, while this process is still small.
        with AsyncVerifierReward(make_shaper(config.shaper, config.reward),
                                 settings=config.verify, game_column=config.game_column,
                                 timeouts_dir=run_dir / "timeouts") as reward:
            run_dir.mkdir(parents=True, exist_ok=True)
            if is_main_process():  # under accelerate launch, the main process writes
                (run_dir / "train_config.json").write_text(
                    json.dumps({"trainer": self.name, **config.to_dict()}, indent=2) + "\n")
            columns = ("prompt", config.game_column)
            # Only these reach the reward: an SFT dataset's answers must not ride along.
            data = load_dataset_columns(config.dataset, columns, section="grpo").select_columns(
                columns)
            stages = plan_stages(config, _game_tiers(data, config.game_column))
            tokenizer = load_tokenizer(config.model)
            data = keep_short_prompts(data, tokenizer, config.max_prompt_length)
            result = self._run(config, run_dir, data, stages, tokenizer, reward,
                               callbacks)
        if is_main_process():
            write_model_card(Path(result["adapter"]), trainer=self.name, config=config,
                             result=result)
            write_model_card(run_dir, trainer=self.name, config=config, result=result)
        return result

    def _run(self, config, run_dir, data, stages, tokenizer, reward, callbacks) -> dict:
        model, lora = None, None
        finished: Path | None = None
        results = []
        history = []
        resume = config.resume_from_checkpoint
        for index, (label, games) in enumerate(stages, 1):
            out = run_dir if len(stages) == 1 else run_dir / f"stage-{index}-{label}"
            adapter = out / "adapter"
            if len(stages) > 1 and resume is not False and \
                    (adapter / "adapter_config.json").is_file():
                note(f"stage {index} ({label}) finished earlier: {adapter}")
                finished = adapter
                results.append({"stage": label, "games": games, "adapter": str(adapter)})
                continue
            if model is None:
                model, lora = _start_model(config, finished)
            rows = data.select([i for i, game in enumerate(data[config.game_column])
                                if game in games])
            note(f"stage {index}/{len(stages)} ({label}): {len(rows)} prompts of "
                 f"{len(games)} games")
            point = resume_point(out, resume)
            step = int(Path(point).name.rpartition("-")[2]) if point else 0
            if is_main_process():
                trim_log(run_dir / "log.jsonl", step, stage=label)
            trainer = self._trainer(config, out, model, lora, rows, tokenizer, reward,
                                    log=run_dir / "log.jsonl", label=label,
                                    callbacks=callbacks)
            trainer.train(resume_from_checkpoint=point)
            trainer.save_model(str(adapter))  # every process: sharded weights are gathered
            if is_main_process():
                tokenizer.save_pretrained(str(adapter))
            model, lora = trainer.model, None
            resume = False if len(stages) > 1 else resume
            history.extend({"stage": label, **entry} for entry in trainer.state.log_history)
            results.append({"stage": label, "games": games, "adapter": str(adapter),
                            "global_step": trainer.state.global_step})
        return {"trainer": self.name, "run_dir": str(run_dir),
                "adapter": results[-1]["adapter"],
                "global_step": results[-1].get("global_step"), "stages": results,
                "log": str(run_dir / "log.jsonl"), "log_history": history}

    def _trainer(self, config, out, model, lora, rows, tokenizer, reward, *, log, label,
                 callbacks=None):
        cls = overlapped_trainer(reward, game_column=config.game_column,
                                 overlap=config.reward_overlap)
        timing = timing_callback(reward)
        trainer = cls(model=model, reward_funcs=[reward], args=trl_args(config, out),
                      train_dataset=rows, processing_class=tokenizer, peft_config=lora)
        timing.trainer = trainer
        # First in line, so that every reporter after it (the progress printer, trackers,
        # the JSONL log) sees the reward metrics and the timing in the same record.
        first = [reward_metrics_callback(reward), timing]
        from cwmkit.evaluation.heldout import HeldoutSettings, heldout_callback

        heldout = HeldoutSettings.from_dict(config.heldout)
        if heldout.enabled:  # held-out numbers beside the reward, in the same record
            first.append(heldout_callback(heldout))
        trainer.callback_handler.callbacks[:0] = first
        trainer.add_callback(log_callback(log, stage=label))
        use_callbacks(trainer, callbacks)
        return trainer
