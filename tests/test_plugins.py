"""The plugin host: entry points, registries, broken plugins, and every hook."""

import inspect
import json
import os
import subprocess
import sys
import textwrap
import warnings
from pathlib import Path

import pytest

from cwmkit.core import hookspecs
from cwmkit.core.errors import PluginError, UnknownNameError
from cwmkit.core.hookspecs import hookimpl
from cwmkit.core.plugins import KINDS, PluginHost, PluginWarning

ROOT = Path(__file__).resolve().parents[1]
TIC_TAC_TOE = ROOT / "plugins" / "games" / "tic_tac_toe"

PLUGIN_SOURCE = '''
from pathlib import Path

from cwmkit import Game, hookimpl

HERE = Path(__file__).parent


class LengthCheck:
    name = "short_games"
    description = "games end quickly"

    def applies(self, context):
        return True

    def run(self, context):
        return None


@hookimpl
def register_games(register):
    register(Game.from_folder(HERE / "tiny_tac_toe"))


@hookimpl
def register_checks(register):
    register(LengthCheck())
'''


def make_distribution(root: Path, name: str, module_source: str, *, entry_point=None,
                      version: str = "1.2.3") -> Path:
    """A minimal installed distribution on a sys.path entry: a module plus dist-info."""
    pkg = root / name
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(module_source)
    info = root / f"{name}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")
    (info / "entry_points.txt").write_text(f"[cwmkit]\n{entry_point or name} = {name}\n")
    return pkg


@pytest.fixture
def third_party(tmp_path, monkeypatch):
    pkg = make_distribution(tmp_path, "thirdparty_games", PLUGIN_SOURCE)
    game = pkg / "tiny_tac_toe"
    game.mkdir()
    spec = (TIC_TAC_TOE / "spec.game").read_text()
    (game / "spec.game").write_text(spec.replace("game tic_tac_toe \"Tic-Tac-Toe\"",
                                                 "game tiny_tac_toe \"Tiny Tac Toe\""))
    (game / "reference.py").write_text((TIC_TAC_TOE / "reference.py").read_text())
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delenv("CWMKIT_PLUGINS", raising=False)
    monkeypatch.delenv("CWMKIT_STRICT_PLUGINS", raising=False)
    before = set(sys.modules)
    yield tmp_path
    # Each test builds its own distributions: forget the modules the last one imported.
    for name in set(sys.modules) - before:
        if not name.startswith(("cwmkit", "_pytest", "pluggy")):
            del sys.modules[name]


def run_cli(args, path_entry: Path, **env):
    full_env = {**os.environ, "PYTHONPATH": str(path_entry), **env}
    return subprocess.run([sys.executable, "-m", "cwmkit", *args], capture_output=True,
                          text=True, env=full_env, cwd=path_entry, timeout=120)


def test_third_party_game_and_check_load_through_the_entry_point(third_party):
    host = PluginHost()
    assert "tiny_tac_toe" in host.registry("games")
    assert "tic_tac_toe" in host.registry("games")
    assert host.provider("games", "tiny_tac_toe") == "thirdparty_games"
    assert host.registry("checks")["short_games"].description == "games end quickly"
    info = {i.name: i for i in host.plugins()}["thirdparty_games"]
    assert (info.distribution, info.version) == ("thirdparty_games", "1.2.3")
    assert info.hooks == ["register_checks", "register_games"]
    assert info.registered == {"games": ["tiny_tac_toe"], "checks": ["short_games"]}


def test_cli_lists_third_party_games_and_plugins(third_party):
    games = run_cli(["games", "--json"], third_party)
    assert games.returncode == 0, games.stderr
    ids = {g["id"]: g for g in json.loads(games.stdout)}
    assert ids["tiny_tac_toe"]["plugin"] == "thirdparty_games"
    assert ids["tiny_tac_toe"]["spec"].endswith("tiny_tac_toe/spec.game")
    plugins = run_cli(["plugins"], third_party)
    assert plugins.returncode == 0
    assert "thirdparty_games" in plugins.stdout and "short_games" in plugins.stdout


