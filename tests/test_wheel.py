"""The installed wheel works exactly like the checkout, from outside the repository."""

import json
import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from cwmkit.core.plugins import get_host

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wheel")
    dist = tmp / "dist"
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist),
                    str(ROOT)], check=True, timeout=600)
    [wheel] = dist.glob("cwmkit-*.whl")
    env_dir = tmp / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   timeout=600)
    outside = tmp / "elsewhere"
    outside.mkdir()
    return env_dir, outside


def run(installed, *args):
    env_dir, outside = installed
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    return subprocess.run([str(env_dir / "bin" / "cwmkit"), *args], capture_output=True,
                          text=True, cwd=outside, env=env, timeout=300)


def test_wheel_lists_every_game_with_paths_inside_the_install(installed):
    result = run(installed, "games", "--json")
    assert result.returncode == 0, result.stderr
    games = {g["id"]: g for g in json.loads(result.stdout)}
    assert set(games) == set(get_host().registry("games"))
    env_dir, _ = installed
    for game in games.values():
        assert Path(game["spec"]).is_file()
        assert str(env_dir) in game["spec"]
        assert Path(game["reference"]).is_file()


def test_wheel_parses_specs_and_runs_references(installed):
    result = run(installed, "games", "--json")
    tic = {g["id"]: g for g in json.loads(result.stdout)}["tic_tac_toe"]
    check = run(installed, "check-spec", str(Path(tic["spec"]).parent))
    assert check.returncode == 0, check.stderr
    prompt = run(installed, "prompt", "tic_tac_toe")
    assert prompt.returncode == 0 and "get_legal_actions" in prompt.stdout


def test_new_plugins_install_as_wheels_and_work_from_outside(installed):
    """`cwmkit new game` and `cwmkit new check`, built as wheels and installed (not
    editable) beside cwmkit: the game and the tier work from outside any checkout."""
    env_dir, outside = installed
    python = env_dir / "bin" / "python"
    for kind, name in (("game", "nim"), ("check", "short_names")):
        made = run(installed, "new", kind, name, "--dir", str(outside / f"src-{name}"))
        assert made.returncode == 0, made.stderr
        wheels = outside / "wheels"
        subprocess.run([str(python), "-m", "pip", "wheel", "--no-deps",
                        "-q", "-w", str(wheels), str(outside / f"src-{name}")], check=True,
                       timeout=600, cwd=outside)
    subprocess.run([str(python), "-m", "pip", "install", "--no-deps", "-q",
                    *map(str, sorted((outside / "wheels").glob("*.whl")))], check=True,
                   timeout=600)
    games = run(installed, "games", "--json")
    assert "nim" in {g["id"] for g in json.loads(games.stdout)}, games.stderr
    for args in (("check-spec", "nim"), ("check-plugin", "nim", "--playouts", "200"),
                 ("check-plugin", "short_names"), ("prompt", "nim"),
                 ("verify", "--references")):
        result = run(installed, *args)
        assert result.returncode == 0, (args, result.stdout[-2000:], result.stderr[-2000:])
    nim = {g["id"]: g for g in json.loads(games.stdout)}["nim"]
    report = run(installed, "verify", nim["reference"], "--game", "nim", "--json")
    assert json.loads(report.stdout)["tiers"]["short_names"]["score"] == 1.0
