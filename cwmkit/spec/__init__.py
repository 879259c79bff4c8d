"""Game specs: the rule DSL and what it means.

- ``model``: the frozen value objects (``GameSpec``, ``Scenario``, expectations);
- ``dsl``: the Lark parser and the canonical writer (``load_spec``, ``parse_spec``,
  ``format_spec``);
- ``validate``: semantic validation (``spec_problems``);
- ``scenarios``: judging a scenario's expectations against what a program did;
- ``games``: ``Game``, a registered spec with its reference GameCWM.

Imports run one way: model <- validate <- dsl <- games.
"""

from cwmkit.spec.dsl import format_spec, load_spec, parse_spec
from cwmkit.spec.games import Game
from cwmkit.spec.model import GameSpec, Scenario
from cwmkit.spec.validate import spec_problems

__all__ = ["Game", "GameSpec", "Scenario", "format_spec", "load_spec", "parse_spec",
           "spec_problems"]
