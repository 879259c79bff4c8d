"""Models cwmkit builds itself: ``tiny``, a small Qwen2-shaped model and tokenizer made
locally in seconds, so that training, generation and whole pipelines run on a CPU
without downloading anything (``cwmkit model tiny --out DIR``, ``model: tiny``)."""

from cwmkit.models.tiny import TINY, build_tiny_model, build_tokenizer, is_tiny_model

__all__ = ["TINY", "build_tiny_model", "build_tokenizer", "is_tiny_model"]
