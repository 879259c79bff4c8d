"""The sandbox side of verification: runs inside the candidate's process.

This file is standard-library only and runs as a script (``python -I -S harness.py``):
it is the zygote that forks one child per candidate program, and the code each child
runs. Nothing in it decides a verdict. The child loads the candidate under the runtime
policy, executes what the verifier asks (playouts, replays, resamples) and sends back
plain data; the verifier judges that data in its own process.

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
import json
import math
import os
import re
import resource
import signal
import socket
import string
import struct
import sys
import time
import types

# --------------------------------------------------------------------------- policy

#: Modules a candidate may import (pure computation, no I/O or process access).
ALLOWED_MODULES = frozenset({
    "__future__", "abc", "bisect", "collections", "collections.abc", "copy", "dataclasses",
    "decimal", "enum", "fractions", "functools", "heapq", "itertools", "math", "numbers",
    "operator", "random", "re", "statistics", "string", "textwrap", "typing",
})

#: Public attributes of allowed modules that still reach arbitrary objects.
HIDDEN_ATTRIBUTES = {
    "operator": {"attrgetter", "methodcaller"},  # walk attributes by name, dunders too
    "string": {"Formatter"},  # get_field() returns the object a format field names
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

_MAX_DEPTH = 64


class NotPlainError(TypeError):
    """A value that is not plain data (a function, an object, a NaN, ...)."""


_SCALARS = frozenset({str, int, bool, type(None)})


def to_plain(value, _depth: int = 0):
    """``value`` as JSON-compatible data, sets sorted, tuples as lists.

    ``type(...)`` rather than ``isinstance``: a subclass of a builtin may lie (in
    ``__eq__``, ``__iter__``, ``items``...), so only the exact builtin types pass. Lists of
    scalars, the bulk of most states, take a fast path without recursion.
    """
    t = type(value)
    if t in _SCALARS:
        return value
    if t is float:
        if not math.isfinite(value):
            raise NotPlainError(f"non-finite number {value!r}")
        return value
    if _depth > _MAX_DEPTH:
        raise NotPlainError("nested more than 64 levels deep")
    if t is list or t is tuple:
        for item in value:
            if type(item) not in _SCALARS:
                return [to_plain(v, _depth + 1) for v in value]
        return list(value)
    if t is dict:
        out = {}
        for k, v in value.items():
            if type(k) is not str:
                if type(k) not in _SCALARS:
                    raise NotPlainError(f"dict key of type {type(k).__name__}")
                k = str(k)
            out[k] = v if type(v) in _SCALARS else to_plain(v, _depth + 1)
        return out
    if t is set or t is frozenset:
        items = [to_plain(v, _depth + 1) for v in value]
        return sorted(items, key=encode)
    raise NotPlainError(f"value of type {t.__name__}")


_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), check_circular=False)


def encode(plain) -> str:
    """Canonical text of plain data (equal values, equal texts)."""
    return _ENCODER.encode(plain)


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


def _on_cpu_timer(signum, frame):
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


def _audit(event: str, args: tuple) -> None:
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


FUNCTIONS = ("get_initial_state", "get_current_player", "get_player_name",
             "get_legal_actions", "apply_action", "get_rewards", "get_observations",
             "resample_history")


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
            message = f"{name} raised {type(exc).__name__}: {_short(exc)}"
            raise Fault("exception", message) from None

    def plain(self, name: str, value):
        try:
            return to_plain(value)
        except NotPlainError as exc:
            raise Fault("not_plain", f"{name} returned something that is not plain data: "
                                     f"{exc}") from None
        except RecursionError:
            raise Fault("not_plain", f"{name} returned data nested too deeply") from None


def _short(exc) -> str:
    try:
        text = str(exc)
    except BaseException:
        text = "<unprintable>"
    return text[:300]


# --------------------------------------------------------------------------- queries


def _snapshot(cand: Candidate, state, n_players: int | None, *, check: bool) -> dict:
    """What the candidate says about ``state``, as plain data, with contract checks."""
    player = cand.call("get_current_player", state)
    if type(player) is not int:
        raise Fault("bad_player", f"get_current_player returned {type(player).__name__}, "
                                  "not int", expected="an int", actual=repr(player)[:100])
    legal = cand.call("get_legal_actions", state)
    if type(legal) is not list:
        raise Fault("bad_legal", "get_legal_actions must return a list",
                    expected="list", actual=type(legal).__name__)
    if len(legal) > cand.legal_cap:
        raise Fault("bad_legal", f"get_legal_actions returned {len(legal)} actions, more "
                                 f"than the cap of {cand.legal_cap}")
    if not all(type(a) is str for a in legal):
        raise Fault("bad_legal", "legal actions must all be strings")
    rewards = cand.plain("get_rewards", cand.call("get_rewards", state))
    observations = cand.plain("get_observations", cand.call("get_observations", state))
    snap = {"player": player, "legal": list(legal), "rewards": rewards,
            "observations": observations}
    if check:
        _check_snapshot(snap, n_players)
    return snap


def _check_snapshot(snap: dict, n: int | None) -> None:
    player, legal, rewards, obs = (snap["player"], snap["legal"], snap["rewards"],
                                   snap["observations"])
    if len(set(legal)) != len(legal):
        dupes = sorted({a for a in legal if legal.count(a) > 1})
        raise Fault("bad_legal", f"duplicate legal actions {dupes[:5]}")
    if not (type(rewards) is list and all(type(r) in (int, float) for r in rewards)
            and (n is None or len(rewards) == n)):
        raise Fault("bad_rewards", "get_rewards must return one number per player",
                    expected=f"{n} numbers", actual=encode(rewards)[:200])
    if not (type(obs) is list and all(type(o) is dict for o in obs)
            and (n is None or len(obs) == n)):
        raise Fault("bad_observations", "get_observations must return one dict per player",
                    expected=f"{n} dicts", actual=encode(obs)[:200])
    if player == -4:
        if legal:
            raise Fault("terminal_actions", "a terminal state has legal actions",
                        expected="[]", actual=encode(legal)[:200])
    elif player == -1 or (player >= 0 and (n is None or player < n)):
        if not legal:
            raise Fault("no_actions", f"player {player} is to move but has no legal actions")
    else:
        raise Fault("bad_player", f"get_current_player returned {player}",
                    expected="0..n-1, -1 (chance) or -4 (terminal)", actual=str(player))


def _state_text(cand: Candidate, state) -> str:
    try:
        return encode(to_plain(state))
    except NotPlainError as exc:
        raise Fault("not_plain", f"the state is not plain data: {exc}") from None
    except RecursionError:
        raise Fault("not_plain", "the state is nested too deeply") from None


def _initial(cand: Candidate):
    return cand.call("get_initial_state")


def _apply(cand: Candidate, state, action: str, *, check: bool, before: str | None = None):
    """apply_action with the immutability and determinism checks.

    ``before`` is the state's text, computed once per step by the caller; returns the new
    state and its text (None without checks), so each state is encoded as few times as
    possible.
    """
    if not check:
        return cand.call("apply_action", state, action), None
    if before is None:
        before = _state_text(cand, state)
    nxt = cand.call("apply_action", state, action)
    if nxt is state:
        raise Fault("mutation", "apply_action returned its input state instead of a new one")
    if _state_text(cand, state) != before:
        raise Fault("mutation", "apply_action changed its input state")
    after = _state_text(cand, nxt)
    again = cand.call("apply_action", state, action)
    if _state_text(cand, again) != after:
        raise Fault("nondeterministic", "apply_action gave two different states for the same "
                                        "state and action")
    return nxt, after


def _queries_agree(cand: Candidate, state, snap: dict, n_players, before: str) -> None:
    """Ask every query again: the answers must agree and the state must not change."""
    again = _snapshot(cand, state, n_players, check=False)
    if _state_text(cand, state) != before:
        raise Fault("mutation", "a query function changed the state it was given")
    for key in ("player", "legal", "rewards", "observations"):
        if encode(again[key]) != encode(snap[key]):
            raise Fault("nondeterministic", f"two calls gave different {key}",
                        expected=encode(snap[key])[:200], actual=encode(again[key])[:200])


def op_playouts(cand: Candidate, req: dict) -> dict:
    """Random playouts with every per-state check; stops a playout at its first fault."""
    rng = SplitMix(int(req["seed"]))
    n = req.get("players")
    max_steps = int(req["max_steps"])
    views = bool(req.get("views"))
    check = req.get("check", True) is not False
    out = []
    for _ in range(int(req["count"])):
        actions: list[str] = []
        players: list[int] = []
        rewards_trace: list = []
        own: dict = {}
        pending = None
        record = {"actions": actions, "players": players, "rewards": rewards_trace}
        try:
            state = _initial(cand)
            text = None
            while True:
                if check and text is None:
                    text = _state_text(cand, state)
                snap = _snapshot(cand, state, n, check=check)
                if check:
                    _queries_agree(cand, state, snap, n, text)
                players.append(snap["player"])
                rewards_trace.append(snap["rewards"])
                if n is not None and snap["player"] != -4:
                    obs = snap["observations"]
                    if req.get("perfect") and len({encode(o) for o in obs}) > 1:
                        raise Fault("observations_differ", "perfect information, but the "
                                    "players' observations differ",
                                    actual=encode(obs)[:300])
                if snap["player"] == -4:
                    record["terminal"] = True
                    record["final"] = snap["rewards"]
                    record["final_observations"] = snap["observations"]
                    break
                if len(actions) >= max_steps:
                    record["terminal"] = False
                    break
                if not snap["legal"]:
                    raise Fault("no_actions", f"player {snap['player']} is to move but has "
                                              "no legal actions")
                action = snap["legal"][rng.below(len(snap["legal"]))]
                if views and snap["player"] >= 0:
                    own.setdefault(str(snap["player"]), []).append(
                        [snap["observations"][snap["player"]], action])
                pending = action
                state, text = _apply(cand, state, action, check=check, before=text)
                actions.append(action)
                pending = None
        except Fault as fault:
            record["fault"] = _fault(fault)
            # The sequence whose replay shows the fault: the failing action included.
            record["fault"]["at"] = actions + ([pending] if pending is not None else [])
        if views:
            record["views"] = own
        out.append(record)
    return {"playouts": out}


def _fault(f: Fault) -> dict:
    return {"kind": f.kind, "message": f.message, "expected": f.expected,
            "actual": f.actual}


def op_replay(cand: Candidate, req: dict) -> dict:
    """Replay action sequences; snapshot the end (or every step with ``trace``)."""
    n = req.get("players")
    trace = bool(req.get("trace"))
    check = bool(req.get("check"))
    results = []
    for history in req["histories"]:
        steps = []
        result: dict = {"steps": steps}
        try:
            state = _initial(cand)
            text = _state_text(cand, state) if check else None
            snap = _snapshot(cand, state, n, check=check)
            if check:
                _queries_agree(cand, state, snap, n, text)
            if trace:
                steps.append(snap)
            for i, action in enumerate(history):
                if action not in snap["legal"]:
                    result["failure"] = {"index": i, "kind": "illegal", "message":
                                         f"{action!r} is not legal here",
                                         "legal": snap["legal"][:50]}
                    break
                state, text = _apply(cand, state, action, check=check, before=text)
                snap = _snapshot(cand, state, n, check=check)
                if check:
                    _queries_agree(cand, state, snap, n, text)
                if trace:
                    steps.append(snap)
            else:
                result["end"] = snap
        except Fault as fault:
            result["failure"] = {"index": len(steps) - 1 if trace else -1, **_fault(fault)}
        results.append(result)
    return {"results": results}


def op_resample(cand: Candidate, req: dict) -> dict:
    results = []
    for item in req["requests"]:
        view = [tuple(pair) for pair in item["view"]]
        try:
            sampled = cand.call("resample_history", view, int(item["player"]))
            sampled = cand.plain("resample_history", sampled)
            if type(sampled) is not list or not all(type(a) is str for a in sampled):
                raise Fault("bad_resample", "resample_history must return a list of action "
                                            "strings")
            results.append({"history": sampled})
        except Fault as fault:
            results.append({"fault": _fault(fault)})
    return {"results": results}


OPS = {"playouts": op_playouts, "replay": op_replay, "resample": op_resample}


# --------------------------------------------------------------------------- wire

_HEADER = struct.Struct("!I")
MAX_MESSAGE = 64 * 1024 * 1024


def send(sock: socket.socket, value) -> None:
    data = json.dumps(value, separators=(",", ":")).encode()
    if len(data) > MAX_MESSAGE:
        data = json.dumps({"error": {"kind": "too_large", "message":
                                     f"response of {len(data)} bytes is too large"}}).encode()
    sock.sendall(_HEADER.pack(len(data)) + data)


def _recv_exact(sock: socket.socket, n: int) -> bytes:
    chunks = []
    while n:
        chunk = sock.recv(min(n, 1 << 20))
        if not chunk:
            raise EOFError("peer closed the connection")
        chunks.append(chunk)
        n -= len(chunk)
    return b"".join(chunks)


def recv(sock: socket.socket):
    (size,) = _HEADER.unpack(_recv_exact(sock, _HEADER.size))
    if size > MAX_MESSAGE:
        raise ValueError(f"message of {size} bytes is too large")
    return json.loads(_recv_exact(sock, size))


# --------------------------------------------------------------------------- child


def _set_limits(limits: dict) -> list[str]:
    """Resource limits for the child; returns what could not be applied."""
    missing = []
    cpu = int(limits.get("cpu_seconds", 30))
    wanted = [
        (resource.RLIMIT_CPU, (cpu, cpu + 1)),
        (resource.RLIMIT_AS, (int(limits.get("memory_bytes", 1 << 30)),) * 2),
        (resource.RLIMIT_FSIZE, (int(limits.get("file_bytes", 1 << 20)),) * 2),
        (resource.RLIMIT_NPROC, (0, 0)),
        (resource.RLIMIT_NOFILE, (32, 32)),
        (resource.RLIMIT_CORE, (0, 0)),
    ]
    for which, value in wanted:
        try:
            resource.setrlimit(which, value)
        except (ValueError, OSError):
            missing.append(f"rlimit {which}")
    return missing


_LIBC = None
_PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Ask the kernel to kill this process when its parent dies (Linux only)."""
    if _LIBC is not None:
        _LIBC.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)


