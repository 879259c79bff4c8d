"""What a trusted reference GameCWM executes: its lines and branches, with hit counts.

Runs in the verifier's own process on the reference only (trusted plugin code), never on
a candidate. ``Tracer.call(label, fn, *args)`` runs one GameCWM function of the reference
and adds the coverage *features* of that call to ``Tracer.features``: for every branch
(an arc from one line to the next, or a ``sys.monitoring`` branch event) and every line of
the reference's file that the call executed, the feature ``(label, where, hits)`` with the
number of hits bucketed (exact up to 16, then by powers of two). Counting hits is what lets
the search tell apart "the win was found on the 6th line of the table" from "on the 1st":
the loop over the table ran a different number of times, while the set of branches is the
same.

Python 3.12+ uses ``sys.monitoring`` (line and branch events, enabled on the reference's
code objects only); 3.11 uses ``sys.settrace`` (line arcs, traced only inside the
reference's file). Features are deterministic for one Python version and backend.
"""

from __future__ import annotations

import sys
import threading
import types
from collections.abc import Callable

__all__ = ["BACKEND", "Tracer", "bucket", "executable_lines"]

BACKEND = "monitoring" if hasattr(sys, "monitoring") else "settrace"


def bucket(hits: int) -> int:
    """Hit counts, exact up to 16 and by powers of two above."""
    return hits if hits <= 16 else 12 + hits.bit_length()


def _code_objects(module: types.ModuleType, filename: str) -> list[types.CodeType]:
    """Every code object defined in ``filename`` that the module reaches (functions,
    methods, nested functions, comprehensions)."""
    found: dict[int, types.CodeType] = {}
    stack = []
    for value in vars(module).values():
        if isinstance(value, types.FunctionType):
            stack.append(value.__code__)
        elif isinstance(value, type):
            stack.extend(v.__code__ for v in vars(value).values()
                         if isinstance(v, types.FunctionType))
    while stack:
        code = stack.pop()
        if code.co_filename != filename or id(code) in found:
            continue
        found[id(code)] = code
        stack.extend(c for c in code.co_consts if isinstance(c, types.CodeType))
    return list(found.values())


def executable_lines(module: types.ModuleType) -> set[int]:
    """The lines of the module's functions that can execute (the denominator of line
    coverage; module-level code runs at import and is not counted)."""
    filename = module.__file__
    lines: set[int] = set()
    for code in _code_objects(module, filename):
        mine = {line for _, _, line in code.co_lines() if line is not None}
        if not code.co_name.startswith("<"):
            mine.discard(code.co_firstlineno)  # a def line runs at import
        lines |= mine
    return lines


class Tracer:
    """Coverage features of calls into one reference module, on the calling thread."""

    def __init__(self, module: types.ModuleType) -> None:
        self.module = module
        self.filename = module.__file__
        self.features: set = set()
        self.lines: set[int] = set()
        self.calls = 0
        self.events = 0  # line and branch hits traced so far: the search's budget unit
        self._counts: dict = {}
        self._thread = threading.get_ident()
        self._codes = _code_objects(module, self.filename)

    def __enter__(self) -> Tracer:
        if BACKEND == "monitoring":
            _monitoring_start(self)
        return self

    def __exit__(self, *exc) -> None:
        if BACKEND == "monitoring":
            _monitoring_stop(self)

    def call(self, label: str, fn: Callable, *args):
        """``fn(*args)`` under tracing (inside ``with tracer:``); its features join
        ``features``."""
        self.calls += 1
        self._counts = counts = {}
        if BACKEND == "settrace":
            previous = sys.gettrace()
            sys.settrace(self._global)
        try:
            return fn(*args)
        finally:
            if BACKEND == "settrace":
                sys.settrace(previous)
            self._counts = {}
            self.events += sum(counts.values())
            for where, hits in counts.items():
                self.features.add((label, where, bucket(hits)))
                if where[-1] > 0:
                    self.lines.add(where[-1])

    # ------------------------------------------------------------------ settrace

    def _global(self, frame, event, arg):
        code = frame.f_code
        if code.co_filename != self.filename:
            return None
        counts = self._counts
        last = [-code.co_firstlineno]

        def local(frame, event, arg):
            if event == "line":
                line = frame.f_lineno
                arc = (last[0], line)
                counts[arc] = counts.get(arc, 0) + 1
                last[0] = line
            elif event == "return":
                arc = (last[0], -code.co_firstlineno)
                counts[arc] = counts.get(arc, 0) + 1
            return local

        return local


# --------------------------------------------------------------------------- monitoring

_MONITOR = {"tool": None, "active": None, "lock": threading.Lock()}


def _monitoring_tool() -> int:
    """A free ``sys.monitoring`` tool id of our own (coverage tools may hold others)."""
    if _MONITOR["tool"] is None:
        mon = sys.monitoring
        for tool in (4, 3, 5, 2, 1, 0):
            if mon.get_tool(tool) is None:
                mon.use_tool_id(tool, "cwmkit-coverage")
                mon.register_callback(tool, mon.events.LINE, _on_line)
                branch = getattr(mon.events, "BRANCH", None) or mon.events.BRANCH_RIGHT
                mon.register_callback(tool, branch, _on_branch)
                if hasattr(mon.events, "BRANCH_LEFT"):
                    mon.register_callback(tool, mon.events.BRANCH_LEFT, _on_branch)
                _MONITOR["tool"] = tool
                break
        else:
            raise RuntimeError("no free sys.monitoring tool id for coverage")
    return _MONITOR["tool"]


def _events():
    events = sys.monitoring.events
    out = events.LINE
    for name in ("BRANCH", "BRANCH_LEFT", "BRANCH_RIGHT"):
        out |= getattr(events, name, 0)
    return out


def _on_line(code, line):
    tracer = _MONITOR["active"]
    if tracer is not None and threading.get_ident() == tracer._thread:
        key = (code.co_firstlineno, line)  # a line: its last element is the line (> 0)
        tracer._counts[key] = tracer._counts.get(key, 0) + 1


def _on_branch(code, offset, destination):
    tracer = _MONITOR["active"]
    if tracer is not None and threading.get_ident() == tracer._thread:
        key = (code.co_firstlineno, offset, -destination - 1)  # a branch: last < 0
        tracer._counts[key] = tracer._counts.get(key, 0) + 1


def _monitoring_start(tracer: Tracer) -> None:
    _MONITOR["lock"].acquire()
    tool = _monitoring_tool()
    _MONITOR["active"] = tracer
    events = _events()
    for code in tracer._codes:
        sys.monitoring.set_local_events(tool, code, events)
    sys.monitoring.restart_events()


def _monitoring_stop(tracer: Tracer) -> None:
    try:
        tool = _MONITOR["tool"]
        for code in tracer._codes:
            sys.monitoring.set_local_events(tool, code, 0)
        _MONITOR["active"] = None
    finally:
        _MONITOR["lock"].release()
