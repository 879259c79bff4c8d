"""GRPO whose reward hides behind generation, and the step's time split.

TRL generates a whole batch and then scores it. :func:`overlapped_trainer` is TRL's
``GRPOTrainer`` generating one prompt's group at a time with transformers and handing each
group to the reward's ``prefetch`` at once, so the sandboxes verify group k while the
model samples group k+1 (and, for the last group, while the reference model scores the
batch). With vLLM the batch is generated in one call and prefetched as a whole.

Every optimizer step is timed: ``time/step`` (the whole step), ``time/generation``
(sampling), ``time/reward_wait`` (the step blocked on the reward), ``time/verification``
(first program queued to last one judged: mostly hidden when it exceeds the wait),
``time/logprobs`` (the rest of scoring: the old and reference models' log-probabilities)
and ``time/optimisation`` (forward, backward and optimizer step). Logged values are sums over
the steps since the last log.
"""

from __future__ import annotations

import time

__all__ = ["overlapped_trainer", "timing_callback"]


def overlapped_trainer(reward, *, game_column: str = "game", overlap: bool = True):
    """A subclass of TRL's GRPOTrainer that prefetches ``reward`` group by group."""
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

        def _generate_single_turn(self, prompt_ids, images, multimodal_fields,
                                  num_generations, *args, **kwargs):
            games = getattr(self, "_cwmkit_games", None)
            began = time.perf_counter()
            plain = not (self.use_vllm or getattr(self, "use_transformers_continuous_batching",
                                                  False) or images or multimodal_fields)
            if not (overlap and plain and games and len(games) == len(prompt_ids)):
                ids, logprobs = super()._generate_single_turn(
                    prompt_ids, images, multimodal_fields, num_generations, *args, **kwargs)
                self._cwmkit_add("generation", time.perf_counter() - began)
                if games and len(games) == len(ids):
                    self._prefetch(ids, games)
                return ids, logprobs
            ids: list = []
            spent = 0.0
            for start in range(0, len(prompt_ids), num_generations):
                part = slice(start, start + num_generations)
                began = time.perf_counter()
                chunk, _ = super()._generate_single_turn(prompt_ids[part], images,
                                                         multimodal_fields, num_generations,
                                                         *args, **kwargs)
                spent += time.perf_counter() - began
                ids.extend(chunk)
                self._prefetch(chunk, games[part])
            self._cwmkit_add("generation", spent)
            return ids, None

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
