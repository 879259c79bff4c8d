"""The processes around a candidate: the zygote, the child, and the wire between.

``python -S -s -P -B zygote.py FD ISOLATE`` is started by the verifier (``sandbox.Zygote``)
with a scrubbed environment (and a fixed hash seed, so that a program's set orders repeat):
a fresh, standard-library-only interpreter that preloads what candidates may import,
isolates itself once (``isolation``: a user namespace where it is not root, no network, a
read-only root holding only the standard library and a private /tmp) and forks one child
per candidate process.

The child drops privileges (the nobody user as root, every capability inside a user
namespace, no new privileges either way), sets resource limits, says hello (before any
candidate code runs: what the verifier hears after that is the candidate's doing), loads
the candidate (``harness``) and serves the verifier's requests (``ops``).

The zygote is also the watchdog: each child counts the budget windows it opens in a page
shared with the zygote (``budget``), which reads the child's CPU clock every few
milliseconds and kills the child when a window runs past its allowance. No signal handler
of the child is involved, so a long call in C code or a program that swallows the CPU
timer is stopped all the same.
"""

from __future__ import annotations

import json
import mmap
import os
import resource
import select
import signal
import socket
import struct
import sys
import time

try:
    from cwmkit.sandbox import harness, isolation
    from cwmkit.sandbox.ops import OPS
except ImportError:  # run as a script: stdlib only, siblings by path
    sys.path.append(os.path.dirname(os.path.abspath(__file__)))
    import harness
    import isolation
    from ops import OPS

EXIT_SWALLOWED_TIMEOUT = harness.EXIT_SWALLOWED_TIMEOUT
EXIT_SETUP_FAILED = harness.EXIT_SETUP_FAILED
SANDBOX_UID = 65534
#: How often the watchdog reads the children's CPU clocks.
WATCH_INTERVAL = 0.005
#: The CPU a child may spend encoding and sending one reply.
SEND_SECONDS = 2.0
#: Exit statuses kept for the verifier to ask about (the oldest go first).
KEPT_STATUSES = 1024


# --------------------------------------------------------------------------- wire

_HEADER = struct.Struct("!I")
MAX_MESSAGE = 64 * 1024 * 1024


def _dumps(value) -> bytes:
    return json.dumps(value, separators=(",", ":"), allow_nan=False).encode()


def send(sock: socket.socket, value) -> None:
    """Send one message. A reply that cannot be encoded (an integer too large for JSON,
    say) or is too large goes as an error of the candidate's, never as a failure here."""
    try:
        data = _dumps(value)
    except (ValueError, TypeError, OverflowError, RecursionError, MemoryError) as exc:
        data = _dumps({"error": {"kind": "not_plain", "message": "the program's values "
                                 f"could not be encoded ({type(exc).__name__})"}})
    if len(data) > MAX_MESSAGE:
        data = _dumps({"error": {"kind": "too_large", "message":
                                 f"a reply of {len(data)} bytes is too large"}})
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise EOFError("peer closed the connection")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket):
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes is too large")
    return json.loads(_recv_exact(sock, size))


# --------------------------------------------------------------------------- child


def _set_limits(limits: dict) -> list[str]:
    """Resource limits for the child; returns what could not be applied."""
    missing = []
    cpu = max(1, int(limits.get("cpu_seconds", 30)))
    wanted = [
        (resource.RLIMIT_CPU, (cpu, cpu + 1)),
        (resource.RLIMIT_AS, (int(limits.get("memory_bytes", 1 << 30)),) * 2),
        (resource.RLIMIT_FSIZE, (int(limits.get("file_bytes", 1 << 20)),) * 2),
        (resource.RLIMIT_NPROC, (0, 0)),
        (resource.RLIMIT_NOFILE, (32, 32)),
        (resource.RLIMIT_CORE, (0, 0)),
    ]
    for which, value in wanted:
        try:
            resource.setrlimit(which, value)
        except (ValueError, OSError):
            missing.append(f"rlimit {which}")
    return missing


def _drop_privileges(workdir: str) -> bool:
    """The nobody user as root; every capability inside a user namespace."""
    if os.getuid() == 0 and not isolation.in_user_namespace():
        os.chown(workdir, SANDBOX_UID, SANDBOX_UID)  # the uid change clears the caps
        os.setgroups([])
        os.setgid(SANDBOX_UID)
        os.setuid(SANDBOX_UID)
        isolation.no_new_privileges()
        return True
    return isolation.drop_capabilities()


