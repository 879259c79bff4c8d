"""Typed verification settings with help text and validation that says how to fix."""

from __future__ import annotations

from attrs import field, frozen

from cwmkit.core.config import ConfigBase, flag, help_, number

__all__ = ["VerifySettings"]


@frozen
class VerifySettings(ConfigBase):
    """How hard the verifier looks. The defaults verify a typical program in well under
    a second of CPU; every limit is CPU time or a count, wall time is only a backstop."""

    section = "verify"

    playouts: int = field(default=48, validator=number(int, minimum=1, maximum=100_000),
                          metadata=help_("random playouts of the dynamics tier"))
    default_max_length: int = field(
        default=500, validator=number(int, minimum=1),
        metadata=help_("playout cap for a bare file (a game's spec gives its own)"))
    resamples: int = field(default=64, validator=number(int, minimum=0),
                           metadata=help_("resample_history requests of the information tier"))
    privacy_trajectories: int = field(
        default=16, validator=number(int, minimum=0),
        metadata=help_("reference trajectories whose histories the privacy tier compares"))
    differential_trajectories: int = field(
        default=24, validator=number(int, minimum=0),
        metadata=help_("reference trajectories replayed in lockstep by the differential tier"))
    pool_trajectories: int = field(
        default=48, validator=number(int, minimum=0),
        metadata=help_("coverage-guided reference trajectories replayed by the dynamics and "
                       "differential tiers (built once per game)"))
    explore_events: int = field(
        default=1_000_000, validator=number(int, minimum=0),
        metadata=help_("budget of the coverage search, in traced line hits of the "
                       "reference (once per game, cached)"))
    exhaustive_states: int = field(
        default=6000, validator=number(int, minimum=0),
        metadata=help_("games with at most this many reachable states are compared on "
                       "every one of them"))
    distribution_views: int = field(
        default=4, validator=number(int, minimum=0),
        metadata=help_("small views on which resample_history's distribution is judged"))
    shrink_rounds: int = field(default=24, validator=number(int, minimum=0),
                               metadata=help_("sandbox round trips spent shrinking each "
                                              "counterexample"))
    call_cpu_seconds: float = field(default=1.0, validator=number(minimum=0.01),
                                    metadata=help_("CPU seconds one GameCWM call may take"))
    load_cpu_seconds: float = field(default=2.0, validator=number(minimum=0.01),
                                    metadata=help_("CPU seconds the module may take to load"))
    session_cpu_seconds: float = field(
        default=30.0, validator=number(minimum=1),
        metadata=help_("CPU seconds for one program's whole verification"))
    memory_mb: int = field(default=1024, validator=number(int, minimum=64),
                           metadata=help_("address-space limit of the candidate's process"))
    legal_cap: int = field(default=10_000, validator=number(int, minimum=1),
                           metadata=help_("most legal actions a state may list"))
    wall_backstop_seconds: float = field(
        default=120.0, validator=number(minimum=1),
        metadata=help_("wall-clock backstop per sandbox request (the real limits are CPU)"))
    workers: int = field(default=2, validator=number(int, minimum=1, maximum=256),
                         metadata=help_("programs verified at once by the batch API"))
    allow_unisolated: bool = field(
        default=False, validator=flag,
        metadata=help_("run untrusted programs even where the sandbox cannot get its "
                       "network and filesystem isolation (the report records it)"))

    def child_limits(self) -> dict:
        return {"cpu_seconds": int(self.session_cpu_seconds) + 1,
                "memory_bytes": self.memory_mb * 1024 * 1024}

    def child_settings(self) -> dict:
        return {"call_cpu_seconds": self.call_cpu_seconds,
                "load_cpu_seconds": self.load_cpu_seconds, "legal_cap": self.legal_cap}
