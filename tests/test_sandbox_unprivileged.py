"""The sandbox holds for every user: the hostile corpus run as root and as an unprivileged
user (privileges dropped in a subprocess) ends the same way, and ``cwmkit doctor`` as
that user reports network and mount isolation (through a user namespace).

The unprivileged run uses the system interpreter and a copy of the package in a folder
that user can read (the test's own interpreter may live where it cannot), with the
dependencies from this interpreter's site-packages.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from tests.test_hostile import CORPUS, SECRET, SERVE_AFTER, snapshot

ROOT = Path(__file__).resolve().parents[1]
NOBODY = 65534
SYSTEM_PYTHON = Path("/usr/bin/python3")

#: Run in a subprocess, as root or as the unprivileged user: verifies every program of
#: the corpus (JSON on stdin) and prints what happened to each.
DRIVER = r'''
import json, sys
from pathlib import Path
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier

job = json.load(sys.stdin)
hostile, games = Path(job["hostile"]), Path(job["games"])
settings = VerifySettings(playouts=8, call_cpu_seconds=0.3, load_cpu_seconds=0.5,
                          session_cpu_seconds=5, memory_mb=512)
out = {}
with Verifier(settings) as verifier:
    verifier.start()
    out["isolation"] = dict(verifier.zygote.isolation)
    for name, game, serve_after in job["programs"]:
        text = (hostile / name).read_text()
        source = (text.replace("# @REFERENCE@", (games / game / "reference.py").read_text())
                  .replace("@SENTINEL_DIR@", job["folder"])
                  .replace("@SENTINEL_FILE@", job["target"])
                  .replace("@SECRET_FILE@", job["secret"]))
        report = verifier.verify(source, game=game)
        out[name] = {"status": report.status, "score": report.score,
                     "failed": sorted([t, c.name] for t, c in report.failures),
                     "leaked": job["secret_text"] in json.dumps(report.to_dict())}
        if serve_after:
            again = verifier.verify((games / "tic_tac_toe" / "reference.py").read_text(),
                                    game="tic_tac_toe")
            out[name]["serves_after"] = again.status == "ok" and again.score == 1.0
print(json.dumps(out))
'''


def _as_user(uid: int) -> dict:
    if uid == os.getuid():
        return {}
    return {"user": uid, "group": uid, "extra_groups": []}


@pytest.fixture(scope="module")
def installation():
    """A copy of the package (with its plugins and grammar) that every user can read,
    and the path of this interpreter's dependencies."""
    if os.getuid() != 0:
        pytest.skip("dropping privileges needs root (as a normal user, the main hostile "
                    "suite is already the unprivileged run)")
    if not SYSTEM_PYTHON.exists():
        pytest.skip(f"no {SYSTEM_PYTHON} to run as the unprivileged user")
    version = subprocess.run([str(SYSTEM_PYTHON), "-c", "import sys; print(sys.version_info"
                              "[:2])"], capture_output=True, text=True).stdout.strip()
    if version != str(sys.version_info[:2]):
        pytest.skip(f"{SYSTEM_PYTHON} is Python {version}, the dependencies are for "
                    f"{sys.version_info[:2]}")
    import attrs

    site = str(Path(attrs.__file__).resolve().parents[1])
    base = Path(tempfile.mkdtemp(prefix="cwmkit-unprivileged-"))
    package = base / "pkg"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "cwmkit", package / "cwmkit", ignore=ignore)
    shutil.copytree(ROOT / "plugins", package / "cwmkit_plugins", ignore=ignore)
    shutil.copytree(ROOT / "grammar", package / "cwmkit_grammar", ignore=ignore)
    shutil.copytree(ROOT / "tests" / "hostile", base / "hostile", ignore=ignore)
    info = package / "cwmkit-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: cwmkit\nVersion: 0.1.0\n")
    from importlib.metadata import distribution

    (info / "entry_points.txt").write_text(distribution("cwmkit").read_text(
        "entry_points.txt") or "")
    for path in [base, *base.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(base),
           "PYTHONPATH": f"{package}:{site}", "PYTHONDONTWRITEBYTECODE": "1"}
    probe = subprocess.run([str(SYSTEM_PYTHON), "-c", "import cwmkit.verify.verifier"],
                           env=env, cwd=base, capture_output=True, text=True,
                           **_as_user(NOBODY))
    if probe.returncode != 0:
        shutil.rmtree(base, ignore_errors=True)
        pytest.skip(f"the unprivileged user cannot import cwmkit here: {probe.stderr[-300:]}")
    yield base, env
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def sentinel():
    folder = Path(tempfile.mkdtemp(prefix="cwmkit-sentinel-"))
    (folder / "sentinel.txt").write_text("untouched\n")
    (folder / "secret.txt").write_text(SECRET + "\n")
    folder.chmod(0o777)
    for path in folder.iterdir():
        path.chmod(0o666)
    yield folder
    shutil.rmtree(folder, ignore_errors=True)


