"""What the verifier can ask of a loaded candidate: playouts, replays, resamples.

Runs inside the candidate's process, after ``harness.Candidate`` loaded it. Every
contract check here only reports a ``Fault`` as plain data; the verifier judges.
"""

from __future__ import annotations

try:
    from cwmkit.sandbox.harness import (
        Candidate,
        Fault,
        NotPlainError,
        SplitMix,
        encode,
        to_plain,
    )
except ImportError:  # run by the zygote as a script (python -I -S): stdlib only
    from harness import Candidate, Fault, NotPlainError, SplitMix, encode, to_plain


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
        at = -1  # the action being played when a fault shows; -1: the initial state
        try:
            state = _initial(cand)
            text = _state_text(cand, state) if check else None
            snap = _snapshot(cand, state, n, check=check)
            if check:
                _queries_agree(cand, state, snap, n, text)
            if trace:
                steps.append(snap)
            for i, action in enumerate(history):
                at = i
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
            result["failure"] = {"index": at, **_fault(fault)}
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


def op_names(cand: Candidate, req: dict) -> dict:
    """``get_player_name`` for every player: a non-empty string, the same when asked twice."""
    names = []
    try:
        for player in range(int(req["players"])):
            name = cand.call("get_player_name", player)
            again = cand.call("get_player_name", player)
            if type(name) is not str or not name.strip():
                raise Fault("bad_name", f"get_player_name({player}) returned {name!r:.60}, not a "
                                        "non-empty string")
            if type(again) is not str or again != name:
                raise Fault("nondeterministic", f"get_player_name({player}) gave {name!r:.60} "
                                                f"then {again!r:.60}")
            names.append(name)
    except Fault as fault:
        return {"fault": _fault(fault)}
    return {"names": names}


OPS = {"playouts": op_playouts, "replay": op_replay, "resample": op_resample,
       "names": op_names}
