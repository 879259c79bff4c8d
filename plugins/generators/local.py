"""The ``transformers`` backend: batched sampling with a local causal LM, CPU or GPU,
with or without a LoRA adapter."""

from __future__ import annotations

import time

from attrs import field, frozen

from cwmkit.core.config import ConfigBase, choice, help_, number
from cwmkit.core.errors import MissingExtraError
from cwmkit.generation import DTYPES, Completion, GenerationConfig, GenerationError, as_messages


@frozen
class TransformersSettings(ConfigBase):
    """Settings of the ``transformers`` backend."""

    section = "transformers"

    batch_size: int = field(default=8, validator=number(int, minimum=1),
                            metadata=help_("prompts per forward batch"))
    dtype: str = field(default="auto", validator=choice(*DTYPES),
                       metadata=help_("weights dtype: auto, bfloat16, float16 or float32"))
    device: str = field(default="auto", validator=choice("auto", "cpu", "cuda"),
                        metadata=help_("auto: the GPU if there is one, else the CPU"))


def _import():
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise MissingExtraError(exc.name or "transformers", "train",
                                "the transformers generation backend") from None
    return torch, transformers


def _settings(config: GenerationConfig) -> TransformersSettings:
    options = config.options
    return options if isinstance(options, TransformersSettings) else \
        TransformersSettings.from_dict(options)


class TransformersGenerator:
    """A model (and adapter) and tokenizer loaded once; ``generate`` samples in batches of
    ``batch_size`` prompts with left padding and the tokenizer's chat template."""

    backend = "transformers"

    def __init__(self, config: GenerationConfig, *, model=None, tokenizer=None) -> None:
        torch, transformers = _import()
        self.config = config
        self.settings = settings = _settings(config)
        try:
            self.tokenizer = tokenizer if tokenizer is not None else \
                transformers.AutoTokenizer.from_pretrained(config.model)
            self.model = model if model is not None else \
                transformers.AutoModelForCausalLM.from_pretrained(
                    config.model, dtype="auto" if settings.dtype == "auto"
                    else getattr(torch, settings.dtype))
        except OSError as exc:
            raise GenerationError(f"cannot load model '{config.model}': {exc}",
                                  hint="give a local model folder, 'tiny' in a pipeline, or "
                                       "a hub id this machine can download") from None
        if config.adapter is not None and model is None:
            self.model = _with_adapter(self.model, config.adapter)
        gpu = settings.device == "cuda" or (settings.device == "auto"
                                             and torch.cuda.is_available())
        if model is None and gpu:
            self.model.to("cuda")
        self.model.eval()
        # Decoder-only models continue the last token: pad on the left so every prompt
        # ends right where generation starts.
        self.tokenizer.padding_side = "left"
        if self.tokenizer.pad_token is None:
            self.tokenizer.pad_token = self.tokenizer.eos_token

    def _render(self, prompt) -> str:
        return self.tokenizer.apply_chat_template(as_messages(prompt), tokenize=False,
                                                  add_generation_prompt=True)

    def generate(self, prompts: list, *, seed: int | None = None) -> list[Completion]:
        torch, transformers = _import()
        c = self.config
        seed = c.seed if seed is None else seed
        out: list[Completion] = []
        size = self.settings.batch_size
        for start in range(0, len(prompts), size):
            batch = prompts[start:start + size]
            if seed is not None:
                transformers.set_seed(seed + start)
            inputs = self.tokenizer([self._render(p) for p in batch], return_tensors="pt",
                                    padding=True, add_special_tokens=False).to(self.model.device)
            sample = c.temperature > 0
            kwargs = {"temperature": c.temperature, "top_p": c.top_p} if sample else {}
            began = time.perf_counter()
            with torch.inference_mode():
                ids = self.model.generate(**inputs, do_sample=sample,
                                          max_new_tokens=c.max_new_tokens,
                                          num_return_sequences=c.n,
                                          pad_token_id=self.tokenizer.pad_token_id, **kwargs)
            seconds = time.perf_counter() - began
            new = ids[:, inputs["input_ids"].shape[1]:]
            eos = self.tokenizer.eos_token_id
            for row, tokens in enumerate(new):
                finished = eos is not None and bool((tokens == eos).any())
                out.append(Completion(
                    prompt=batch[row // c.n],
                    text=self.tokenizer.decode(tokens, skip_special_tokens=True),
                    backend=self.backend, model=c.model, settings=c.sampling(),
                    seconds=round(seconds, 4), index=row % c.n,
                    finish_reason="stop" if finished else "length"))
        return out


def _with_adapter(model, adapter: str):
    """``model`` with the LoRA adapter folded in (generation runs at the base's speed)."""
    try:
        from peft import PeftModel
    except ImportError:
        raise MissingExtraError("peft", "train", "generating with a LoRA adapter") from None
    try:
        return PeftModel.from_pretrained(model, adapter).merge_and_unload()
    except (OSError, ValueError) as exc:
        raise GenerationError(f"cannot load the LoRA adapter '{adapter}': {exc}",
                              hint="give the 'adapter' folder of an SFT or GRPO run") from None


class TransformersBackend:
    name = "transformers"
    description = "batched sampling with a local transformers model (CPU or GPU)"
    settings_class = TransformersSettings

    def check(self, config: GenerationConfig) -> None:
        from pathlib import Path

        from cwmkit.core.errors import ConfigError

        if config.adapter is not None and not (Path(config.adapter)
                                               / "adapter_config.json").is_file():
            raise ConfigError(f"generation.adapter {config.adapter!r} holds no LoRA adapter",
                              hint="give the 'adapter' folder of an SFT or GRPO run")

    def create(self, config: GenerationConfig) -> TransformersGenerator:
        return TransformersGenerator(config)
