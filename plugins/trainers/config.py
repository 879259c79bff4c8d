"""The typed configs of the built-in trainers, with the reference study's defaults."""

from __future__ import annotations

from attrs import field, frozen

from cwmkit.core.config import (
    as_tuple,
    choice,
    flag,
    help_,
    mapping,
    number,
    targets,
    text,
)
from cwmkit.core.errors import ConfigError
from cwmkit.training import TrainConfig

__all__ = ["GRPOConfig", "SFTConfig"]

_DATASET_FIX = {
    "sft": "set sft.dataset to a save_to_disk folder or a .jsonl file with 'prompt' and "
           "'completion' columns (chat message lists or strings)",
    "grpo": "set grpo.dataset to a save_to_disk folder or a .jsonl file with a 'prompt' "
            "column (chat messages) and a 'game' column (registered game ids)",
}


def _need_dataset(config: TrainConfig) -> None:
    if config.dataset is None:
        raise ConfigError(f"{config.section}.dataset is not set",
                          hint=_DATASET_FIX[config.section])


@frozen(kw_only=True)
class SFTConfig(TrainConfig):
    """Supervised fine-tuning with LoRA on prompt-completion records; the loss covers the
    completion only. Defaults: the reference study's SFT stage."""

    section = "sft"

    num_train_epochs: float = field(default=2.0, validator=number(above=0),
                                    metadata=help_("passes over the dataset"))
    max_length: int = field(default=6000, validator=number(int, minimum=16),
                            metadata=help_("tokens of prompt plus completion; longer "
                                           "records are truncated"))
    completion_only_loss: bool = field(default=True, validator=flag,
                                       metadata=help_("train on the completion tokens only "
                                                      "(false: on the prompt too)"))
    packing: bool = field(default=False, validator=flag,
                          metadata=help_("pack several records into one sequence"))

    def __attrs_post_init__(self) -> None:
        _need_dataset(self)


def _tiers(instance, attribute, value):
    if value is None:
        return
    if not isinstance(value, tuple) or not value or not all(
            type(t) is int and t >= 1 for t in value) or list(value) != sorted(set(value)):
        raise ConfigError(f"grpo.{attribute.name} must be increasing tier numbers such as "
                          f"[1, 2, 3], got {list(value) if isinstance(value, tuple) else value!r}",
                          hint=attribute.metadata.get("help"))


