"""The allow-list policy: one table, enforced statically and at run time, that lets an
ordinary GameCWM use what it needs and nothing that reaches the harness.

These tests talk to the sandbox directly (``Zygote`` and ``Session``), not through the
verifier's tiers, so they pin the sandbox's own behaviour.
"""

from __future__ import annotations

import ast
import importlib
import types

import pytest

from cwmkit.sandbox import harness
from cwmkit.sandbox.client import SandboxDied, Zygote
from cwmkit.sandbox.policy import analyse

KITCHEN_SINK = '''
"""A legitimate program that uses much of the allow-list: it must load and run."""
from __future__ import annotations

import abc
import bisect
import collections
import collections.abc
import copy
import dataclasses
import decimal
import enum
import fractions
import functools
import heapq
import itertools
import math
import numbers
import operator
import random
import re
import statistics
import string
import textwrap
import typing
from typing import NamedTuple, Optional

__all__ = ["get_initial_state"]


class Color(enum.Enum):
    RED = 1
    GREEN = enum.auto()


Flags = enum.Enum("Flags", "A B")


class Point(NamedTuple):
    x: int
    y: "int" = 0


class Shape(abc.ABC):
    @abc.abstractmethod
    def area(self) -> float: ...


@functools.total_ordering
@dataclasses.dataclass(frozen=True)
class Square(Shape):
    side: int
    tags: tuple = ()

    def area(self) -> float:
        return float(self.side ** 2)

    def __lt__(self, other):
        return self.side < other.side

    def __repr__(self):
        return f"Square({self.side})"


@dataclasses.dataclass
class Counter2:
    counts: dict = dataclasses.field(default_factory=dict)

    def __post_init__(self):
        self.counts.setdefault("made", 0)


class Box:
    __slots__ = ("items",)

    def __init__(self, items):
        self.items = list(items)

    def __len__(self):
        return len(self.items)

    def __iter__(self):
        return iter(self.items)

    def __eq__(self, other):
        return isinstance(other, Box) and super().__eq__(other) is NotImplemented \\
            and self.items == other.items

    __hash__ = None


def traced(fn):
    @functools.wraps(fn)
    def inner(*args):
        return fn(*args)
    return inner


@traced
@functools.lru_cache(maxsize=None)
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)


def work():
    rng = random.Random(7)
    deck = list(range(10))
    rng.shuffle(deck)
    random.seed(3)
    heap = []
    for v in deck:
        heapq.heappush(heap, v)
    sorted_deck = [heapq.heappop(heap) for _ in range(len(heap))]
    bisect.insort(sorted_deck, 4)
    grid = collections.defaultdict(list)
    grid["a"].append(Point(1, 2))
    counts = collections.Counter("abracadabra")
    dq = collections.deque([1, 2, 3], maxlen=2)
    od = collections.OrderedDict(a=1)
    cm = collections.ChainMap({"a": 1}, {"b": 2})
    squares = sorted([Square(3), Square(1)])
    state = copy.deepcopy({"grid": dict(grid), "sq": squares, "color": Color.RED})
    total = functools.reduce(operator.add, range(5))
    text = textwrap.shorten(string.capwords("hello there world"), 12)
    pattern = re.compile(r"(\\d+)-(\\d+)")
    match = pattern.fullmatch("12-34")
    return {
        "deck": sorted_deck, "fib": fib(20), "counts": counts.most_common(2),
        "dq": list(dq), "od": list(od), "cm": cm["b"], "sq": [s.area() for s in squares],
        "state": len(state), "total": total, "text": text, "groups": match.groups(),
        "mean": statistics.mean([1, 2, 3]), "frac": str(fractions.Fraction(1, 3)),
        "dec": str(decimal.Decimal("1.1") + decimal.Decimal("2.2")),
        "perm": list(itertools.permutations("ab")), "isqrt": math.isqrt(17),
        "num": isinstance(3, numbers.Integral), "flags": Flags.A.name,
        "box": len(Box([1, 2])), "counter": Counter2().counts,
        "mapping": isinstance({}, collections.abc.Mapping),
        "opt": typing.cast(Optional[int], 3), "choice": random.choice("xyz"),
        "normal": round(statistics.NormalDist(0, 1).samples(1)[0], 6),
        "template": string.Template("$a").substitute(a=1),
        "replace": dataclasses.replace(Square(2), side=5).side,
    }


RESULT = work()


def get_initial_state():
    return {"result": repr(sorted(RESULT))}
'''


