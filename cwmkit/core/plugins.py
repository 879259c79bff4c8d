"""The plugin host: loads plugins, owns the registries, reports broken plugins.

Plugins come from the ``cwmkit`` entry-point group (the built-in ones too). Loading is
forgiving by default: a plugin that fails to import, implements a hook that does not
exist, raises inside a registry hook or registers something unusable is reported by name
and skipped. Strict mode (``strict=True`` or ``CWMKIT_STRICT_PLUGINS=1``) turns each of
those into a :class:`PluginError`. ``CWMKIT_PLUGINS=a,b`` loads only the named
entry points.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Iterable
from importlib import metadata
from typing import Any

import pluggy
from attrs import define, field, frozen

from cwmkit.core import hookspecs, protocols
from cwmkit.core.errors import PluginError, UnknownNameError
from cwmkit.core.text import did_you_mean

__all__ = [
    "KINDS",
    "Kind",
    "PluginHost",
    "PluginInfo",
    "PluginProblem",
    "PluginWarning",
    "get_host",
    "reset_host",
]

ENTRY_POINT_GROUP = "cwmkit"
ENV_ONLY = "CWMKIT_PLUGINS"
ENV_STRICT = "CWMKIT_STRICT_PLUGINS"

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_.-]*\Z")


class PluginWarning(UserWarning):
    """A plugin was skipped because it is broken."""


@frozen
class Kind:
    """A kind of registry: its hook and the protocol every registered object follows."""

    name: str
    hook: str
    noun: str
    protocol: type


KINDS: dict[str, Kind] = {
    k.name: k
    for k in (
        Kind("games", "register_games", "game", protocols.GameEntry),
        Kind("checks", "register_checks", "check", protocols.CheckPlugin),
        Kind("reward_shapers", "register_reward_shapers", "reward shaper",
             protocols.RewardShaper),
        Kind("trainers", "register_trainers", "trainer", protocols.Trainer),
        Kind("generators", "register_generators", "generation backend",
             protocols.GenerationBackend),
        Kind("prompts", "register_prompts", "prompt renderer", protocols.PromptRenderer),
    )
}


@frozen
class PluginProblem:
    """Why a plugin (or one thing it registered) was skipped."""

    plugin: str
    message: str


@define
class PluginInfo:
    """What ``cwmkit plugins`` shows about one plugin."""

    name: str
    distribution: str | None
    version: str | None
    module: str
    hooks: list[str] = field(factory=list)
    registered: dict[str, list[str]] = field(factory=dict)
    #: Items this plugin offered that were skipped (a spec that does not parse, ...).
    failed: int = 0

    @property
    def broken(self) -> bool:
        """Everything it offered failed: the plugin provides nothing."""
        return self.failed > 0 and not self.registered


def _strict_from_env() -> bool:
    return os.environ.get(ENV_STRICT, "").strip().lower() in ("1", "true", "yes", "on")


def _only_from_env() -> set[str] | None:
    raw = os.environ.get(ENV_ONLY)
    if raw is None or not raw.strip():
        return None
    return {p.strip() for p in raw.split(",") if p.strip()}


class Registrar:
    """The ``register`` callback handed to registry hooks.

    ``register(obj)`` offers one object; ``register.error(name, message)`` reports one
    item the plugin could not build (a spec that does not parse, say), so the host can
    skip that item alone instead of the whole plugin.
    """

    def __init__(self, report) -> None:
        self.items: list[Any] = []
        self._report = report

    def __call__(self, obj: Any) -> None:
        self.items.append(obj)

    def error(self, name: str, message: str) -> None:
        self._report(f"could not load '{name}': {message}")


class PluginHost:
    """A pluggy manager plus the registries it fills.

    ``PluginHost()`` loads the entry points; ``PluginHost(load_entry_points=False)``
    starts empty (tests and embedders add plugins with :meth:`add_plugin`).
    """

    def __init__(self, *, strict: bool | None = None, only: Iterable[str] | None = None,
                 load_entry_points: bool = True) -> None:
        self.strict = _strict_from_env() if strict is None else strict
        self.only = set(only) if only is not None else _only_from_env()
        self.pm = pluggy.PluginManager("cwmkit")
        self.pm.add_hookspecs(hookspecs)
        self.problems: list[PluginProblem] = []
        self.infos: dict[str, PluginInfo] = {}
        self._registries: dict[str, dict[str, tuple[Any, str]]] | None = None
        if load_entry_points:
            self._load_entry_points()
            self._collect()

    # ------------------------------------------------------------------ loading

    def _problem(self, plugin: str, message: str) -> None:
        if self.strict:
            raise PluginError(f"plugin '{plugin}': {message}",
                              hint=f"fix or uninstall the plugin, or unset {ENV_STRICT}")
        self.problems.append(PluginProblem(plugin, message))
        warnings.warn(f"cwmkit plugin '{plugin}' skipped: {message}", PluginWarning,
                      stacklevel=3)

    def _load_entry_points(self) -> None:
        eps = sorted(metadata.entry_points(group=ENTRY_POINT_GROUP),
                     key=lambda ep: (ep.dist.name != "cwmkit" if ep.dist else True, ep.name))
        for ep in eps:
            if self.only is not None and ep.name not in self.only:
                continue
            try:
                obj = ep.load()
            except Exception as exc:  # a third-party import error must not crash the host
                self._problem(ep.name, f"failed to import {ep.value}: "
                                       f"{type(exc).__name__}: {exc}")
                continue
            dist = ep.dist.name if ep.dist else None
            version = ep.dist.version if ep.dist else None
            self.add_plugin(obj, name=ep.name, distribution=dist, version=version)

    def add_plugin(self, plugin: Any, *, name: str, distribution: str | None = None,
                   version: str | None = None) -> bool:
        """Register a plugin object or module; ``False`` if it was skipped as broken."""
        if name in self.infos:
            other = self.infos[name].distribution or self.infos[name].module
            self._problem(name, f"a plugin named '{name}' is already loaded (from {other})")
            return False
        try:
            self.pm.register(plugin, name=name)
        except (pluggy.PluginValidationError, ValueError) as exc:
            self._problem(name, str(exc))
            return False
        unknown = [hc.name for hc in self.pm.get_hookcallers(plugin) or [] if not hc.has_spec()]
        if unknown:
            self.pm.unregister(plugin)
            names = ", ".join(unknown)
            known = [k.hook for k in KINDS.values()]
            self._problem(name, f"implements unknown hook(s) {names}"
                                f"{did_you_mean(unknown[0], known)}")
            return False
        hooks = sorted(hc.name for hc in self.pm.get_hookcallers(plugin) or [])
        module = getattr(plugin, "__name__", type(plugin).__module__)
        self.infos[name] = PluginInfo(name, distribution, version, module, hooks)
        self._registries = None
        return True

    # ------------------------------------------------------------------ registries

    def _collect(self) -> dict[str, dict[str, tuple[Any, str]]]:
        if self._registries is not None:
            return self._registries
        registries: dict[str, dict[str, tuple[Any, str]]] = {k: {} for k in KINDS}
        for kind in KINDS.values():
            hook = getattr(self.pm.hook, kind.hook)
            # Called one implementation at a time so each entry is attributed to its
            # plugin and one plugin's failure does not cost the others theirs.
            for impl in reversed(hook.get_hookimpls()):
                self._collect_one(kind, impl, registries[kind.name])
        self._registries = registries
        return registries

    def _collect_one(self, kind: Kind, impl, registry: dict[str, tuple[Any, str]]) -> None:
        plugin = impl.plugin_name

        def report(message: str) -> None:
            if plugin in self.infos:
                self.infos[plugin].failed += 1
            self._problem(plugin, message)

        register = Registrar(report)
        try:
            impl.function(register=register)
        except Exception as exc:
            report(f"{kind.hook} raised {type(exc).__name__}: {exc}")
            return
        for obj in register.items:
            missing = protocols.missing_members(obj, kind.protocol)
            name = getattr(obj, "name", None)
            if missing:
                report(f"registered a {kind.noun} {obj!r} that does not follow "
                                      f"{kind.protocol.__name__}: missing "
                                      f"{', '.join(missing)}")
                continue
            if not isinstance(name, str) or not _NAME.match(name):
                report(f"registered a {kind.noun} with an invalid name {name!r}")
                continue
            if name in registry:
                other = registry[name][1]
                report(f"{kind.noun} '{name}' is already registered by plugin "
                                      f"'{other}'; plugins '{other}' and '{plugin}' both "
                                      "provide it")
                continue
            registry[name] = (obj, plugin)
            if plugin in self.infos:
                self.infos[plugin].registered.setdefault(kind.name, []).append(name)

    def registry(self, kind: str) -> dict[str, Any]:
        """Name -> object for one kind (``games``, ``checks``, ...), in load order."""
        if kind not in KINDS:
            raise KeyError(kind)
        return {name: obj for name, (obj, _) in self._collect()[kind].items()}

    def provider(self, kind: str, name: str) -> str:
        """The plugin that registered ``name`` of ``kind``."""
        return self._collect()[kind][name][1]

    def get(self, kind: str, name: str) -> Any:
        """The ``kind`` object called ``name``, or a clear :class:`UnknownNameError`."""
        registry = self.registry(kind)
        if name in registry:
            return registry[name]
        noun = KINDS[kind].noun
        listed = ", ".join(sorted(registry)) or "none"
        raise UnknownNameError(
            f"unknown {noun} '{name}'{did_you_mean(name, registry)}",
            hint=f"registered: {listed}" + (" (see 'cwmkit games')" if kind == "games" else ""),
        )

    def plugins(self) -> list[PluginInfo]:
        self._collect()
        return list(self.infos.values())


_HOST: PluginHost | None = None


def get_host() -> PluginHost:
    """The process-wide host, loaded on first use."""
    global _HOST
    if _HOST is None:
        _HOST = PluginHost()
    return _HOST


def reset_host(host: PluginHost | None = None) -> None:
    """Replace (or drop, with ``None``) the process-wide host."""
    global _HOST
    _HOST = host
