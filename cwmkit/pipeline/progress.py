"""What a run shows while it works: rich progress bars, a live reward line, or nothing,
or one JSON object per line for scripts.

Every part of a run reports through an :class:`Events` object: steps starting, skipped
and done; bars for generation, verification and training steps; training log records;
notes. :class:`Events` itself shows nothing (``--quiet``), :class:`RichEvents` draws bars
on stderr with a live line of the reward and its per-tier means during GRPO, and
:class:`JsonEvents` prints each event as a JSON object on stdout (``--json``).
"""

from __future__ import annotations

import json
import logging
import sys
import time

__all__ = ["Bar", "Events", "JsonEvents", "RichEvents", "log_line", "trainer_callback"]


class Bar:
    """A progress bar of one stage (``advance``, ``update``, ``close``)."""

    def __init__(self, events: Events, stage: str, label: str, total: int | None,
                 done: int = 0) -> None:
        self.events, self.stage, self.label = events, stage, label
        self.total, self.done, self.extra = total, done, ""

    def advance(self, n: int = 1) -> None:
        self.update(done=self.done + n)

    def update(self, *, done: int | None = None, total: int | None = None,
               extra: str | None = None) -> None:
        if done is not None:
            self.done = done
        if total is not None:
            self.total = total
        if extra is not None:
            self.extra = extra
        self.events._bar_changed(self)

    def close(self) -> None:
        self.events._bar_closed(self)

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Events:
    """The quiet sink: a run that shows nothing but its errors."""

    def step(self, name: str, status: str, **info) -> None:
        """A step ``start`` s, is ``skip`` ped (done earlier), ``resume`` s, ``redo`` es
        (its inputs changed) or is ``done`` (``info``: seconds, outputs, summary)."""

    def bar(self, stage: str, label: str, total: int | None, done: int = 0) -> Bar:
        return Bar(self, stage, label, total, done)

    def log(self, stage: str, record: dict) -> None:
        """A training log record (loss, reward, per-tier means, timing)."""

    def note(self, message: str, level: str = "info") -> None:
        """Something worth saying (a prompt left out, a verification killed)."""

    def finish(self, summary: dict) -> None:
        """The run is over; ``summary`` has the run directory and the report."""

    def _bar_changed(self, bar: Bar) -> None:
        pass

    def _bar_closed(self, bar: Bar) -> None:
        pass

    def close(self) -> None:
        pass


def _number(value) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def log_line(stage: str, record: dict) -> str:
    """One line of a training log record: loss, reward, per-tier means, statuses."""
    parts = []
    for key in ("loss", "reward", "reward_std"):
        if key in record:
            parts.append(f"{key} {_number(record[key])}")
    tiers = [f"{k.rsplit('/', 1)[1]} {record[k]:.2f}" for k in sorted(record)
             if k.startswith("reward/tier/")]
    if tiers:
        parts.append(" ".join(tiers))
    statuses = [f"{k.rsplit('/', 1)[1]} {int(record[k])}" for k in sorted(record)
                if k.startswith("reward/status/")]
    if statuses:
        parts.append(" ".join(statuses))
    if "time/step" in record:
        parts.append(f"{record['time/step']:.1f} s/step")
    return " · ".join(parts)


