"""What the verifier can ask of a loaded candidate: playouts, replays, trees, resamples.

Runs inside the candidate's process, after ``harness.Candidate`` loaded it. Every
contract check here only reports a ``Fault`` as plain data; the verifier judges.

A fault does not end the walk where the walk can go on: a call that raises while an
action is applied makes the playout try another action, a mutated input or two answers
that disagree are recorded and the walk continues, so one fault costs its own share of
the trials and the other checks still see the rest of the game. Only a state whose
queries fail (there is nothing to continue from) or a timeout ends a walk.
"""

from __future__ import annotations

import _random
import copy
import hashlib
import random
from collections import Counter, OrderedDict, defaultdict

try:
    from cwmkit.sandbox.harness import Candidate, Fault, SplitMix, describe, type_name
    from cwmkit.sandbox.plain import NotPlainError, canonical, encode, from_wire, to_wire
    from cwmkit.sandbox.plan_op import op_plan
except ImportError:  # run by the zygote as a script (python -I -S): stdlib only
    from harness import Candidate, Fault, SplitMix, describe, type_name
    from plain import NotPlainError, canonical, encode, from_wire, to_wire
    from plan_op import op_plan

# Bound before any candidate loads: a candidate can patch ``random.Random.seed`` (a
# Python method), never the C type's.
_C_SEED = _random.Random.seed
_GLOBAL_RANDOM = random._inst
#: Faults after which a walk cannot go on (there is no usable state or action list).
FATAL = frozenset({"exception", "timeout", "missing_function", "not_plain", "bad_player",
                   "bad_legal", "no_actions"})
#: Timeouts in one request after which its remaining walks are not run (each costs a
#: whole call's CPU budget).
MAX_TIMEOUTS = 2
#: Actions a playout tries at one state before it gives up on the state.
MAX_ATTEMPTS = 4
#: Observations kept as the very objects the program returned (see ``Walker.observe``).
MEMO_CAP = 4096


def seed_global_random(seed: int) -> None:
    """Seed the ``random`` module the candidate uses, so its sampling is reproducible."""
    _C_SEED(_GLOBAL_RANDOM, int(seed) & 0xFFFFFFFFFFFFFFFF)
    _GLOBAL_RANDOM.gauss_next = None


def _fault(f: Fault) -> dict:
    return {"kind": f.kind, "message": f.message, "expected": f.expected,
            "actual": f.actual}


def _state_text(state) -> str:
    try:
        return canonical(state)
    except NotPlainError as exc:
        raise Fault("not_plain", f"the state is not plain data: {exc}") from None
    except RecursionError:
        raise Fault("not_plain", "the state is nested too deeply") from None


def digest(text: str) -> str:
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()


