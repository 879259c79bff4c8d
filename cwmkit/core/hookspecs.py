"""Every hook a cwmkit plugin can implement.

A plugin is a module (or object) listed under the ``cwmkit`` entry-point group that
implements some of these hooks with ``@cwmkit.hookimpl``. The built-in plugins are
registered through that same group.

Registry hooks receive a ``register`` callback and call it once per object they
provide. The host owns each registry: it checks what it is given, attributes each entry
to the plugin that registered it, and reports a duplicate name with both plugins. Each
hook is called once per plugin, in load order; its return value is ignored.

``register.error(name, message)`` reports one item a plugin could not build (a spec with
a syntax error, say): the host skips that item and keeps the plugin's other ones.
"""

from __future__ import annotations

import pluggy

__all__ = ["hookimpl", "hookspec"]

hookspec = pluggy.HookspecMarker("cwmkit")
hookimpl = pluggy.HookimplMarker("cwmkit")


@hookspec
def register_games(register):
    """Provide games.

    :param register: call ``register(game)`` with a :class:`cwmkit.Game` (a spec plus the
        path of its reference GameCWM) for each game. ``Game.from_folder(path)`` builds
        one from a folder holding ``spec.game`` and ``reference.py``.
    """


@hookspec
def register_checks(register):
    """Provide verification checks (tiers).

    :param register: call ``register(check)`` for each check. A check has a ``name``
        (the tier name reports use), a ``description``, ``applies(context) -> bool`` and
        ``run(context) -> TierResult``; see :mod:`cwmkit.verify.context`.
    """


@hookspec
def register_reward_shapers(register):
    """Provide reward shapers.

    :param register: call ``register(shaper)`` for each shaper. A shaper has a ``name``
        and is called as ``shaper(report) -> float | None``: a pure function of a
        verification report; ``None`` means the report holds no verdict (an
        infrastructure failure), never a score.
    """


@hookspec
def register_trainers(register):
    """Provide trainers.

    :param register: call ``register(trainer)`` for each trainer. A trainer has a
        ``name``, a ``description`` and ``train(config, run_dir) -> dict``.
    """


@hookspec
def register_generators(register):
    """Provide generation backends.

    :param register: call ``register(backend)`` for each backend. A backend has a
        ``name``, a ``description`` and ``create(config)`` returning an object with
        ``generate(prompts) -> list[Completion]``.
    """


@hookspec
def register_prompts(register):
    """Provide prompt renderers.

    :param register: call ``register(renderer)`` for each renderer. A renderer has a
        ``name``, a ``description`` and ``render(spec) -> str``: the generation prompt
        asking a model to write the GameCWM of a :class:`cwmkit.GameSpec`.
    """
