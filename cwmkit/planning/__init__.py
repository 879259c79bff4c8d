"""Planning with GameCWMs: bots, the play loop, the planning value of a candidate, and
refinement (generate, verify, repair).

The searches themselves (MCTS, ISMCTS) live in ``cwmkit.sandbox.search`` and
``cwmkit.sandbox.ismcts``, standard library only, so that one code plans with a trusted
reference here (``LocalPlanner``) and with an untrusted candidate inside its sandboxed
process (``SandboxPlanner``, the sandbox's ``plan`` request). See docs/planning.md.
"""

from cwmkit.planning.bots import ALGORITHMS, RandomBot, SearchBot, Seat, algorithm_for
from cwmkit.planning.match import GameRecord, outcome, play_game
from cwmkit.planning.planners import LocalPlanner, PlanFailure, SandboxPlanner
from cwmkit.planning.value import PlanningValue, planning_value, wilson

__all__ = ["ALGORITHMS", "GameRecord", "LocalPlanner", "PlanFailure", "PlanningValue",
           "RandomBot", "SandboxPlanner", "SearchBot", "Seat", "algorithm_for", "outcome",
           "planning_value", "play_game", "wilson"]
