"""Hostile programs against the sandbox: none may pass, break the verifier, change
anything outside the sandbox, leave a process behind, forge an infrastructure error or
get a secret into a report.

Each file in ``tests/hostile`` is one attack with a docstring saying what it attacks and
what must happen. A ``# @REFERENCE@`` line is replaced by the game's reference program,
so that the attack, not a missing rule, is what the verifier must catch; ``@SENTINEL_DIR@``
and ``@SENTINEL_FILE@`` are replaced by the paths of a directory and file the attacks try
to change, ``@SECRET_FILE@`` by a file holding a secret they try to read. The directory
is open to every user: only the sandbox stands between an attack and these files.

``tests/test_sandbox_unprivileged.py`` runs the same corpus as an unprivileged user.
"""

from __future__ import annotations

import ast
import json
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from cwmkit.verify.report import VerificationReport
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier

HOSTILE = Path(__file__).resolve().parent / "hostile"
GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"
SANDBOX_UID = 65534
OUTPUT_CAP = 64 * 1024


@dataclass(frozen=True)
class Expect:
    """What must happen: a status among ``statuses``, or the check ``fails`` failing."""

    game: str = "tic_tac_toe"
    statuses: frozenset[str] = frozenset()
    fails: tuple[str, str] | None = None


def status(*names: str, game: str = "tic_tac_toe") -> Expect:
    return Expect(game, frozenset(names))


def fails(tier: str, check: str, *also: str, game: str = "tic_tac_toe") -> Expect:
    return Expect(game, frozenset(also), (tier, check))


STATIC = status("policy_violation")

CORPUS = {
    # Caught by the static policy.
    "fork_bomb_static.py": STATIC,
    "use_os.py": STATIC,
    "use_subprocess.py": STATIC,
    "use_socket.py": STATIC,
    "use_ctypes.py": STATIC,
    "use_sys.py": STATIC,
    "use_signal.py": STATIC,
    "use_gc.py": STATIC,
    "use_importlib.py": STATIC,
    "use_builtins.py": STATIC,
    "obfuscated_dunder_import.py": STATIC,
    "obfuscated_getattr_builtins.py": STATIC,
    "dunder_subclasses.py": STATIC,
    "dunder_globals_code.py": STATIC,
    "dunder_gi_frame.py": STATIC,
    "dunder_tb_frame.py": STATIC,
    "module_private_attrs.py": STATIC,
    "module_hidden_attrs.py": STATIC,
    "format_walk_static.py": STATIC,
    "file_write_static.py": STATIC,
    "kill_parent_static.py": STATIC,
    # Past the static policy: resources.
    "fork_bomb_escape.py": status("crashed"),
    "memory_bomb_import.py": status("crashed", "timeout"),
    "memory_bomb_call.py": fails("dynamics", "no_errors", "timeout"),
    "loop_import.py": status("timeout"),
    "loop_call.py": fails("dynamics", "no_errors", "timeout"),
    "swallow_timeout_import.py": status("timeout"),
    "swallow_timeout_call.py": status("timeout"),
    "print_flood_import.py": status("timeout"),
    "print_flood_call.py": fails("dynamics", "no_errors", "timeout"),
    "huge_legal_list.py": fails("dynamics", "well_formed", "timeout"),
    "huge_observation.py": status("crashed", "timeout"),
    "recursion_bomb.py": fails("dynamics", "no_errors"),
    "recursion_bomb_import.py": status("crashed"),
    "system_exit_import.py": status("crashed"),
    "keyboard_interrupt_import.py": status("crashed"),
    "exit_in_calls.py": fails("dynamics", "no_errors"),
    # Past the static policy: escapes that the run-time defences must stop.
    "module_attrs_runtime.py": status("crashed"),
    "getattr_runtime_dunder.py": fails("dynamics", "no_errors"),
    "format_walk_runtime.py": status("crashed"),
    "escape_type_hints.py": status("crashed"),
    "escape_singledispatch.py": status("crashed"),
    "kill_parent_escape.py": fails("dynamics", "no_errors"),
    "setsid_detach_escape.py": status("crashed"),
    "file_write_escape.py": status("crashed"),
    "signal_ignore_escape.py": status("crashed", "timeout"),
    "kuhn_frame_peek.py": fails("information", "consistent", game="kuhn_poker"),
    # Found from outside the team (issue 10), and their variants.
    "escape_update_wrapper_globals.py": status("crashed"),
    "escape_update_wrapper_reference.py": status("crashed"),
    "escape_wraps_type_hints.py": status("crashed"),
    "harness_by_name.py": status("crashed"),
    "functools_typing_paths.py": status("crashed"),
    "runtime_hooks_escape.py": status("crashed"),
    "reduce_deepcopy_escape.py": status("crashed"),
    "match_args_escape.py": STATIC,
    "match_keyword_dunder.py": STATIC,
    "dunder_hooks_static.py": STATIC,
    "withheld_names_static.py": STATIC,
    "huge_int_state.py": fails("dynamics", "well_formed", "crashed"),
    "forge_infra_error.py": fails("dynamics", "no_errors", "crashed"),
    "hostile_str_exception.py": fails("dynamics", "no_errors", "timeout"),
    "destructor_loop.py": status("timeout", "crashed"),
    "c_loop_watchdog.py": status("timeout"),
    "regex_backtracking.py": fails("dynamics", "no_errors", "timeout"),
    "memory_across_checks.py": fails("information", "consistent", game="kuhn_poker"),
    # Reward hacks.
    "hack_deepcopy_patch.py": fails("dynamics", "immutable_states"),
    "hack_random_patch.py": fails("differential", "rewards"),
    "hack_rebind_builtins.py": fails("dynamics", "well_formed"),
    "hack_lying_eq.py": fails("dynamics", "well_formed"),
    "hack_lying_subclasses.py": fails("dynamics", "well_formed"),
    "hack_nan_rewards.py": fails("dynamics", "well_formed"),
    "hack_call_counting.py": fails("differential", "rewards"),
    "hack_detect_environment.py": fails("utility", "payoff_bounds"),
}

