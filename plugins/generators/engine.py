"""The ``vllm`` backend: vLLM's offline engine, for fast sampling on GPUs."""

from __future__ import annotations

import time

from cwmkit.core.errors import MissingExtraError
from cwmkit.generation import Completion, GenerationConfig, as_messages


class VllmGenerator:
    backend = "vllm"

    def __init__(self, config: GenerationConfig) -> None:
        try:
            import vllm
        except ImportError:
            raise MissingExtraError("vllm", "vllm", "the vllm generation backend") from None
        self.config = config
        self._vllm = vllm
        self.llm = vllm.LLM(model=config.model, dtype=config.dtype, seed=config.seed or 0)

    def generate(self, prompts: list) -> list[Completion]:
        c = self.config
        params = self._vllm.SamplingParams(n=c.n, temperature=c.temperature, top_p=c.top_p,
                                           max_tokens=c.max_new_tokens, seed=c.seed)
        began = time.perf_counter()
        results = self.llm.chat([as_messages(p) for p in prompts], params, use_tqdm=False)
        seconds = round(time.perf_counter() - began, 4)
        return [Completion(prompt=prompt, text=choice.text, backend=self.backend, model=c.model,
                           settings=c.sampling(), seconds=seconds, index=i,
                           finish_reason=choice.finish_reason)
                for prompt, result in zip(prompts, results, strict=True)
                for i, choice in enumerate(result.outputs)]


class VllmBackend:
    name = "vllm"
    description = "vLLM's offline engine (GPU; pip install 'cwmkit[vllm]')"

    def create(self, config: GenerationConfig) -> VllmGenerator:
        return VllmGenerator(config)