class Walker:
    """Snapshots and steps of one candidate, with the contract checks; collects the
    non-fatal faults it meets (``faults``: kind -> first occurrence and count)."""

    def __init__(self, cand: Candidate, req: dict) -> None:
        self.cand = cand
        self.players = req.get("players")
        self.perfect = bool(req.get("perfect"))
        self.check = bool(req.get("check"))
        self.obs_mode = req.get("obs", "wire")
        self.faults: dict = {}
        self.timeouts = 0
        if getattr(cand, "memo", None) is None:
            cand.memo = {}
        self.memo = cand.memo

    def note(self, fault: Fault, at: list[str]) -> None:
        entry = self.faults.get(fault.kind)
        if entry is None:
            self.faults[fault.kind] = {**_fault(fault), "at": list(at), "count": 1}
        else:
            entry["count"] += 1
            if len(at) < len(entry["at"]):
                entry.update(_fault(fault), at=list(at))
        if fault.kind == "timeout":
            self.timeouts += 1

    def take(self) -> dict:
        faults, self.faults = self.faults, {}
        return faults

    # ------------------------------------------------------------------ one state

    def snapshot(self, state, at: list[str]) -> tuple[dict, list]:
        """What the candidate says about ``state`` (its raw observations beside); fatal
        faults raise, the others are noted."""
        cand = self.cand
        player = cand.call("get_current_player", state)
        if type(player) is not int:
            raise Fault("bad_player", f"get_current_player returned {type_name(type(player))}"
                        ", not int", expected="an int", actual=describe(player))
        legal = cand.call("get_legal_actions", state)
        if type(legal) is tuple:
            legal = list(legal)  # a tuple of actions is a list for every purpose here
        if type(legal) is not list:
            raise Fault("bad_legal", "get_legal_actions must return a list",
                        expected="list", actual=type_name(type(legal)))
        if len(legal) > cand.legal_cap:
            raise Fault("bad_legal", f"get_legal_actions returned {len(legal)} actions, more "
                                     f"than the cap of {cand.legal_cap}")
        if not all(type(a) is str for a in legal):
            raise Fault("bad_legal", "legal actions must all be strings")
        raw_rewards = cand.call("get_rewards", state)
        rewards = cand.plain("get_rewards", list(raw_rewards) if type(raw_rewards) is tuple
                             else raw_rewards)
        raw_obs = cand.call("get_observations", state)
        if self.obs_mode == "digest" and type(raw_obs) in (list, tuple):
            observations = _digests(raw_obs)
        else:
            observations = cand.plain("get_observations", list(raw_obs)
                                      if type(raw_obs) is tuple else raw_obs)
        snap = {"player": player, "legal": list(legal), "rewards": rewards,
                "observations": observations}
        raw = {"player": player, "legal": legal, "rewards": raw_rewards,
               "observations": raw_obs}
        if self.check:
            try:
                _check_snapshot(snap, raw_obs, self.players, self.perfect)
            except Fault as fault:
                if fault.kind in FATAL:
                    raise
                self.note(fault, at)
        return snap, raw

    def agree(self, state, snap: dict, raw, before: str, at: list[str]) -> None:
        """Ask every query again: the answers must agree and the state must not change."""
        cand = self.cand
        try:
            again = {"player": cand.call("get_current_player", state),
                     "legal": cand.call("get_legal_actions", state),
                     "rewards": cand.call("get_rewards", state),
                     "observations": cand.call("get_observations", state)}
            if _state_text(state) != before:
                raise Fault("mutation", "a query function changed the state it was given")
            for key in ("player", "legal", "rewards", "observations"):
                if _same(raw[key], again[key]):
                    continue
                mine, theirs = _text(raw[key]), _text(again[key])
                if mine != theirs:
                    raise Fault("nondeterministic", f"two calls gave different {key}",
                                expected=mine[:200], actual=theirs[:200])
        except Fault as fault:
            if fault.kind in ("exception", "timeout"):
                fault = Fault("nondeterministic", f"asked again: {fault.message}")
            self.note(fault, at)

    def apply(self, state, action: str, before: str | None, at: list[str]):
        """apply_action with the immutability and determinism checks; returns the new
        state and its text (None without checks). Raises only if the call fails."""
        cand = self.cand
        if not self.check:
            return cand.call("apply_action", state, action), None
        if before is None:
            before = _state_text(state)
        nxt = cand.call("apply_action", state, action)
        here = at + [action]
        if nxt is state:
            self.note(Fault("mutation", "apply_action returned its input state instead of "
                                        "a new one"), here)
        elif _state_text(state) != before:
            self.note(Fault("mutation", "apply_action changed its input state"), here)
        after = _state_text(nxt)
        try:
            again = cand.call("apply_action", state, action) if nxt is not state else nxt
            if again is not nxt and not _same(again, nxt) and _state_text(again) != after:
                self.note(Fault("nondeterministic", "apply_action gave two different states "
                                "for the same state and action"), here)
        except Fault as fault:
            self.note(Fault("nondeterministic", f"apply_action again: {fault.message}"),
                      here)
        return nxt, after

    def observe(self, raw: dict, player: int):
        """The player's observation as it travels in a view (wire form). Where the wire
        form loses something (a defaultdict whose factory is the program's own), the
        very object is kept here, and ``resample_history`` gets a copy of it."""
        observations = raw["observations"]
        obs = observations[player] if type(observations) in (list, tuple) and \
            0 <= player < len(observations) else None
        try:
            wire = to_wire(obs)
        except (NotPlainError, RecursionError):
            return None
        if _needs_memo(wire) and len(self.memo) < MEMO_CAP:
            self.memo[encode(wire)] = copy.deepcopy(obs)
        return wire


