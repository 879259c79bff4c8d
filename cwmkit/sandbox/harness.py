"""The sandbox side of verification: the allow-list enforced at run time, and the loaded
candidate.

Runs inside the candidate's process (``ops`` holds what the verifier can ask of the
candidate there, ``zygote`` the processes around it). Standard-library only: the zygote
runs these files as scripts. Nothing here decides a verdict; the verifier judges the
plain data that comes back, in its own process.

The policy is one set of tables (``allowlist``: modules and names, wrapped and withheld
names, builtins, attributes, bindings, audit events), read by the static pass
(``policy``) and enforced here:

- a candidate imports proxies holding exactly the names the table allows (anything else
  is missing), some of them wrapped so that they only touch the candidate's own objects;
- its builtins are a filtered copy; the replacements (guarded ``getattr`` and friends,
  ``print``) and every wrapper live in a namespace of their own, so no harness module or
  globals can be reached from them, and the harness's modules are removed from
  ``sys.modules`` before the candidate loads;
- an audit hook refuses, while candidate code runs, every event not on its allow-list
  (files, processes, sockets, frames, code objects) and checks every source text the
  stdlib compiles on the candidate's behalf against the same rules as the program;
- every call into the candidate, and what the harness does with its results, runs
  under a CPU budget: a CPU timer for a clean per-call fault, and a counter the zygote
  watches (``zygote``) to kill the process when the budget is overrun in C code or by a
  program that ignores the timer;
- the candidate's ``random`` is seeded from the program and the check.
"""

from __future__ import annotations

import builtins
import os
import sys
import types

try:
    from cwmkit.sandbox.allowlist import (
        ALLOWED_MODULES,
        ALLOWED_NAMES,
        AUDIT_ALLOWED,
        AUDIT_REFUSED_READS,
        AUDIT_REFUSED_WRITES,
        BLOCKED_ATTRIBUTES,
        BLOCKED_BUILTINS,
        FORMAT_METHODS,
        SAFE_DUNDERS,
        SPECIAL_METHODS,
        WITHHELD,
        WRAPPED,
        runtime_code_problem,
    )
    from cwmkit.sandbox.budget import (
        EXIT_SETUP_FAILED,
        EXIT_SWALLOWED_TIMEOUT,
        Budget,
        CallTimeout,
        Fault,
        close_window,
        on_cpu_timer,
        open_window,
        watch,
    )
    from cwmkit.sandbox.contract import FUNCTIONS
    from cwmkit.sandbox.plain import NotPlainError, describe, to_plain, type_name
    from cwmkit.sandbox.prng import SplitMix
except ImportError:  # run by the zygote as a script: siblings by path
    from allowlist import (
        ALLOWED_MODULES,
        ALLOWED_NAMES,
        AUDIT_ALLOWED,
        AUDIT_REFUSED_READS,
        AUDIT_REFUSED_WRITES,
        BLOCKED_ATTRIBUTES,
        BLOCKED_BUILTINS,
        FORMAT_METHODS,
        SAFE_DUNDERS,
        SPECIAL_METHODS,
        WITHHELD,
        WRAPPED,
        runtime_code_problem,
    )
    from budget import (
        EXIT_SETUP_FAILED,
        EXIT_SWALLOWED_TIMEOUT,
        Budget,
        CallTimeout,
        Fault,
        close_window,
        on_cpu_timer,
        open_window,
        watch,
    )
    from contract import FUNCTIONS
    from plain import NotPlainError, describe, to_plain, type_name
    from prng import SplitMix

__all__ = ["ALLOWED_MODULES", "ALLOWED_NAMES", "EXIT_SETUP_FAILED", "EXIT_SWALLOWED_TIMEOUT",
           "WITHHELD", "WRAPPED", "Budget", "CallTimeout", "Candidate", "Fault", "NotPlainError",
           "SplitMix", "audit", "close_window", "describe", "on_cpu_timer", "open_window",
           "seal", "watch"]


#: ``strict``: from the candidate's load on, for the life of the process (destructors run
#: at any time); ``armed``: compiled text is checked; ``globals``: the program's own.
_AUDIT = {"strict": False, "armed": False, "busy": False, "globals": None}
_GLOBALS_OF = types.FunctionType.__globals__.__get__


def _refuse(what: str):
    raise RuntimeError(f"{what}: not allowed in a GameCWM")


