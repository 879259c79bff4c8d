"""Class hooks defined at run time (``type()`` with dunder keys built at run time, past
the static policy): a descriptor's ``__get__``/``__set_name__``, ``__init_subclass__``,
``__class_getitem__`` and a metaclass's ``__getattr__`` record every object the
interpreter and the stdlib hand them while the program loads and runs, hoping for one of
the harness's (a module, its globals, a frame). Whatever they collect is searched for the
harness's names.

Written to pass only when a hook sees a harness object: it raises otherwise.
Expected: the hooks are called with the program's own objects only (crashed while
loading).
"""

# Deliberate: names in strings, late binding and bare expressions are the attack.
# ruff: noqa: B018

import dataclasses
import functools
import typing

_U = "_" * 2
SEEN = []


def _record(*args):
    SEEN.extend(args)
    return args[0] if args else None


Descriptor = type("Descriptor", (), {
    _U + "get" + _U: lambda self, instance, owner: _record(instance, owner),
    _U + "set_name" + _U: lambda self, owner, name: _record(owner, name),
})
Base = type("Base", (), {
    _U + "init_subclass" + _U: classmethod(lambda cls, **kw: _record(cls, kw)),
    _U + "class_getitem" + _U: classmethod(lambda cls, item: _record(cls, item)),
    "probe": Descriptor(),
})
Meta = type("Meta", (type,), {_U + "getattr" + _U: lambda cls, name: _record(cls, name)})
Child = Meta("Child", (Base,), {"field": Descriptor()})
Child[typing.Any]
Child().probe
Child.missing
dataclasses.dataclass(Child)
functools.total_ordering
for _thing in list(SEEN):
    if type(_thing) is dict and ("_AUDIT" in _thing or "os" in _thing):
        break
    if type(_thing).__name__ in ("module", "frame", "traceback", "code"):
        break
else:
    raise RuntimeError("no hook saw anything of the harness's")