def _canonical(name: str, value) -> str:
    try:
        return canonical(value)
    except NotPlainError as exc:
        raise Fault("not_plain", f"{name} returned something that is not plain data: "
                                 f"{exc}") from None
    except RecursionError:
        raise Fault("not_plain", f"{name} returned data nested too deeply") from None


def _same(a, b) -> bool:
    """A quick equality of two answers of the program (exact type, then ``==``); when it
    says no, the canonical texts decide."""
    return type(a) is type(b) and a == b


def _digests(observations) -> list[str]:
    """Digests of each observation's canonical text; an observation equal to the one
    before (perfect information) reuses its digest."""
    out: list[str] = []
    for i, o in enumerate(observations):
        if i and _same(o, observations[i - 1]):
            out.append(out[-1])
        else:
            out.append(digest(_canonical("get_observations", o)))
    return out


def _text(value) -> str:
    try:
        return canonical(value)
    except (NotPlainError, RecursionError):
        return f"<{type_name(type(value))}>"


def _needs_memo(wire) -> bool:
    """Whether the wire form lost something (a defaultdict factory of the program's own)."""
    stack = [wire]
    while stack:
        w = stack.pop()
        if type(w) is list:
            stack.extend(w)
        elif type(w) is dict:
            if w.get("~") == "defaultdict" and w.get("f") == "?":
                return True
            stack.extend(w.values())
    return False


def _check_snapshot(snap: dict, raw, n: int | None, perfect: bool) -> None:
    player, legal, rewards, obs = (snap["player"], snap["legal"], snap["rewards"],
                                   snap["observations"])
    if len(set(legal)) != len(legal):
        dupes = sorted({a for a in legal if legal.count(a) > 1})
        raise Fault("bad_legal", f"duplicate legal actions {dupes[:5]}")
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
    if not (type(rewards) is list and all(type(r) in (int, float) for r in rewards)
            and (n is None or len(rewards) == n)):
        raise Fault("bad_rewards", "get_rewards must return one number per player",
                    expected=f"{n} numbers", actual=encode(rewards)[:200])
    if not (type(raw) in (list, tuple) and all(type(o) in _DICTS for o in raw)
            and (n is None or len(raw) == n)):
        raise Fault("bad_observations", "get_observations must return one dict per player",
                    expected=f"{n} dicts", actual=encode(obs)[:200])
    if perfect and player != -4 and not all(_same(o, raw[0]) for o in raw) and \
            len({canonical(o) for o in raw}) > 1:
        raise Fault("observations_differ", "perfect information, but the players' "
                    "observations differ", actual=encode(obs)[:300])


_DICTS = (dict, OrderedDict, Counter, defaultdict)


# --------------------------------------------------------------------------- ops


def op_playouts(cand: Candidate, req: dict) -> dict:
    """Random playouts (uniform chance); a fault ends a playout only where it must."""
    rng = SplitMix(int(req["seed"]))
    seed_global_random(int(req["seed"]))
    walker = Walker(cand, {**req, "check": req.get("check", True) is not False})
    max_steps = int(req["max_steps"])
    views = bool(req.get("views"))
    out = []
    for _ in range(int(req["count"])):
        if walker.timeouts >= MAX_TIMEOUTS:
            out.append({"actions": [], "players": [], "rewards": [], "skipped": True,
                        "faults": {"timeout": {"kind": "timeout", "message": "not run: "
                                   "earlier calls ran out of CPU time", "expected": None,
                                   "actual": None, "at": [], "count": 1}}})
            continue
        out.append(_playout(walker, rng, max_steps, views))
    return {"playouts": out}