def test_a_plugin_that_fails_to_import_is_skipped_with_a_warning(third_party):
    make_distribution(third_party, "broken_plugin", "raise RuntimeError('boom')\n")
    with pytest.warns(PluginWarning, match="'broken_plugin' skipped: failed to import.*boom"):
        host = PluginHost()
    assert "tiny_tac_toe" in host.registry("games")
    assert [p.plugin for p in host.problems] == ["broken_plugin"]
    result = run_cli(["games"], third_party)
    assert result.returncode == 0
    assert "broken_plugin" in result.stderr and "Traceback" not in result.stderr


def test_strict_mode_makes_a_broken_plugin_fatal(third_party):
    make_distribution(third_party, "broken_plugin", "raise RuntimeError('boom')\n")
    with pytest.raises(PluginError, match="broken_plugin"):
        PluginHost(strict=True)
    result = run_cli(["games"], third_party, CWMKIT_STRICT_PLUGINS="1")
    assert result.returncode == 4
    assert "broken_plugin" in result.stderr and "Traceback" not in result.stderr
    flag = run_cli(["--strict-plugins", "games"], third_party)
    assert flag.returncode == 4


def test_environment_variable_limits_which_plugins_load(third_party, monkeypatch):
    monkeypatch.setenv("CWMKIT_PLUGINS", "thirdparty_games")
    host = PluginHost()
    assert list(host.registry("games")) == ["tiny_tac_toe"]
    assert not host.registry("prompts")


def test_registering_nonsense_is_reported_by_plugin_name(third_party):
    source = textwrap.dedent('''
        from cwmkit import hookimpl

        @hookimpl
        def register_checks(register):
            register(object())
            register(42)
    ''')
    make_distribution(third_party, "nonsense_plugin", source)
    missing = "does not follow CheckPlugin: missing name, description, applies, run"
    with pytest.warns(PluginWarning, match=f"nonsense_plugin.*{missing}"):
        host = PluginHost()
    checks = host.registry("checks")
    assert "short_games" in checks
    assert all(host.provider("checks", name) != "nonsense_plugin" for name in checks)


def test_a_hook_that_raises_costs_only_its_own_plugin(third_party):
    source = textwrap.dedent('''
        from cwmkit import hookimpl

        @hookimpl
        def register_games(register):
            raise ValueError("cannot find my games")
    ''')
    make_distribution(third_party, "raising_plugin", source)
    with pytest.warns(PluginWarning, match="raising_plugin.*cannot find my games"):
        host = PluginHost()
    assert {"tic_tac_toe", "tiny_tac_toe"} <= set(host.registry("games"))


def test_a_misspelt_hook_is_caught(third_party):
    source = textwrap.dedent('''
        from cwmkit import hookimpl

        @hookimpl
        def register_game(register):
            pass
    ''')
    make_distribution(third_party, "typo_plugin", source)
    with pytest.warns(PluginWarning, match="unknown hook.*register_game.*did you mean"):
        host = PluginHost()
    assert "typo_plugin" not in {i.name for i in host.plugins()}


def test_duplicate_names_are_an_error_naming_both_plugins(third_party):
    source = PLUGIN_SOURCE.replace("HERE / \"tiny_tac_toe\"",
                                   "Path(__import__('thirdparty_games').__file__).parent"
                                   " / 'tiny_tac_toe'")
    make_distribution(third_party, "copycat", source)
    with pytest.warns(PluginWarning) as caught:
        host = PluginHost()
    messages = " ".join(str(w.message) for w in caught)
    assert "'thirdparty_games' and 'copycat' both provide it" in messages
    assert host.provider("games", "tiny_tac_toe") == "thirdparty_games"
    with pytest.raises(PluginError, match="'thirdparty_games' and 'copycat'"):
        PluginHost(strict=True).registry("games")


def test_a_broken_item_is_skipped_but_the_plugin_keeps_the_rest(third_party):
    bad = third_party / "thirdparty_games" / "bad_game"
    bad.mkdir()
    (bad / "spec.game").write_text("game bad_game {")
    source = PLUGIN_SOURCE.replace(
        '    register(Game.from_folder(HERE / "tiny_tac_toe"))',
        '    register(Game.from_folder(HERE / "tiny_tac_toe"))\n'
        '    register.error("bad_game", "does not parse")')
    (third_party / "thirdparty_games" / "__init__.py").write_text(source)
    with pytest.warns(PluginWarning, match="could not load 'bad_game': does not parse"):
        host = PluginHost()
    assert "tiny_tac_toe" in host.registry("games")