def _drop_privileges(workdir: str) -> bool:
    if os.getuid() != 0:
        return False
    os.chown(workdir, 65534, 65534)
    os.setgroups([])
    os.setgid(65534)
    os.setuid(65534)
    return True


def child_main(sock: socket.socket, limits: dict, workdir: str) -> None:
    """The candidate's process: set up the sandbox, then serve requests until EOF."""
    os.setsid()
    os.chdir(workdir)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    os.close(devnull)
    for key in list(os.environ):
        del os.environ[key]
    dropped = _drop_privileges(workdir)
    _die_with_parent()  # after the uid change, which clears the setting
    missing = _set_limits(limits)
    signal.signal(signal.SIGPROF, _on_cpu_timer)
    sys.addaudithook(_audit)
    sys.setrecursionlimit(int(limits.get("recursion", 3000)))
    hello = {"dropped_privileges": dropped, "missing_limits": missing}
    cand = None
    while True:
        try:
            req = recv(sock)
        except (EOFError, OSError, ValueError):
            break
        op = req.get("op")
        started = time.process_time()
        try:
            if op == "load":
                try:
                    cand = Candidate(req["source"], req.get("settings", {}))
                except SyntaxError as exc:
                    reply = {"status": "compile_error",
                             "message": f"line {exc.lineno}: {exc.msg}"}
                except CallTimeout:
                    reply = {"status": "timeout", "message": "the module ran out of CPU time "
                             "while loading"}
                except BaseException as exc:
                    reply = {"status": "crashed", "message": "the module raised "
                             f"{type(exc).__name__} while loading: {_short(exc)}"}
                else:
                    reply = {"status": "ok", "functions": cand.arities()}
                reply["sandbox"] = hello
            elif op in OPS and cand is not None:
                reply = OPS[op](cand, req)
            elif op == "output":
                reply = {"output": cand.output.text() if cand else ""}
            else:
                reply = {"error": {"kind": "protocol", "message": f"unknown op {op!r}"}}
        except CallTimeout:
            reply = {"error": {"kind": "timeout", "message": "out of CPU time"}}
        except MemoryError:
            reply = {"error": {"kind": "memory", "message": "out of memory"}}
        except RecursionError:
            reply = {"error": {"kind": "exception", "message": "RecursionError"}}
        except Exception as exc:  # a harness bug: reported as such, never as a verdict
            reply = {"error": {"kind": "internal", "message": f"{type(exc).__name__}: {exc}"}}
        reply["cpu"] = time.process_time() - started
        try:
            send(sock, reply)
        except OSError:
            break
    os._exit(0)


