"""The tiny model: a randomly initialised two-layer Qwen2 chat model and its tokenizer.

It exists so that every part of cwmkit that needs a language model (SFT, GRPO,
generation, ``cwmkit run``) works on a laptop CPU, offline, in seconds. It is not a model
that can write a GameCWM: with two layers of width 64 and a few training steps it scores
near zero, and says nothing about what a real model learns.

The tokenizer is a byte-level BPE trained on ``tiny_corpus.json.gz``: a frozen copy of the
specs and reference programs of twelve built-in games (board, card, dice and bidding
games), so that prompts and code tokenize compactly, with Qwen's special tokens and
ChatML template. The model is ``Qwen2ForCausalLM`` with its linear layers named like
Qwen's (``q_proj``, ``k_proj``, ``v_proj``, ``o_proj``, ``gate_proj``, ``up_proj``,
``down_proj``). The corpus is frozen so that the tiny model is the same files on every
machine, whatever games are installed or however they change (seeded weights);
``cwmkit_tiny.json`` records the builder's version and the hash of the corpus.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

__all__ = ["LINEAR_MODULES", "MARKER", "TINY", "VERSION", "build_tiny_model",
           "build_tokenizer", "corpus", "corpus_sha256", "is_tiny_model"]

TINY = "tiny"
VERSION = 1
MARKER = "cwmkit_tiny.json"
CORPUS = "tiny_corpus.json.gz"
LINEAR_MODULES = ("q_proj", "k_proj", "v_proj", "o_proj", "gate_proj", "up_proj", "down_proj")

# Qwen2.5's own special tokens and the ChatML template it uses, without its default
# system prompt: prompts stay short and a caller sees exactly the messages it wrote.
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)
VOCAB_SIZE = 2048
SHAPE = {"hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
         "num_attention_heads": 4, "num_key_value_heads": 2}


def corpus() -> list[str]:
    """The texts the tokenizer learns from (the frozen corpus), in a fixed order."""
    import gzip

    texts = json.loads(gzip.decompress((Path(__file__).parent / CORPUS).read_bytes()))
    return [texts[name] for name in sorted(texts)]


def corpus_sha256(texts: list[str] | None = None) -> str:
    digest = hashlib.sha256()
    for text in corpus() if texts is None else texts:
        digest.update(text.encode("utf-8"))
        digest.update(b"\0")
    return digest.hexdigest()


def _require():
    from cwmkit.core.errors import MissingExtraError

    for module in ("torch", "transformers", "tokenizers"):
        try:
            __import__(module)
        except ImportError:
            raise MissingExtraError(module, "train", "the tiny model") from None


def build_tokenizer(texts: list[str] | None = None):
    """The tiny model's tokenizer (a ``PreTrainedTokenizerFast``), trained on ``texts``
    (default: :func:`corpus`)."""
    _require()
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, special_tokens=SPECIAL_TOKENS, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    core.train_from_iterator(corpus() if texts is None else texts, trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, eos_token="<|im_end|>", pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>"], model_max_length=32768)
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def build_tiny_model(path, *, texts: list[str] | None = None) -> str:
    """Write the tiny model and its tokenizer to the folder ``path``; return ``str(path)``.

    The files are written to a sibling temporary folder and renamed into place, so a
    folder that exists is complete.
    """
    _require()
    import os
    import shutil

    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    from cwmkit.core.errors import ConfigError

    path = Path(path)
    if path.exists() and not (path.is_dir() and not any(path.iterdir())):
        raise ConfigError(f"{path} already exists", hint="give a new folder, or remove it")
    texts = corpus() if texts is None else texts
    tokenizer = build_tokenizer(texts)
    config = Qwen2Config(
        vocab_size=len(tokenizer), **SHAPE, max_position_embeddings=16384,
        tie_word_embeddings=True, initializer_range=0.2,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None)
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(0)
        model = Qwen2ForCausalLM(config)
    model.generation_config = GenerationConfig(
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    staging = path.with_name(f".{path.name}.partial-{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    model.save_pretrained(staging)
    tokenizer.save_pretrained(staging)
    (staging / MARKER).write_text(json.dumps(
        {"model": TINY, "version": VERSION, "corpus_sha256": corpus_sha256(texts),
         "parameters": sum(p.numel() for p in model.parameters()), **SHAPE},
        indent=2) + "\n")
    if path.is_dir():
        path.rmdir()
    path.parent.mkdir(parents=True, exist_ok=True)
    os.replace(staging, path)
    return str(path)


def is_tiny_model(path) -> bool:
    """Whether the folder ``path`` holds a tiny model cwmkit built."""
    return (Path(path) / MARKER).is_file()
