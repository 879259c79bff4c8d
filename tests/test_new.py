"""Third-party plugins from the docs alone: `cwmkit new` and the README's example."""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from cwmkit.cli.new import fields, render, write_package
from cwmkit.core.errors import ConfigError

ROOT = Path(__file__).resolve().parents[1]
TEMPLATES = ROOT / "cwmkit" / "templates"


def cli(*args, path_entry: Path | None = None, cwd=None):
    env = dict(os.environ)
    if path_entry is not None:
        env["PYTHONPATH"] = str(path_entry)
    return subprocess.run([sys.executable, "-m", "cwmkit", *args], capture_output=True,
                          text=True, env=env, cwd=cwd or ROOT, timeout=600)


def test_new_game_writes_a_package_with_entry_point_and_package_data(tmp_path):
    written = write_package("game", "nim", tmp_path / "pkg")
    names = sorted(str(p.relative_to(tmp_path / "pkg")) for p in written)
    assert names == ["README.md", "cwmkit_nim/__init__.py", "cwmkit_nim/nim/reference.py",
                     "cwmkit_nim/nim/spec.game", "pyproject.toml", "tests/test_conformance.py"]
    pyproject = (tmp_path / "pkg" / "pyproject.toml").read_text()
    assert 'nim = "cwmkit_nim"' in pyproject
    assert '"cwmkit_nim" = ["*/spec.game", "*/reference.py"]' in pyproject
    assert "{{" not in "".join(p.read_text() for p in written)


def test_new_refuses_a_bad_name_and_a_full_folder(tmp_path):
    with pytest.raises(ConfigError, match="not a valid game name"):
        fields("game", "Nim-2")
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("")
    with pytest.raises(ConfigError, match="not empty"):
        write_package("check", "short", tmp_path / "full")
    taken = cli("new", "game", "tic_tac_toe", "--dir", str(tmp_path / "t"))
    assert taken.returncode == 2 and "already registered" in taken.stderr


def _readme_blocks():
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## Writing a game or check plugin"):text.index("## Layout")]
    python = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    toml = re.search(r"```toml\n(.*?)```", section, re.S).group(1)
    return python, toml


def test_the_readme_plugin_example_works_verbatim(tmp_path):
    python, toml = _readme_blocks()
    entry = re.search(r'^(\w+) = "([\w.]+)"$', toml, re.M)
    name, target = entry.groups()
    package = target.split(".")[0]
    pkg = tmp_path / package
    pkg.mkdir()
    (pkg / "__init__.py").write_text("")
    (pkg / f"{target.split('.')[1]}.py").write_text(python)
    game = pkg / "my_game"
    game.mkdir()
    values = fields("game", "my_game")
    for template, out in (("spec.game.tmpl", "spec.game"), ("reference.py.tmpl", "reference.py")):
        (game / out).write_text(render((TEMPLATES / "game" / template).read_text(), values))
    info = tmp_path / f"{package}-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {package}\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text(f"[cwmkit]\n{name} = {target}\n")

    report = cli("verify", str(game / "reference.py"), "--game", "my_game", "--json",
                 path_entry=tmp_path)
    assert report.returncode == 0, report.stdout + report.stderr
    tiers = json.loads(report.stdout)["tiers"]
    assert tiers["short_games"]["score"] == 1.0
    assert tiers["short_games"]["checks"][0]["name"] == "within_20"
    conformance = cli("check-plugin", name, "--playouts", "200", path_entry=tmp_path)
    assert conformance.returncode == 0, conformance.stdout + conformance.stderr
    assert "passes the conformance checks" in conformance.stdout


def test_check_plugin_names_what_fails(tmp_path):
    values = fields("game", "thin_nim")
    pkg = tmp_path / "thin_plugin"
    write_package("game", "thin_nim", tmp_path / "src")
    (tmp_path / "src" / values["package"]).rename(pkg)
    spec = pkg / "thin_nim" / "spec.game"
    text = spec.read_text()
    spec.write_text(text[:text.index('  scenario "the players alternate"')] + "}\n")
    (pkg / "__init__.py").write_text((pkg / "__init__.py").read_text())
    info = tmp_path / "thin_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: thin_plugin\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[cwmkit]\nthin = thin_plugin\n")
    result = cli("check-plugin", "thin", "--playouts", "50", "--json", path_entry=tmp_path)
    assert result.returncode == 1
    findings = json.loads(result.stdout)["findings"]
    failed = {f["check"] for f in findings if not f["passed"]}
    assert failed == {"spec_minimums"}
    spec_check = cli("check-spec", "thin_nim", path_entry=tmp_path)
    assert spec_check.returncode == 1 and "1 scenarios: a game needs at least 8" in \
        " ".join(spec_check.stderr.split())
    unknown = cli("check-plugin", "thinn", path_entry=tmp_path)
    assert unknown.returncode == 2 and "did you mean 'thin'" in unknown.stderr