def _playout(walker: Walker, rng: SplitMix, max_steps: int, views: bool) -> dict:
    actions: list[str] = []
    players: list[int] = []
    rewards_trace: list = []
    own: dict = {}
    record = {"actions": actions, "players": players, "rewards": rewards_trace,
              "terminal": False}
    try:
        state = walker.cand.call("get_initial_state")
        text = _state_text(state) if walker.check else None
        while True:
            snap, raw = walker.snapshot(state, actions)
            if walker.check:
                walker.agree(state, snap, raw, text, actions)
            players.append(snap["player"])
            rewards_trace.append(snap["rewards"])
            if snap["player"] == -4:
                record["terminal"] = True
                record["final"] = snap["rewards"]
                break
            if len(actions) >= max_steps:
                break
            choices = list(snap["legal"])
            for _attempt in range(MAX_ATTEMPTS + 1):
                if not choices or _attempt == MAX_ATTEMPTS:
                    raise _Stop()
                action = choices.pop(rng.below(len(choices)))
                try:
                    nxt, after = walker.apply(state, action, text, actions)
                    break
                except Fault as fault:
                    walker.note(fault, actions + [action])
                    if fault.kind == "timeout":
                        raise _Stop() from None
            if views and snap["player"] >= 0:
                own.setdefault(str(snap["player"]), []).append(
                    [walker.observe(raw, snap["player"]), action])
            state, text = nxt, after
            actions.append(action)
    except Fault as fault:
        walker.note(fault, actions)
    except _Stop:
        pass
    record["faults"] = walker.take()
    if views:
        record["views"] = own
    return record


class _Stop(Exception):
    """No action of this state can be applied: the walk ends here."""


def op_replay(cand: Candidate, req: dict) -> dict:
    """Replay action sequences from the initial state; snapshot the end (every step with
    ``trace``). A result has ``steps``, then ``end`` (the last snapshot) or ``failure``
    (where and why it stopped), and with ``check`` the ``faults`` it met on the way."""
    walker = Walker(cand, req)
    seed_global_random(int(req.get("seed", 0)))
    trace = bool(req.get("trace"))
    results = []
    for history in req["histories"]:
        if walker.timeouts >= MAX_TIMEOUTS:
            results.append({"steps": [], "failure": {"index": -1, "kind": "timeout",
                                                      "message": "not run: earlier calls "
                                                      "ran out of CPU time"}})
            continue
        steps: list = []
        result: dict = {"steps": steps}
        at = -1  # the action being played when a fault shows; -1: the initial state
        try:
            state = cand.call("get_initial_state")
            text = _state_text(state) if walker.check else None
            snap, raw = walker.snapshot(state, [])
            if walker.check:
                walker.agree(state, snap, raw, text, [])
            if trace:
                steps.append(snap)
            for i, action in enumerate(history):
                at = i
                if action not in snap["legal"]:
                    result["failure"] = {"index": i, "kind": "illegal", "message":
                                         f"{action!r} is not legal here",
                                         "legal": snap["legal"][:50]}
                    break
                before = list(history[:i]) if walker.check else []
                state, text = walker.apply(state, action, text, before)
                after = before + [action] if walker.check else []
                snap, raw = walker.snapshot(state, after)
                if walker.check:
                    walker.agree(state, snap, raw, text, after)
                if trace:
                    steps.append(snap)
            else:
                result["end"] = snap
        except Fault as fault:
            if fault.kind == "timeout":
                walker.timeouts += 1
            result["failure"] = {"index": at, **_fault(fault)}
        if walker.check:
            result["faults"] = walker.take()
        results.append(result)
    return {"results": results}


