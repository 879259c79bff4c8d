"""The reward of RL with verifiable rewards: completion -> code -> verdict -> reward.

:func:`extract_code` takes the program out of a completion. :class:`VerifierReward` is a
TRL reward function (``reward_fn(completions, game=[...], **kwargs)``): it verifies a whole
group of completions concurrently in the sandbox and shapes each report with a reward
shaper plugin. :class:`AsyncVerifierReward` is the same reward for TRL's async reward
support; its :meth:`~AsyncVerifierReward.prefetch` starts verifying completions as soon as
they exist, so that a trainer that generates group by group hides verification behind the
generation of the next group (the built-in GRPO trainer does).

A verification that runs out of its CPU or wall budget is killed by the sandbox; the
reward logs which game, which program (by hash, and its file when ``timeouts_dir`` is
set) and which tier ran out, and counts it under ``reward/status/timeout``.
"""

from __future__ import annotations

import asyncio
import logging
import re
import textwrap
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from cwmkit.core.errors import ConfigError

__all__ = ["AsyncVerifierReward", "VerifierReward", "extract_code", "make_shaper",
           "merge_tallies", "tally_metrics"]

log = logging.getLogger("cwmkit.rewards")


def make_shaper(name: str, settings: dict | None = None, *, host=None):
    """The registered reward shaper ``name``, configured with ``settings`` when given.

    A shaper takes settings when it carries a typed ``config`` (a ``ConfigBase``, as the
    ``cwmkit`` shaper's :class:`RewardConfig`): a new one is made from that config's class.
    """
    from cwmkit.core.config import ConfigBase
    from cwmkit.core.plugins import get_host

    shaper = (host or get_host()).get("reward_shapers", name)
    if not settings:
        return shaper
    config = getattr(shaper, "config", None)
    if not isinstance(config, ConfigBase):
        raise ConfigError(f"the reward shaper '{name}' takes no settings, got "
                          f"{', '.join(sorted(settings))}",
                          hint="drop the reward settings, or pick a shaper that has them "
                               "(e.g. cwmkit: weights, api_gate, initial_state_gate, "
                               "dynamics_gate)")
    return type(shaper)(type(config).from_dict(settings))

_FENCE = re.compile(r"^[ \t]*```[ \t]*([A-Za-z0-9_+-]*)[^\n]*\n(.*?)(?:^[ \t]*```|\Z)",
                    re.DOTALL | re.MULTILINE)
_PYTHON_TAGS = ("python", "python3", "py")
_LOOKS_LIKE_PYTHON = re.compile(r"^[ \t]*(def|class|import|from)\s+\w", re.MULTILINE)


def _text(completion) -> str | None:
    """The text of a completion: a str, a message, or a conversation (last assistant turn)."""
    if isinstance(completion, str):
        return completion
    if isinstance(completion, dict):
        content = completion.get("content")
    elif isinstance(completion, Sequence):
        turns = [m for m in completion if isinstance(m, dict) and m.get("role") == "assistant"]
        if not turns:
            return None
        content = turns[-1].get("content")
    else:
        return None
    if isinstance(content, list):  # content parts: [{"type": "text", "text": ...}, ...]
        content = "".join(p.get("text", "") for p in content
                          if isinstance(p, dict) and p.get("type", "text") == "text")
    return content if isinstance(content, str) else None


def extract_code(completion) -> str | None:
    """The first ```python fenced block of a completion (a str, or a chat completion: a list
    of {"role", "content"} messages, whose last assistant message is used); tolerant of a
    missing fence (the whole text if it looks like Python) and of an unclosed fence; None if
    there is no code."""
    text = _text(completion)
    if not text or not text.strip():
        return None
    # A fence indented inside a markdown list indents its code too.
    blocks = [(tag.lower(), textwrap.dedent(body)) for tag, body in _FENCE.findall(text)]
    for wanted in (lambda tag: tag in _PYTHON_TAGS, lambda tag: tag == ""):
        for tag, body in blocks:
            if wanted(tag) and body.strip() and (tag or _LOOKS_LIKE_PYTHON.search(body)):
                return body.rstrip() + "\n"
    start = _LOOKS_LIKE_PYTHON.search(text)
    if not blocks and start:
        # Unfenced code after a line of prose: the program starts at its first statement.
        return text[start.start():].strip() + "\n"
    return None