class RichEvents(Events):
    """Bars and lines on stderr (rich)."""

    def __init__(self, console=None) -> None:
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
        )

        self.console = console or Console(stderr=True, highlight=False)
        self.progress = Progress(TextColumn("{task.description}"), BarColumn(bar_width=24),
                                 MofNCompleteColumn(), TimeElapsedColumn(),
                                 TextColumn("{task.fields[extra]}"), console=self.console,
                                 transient=True)
        self.tasks: dict[int, int] = {}
        self.progress.start()

    def _print(self, text: str) -> None:
        self.progress.console.print(text, highlight=False, soft_wrap=True)

    def step(self, name, status, **info):
        from rich.markup import escape

        about = escape(info.get("about", ""))
        if status == "start":
            self._print(f"[bold cyan]▶ {name}[/]  {about}")
        elif status == "skip":
            self._print(f"[dim]✓ {name}  done earlier[/]")
        elif status == "resume":
            self._print(f"[bold yellow]▶ {name}[/]  resuming: {about}")
        elif status == "redo":
            self._print(f"[yellow]↻ {name}[/]  {escape(info.get('why', 'changed'))}: "
                        "starting it again")
        elif status == "done":
            summary = escape(info.get("line", ""))
            self._print(f"[green]✓ {name}[/]  {info.get('seconds', 0):.1f} s  {summary}")

    def _bar_changed(self, bar):
        task = self.tasks.get(id(bar))
        if task is None:
            task = self.tasks[id(bar)] = self.progress.add_task(
                f"{bar.stage} {bar.label}", total=bar.total, completed=bar.done, extra="")
        self.progress.update(task, completed=bar.done, total=bar.total, extra=bar.extra)

    def _bar_closed(self, bar):
        task = self.tasks.pop(id(bar), None)
        if task is not None:
            self.progress.remove_task(task)

    def bar(self, stage, label, total, done=0):
        bar = super().bar(stage, label, total, done)
        self._bar_changed(bar)
        return bar

    def log(self, stage, record):
        from rich.markup import escape

        line = log_line(stage, record)
        if line:
            total = record.get("max_steps")
            at = f"{record.get('step')}/{total}" if total else record.get("step")
            self._print(f"  [dim]{stage} step {at}:[/] {escape(line)}")

    def note(self, message, level="info"):
        from rich.markup import escape

        style = "yellow" if level == "warning" else "cyan"
        self._print(f"  [{style}]{escape(message)}[/]")

    def finish(self, summary):
        from rich.markup import escape

        if summary.get("report"):
            self._print(f"[bold green]done[/]: report in {escape(summary['report'])}")
        else:
            self._print(f"[bold green]done[/]: {escape(summary.get('run_dir', ''))}")

    def close(self):
        self.progress.stop()


class JsonEvents(Events):
    """One JSON object per event on stdout: ``{"event": ..., "stage": ..., ...}``
    (events: step, progress, log, note, done)."""

    def __init__(self, stream=None) -> None:
        self.stream = stream or sys.stdout
        self._last: dict[int, float] = {}

    def _emit(self, event: str, **fields) -> None:
        self.stream.write(json.dumps({"event": event, **fields}, default=str,
                                     ensure_ascii=False) + "\n")
        self.stream.flush()

    def step(self, name, status, **info):
        self._emit("step", stage=name, status=status, **info)

    def _bar_changed(self, bar):
        now = time.monotonic()
        finished = bar.total is not None and bar.done >= bar.total
        if finished or now - self._last.get(id(bar), 0.0) >= 1.0:
            self._last[id(bar)] = now
            self._emit("progress", stage=bar.stage, what=bar.label, done=bar.done,
                       total=bar.total)

    def _bar_closed(self, bar):
        self._last.pop(id(bar), None)

    def log(self, stage, record):
        self._emit("log", **{**record, "stage": stage})

    def note(self, message, level="info"):
        self._emit("note", level=level, message=message)

    def finish(self, summary):
        self._emit("done", **summary)


class _Notes(logging.Handler):
    def __init__(self, events: Events) -> None:
        super().__init__(logging.INFO)
        self.events = events

    def emit(self, record) -> None:
        self.events.note(record.getMessage(),
                         "warning" if record.levelno >= logging.WARNING else "info")


def forward_notes(events: Events) -> logging.Handler:
    """Send the ``cwmkit`` loggers' messages (trainers, rewards) to ``events``."""
    handler = _Notes(events)
    logger = logging.getLogger("cwmkit")
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return handler


def trainer_callback(events: Events, stage: str):
    """A TrainerCallback with a bar of optimizer steps and a line per training log."""
    from transformers import TrainerCallback

    class Progress(TrainerCallback):
        bar: Bar | None = None

        def on_train_begin(self, args, state, control, **kwargs):
            self.bar = events.bar(stage, "steps", state.max_steps or None, state.global_step)

        def on_step_end(self, args, state, control, **kwargs):
            if self.bar is not None:
                self.bar.update(done=state.global_step, total=state.max_steps or None)

        def on_log(self, args, state, control, logs=None, **kwargs):
            if not logs or not state.is_world_process_zero:
                return
            record = {"step": state.global_step, "max_steps": state.max_steps,
                      **{k: v for k, v in logs.items() if isinstance(v, (int, float, str))}}
            events.log(stage, record)
            if self.bar is not None:
                self.bar.update(extra=log_line(stage, logs))

        def on_train_end(self, args, state, control, **kwargs):
            if self.bar is not None:
                self.bar.close()
                self.bar = None

    return Progress()
