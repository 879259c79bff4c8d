"""Withheld names of allowed modules, imported and used plainly: ``functools.
singledispatch``, ``typing.get_type_hints`` and ``ForwardRef``, ``operator.attrgetter``,
``dataclasses.make_dataclass``, ``random.SystemRandom``, ``enum.global_enum`` and
``copy.dispatch_table``.

Expected: policy_violation (none of them is on the allow-list).
"""

import copy
import dataclasses
import enum
import random
from functools import singledispatch
from operator import attrgetter
from typing import ForwardRef, get_type_hints

USED = (singledispatch, attrgetter, ForwardRef, get_type_hints, dataclasses.make_dataclass,
        random.SystemRandom, enum.global_enum, copy.dispatch_table)
