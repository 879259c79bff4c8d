"""The verifier's side of the sandbox: a zygote process and per-candidate sessions.

The zygote is a fresh, small interpreter (``python -I -S zygote.py``) started with a
scrubbed environment; it never imports torch or anything large, so it is safe to start
from a trainer. It isolates itself once (network and mount namespaces, read-only root, a
private tmpfs) and forks one child per candidate; the verifier talks to each child over
its own socket. Children run under resource limits, as an unprivileged user, in their own
process group, and die with the zygote, which dies with the verifier.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from pathlib import Path

from cwmkit.sandbox import zygote

__all__ = ["SandboxDied", "SandboxError", "SandboxFailure", "SandboxTimeout", "Session", "Zygote"]

ZYGOTE = Path(zygote.__file__)


class SandboxError(Exception):
    """The root of everything the sandbox's client raises."""


class SandboxFailure(SandboxError):
    """The sandbox itself failed (the zygote died, a spawn failed): infrastructure."""


class SandboxDied(SandboxError):
    """The candidate's process ended while the verifier was waiting on it."""

    def __init__(self, status: dict | None) -> None:
        self.status = status or {}
        super().__init__(f"candidate process ended: {self.status}")

    @property
    def timed_out(self) -> bool:
        # SIGXCPU / SIGKILL at the CPU rlimit, or the harness's own exit on a swallowed
        # CPU timer: the program ran out of CPU time.
        return (self.status.get("signal") in (signal.SIGXCPU, signal.SIGKILL)
                or self.status.get("exit") == zygote.EXIT_SWALLOWED_TIMEOUT)


class SandboxTimeout(SandboxError):
    """The wall-clock backstop expired and the candidate's process group was killed."""


@dataclass(eq=False)
class Session:
    """One candidate process. ``request`` sends an op and waits for its reply."""

    zygote: Zygote
    sock: socket.socket
    pid: int
    closed: bool = False
    cpu_seconds: float = 0.0
    info: dict = field(default_factory=dict)

    def request(self, message: dict, *, wall_seconds: float) -> dict:
        if self.closed:
            raise SandboxFailure("session already closed")
        self.sock.settimeout(wall_seconds)
        try:
            zygote.send(self.sock, message)
            reply = zygote.recv(self.sock)
        except TimeoutError:
            self.kill()
            raise SandboxTimeout(f"no reply within {wall_seconds:g} s of wall time") from None
        except (EOFError, ConnectionError, OSError):
            self.kill()
            raise SandboxDied(self.zygote.status(self.pid, wait=True)) from None
        except ValueError as exc:  # an oversized or garbled frame
            self.kill()
            raise SandboxDied({"protocol": str(exc)}) from None
        if not isinstance(reply, dict):
            self.kill()
            raise SandboxDied({"protocol": "reply is not an object"})
        cpu = reply.get("cpu")
        if isinstance(cpu, (int, float)):
            self.cpu_seconds += float(cpu)
        return reply

    def kill(self) -> None:
        if self.closed:
            return
        self.closed = True
        try:
            os.killpg(self.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.sock.close()

    def close(self) -> None:
        """End the candidate process and reap it."""
        if not self.closed:
            self.kill()
        self.zygote.status(self.pid, wait=True)

    def __enter__(self) -> Session:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class Zygote:
    """The process that forks candidate processes. Thread-safe; restarts on demand."""

    def __init__(self, *, isolate: bool = True) -> None:
        self.isolate = isolate
        self._lock = threading.Lock()
        self._proc: subprocess.Popen | None = None
        self._control: socket.socket | None = None
        self.isolation: dict = {}
        self.uid: int | None = None

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"}
        if "CWMKIT_SANDBOX_TMP" in os.environ:
            env["CWMKIT_SANDBOX_TMP"] = os.environ["CWMKIT_SANDBOX_TMP"]
        self._proc = subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", str(ZYGOTE), str(theirs.fileno()),
             "1" if self.isolate else "0"],
            pass_fds=[theirs.fileno()], env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
            cwd="/",
        )
        theirs.close()
        ours.settimeout(60)
        try:
            ready = json.loads(ours.recv(1 << 16) or b"null")
        except (OSError, ValueError) as exc:
            self._proc.kill()
            raise SandboxFailure(f"the sandbox zygote did not start: {exc}") from None
        if not isinstance(ready, dict) or not ready.get("ready"):
            self._proc.kill()
            raise SandboxFailure("the sandbox zygote did not start")
        ours.settimeout(None)
        self._control = ours
        self.isolation = ready.get("isolation") or {}
        self.uid = ready.get("uid")

    def _call(self, message: dict, fds: list[int] | None = None) -> dict:
        with self._lock:
            for attempt in (0, 1):
                if self._proc is None or self._proc.poll() is not None:
                    if fds is None and attempt == 0 and self._proc is not None:
                        return {}  # a status query after a restart: nothing to report
                    self._start()
                try:
                    data = json.dumps(message).encode()
                    if fds:
                        socket.send_fds(self._control, [data], fds)
                    else:
                        self._control.sendall(data)
                    reply = self._control.recv(1 << 16)
                    if not reply:
                        raise EOFError
                    return json.loads(reply)
                except (OSError, EOFError, ValueError):
                    self._stop()
                    if attempt:
                        raise SandboxFailure("the sandbox zygote stopped answering") from None
        raise SandboxFailure("unreachable")

    def spawn(self, limits: dict) -> Session:
        """A new candidate process; its own end of the socket is handed over by fd."""
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            reply = self._call({"op": "spawn", "limits": limits}, [theirs.fileno()])
        finally:
            theirs.close()
        pid = reply.get("pid")
        if not isinstance(pid, int):
            ours.close()
            raise SandboxFailure(f"spawn failed: {reply}")
        return Session(self, ours, pid)

    def status(self, pid: int, *, wait: bool) -> dict | None:
        try:
            return self._call({"op": "status", "pid": pid, "wait": wait}).get("status")
        except SandboxFailure:
            return None

    def ensure_started(self) -> dict:
        """Start the zygote now (before heavy imports) and say which isolations hold."""
        with self._lock:
            if self._proc is None or self._proc.poll() is not None:
                self._start()
        return dict(self.isolation)

    def _stop(self) -> None:
        if self._control is not None:
            self._control.close()
            self._control = None
        if self._proc is not None:
            try:
                os.killpg(self._proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self._proc.wait()
            self._proc = None

    def close(self) -> None:
        with self._lock:
            self._stop()

    def __del__(self) -> None:
        try:
            self.close()
        except Exception:
            pass
