"""A training run's folder: its checkpoints, its JSONL log, its model card.

The log is one JSON object per line, each with a stable ``id``, flushed and fsynced; a
run resumed from checkpoint N first drops what the killed run logged after step N
(:func:`trim_log`), so the log of a resumed run is that of an uninterrupted one.
"""

from __future__ import annotations

import json
from pathlib import Path

from cwmkit.core.errors import ConfigError
from cwmkit.training.config import TrainConfig, note

__all__ = ["last_checkpoint", "log_callback", "resume_point", "trim_log", "write_model_card"]


def last_checkpoint(output_dir: Path) -> str | None:
    """The newest complete ``checkpoint-N`` folder of a run (its trainer state, written
    last, parses), or None: a checkpoint torn by a kill is passed over."""
    found = []
    for folder in Path(output_dir).glob("checkpoint-*"):
        step = folder.name.rpartition("-")[2]
        if not step.isdigit():
            continue
        try:
            json.loads((folder / "trainer_state.json").read_text("utf-8"))
        except (OSError, ValueError):
            continue
        found.append((int(step), folder))
    return str(max(found)[1]) if found else None


def resume_point(output_dir: Path, resume: bool | str) -> str | None:
    """The checkpoint a run continues from, or ``None`` to start afresh."""
    if resume is False:
        return None
    if resume is True:
        last = last_checkpoint(output_dir) if Path(output_dir).is_dir() else None
        if last is None:
            note(f"no checkpoint in {output_dir}: starting from the beginning")
        return last
    if not Path(resume).is_dir():
        raise ConfigError(f"resume_from_checkpoint {resume!r}: no such checkpoint folder",
                          hint="give a checkpoint-N folder of an earlier run, or true")
    return resume


def _fsynced_append(path: Path, line: str) -> None:
    import os

    with path.open("a", encoding="utf-8") as out:
        out.write(line)
        out.flush()
        os.fsync(out.fileno())


def log_callback(path: Path, **fields):
    """A TrainerCallback appending every log record, with ``fields``, to ``path`` as one
    JSON line (flushed and fsynced; ``id`` is ``<stage>/<step>/<n>``, stable across a
    resume: see :func:`trim_log`)."""
    from transformers import TrainerCallback

    class JsonlLog(TrainerCallback):
        def on_log(self, args, state, control, logs=None, **kwargs):
            if logs and state.is_world_process_zero:
                key = f"{fields.get('stage', 'train')}/{state.global_step}"
                self.count = getattr(self, "count", {})
                n = self.count[key] = self.count.get(key, -1) + 1
                record = {"id": f"{key}/{n}", **fields, "step": state.global_step, **logs}
                _fsynced_append(path, json.dumps(record) + "\n")

    return JsonlLog()


def trim_log(path: Path, step: int, *, stage: str | None = None) -> None:
    """Drop the log records after ``step`` (of ``stage``, when given) and a torn last
    line: what a run resumed from the checkpoint of ``step`` will log again."""
    import os

    path = Path(path)
    if not path.is_file():
        return
    kept = []
    for line in path.read_text("utf-8").splitlines(keepends=True):
        try:
            record = json.loads(line)
        except ValueError:
            continue
        if not line.endswith("\n"):
            continue
        later = record.get("step", 0) > step and (stage is None or record.get("stage") == stage)
        if not later:
            kept.append(line)
    staging = path.with_name(path.name + ".trim")
    staging.write_text("".join(kept), "utf-8")
    os.replace(staging, path)


def write_model_card(folder: Path, *, trainer: str, config: TrainConfig, result: dict,
                     base: str | None = None) -> None:
    """A README.md for a trained adapter: what it was trained from, with what, how far."""
    folder = Path(folder)
    if not folder.is_dir():
        return
    base = base or config.model
    last: dict = {}
    for entry in result.get("log_history") or []:
        last.update({k: v for k, v in entry.items() if isinstance(v, (int, float))})
    lines = ["---", "library_name: peft", f"base_model: {base}", "tags:", "- cwmkit",
             f"- {trainer}", "- lora", "---", "",
             f"# A {trainer.upper()} LoRA adapter trained with cwmkit", "",
             f"Base model: `{base}`. Trainer: `{trainer}` (TRL + PEFT), "
             f"{result.get('global_step', '?')} optimizer steps on `{config.dataset}`.", "",
             f"LoRA: rank {config.lora_r}, alpha {config.lora_alpha}, dropout "
             f"{config.lora_dropout}, modules {config.lora_target_modules}.", ""]
    shown = {k: last[k] for k in ("loss", "reward", "reward/shaped") if k in last}
    if shown:
        lines += ["Last logged values: " + ", ".join(f"{k} {v:.4g}" for k, v in shown.items())
                  + ".", ""]
    lines += ["Generate with it:", "", "```", f"cwmkit generate --model {base} --adapter "
              f"{folder} --games tic_tac_toe --out generations/", "```", ""]
    (folder / "README.md").write_text("\n".join(lines), "utf-8")
