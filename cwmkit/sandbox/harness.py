"""The sandbox side of verification: the policy and the loading of a candidate.

Runs inside the candidate's process (``harness_ops`` holds what the verifier can ask of
the candidate there, ``zygote`` the processes around it). Standard-library only: the
zygote runs these files as scripts (``python -I -S zygote.py``). Nothing here decides a
verdict; the verifier judges the plain data that comes back, in its own process.

The candidate shares this process, so everything the harness relies on is bound before
the candidate is loaded and is out of its reach: its own PRNG (the candidate may patch
``random``), encodings through ``json`` (not importable by candidates), and module
proxies that hand the candidate public, non-module attributes only. The candidate's
builtins are a filtered copy, so patching them changes nothing here. Source text that
the stdlib compiles on the candidate's behalf (string annotations, generated methods)
meets the policy too, through an audit hook.
"""

from __future__ import annotations

import ast
import os
import re
import signal
import string
import sys
import types

try:
    from cwmkit.sandbox.contract import FUNCTIONS
except ImportError:  # run by the zygote as a script (python -I -S): siblings by path
    from contract import FUNCTIONS

# --------------------------------------------------------------------------- policy

#: Modules a candidate may import (pure computation, no I/O or process access).
ALLOWED_MODULES = frozenset({
    "__future__", "abc", "bisect", "collections", "collections.abc", "copy", "dataclasses",
    "decimal", "enum", "fractions", "functools", "heapq", "itertools", "json", "math",
    "numbers",
    "operator", "random", "re", "statistics", "string", "textwrap", "typing",
})

#: Public attributes of allowed modules that still reach arbitrary objects.
HIDDEN_ATTRIBUTES = {
    "operator": {"attrgetter", "methodcaller"},  # walk attributes by name, dunders too
    "string": {"Formatter"},  # get_field() returns the object a format field names
    "json": {"JSONEncoder", "JSONDecoder"},  # the harness's own encoder stays out of reach
}

#: Builtins a candidate does not get: I/O, code execution, introspection of scopes.
BLOCKED_BUILTINS = frozenset({
    "open", "eval", "exec", "compile", "input", "breakpoint", "globals", "locals", "vars",
    "help", "exit", "quit", "copyright", "credits", "license", "memoryview", "__loader__",
    "__spec__", "__import__", "__build_class__", "getattr", "setattr", "delattr", "hasattr",
    "print", "__debug__",
})

#: Dunder attributes a candidate may touch; every other name starting with "_" is off
#: limits except single-underscore attributes of ``self`` and ``cls``.
SAFE_DUNDERS = frozenset({"__init__", "__name__", "__class__", "__doc__", "__qualname__"})

#: Frame, generator and traceback attributes: the classic ways out of a sandbox.
BLOCKED_ATTRIBUTES = frozenset({
    "f_back", "f_builtins", "f_code", "f_globals", "f_locals", "f_trace", "gi_code",
    "gi_frame", "gi_yieldfrom", "cr_await", "cr_code", "cr_frame", "ag_await", "ag_code",
    "ag_frame", "tb_frame", "tb_next", "mro",
})


#: ``str.format`` and ``format_map`` walk the attributes a format string names
#: ("{0.__globals__}"): allowed on a string literal only, whose fields the static policy
#: reads; never by name at run time (``getattr(s, "format")``).
FORMAT_METHODS = frozenset({"format", "format_map"})


def attribute_allowed(name: str) -> bool:
    if name in BLOCKED_ATTRIBUTES:
        return False
    return not name.startswith("_") or name in SAFE_DUNDERS


_FORMAT_ATTRIBUTE = re.compile(r"\.([^.\[\]]*)")


def format_fields_allowed(text: str) -> bool:
    """Whether every attribute that the format string ``text`` walks is allowed."""
    try:
        fields = [(name, spec) for _, name, spec, _ in string.Formatter().parse(text)
                  if name is not None]
    except ValueError:
        return True  # not a valid format string: formatting it fails without a walk
    for name, spec in fields:
        # Item keys ("[...]") are not attributes; the nested fields of a spec are walked.
        walked = re.sub(r"\[[^\]]*\]", "", name)
        if not all(attribute_allowed(a) for a in _FORMAT_ATTRIBUTE.findall(walked)):
            return False
        if spec and not format_fields_allowed(spec):
            return False
    return True


# --------------------------------------------------------------------------- plain data

try:
    from cwmkit.sandbox.plain import NotPlainError, to_plain
except ImportError:  # run by the zygote as a script (python -I -S): siblings by path
    from plain import NotPlainError, to_plain


# --------------------------------------------------------------------------- PRNG


class SplitMix:
    """A small deterministic PRNG of our own: candidates can patch ``random``."""

    def __init__(self, seed: int) -> None:
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self) -> int:
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n: int) -> int:
        return self.next() % n


