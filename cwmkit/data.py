"""Training data from the game specs: prompts, splits, curriculum tiers, SFT answers.

Every record has the fields of :data:`FIELDS`: ``prompt`` and ``completion`` (chat
messages, or plain text with ``format="text"``), the ``game`` id the reward needs, the
game's ``split`` and curriculum ``tier``, and the ``source`` of the answer
(``reference``, or ``teacher:<backend>:<model>`` for rejection-sampled teacher answers).
The same records serve SFT (prompt + completion) and GRPO (prompt + game).

:func:`save` writes ``records.jsonl`` and a ``datasets.Dataset`` (``dataset/``) into a
folder; :func:`load_dataset` reads the dataset back.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path

from cwmkit.core.errors import ConfigError, MissingExtraError

__all__ = ["FIELDS", "FORMATS", "SPLITS", "answer", "build_records", "load_dataset",
           "read_records", "save", "save_verl", "select_games", "teacher_records",
           "verl_rows"]

FIELDS = ("prompt", "completion", "game", "split", "tier", "source")
SPLITS = ("train", "eval", "all")
FORMATS = ("chat", "text")
JSONL = "records.jsonl"
DATASET = "dataset"


def select_games(split: str = "train", games: Iterable[str] | None = None, *, host=None) -> list:
    """The registered games of ``split`` (or the named ones, which must be in it), in
    curriculum order: by tier (untiered last), then id."""
    from cwmkit.core.plugins import get_host

    if split not in SPLITS:
        raise ConfigError(f"split must be one of {', '.join(SPLITS)}, got {split!r}")
    host = host or get_host()
    if games:
        chosen = [host.get("games", g) for g in games]
        outside = [g.name for g in chosen if split != "all" and g.spec.split != split]
        if outside:
            raise ConfigError(f"game '{outside[0]}' is in the "
                              f"{host.get('games', outside[0]).spec.split} split, not {split}",
                              hint="pass --split all, or the split the game belongs to")
    else:
        chosen = [g for g in host.registry("games").values()
                  if split == "all" or g.spec.split == split]
    return sorted(chosen, key=lambda g: (g.spec.tier is None, g.spec.tier or 0, g.name))


def prompt_text(spec, renderer: str = "default") -> str:
    from cwmkit.core.plugins import get_host

    return get_host().get("prompts", renderer).render(spec)


def answer(code: str) -> str:
    """A program as the answer the prompt asks for: one ```python block."""
    return f"```python\n{code.rstrip()}\n```"


def record(prompt: str, completion: str, game, source: str, format: str = "chat") -> dict:
    if format not in FORMATS:
        raise ConfigError(f"format must be one of {', '.join(FORMATS)}, got {format!r}")
    if format == "chat":
        prompt_value = [{"role": "user", "content": prompt}]
        completion_value = [{"role": "assistant", "content": completion}]
    else:
        prompt_value, completion_value = prompt, completion
    return {"prompt": prompt_value, "completion": completion_value, "game": game.name,
            "split": game.spec.split, "tier": game.spec.tier, "source": source}


def reference_records(games, *, format: str = "chat", renderer: str = "default") -> list[dict]:
    """One record per game whose answer is its reference GameCWM."""
    return [record(prompt_text(g.spec, renderer), answer(g.reference_source), g, "reference",
                   format) for g in games if g.reference_path is not None]


def teacher_records(games, generator, *, min_score: float = 1.0, format: str = "chat",
                    renderer: str = "default", verifier=None) -> tuple[list[dict], dict]:
    """Rejection sampling: the teacher's completions (``generator.config.n`` per game)
    whose programs verify with a score of at least ``min_score``, each distinct program
    once, as ``(records, stats)``; stats count generated and kept programs per game."""
    from cwmkit.rewards import extract_code
    from cwmkit.verify.verifier import Verifier

    if not 0 <= min_score <= 1:
        raise ConfigError(f"min_score must be between 0 and 1, got {min_score!r}")
    own = verifier is None
    verifier = verifier or Verifier()
    try:
        verifier.start()
        prompts = {g.name: prompt_text(g.spec, renderer) for g in games}
        completions = generator.generate(list(prompts.values()))
        by_prompt: dict[str, list[str]] = {p: [] for p in prompts.values()}
        for c in completions:
            code = extract_code(c.text)
            if code is not None and code not in by_prompt[c.prompt]:
                by_prompt[c.prompt].append(code)
        source = f"teacher:{completions[0].backend}:{completions[0].model}" if completions \
            else "teacher"
        records, stats = [], {}
        for game in games:
            codes = by_prompt[prompts[game.name]]
            reports = verifier.verify_many(codes, game=game) if codes else []
            kept = [code for code, r in zip(codes, reports, strict=True)
                    if r.score is not None and r.score >= min_score]
            stats[game.name] = {"generated": sum(c.prompt == prompts[game.name]
                                                 for c in completions),
                                "programs": len(codes), "kept": len(kept)}
            records += [record(prompts[game.name], answer(code), game, source, format)
                        for code in kept]
        return records, stats
    finally:
        if own:
            verifier.close()


def build_records(split: str = "train", games: Iterable[str] | None = None, *,
                  format: str = "chat", renderer: str = "default", generator=None,
                  min_score: float = 1.0, verifier=None) -> tuple[list[dict], dict]:
    """Reference records of the chosen games, plus teacher records when a ``generator``
    is given; returns ``(records, teacher stats)``."""
    chosen = select_games(split, games)
    if not chosen:
        raise ConfigError(f"no registered game in the {split} split")
    records = reference_records(chosen, format=format, renderer=renderer)
    stats: dict = {}
    if generator is not None:
        extra, stats = teacher_records(chosen, generator, min_score=min_score, format=format,
                                       renderer=renderer, verifier=verifier)
        records += extra
    return records, stats


def to_dataset(records: list[dict]):
    try:
        import datasets
    except ImportError:
        raise MissingExtraError("datasets", "train", "saving a training dataset") from None
    return datasets.Dataset.from_list(records)


def save(records: list[dict], out: str | Path, *, progress: bool = True) -> dict[str, Path]:
    """Write ``records.jsonl`` and the ``dataset/`` folder (``datasets`` format) to ``out``."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    jsonl = out / JSONL
    with jsonl.open("w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps({k: r[k] for k in FIELDS}, ensure_ascii=False) + "\n")
    dataset = out / DATASET
    table = to_dataset(records)
    import datasets

    shown = datasets.is_progress_bar_enabled()
    if not progress:
        datasets.disable_progress_bars()
    try:
        table.save_to_disk(str(dataset))
    finally:
        if shown:
            datasets.enable_progress_bars()
    return {"jsonl": jsonl, "dataset": dataset}


def read_records(path: str | Path) -> list[dict]:
    """The records of a JSONL file (or of ``records.jsonl`` in a folder)."""
    path = Path(path)
    if path.is_dir():
        path = path / JSONL
    if not path.is_file():
        raise ConfigError(f"{path}: no such file", hint="build it with 'cwmkit data build'")
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def load_dataset(path: str | Path):
    """The ``datasets.Dataset`` that :func:`save` wrote (the folder or its ``dataset/``)."""
    try:
        import datasets
    except ImportError:
        raise MissingExtraError("datasets", "train", "loading a training dataset") from None
    path = Path(path)
    if (path / DATASET).is_dir():
        path = path / DATASET
    if not path.is_dir():
        raise ConfigError(f"{path}: no dataset folder", hint="build it with 'cwmkit data build'")
    return datasets.load_from_disk(str(path))


def verl_rows(records: list[dict]) -> list[dict]:
    """verl's RL rows, one per distinct prompt of a game: the chat ``prompt``,
    ``data_source`` ``cwmkit/<game>`` (verl groups its metrics by it), ``reward_model``
    with the game id as ``ground_truth`` (what :mod:`cwmkit.integrations.verl` reads) and
    ``extra_info``. The answers stay out: an RL prompt must not carry its solution."""
    rows: list[dict] = []
    seen = set()
    for r in records:
        prompt = r["prompt"] if isinstance(r["prompt"], list) else \
            [{"role": "user", "content": r["prompt"]}]
        key = (r["game"], json.dumps(prompt, sort_keys=True))
        if key in seen:
            continue
        seen.add(key)
        rows.append({"data_source": f"cwmkit/{r['game']}", "prompt": prompt, "ability": "code",
                     "reward_model": {"style": "rule", "ground_truth": r["game"]},
                     "extra_info": {"game": r["game"], "split": r["split"], "tier": r["tier"],
                                    "index": len(rows)}})
    return rows


def save_verl(records: list[dict], out: str | Path, *, name: str = "train") -> Path:
    """Write :func:`verl_rows` to ``out/<name>.parquet``, the file verl's data loader reads
    (``data.train_files``, ``data.val_files``)."""
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq
    except ImportError:
        raise MissingExtraError("pyarrow", "train", "writing verl's parquet") from None
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{name}.parquet"
    pq.write_table(pa.Table.from_pylist(verl_rows(records)), path)
    return path