def op_tree(cand: Candidate, req: dict) -> dict:
    """Snapshot every node of a tree of histories: ``nodes`` is a list of
    ``[parent, action]`` (the root ``[-1, null]`` first, every parent before its
    children). Observations come back as digests of their canonical texts."""
    walker = Walker(cand, {**req, "check": False, "obs": "digest"})
    seed_global_random(int(req.get("seed", 0)))
    states: list = []
    out = []
    for parent, action in req["nodes"]:
        if walker.timeouts >= MAX_TIMEOUTS:
            states.append(None)
            out.append({"f": "timeout", "m": "not run: earlier calls ran out of CPU time"})
            continue
        try:
            if parent < 0:
                state = cand.call("get_initial_state")
            else:
                base = states[parent]
                if base is None:
                    states.append(None)
                    out.append({"x": 1})  # its parent failed: nothing to say
                    continue
                if action not in out[parent]["l"]:
                    states.append(None)
                    out.append({"f": "illegal", "m": f"{action!r} is not legal here"})
                    continue
                state = cand.call("apply_action", base, action)
            snap, _ = walker.snapshot(state, [])
            states.append(state)
            out.append({"p": snap["player"], "l": snap["legal"], "r": snap["rewards"],
                        "o": snap["observations"]})
        except Fault as fault:
            if fault.kind == "timeout":
                walker.timeouts += 1
            states.append(None)
            out.append({"f": fault.kind, "m": fault.message})
    return {"nodes": out}


def op_resample(cand: Candidate, req: dict) -> dict:
    """``resample_history`` for each request's view (``count`` samples each, the global
    ``random`` seeded before every call); the view's observations are rebuilt with their
    exact types, or are the very objects the program returned where the wire lost some."""
    memo = getattr(cand, "memo", None) or {}
    results = []
    for item in req["requests"]:
        count = int(item.get("count", 1))
        samples = []
        for k in range(count):
            seed_global_random(int(item.get("seed", 0)) + k)
            try:
                view = [(_rebuild(obs, memo), action) for obs, action in item["view"]]
                sampled = cand.call("resample_history", view, int(item["player"]))
                if type(sampled) is tuple:
                    sampled = list(sampled)
                if type(sampled) is not list or not all(type(a) is str for a in sampled):
                    raise Fault("bad_resample", "resample_history must return a list of "
                                                "action strings")
                samples.append({"history": sampled})
            except Fault as fault:
                samples.append({"fault": _fault(fault)})
                if fault.kind == "timeout":
                    break
        results.append(samples[0] if "count" not in item else {"samples": samples})
    return {"results": results}


def _rebuild(wire, memo: dict):
    if memo:
        original = memo.get(encode(wire))
        if original is not None:
            return copy.deepcopy(original)
    return from_wire(wire)


def op_names(cand: Candidate, req: dict) -> dict:
    """``get_player_name`` for every player: a non-empty string, the same when asked twice."""
    names = []
    try:
        for player in range(int(req["players"])):
            name = cand.call("get_player_name", player)
            again = cand.call("get_player_name", player)
            if type(name) is not str or not name.strip():
                raise Fault("bad_name", f"get_player_name({player}) returned "
                                        f"{describe(name, 60)}, not a non-empty string")
            if type(again) is not str or again != name:
                raise Fault("nondeterministic", f"get_player_name({player}) gave "
                                                f"{describe(name, 60)} then {describe(again, 60)}")
            names.append(name)
    except Fault as fault:
        return {"fault": _fault(fault)}
    return {"names": names}


OPS = {"playouts": op_playouts, "replay": op_replay, "tree": op_tree,
       "resample": op_resample, "names": op_names,
       "plan": op_plan}  # search with the candidate (plan_op): actions and statistics only
