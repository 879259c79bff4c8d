"""A tiny Qwen2 chat model built locally, for training and generation tests on CPU.

No hub access is needed: the tokenizer is a byte-level BPE trained on the text of the
built-in game specs and reference programs (so prompts and code tokenize compactly), with
Qwen's special tokens and chat template; the model is a randomly initialised two-layer
``Qwen2ForCausalLM``. The same call gives the same files (seeded).
"""

from __future__ import annotations

from pathlib import Path

GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"

# Qwen2.5's own special tokens and the ChatML template it uses, without its default
# system prompt: prompts stay short and a test sees exactly the messages it wrote.
SPECIAL_TOKENS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
CHAT_TEMPLATE = (
    "{%- for message in messages %}"
    "{{- '<|im_start|>' + message['role'] + '\\n' + message['content'] + '<|im_end|>\\n' }}"
    "{%- endfor %}"
    "{%- if add_generation_prompt %}{{- '<|im_start|>assistant\\n' }}{%- endif %}"
)
VOCAB_SIZE = 2048


def _corpus() -> list[str]:
    files = sorted(GAMES.glob("*/spec.game")) + sorted(GAMES.glob("*/reference.py"))
    return [p.read_text("utf-8") for p in files]


def build_tokenizer():
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    core = Tokenizer(models.BPE())
    core.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    core.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(
        vocab_size=VOCAB_SIZE, special_tokens=SPECIAL_TOKENS, show_progress=False,
        initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    core.train_from_iterator(_corpus(), trainer=trainer)
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core, eos_token="<|im_end|>", pad_token="<|endoftext|>",
        additional_special_tokens=["<|im_start|>"], model_max_length=32768)
    tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


def build_tiny_model(path) -> str:
    """Write a tiny Qwen2 model and its tokenizer to ``path``; return ``str(path)``."""
    import torch
    from transformers import GenerationConfig, Qwen2Config, Qwen2ForCausalLM

    path = Path(path)
    tokenizer = build_tokenizer()
    config = Qwen2Config(
        vocab_size=len(tokenizer), hidden_size=64, intermediate_size=128,
        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
        max_position_embeddings=16384, tie_word_embeddings=True, initializer_range=0.2,
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id,
        bos_token_id=None)
    torch.manual_seed(0)
    model = Qwen2ForCausalLM(config)
    model.generation_config = GenerationConfig(
        eos_token_id=tokenizer.eos_token_id, pad_token_id=tokenizer.pad_token_id)
    model.save_pretrained(path)
    tokenizer.save_pretrained(path)
    return str(path)
