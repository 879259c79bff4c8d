"""cwmkit's verifier as verl's reward.

verl loads a custom reward function from a file and calls it from its reward manager:

- ``reward_model.reward_manager=naive`` (and ``prime``, ``dapo``) call
  :func:`compute_score` once per response, as
  ``compute_score(data_source=..., solution_str=..., ground_truth=..., extra_info=...)``;
- ``reward_model.reward_manager=batch`` calls :func:`compute_score_batch` once per batch,
  as ``compute_score_batch(data_sources=..., solution_strs=..., ground_truths=...,
  extra_infos=...)``, which verifies the whole batch concurrently.

Point verl at this file and name the function::

    REWARD=$(python -c 'import cwmkit.integrations.verl as m; print(m.__file__)')
    python -m verl.trainer.main_ppo ... custom_reward_function.path=$REWARD \
        custom_reward_function.name=compute_score_batch reward_model.reward_manager=batch

The game id travels as ``reward_model.ground_truth`` (or ``extra_info.game``), as
``cwmkit data build --format verl`` writes it. Each returns a dict per response:
``score`` (the shaped reward, what verl trains on) and the same keys for every response,
which verl keeps as ``reward_extra_info``: ``verified``, ``status/<status>`` and
``tier/<name>`` (NaN where the tier does not apply to the game; verl groups its metrics
by ``data_source``, one per game, so a NaN marks a tier the game has not). ``details=False``
returns the score alone, as a float.

``custom_reward_function.reward_kwargs`` may set ``shaper`` (a reward shaper's name),
``verify`` (verification settings, e.g. ``{workers: 8}``), ``retries`` and ``details``.
Each worker process keeps one verifier for its whole life. A sandbox failure is retried,
then raised as :class:`VerifierUnavailable`: never a score of 0.
"""

from __future__ import annotations

from cwmkit.integrations._reward import (
    VerifierUnavailable,
    game_of,
    item_values,
    judge,
    process_reward,
    tier_names,
)

__all__ = ["VerifierUnavailable", "compute_score", "compute_score_batch", "start"]


def start(shaper: str = "cwmkit", verify: dict | None = None) -> None:
    """Start this process's verifier now (the first call does it otherwise)."""
    process_reward(shaper, verify)


def compute_score(data_source, solution_str, ground_truth, extra_info=None, *,
                  shaper: str = "cwmkit", verify: dict | None = None, retries: int = 1,
                  details: bool = True):
    """The reward of one response (verl's ``naive`` reward manager)."""
    return compute_score_batch([data_source], [solution_str], [ground_truth], [extra_info],
                               shaper=shaper, verify=verify, retries=retries,
                               details=details)[0]


def compute_score_batch(data_sources, solution_strs, ground_truths, extra_infos=None, *,
                        shaper: str = "cwmkit", verify: dict | None = None,
                        retries: int = 1, details: bool = True) -> list:
    """The rewards of a batch of responses (verl's ``batch`` reward manager)."""
    solutions = list(solution_strs)
    truths = list(ground_truths)
    extras = [None] * len(solutions) if extra_infos is None else list(extra_infos)
    if not len(solutions) == len(truths) == len(extras):
        raise ValueError(f"{len(solutions)} responses, {len(truths)} ground truths and "
                         f"{len(extras)} extra_infos: one each per response")
    games = [game_of(truth, extra) for truth, extra in zip(truths, extras, strict=True)]
    reward = process_reward(shaper, verify)
    judged = judge(reward, solutions, games, retries=retries)
    if not details:
        return [score for score, _ in judged]
    names = tier_names()
    return [{"score": score, **item_values(report, names)} for score, report in judged]