# --------------------------------------------------------------------------- limits


class CallTimeout(BaseException):
    """Raised in the candidate's code when a call runs out of CPU time."""


class Fault(Exception):
    """A contract violation found while running the candidate."""

    def __init__(self, kind: str, message: str, *, expected=None, actual=None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.expected = expected
        self.actual = actual


_TIMER = {"armed": False, "strikes": 0}
EXIT_SWALLOWED_TIMEOUT = 86
EXIT_SETUP_FAILED = 70


def on_cpu_timer(signum, frame):
    if not _TIMER["armed"]:
        return
    _TIMER["strikes"] += 1
    if _TIMER["strikes"] > 20:
        # The candidate keeps catching CallTimeout: end the process; the verifier
        # reports the timeout from the exit status.
        os._exit(EXIT_SWALLOWED_TIMEOUT)
    raise CallTimeout()


class Budget:
    """A CPU-time budget for one candidate call (ITIMER_PROF counts CPU, not wall)."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    def __enter__(self):
        _TIMER["armed"] = True
        _TIMER["strikes"] = 0
        signal.setitimer(signal.ITIMER_PROF, self.seconds, 0.05)
        return self

    def __exit__(self, *exc):
        signal.setitimer(signal.ITIMER_PROF, 0, 0)
        _TIMER["armed"] = False
        return False


# --------------------------------------------------------------------------- run-time code

#: Names that code compiled at run time may not mention. Such code can run with the real
#: builtins (``typing.get_type_hints(f, globalns={})`` evaluates with a fresh globals
#: dict), so the guarded builtins are refused too.
RUNTIME_FORBIDDEN_NAMES = BLOCKED_BUILTINS | {"__builtins__", "__import__", "__loader__",
                                             "__spec__", "__file__", "__cached__"}
#: Dunders in the methods that dataclasses generates (frozen ``__setattr__``/
#: ``__delattr__`` through ``super()``, the ``__post_init__`` call).
GENERATED_DUNDERS = frozenset({"__setattr__", "__delattr__", "__post_init__"})
_OWN = ("self", "cls", "other", "__dataclass_self__")  # dataclasses: eq, order, init
_DUNDER_TEXT = re.compile(r"__[A-Za-z0-9_]+__")
_AUDIT = {"armed": False, "busy": False}


def runtime_code_problem(source: str) -> str | None:
    """Why source text compiled while the candidate runs breaks the policy, or None.

    The candidate's own source passed the static policy, but the stdlib compiles text
    the candidate chooses: typing evaluates string annotations (``get_type_hints``,
    ``functools.singledispatch``), dataclasses builds methods from field names. Such
    text gets the same rules, or a dunder walk built at run time escapes the sandbox.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None  # compile() itself refuses it
    except (ValueError, RecursionError, MemoryError):
        return "cannot be checked"
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in RUNTIME_FORBIDDEN_NAMES:
            return f"mentions {node.id!r}"
        if isinstance(node, ast.Attribute):
            owner = node.value.id if isinstance(node.value, ast.Name) else None
            own = owner in _OWN and not node.attr.startswith("__")
            if not (attribute_allowed(node.attr) or own or node.attr in GENERATED_DUNDERS) \
                    or node.attr in FORMAT_METHODS:
                return f"reaches the attribute {node.attr!r}"
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and \
                _DUNDER_TEXT.search(node.value):
            return "has a string that names a dunder"
    return None


def audit(event: str, args: tuple) -> None:
    """Audit hook of the candidate's process: checks every compile once armed."""
    if event != "compile" or not _AUDIT["armed"] or _AUDIT["busy"]:
        return
    source = args[0]
    if isinstance(source, bytes):
        source = source.decode("utf-8", "replace")
    if not isinstance(source, str):
        raise RuntimeError("compiling an AST is not allowed in a GameCWM")
    _AUDIT["busy"] = True  # ast.parse compiles too
    try:
        problem = runtime_code_problem(source)
    finally:
        _AUDIT["busy"] = False
    if problem:
        raise RuntimeError(f"code compiled at run time {problem}: not allowed in a GameCWM")


# --------------------------------------------------------------------------- loading

_OUTPUT_CAP = 64 * 1024


class _Output:
    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.truncated = False

    def write(self, text: str) -> None:
        if self.size >= _OUTPUT_CAP:
            self.truncated = True
            return
        text = text[: _OUTPUT_CAP - self.size]
        self.parts.append(text)
        self.size += len(text)

    def text(self) -> str:
        return "".join(self.parts) + ("\n[output truncated]" if self.truncated else "")


def _module_proxy(name: str, cache: dict):
    """A fresh module object holding the public, non-module attributes of ``name``."""
    if name in cache:
        return cache[name]
    real = sys.modules.get(name) or __import__(name, fromlist=["_"])
    proxy = types.ModuleType(name)
    hidden = HIDDEN_ATTRIBUTES.get(name, set())
    for attr, value in vars(real).items():
        if attr.startswith("_") or attr in hidden or isinstance(value, types.ModuleType):
            continue
        setattr(proxy, attr, value)
    cache[name] = proxy
    for sub in ALLOWED_MODULES:
        if sub.startswith(name + "."):
            setattr(proxy, sub.rsplit(".", 1)[1], _module_proxy(sub, cache))
    return proxy


def _restricted_builtins(output: _Output) -> dict:
    import builtins

    proxies: dict = {}

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level != 0:
            raise ImportError("relative imports are not allowed")
        if name not in ALLOWED_MODULES:
            raise ImportError(f"import of '{name}' is not allowed in a GameCWM")
        top = name.split(".")[0]
        if fromlist:
            for item in fromlist:
                if item.startswith("_"):
                    raise ImportError(f"'from {name} import {item}' is not allowed")
            return _module_proxy(name, proxies)
        return _module_proxy(top, proxies)

    def check_name(name):
        if type(name) is not str:
            raise TypeError("attribute name must be a string")
        if not attribute_allowed(name) or name in FORMAT_METHODS:
            raise AttributeError(f"attribute '{name}' is not allowed in a GameCWM")

    def safe_getattr(obj, name, *default):
        check_name(name)
        return getattr(obj, name, *default)

    def safe_setattr(obj, name, value):
        check_name(name)
        return setattr(obj, name, value)

    def safe_delattr(obj, name):
        check_name(name)
        return delattr(obj, name)

    def safe_hasattr(obj, name):
        check_name(name)
        return hasattr(obj, name)

    def safe_print(*args, sep=" ", end="\n", file=None, flush=False):
        output.write(str(sep).join(str(a) for a in args) + str(end))

    table = {k: v for k, v in vars(builtins).items() if k not in BLOCKED_BUILTINS}
    table.update(
        __import__=guarded_import,
        __build_class__=builtins.__build_class__,
        getattr=safe_getattr,
        setattr=safe_setattr,
        delattr=safe_delattr,
        hasattr=safe_hasattr,
        print=safe_print,
    )
    return table


class Candidate:
    """The candidate program, loaded under the runtime policy."""

    def __init__(self, source: str, settings: dict) -> None:
        self.settings = settings
        self.output = _Output()
        self.call_seconds = float(settings.get("call_cpu_seconds", 1.0))
        self.legal_cap = int(settings.get("legal_cap", 10_000))
        namespace = {"__name__": "candidate", "__builtins__": _restricted_builtins(self.output)}
        module = types.ModuleType("candidate")
        module.__dict__.update(namespace)
        # dataclasses and enum look the defining module up in sys.modules.
        sys.modules["candidate"] = module
        # dont_inherit: the candidate must not inherit this module's __future__ flags.
        code = compile(source, "<candidate>", "exec", dont_inherit=True)
        _AUDIT["armed"] = True  # from here on, only the candidate compiles
        with Budget(float(settings.get("load_cpu_seconds", 2.0))):
            exec(code, module.__dict__)
        self.fns = {}
        for name in FUNCTIONS:
            fn = module.__dict__.get(name)
            if isinstance(fn, types.FunctionType):
                self.fns[name] = fn

    def arities(self) -> dict:
        out = {}
        for name, fn in self.fns.items():
            c = fn.__code__
            out[name] = {"positional": c.co_argcount, "required":
                         c.co_argcount - len(fn.__defaults__ or ()),
                         "varargs": bool(c.co_flags & 0x04)}
        return out

    def call(self, name: str, *args):
        fn = self.fns.get(name)
        if fn is None:
            raise Fault("missing_function", f"{name} is not defined")
        try:
            with Budget(self.call_seconds):
                return fn(*args)
        except CallTimeout:
            message = f"{name} used more than {self.call_seconds:g} s of CPU"
            raise Fault("timeout", message) from None
        except RecursionError:
            raise Fault("exception", f"{name} raised RecursionError") from None
        except MemoryError:
            raise Fault("exception", f"{name} raised MemoryError") from None
        except Fault:
            raise
        except BaseException as exc:  # SystemExit, KeyboardInterrupt, anything
            message = f"{name} raised {type(exc).__name__}: {short(exc)}"
            raise Fault("exception", message) from None

    def plain(self, name: str, value):
        try:
            return to_plain(value)
        except NotPlainError as exc:
            raise Fault("not_plain", f"{name} returned something that is not plain data: "
                                     f"{exc}") from None
        except RecursionError:
            raise Fault("not_plain", f"{name} returned data nested too deeply") from None


def short(exc) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "<unprintable>"
    return text[:300]
