"""The ``vllm`` backend: vLLM's offline engine, for fast sampling on GPUs (LoRA too).

vLLM is imported only when a generator is created; its settings are checked without it.
"""

from __future__ import annotations

import time
from pathlib import Path

from attrs import field, frozen

from cwmkit.core.config import ConfigBase, choice, flag, help_, number
from cwmkit.core.errors import ConfigError, MissingExtraError
from cwmkit.generation import DTYPES, Completion, GenerationConfig, as_messages


@frozen
class VllmSettings(ConfigBase):
    """Settings of the ``vllm`` backend (vLLM's ``LLM`` engine arguments)."""

    section = "vllm"

    tensor_parallel_size: int = field(default=1, validator=number(int, minimum=1),
                                      metadata=help_("GPUs one model is split over"))
    gpu_memory_utilization: float = field(
        default=0.9, validator=number(above=0, maximum=1),
        metadata=help_("share of each GPU's memory vLLM may take (weights and KV cache)"))
    max_model_len: int | None = field(
        default=None, validator=number(int, minimum=16, optional=True),
        metadata=help_("context length: prompt plus completion tokens (null: the model's)"))
    dtype: str = field(default="auto", validator=choice(*DTYPES),
                       metadata=help_("weights dtype: auto, bfloat16, float16 or float32"))
    max_lora_rank: int = field(default=16, validator=number(int, minimum=1),
                               metadata=help_("largest LoRA rank the engine accepts (with "
                                              "an adapter)"))
    enforce_eager: bool = field(default=False, validator=flag,
                                metadata=help_("skip CUDA graphs (starts faster, runs slower)"))
    enable_prefix_caching: bool = field(default=True, validator=flag,
                                        metadata=help_("reuse the KV cache of a shared prompt "
                                                       "across its samples"))


def _settings(config: GenerationConfig) -> VllmSettings:
    options = config.options
    return options if isinstance(options, VllmSettings) else VllmSettings.from_dict(options)


def engine_arguments(config: GenerationConfig) -> dict:
    """The keyword arguments of ``vllm.LLM`` for ``config``."""
    s = _settings(config)
    kwargs = {"model": config.model, "dtype": s.dtype, "seed": config.seed or 0,
              "tensor_parallel_size": s.tensor_parallel_size,
              "gpu_memory_utilization": s.gpu_memory_utilization,
              "enforce_eager": s.enforce_eager, "enable_prefix_caching": s.enable_prefix_caching}
    if s.max_model_len is not None:
        kwargs["max_model_len"] = s.max_model_len
    if config.adapter is not None:
        kwargs.update(enable_lora=True, max_lora_rank=s.max_lora_rank)
    return kwargs


class VllmGenerator:
    backend = "vllm"

    def __init__(self, config: GenerationConfig) -> None:
        try:
            import vllm
        except ImportError:
            raise MissingExtraError("vllm", "vllm", "the vllm generation backend") from None
        self.config = config
        self._vllm = vllm
        self.llm = vllm.LLM(**engine_arguments(config))
        self.lora = None
        if config.adapter is not None:
            from vllm.lora.request import LoRARequest

            self.lora = LoRARequest("adapter", 1, str(config.adapter))

    def generate(self, prompts: list, *, seed: int | None = None) -> list[Completion]:
        c = self.config
        params = self._vllm.SamplingParams(n=c.n, temperature=c.temperature, top_p=c.top_p,
                                           max_tokens=c.max_new_tokens,
                                           seed=c.seed if seed is None else seed)
        began = time.perf_counter()
        results = self.llm.chat([as_messages(p) for p in prompts], params, use_tqdm=False,
                                lora_request=self.lora)
        seconds = round(time.perf_counter() - began, 4)
        return [Completion(prompt=prompt, text=choice.text, backend=self.backend, model=c.model,
                           settings=c.sampling(), seconds=seconds, index=i,
                           finish_reason=choice.finish_reason)
                for prompt, result in zip(prompts, results, strict=True)
                for i, choice in enumerate(result.outputs)]


class VllmBackend:
    name = "vllm"
    description = "vLLM's offline engine (GPU; pip install 'cwmkit[vllm]')"
    settings_class = VllmSettings

    def check(self, config: GenerationConfig) -> None:
        if config.adapter is None:
            return
        adapter = Path(config.adapter) / "adapter_config.json"
        if not adapter.is_file():
            raise ConfigError(f"generation.adapter {config.adapter!r} holds no LoRA adapter",
                              hint="give the 'adapter' folder of an SFT or GRPO run")
        import json

        rank = json.loads(adapter.read_text("utf-8")).get("r")
        if isinstance(rank, int) and rank > _settings(config).max_lora_rank:
            raise ConfigError(f"vllm.max_lora_rank is {_settings(config).max_lora_rank} but "
                              f"the adapter's rank is {rank}",
                              hint=f"set max_lora_rank: {rank} or more")

    def create(self, config: GenerationConfig) -> VllmGenerator:
        return VllmGenerator(config)
