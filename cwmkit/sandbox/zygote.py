"""The processes around a candidate: the zygote, the child, and the wire between.

``python -I -S zygote.py FD ISOLATE`` is started by the verifier (``sandbox.Zygote``): a
fresh, standard-library-only interpreter that isolates itself once (network and mount
namespaces, a read-only view of the filesystem, its own tmpfs) and forks one child per
candidate. The child drops privileges, sets resource limits, loads the candidate
(``harness``) and serves the verifier's requests (``ops``) over its own socket.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import socket
import struct
import sys
import time

try:
    from cwmkit.sandbox import harness
    from cwmkit.sandbox.ops import OPS
except ImportError:  # run as a script (python -I -S): stdlib only, siblings by path
    sys.path.append(os.path.dirname(os.path.abspath(__file__)))
    import harness
    from ops import OPS

EXIT_SWALLOWED_TIMEOUT = harness.EXIT_SWALLOWED_TIMEOUT
EXIT_SETUP_FAILED = harness.EXIT_SETUP_FAILED


# --------------------------------------------------------------------------- wire

_HEADER = struct.Struct("!I")
MAX_MESSAGE = 64 * 1024 * 1024


def send(sock: socket.socket, value) -> None:
    data = json.dumps(value, separators=(",", ":")).encode()
    if len(data) > MAX_MESSAGE:
        data = json.dumps({"error": {"kind": "too_large", "message":
                                     f"response of {len(data)} bytes is too large"}}).encode()
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
    cpu = int(limits.get("cpu_seconds", 30))
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


_LIBC = None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only)."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _drop_privileges(workdir: str) -> bool:
    if os.getuid() != 0:
        return False
    os.chown(workdir, 65534, 65534)
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
    return True


def child_main(sock: socket.socket, limits: dict, workdir: str) -> None:
    """The candidate's process: set up the sandbox, then serve requests until EOF."""
    os.setsid()
    os.chdir(workdir)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    for key in list(os.environ):
        del os.environ[key]
    dropped = _drop_privileges(workdir)
    _die_with_parent()  # after the uid change, which clears the setting
    missing = _set_limits(limits)
    signal.signal(signal.SIGPROF, harness.on_cpu_timer)
    sys.addaudithook(harness.audit)
    sys.setrecursionlimit(int(limits.get("recursion", 3000)))
    hello = {"dropped_privileges": dropped, "missing_limits": missing}
    cand = None
    while True:
        try:
            req = recv(sock)
        except (EOFError, OSError, ValueError):
            break
        op = req.get("op")
        started = time.process_time()
        try:
            if op == "load":
                try:
                    cand = harness.Candidate(req["source"], req.get("settings", {}))
                except SyntaxError as exc:
                    reply = {"status": "compile_error",
                             "message": f"line {exc.lineno}: {exc.msg}"}
                except harness.CallTimeout:
                    reply = {"status": "timeout", "message": "the module ran out of CPU time "
                             "while loading"}
                except BaseException as exc:
                    reply = {"status": "crashed", "message": "the module raised "
                             f"{type(exc).__name__} while loading: {harness.short(exc)}"}
                else:
                    reply = {"status": "ok", "functions": cand.arities()}
                reply["sandbox"] = hello
            elif op in OPS and cand is not None:
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
        except Exception as exc:  # a harness bug: reported as such, never as a verdict
            reply = {"error": {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"}}
        reply["cpu"] = time.process_time() - started
        try:
            send(sock, reply)
        except OSError:
            break
    os._exit(0)


# --------------------------------------------------------------------------- zygote

_CLONE_NEWNS = 0x00020000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 32, 4096, 16384, 1 << 18


def _isolate(tmp_root: str) -> dict:
    """Give this zygote (and so every child) an empty network namespace and a private,
    read-only view of the filesystem with its own writable tmpfs at ``tmp_root``.
    Returns which isolations are active; any that the OS refuses is skipped."""
    active = {"network_namespace": False, "mount_namespace": False, "read_only_root": False,
              "private_tmp": False}
    libc = _LIBC
    if libc is None:
        return active
    if libc.unshare(_CLONE_NEWNET) == 0:
        active["network_namespace"] = True
    if libc.unshare(_CLONE_NEWNS) != 0:
        return active
    active["mount_namespace"] = True
    if libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return active
    os.makedirs(tmp_root, exist_ok=True)
    if libc.mount(b"tmpfs", tmp_root.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                  b"size=256m,mode=0711") == 0:
        active["private_tmp"] = True
    ok = True
    with open("/proc/self/mountinfo") as fh:
        mounts = {}
        for line in fh:
            fields = line.split()
            mounts[fields[4]] = set(fields[5].split(","))
    for point in sorted(mounts, key=len):
        if point == tmp_root:
            continue
        # A remount must keep the flags the mount already has, or the kernel refuses.
        flags = _MS_REMOUNT | _MS_BIND | _MS_RDONLY
        for name, bit in (("nosuid", _MS_NOSUID), ("nodev", _MS_NODEV),
                          ("noexec", _MS_NOEXEC)):
            if name in mounts[point]:
                flags |= bit
        if libc.mount(None, point.encode(), None, flags, None) != 0 and point == "/":
            ok = False
    active["read_only_root"] = ok
    return active


def _preload() -> None:
    """Import every allowed module now, so children fork with them loaded."""
    for name in sorted(harness.ALLOWED_MODULES):
        __import__(name)


def zygote_main(control_fd: int, isolate: bool) -> None:
    global _LIBC
    try:
        import ctypes

        _LIBC = ctypes.CDLL(None, use_errno=True)
    except (ImportError, OSError):
        _LIBC = None
    _die_with_parent()
    control = socket.socket(fileno=control_fd)
    tmp_root = os.environ.get("CWMKIT_SANDBOX_TMP", "/tmp/cwmkit-sandbox")
    active = _isolate(tmp_root) if isolate else {}
    if not os.path.isdir(tmp_root):
        os.makedirs(tmp_root, exist_ok=True)
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    statuses: dict[int, int] = {}
    workdirs: dict[int, str] = {}
    spawned = 0
    control.sendall(json.dumps({"ready": True, "isolation": active, "uid": os.getuid()}).encode())

    def reap(block_for: int | None = None) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, 0 if block_for else os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            statuses[pid] = status
            _remove_tree(workdirs.pop(pid, None))
            if block_for and pid == block_for:
                return

    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(control, 1 << 16, 4)
        except OSError:
            break
        if not msg:
            break
        req = json.loads(msg)
        reap()
        if req["op"] == "spawn":
            spawned += 1
            workdir = os.path.join(tmp_root, f"candidate-{os.getpid()}-{spawned}")
            os.mkdir(workdir, 0o700)
            pid = os.fork()
            if pid == 0:
                control.close()
                sock = socket.socket(fileno=fds[0])
                try:
                    child_main(sock, req.get("limits", {}), workdir)
                except BaseException as exc:
                    # Setting up the sandbox failed: say why, for the infra error.
                    try:
                        send(sock, {"setup_error": f"{type(exc).__name__}: {exc}"})
                    except BaseException:
                        pass
                finally:
                    os._exit(EXIT_SETUP_FAILED)
            os.close(fds[0])
            workdirs[pid] = workdir
            control.sendall(json.dumps({"pid": pid}).encode())
        elif req["op"] == "status":
            pid = int(req["pid"])
            if req.get("wait") and pid not in statuses and pid in workdirs:
                reap(block_for=pid)
            status = statuses.pop(pid, None)
            control.sendall(json.dumps({"pid": pid, "status": _describe(status)}).encode())
        else:
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"error": "unknown op"}).encode())


def _describe(status: int | None) -> dict | None:
    if status is None:
        return None
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status)}
    return {"exit": os.WEXITSTATUS(status)}


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