def audit(event: str, args: tuple) -> None:
    """Audit hook of the candidate's process. From the candidate's load on, only the
    events of ``AUDIT_ALLOWED`` pass (the harness itself needs none of the others once the
    candidate is in), and compiled text is checked against the policy."""
    if not _AUDIT["strict"] or _AUDIT["busy"]:
        return
    if event not in AUDIT_ALLOWED:
        _refuse(f"the operation {event!r}")
    if event == "object.__getattr__":
        obj, name = args[0], args[1]
        if name in AUDIT_REFUSED_READS or (name == "__code__" and not (
                type(obj) is types.FunctionType and _GLOBALS_OF(obj) is _AUDIT["globals"])):
            _refuse(f"reading {name!r}")
        return
    if event in ("object.__setattr__", "object.__delattr__"):
        if args[1] in AUDIT_REFUSED_WRITES:
            _refuse(f"changing {args[1]!r}")
        return
    if event != "compile" or not _AUDIT["armed"]:
        return
    source = args[0]
    if isinstance(source, bytes):
        source = source.decode("utf-8", "replace")
    if not isinstance(source, str):
        _refuse("compiling an AST")
    _AUDIT["busy"] = True  # ast.parse compiles too
    try:
        problem = runtime_code_problem(source)
    finally:
        _AUDIT["busy"] = False
    if problem:
        _refuse(f"code compiled at run time {problem}")


# =========================================================================== the candidate's side

#: What the candidate can hold of the harness: its guarded builtins and the wrappers of
#: WRAPPED. They are compiled into a namespace of their own, holding only what they use,
#: so that even a route past the policy from one of them reaches no harness module or
#: globals (the audit switch, the watchdog, the socket).
_CANDIDATE_SIDE = '''
def _check_name(name):
    if type(name) is not str:
        raise TypeError("attribute name must be a string")
    if name in _BLOCKED or (name[:1] == "_" and name not in _SAFE) or name in _FORMAT:
        raise AttributeError(f"attribute '{name}' is not allowed in a GameCWM")

def getattr(obj, name, *default):
    _check_name(name)
    return _getattr(obj, name, *default)

def setattr(obj, name, value):
    _check_name(name)
    return _setattr(obj, name, value)

def delattr(obj, name):
    _check_name(name)
    return _delattr(obj, name)

def hasattr(obj, name):
    _check_name(name)
    return _hasattr(obj, name)

def print(*args, sep=" ", end="\\n", file=None, flush=False):
    _write(_str(sep).join(_str(a) for a in args) + _str(end))

def _own(obj):
    """The program's own function: defined in it, or its own wrapped in a cache, a
    partial or a method."""
    kind = _type(obj)
    if kind is _FunctionType:
        return _globals_of(obj) is _program
    if kind is _MethodType:
        return _own(obj.__func__)
    if kind is _partial:
        return _own(obj.func)
    if kind is _lru_wrapper:
        return _own(_getattr(obj, "__wrapped__", None))
    return False

def update_wrapper(wrapper, wrapped, *args, **kwargs):
    if args or kwargs:
        raise TypeError("functools.update_wrapper in a GameCWM copies the default "
                        "attributes only (no assigned or updated)")
    if not (_own(wrapper) and _own(wrapped)):
        raise TypeError("functools.update_wrapper in a GameCWM works on the program's "
                        "own functions only")
    return _update_wrapper(wrapper, wrapped)

def wraps(wrapped, *args, **kwargs):
    if args or kwargs:
        raise TypeError("functools.wraps in a GameCWM copies the default attributes "
                        "only (no assigned or updated)")
    if not _own(wrapped):
        raise TypeError("functools.wraps in a GameCWM works on the program's own "
                        "functions only")
    def decorating(wrapper):
        return update_wrapper(wrapper, wrapped)
    return decorating

def _fresh():
    return _next_seed()

def seed(a=None, version=2):
    _global_random.seed(_fresh() if a is None else a, version)

class Random(_Random):
    """random.Random, seeded from the program and the check when no seed is given."""

    def seed(self, a=None, version=2):
        super().seed(_fresh() if a is None else a, version)
'''

_CANDIDATE_SIDE_CODE = compile(_CANDIDATE_SIDE, "<sandbox>", "exec", dont_inherit=True)
_CANDIDATE_BUILTINS = ("TypeError", "AttributeError", "type", "str", "super", "__build_class__",
                       "__name__")


_PREPARED: dict = {}


