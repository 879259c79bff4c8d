"""Modules and walkers behind allowed modules, with every name built at run time so the
static policy sees nothing: ``random._os``, ``collections._sys``, ``typing.sys``,
``dataclasses.sys``, ``re.enum``, ``copy.types``, ``string.Formatter``,
``operator.attrgetter``, through ``functools.reduce(getattr, ...)``, and private
attributes on modules renamed ``self`` and ``cls``.

The module is written to pass only when some route works: it raises when all are refused.
Expected: every route is refused, so loading crashes.
"""

import collections
import copy
import dataclasses
import functools
import operator
import random
import re
import string
import typing

_U = "_"
ROUTES = [
    (random, _U + "os"), (collections, _U + "sys"), (typing, "s" + "ys"),
    (dataclasses, "s" + "ys"), (re, "en" + "um"), (copy, "ty" + "pes"),
    (string, "Form" + "atter"), (operator, "attr" + "getter"),
    (operator, "method" + "caller"),
]
REACHED = []
for module, name in ROUTES:
    try:
        REACHED.append(functools.reduce(getattr, [name], module))
    except AttributeError:
        pass
try:
    # The static policy lets ``self`` and ``cls`` use private attributes.
    self, cls = random, collections
    REACHED += [self._os, cls._sys]
except AttributeError:
    pass
if not REACHED:
    raise ImportError("every route was refused")

# @REFERENCE@