def child_main(sock: socket.socket, limits: dict, workdir: str, devnull: int,
               slots) -> None:
    """The candidate's process: set up the sandbox, say hello, serve requests until EOF."""
    os.setsid()
    os.chdir(workdir)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    for key in list(os.environ):
        del os.environ[key]
    dropped = _drop_privileges(workdir)
    isolation.die_with_parent()  # after the uid change, which clears the setting
    missing = _set_limits(limits)
    harness.watch(slots)
    signal.signal(signal.SIGPROF, harness.on_cpu_timer)
    sys.addaudithook(harness.audit)
    sys.setrecursionlimit(int(limits.get("recursion", 3000)))
    # Hello: everything the verifier hears before this is the sandbox's own.
    send(sock, {"hello": {"dropped_privileges": dropped, "uid": os.getuid(),
                          "missing_limits": missing, "watchdog": slots is not None}})
    serve(sock)
    os._exit(0)


def serve(sock: socket.socket) -> None:
    """Answer requests until EOF. From the load on, the process holds candidate code:
    every failure here is reported as the candidate's (``error`` kinds), never as the
    sandbox's, and the verifier counts it so."""
    cand = None
    call_seconds = 1.0
    while True:
        harness.close_window()
        try:
            req = recv(sock)
        except (EOFError, OSError, ValueError):
            break
        harness.open_window(call_seconds)
        started = time.process_time()
        try:
            op = req.get("op") if type(req) is dict else None
            if op == "load" and cand is None:
                settings = req.get("settings") or {}
                call_seconds = float(settings.get("call_cpu_seconds", 1.0))
                harness.seal(int(settings.get("seed", 0)))
                cand = harness.Candidate(req["source"], settings)
                if cand.failure:
                    reply = {"status": cand.failure[0], "message": cand.failure[1]}
                else:
                    reply = {"status": "ok", "functions": cand.arities()}
            elif op in OPS and cand is not None and not cand.failure:
                reply = OPS[op](cand, req)
            elif op == "output":
                reply = {"output": cand.output.text() if cand else ""}
            else:
                reply = {"error": {"kind": "protocol", "message": f"unknown op {op!r}"}}
        except harness.CallTimeout:
            reply = {"error": {"kind": "timeout", "message": "out of CPU time"}}
        except MemoryError:
            reply = {"error": {"kind": "memory", "message": "out of memory"}}
        except RecursionError:
            reply = {"error": {"kind": "exception", "message": "RecursionError"}}
        except BaseException as exc:
            # The program's values made the harness fail: its fault, by construction.
            reply = {"error": {"kind": "harness", "message": "the sandbox could not handle "
                               f"the program's values ({harness.type_name(type(exc))})"}}
        reply["cpu"] = time.process_time() - started
        harness.open_window(SEND_SECONDS)
        try:
            send(sock, reply)
        except OSError:
            break


def _preload() -> None:
    """Import every allowed module now: children fork with them loaded, and after the
    pivot nothing outside the standard library can be imported anyway."""
    for name in sorted(harness.ALLOWED_MODULES):
        __import__(name)
    harness.prepare()


# --------------------------------------------------------------------------- watchdog


def _cpu_clock(pid: int) -> int:
    """The clock id of another process's CPU time (CPUCLOCK_SCHED of the process)."""
    return ((~pid) << 3) | 2


class _Child:
    """What the zygote keeps of a child: its workdir and the watchdog's shared page."""

    __slots__ = ("workdir", "page", "slots", "count", "start")

    def __init__(self, workdir: str) -> None:
        self.workdir = workdir
        self.page = mmap.mmap(-1, mmap.PAGESIZE)
        self.slots = memoryview(self.page).cast("Q")
        self.count = -1
        self.start = 0

    def release(self) -> None:
        self.slots.release()
        self.page.close()


def _watch(children: dict, killed: dict) -> None:
    """Kill every child whose current window used more CPU than its allowance."""
    for pid, child in children.items():
        if pid in killed:
            continue
        slots = child.slots
        count, allowance = slots[0], slots[1]
        if slots[0] != count:
            continue  # changing right now: look again next time
        try:
            cpu = time.clock_gettime_ns(_cpu_clock(pid))
        except OSError:
            continue
        if count != child.count:
            child.count, child.start = count, cpu
        elif allowance and cpu - child.start > allowance:
            killed[pid] = "cpu"
            for kill in (os.killpg, os.kill):
                try:
                    kill(pid, signal.SIGKILL)
                except OSError:
                    pass


