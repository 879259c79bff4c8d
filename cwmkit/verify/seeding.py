"""A trusted reference that draws its randomness from a generator of its own.

References sample (``resample_history``) with the ``random`` module. Seeding the global
generator would make a verdict depend on whatever else the process draws, in any thread
(a trainer shuffling data, another verification), and would disturb it in turn. A
``SeededReference`` runs the reference's functions over a private copy of its module's
namespace in which ``random`` (and any name bound to the global generator's methods)
draws from its own ``random.Random``: reproducible from ``seed``, and no process-global
state changes.
"""

from __future__ import annotations

import random
import types

__all__ = ["SeededReference"]


class SeededReference:
    """The reference module's functions, with private randomness (see the module doc)."""

    def __init__(self, module) -> None:
        self.generator = random.Random(0)
        namespace = dict(vars(module))
        shared = random._inst  # noqa: SLF001 - the generator behind random's functions
        for name, value in list(namespace.items()):
            if value is random:
                namespace[name] = self._private_random()
            elif getattr(value, "__self__", None) is shared:
                namespace[name] = getattr(self.generator, value.__name__)
            elif isinstance(value, types.FunctionType) and value.__globals__ is vars(module):
                copy = types.FunctionType(value.__code__, namespace, value.__name__,
                                          value.__defaults__, value.__closure__)
                copy.__kwdefaults__ = value.__kwdefaults__
                copy.__dict__.update(value.__dict__)
                namespace[name] = copy
        self.namespace = namespace

    def _private_random(self) -> types.SimpleNamespace:
        methods = {name: getattr(self.generator, name) for name in dir(self.generator)
                   if not name.startswith("_") and callable(getattr(self.generator, name))}
        return types.SimpleNamespace(**methods, Random=random.Random)

    def seed(self, value: int) -> None:
        self.generator.seed(value)

    def __getattr__(self, name: str):
        try:
            return self.namespace[name]
        except KeyError:
            raise AttributeError(name) from None