@pytest.fixture(scope="module")
def zygote():
    z = Zygote()
    z.ensure_started()
    yield z
    z.close()


def load(zygote: Zygote, source: str, **settings) -> tuple[dict, object]:
    session = zygote.spawn({"cpu_seconds": 20, "memory_bytes": 1 << 30})
    reply = session.request({"op": "load", "source": source,
                             "settings": {"seed": 1, "call_cpu_seconds": 1.0, **settings}},
                            wall_seconds=60)
    return reply, session


def test_a_legitimate_program_using_the_allow_list_loads_and_runs(zygote):
    assert analyse(KITCHEN_SINK).violations == ()
    reply, session = load(zygote, KITCHEN_SINK)
    try:
        assert reply["status"] == "ok", reply
    finally:
        session.close()


#: Allowed names that only newer Pythons have (the proxy skips what a Python lacks).
NEWER = {"itertools.batched", "math.sumprod"}


def test_every_allowed_name_exists_and_no_withheld_name_is_allowed():
    for module, names in harness.ALLOWED_NAMES.items():
        real = importlib.import_module(module)
        for name in names:
            qualified = f"{module}.{name}"
            assert hasattr(real, name) or qualified in NEWER, qualified
            value = getattr(real, name, None)
            assert not isinstance(value, types.ModuleType) or qualified in \
                harness.ALLOWED_MODULES, qualified
    for qualified in harness.WITHHELD:
        module, _, name = qualified.rpartition(".")
        if module:
            assert name not in harness.ALLOWED_NAMES.get(module, ()), qualified
        else:
            assert qualified not in harness.ALLOWED_MODULES
    for qualified in harness.WRAPPED:
        module, _, name = qualified.rpartition(".")
        assert name in harness.ALLOWED_NAMES[module], qualified


def test_the_static_policy_reads_the_same_table():
    imports = "\n".join(f"import {m}" for m in sorted(harness.ALLOWED_MODULES)
                        if m != "__future__")
    assert analyse(imports).violations == ()
    for qualified in ("functools.singledispatch", "typing.get_type_hints",
                      "operator.attrgetter", "string.Formatter", "random.SystemRandom"):
        module, name = qualified.rsplit(".", 1)
        assert analyse(f"import {module}\nx = {module}.{name}\n").violations, qualified
        assert analyse(f"from {module} import {name}\n").violations, qualified


@pytest.mark.parametrize("source", [
    "class C:\n    def __getattr__(self, name): return 1\n",
    "class C:\n    def __set_name__(self, owner, name): pass\n",
    "class C:\n    def __init_subclass__(cls): pass\n",
    "class C:\n    def __class_getitem__(cls, item): pass\n",
    "class C:\n    def __reduce__(self): pass\n",
    "class C:\n    def __get__(self, i, o): pass\n",
    "class C:\n    def __del__(self): pass\n",
    "class C:\n    __match_args__ = ('a',)\n",
    "class M(type):\n    def __instancecheck__(cls, o): return True\n",
    "def __getattr__(name): return 1\n",
    "match x:\n    case C(a):\n        pass\n",
    "match x:\n    case C(__globals__=g):\n        pass\n",
    "import random\nclass R(random.Random):\n    def f(self):\n"
    "        return super(random.Random, self).seed()\n",
    "s = super\n",
    "x = __build_class__\n",
    "x = '{0.__globals__}'\n",
])
def test_syntax_that_reads_or_binds_attributes_by_name_is_refused(source):
    assert analyse(source).violations, source


@pytest.mark.parametrize("source", [
    '"""Docstrings may say __init__, __eq__ or __globals__."""\n',
    "class C:\n    __slots__ = ('a',)\n    def __eq__(self, o): return super().__eq__(o)\n"
    "    __hash__ = None\n    def __repr__(self): return 'C'\n    __str__ = __repr__\n",
    "class C:\n    def f(self): return super(C, self).f()\n",
    "match x:\n    case dict(): pass\n    case C(a=1): pass\n",
    "__all__ = ['f']\nif __name__ == '__main__':\n    pass\n",
])
def test_ordinary_python_passes(source):
    assert analyse(source).violations == (), source