# --------------------------------------------------------------------------- zygote


def zygote_main(control_fd: int, isolate: bool) -> None:
    isolation.load_libc()
    isolation.die_with_parent()
    control = socket.socket(fileno=control_fd)
    _preload()
    devnull = os.open(os.devnull, os.O_RDWR)
    active, tmp_root = isolation.isolate() if isolate else ({}, None)
    # No child can ever gain a capability by exec (the zygote keeps its own: it must
    # signal children of another uid).
    isolation.drop_bounding_set()
    if tmp_root is None:
        tmp_root = os.environ.get("CWMKIT_SANDBOX_TMP")
        if tmp_root:
            os.makedirs(tmp_root, exist_ok=True)
        else:
            import tempfile

            tmp_root = tempfile.mkdtemp(prefix="cwmkit-sandbox-")
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    statuses: dict[int, int] = {}
    children: dict[int, _Child] = {}
    killed: dict[int, str] = {}
    spawned = 0
    control.sendall(json.dumps({"ready": True, "isolation": active, "uid": os.getuid(),
                                "user_namespace": isolation.in_user_namespace()}).encode())

    def reap(block_for: int | None = None) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, 0 if block_for else os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            statuses[pid] = status
            if len(statuses) > KEPT_STATUSES:  # nobody asked about the oldest
                oldest = next(iter(statuses))
                del statuses[oldest]
                killed.pop(oldest, None)
            child = children.pop(pid, None)
            if child is not None:
                child.release()
                _remove_tree(child.workdir)
            if block_for and pid == block_for:
                return

    while True:
        try:
            ready, _, _ = select.select([control], [], [],
                                        WATCH_INTERVAL if children else None)
        except InterruptedError:
            ready = []
        _watch(children, killed)
        reap()
        if not ready:
            continue
        try:
            msg, fds, _flags, _addr = socket.recv_fds(control, 1 << 16, 4)
        except OSError:
            break
        if not msg:
            break
        req = json.loads(msg)
        if req["op"] == "spawn":
            spawned += 1
            workdir = os.path.join(tmp_root, f"candidate-{os.getpid()}-{spawned}")
            os.mkdir(workdir, 0o700)
            child = _Child(workdir)
            pid = os.fork()
            if pid == 0:
                control.close()
                for other in children.values():
                    other.release()  # only its own page stays mapped here
                sock = socket.socket(fileno=fds[0])
                try:
                    child_main(sock, req.get("limits", {}), workdir, devnull, child.slots)
                except BaseException as exc:
                    # Setting up the sandbox failed (no candidate code has run): say why.
                    try:
                        send(sock, {"setup_error": f"{type(exc).__name__}: {exc}"})
                    except BaseException:
                        pass
                finally:
                    os._exit(EXIT_SETUP_FAILED)
            os.close(fds[0])
            children[pid] = child
            control.sendall(json.dumps({"pid": pid}).encode())
        elif req["op"] == "status":
            pid = int(req["pid"])
            if req.get("wait") and pid not in statuses and pid in children:
                reap(block_for=pid)
            status = _describe(statuses.pop(pid, None), killed.pop(pid, None))
            control.sendall(json.dumps({"pid": pid, "status": status}).encode())
        else:
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"error": "unknown op"}).encode())


def _describe(status: int | None, watchdog: str | None) -> dict | None:
    if status is None:
        return None
    if os.WIFSIGNALED(status):
        out = {"signal": os.WTERMSIG(status)}
    else:
        out = {"exit": os.WEXITSTATUS(status)}
    if watchdog:
        out["watchdog"] = watchdog
    return out


def _remove_tree(path: str | None) -> None:
    if not path:
        return
    for root, dirs, files in os.walk(path, topdown=False):
        for name in files:
            try:
                os.unlink(os.path.join(root, name))
            except OSError:
                pass
        for name in dirs:
            try:
                os.rmdir(os.path.join(root, name))
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError:
        pass


if __name__ == "__main__":
    zygote_main(int(sys.argv[1]), isolate=sys.argv[2] == "1")