def test_unknown_names_suggest_the_closest():
    host = PluginHost()
    with pytest.raises(UnknownNameError, match="did you mean 'tic_tac_toe'"):
        host.get("games", "tic_tac_to")


# --------------------------------------------------------------------- every hook


class _Thing:
    description = "test object"

    def __init__(self, name):
        self.name = name

    def applies(self, context):
        return True

    def run(self, context):
        return None

    def __call__(self, report):
        return 1.0

    def train(self, config, run_dir):
        return {}

    def create(self, config):
        return self

    def render(self, spec):
        return "prompt"


def _spec_hooks() -> list[str]:
    return sorted(name for name, fn in inspect.getmembers(hookspecs, inspect.isfunction)
                  if hasattr(fn, "cwmkit_spec"))


def test_every_hookspec_is_a_registry_kind():
    assert sorted(k.hook for k in KINDS.values()) == _spec_hooks()


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_each_registry_hook_registers_and_attributes(kind):
    hook = KINDS[kind].hook

    class Plugin:
        pass

    def impl(register):
        if kind == "games":
            from cwmkit import Game

            register(Game.from_folder(TIC_TAC_TOE))
        else:
            register(_Thing(f"sample_{kind}"))

    setattr(Plugin, hook, staticmethod(hookspecs.hookimpl(impl)))
    host = PluginHost(load_entry_points=False)
    assert host.add_plugin(Plugin(), name="sample")
    registry = host.registry(kind)
    name = "tic_tac_toe" if kind == "games" else f"sample_{kind}"
    assert list(registry) == [name]
    assert host.provider(kind, name) == "sample"
    assert host.plugins()[0].registered == {kind: [name]}


@pytest.mark.parametrize("hook", _spec_hooks())
def test_every_hookspec_is_documented(hook):
    doc = getattr(hookspecs, hook).__doc__ or ""
    assert ":param register:" in doc
    assert hook in (ROOT / "docs" / "plugins.md").read_text()


def test_builtin_plugins_load_through_entry_points():
    host = PluginHost()
    infos = {i.name: i for i in host.plugins()}
    assert infos["games"].distribution == "cwmkit"
    assert "default" in host.registry("prompts")


def test_no_warning_without_broken_plugins():
    with warnings.catch_warnings():
        warnings.simplefilter("error", PluginWarning)
        PluginHost().registry("games")


def test_each_kind_is_checked_against_its_protocol_by_member_name():
    from cwmkit.core.protocols import CheckPlugin, RewardShaper, missing_members

    class HalfCheck:
        name = "half"
        description = "no run"
        run = "not a method"

        def applies(self, context):
            return True

    assert missing_members(HalfCheck(), CheckPlugin) == ["run (not callable)"]
    assert missing_members(object(), RewardShaper) == ["name", "__call__ (not callable)"]


class _NoneCheck:
    name = "returns_none"
    description = "the README's old example: run returns nothing"
    order = 5

    def applies(self, context):
        return True

    def run(self, context):
        return None


class _RaisingCheck:
    name = "raises"
    description = "a check whose applies raises"

    def applies(self, context):
        raise RuntimeError("boom")

    def run(self, context):
        raise AssertionError("never called")


def test_a_check_that_misbehaves_at_run_time_is_reported_by_name_not_a_crash():
    from cwmkit.core.plugins import PluginHost
    from cwmkit.verify import Verifier

    host = PluginHost()

    class Extra:
        @hookimpl
        def register_checks(self, register):
            register(_NoneCheck())
            register(_RaisingCheck())

    host.add_plugin(Extra(), name="misbehaving")
    game = host.get("games", "tic_tac_toe")
    with Verifier({"playouts": 4}, host=host) as verifier:
        report = verifier.verify(game.reference_source, game=game)
    assert report.status == "ok" and report.score == 1.0
    none, raises = report.tiers["returns_none"], report.tiers["raises"]
    assert none.score is None and none.plugin_failed
    assert "'returns_none' failed: run() returned NoneType" in none.skipped
    assert raises.plugin_failed and "RuntimeError: boom" in raises.skipped