def merge_tallies(parts) -> dict:
    """Several processes' :meth:`VerifierReward.pop_tallies` added up; ``processes``
    counts those that judged any completion."""
    merged = {"tier_sums": Counter(), "tier_counts": Counter(), "statuses": Counter(),
              "reward_sum": 0.0, "reward_count": 0, "processes": 0}
    for part in parts:
        for key in ("tier_sums", "tier_counts", "statuses"):
            merged[key].update(part[key])
        merged["reward_sum"] += part["reward_sum"]
        merged["reward_count"] += part["reward_count"]
        merged["processes"] += bool(part["statuses"])
    return merged


def tally_metrics(tallies: dict) -> dict[str, float]:
    """The logged metrics of tallies: per-tier means, status counts, the mean reward, and
    (for merged tallies) ``reward/processes``, how many processes contributed."""
    metrics: dict[str, float] = {
        f"reward/tier/{name}": tallies["tier_sums"].get(name, 0.0) / count
        for name, count in sorted(tallies["tier_counts"].items()) if count}
    metrics.update({f"reward/status/{status}": float(count)
                    for status, count in sorted(tallies["statuses"].items())})
    if tallies["reward_count"]:
        metrics["reward/shaped"] = tallies["reward_sum"] / tallies["reward_count"]
    if "processes" in tallies and metrics:
        metrics["reward/processes"] = float(tallies["processes"])
    return metrics