#: After these the reference must still verify at once: they go for the machine itself.
SERVE_AFTER = {"fork_bomb_static.py", "fork_bomb_escape.py", "memory_bomb_import.py",
               "memory_bomb_call.py", "huge_observation.py", "kill_parent_static.py",
               "kill_parent_escape.py", "setsid_detach_escape.py", "c_loop_watchdog.py",
               "destructor_loop.py", "huge_int_state.py"}
#: Attacks on the CPU budget: the program's whole verification must stay far below its
#: session limit (5 s here), not burn it (the fixture's call budget is 0.3 s).
CPU_BOUNDED = {"hostile_str_exception.py": 2.5}


def reference(game: str) -> str:
    return (GAMES / game / "reference.py").read_text()


@pytest.fixture(scope="module")
def verifier():
    settings = VerifySettings(playouts=8, call_cpu_seconds=0.3, load_cpu_seconds=0.5,
                              session_cpu_seconds=5, memory_mb=512)
    with Verifier(settings) as v:
        v.start()
        yield v


@pytest.fixture(scope="module")
def sentinel():
    """A directory and file outside the sandbox that the attacks try to change, and a
    secret they try to read: all of them open to every user."""
    folder = Path(tempfile.mkdtemp(prefix="cwmkit-sentinel-"))
    target = folder / "sentinel.txt"
    target.write_text("untouched\n")
    secret = folder / "secret.txt"
    secret.write_text(SECRET + "\n")
    folder.chmod(0o777)
    for path in (target, secret):
        path.chmod(0o666)
    yield folder, target
    shutil.rmtree(folder, ignore_errors=True)


#: What the secret file holds: no report may contain it.
SECRET = "secret-" + secrets.token_hex(16)


def snapshot(folder: Path) -> dict[str, tuple[bytes, int]]:
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in folder.iterdir()}


