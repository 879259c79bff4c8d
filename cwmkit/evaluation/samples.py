"""Samples: one generation joined with its verification record, and where they come from.

A :class:`Source` is one model's samples in one run directory: the generation records
(``generations.jsonl``) and the verification records (``reports.jsonl``, same ids) that
``cwmkit run`` and ``cwmkit eval`` write (docs/pipelines.md). :func:`load_run` finds the
sources of a run directory: the pipeline's ``generate/`` and ``verify/`` folders, or the
``models/<label>/`` folders of ``cwmkit eval`` (listed in its ``eval.json``). Files are
only read: a torn last line (a run killed while writing) is passed over, never cut off.

A :class:`Sample` keeps what the statistics need (status, score, verified, per-tier
scores, transition accuracy, failed checks) and where its record is, so that every number
can name the samples behind it.
"""

from __future__ import annotations

import json
from pathlib import Path

from attrs import define, field, frozen

from cwmkit.core.errors import CwmkitError

__all__ = ["Failure", "NoRecords", "Sample", "Source", "load_run", "read_jsonl"]

#: Statuses a program's compile rate counts as not compiled.
NOT_COMPILED = ("no_code", "compile_error")


class NoRecords(CwmkitError):
    """A folder that holds no verification records to evaluate."""

    exit_code = 2


def read_jsonl(path: str | Path) -> list[dict]:
    """The complete records of a JSONL file (a torn last line is left out)."""
    path = Path(path)
    if not path.is_file():
        return []
    records = []
    lines = path.read_text("utf-8").split("\n")
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            if number == len(lines):  # the last line, torn by a kill
                break
            raise NoRecords(f"{path}:{number}: not a JSON record",
                            hint="the file was changed outside cwmkit") from None
        if isinstance(record, dict):
            records.append(record)
    return records


@frozen
class Failure:
    """A check one program failed: its tier and name, the message and a counterexample
    (the action trace that shows it, with the expected and actual values; or None)."""

    tier: str
    check: str
    message: str
    counterexample: dict | None = None


def _failures(status: str, report: dict | None) -> tuple[Failure, ...]:
    found = []
    for tier in (report or {}).get("tiers", {}).values():
        for check in tier.get("checks", []):
            if not check.get("passed", True):
                found.append(Failure(tier["name"], check["name"], check.get("message", ""),
                                     check.get("counterexample")))
    if not found and status != "ok":
        message = (report or {}).get("message") or {
            "no_code": "the completion holds no program"}.get(status, status)
        found.append(Failure("status", status, message))
    return tuple(found)


@frozen
class Sample:
    """One completion of one model for one game, and its verdict."""

    label: str  # the model's label in this evaluation
    id: str  # the record id, ``<game>/<sample>``
    game: str
    index: int
    status: str
    score: float | None  # None: an infrastructure failure, no verdict
    verified: bool
    #: tier -> score; None for a tier that does not apply to the game or whose check
    #: plugin failed (left out of that tier's mean)
    tiers: dict
    transition_accuracy: float | None
    failures: tuple[Failure, ...]
    report: dict | None = field(eq=False, repr=False)
    text: str | None = field(eq=False, repr=False)  # the completion

    @property
    def key(self) -> str:
        return f"{self.label}/{self.id}"

    @property
    def scored(self) -> bool:
        return self.score is not None

    @property
    def compiled(self) -> bool:
        return self.status not in NOT_COMPILED

    @classmethod
    def from_records(cls, label: str, verification: dict,
                     generation: dict | None = None) -> Sample:
        status = verification["status"]
        report = verification.get("report")
        tiers: dict = {}
        accuracy = None
        for name, tier in (report or {}).get("tiers", {}).items():
            applies = tier.get("score") is not None
            tiers[name] = float(tier["score"]) if applies else None
            if name == "differential" and applies:
                value = (tier.get("metrics") or {}).get("transition_accuracy")
                accuracy = None if value is None else float(value)
        score = verification.get("score")
        return cls(label=label, id=verification["id"], game=verification["game"],
                   index=int(verification.get("sample") or 0), status=status,
                   score=None if score is None else float(score),
                   verified=bool(verification.get("verified")), tiers=tiers,
                   transition_accuracy=accuracy, failures=_failures(status, report),
                   report=report, text=(generation or {}).get("text"))

    def program(self) -> str | None:
        """The program extracted from the completion (what was verified)."""
        if self.text is None:
            return None
        from cwmkit.rewards import extract_code

        return extract_code(self.text)


@define
class Source:
    """One model's samples in one run directory."""

    label: str
    model: str
    adapter: str | None
    backend: str | None
    run_dir: Path
    samples: list[Sample]
    settings: dict = field(factory=dict)
    generations: Path | None = None
    reports: Path | None = None

    @classmethod
    def from_records(cls, label: str, generations: list[dict], reports: list[dict], *,
                     run_dir: Path, generations_path: Path | None = None,
                     reports_path: Path | None = None, model: str | None = None,
                     adapter: str | None = None, backend: str | None = None) -> Source:
        by_id = {g["id"]: g for g in generations}
        first = generations[0] if generations else {}
        samples = [Sample.from_records(label, r, by_id.get(r["id"])) for r in reports]
        samples.sort(key=lambda s: (s.game, s.index))
        return cls(label=label, model=model or first.get("model") or label,
                   adapter=adapter if adapter is not None else first.get("adapter"),
                   backend=backend or first.get("backend"), run_dir=run_dir,
                   samples=samples, settings=first.get("settings") or {},
                   generations=generations_path, reports=reports_path)


def default_label(model: str, adapter: str | None) -> str:
    """``model`` or ``model+adapter``, with a folder shortened to its last name."""
    name = Path(model).name if "/" in model and Path(model).exists() else model
    if adapter in (None, "", "none"):
        return name
    return f"{name}+{Path(adapter).name if '/' in adapter else adapter}"


def load_run(run_dir: str | Path) -> list[Source]:
    """The sources of a ``cwmkit run`` or ``cwmkit eval`` run directory."""
    run_dir = Path(run_dir)
    if not run_dir.is_dir():
        raise NoRecords(f"{run_dir}: no such run directory",
                        hint="give the folder that 'cwmkit run' or 'cwmkit eval' wrote")
    listing = run_dir / "eval.json"
    if listing.is_file():
        sources = []
        for entry in json.loads(listing.read_text("utf-8"))["models"]:
            folder = run_dir / entry["folder"]
            generations = read_jsonl(folder / "generations.jsonl")
            reports = read_jsonl(folder / "reports.jsonl")
            sources.append(Source.from_records(
                entry["label"], generations, reports, run_dir=run_dir,
                generations_path=folder / "generations.jsonl",
                reports_path=folder / "reports.jsonl", model=entry.get("model"),
                adapter=entry.get("adapter"), backend=entry.get("backend")))
        return sources
    reports_path = run_dir / "verify" / "reports.jsonl"
    if reports_path.is_file():
        generations_path = run_dir / "generate" / "generations.jsonl"
        generations = read_jsonl(generations_path)
        first = generations[0] if generations else {}
        label = default_label(first.get("model") or run_dir.name, first.get("adapter"))
        return [Source.from_records(label, generations, read_jsonl(reports_path),
                                    run_dir=run_dir, generations_path=generations_path,
                                    reports_path=reports_path)]
    raise NoRecords(f"{run_dir}: no verification records (no verify/reports.jsonl, no "
                    "eval.json)", hint="run the pipeline's generate and verify stages, or "
                                       "'cwmkit eval', first")
