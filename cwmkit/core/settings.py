"""Typed verification settings with help text and validation that says how to fix."""

from __future__ import annotations

import attrs
from attrs import field, frozen

from cwmkit.core.errors import ConfigError

__all__ = ["VerifySettings"]


def _positive(kind=int, *, minimum=1, maximum=None):
    def check(instance, attribute, value):
        if type(value) is bool or not isinstance(value, (int, float) if kind is float else int):
            raise ConfigError(f"verify.{attribute.name} must be a {kind.__name__}, got "
                              f"{value!r}", hint=attribute.metadata.get("help"))
        if value < minimum or (maximum is not None and value > maximum):
            bound = f"between {minimum} and {maximum}" if maximum is not None else \
                f"at least {minimum}"
            raise ConfigError(f"verify.{attribute.name} must be {bound}, got {value!r}",
                              hint=attribute.metadata.get("help"))
    return check


def _help(text: str) -> dict:
    return {"help": text}


@frozen
class VerifySettings:
    """How hard the verifier looks. The defaults verify a typical program in well under
    a second of CPU; every limit is CPU time or a count, wall time is only a backstop."""

    playouts: int = field(default=48, validator=_positive(maximum=100_000),
                          metadata=_help("random playouts of the dynamics tier"))
    default_max_length: int = field(
        default=500, validator=_positive(),
        metadata=_help("playout cap for a bare file (a game's spec gives its own)"))
    resamples: int = field(default=64, validator=_positive(minimum=0),
                           metadata=_help("resample_history requests of the information tier"))
    privacy_trajectories: int = field(
        default=16, validator=_positive(minimum=0),
        metadata=_help("reference trajectories whose histories the privacy tier compares"))
    differential_trajectories: int = field(
        default=24, validator=_positive(minimum=0),
        metadata=_help("reference trajectories replayed in lockstep by the differential tier"))
    shrink_rounds: int = field(default=24, validator=_positive(minimum=0),
                               metadata=_help("sandbox round trips spent shrinking each "
                                              "counterexample"))
    call_cpu_seconds: float = field(default=1.0, validator=_positive(float, minimum=0.01),
                                    metadata=_help("CPU seconds one GameCWM call may take"))
    load_cpu_seconds: float = field(default=2.0, validator=_positive(float, minimum=0.01),
                                    metadata=_help("CPU seconds the module may take to load"))
    session_cpu_seconds: float = field(
        default=30.0, validator=_positive(float, minimum=1),
        metadata=_help("CPU seconds for one program's whole verification"))
    memory_mb: int = field(default=1024, validator=_positive(minimum=64),
                           metadata=_help("address-space limit of the candidate's process"))
    legal_cap: int = field(default=10_000, validator=_positive(),
                           metadata=_help("most legal actions a state may list"))
    wall_backstop_seconds: float = field(
        default=120.0, validator=_positive(float, minimum=1),
        metadata=_help("wall-clock backstop per sandbox request (the real limits are CPU)"))
    workers: int = field(default=2, validator=_positive(maximum=256),
                         metadata=_help("programs verified at once by the batch API"))

    @classmethod
    def from_dict(cls, data: dict | None) -> VerifySettings:
        data = dict(data or {})
        known = {a.name for a in attrs.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            from cwmkit.core.validate import did_you_mean

            raise ConfigError(f"unknown verify setting '{unknown[0]}'"
                              f"{did_you_mean(unknown[0], known)}",
                              hint="settings: " + ", ".join(sorted(known)))
        return cls(**data)

    def to_dict(self) -> dict:
        return attrs.asdict(self)

    def evolve(self, **changes) -> VerifySettings:
        return attrs.evolve(self, **changes)

    def child_limits(self) -> dict:
        return {"cpu_seconds": int(self.session_cpu_seconds) + 1,
                "memory_bytes": self.memory_mb * 1024 * 1024}

    def child_settings(self) -> dict:
        return {"call_cpu_seconds": self.call_cpu_seconds,
                "load_cpu_seconds": self.load_cpu_seconds, "legal_cap": self.legal_cap}