# --------------------------------------------------------------------------- zygote

_CLONE_NEWNS = 0x00020000
_CLONE_NEWNET = 0x40000000
_MS_RDONLY, _MS_NOSUID, _MS_NODEV, _MS_NOEXEC = 1, 2, 4, 8
_MS_REMOUNT, _MS_BIND, _MS_REC, _MS_PRIVATE = 32, 4096, 16384, 1 << 18


def _isolate(tmp_root: str) -> dict:
    """Give this zygote (and so every child) an empty network namespace and a private,
    read-only view of the filesystem with its own writable tmpfs at ``tmp_root``.
    Returns which isolations are active; any that the OS refuses is skipped."""
    active = {"network_namespace": False, "mount_namespace": False, "read_only_root": False,
              "private_tmp": False}
    libc = _LIBC
    if libc is None:
        return active
    if libc.unshare(_CLONE_NEWNET) == 0:
        active["network_namespace"] = True
    if libc.unshare(_CLONE_NEWNS) != 0:
        return active
    active["mount_namespace"] = True
    if libc.mount(b"none", b"/", None, _MS_REC | _MS_PRIVATE, None) != 0:
        return active
    os.makedirs(tmp_root, exist_ok=True)
    if libc.mount(b"tmpfs", tmp_root.encode(), b"tmpfs", _MS_NOSUID | _MS_NODEV,
                  b"size=256m,mode=0711") == 0:
        active["private_tmp"] = True
    ok = True
    with open("/proc/self/mountinfo") as fh:
        mounts = {}
        for line in fh:
            fields = line.split()
            mounts[fields[4]] = set(fields[5].split(","))
    for point in sorted(mounts, key=len):
        if point == tmp_root:
            continue
        # A remount must keep the flags the mount already has, or the kernel refuses.
        flags = _MS_REMOUNT | _MS_BIND | _MS_RDONLY
        for name, bit in (("nosuid", _MS_NOSUID), ("nodev", _MS_NODEV),
                          ("noexec", _MS_NOEXEC)):
            if name in mounts[point]:
                flags |= bit
        if libc.mount(None, point.encode(), None, flags, None) != 0 and point == "/":
            ok = False
    active["read_only_root"] = ok
    return active


