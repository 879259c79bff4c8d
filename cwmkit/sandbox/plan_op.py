"""The ``plan`` request: search with the loaded candidate, inside its own process.

Runs in the candidate's child (``ops.OPS`` names it). The search (``search``) sees the
candidate through a :class:`~search.Program` whose every function is a budgeted
``Candidate.call`` and whose every answer is type-checked before the search keeps it:
exact ``int`` players, lists of exact ``str`` actions, finite numbers for rewards, plain
observations turned into canonical text. So nothing of the candidate's runs outside a
budget (no ``__hash__``, ``__eq__`` or ``__repr__`` of its own on a value the search
holds), and a program that mutates its input gets one plain copy of the root per
simulation (``copy``, on by default here).

A simulation that meets a fault is dropped and counted; a timeout ends the decision.
The reply holds, per decision, only the chosen action and statistics (``visits`` and
mean ``values`` per root action, ``stats``), or a ``failure`` saying why none was chosen.
"""

from __future__ import annotations

import _random
import math
import random

try:
    from cwmkit.sandbox.decide import decide
    from cwmkit.sandbox.harness import Candidate, Fault, NotPlainError
    from cwmkit.sandbox.plain import canonical, from_wire, to_wire
    from cwmkit.sandbox.search import Program, SearchFailure
except ImportError:  # run by the zygote as a script (python -I -S): stdlib only
    from decide import decide
    from harness import Candidate, Fault, NotPlainError
    from plain import canonical, from_wire, to_wire
    from search import Program, SearchFailure

# Bound before any candidate loads (see ``ops``): the C seed of the global generator.
_C_SEED = _random.Random.seed
_GLOBAL_RANDOM = random._inst
#: Decisions one request may hold.
MAX_DECISIONS = 256


def _seed_global(seed: int) -> None:
    _C_SEED(_GLOBAL_RANDOM, int(seed) & 0xFFFFFFFFFFFFFFFF)
    _GLOBAL_RANDOM.gauss_next = None


def _plain_text(name: str, value) -> str:
    try:
        return canonical(value)
    except (NotPlainError, RecursionError):
        raise Fault("not_plain", f"{name} returned something that is not plain data") from None


def candidate_program(cand: Candidate, players: int) -> Program:
    """The candidate as a search program, every answer checked (see the module doc)."""
    call = cand.call
    cap = cand.legal_cap

    def player(state):
        p = call("get_current_player", state)
        if type(p) is not int:
            raise Fault("bad_player", "get_current_player did not return an int")
        return p

    def legal(state):
        actions = call("get_legal_actions", state)
        if type(actions) is tuple:
            actions = list(actions)
        if type(actions) is not list or len(actions) > cap or \
                not all(type(a) is str for a in actions):
            raise Fault("bad_legal", "get_legal_actions did not return a list of strings")
        return actions

    def apply(state, action):
        return call("apply_action", state, action)

    def rewards(state):
        returns = call("get_rewards", state)
        if type(returns) not in (list, tuple) or len(returns) != players or not all(
                type(r) in (int, float) and math.isfinite(r) for r in returns):
            raise Fault("bad_rewards", f"get_rewards did not return {players} numbers")
        return [float(r) for r in returns]

    def obs_key(state, p):
        observations = call("get_observations", state)
        if type(observations) not in (list, tuple) or not 0 <= p < len(observations):
            raise Fault("bad_observations", "get_observations did not return one "
                                            "observation per player")
        return _plain_text("get_observations", observations[p])

    def resample(view, p):
        history = call("resample_history", view, p)
        if type(history) is tuple:
            history = list(history)
        if type(history) is not list or not all(type(a) is str for a in history):
            raise Fault("bad_resample", "resample_history did not return a list of strings")
        return history

    def copy(state):
        try:
            return from_wire(to_wire(state))
        except (NotPlainError, RecursionError):
            raise Fault("not_plain", "the state is not plain data") from None

    return Program(initial=lambda: call("get_initial_state"), player=player, legal=legal,
                   apply=apply, rewards=rewards, obs_key=obs_key,
                   resample=resample if "resample_history" in cand.fns else None, copy=copy)


def _timeout(exc) -> bool:
    return isinstance(exc, Fault) and exc.kind == "timeout"


def _fault(fault: Fault) -> dict:
    return {"kind": fault.kind, "message": fault.message}


def op_plan(cand: Candidate, req: dict) -> dict:
    """Search each decision of ``req["decisions"]`` (see ``search.decide``; ``copy`` is on
    unless the request turns it off); observations arrive in wire form."""
    program = candidate_program(cand, int(req["players"]))
    results = []
    timed_out = False
    for item in list(req["decisions"])[:MAX_DECISIONS]:
        if timed_out:
            results.append({"failure": {"kind": "timeout", "message": "not run: an earlier "
                                        "call ran out of CPU time"}})
            continue
        request = {"copy": True, **item}
        if "view" in request:
            request["view"] = [(from_wire(obs), action) for obs, action in request["view"]]
            request["observation"] = from_wire(request["observation"])
        try:
            results.append(decide(program, request, seed_global=_seed_global,
                                  errors=(Fault,), fatal=_timeout))
        except SearchFailure as exc:
            results.append({"failure": {"kind": exc.kind, "message": exc.message}})
        except Fault as fault:
            timed_out = fault.kind == "timeout"
            results.append({"failure": _fault(fault)})
    return {"results": results}
