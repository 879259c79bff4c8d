"""Running a plan in its run directory: skip what is done, resume what was cut off.

The run directory holds ``pipeline.yaml`` (the file as given), ``resolved.json`` (every
step's resolved config and key), ``state/<step>.json`` (written whole: ``running`` when a
step starts, ``done`` with its outputs and summary when it ends), one folder per step and
``report.md``. For each step in order: done with the same key, it is skipped; running
with the same key (the run was killed), it resumes on its own leftovers; a different key
(its config or an input changed), its folder is removed and it starts again; no state, it
starts afresh. One run at a time holds a lock on the directory.
"""

from __future__ import annotations

import contextlib
import shutil
import time
import warnings
from pathlib import Path

from cwmkit.core.errors import ConfigError
from cwmkit.pipeline.plan import Plan
from cwmkit.pipeline.progress import Events, forward_notes
from cwmkit.pipeline.records import read_json, write_json
from cwmkit.pipeline.stages import RUNNERS, Context

__all__ = ["plan_status", "run_plan"]


def _state_path(run_dir: Path, name: str) -> Path:
    return run_dir / "state" / f"{name}.json"


def plan_status(plan: Plan) -> dict[str, str]:
    """Step -> what a run would do: ``done`` (skip), ``resume``, ``redo`` or ``run``."""
    status = {}
    for name, step in plan.steps.items():
        state = read_json(_state_path(plan.run_dir, name))
        if state is None:
            status[name] = "run"
        elif state.get("key") != step.key:
            status[name] = "redo"
        else:
            status[name] = "done" if state.get("status") == "done" else "resume"
    return status


@contextlib.contextmanager
def _locked(run_dir: Path):
    import fcntl

    run_dir.mkdir(parents=True, exist_ok=True)
    handle = (run_dir / ".lock").open("w")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.close()
        raise ConfigError(f"{run_dir} is in use by another cwmkit run",
                          hint="wait for it to finish, or give this run another --out") from None
    try:
        yield
    finally:
        fcntl.flock(handle, fcntl.LOCK_UN)
        handle.close()


@contextlib.contextmanager
def quiet_libraries():
    """The libraries' own progress bars and chatter off: the run shows its own."""
    restore = []
    try:
        import transformers

        level = transformers.utils.logging.get_verbosity()
        transformers.utils.logging.set_verbosity_error()
        transformers.utils.logging.disable_progress_bar()
        restore.append(lambda: (transformers.utils.logging.set_verbosity(level),
                                transformers.utils.logging.enable_progress_bar()))
    except ImportError:
        pass
    try:
        import datasets

        datasets.disable_progress_bars()
        restore.append(datasets.enable_progress_bars)
    except ImportError:
        pass
    with warnings.catch_warnings():
        for module in ("transformers", "trl", "peft", "torch", "accelerate", "datasets"):
            warnings.filterwarnings("ignore", module=rf"{module}(\.|$)")
        try:
            yield
        finally:
            for undo in reversed(restore):
                undo()


def _relative(value, run_dir: Path):
    if isinstance(value, str) and Path(value).is_absolute():
        try:
            return str(Path(value).relative_to(run_dir))
        except ValueError:
            return value
    return value


def _remove(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    elif path.exists():
        path.unlink()


def _preflight(plan: Plan) -> None:
    """What must hold before any work starts and was not a file check: the model."""
    needs_model = any(n in plan.steps for n in ("sft", "grpo")) or (
        "generate" in plan.steps and plan.steps["generate"].extra["backend"] != "openai")
    if needs_model and not plan.tiny and not Path(plan.model_path).is_dir():
        from cwmkit.training import check_model_source

        check_model_source(plan.model_path)


def run_plan(plan: Plan, events: Events | None = None) -> dict:
    """Run every step of ``plan`` that is not done; returns the run's summary."""
    events = events or Events()
    status = plan_status(plan)
    plan.check([name for name, what in status.items() if what != "done"])
    _preflight(plan)
    run_dir = plan.run_dir
    handler = forward_notes(events)
    try:
        with _locked(run_dir), quiet_libraries():
            write_json(run_dir / "resolved.json", plan.resolved())
            (run_dir / "pipeline.yaml").write_text(plan.text, "utf-8")
            states: dict = {}
            ctx = Context(plan=plan, events=events, states=states)
            for name, step in plan.steps.items():
                states[name] = _run_step(ctx, name, step)
    finally:
        import logging

        logging.getLogger("cwmkit").removeHandler(handler)
    report = run_dir / "report.md"
    evaluation = (states.get("evaluate") or {}).get("summary")
    summary = {"run_dir": str(run_dir), "report": str(report) if report.is_file() else None,
               "steps": {n: {"seconds": s.get("seconds"), "line": s.get("line")}
                         for n, s in states.items()},
               "evaluation": evaluation}
    events.finish(summary)
    return summary


def _run_step(ctx: Context, name: str, step) -> dict:
    events = ctx.events
    path = _state_path(ctx.plan.run_dir, name)
    state = read_json(path)
    if state is not None and state.get("key") == step.key and state.get("status") == "done":
        events.step(name, "skip", about=step.about)
        return state
    resuming = state is not None and state.get("key") == step.key
    if state is not None and not resuming:
        events.step(name, "redo", about=step.about,
                    why="its settings or inputs changed since the last run")
        _remove(step.folder)
    elif state is None:
        _remove(step.folder)  # leftovers of a step killed before it recorded its start
    spent = state.get("seconds", 0.0) if resuming else 0.0
    write_json(path, {"step": name, "key": step.key, "status": "running", "seconds": spent})
    events.step(name, "resume" if resuming else "start", about=step.about)
    began = time.perf_counter()
    outputs, summary, line = RUNNERS[name](ctx, step, resuming)
    seconds = round(spent + time.perf_counter() - began, 3)
    # Outputs are kept relative to the run directory: a moved run directory still works.
    relative = {k: _relative(v, ctx.plan.run_dir) for k, v in outputs.items()}
    state = {"step": name, "key": step.key, "status": "done", "seconds": seconds,
             "outputs": relative, "summary": summary, "line": line}
    write_json(path, state)
    events.step(name, "done", seconds=seconds, line=line, outputs=outputs)
    return state