@frozen(kw_only=True)
class GRPOConfig(TrainConfig):
    """RL with verifiable rewards: GRPO whose reward is the verifier's judgement of the
    generated GameCWM. Defaults: the reference study's RL stage."""

    section = "grpo"

    learning_rate: float = field(default=2e-5, validator=number(above=0),
                                 metadata=help_("peak learning rate of the LoRA weights"))
    per_device_train_batch_size: int = field(
        default=8, validator=number(int, minimum=1),
        metadata=help_("completions per device per micro-batch"))
    gradient_accumulation_steps: int = field(
        default=4, validator=number(int, minimum=1),
        metadata=help_("micro-batches per optimizer step; batch size x accumulation "
                       "completions are generated at once"))
    lora_alpha: int = field(default=64, validator=number(int, minimum=1),
                            metadata=help_("LoRA scaling numerator (scale = alpha / r)"))
    lora_target_modules: tuple[str, ...] | str = field(
        default="all-linear", converter=as_tuple,
        validator=targets,
        metadata=help_("modules that get LoRA adapters: a list of names, or 'all-linear'"))
    num_generations: int = field(default=8, validator=number(int, minimum=2),
                                 metadata=help_("completions per prompt (the GRPO group)"))
    beta: float = field(default=0.1, validator=number(minimum=0),
                        metadata=help_("weight of the KL penalty to the reference model"))
    temperature: float = field(default=0.6, validator=number(above=0),
                               metadata=help_("sampling temperature of the completions"))
    max_prompt_length: int = field(default=4096, validator=number(int, minimum=1),
                                   metadata=help_("prompts longer than this many tokens are "
                                                  "left out of training"))
    max_completion_length: int = field(default=4096, validator=number(int, minimum=1),
                                       metadata=help_("tokens generated per completion"))
    shaper: str = field(default="cwmkit", validator=text(),
                        metadata=help_("reward shaper turning a verification report into "
                                       "the reward (see 'cwmkit plugins')"))
    reward: dict = field(factory=dict, validator=mapping,
                         metadata=help_("the shaper's own settings, e.g. {dynamics_gate: "
                                        "0.3, weights: {differential: 0.4}} (cwmkit)"))
    reward_overlap: bool = field(
        default=True, validator=flag,
        metadata=help_("verify each completion the moment it ends, while the rest of the "
                       "batch generates (transformers), hiding reward time"))
    verify: dict = field(factory=dict, validator=mapping,
                         metadata=help_("verify settings of the reward's verifier, e.g. "
                                        "{playouts: 16, workers: 4}"))
    game_column: str = field(default="game", validator=text(),
                             metadata=help_("dataset column naming each prompt's game"))
    curriculum: bool = field(default=False, validator=flag,
                             metadata=help_("train tier by tier on the cumulative games: "
                                            "tier 1, then tiers 1-2, ..., each stage "
                                            "continuing from the last"))
    curriculum_tiers: tuple[int, ...] | None = field(
        default=None, converter=as_tuple, validator=_tiers,
        metadata=help_("the stages' highest tiers (null: every tier in the dataset)"))
    sft_adapter: str | None = field(default=None, validator=text(optional=True),
                                    metadata=help_("LoRA adapter of an SFT run to start from"))
    sft_adapter_mode: str = field(
        default="merge", validator=choice("merge", "continue"),
        metadata=help_("merge: fold the SFT adapter into the base (it becomes the KL "
                       "reference) and train a new adapter; continue: train the SFT "
                       "adapter itself (the KL reference is the bare base model)"))
    use_vllm: bool = field(default=False, validator=flag,
                           metadata=help_("generate with vLLM (GPU only)"))
    vllm_mode: str = field(default="colocate", validator=choice("colocate", "server"),
                           metadata=help_("colocate: vLLM shares the trainer's GPUs; server: "
                                          "a separate 'trl vllm-serve' process"))
    vllm_server_base_url: str | None = field(
        default=None, validator=text(optional=True),
        metadata=help_("URL of the vLLM server (server mode), e.g. http://host:8000"))
    vllm_gpu_memory_utilization: float = field(
        default=0.3, validator=number(above=0, maximum=1),
        metadata=help_("GPU memory share vLLM may take in colocate mode"))
    log_completions: bool = field(default=False, validator=flag,
                                  metadata=help_("print sample completions at each log"))
    heldout: dict = field(factory=dict, validator=mapping,
                          metadata=help_("evaluate on held-out games during training, logged "
                                         "beside the reward, e.g. {every: 50, samples: 2} "
                                         "(docs/evaluation.md)"))

    def __attrs_post_init__(self) -> None:
        from cwmkit.rewards import make_shaper
        from cwmkit.verify.settings import VerifySettings

        _need_dataset(self)
        VerifySettings.from_dict(self.verify)
        from cwmkit.evaluation.heldout import HeldoutSettings

        HeldoutSettings.from_dict(self.heldout)
        try:
            make_shaper(self.shaper, self.reward)
        except ConfigError as exc:
            if not self.reward:
                raise
            raise ConfigError(f"grpo.reward: {exc.message}", hint=exc.hint) from None
        from cwmkit.training.distributed import process_count

        # TRL generates per_device x accumulation completions on each process: the groups
        # of a multi-process run may straddle processes, so the whole batch counts.
        processes = process_count()
        batch = self.per_device_train_batch_size * self.gradient_accumulation_steps * processes
        if batch % self.num_generations:
            across = f" x {processes} processes" if processes > 1 else ""
            raise ConfigError(
                f"grpo: per_device_train_batch_size x gradient_accumulation_steps{across} "
                f"({self.per_device_train_batch_size} x {self.gradient_accumulation_steps}"
                f"{f' x {processes}' if processes > 1 else ''} = {batch}) must be a "
                f"multiple of num_generations ({self.num_generations})",
                hint="every prompt's group of completions must fit in one generation batch: "
                     f"e.g. per_device_train_batch_size: {self.num_generations}")
        if self.curriculum_tiers is not None and not self.curriculum:
            raise ConfigError("grpo.curriculum_tiers is set but grpo.curriculum is false",
                              hint="set curriculum: true, or drop curriculum_tiers")
        if self.use_vllm and self.device == "cpu":
            raise ConfigError("grpo.use_vllm needs a GPU but grpo.device is 'cpu'",
                              hint="set use_vllm: false to generate with transformers")
        if self.vllm_server_base_url is not None and self.vllm_mode != "server":
            raise ConfigError("grpo.vllm_server_base_url is set but vllm_mode is "
                              f"'{self.vllm_mode}'", hint="set vllm_mode: server")
