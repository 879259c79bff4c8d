"""What the reward integrations share: one reward per worker process, a retry for
infrastructure failures, and the per-completion values other engines log.

An engine's worker calls a plain function once per batch, with no object to keep the
sandbox in, so :func:`process_reward` keeps one :class:`~cwmkit.rewards.VerifierReward`
(one sandbox zygote) per process and per settings, started on first use and stopped at
exit. A forked child makes its own: its parent's sandbox answers the parent only.
"""

from __future__ import annotations

import atexit
import json
import math
import os
import threading

from cwmkit.core.errors import ConfigError, CwmkitError

__all__ = ["VerifierUnavailable", "ajudge", "close_all", "game_of", "item_values", "judge",
           "process_reward", "tier_names"]

NAN = math.nan


class VerifierUnavailable(CwmkitError):
    """The sandbox failed on a completion (an infrastructure error, not a verdict) and
    stayed failed after the retries: there is no reward to give, and 0 would be a lie."""

    exit_code = 1


_LOCK = threading.Lock()
_REWARDS: dict[str, object] = {}
_OWNER = os.getpid()
#: Rewards a forked child inherited: referenced, never closed, so that no finaliser in
#: the child stops a sandbox that belongs to its parent.
_INHERITED: list = []
_AT_EXIT = False


def process_reward(shaper: str = "cwmkit", verify: dict | None = None):
    """This process's reward for ``shaper`` and the ``verify`` settings: made, with its
    sandbox started, on the first call; the same object for the rest of the process."""
    global _OWNER, _AT_EXIT
    from cwmkit.rewards import VerifierReward

    if not isinstance(shaper, str):
        raise ConfigError(f"shaper must be a registered shaper's name, got {shaper!r}")
    if verify is not None and not isinstance(verify, dict):
        raise ConfigError(f"verify must be a mapping of verification settings, got "
                          f"{verify!r}", hint="e.g. {'playouts': 24, 'workers': 4}")
    key = json.dumps([shaper, verify or {}], sort_keys=True, default=str)
    with _LOCK:
        if os.getpid() != _OWNER:
            _INHERITED.extend(_REWARDS.values())
            _REWARDS.clear()
            _OWNER = os.getpid()
        reward = _REWARDS.get(key)
        if reward is None:
            reward = _REWARDS[key] = VerifierReward(shaper, settings=verify)
            if not _AT_EXIT:
                atexit.register(close_all)
                _AT_EXIT = True
        return reward


def close_all() -> None:
    """Stop this process's sandboxes (at exit; a test may call it to start afresh)."""
    with _LOCK:
        if os.getpid() != _OWNER:
            return
        rewards = list(_REWARDS.values())
        _REWARDS.clear()
    for reward in rewards:
        reward.close()


def game_of(ground_truth, extra_info) -> str:
    """The game id of a row: ``ground_truth`` (a game id, or a mapping with ``game``), or
    else ``extra_info["game"]``."""
    if isinstance(ground_truth, dict):
        ground_truth = ground_truth.get("game")
    if isinstance(ground_truth, str) and ground_truth.strip():
        return ground_truth.strip()
    game = extra_info.get("game") if isinstance(extra_info, dict) else None
    if isinstance(game, str) and game.strip():
        return game.strip()
    raise ConfigError(f"a row names no game: ground truth {ground_truth!r}, extra_info "
                      f"{extra_info!r}", hint="give each row its game id as "
                      "reward_model.ground_truth (or extra_info.game); 'cwmkit data build "
                      "--format verl' writes both")


def _infra(judged) -> list[int]:
    return [i for i, (_, report) in enumerate(judged)
            if report is not None and report.status == "infra_error"]


def _unavailable(judged, failed) -> VerifierUnavailable:
    report = judged[failed[0]][1]
    return VerifierUnavailable(
        f"the sandbox failed on {len(failed)} of {len(judged)} completions "
        f"({report.message}): no reward for them",
        hint="'cwmkit doctor' shows whether the sandbox can start here; the error is the "
             "machine's, not the model's")


def judge(reward, completions, games, *, retries: int = 1) -> list[tuple]:
    """``reward.judge`` with ``retries`` more tries for completions whose verification
    failed for want of a sandbox; raises :class:`VerifierUnavailable` if any still fail."""
    judged = reward.judge(completions, game=games)
    for _ in range(retries):
        failed = _infra(judged)
        if not failed:
            break
        again = reward.judge([completions[i] for i in failed], game=[games[i] for i in failed])
        for i, result in zip(failed, again, strict=True):
            judged[i] = result
    failed = _infra(judged)
    if failed:
        raise _unavailable(judged, failed)
    return judged


async def ajudge(reward, completions, games, *, retries: int = 1,
                 unavailable: bool = True) -> list[tuple]:
    """:func:`judge` from async code; with ``unavailable=False`` a completion whose
    sandbox kept failing stays in the result (reward None, status ``infra_error``)."""
    judged = await reward.ajudge(completions, game=games)
    for _ in range(retries):
        failed = _infra(judged)
        if not failed:
            break
        again = await reward.ajudge([completions[i] for i in failed],
                                    game=[games[i] for i in failed])
        for i, result in zip(failed, again, strict=True):
            judged[i] = result
    failed = _infra(judged)
    if failed and unavailable:
        raise _unavailable(judged, failed)
    return judged


def tier_names(host=None) -> list[str]:
    """The registered tiers, in the order reports list them."""
    from cwmkit.core.plugins import get_host

    checks = (host or get_host()).registry("checks").values()
    return [c.name for c in sorted(checks, key=lambda c: (getattr(c, "order", 100), c.name))]


STATUS_KEYS = ("ok", "compile_error", "policy_violation", "timeout", "crashed", "no_code")


def item_values(report, names: list[str]) -> dict[str, float]:
    """One completion's numbers, the same keys for every completion: ``verified`` (0/1),
    ``status/<status>`` (one of them 1), ``tier/<name>`` (the tier's score; NaN where the
    tier does not apply to the game; 0 for a completion without code)."""
    status = "no_code" if report is None else report.status
    values = {"verified": float(bool(report is not None and report.verified))}
    values.update({f"status/{key}": float(status == key) for key in STATUS_KEYS})
    for name in names:
        if report is None:
            value = 0.0
        else:
            tier = report.tiers.get(name)
            value = NAN if tier is None or tier.score is None else float(tier.score)
        values[f"tier/{name}"] = value
    return values
