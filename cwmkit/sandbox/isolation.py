"""What the OS gives the sandbox: namespaces, a minimal root, and dropped capabilities.

The zygote calls ``isolate()`` once (``zygote``); every child it forks inherits the view.
As root the namespaces are made directly; any other user (or a root the kernel refuses)
first enters an unprivileged user namespace in which it is root, with only its own uid
mapped. Then an empty network namespace, and a private mount namespace whose root is a
new read-only tmpfs holding only the standard library (bound read-only) and a private
``/tmp``; the old root is detached. Whatever the OS refuses is skipped and reported.
Standard library only (``ctypes`` for the system calls).
"""

from __future__ import annotations

import os
import platform
import signal
import sysconfig

LIBC = None
_PR_SET_PDEATHSIG, _PR_CAPBSET_DROP, _PR_SET_NO_NEW_PRIVS = 1, 24, 38
_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL = 47, 4
_CAPABILITY_VERSION_3 = 0x20080522


def load_libc() -> None:
    """The C library, where it has the Linux calls the sandbox uses (else None: nothing is
    isolated, and the verifier refuses untrusted code unless told otherwise)."""
    global LIBC
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        for name in ("unshare", "mount", "prctl", "capset", "syscall", "umount2"):
            getattr(libc, name)
    except (ImportError, OSError, AttributeError):
        libc = None
    LIBC = libc