@pytest.fixture(scope="module")
def pristine(sentinel):
    return snapshot(sentinel[0])


def compose(name: str, game: str, sentinel: tuple[Path, Path]) -> str:
    folder, target = sentinel
    text = (HOSTILE / name).read_text()
    return (text.replace("# @REFERENCE@", reference(game))
            .replace("@SENTINEL_DIR@", str(folder)).replace("@SENTINEL_FILE@", str(target))
            .replace("@SECRET_FILE@", str(folder / "secret.txt")))


def failed_checks(report: VerificationReport) -> set[tuple[str, str]]:
    return {(tier, check.name) for tier, check in report.failures}


def zygote_pid(verifier: Verifier) -> int:
    return verifier.zygote._proc.pid  # no public accessor: the test needs the process


def zygote_children(pid: int) -> list[int]:
    children = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        children += [int(c) for c in (task / "children").read_text().split()]
    return children


def sandbox_processes(zygote: int) -> list[int]:
    """Processes of the sandbox user that belong to this verifier's sandbox: children of
    its zygote, or anything in the zygote's private network namespace (a detached child
    included). Other sessions on the machine run sandboxes of their own."""
    netns = os.readlink(f"/proc/{zygote}/ns/net")
    private = netns != os.readlink("/proc/self/ns/net")
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == zygote:
            continue
        try:
            fields = dict(line.split(":", 1) for line in
                          (entry / "status").read_text().splitlines() if ":" in line)
            ns = os.readlink(entry / "ns" / "net")
        except OSError:  # ended meanwhile, or not ours to read
            continue
        if int(fields["Uid"].split()[0]) != SANDBOX_UID:
            continue
        if int(fields["PPid"]) == zygote or (private and ns == netns):
            found.append(int(entry.name))
    return found


def test_every_hostile_program_is_in_the_table_and_documented():
    files = {p.name for p in HOSTILE.glob("*.py")}
    assert files == set(CORPUS)
    assert len(files) >= 32
    for name in files:
        doc = ast.get_docstring(ast.parse((HOSTILE / name).read_text()))
        assert doc and "Expected:" in doc, name


@pytest.mark.parametrize("name", sorted(CORPUS))
def test_hostile_program_does_not_pass(verifier, sentinel, pristine, name):
    expect = CORPUS[name]
    report = verifier.verify(compose(name, expect.game, sentinel), game=expect.game)
    where = f"{report.status} {report.score} {report.message!r} {sorted(failed_checks(report))}"
    assert report.status != "infra_error", where
    assert not (report.status == "ok" and report.score == 1.0), where
    assert report.status in expect.statuses or expect.fails in failed_checks(report), where
    if report.status == "policy_violation":
        # Caught for its code, not for a word in its docstring.
        assert not report.message.startswith("line 1:"), where
    assert len(report.output) <= OUTPUT_CAP + 100
    assert snapshot(sentinel[0]) == pristine
    assert SECRET not in json.dumps(report.to_dict()), "the secret reached the report"
    if name in CPU_BOUNDED:
        assert report.cpu_seconds < CPU_BOUNDED[name], report.cpu_seconds
    if name in SERVE_AFTER:
        again = verifier.verify(reference("tic_tac_toe"), game="tic_tac_toe")
        assert again.status == "ok" and again.score == 1.0, again.message


def test_the_verifier_still_serves_and_nothing_is_left(verifier, sentinel, pristine):
    for game in ("tic_tac_toe", "kuhn_poker"):
        report = verifier.verify(reference(game), game=game)
        assert report.status == "ok" and report.score == 1.0, report.failures
    assert snapshot(sentinel[0]) == pristine
    zygote = zygote_pid(verifier)
    for _ in range(200):  # closed sessions are killed at once and reaped within moments
        if not zygote_children(zygote) and not sandbox_processes(zygote):
            break
        time.sleep(0.01)
    assert zygote_children(zygote) == []
    assert sandbox_processes(zygote) == []
