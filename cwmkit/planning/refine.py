"""Refinement: generate a GameCWM, verify it, feed the failed checks and their
counterexamples back to the model, repair, for a few rounds; keep the best program.

Each round asks the generator (any generation backend) for ``config.n`` programs in a
conversation of three turns: the game's prompt, the best program so far, and what the
verifier found wrong with it. Only the last attempt travels, so the context stays the
prompt's size. The best program of all rounds (by score) is kept; a verified one ends
the refinement early. Verified refined programs are SFT records (``records``), which
makes refinement a data engine for distillation.
"""

from __future__ import annotations

from collections.abc import Callable

from attrs import field, frozen

from cwmkit.core.errors import ConfigError
from cwmkit.data import answer, prompt_text, record
from cwmkit.rewards import extract_code
from cwmkit.spec.games import Game

__all__ = ["RefineResult", "RefineRound", "feedback", "refine"]

#: Failed checks quoted in one feedback message.
MAX_CHECKS = 6
#: Characters of one quoted value (expected or actual).
MAX_VALUE = 300


@frozen
class RefineRound:
    """One round: its best program (None if no completion held code), that program's
    status, score and whether it verified, and the feedback it earned."""

    index: int
    program: str | None
    status: str
    score: float | None
    verified: bool
    feedback: str | None
    candidates: int

    def to_dict(self) -> dict:
        return {"index": self.index, "status": self.status, "score": self.score,
                "verified": self.verified, "candidates": self.candidates,
                "feedback": self.feedback, "program": self.program}


@frozen
class RefineResult:
    """The refinement of one game: every round, and the best program over them."""

    game: str
    prompt: str
    source: str
    rounds: tuple[RefineRound, ...] = field(converter=tuple)

    @property
    def best(self) -> RefineRound | None:
        scored = [r for r in self.rounds if r.program is not None]
        if not scored:
            return None
        return max(scored, key=lambda r: (r.verified, r.score if r.score is not None else -1,
                                          -r.index))

    @property
    def verified(self) -> bool:
        return self.best is not None and self.best.verified

    def records(self, game: Game, *, format: str = "chat") -> list[dict]:
        """The verified best program as an SFT record (none if it did not verify)."""
        if not self.verified:
            return []
        return [record(self.prompt, answer(self.best.program), game, self.source, format)]

    def to_dict(self) -> dict:
        best = self.best
        return {"game": self.game, "verified": self.verified,
                "best_round": best.index if best else None,
                "best_score": best.score if best else None,
                "rounds": [r.to_dict() for r in self.rounds]}


def _clip(text: str | None) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= MAX_VALUE else text[:MAX_VALUE] + "..."


def feedback(report) -> str:
    """What the verifier found wrong with a program, as a message to its author: the
    failed checks with their counterexamples (the shortest action sequence, expected and
    actual values), or why the program did not run at all."""
    lines = []
    if report.status != "ok":
        lines.append(f"Your program did not run to the end ({report.status}): "
                     f"{_clip(report.message)}")
    failed = [(tier.name, check) for tier in report.tiers.values() for check in tier.checks
              if not check.passed]
    if failed:
        score = "" if report.score is None else f" scored {report.score:.2f} and"
        lines.append(f"Your program{score} failed these checks:")
    for name, check in failed[:MAX_CHECKS]:
        lines.append(f"- {name}/{check.name} ({check.failures} of {check.trials} trials "
                     f"failed): {_clip(check.message)}")
        cx = check.counterexample
        if cx is not None:
            lines.append(f"  after the actions {list(cx.actions)}: {_clip(cx.message)}")
            if cx.expected is not None or cx.actual is not None:
                lines.append(f"  expected: {_clip(cx.expected)}")
                lines.append(f"  actual:   {_clip(cx.actual)}")
    if len(failed) > MAX_CHECKS:
        lines.append(f"... and {len(failed) - MAX_CHECKS} more failed checks.")
    lines.append("Fix the program. Answer with the complete corrected program in one "
                 "```python block.")
    return "\n".join(lines)


def _no_code() -> str:
    return ("Your answer held no Python program. Answer with the complete program in one "
            "```python block.")


def refine(game: Game, generator, *, rounds: int = 3, verifier=None,
           renderer: str = "default", progress: Callable[[RefineRound], None] | None = None
           ) -> RefineResult:
    """Refine a program for ``game`` with ``generator`` over at most ``rounds`` rounds
    (see the module doc). ``verifier`` defaults to a new one, closed at the end."""
    from cwmkit.verify.verifier import Verifier

    if rounds < 1:
        raise ConfigError(f"rounds must be at least 1, got {rounds}")
    prompt = prompt_text(game.spec, renderer)
    own = verifier is None
    verifier = verifier or Verifier()
    done: list[RefineRound] = []
    source = "refine"
    conversation: list[dict] = [{"role": "user", "content": prompt}]
    try:
        for index in range(1, rounds + 1):
            completions = generator.generate([conversation])
            if completions:
                source = f"refine:{completions[0].backend}:{completions[0].model}"
            programs = []
            for c in completions:
                code = extract_code(c.text)
                if code is not None and code not in programs:
                    programs.append(code)
            if not programs:
                current = RefineRound(index, None, "no_code", None, False, _no_code(),
                                      len(completions))
            else:
                reports = verifier.verify_many(programs, game=game)
                code, report = max(zip(programs, reports, strict=True),
                                   key=lambda pr: pr[1].score if pr[1].score is not None
                                   else -1)
                current = RefineRound(index, code, report.status, report.score,
                                      bool(report.verified),
                                      None if report.verified else feedback(report),
                                      len(completions))
            done.append(current)
            if progress:
                progress(current)
            if current.verified:
                break
            # Repair the best program so far: a worse attempt is not built on.
            base = RefineResult(game.name, prompt, source, done).best or current
            attempt = answer(base.program) if base.program is not None else \
                (completions[0].text if completions else "")
            conversation = [{"role": "user", "content": prompt},
                            {"role": "assistant", "content": attempt},
                            {"role": "user", "content": base.feedback}]
    finally:
        if own:
            verifier.close()
    return RefineResult(game.name, prompt, source, done)
