"""The CPU budget of candidate code: a timer for a clean per-call fault, and the windows
the zygote's watchdog enforces (``zygote``), which no signal handler of the child can
escape. Standard library only."""

from __future__ import annotations

import os
import signal


class CallTimeout(BaseException):
    """Raised in the candidate's code when a call runs out of CPU time."""


class Fault(Exception):
    """A contract violation found while running the candidate."""

    def __init__(self, kind: str, message: str, *, expected=None, actual=None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.expected = expected
        self.actual = actual


_TIMER = {"armed": False, "strikes": 0}
EXIT_SWALLOWED_TIMEOUT = 86
EXIT_SETUP_FAILED = 70

#: The watchdog's view of this process (``zygote``): slot 0 counts the windows opened
#: (one per call, one per request, one for each reply), slot 1 holds the current
#: window's CPU allowance in nanoseconds. The zygote kills the process when the CPU it
#: used since the count last changed exceeds the allowance: that holds in C code and
#: against a program that swallows the timer, which no signal handler can.
_WATCH = {"slots": None, "count": 0}
#: A window's hard allowance: the soft budget, half again, and a margin.
HARD_FACTOR, HARD_MARGIN = 1.5, 0.05


def watch(slots) -> None:
    """Hand this process's watchdog slots (a memoryview of two uint64) to the harness."""
    _WATCH["slots"] = slots


def open_window(seconds: float) -> None:
    """Start a new watchdog window of ``seconds`` of soft budget."""
    slots = _WATCH["slots"]
    if slots is None:
        return
    _WATCH["count"] += 1
    slots[1] = int((seconds * HARD_FACTOR + HARD_MARGIN) * 1e9)
    slots[0] = _WATCH["count"]


def close_window() -> None:
    """No window: the process is idle (an allowance of 0 means no limit)."""
    slots = _WATCH["slots"]
    if slots is not None:
        _WATCH["count"] += 1
        slots[1] = 0
        slots[0] = _WATCH["count"]


def on_cpu_timer(signum, frame):
    if not _TIMER["armed"]:
        return
    _TIMER["strikes"] += 1
    if _TIMER["strikes"] > 20:
        # The candidate keeps catching CallTimeout: end the process; the verifier
        # reports the timeout from the exit status.
        os._exit(EXIT_SWALLOWED_TIMEOUT)
    raise CallTimeout()


class Budget:
    """A CPU-time budget for one stretch of candidate code: ITIMER_PROF raises
    ``CallTimeout`` at ``seconds`` (CPU, not wall), and a new watchdog window kills the
    process if the stretch, and what the harness does with its result, runs well past."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self):
        open_window(self.seconds)
        _TIMER["armed"] = True
        _TIMER["strikes"] = 0
        signal.setitimer(signal.ITIMER_PROF, self.seconds, 0.05)
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        _TIMER["armed"] = False
        return False