class VerifierReward:
    """The TRL-facing reward function: reward_fn(completions, game=[...], **kwargs).

    ``shaper`` is a registered reward shaper's name or a shaper object. One
    :class:`~cwmkit.verify.verifier.Verifier` (made from ``settings`` unless ``verifier`` is
    given) serves the object's whole life; it starts at construction, so build the reward
    before importing torch or vLLM and the sandbox zygote stays small. A completion without
    code earns 0; an infrastructure failure earns ``None`` (TRL counts it as missing),
    never 0.
    """

    __name__ = "cwmkit_verifier"

    def __init__(self, shaper="cwmkit", *, verifier=None, settings=None,
                 game_column: str = "game", timeouts_dir=None) -> None:
        from cwmkit.verify.verifier import Verifier

        self.shaper = make_shaper(shaper) if isinstance(shaper, str) else shaper
        self.timeouts_dir = Path(timeouts_dir) if timeouts_dir is not None else None
        if verifier is not None and settings is not None:
            raise ConfigError("give the reward a verifier or settings, not both",
                              hint="the verifier's own settings are the ones it uses")
        self.game_column = game_column
        self._owns_verifier = verifier is None
        self.verifier = verifier if verifier is not None else Verifier(settings)
        self.verifier.start()
        self._lock = threading.Lock()
        self._reset_metrics()

    # ------------------------------------------------------------------ grouping

    def _games(self, completions, kwargs) -> list:
        games = kwargs.get(self.game_column)
        if games is None:
            raise ConfigError(f"the reward needs the '{self.game_column}' column of the dataset",
                              hint="give every prompt row the game id it asks for, or set "
                                   "game_column to the column that holds it")
        if isinstance(games, str):
            games = [games] * len(completions)
        if len(games) != len(completions):
            raise ConfigError(f"{len(completions)} completions but {len(games)} game ids")
        return list(games)

    def _plan(self, completions, kwargs) -> tuple[list, dict]:
        """The code of each completion and, per game, the distinct programs to verify
        (a group often repeats a program: each is verified once)."""
        codes = [extract_code(c) for c in completions]
        groups: dict = defaultdict(list)
        for code, game in zip(codes, self._games(completions, kwargs), strict=True):
            if code is not None and code not in groups[game]:
                groups[game].append(code)
        return codes, groups

    def _finish(self, completions, kwargs, codes, groups, verdicts) -> list[tuple]:
        reports = {(game, code): report for game, sources in groups.items()
                   for code, report in zip(sources, verdicts[game], strict=True)}
        games = self._games(completions, kwargs)
        rewards: list[float | None] = []
        chosen = []
        for code, game in zip(codes, games, strict=True):
            report = None if code is None else reports[(game, code)]
            reward = 0.0 if report is None else self.shaper(report)
            rewards.append(reward)
            chosen.append(report)
        for (game, code), report in reports.items():
            if report.status == "timeout":
                self._log_timeout(game, code, report)
        self._record(chosen, rewards)
        return list(zip(rewards, chosen, strict=True))

    def _log_timeout(self, game, code: str, report) -> None:
        """Name the game, the program and the tier whose budget ran out."""
        name = getattr(game, "name", game)
        where = f"program sha256 {report.program_sha256[:12]}"
        if self.timeouts_dir is not None:
            self.timeouts_dir.mkdir(parents=True, exist_ok=True)
            path = self.timeouts_dir / f"{name}-{report.program_sha256[:16]}.py"
            path.write_text(code, "utf-8")
            where += f" ({path})"
        log.warning(f"verification of a {name} program timed out and was killed: {where}: "
                    f"{report.message or 'out of time'}")

    # ------------------------------------------------------------------ calls

    def __call__(self, completions, **kwargs) -> list[float | None]:
        return [reward for reward, _ in self.judge(completions, **kwargs)]

    def judge(self, completions, **kwargs) -> list[tuple]:
        """Each completion's ``(reward, report)``; the report is None for a completion
        without code. The integrations build their per-tier values from the reports."""
        codes, groups = self._plan(completions, kwargs)
        if len(groups) <= 1:
            verdicts = {game: self.verifier.verify_many(sources, game=game)
                        for game, sources in groups.items()}
        else:
            # verify_many queues a game's programs on the shared pool and waits; one thread
            # per game queues every game's programs at once.
            with ThreadPoolExecutor(len(groups)) as pool:
                futures = {game: pool.submit(self.verifier.verify_many, sources, game=game)
                           for game, sources in groups.items()}
                verdicts = {game: f.result() for game, f in futures.items()}
        return self._finish(completions, kwargs, codes, groups, verdicts)

    async def acall(self, completions, **kwargs) -> list[float | None]:
        """The reward from async code: the sandboxes work while the event loop runs on."""
        return [reward for reward, _ in await self.ajudge(completions, **kwargs)]

    async def ajudge(self, completions, **kwargs) -> list[tuple]:
        """:meth:`judge` from async code."""
        codes, groups = self._plan(completions, kwargs)
        results = await asyncio.gather(*(self.verifier.averify_many(sources, game=game)
                                         for game, sources in groups.items()))
        verdicts = dict(zip(groups, results, strict=True))
        return self._finish(completions, kwargs, codes, groups, verdicts)

    # ------------------------------------------------------------------ metrics

    def _reset_metrics(self) -> None:
        self._tier_sums: Counter = Counter()
        self._tier_counts: Counter = Counter()
        self._statuses: Counter = Counter()
        self._reward_sum = 0.0
        self._reward_count = 0

    def _record(self, reports, rewards) -> None:
        with self._lock:
            for report, reward in zip(reports, rewards, strict=True):
                self._statuses["no_code" if report is None else report.status] += 1
                if reward is not None:
                    self._reward_sum += reward
                    self._reward_count += 1
                if report is None or report.status == "infra_error":
                    continue
                for name, tier in report.tiers.items():
                    if tier.applicable and tier.score is not None:
                        self._tier_sums[name] += tier.score
                        self._tier_counts[name] += 1

    def pop_tallies(self) -> dict:
        """The sums and counts behind :meth:`pop_metrics` since the last pop, as plain
        data: what the processes of a multi-process run exchange (:func:`merge_tallies`)."""
        with self._lock:
            tallies = {"tier_sums": dict(self._tier_sums),
                       "tier_counts": dict(self._tier_counts),
                       "statuses": dict(self._statuses), "reward_sum": self._reward_sum,
                       "reward_count": self._reward_count}
            self._reset_metrics()
        return tallies

    def pop_metrics(self) -> dict[str, float]:
        """Per-tier means ("reward/tier/<name>"), status counts ("reward/status/<status>"),
        mean shaped reward ("reward/shaped") since the last call; the trainer logs them."""
        return tally_metrics(self.pop_tallies())

    def close(self) -> None:
        """Stop the sandbox, if this object started it."""
        if self._owns_verifier:
            self.verifier.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class AsyncVerifierReward(VerifierReward):
    """:class:`VerifierReward` for TRL's async reward functions: TRL awaits ``__call__`` on
    its own event loop, together with the other async rewards of the step.

    :meth:`prefetch` queues completions for verification the moment they exist (on this
    reward's own pool of ``workers`` threads over the verifier's sandbox); the call that
    scores them then only waits for what is still running. ``pop_timing`` reports how long
    the calls waited (``reward_wait``) against how long verification ran
    (``verification``: wall seconds during which at least one program was verified).
    """

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._pending: dict = {}
        self._busy: list[tuple[float, float]] = []
        self._timing = {"reward_wait": 0.0, "verification": 0.0}
        self._executor = ThreadPoolExecutor(self.verifier.settings.workers,
                                            thread_name_prefix="cwmkit-reward")

    def _verify_timed(self, code: str, game):
        began = time.perf_counter()
        try:
            return self.verifier.verify(code, game=game)
        finally:
            with self._lock:
                self._busy.append((began, time.perf_counter()))

    def _submit(self, game, code: str):
        """The future of one program's report (queued at most once per batch)."""
        key = (game, code)
        with self._lock:
            future = self._pending.get(key)
            if future is None:
                future = self._pending[key] = self._executor.submit(self._verify_timed, code,
                                                                    game)
            return future

    def _busy_seconds(self) -> float:
        """Wall seconds during which at least one program was being verified."""
        total, end = 0.0, None
        for start, stop in sorted(self._busy):
            if end is None or start > end:
                total += stop - start
                end = stop
            elif stop > end:
                total += stop - end
                end = stop
        return total

    def prefetch(self, completions, games) -> int:
        """Start verifying ``completions`` (of the games ``games``) now; returns how many
        programs were queued. The next call scores them without verifying them again."""
        queued = 0
        for completion, game in zip(completions, games, strict=True):
            code = extract_code(completion)
            if code is not None and game is not None:
                before = len(self._pending)
                self._submit(game, code)
                queued += len(self._pending) - before
        return queued

    async def __call__(self, completions, **kwargs) -> list[float | None]:
        codes, groups = self._plan(completions, kwargs)
        began = time.perf_counter()
        futures = {game: [self._submit(game, code) for code in sources]
                   for game, sources in groups.items()}
        verdicts = {game: list(await asyncio.gather(*(asyncio.wrap_future(f) for f in fs)))
                    for game, fs in futures.items()}
        with self._lock:
            self._timing["reward_wait"] += time.perf_counter() - began
            self._timing["verification"] += self._busy_seconds()
            self._busy = []
            leftovers = [f for f in self._pending.values() if not f.done()]
            self._pending = {}
        for future in leftovers:  # prefetched programs this call did not ask for
            future.cancel()
        return [reward for reward, _ in self._finish(completions, kwargs, codes, groups,
                                                     verdicts)]

    def close(self) -> None:
        self._executor.shutdown(wait=False, cancel_futures=True)
        super().close()

    def pop_timing(self) -> dict[str, float]:
        """Seconds waited in calls and seconds of verification since the last pop."""
        with self._lock:
            timing = dict(self._timing)
            self._timing = {"reward_wait": 0.0, "verification": 0.0}
        return timing