def _side_namespace() -> dict:
    """The candidate-side namespace, made once (in the zygote, before any fork: a child
    then only fills in its candidate's output, program and seeds, touching no page of the
    objects it shares with the zygote)."""
    if "side" not in _PREPARED:
        import functools
        import random

        space = {
            "__builtins__": {name: getattr(builtins, name) for name in _CANDIDATE_BUILTINS},
            "__name__": "sandbox",
            "_BLOCKED": BLOCKED_ATTRIBUTES, "_SAFE": SAFE_DUNDERS | SPECIAL_METHODS,
            "_FORMAT": FORMAT_METHODS, "_getattr": getattr, "_setattr": setattr,
            "_delattr": delattr, "_hasattr": hasattr, "_write": None, "_str": str,
            "_type": type, "_FunctionType": types.FunctionType,
            "_MethodType": types.MethodType, "_partial": functools.partial,
            "_lru_wrapper": type(functools.lru_cache(None)(len)),
            "_globals_of": types.FunctionType.__globals__.__get__, "_program": None,
            "_update_wrapper": functools.update_wrapper, "_next_seed": None,
            "_global_random": random._inst, "_Random": random.Random,
        }
        exec(_CANDIDATE_SIDE_CODE, space)
        space["Random"].__module__ = "random"
        space["Random"].__qualname__ = "Random"
        _PREPARED["side"] = space
    return _PREPARED["side"]


def _candidate_side(output, program: dict, seeds: SplitMix) -> dict:
    """The candidate-side namespace, bound to this candidate (one per process)."""
    space = _side_namespace()
    space.update(_write=output.write, _program=program, _next_seed=seeds.next)
    return space


# =========================================================================== loading

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


def _module_proxy(name: str, cache: dict, side: dict):
    """A fresh module object holding the allowed names of ``name``, wrapped where the
    table says so."""
    if name in cache:
        return cache[name]
    real = sys.modules.get(name) or __import__(name, fromlist=["_"])
    proxy = types.ModuleType(name)
    cache[name] = proxy
    for attr in sorted(ALLOWED_NAMES[name]):
        qualified = f"{name}.{attr}"
        if qualified in ALLOWED_NAMES:
            value = _module_proxy(qualified, cache, side)
        elif qualified in WRAPPED:
            value = side[attr]
        elif hasattr(real, attr):
            value = getattr(real, attr)
            if isinstance(value, types.ModuleType):
                continue
        else:
            continue  # not in this Python
        setattr(proxy, attr, value)
    return proxy


def _restricted_builtins(side: dict) -> dict:
    proxies: dict = {}

    def guarded_import(name, globals=None, locals=None, fromlist=(), level=0):
        if level != 0:
            raise ImportError("relative imports are not allowed")
        if type(name) is not str or name not in ALLOWED_MODULES:
            raise ImportError(f"import of '{name}' is not allowed in a GameCWM")
        top = name.split(".")[0]
        if fromlist:
            for item in fromlist:
                if type(item) is not str or (item != "*" and item not in ALLOWED_NAMES[name]):
                    raise ImportError(f"'from {name} import {item}' is not allowed in a "
                                      "GameCWM")
            return _module_proxy(name, proxies, side)
        return _module_proxy(top, proxies, side)

    if "builtins" not in _PREPARED:
        table = {k: v for k, v in vars(builtins).items() if k not in BLOCKED_BUILTINS}
        table.update(__build_class__=builtins.__build_class__, getattr=side["getattr"],
                     setattr=side["setattr"], delattr=side["delattr"],
                     hasattr=side["hasattr"], print=side["print"])
        _PREPARED["builtins"] = table
    table = _PREPARED["builtins"]  # one candidate per process: no copy to make
    table["__import__"] = guarded_import
    return table


#: Where the sandbox's own modules live: gone from ``sys.modules`` before a candidate loads.
SANDBOX_DIR = os.path.dirname(os.path.abspath(__file__))


def _ours(name: str, module) -> bool:
    if name == "cwmkit" or name.startswith("cwmkit."):
        return True
    path = getattr(module, "__file__", None)
    return isinstance(path, str) and os.path.dirname(os.path.abspath(path)) == SANDBOX_DIR


def prepare() -> None:
    """Work done once in the zygote, before any fork, so that each child does little: the
    candidate-side namespace, the builtins table, and the names ``seal`` removes."""
    _restricted_builtins(_side_namespace())
    _PREPARED["sealed"] = [name for name, module in list(sys.modules.items())
                           if _ours(name, module)]


def seal(seed: int) -> None:
    """Make this process ready for a candidate: no module of the sandbox (or of cwmkit)
    can be found by name, ``__main__`` is an empty module, and ``random`` is seeded from
    ``seed``."""
    import random

    sealed = _PREPARED.get("sealed")
    if sealed is None:
        sealed = [name for name, module in list(sys.modules.items()) if _ours(name, module)]
    for name in sealed:
        sys.modules.pop(name, None)
    sys.modules["__main__"] = types.ModuleType("__main__")
    # A candidate's destructor may raise: never format its exception outside a budget.
    sys.unraisablehook = _ignore
    random.seed(SplitMix(seed ^ 0x5EED).next())


