"""Conformance: what every registered game (a built-in one or a plugin's) must pass.

``check_game`` runs the whole suite on one game and returns one ``Finding`` per check:
the spec's minimums (scenarios, prose), its round trip through the DSL, the reference on
every scenario, random playouts of the reference holding every declared property,
``resample_history`` consistency, and the reference scoring 1.0 in the sandboxed
verifier. ``cwmkit check-plugin`` and the conformance tests (``tests/test_games.py``) both
run it, so a plugin author meets exactly the bar the built-in games meet.

The in-process checks run the reference directly: it is trusted plugin code. Untrusted
programs only ever go through the sandboxed verifier.
"""

from __future__ import annotations

import json
import random
from collections.abc import Callable

from attrs import frozen

from cwmkit.sandbox.plain import canonical_json, to_plain
from cwmkit.spec.dsl import format_spec, parse_spec
from cwmkit.spec.model import PROSE_SECTIONS, TERMINAL_PLAYER, GameSpec
from cwmkit.spec.scenarios import run_scenario, snapshot_after

__all__ = ["MIN_PROSE_WORDS", "MIN_SCENARIOS", "Finding", "PropertyFailure", "check_game",
           "check_initial_state", "check_playouts", "check_resample", "check_round_trip",
           "check_scenarios", "check_verifies", "random_playout", "spec_minimums"]

#: Scenarios a game's spec needs at least: enough to pin its turn order, its ways to end
#: and its special rules with exact expectations.
MIN_SCENARIOS = 8
#: Words each prose section (rules, actions, observe) needs at least.
MIN_PROSE_WORDS = 15
#: Random playouts of the reference (stopping early past ``STEP_BUDGET`` actions).
PLAYOUTS = 2000
STEP_BUDGET = 60_000
RESAMPLES = 200


def encode(value) -> str:
    # References are trusted and keep plain-data states, so the C JSON encoder is enough
    # here (the sandbox harness, facing untrusted code, checks exact types first).
    try:
        return json.dumps(value, sort_keys=True, separators=(",", ":"))
    except TypeError:
        return canonical_json(to_plain(value))


class PropertyFailure(AssertionError):
    pass


def _fail(actions, message):
    raise PropertyFailure(f"after {json.dumps(list(actions))}: {message}")


def check_state(module, spec: GameSpec, state, actions) -> list[str]:
    """Check one state; returns its legal actions."""
    n = spec.players
    before = encode(state)
    player = module.get_current_player(state)
    if module.get_current_player(state) != player:
        _fail(actions, "get_current_player is not deterministic")
    legal = module.get_legal_actions(state)
    if encode(module.get_legal_actions(state)) != encode(legal):
        _fail(actions, "get_legal_actions is not deterministic")
    rewards = module.get_rewards(state)
    observations = module.get_observations(state)
    if encode(state) != before:
        _fail(actions, "a query mutated the state")
    if not (isinstance(rewards, list) and len(rewards) == n
            and all(type(r) in (int, float) for r in rewards)):
        _fail(actions, f"rewards must be a list of {n} numbers, got {rewards!r}")
    if not (isinstance(observations, list) and len(observations) == n
            and all(isinstance(o, dict) for o in observations)):
        _fail(actions, f"observations must be a list of {n} dicts, got {observations!r}")
    encode(observations)
    if spec.information == "perfect" and len({encode(o) for o in observations}) != 1:
        _fail(actions, "perfect information, but the players' observations differ")
    if not isinstance(legal, list) or not all(isinstance(a, str) for a in legal):
        _fail(actions, f"legal actions must be a list of strings, got {legal!r}")
    if len(set(legal)) != len(legal):
        _fail(actions, f"duplicate legal actions: {legal!r}")
    if player == TERMINAL_PLAYER:
        if legal:
            _fail(actions, f"terminal state with legal actions {legal!r}")
        lo, hi = spec.payoff_min, spec.payoff_max
        if not all(lo - 1e-9 <= r <= hi + 1e-9 for r in rewards):
            _fail(actions, f"payoffs {rewards} outside [{lo}, {hi}]")
        total = sum(rewards)
        if spec.utility == "zero_sum" and abs(total) > 1e-9:
            _fail(actions, f"zero-sum game, payoffs {rewards} sum to {total}")
        if spec.utility == "constant_sum" and abs(total - spec.utility_constant) > 1e-9:
            _fail(actions, f"payoffs {rewards} do not sum to {spec.utility_constant}")
        if spec.utility == "identical" and max(rewards) - min(rewards) > 1e-9:
            _fail(actions, f"identical-utility game, payoffs differ: {rewards}")
        if "win_loss_draw" in spec.properties and sorted(rewards) not in (
                [-1, 1], [0, 0]):
            _fail(actions, f"win_loss_draw game, payoffs {rewards}")
    else:
        if not (player == -1 or 0 <= player < n):
            _fail(actions, f"get_current_player returned {player!r}")
        if player == -1 and spec.chance == "none":
            _fail(actions, "chance node in a game declared 'chance none'")
        if not legal:
            _fail(actions, "non-terminal state without legal actions")
        if "terminal_rewards_only" in spec.properties and any(rewards):
            _fail(actions, f"non-zero rewards {rewards} before the end")
    return legal


