"""The verifier's side of the sandbox: a zygote process and per-candidate sessions.

The zygote is a fresh, small interpreter (``python -S -s -P -B zygote.py``) started with a
scrubbed environment and a fixed hash seed; it never imports torch or anything large, so
it is safe to start from a trainer. It isolates itself once (a user namespace where the
caller is not root, network and mount namespaces, a minimal read-only root holding only
the standard library, a private tmpfs) and forks one child per candidate; the verifier
talks to each child over its own socket. Children run under resource limits without
privileges, in their own process group, watched for CPU by the zygote, and die with the
zygote, which dies with the verifier.

Who failed is decided by construction, never by reading text: a child says hello before
any candidate code runs in it, and only a missing hello, a zygote that stops answering or
a spawn that fails is the sandbox's failure (``SandboxFailure``). Anything after the hello
(an error reply, a garbled frame, a process that dies) is the candidate's doing
(``SandboxDied``), however it is worded.
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

__all__ = ["REQUIRED_ISOLATION", "SandboxDied", "SandboxError", "SandboxFailure",
           "SandboxTimeout", "Session", "Zygote", "missing_isolation"]

ZYGOTE = Path(zygote.__file__)
#: The isolations without which untrusted code is refused (unless the caller opts out):
#: no network, and a filesystem view of the standard library and a private /tmp only.
REQUIRED_ISOLATION = ("network_namespace", "mount_namespace", "private_root")


def missing_isolation(isolation: dict) -> list[str]:
    """The required isolations that ``isolation`` (a zygote's report) lacks."""
    return [name for name in REQUIRED_ISOLATION if not isolation.get(name)]


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
        # The watchdog's kill, SIGXCPU / SIGKILL at the CPU rlimit, the harness's own exit
        # on a swallowed CPU timer, or a request that ran out of CPU: out of CPU time.
        error = self.status.get("error") or {}
        return (bool(self.status.get("watchdog"))
                or self.status.get("signal") in (signal.SIGXCPU, signal.SIGKILL)
                or self.status.get("exit") == zygote.EXIT_SWALLOWED_TIMEOUT
                or (isinstance(error, dict) and error.get("kind") == "timeout"))


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
    #: The child's hello (privileges dropped, limits missing): read with the first reply.
    info: dict = field(default_factory=dict)
    greeted: bool = False

    def _hello(self) -> None:
        """The hello comes before any candidate code runs: failing to get it is the
        sandbox's failure, not the candidate's."""
        try:
            hello = zygote.recv(self.sock)
        except TimeoutError:
            self.kill()
            raise SandboxFailure("the sandboxed process did not start in time") from None
        except (EOFError, OSError, ValueError):
            self.kill()
            raise SandboxFailure("the sandboxed process failed before it started: "
                                 f"{self.zygote.status(self.pid, wait=True)}") from None
        if not isinstance(hello, dict) or "hello" not in hello:
            self.kill()
            why = hello.get("setup_error") if isinstance(hello, dict) else None
            raise SandboxFailure(f"setting up the sandboxed process failed: {why}")
        self.info = hello["hello"] if isinstance(hello["hello"], dict) else {}
        self.greeted = True

    def request(self, message: dict, *, wall_seconds: float) -> dict:
        """Send ``message`` and wait for the reply. An ``error`` reply, a garbled or
        missing reply and a process that dies all raise ``SandboxDied`` (the candidate's
        doing); ``SandboxFailure`` only before the child's hello."""
        if self.closed:
            raise SandboxFailure("session already closed")
        self.sock.settimeout(wall_seconds)
        try:
            zygote.send(self.sock, message)
        except OSError:
            if self.greeted:
                self.kill()
                raise SandboxDied(self.zygote.status(self.pid, wait=True)) from None
        if not self.greeted:
            self._hello()
        try:
            reply = zygote.recv(self.sock)
        except TimeoutError:
            self.kill()
            raise SandboxTimeout(f"no reply within {wall_seconds:g} s of wall time") from None
        except (EOFError, ConnectionError, OSError):
            self.kill()
            raise SandboxDied(self.zygote.status(self.pid, wait=True)) from None
        except ValueError as exc:  # an oversized or garbled frame
            self.kill()
            raise SandboxDied({"protocol": str(exc)[:200]}) from None
        if not isinstance(reply, dict):
            self.kill()
            raise SandboxDied({"protocol": "reply is not an object"})
        cpu = reply.get("cpu")
        if type(cpu) in (int, float) and cpu >= 0:
            self.cpu_seconds += float(cpu)
        error = reply.get("error")
        if error is not None:
            raise SandboxDied({"error": error if isinstance(error, dict) else
                               {"kind": "protocol", "message": "malformed error"}})
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
        """End the candidate process (its process group, killed); the zygote reaps it
        within milliseconds, with no round trip to wait for."""
        self.kill()

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
        self.user_namespace = False

    def _start(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        # A fixed hash seed: a program that iterates a set of strings does so in the
        # same order on every run (the environment is otherwise empty, so -E is moot).
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "PYTHONHASHSEED": "0"}
        if "CWMKIT_SANDBOX_TMP" in os.environ:
            env["CWMKIT_SANDBOX_TMP"] = os.environ["CWMKIT_SANDBOX_TMP"]
        self._proc = subprocess.Popen(
            [sys.executable, "-S", "-s", "-P", "-B", str(ZYGOTE), str(theirs.fileno()),
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
        self.user_namespace = bool(ready.get("user_namespace"))

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