def _ignore(*args) -> None:
    return None


class Candidate:
    """The candidate program, loaded under the runtime policy."""

    def __init__(self, source: str, settings: dict) -> None:
        self.settings = settings
        self.output = _Output()
        self.call_seconds = float(settings.get("call_cpu_seconds", 1.0))
        self.legal_cap = int(settings.get("legal_cap", 10_000))
        module = types.ModuleType("candidate")
        program = module.__dict__
        side = _candidate_side(self.output, program, SplitMix(int(settings.get("seed", 0))))
        program["__builtins__"] = _restricted_builtins(side)
        # dataclasses and enum look the defining module up in sys.modules.
        sys.modules["candidate"] = module
        _AUDIT["globals"] = program
        _AUDIT["strict"] = True
        #: None, or (status, message) when the module did not load.
        self.failure: tuple[str, str] | None = None
        try:
            with Budget(float(settings.get("load_cpu_seconds", 2.0))):
                try:
                    # dont_inherit: not this module's __future__ flags.
                    code = compile(source, "<candidate>", "exec", dont_inherit=True)
                except SyntaxError as exc:
                    self.failure = ("compile_error", f"line {exc.lineno}: {exc.msg}")
                except (ValueError, MemoryError, RecursionError) as exc:
                    self.failure = ("compile_error", f"cannot compile: {type_name(type(exc))}")
                else:
                    _AUDIT["armed"] = True  # from here on, only the candidate compiles
                    try:
                        exec(code, program)
                    except CallTimeout:
                        raise
                    except BaseException as exc:
                        self.failure = ("crashed", f"the module raised {exception_text(exc)} "
                                                   "while loading")
        except CallTimeout:
            self.failure = ("timeout", "the module ran out of CPU time while loading")
        self.fns = {}
        for name in FUNCTIONS:
            fn = program.get(name)
            if type(fn) is types.FunctionType:
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
        """Call a GameCWM function under the budget. Whatever it raises becomes a Fault
        whose message is made under the same budget (a ``__str__`` may loop too)."""
        fn = self.fns.get(name)
        if fn is None:
            raise Fault("missing_function", f"{name} is not defined")
        try:
            with Budget(self.call_seconds):
                try:
                    return fn(*args)
                except CallTimeout:
                    raise
                except RecursionError:
                    message = f"{name} raised RecursionError"
                except MemoryError:
                    message = f"{name} raised MemoryError"
                except BaseException as exc:  # SystemExit, KeyboardInterrupt, anything
                    message = f"{name} raised {exception_text(exc)}"
        except CallTimeout:
            raise Fault("timeout", f"{name} used more than {self.call_seconds:g} s of "
                                   "CPU") from None
        raise Fault("exception", message)

    def plain(self, name: str, value):
        try:
            return to_plain(value)
        except NotPlainError as exc:
            raise Fault("not_plain", f"{name} returned something that is not plain data: "
                                     f"{exc}") from None
        except RecursionError:
            raise Fault("not_plain", f"{name} returned data nested too deeply") from None
        except (MemoryError, ValueError, OverflowError):
            raise Fault("not_plain", f"{name} returned data too large to read") from None
        except BaseException as exc:  # a hostile __name__ of a metaclass, say
            if type(exc) is CallTimeout:
                raise
            raise Fault("not_plain", f"{name} returned something that is not plain data: "
                                     f"{type_name(type(exc))} while reading it") from None


def exact_text(text) -> str:
    """``text`` as an exact ``str``: a subclass's own methods never run."""
    if type(text) is str:
        return text
    if issubclass(type(text), str):
        return str.__str__(text)
    return "<not text>"


def exception_text(exc: BaseException) -> str:
    """"Type: message" of a candidate's exception. Call inside a Budget: ``str`` runs the
    candidate's ``__str__``; a CallTimeout passes through."""
    try:
        text = exact_text(str(exc))
    except CallTimeout:
        raise
    except BaseException:
        text = "<unprintable>"
    return f"{type_name(type(exc))}: {text[:300]}"


def short(exc) -> str:
    """The message of an exception of the harness's own making (never a candidate's)."""
    try:
        return exact_text(str(exc))[:300]
    except BaseException:
        return "<unprintable>"
