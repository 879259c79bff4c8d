"""Evaluation during training: held-out games, on a schedule, logged beside the reward.

The number a user watches must not be the number the optimiser pushes. Every ``every``
optimiser steps (and after the last one) the policy being trained writes ``samples``
programs for each held-out game (by default the ``eval`` split, which GRPO never trains
on), the verifier judges them, and the unshaped verifier score goes into the same
training log record as the reward: ``heldout/mean_score``, ``heldout/verified_rate``,
``heldout/compile_rate`` and ``heldout/programs``. Each program and its verdict is
appended to ``heldout.jsonl`` in the trainer's output folder (id
``<step>/<game>/<sample>``), so every held-out number can be traced to its samples.

Sampling runs under its own seed inside a forked random state: evaluating does not change
what the training run does next, so a run resumed from a checkpoint still equals an
uninterrupted one.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from attrs import field, frozen

from cwmkit.core.config import (
    ConfigBase,
    as_tuple,
    choice,
    flag,
    help_,
    mapping,
    number,
    text,
)

__all__ = ["HeldoutSettings", "heldout_callback", "heldout_metrics"]


def _games(instance, attribute, value):
    if value is not None and not (isinstance(value, tuple) and value and all(
            isinstance(g, str) and g for g in value)):
        from cwmkit.core.config import fail

        fail(instance, attribute, "a list of game ids", value)


@frozen(kw_only=True)
class HeldoutSettings(ConfigBase):
    """Held-out evaluation during GRPO (``grpo.heldout``)."""

    section = "grpo.heldout"

    every: int = field(default=0, validator=number(int, minimum=0),
                       metadata=help_("evaluate every this many optimiser steps and after "
                                      "the last one (0: never)"))
    split: str | None = field(default=None,
                              validator=lambda i, a, v: v is None or choice(
                                  "train", "eval", "all")(i, a, v),
                              metadata=help_("the games of this split (null: eval, the "
                                             "games GRPO never trains on, unless games "
                                             "are named)"))
    games: tuple[str, ...] | None = field(default=None, converter=as_tuple,
                                          validator=_games,
                                          metadata=help_("only these games (null: every "
                                                         "game of the split)"))
    samples: int = field(default=2, validator=number(int, minimum=1),
                         metadata=help_("programs per game at each evaluation"))
    max_new_tokens: int = field(default=1024, validator=number(int, minimum=1),
                                metadata=help_("most tokens of one program"))
    temperature: float = field(default=0.6, validator=number(minimum=0, maximum=5),
                               metadata=help_("sampling temperature; 0 decodes greedily"))
    seed: int = field(default=0, validator=number(int, minimum=0),
                      metadata=help_("sampling seed (each evaluation adds its step)"))
    renderer: str = field(default="default", validator=text(),
                          metadata=help_("prompt renderer plugin"))
    at_end: bool = field(default=True, validator=flag,
                         metadata=help_("evaluate after the last step too"))
    verify: dict = field(factory=dict, validator=mapping,
                         metadata=help_("verify settings of the held-out verifier"))

    def __attrs_post_init__(self) -> None:
        if self.enabled:
            self.game_names()  # unknown games, or games outside the split: said now

    @property
    def enabled(self) -> bool:
        return self.every > 0

    def game_names(self) -> list[str]:
        """The held-out games, in curriculum order."""
        from cwmkit import data
        from cwmkit.core.errors import ConfigError, UnknownNameError

        split = self.split or ("all" if self.games else "eval")
        try:
            return [g.name for g in data.select_games(split, self.games)]
        except (ConfigError, UnknownNameError) as exc:
            raise ConfigError(f"grpo.heldout: {exc.message}", hint=exc.hint) from None


def heldout_metrics(verdicts: list[dict]) -> dict:
    """The logged values of one evaluation's verdicts (``score`` None: no verdict)."""
    scored = [v for v in verdicts if v["score"] is not None]
    out = {"heldout/programs": len(verdicts)}
    if scored:
        out["heldout/mean_score"] = round(sum(v["score"] for v in scored) / len(scored), 6)
        out["heldout/verified_rate"] = round(
            sum(bool(v["verified"]) for v in scored) / len(scored), 6)
        out["heldout/compile_rate"] = round(sum(
            v["status"] not in ("no_code", "compile_error") for v in scored) / len(scored), 6)
    return out


def _prompts(settings: HeldoutSettings, tokenizer) -> list[tuple[str, str]]:
    from cwmkit import data
    from cwmkit.core.plugins import get_host

    prompts = []
    for name in settings.game_names():
        game = get_host().get("games", name)
        body = data.prompt_text(game.spec, settings.renderer)
        if getattr(tokenizer, "chat_template", None):
            body = tokenizer.apply_chat_template([{"role": "user", "content": body}],
                                                 add_generation_prompt=True, tokenize=False)
        prompts.append((game.name, body))
    return prompts