def random_playout(module, spec: GameSpec, rng: random.Random):
    """One random playout with every per-state check; returns the actions played and,
    for imperfect information, each player's (observation, action) history."""
    state = module.get_initial_state()
    actions: list[str] = []
    histories: list[list] = [[] for _ in range(spec.players)]
    last_mover = None
    while True:
        legal = check_state(module, spec, state, actions)
        player = module.get_current_player(state)
        if player == TERMINAL_PLAYER:
            return actions, histories
        if len(actions) >= spec.max_length:
            _fail(actions, f"not over after max_length={spec.max_length} actions")
        if "alternating" in spec.properties and player >= 0:
            if last_mover is not None and player == last_mover:
                _fail(actions, f"player {player} moves twice in a row")
            last_mover = player
        action = rng.choice(legal)
        if player >= 0:
            histories[player].append((module.get_observations(state)[player], action))
        before = encode(state)
        nxt = module.apply_action(state, action)
        if encode(state) != before:
            _fail(actions + [action], "apply_action mutated its input state")
        if encode(module.apply_action(state, action)) != encode(nxt):
            _fail(actions + [action], "apply_action is not deterministic")
        actions.append(action)
        state = nxt


def check_resample(module, spec: GameSpec, actions, histories, rng: random.Random) -> None:
    """resample_history returns a legal, complete history consistent with the player's view."""
    for player in range(spec.players):
        history = histories[player]
        # Also ask mid-game: the view up to a random own turn, inclusive.
        cut = rng.randint(0, len(history)) if history else 0
        for view in (history, history[:cut]):
            if not view:
                continue
            sampled = module.resample_history([tuple(p) for p in view], player)
            state = module.get_initial_state()
            seen = []
            for a in sampled:
                legal = module.get_legal_actions(state)
                if a not in legal:
                    _fail(actions, f"resample_history for player {player} returned "
                                   f"{sampled}, where {a!r} is illegal")
                if module.get_current_player(state) == player:
                    seen.append((encode(module.get_observations(state)[player]), a))
                state = module.apply_action(state, a)
            want = [(encode(o), a) for o, a in view]
            if seen[:len(want)] != want:
                _fail(actions, f"resample_history for player {player} returned {sampled}, "
                               "whose replay does not match the player's observations and "
                               "actions")
            if len(seen) != len(want):
                _fail(actions, f"resample_history for player {player} returned {sampled}: "
                               f"the player moved {len(seen)} times there, {len(want)} in "
                               "its view")


def check_scenarios(module, spec: GameSpec) -> None:
    for scenario in spec.scenarios:
        outcome = run_scenario(scenario, spec.players,
                               lambda h: snapshot_after(module, h))
        if not outcome.passed:
            raise PropertyFailure(f"scenario {scenario.name!r}: {outcome.failure}")


