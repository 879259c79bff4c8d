"""The sandbox's isolation, probed from inside: after ``isolation.isolate()`` a process
sees the standard library and a private /tmp only (not the project, not the installed
package or its plugins, not the home directory, not /proc), cannot write outside /tmp
and has no network; as root and as an unprivileged user (through a user namespace).
Without isolation the verifier refuses untrusted code unless told otherwise, and the
report records it; the CPU watchdog stops calls that no signal handler can."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from cwmkit.core.errors import ConfigError
from cwmkit.sandbox.client import SandboxDied, SandboxFailure, Zygote
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier

ROOT = Path(__file__).resolve().parents[1]
SANDBOX = ROOT / "cwmkit" / "sandbox"
TTT = (ROOT / "plugins" / "games" / "tic_tac_toe" / "reference.py").read_text()
NOBODY = 65534

PROBE = r'''
import json, os, socket, sys
sys.path.insert(0, sys.argv[1])
import isolation, zygote
isolation.load_libc()
zygote._preload()
active, tmp = isolation.isolate()
seen = {p: os.path.exists(p) for p in json.loads(sys.argv[2])}
def can_write(path):
    try:
        with open(path, "w") as fh:
            fh.write("x")
        return True
    except OSError:
        return False
try:
    socket.create_connection(("1.1.1.1", 53), timeout=2).close()
    network = True
except OSError:
    network = False
import unicodedata  # a lazily imported stdlib extension still loads
print(json.dumps({"active": active, "tmp": tmp, "seen": seen, "network": network,
                  "write_root": can_write("/escaped"), "write_tmp": can_write("/tmp/inside"),
                  "listing": sorted(os.listdir("/")), "unicodedata": unicodedata.name("a"),
                  "stdlib": isolation._stdlib_dirs()}))
'''


def probe(python: str, sandbox: Path, hidden: list[str], uid: int | None = None) -> dict:
    extra = {} if uid is None else {"user": uid, "group": uid, "extra_groups": []}
    result = subprocess.run([python, "-S", "-c", PROBE, str(sandbox), json.dumps(hidden)],
                            capture_output=True, text=True, timeout=120, cwd="/",
                            env={"PATH": "/usr/bin:/bin"}, **extra)
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout)


def check_view(found: dict, hidden: list[str]) -> None:
    for key in ("network_namespace", "mount_namespace", "private_root", "read_only_root",
                "private_tmp"):
        assert found["active"][key] is True, (key, found["active"])
    assert found["seen"] == dict.fromkeys(hidden, False), found["seen"]
    assert found["network"] is False
    assert found["write_root"] is False and found["write_tmp"] is True
    # The root holds /tmp and the way down to the standard library, nothing else.
    assert set(found["listing"]) <= {"tmp", *(Path(d).parts[1] for d in found["stdlib"])}
    assert "proc" not in found["listing"] and "etc" not in found["listing"]
    assert found["unicodedata"] == "LATIN SMALL LETTER A"


@pytest.fixture(scope="module")
def home_file():
    """A file in the home directory (which may hold the interpreter's standard library,
    whose folders alone the sandbox shows)."""
    path = Path.home() / f".cwmkit-isolation-probe-{os.getpid()}"
    path.write_text("private\n")
    path.chmod(0o644)
    yield str(path)
    path.unlink()


def hidden_paths(home_file: str) -> list[str]:
    import cwmkit_plugins

    return [str(ROOT), str(Path(cwmkit_plugins.__file__).parent), home_file,
            "/proc/self", "/etc/hostname", str(ROOT / "plugins" / "games" / "tic_tac_toe" /
                                                "reference.py")]


def test_the_isolated_view_as_this_user(home_file):
    hidden = hidden_paths(home_file)
    found = probe(sys.executable, SANDBOX, hidden)
    check_view(found, hidden)


def test_the_isolated_view_as_an_unprivileged_user(home_file):
    if os.getuid() != 0:
        pytest.skip("the test above already ran unprivileged")
    system = Path("/usr/bin/python3")
    if not system.exists():
        pytest.skip("no system interpreter for the unprivileged user")
    copy = Path(tempfile.mkdtemp(prefix="cwmkit-sandbox-copy-"))
    try:
        shutil.copytree(SANDBOX, copy / "sandbox",
                        ignore=shutil.ignore_patterns("__pycache__"))
        for path in [copy, *copy.rglob("*")]:
            path.chmod(0o755 if path.is_dir() else 0o644)
        hidden = [*hidden_paths(home_file), str(copy)]
        found = probe(str(system), copy / "sandbox", hidden, uid=NOBODY)
        assert found["active"]["user_namespace"] is True
        check_view(found, hidden)
    finally:
        shutil.rmtree(copy, ignore_errors=True)


def test_without_isolation_untrusted_code_is_refused_unless_allowed():
    with Verifier(VerifySettings(playouts=4), isolate=False) as verifier:
        with pytest.raises(ConfigError, match="cannot isolate"):
            verifier.verify(TTT, game="tic_tac_toe")
        # A program that never runs (it breaks the policy) is judged without a sandbox.
        assert verifier.verify("import os\n", game="tic_tac_toe").status == "policy_violation"
    with Verifier(VerifySettings(playouts=4, allow_unisolated=True), isolate=False) as verifier:
        report = verifier.verify(TTT, game="tic_tac_toe")
    assert report.status == "ok"
    assert set(report.sandbox["unisolated"]) >= {"network_namespace", "mount_namespace"}


def test_the_cli_flag_allows_unisolated_runs():
    import argparse

    from cwmkit.cli.verify import add_arguments, settings_from

    parser = argparse.ArgumentParser()
    add_arguments(parser)
    assert settings_from(parser.parse_args(["x.py", "--game", "g"])).allow_unisolated is False
    assert settings_from(parser.parse_args(["x.py", "--game", "g", "--allow-unisolated"])
                         ).allow_unisolated is True


@pytest.fixture(scope="module")
def zygote():
    z = Zygote()
    z.ensure_started()
    yield z
    z.close()


def start(zygote: Zygote, source: str, **settings):
    session = zygote.spawn({"cpu_seconds": 20, "memory_bytes": 1 << 30})
    reply = session.request({"op": "load", "source": source, "settings": {
        "seed": 1, "call_cpu_seconds": 0.2, "load_cpu_seconds": 1.0, **settings}},
        wall_seconds=60)
    return session, reply


def playout(session) -> dict:
    return session.request({"op": "playouts", "count": 1, "seed": 1, "max_steps": 9,
                            "players": 2, "perfect": True}, wall_seconds=60)


def test_the_watchdog_stops_a_long_call_in_c_code(zygote):
    source = ("import collections, itertools\n"
              "def get_initial_state():\n"
              "    collections.deque(itertools.repeat(0, 10 ** 15), maxlen=0)\n")
    session, reply = start(zygote, source)
    assert reply["status"] == "ok"
    began = time.process_time()
    with pytest.raises(SandboxDied) as died:
        playout(session)
    session.close()
    assert died.value.timed_out and died.value.status.get("watchdog") == "cpu"
    assert time.process_time() - began < 5


def test_a_looping_exception_text_costs_the_call_s_budget_only(zygote):
    source = ("class Endless(Exception):\n"
              "    def __str__(self):\n"
              "        while True:\n"
              "            pass\n"
              "def get_initial_state():\n"
              "    raise Endless()\n")
    session, _ = start(zygote, source)
    try:
        reply = playout(session)
    finally:
        session.close()
    assert reply["cpu"] < 1.0, reply  # two calls of 0.2 s at most, not the session's 20 s
    assert "timeout" in json.dumps(reply)


@pytest.mark.parametrize("returned", ["{'n': 10 ** 5000}", "[10 ** 5000]",
                                      "{'deep': __import_deep__}"])
def test_values_that_cannot_be_encoded_are_the_program_s_fault(zygote, returned):
    deep = "d = []\nfor _ in range(100000):\n    d = [d]\n"
    source = (deep if "deep" in returned else "") + \
        f"def get_initial_state():\n    return {returned.replace('__import_deep__', 'd')}\n"
    session, _ = start(zygote, source)
    try:
        try:
            reply = playout(session)
        except SandboxDied:
            reply = None  # the program's doing: a crashed program, never the sandbox's
    except SandboxFailure as exc:  # pragma: no cover - the bug this test guards
        pytest.fail(f"reported as the sandbox's failure: {exc}")
    finally:
        session.close()
    assert reply is None or "not_plain" in json.dumps(reply) or "fault" in json.dumps(reply)


def test_only_a_missing_hello_is_the_sandbox_s_failure(zygote):
    session, reply = start(zygote, "def get_initial_state():\n    return {}\n")
    assert session.greeted and session.info["watchdog"] is True
    assert session.info["dropped_privileges"] is True
    session.close()
