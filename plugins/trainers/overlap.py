"""GRPO whose reward hides behind generation, and the step's time split.

TRL generates a whole batch and only then scores it. :func:`overlapped_trainer` is TRL's
``GRPOTrainer`` with one addition: while transformers generates the batch, a stopping
criterion watches for completions that have ended (an end-of-sequence token) and hands
each one to the reward's ``prefetch`` at once, so the sandboxes verify it while the rest
of the batch is still being sampled. Whatever is left is prefetched the moment
generation returns, and verified while TRL computes the old and the reference models'
log-probabilities. The batch is generated in one call, as TRL does: overlapping costs no
generation throughput. With vLLM the batch is prefetched when it returns. Without the
overlap (``reward_overlap: false``) the reward verifies when TRL calls it, as plain TRL.

Every optimizer step is timed: ``time/step`` (the whole step), ``time/generation``
(sampling), ``time/reward_wait`` (the step blocked on the reward), ``time/verification``
(wall time during which at least one program was being verified: hidden where it
exceeds the wait), ``time/logprobs`` (the rest of scoring: the old and reference models'
log-probabilities) and ``time/optimisation`` (forward, backward and optimizer step).
Logged values are sums over the steps since the last log.
"""

from __future__ import annotations

import time

__all__ = ["overlapped_trainer", "timing_callback"]


def _finished_watcher(eos_ids, on_finished):
    """A StoppingCriteria that never stops generation but reports each row the first
    time it holds an end-of-sequence token: ``on_finished(rows, new_tokens)``."""
    import torch
    from transformers import StoppingCriteria

    class Finished(StoppingCriteria):
        def __init__(self) -> None:
            self.start = None
            self.seen: set[int] = set()

        def __call__(self, input_ids, scores, **kwargs):
            if self.start is None:  # first call: one token past the (padded) prompt
                self.start = input_ids.shape[1] - 1
            new = input_ids[:, self.start:]
            ended = torch.isin(new, torch.tensor(eos_ids, device=new.device)).any(dim=1)
            rows = [r for r in ended.nonzero().flatten().tolist() if r not in self.seen]
            if rows:
                self.seen.update(rows)
                on_finished(rows, new[rows])
            return torch.zeros(input_ids.shape[0], dtype=torch.bool, device=input_ids.device)

    return Finished()


def overlapped_trainer(reward, *, game_column: str = "game", overlap: bool = True):
    """A subclass of TRL's GRPOTrainer that prefetches ``reward`` during generation."""
    from trl import GRPOTrainer

    class OverlappedGRPOTrainer(GRPOTrainer):
        cwmkit_timing: dict

        def _cwmkit_add(self, key: str, seconds: float) -> None:
            timing = self.__dict__.setdefault("cwmkit_timing", {})
            timing[key] = timing.get(key, 0.0) + seconds

        def _generate_and_score_completions(self, inputs):
            self._cwmkit_games = [x.get(game_column) for x in inputs]
            began = time.perf_counter()
            try:
                return super()._generate_and_score_completions(inputs)
            finally:
                self._cwmkit_add("scoring", time.perf_counter() - began)
                self._cwmkit_games = None

        def _prefetch(self, ids, games) -> None:
            if hasattr(reward, "prefetch") and games and None not in games:
                reward.prefetch(self.processing_class.batch_decode(
                    ids, skip_special_tokens=True), games)

        def _watch(self, games):
            """Patch the generating model's ``generate`` to stream finished rows into the
            reward; returns the undo, or None where generation is not plain transformers."""
            if not (overlap and hasattr(reward, "prefetch") and games):
                return None
            model = self.accelerator.unwrap_model(self.model_wrapped)
            eos = list(getattr(self, "eos_token_ids", None) or [])
            if not eos or "generate" in vars(model):
                return None
            original = model.generate
            tokenizer = self.processing_class

            def on_finished(rows, tokens):
                texts = []
                for row in tokens:
                    row = row.tolist()
                    end = next((i for i, t in enumerate(row) if t in eos), len(row))
                    texts.append(tokenizer.decode(row[:end + 1], skip_special_tokens=True))
                reward.prefetch(texts, [games[r] for r in rows])

            def generate(*args, **kwargs):
                from transformers import StoppingCriteriaList

                criteria = StoppingCriteriaList(kwargs.pop("stopping_criteria", None) or [])
                criteria.append(_finished_watcher(eos, on_finished))
                return original(*args, stopping_criteria=criteria, **kwargs)

            model.generate = generate
            return lambda: vars(model).pop("generate", None)

        def _generate_single_turn(self, prompt_ids, images, multimodal_fields,
                                  num_generations, *args, **kwargs):
            games = getattr(self, "_cwmkit_games", None)
            if games is not None and len(games) != len(prompt_ids):
                games = None
            plain = not (self.use_vllm or getattr(self, "use_transformers_continuous_batching",
                                                  False) or images or multimodal_fields)
            undo = self._watch(games) if plain else None
            began = time.perf_counter()
            try:
                ids, logprobs = super()._generate_single_turn(
                    prompt_ids, images, multimodal_fields, num_generations, *args, **kwargs)
            finally:
                self._cwmkit_add("generation", time.perf_counter() - began)
                if undo is not None:
                    undo()
            if overlap and games is not None and len(games) == len(ids):
                self._prefetch(ids, games)  # the rest; the finished ones are queued already
            return ids, logprobs

    return OverlappedGRPOTrainer


def timing_callback(reward):
    """A TrainerCallback timing each optimizer step and adding ``time/*`` to the logs."""
    from transformers import TrainerCallback

    class StepTiming(TrainerCallback):
        def __init__(self) -> None:
            self.trainer = None
            self.began = None
            self.sums: dict[str, float] = {}

        def on_step_begin(self, args, state, control, **kwargs):
            self.began = time.perf_counter()

        def on_step_end(self, args, state, control, **kwargs):
            if self.began is None:
                return
            step = time.perf_counter() - self.began
            timing = dict(getattr(self.trainer, "cwmkit_timing", None) or {})
            if self.trainer is not None:
                self.trainer.cwmkit_timing = {}
            spent = reward.pop_timing() if hasattr(reward, "pop_timing") else {}
            scoring = timing.get("scoring", 0.0)
            generation = timing.get("generation", 0.0)
            wait = spent.get("reward_wait", 0.0)
            parts = {"step": step, "generation": generation, "reward_wait": wait,
                     "verification": spent.get("verification", 0.0),
                     "logprobs": max(0.0, scoring - generation - wait),
                     "optimisation": max(0.0, step - scoring)}
            for key, value in parts.items():
                self.sums[key] = self.sums.get(key, 0.0) + value

        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs is None or not self.sums or "loss" not in logs:
                return
            metrics = {f"time/{k}": round(v, 4) for k, v in self.sums.items()}
            self.sums = {}
            logs.update(metrics)
            if state.log_history and state.log_history[-1].get("step") == state.global_step:
                state.log_history[-1].update(metrics)

    return StepTiming()
