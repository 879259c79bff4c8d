"""cwmkit's verifier as OpenRLHF's reward.

Two forms, one protocol. Locally, OpenRLHF's ``--remote_rm_url`` takes a Python file and
calls its ``reward_func(queries, prompts, labels)``::

    --remote_rm_url $(python -c 'import cwmkit.integrations.openrlhf as m; print(m.__file__)')
    --label_key game

Remotely, ``--remote_rm_url http://HOST:PORT/get_reward`` posts ``{"query": [...],
"prompts": [...], "labels": [...]}`` to ``cwmkit serve``, which answers with the same
numbers (:func:`reward_payload`). A query is the prompt followed by the response; the
label is the game id. The answer holds ``rewards`` (the shaped reward, what OpenRLHF trains
on), ``scores`` (the same, in [0, 1], for its dynamic filtering) and ``extra_logs``: per
response ``verified``, ``status/<status>`` and ``tier/<name>``. OpenRLHF logs the batch
mean of each, so a tier that does not apply to a response's game is given the mean of the
responses it applies to: the logged mean is the tier's mean where it applies (0 when it
applies to none).

The settings of the local form come from the environment: ``CWMKIT_SHAPER`` (a reward
shaper's name) and ``CWMKIT_VERIFY`` (verification settings as JSON, e.g.
``{"workers": 8}``). A sandbox failure is retried, then raised: never a reward of 0.
"""

from __future__ import annotations

import json
import math
import os
import re

from cwmkit.core.errors import ConfigError
from cwmkit.integrations._reward import (
    VerifierUnavailable,
    item_values,
    judge,
    process_reward,
    tier_names,
)

__all__ = ["VerifierUnavailable", "response_of", "reward_func", "reward_payload"]

#: End-of-text markers a decoded sequence may end with (OpenRLHF decodes with them).
_TRAILING_SPECIALS = re.compile(r"(?:\s*(?:<\|[A-Za-z0-9_]{1,32}\|>|</s>))+\s*\Z")


def response_of(query: str, prompt: str) -> str:
    """The response part of an OpenRLHF query (the prompt followed by the response).

    The prompt is cut off exactly when the query starts with it. A prompt that came back
    from the tokenizer a little different (a start token more or less) is cut where the
    query first shows the prompt's end, or else at their longest common start: the
    prompt's own code (the interface it shows) must never be taken for the response's."""
    if not isinstance(query, str) or not isinstance(prompt, str):
        raise ConfigError(f"queries and prompts must be strings, got {type(query).__name__} "
                          f"and {type(prompt).__name__}")
    if query.startswith(prompt):
        response = query[len(prompt):]
    else:
        for size in (len(prompt), 256, 64):
            tail = prompt[-size:]
            if len(tail) == size and size and tail in query:
                response = query[query.index(tail) + size:]
                break
        else:
            response = query[len(os.path.commonprefix([query, prompt])):]
    return _TRAILING_SPECIALS.sub("", response)


def _impute(column: list[float]) -> list[float]:
    known = [v for v in column if not math.isnan(v)]
    fill = sum(known) / len(known) if known else 0.0
    return [fill if math.isnan(v) else v for v in column]


def reward_payload(judged) -> dict:
    """OpenRLHF's answer for judged responses (``(reward, report)`` pairs), as lists."""
    names = tier_names()
    rows = [item_values(report, names) for _, report in judged]
    keys = list(rows[0]) if rows else list(item_values(None, names))
    logs = {key: _impute([row[key] for row in rows]) for key in keys}
    rewards = [float(reward) for reward, _ in judged]
    return {"rewards": rewards, "scores": list(rewards), "extra_logs": logs}


def labels_as_games(labels, count: int) -> list[str]:
    """The game ids OpenRLHF sends as labels, one per query."""
    if labels is None:
        raise ConfigError("OpenRLHF sent no labels: the reward needs each prompt's game id",
                          hint="give the dataset a column with the game id and pass "
                               "--label_key with its name (e.g. --label_key game)")
    games = list(labels)
    if len(games) != count:
        raise ConfigError(f"{count} queries but {len(games)} labels")
    bad = [g for g in games if not isinstance(g, str) or not g.strip()]
    if bad:
        raise ConfigError(f"a label is {bad[0]!r}, not a game id",
                          hint="the label of each prompt is its registered game id")
    return [g.strip() for g in games]


def _settings_from_env() -> tuple[str, dict | None]:
    shaper = os.environ.get("CWMKIT_SHAPER", "cwmkit")
    raw = os.environ.get("CWMKIT_VERIFY")
    if not raw:
        return shaper, None
    try:
        verify = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise ConfigError(f"CWMKIT_VERIFY is not JSON: {exc}",
                          hint='e.g. CWMKIT_VERIFY=\'{"workers": 8}\'') from None
    return shaper, verify


def reward_func(queries, prompts, labels, **kwargs) -> dict:
    """OpenRLHF's local reward function: torch tensors where torch is installed."""
    if len(queries) != len(prompts):
        raise ConfigError(f"{len(queries)} queries but {len(prompts)} prompts")
    games = labels_as_games(labels, len(queries))
    responses = [response_of(q, p) for q, p in zip(queries, prompts, strict=True)]
    shaper, verify = _settings_from_env()
    payload = reward_payload(judge(process_reward(shaper, verify), responses, games))
    try:
        import torch
    except ImportError:
        return payload
    return {"rewards": torch.tensor(payload["rewards"], dtype=torch.float32),
            "scores": torch.tensor(payload["scores"], dtype=torch.float32),
            "extra_logs": {k: torch.tensor(v, dtype=torch.float32)
                           for k, v in payload["extra_logs"].items()}}