@frozen
class Finding:
    """One conformance check's outcome."""

    check: str
    passed: bool
    message: str = ""


def spec_minimums(spec: GameSpec) -> list[str]:
    """What ``spec`` lacks of the minimums every game meets (empty when it meets them)."""
    problems = []
    if len(spec.scenarios) < MIN_SCENARIOS:
        problems.append(f"{len(spec.scenarios)} scenarios: a game needs at least "
                        f"{MIN_SCENARIOS} (its turn order, each way to end with exact payoffs, "
                        "each special rule)")
    for section in PROSE_SECTIONS:
        words = len(getattr(spec, section).split())
        if words < MIN_PROSE_WORDS:
            problems.append(f"the {section} section has {words} words: at least "
                            f"{MIN_PROSE_WORDS} are needed so the prompt leaves nothing to guess")
    return problems


def check_playouts(module, spec: GameSpec, seed: str, *, playouts: int = PLAYOUTS,
                   step_budget: int = STEP_BUDGET, resamples: int = RESAMPLES) -> int:
    """Random playouts holding every property (and resampling checks); the longest."""
    rng = random.Random(f"playouts:{seed}")
    steps = resampled = longest = 0
    for _ in range(playouts):
        actions, histories = random_playout(module, spec, rng)
        longest = max(longest, len(actions))
        steps += len(actions)
        if spec.imperfect and resampled < resamples:
            check_resample(module, spec, actions, histories, rng)
            resampled += 1
        if steps > step_budget and (not spec.imperfect or resampled >= resamples):
            break
    return longest


def _run(name: str, fn: Callable[[], object]) -> Finding:
    try:
        fn()
    except Exception as exc:  # noqa: BLE001 - each check reports its own failure
        message = str(exc) if isinstance(exc, PropertyFailure) else \
            f"{type(exc).__name__}: {exc}"
        return Finding(name, False, message)
    return Finding(name, True)


def check_game(game, *, verifier=None, playouts: int = PLAYOUTS) -> list[Finding]:
    """Every conformance check on ``game`` (a registered ``cwmkit.Game``).

    ``verifier``: a started ``cwmkit.verify.Verifier`` for the sandboxed check (one is
    made and closed here if not given).
    """
    spec = game.spec
    findings = [Finding("spec_minimums", not (p := spec_minimums(spec)), "; ".join(p)),
                _run("round_trip", lambda: check_round_trip(spec))]
    if game.reference_path is None:
        findings.append(Finding("reference", False, "the game has no reference.py"))
        return findings
    module = game.reference()
    findings += [
        _run("scenarios", lambda: check_scenarios(module, spec)),
        _run("initial_state", lambda: check_initial_state(module)),
        _run("playouts", lambda: check_playouts(module, spec, spec.id, playouts=playouts)),
        _run("verifier", lambda: check_verifies(game, verifier)),
    ]
    return findings


def check_round_trip(spec: GameSpec) -> None:
    if parse_spec(format_spec(spec)) != spec:
        raise PropertyFailure("the spec does not survive format_spec -> parse_spec")


def check_initial_state(module) -> None:
    a, b = module.get_initial_state(), module.get_initial_state()
    if a is b:
        raise PropertyFailure("get_initial_state returns the same object twice")
    if module.get_current_player(a) == TERMINAL_PLAYER:
        raise PropertyFailure("the initial state is already terminal")


def check_verifies(game, verifier) -> None:
    from cwmkit.verify.verifier import Verifier

    own = verifier is None
    verifier = verifier or Verifier()
    try:
        report = verifier.verify(game.reference_source, game=game)
    finally:
        if own:
            verifier.close()
    if report.status != "ok" or report.score != 1.0:
        failed = ", ".join(f"{t}.{c.name}" for t, c in report.failures) or report.message
        raise PropertyFailure(f"the reference scores {report.score} ({report.status}) in "
                              f"the sandboxed verifier: {failed}")
