"""cwmkit's own reward (the default shaper): every tier, gated like the study's.

Why the defaults are what they are:

- The weights are the verifier's own (:data:`cwmkit.verify.report.TIER_WEIGHTS`), so on a
  program that passes the gates the reward equals ``report.score``: training curves,
  evaluation tables and ``cwmkit verify`` speak the same number. The tiers that compare
  the program with the rules (scenarios, differential) and the dynamics a planner depends
  on weigh most; static mostly gates.
- Unlike the study's reward it counts utility, privacy and differential. The differential
  tier's transition accuracy is the densest signal there is (a fraction of thousands of
  transitions rather than a handful of scenarios), and privacy is what keeps an
  imperfect-information model from leaking hidden state into observations, which the
  study's tiers cannot see.
- The gates are the study's. An incomplete API or a program that fails at the initial
  state earns only the static share: the later tiers of such a program measure nothing.
  Under ``dynamics_gate`` (0.5) the semantic tiers are measured on the few states that a
  mostly crashing program reaches; counting them rewards programs that get lucky on
  those states instead of programs that run.
"""

from __future__ import annotations

from attrs import field, frozen
from cwmkit_plugins.rewards.gates import gated_mean

from cwmkit.core.config import ConfigBase, fail, flag, help_, number
from cwmkit.core.errors import ConfigError
from cwmkit.verify.report import TIER_WEIGHTS, VerificationReport

__all__ = ["CwmkitShaper", "RewardConfig"]


def _check_weights(instance, attribute, value) -> None:
    if not isinstance(value, dict) or not all(isinstance(k, str) for k in value):
        fail(instance, attribute, "a mapping of tier name to weight", value)
    for name, weight in value.items():
        if type(weight) is bool or not isinstance(weight, (int, float)) or weight < 0:
            fail(instance, attribute, f"a mapping of weights >= 0 (tier {name!r})", weight)
    if not any(w > 0 for w in value.values()):
        raise ConfigError("reward.weights gives no tier a positive weight",
                          hint="give at least one tier (e.g. dynamics) a weight above 0")


@frozen
class RewardConfig(ConfigBase):
    """Weights and gates of the ``cwmkit`` reward shaper."""

    section = "reward"

    weights: dict = field(
        factory=lambda: dict(TIER_WEIGHTS), validator=_check_weights,
        metadata=help_("tier name -> weight; renormalised over the tiers that apply to a "
                       "program (tiers missing here count for nothing)"))
    api_gate: bool = field(
        default=True, validator=flag,
        metadata=help_("an incomplete API (a missing function or a wrong arity) earns only "
                       "the static share"))
    initial_state_gate: bool = field(
        default=True, validator=flag,
        metadata=help_("a program that fails at the initial state earns only the static share"))
    dynamics_gate: float = field(
        default=0.5, validator=number(minimum=0, maximum=1),
        metadata=help_("a dynamics score below this earns nothing for the tiers after "
                       "dynamics (0 turns the gate off)"))

    @classmethod
    def from_dict(cls, data: dict | None) -> RewardConfig:
        """A config from plain data; ``weights`` given here change the default weights of
        the tiers they name and keep the others."""
        data = dict(data or {})
        cls.check_keys(data)
        if isinstance(data.get("weights"), dict):
            data["weights"] = {**TIER_WEIGHTS, **data["weights"]}
        return cls(**data)


class CwmkitShaper:
    """Every tier with the verifier's weights and the study's gates (see the module)."""

    name = "cwmkit"
    description = ("every tier with the verifier's weights, gated like the study's reward "
                   "(API, initial state, dynamics < 0.5)")

    def __init__(self, config: RewardConfig | dict | None = None) -> None:
        if not isinstance(config, RewardConfig):
            config = RewardConfig.from_dict(config)
        self.config = config

    def __call__(self, report: VerificationReport) -> float | None:
        c = self.config
        return gated_mean(report, c.weights, api_gate=c.api_gate,
                          initial_state_gate=c.initial_state_gate, dynamics_gate=c.dynamics_gate)