def _preload() -> None:
    """Import every allowed module now, so children fork with them loaded."""
    for name in sorted(ALLOWED_MODULES):
        __import__(name)


def zygote_main(control_fd: int, isolate: bool) -> None:
    global _LIBC
    try:
        import ctypes

        _LIBC = ctypes.CDLL(None, use_errno=True)
    except (ImportError, OSError):
        _LIBC = None
    _die_with_parent()
    control = socket.socket(fileno=control_fd)
    tmp_root = os.environ.get("CWMKIT_SANDBOX_TMP", "/tmp/cwmkit-sandbox")
    active = _isolate(tmp_root) if isolate else {}
    if not os.path.isdir(tmp_root):
        os.makedirs(tmp_root, exist_ok=True)
    _preload()
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    statuses: dict[int, int] = {}
    workdirs: dict[int, str] = {}
    spawned = 0
    control.sendall(json.dumps({"ready": True, "isolation": active, "uid": os.getuid()}).encode())

    def reap(block_for: int | None = None) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, 0 if block_for else os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            statuses[pid] = status
            _remove_tree(workdirs.pop(pid, None))
            if block_for and pid == block_for:
                return

    while True:
        try:
            msg, fds, _flags, _addr = socket.recv_fds(control, 1 << 16, 4)
        except OSError:
            break
        if not msg:
            break
        req = json.loads(msg)
        reap()
        if req["op"] == "spawn":
            spawned += 1
            workdir = os.path.join(tmp_root, f"candidate-{os.getpid()}-{spawned}")
            os.mkdir(workdir, 0o700)
            pid = os.fork()
            if pid == 0:
                control.close()
                sock = socket.socket(fileno=fds[0])
                try:
                    child_main(sock, req.get("limits", {}), workdir)
                except BaseException as exc:
                    # Setting up the sandbox failed: say why, for the infra error.
                    try:
                        send(sock, {"setup_error": f"{type(exc).__name__}: {exc}"})
                    except BaseException:
                        pass
                finally:
                    os._exit(EXIT_SETUP_FAILED)
            os.close(fds[0])
            workdirs[pid] = workdir
            control.sendall(json.dumps({"pid": pid}).encode())
        elif req["op"] == "status":
            pid = int(req["pid"])
            if req.get("wait") and pid not in statuses and pid in workdirs:
                reap(block_for=pid)
            status = statuses.pop(pid, None)
            control.sendall(json.dumps({"pid": pid, "status": _describe(status)}).encode())
        else:
            for fd in fds:
                os.close(fd)
            control.sendall(json.dumps({"error": "unknown op"}).encode())


def _describe(status: int | None) -> dict | None:
    if status is None:
        return None
    if os.WIFSIGNALED(status):
        return {"signal": os.WTERMSIG(status)}
    return {"exit": os.WEXITSTATUS(status)}


def _remove_tree(path: str | None) -> None:
    if not path:
        return
    for root, dirs, files in os.walk(path, topdown=False):
        for name in files:
            try:
                os.unlink(os.path.join(root, name))
            except OSError:
                pass
        for name in dirs:
            try:
                os.rmdir(os.path.join(root, name))
            except OSError:
                pass
    try:
        os.rmdir(path)
    except OSError:
        pass


if __name__ == "__main__":
    zygote_main(int(sys.argv[1]), isolate=sys.argv[2] == "1")