def die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only)."""
    if LIBC is not None:
        LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def drop_bounding_set() -> None:
    """No capability can ever be gained again, by exec or otherwise."""
    if LIBC is None:
        return
    for cap in range(64):
        LIBC.prctl(_PR_CAPBSET_DROP, cap, 0, 0, 0)
    LIBC.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)


def no_new_privileges() -> None:
    """Neither this process nor anything it could exec may gain a privilege."""
    if LIBC is not None:
        LIBC.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)


def drop_capabilities() -> bool:
    """Drop every capability (effective, permitted, inheritable; the zygote dropped the
    bounding and ambient sets for all its children) and forbid gaining any (no new
    privileges). True when the capability sets are empty."""
    if LIBC is None:
        return False
    import ctypes

    header = (ctypes.c_uint32 * 2)(_CAPABILITY_VERSION_3, 0)
    data = (ctypes.c_uint32 * 6)()
    dropped = LIBC.capset(header, data) == 0
    LIBC.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0)
    return dropped


_CLONE_NEWNS, _CLONE_NEWUSER, _CLONE_NEWNET = 0x00020000, 0x10000000, 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 32, 4096, 16384, 1 << 18
_MS_NOATIME, _MS_NODIRATIME, _MS_RELATIME = 1024, 2048, 1 << 21
_MNT_DETACH = 2
_PIVOT_ROOT = {"x86_64": 155, "amd64": 155, "aarch64": 41, "arm64": 41}
#: statvfs flags -> the mount flags a remount must keep (a user namespace locks them).
_KEPT_FLAGS = ((2, _MS_NOSUID), (4, _MS_NODEV), (8, _MS_NOEXEC), (1024, _MS_NOATIME),
               (2048, _MS_NODIRATIME), (4096, _MS_RELATIME))
IN_USER_NAMESPACE = False
ISOLATIONS = ("user_namespace", "network_namespace", "mount_namespace", "private_root",
              "read_only_root", "private_tmp")


def _bytes(value):
    return value.encode() if isinstance(value, str) else value


def _mount(source, target: str, fstype, flags: int, data=None) -> bool:
    return LIBC.mount(_bytes(source), _bytes(target), _bytes(fstype), flags,
                       _bytes(data)) == 0


def _kept_flags(path: str) -> int:
    flags = os.statvfs(path).f_flag
    return sum(ms for st, ms in _KEPT_FLAGS if flags & st)


def _bind_read_only(source: str, target: str) -> bool:
    os.makedirs(target, exist_ok=True)
    if not _mount(source, target, None, _MS_BIND | _MS_REC):
        return False
    return _mount(None, target, None,
                  _MS_REMOUNT | _MS_BIND | _MS_RDONLY | _kept_flags(source))


def _enter_user_namespace() -> bool:
    """An unprivileged user namespace in which this process is root (for the mounts); the
    outer uid is the only one mapped, so nothing gains a privilege outside."""
    global IN_USER_NAMESPACE
    uid, gid = os.getuid(), os.getgid()
    if LIBC.unshare(_CLONE_NEWUSER) != 0:
        return False
    try:
        with open("/proc/self/setgroups", "w") as fh:
            fh.write("deny")
        with open("/proc/self/uid_map", "w") as fh:
            fh.write(f"0 {uid} 1")
        with open("/proc/self/gid_map", "w") as fh:
            fh.write(f"0 {gid} 1")
    except OSError:
        return False
    IN_USER_NAMESPACE = True
    return True


def _stdlib_dirs() -> list[str]:
    paths = sysconfig.get_paths()
    found = []
    for key in ("stdlib", "platstdlib"):
        path = os.path.realpath(paths.get(key) or "")
        if path and os.path.isdir(path) and path not in found:
            found.append(path)
    return found


def _pivot_to_minimal_root() -> bool:
    """A new root holding only the standard library (read-only) and an empty /tmp; the
    old root is detached. Runs in a private mount namespace."""
    syscall = _PIVOT_ROOT.get(platform.machine().lower())
    if syscall is None:
        return False
    stage = "/tmp"
    if not _mount("tmpfs", stage, "tmpfs", _MS_NOSUID | _MS_NODEV, "size=16m,mode=0755"):
        return False
    for path in _stdlib_dirs():
        if not _bind_read_only(path, stage + path):
            return False
    os.makedirs(stage + "/tmp", exist_ok=True)
    os.makedirs(stage + "/.old", exist_ok=True)
    os.chdir(stage)
    if LIBC.syscall(syscall, b".", b".old") != 0:
        os.chdir("/")
        return False
    os.chdir("/")
    if LIBC.umount2(b"/.old", _MNT_DETACH) != 0:
        return False
    os.rmdir("/.old")
    return True


def _remount_read_only() -> bool:
    """The fallback without a new root: every mount read-only (flags kept)."""
    ok = True
    with open("/proc/self/mountinfo") as fh:
        mounts = {}
        for line in fh:
            fields = line.split()
            mounts[fields[4]] = set(fields[5].split(","))
    for point in sorted(mounts, key=len):
        flags = _MS_REMOUNT | _MS_BIND | _MS_RDONLY
        for name, bit in (("nosuid", _MS_NOSUID), ("nodev", _MS_NODEV),
                          ("noexec", _MS_NOEXEC)):
            if name in mounts[point]:
                flags |= bit
        if not _mount(None, point, None, flags) and point == "/":
            ok = False
    return ok


def isolate() -> tuple[dict, str | None]:
    """Isolate this zygote, and so every child it forks. Returns which isolations are
    active and the private temporary directory (None when there is none)."""
    active = dict.fromkeys(ISOLATIONS, False)
    if LIBC is None:
        return active, None
    # Root makes the namespaces directly; anyone else (or a root the kernel refuses)
    # through a user namespace of its own.
    mount_ns = os.getuid() == 0 and LIBC.unshare(_CLONE_NEWNS) == 0
    if not mount_ns:
        active["user_namespace"] = _enter_user_namespace()
        mount_ns = LIBC.unshare(_CLONE_NEWNS) == 0
    active["network_namespace"] = LIBC.unshare(_CLONE_NEWNET) == 0
    if not mount_ns:
        return active, None
    active["mount_namespace"] = True
    if not _mount("none", "/", None, _MS_REC | _MS_PRIVATE):
        return active, None
    try:
        active["private_root"] = _pivot_to_minimal_root()
    except OSError:
        active["private_root"] = False
    if active["private_root"]:
        active["read_only_root"] = _mount(None, "/", None, _MS_REMOUNT | _MS_BIND |
                                          _MS_RDONLY | _kept_flags("/"))
    else:
        os.chdir("/")
        try:
            active["read_only_root"] = _remount_read_only()
        except OSError:
            active["read_only_root"] = False
    tmp = "/tmp"
    if _mount("tmpfs", tmp, "tmpfs", _MS_NOSUID | _MS_NODEV | _MS_NOEXEC,
              "size=256m,mode=0711"):
        active["private_tmp"] = True
        return active, tmp
    return active, None


def in_user_namespace() -> bool:
    return IN_USER_NAMESPACE