def run_corpus(installation, sentinel: Path, uid: int) -> dict:
    base, env = installation
    job = {"hostile": str(base / "hostile"), "games": str(base / "pkg" / "cwmkit_plugins" /
                                                          "games"),
           "folder": str(sentinel), "target": str(sentinel / "sentinel.txt"),
           "secret": str(sentinel / "secret.txt"), "secret_text": SECRET,
           "programs": [[name, expect.game, name in SERVE_AFTER]
                        for name, expect in sorted(CORPUS.items())]}
    result = subprocess.run([str(SYSTEM_PYTHON), "-c", DRIVER], input=json.dumps(job),
                            env=env, cwd=base, capture_output=True, text=True, timeout=1500,
                            **_as_user(uid))
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def outcome(name: str, found: dict) -> dict:
    expect = CORPUS[name]
    return {"status": found["status"],
            "expected": found["status"] in expect.statuses or
            list(expect.fails or ()) in found["failed"],
            "leaked": found["leaked"], "serves_after": found.get("serves_after")}


def test_the_hostile_corpus_ends_the_same_as_root_and_as_an_unprivileged_user(
        installation, sentinel):
    pristine = snapshot(sentinel)
    as_root = run_corpus(installation, sentinel, 0)
    as_nobody = run_corpus(installation, sentinel, NOBODY)
    assert snapshot(sentinel) == pristine, "something outside the sandbox changed"
    assert as_nobody["isolation"]["user_namespace"] is True
    for run in (as_root, as_nobody):
        for key in ("network_namespace", "mount_namespace", "private_root"):
            assert run["isolation"][key] is True, (key, run["isolation"])
    for name in sorted(CORPUS):
        root, nobody = outcome(name, as_root[name]), outcome(name, as_nobody[name])
        for who, found in (("root", root), ("unprivileged", nobody)):
            where = f"{name} as {who}: {as_root[name] if who == 'root' else as_nobody[name]}"
            assert found["status"] != "infra_error", where
            assert not (found["status"] == "ok" and (as_root if who == "root" else
                                                     as_nobody)[name]["score"] == 1.0), where
            assert found["expected"], where
            assert not found["leaked"], where
            assert found["serves_after"] in (None, True), where
        assert root == nobody, f"{name}: as root {as_root[name]}, unprivileged {as_nobody[name]}"


def test_doctor_as_an_unprivileged_user_reports_network_and_mount_isolation(installation):
    base, env = installation
    result = subprocess.run([str(SYSTEM_PYTHON), "-m", "cwmkit", "doctor", "--json"], env=env,
                            cwd=base, capture_output=True, text=True, timeout=300,
                            **_as_user(NOBODY))
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    sandbox = json.loads(result.stdout)["sandbox"]
    assert sandbox["working"] is True
    assert sandbox["isolated"] is True, sandbox
    isolation = sandbox["isolation"]
    for key in ("user_namespace", "network_namespace", "mount_namespace", "private_root",
                "read_only_root", "private_tmp"):
        assert isolation[key] is True, (key, isolation)
    assert sandbox["unprivileged_user"] is True