def _sample(model, tokenizer, prompts, settings: HeldoutSettings, step: int):
    """``(game, index, completion)`` for every prompt, under a forked random state."""
    import torch

    devices = [model.device] if getattr(model.device, "type", "cpu") == "cuda" else []
    was_training = model.training
    out = []
    with torch.random.fork_rng(devices=devices), torch.no_grad():
        torch.manual_seed(settings.seed + step)
        model.eval()
        try:
            for game, prompt in prompts:
                encoded = tokenizer(prompt, return_tensors="pt").to(model.device)
                sampling = {"do_sample": True, "temperature": settings.temperature} \
                    if settings.temperature > 0 else {"do_sample": False}
                generated = model.generate(
                    **encoded, max_new_tokens=settings.max_new_tokens,
                    num_return_sequences=settings.samples,
                    pad_token_id=tokenizer.pad_token_id or tokenizer.eos_token_id,
                    **sampling)
                start = encoded["input_ids"].shape[1]
                for index, row in enumerate(generated):
                    out.append((game, index, tokenizer.decode(row[start:],
                                                              skip_special_tokens=True)))
        finally:
            model.train(was_training)
    return out


def _append(path: Path, records: list[dict]) -> None:
    known = set()
    if path.is_file():
        for line in path.read_text("utf-8").splitlines():
            try:
                known.add(json.loads(line)["id"])
            except (ValueError, KeyError, TypeError):
                continue
    fresh = [r for r in records if r["id"] not in known]
    if not fresh:
        return
    with path.open("a", encoding="utf-8") as out:
        out.write("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in fresh))
        out.flush()
        os.fsync(out.fileno())


class _Evaluator:
    """What the callback does at an evaluation: sample, verify, record, summarise."""

    def __init__(self, settings: HeldoutSettings) -> None:
        self.settings = settings
        self.verifier = None
        self.prompts = None

    def __call__(self, model, tokenizer, step: int, folder: Path) -> dict:
        from cwmkit.rewards import extract_code
        from cwmkit.verify.verifier import Verifier

        if self.prompts is None:
            self.prompts = _prompts(self.settings, tokenizer)
        if self.verifier is None:
            self.verifier = Verifier(self.settings.verify)
            self.verifier.start()
        completions = _sample(model, tokenizer, self.prompts, self.settings, step)
        futures = []
        for game, index, completion in completions:
            code = extract_code(completion)
            future = None if code is None else self.verifier.submit(code, game=game)
            futures.append((game, index, completion, future))
        records = []
        for game, index, completion, future in futures:
            report = None if future is None else future.result()
            records.append({
                "id": f"{step}/{game}/{index}", "step": step, "game": game,
                "sample": index, "text": completion,
                "status": "no_code" if report is None else report.status,
                "score": 0.0 if report is None else report.score,
                "verified": bool(report is not None and report.verified),
                "report": None if report is None else report.to_dict()})
        _append(folder / "heldout.jsonl", records)
        return heldout_metrics(records)

    def close(self) -> None:
        if self.verifier is not None:
            self.verifier.close()
            self.verifier = None


def heldout_callback(settings: HeldoutSettings | dict):
    """A TrainerCallback that evaluates on held-out games on the schedule of
    ``settings`` and puts the numbers into the training log record of that step."""
    from transformers import TrainerCallback

    if not isinstance(settings, HeldoutSettings):
        settings = HeldoutSettings.from_dict(settings)

    class HeldoutEvaluation(TrainerCallback):
        def __init__(self) -> None:
            self.evaluate = _Evaluator(settings)
            self.pending: dict | None = None

        def on_step_end(self, args, state, control, model=None, processing_class=None,
                        **kwargs):
            step = state.global_step
            due = step % settings.every == 0 or (settings.at_end and step >= state.max_steps)
            if not state.is_world_process_zero or not due or model is None:
                return
            tokenizer = processing_class or kwargs.get("tokenizer")
            self.pending = self.evaluate(model, tokenizer, step, Path(args.output_dir))
            control.should_log = True  # logged now, in the record of this step

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not self.pending or logs is None:
                return
            logs.update(self.pending)
            # The trainer files its record in log_history before the callbacks see it.
            if state.log_history and state.log_history[-1].get("step") == state.global_step:
                state.log_history[-1].update(self.pending)
            self.pending = None

        def on_train_end(self, args, state, control, **kwargs):
            self.evaluate.close()

    return HeldoutEvaluation()