def test_module_proxies_hold_exactly_the_allowed_names():
    side = harness._candidate_side(harness._Output(), {}, harness.SplitMix(1))
    cache: dict = {}
    for module, names in harness.ALLOWED_NAMES.items():
        proxy = harness._module_proxy(module, cache, side)
        public = {n for n in vars(proxy) if not n.startswith("_")}
        assert public == {n for n in names if f"{module}.{n}" not in NEWER}, module
        for qualified in harness.WRAPPED:
            owner, _, name = qualified.rpartition(".")
            if owner == module:
                assert vars(proxy)[name] is side[name], qualified


@pytest.mark.parametrize("body, why", [
    ("functools.update_wrapper(f, getattr)", "other modules' functions"),
    ("functools.update_wrapper(f, g, assigned=())", "assigned"),
    ("functools.wraps(len)(f)", "other modules' functions"),
    ("getattr(functools, 'single' + 'dispatch')", "missing"),
    ("getattr(typing, 'get_type' + '_hints')", "missing"),
    ("getattr(f, '_' * 2 + 'globals' + '_' * 2)", "guarded getattr"),
    ("random.Random.seed.__wrapped__", "static"),
])
def test_wrapped_and_withheld_names_confine_the_program(zygote, body, why):
    source = f"import functools, random, typing\ndef f(): pass\ndef g(): pass\nX = {body}\n"
    if analyse(source).violations:
        assert why == "static"
        return
    reply, session = load(zygote, source)
    session.close()
    assert reply["status"] == "crashed", reply


def test_wraps_between_the_programs_own_functions_works(zygote):
    source = '''
import functools
def deco(fn):
    @functools.wraps(fn)
    def inner(*args):
        return fn(*args)
    return inner
@deco
def get_initial_state():
    """The docstring travels."""
    return {"name": get_initial_state.__name__, "doc": get_initial_state.__doc__}
'''
    reply, session = load(zygote, source)
    session.close()
    assert reply["status"] == "ok", reply


def test_the_audit_hook_refuses_what_the_harness_never_needs(zygote):
    # Frames and foreign code objects through stdlib routes the policy cannot see.
    source = '''
import copy
_U = "_" * 2
def f(): pass
class Plain: pass
def reduce_ex(self, protocol):
    return (Plain, (), (None, {_U + "class" + _U: dict}))
copy.deepcopy(type("R", (), {_U + "reduce_ex" + _U: reduce_ex})())
'''
    reply, session = load(zygote, source)
    session.close()
    assert reply["status"] == "crashed", reply
    assert "not allowed in a GameCWM" in reply["message"]


def test_candidate_side_namespace_holds_no_module():
    output = harness._Output()
    side = harness._candidate_side(output, {}, harness.SplitMix(1))
    for name, value in side.items():
        assert not isinstance(value, types.ModuleType), name
    assert "_AUDIT" not in side and "os" not in side and "sys" not in side
    tree = ast.parse(harness._CANDIDATE_SIDE)
    assert not [n for n in ast.walk(tree) if isinstance(n, ast.Import | ast.ImportFrom)]


def test_a_broken_hello_is_the_sandbox_s_failure_a_broken_reply_the_program_s(zygote):
    reply, session = load(zygote, "X = 1\n")
    assert session.greeted and "dropped_privileges" in session.info
    with pytest.raises(SandboxDied):
        session.request({"op": "no such op"}, wall_seconds=30)
    session.close()


def test_the_documented_table_is_the_table():
    """docs/verification.md shows the allow-list as the harness holds it."""
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[1] / "docs" / "verification.md").read_text()
    for module in sorted(harness.ALLOWED_NAMES):
        names = [f"{n}*" if f"{module}.{n}" in harness.WRAPPED else n
                 for n in sorted(harness.ALLOWED_NAMES[module],
                                      key=lambda n: (n.lower(), n))]
        assert f"| `{module}` | {', '.join(names)} |" in docs, module
    for qualified in (*harness.WRAPPED, *harness.WITHHELD):
        assert f"`{qualified}`" in docs, qualified
