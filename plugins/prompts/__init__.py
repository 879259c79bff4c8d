"""The built-in prompt renderer: asks a model for a GameCWM of a spec."""

from __future__ import annotations

from cwmkit import hookimpl
from cwmkit.spec.model import GameSpec

_INTERFACE = '''\
from typing import Any

Action = str
State = dict[str, Any]
Observation = dict[str, Any]


def get_initial_state() -> State:
    """The state before the first move (a chance node if the game starts with chance)."""


def get_current_player(state: State) -> int:
    """The player to move: 0..{last}; -1 at a chance node; -4 when the game is over."""


def get_player_name(player_id: int) -> str:
    """A short human-readable name for the player."""


def get_legal_actions(state: State) -> list[Action]:
    """The legal actions of the player to move, as the exact action strings described
    above. At a chance node: the chance outcomes, all equally likely. [] when over."""


def apply_action(state: State, action: Action) -> State:
    """The state after `action`: a NEW state; `state` itself must not change."""


def get_rewards(state: State) -> list[float]:
    """What each player has earned so far, one number per player; at the end of the
    game, the final payoffs."""


def get_observations(state: State) -> list[Observation]:
    """What each player observes, one dict per player.{perfect_note}"""
'''

_RESAMPLE = '''

def resample_history(obs_action_history: list[tuple[Observation, Action]],
                     player_id: int) -> list[Action]:
    """Given the (observation, action) pairs `player_id` saw and chose at each of its own
    turns, return one complete action sequence from get_initial_state(), chance
    outcomes included, that is consistent with all of it: replaying it gives that
    player the same observations and has it take the same actions."""
'''


def importable_modules() -> str:
    """The modules a GameCWM may import, as the sandbox's policy lists them."""
    from cwmkit.sandbox.harness import ALLOWED_MODULES

    return ", ".join(sorted(m for m in ALLOWED_MODULES if m != "__future__"))


def render(spec: GameSpec) -> str:
    """The generation prompt for ``spec``."""
    perfect_note = (
        " The game has perfect information: every player observes everything."
        if spec.information == "perfect"
        else " Hide from each player exactly what the rules hide from it."
    )
    interface = _INTERFACE.format(last=spec.players - 1, perfect_note=perfect_note)
    if spec.imperfect:
        interface += _RESAMPLE
    facts = [
        f"- players: {spec.players} (ids 0..{spec.players - 1})",
        f"- information: {spec.information}",
        f"- chance: {'none' if spec.chance == 'none' else 'yes, every outcome equally likely'}",
        f"- payoffs between {spec.payoff_min:g} and {spec.payoff_max:g}",
        (f"- the rules set no limit on a game's length (random games end well within "
         f"{spec.max_length} actions)" if "unbounded_length" in spec.properties else
         f"- a game lasts at most {spec.max_length} actions (chance outcomes included)"),
    ]
    only_stdlib = (
        "Import only these standard-library modules (pure computation: no file, network "
        f"or system access; anything else is refused): {importable_modules()}."
    )
    return "\n".join([
        f"Write a game code world model (GameCWM) for the game {spec.title}: one Python "
        "module of plain functions that implements its rules exactly, so that a planner "
        "such as MCTS can play the game with it.",
        "",
        "Facts:",
        *facts,
        "",
        "## Rules",
        spec.rules,
        "",
        "## Actions",
        spec.actions,
        "",
        "## Observations",
        spec.observe,
        "",
        "## Interface",
        "Implement every function below with exactly these names and parameters. States",
        "are plain dicts, actions are the action strings above, player ids are ints.",
        "",
        "```python",
        interface.rstrip(),
        "```",
        "",
        only_stdlib,
        "Answer with the complete module in one ```python code block.",
    ]) + "\n"


class StudyPrompt:
    """The prompt of the reference study's setting: rules, actions, observations and the
    GameCWM interface, with ``resample_history`` for imperfect information only."""

    name = "default"
    description = "rules, action and observation text, and the GameCWM interface"

    def render(self, spec: GameSpec) -> str:
        return render(spec)


@hookimpl
def register_prompts(register):
    register(StudyPrompt())
