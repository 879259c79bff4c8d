"""The ``transformers`` backend: batched sampling with a local causal LM, CPU or GPU."""

from __future__ import annotations

import time

from cwmkit.core.errors import MissingExtraError
from cwmkit.generation import Completion, GenerationConfig, GenerationError, as_messages


def _import():
    try:
        import torch
        import transformers
    except ImportError as exc:
        raise MissingExtraError(exc.name or "transformers", "train",
                                "the transformers generation backend") from None
    return torch, transformers


class TransformersGenerator:
    """A model and tokenizer loaded once; ``generate`` samples in batches of
    ``config.batch_size`` prompts with left padding and the tokenizer's chat template."""

    backend = "transformers"

    def __init__(self, config: GenerationConfig, *, model=None, tokenizer=None) -> None:
        torch, transformers = _import()
        self.config = config
        try:
            self.tokenizer = tokenizer if tokenizer is not None else \
                transformers.AutoTokenizer.from_pretrained(config.model)
            self.model = model if model is not None else \
                transformers.AutoModelForCausalLM.from_pretrained(
                    config.model, dtype="auto" if config.dtype == "auto"
                    else getattr(torch, config.dtype))
        except OSError as exc:
            raise GenerationError(f"cannot load model '{config.model}': {exc}",
                                  hint="give a local model folder or a hub id this machine "
                                       "can download") from None
        if model is None and torch.cuda.is_available():
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

    def generate(self, prompts: list) -> list[Completion]:
        torch, transformers = _import()
        c = self.config
        out: list[Completion] = []
        for start in range(0, len(prompts), c.batch_size):
            batch = prompts[start:start + c.batch_size]
            if c.seed is not None:
                transformers.set_seed(c.seed + start)
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


class TransformersBackend:
    name = "transformers"
    description = "batched sampling with a local transformers model (CPU or GPU)"

    def create(self, config: GenerationConfig) -> TransformersGenerator:
        return TransformersGenerator(config)
