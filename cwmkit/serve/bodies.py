"""The typed request bodies of the reward server.

Each endpoint's JSON object is read into a frozen class whose fields say what they hold;
a missing, unknown or mistyped field is a :class:`ConfigError` naming the field, what
was found and what it should be (the server answers it with 422).
"""

from __future__ import annotations

import attrs
from attrs import field, frozen

from cwmkit.core.config import ConfigBase, as_tuple, fail, help_, text
from cwmkit.core.errors import ConfigError

__all__ = ["GetRewardBody", "RewardBody", "VerifyBody", "parse_body"]


def _strings(instance, attribute, value) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) for v in value):
        fail(instance, attribute, "a list of strings", value)


def _game_ids(instance, attribute, value) -> None:
    if value is None:
        return
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v for v in value):
        fail(instance, attribute, "a list of game ids", value)


def _completion(value) -> bool:
    """A completion: text, or chat messages ({"role": ..., "content": ...})."""
    if isinstance(value, str):
        return True
    return isinstance(value, (list, tuple)) and all(
        isinstance(m, dict) and isinstance(m.get("role"), str)
        and isinstance(m.get("content"), (str, list)) for m in value)


def _completions(instance, attribute, value) -> None:
    if not isinstance(value, tuple):
        fail(instance, attribute, "a list of completions", value)
    for i, item in enumerate(value):
        if not _completion(item):
            fail(instance, attribute, "a list of completions (text, or chat messages with "
                 "'role' and 'content')", item, f" at index {i}")


def _request_id(instance, attribute, value) -> None:
    if value is not None and (type(value) is bool or not isinstance(value, (str, int))):
        fail(instance, attribute, "a string or an integer", value)


_ID = field(default=None, validator=_request_id,
            metadata=help_("any id of the client's, echoed in the answer"))


@frozen(kw_only=True)
class VerifyBody(ConfigBase):
    """``POST /verify``: programs of one game, answered with one report each."""

    section = "verify request"

    game: str = field(validator=text(), metadata=help_("the registered game id"))
    programs: tuple[str, ...] = field(converter=as_tuple, validator=_strings,
                                      metadata=help_("the programs' source texts"))
    id: str | int | None = _ID

    @property
    def items(self) -> int:
        return len(self.programs)


@frozen(kw_only=True)
class RewardBody(ConfigBase):
    """``POST /reward``: completions with their game ids, answered with rewards."""

    section = "reward request"

    completions: tuple = field(converter=as_tuple, validator=_completions,
                               metadata=help_("model completions: text, or chat messages"))
    games: tuple[str, ...] | None = field(default=None, converter=as_tuple,
                                          validator=_game_ids,
                                          metadata=help_("each completion's game id"))
    game: str | None = field(default=None, validator=text(optional=True),
                             metadata=help_("the game id of every completion"))
    id: str | int | None = _ID

    def __attrs_post_init__(self) -> None:
        if (self.games is None) == (self.game is None):
            raise ConfigError("a reward request needs 'games' (one id per completion) or "
                              "'game' (one for all), and not both",
                              hint='e.g. {"completions": [...], "game": "tic_tac_toe"}')
        if self.games is not None and len(self.games) != len(self.completions):
            raise ConfigError(f"{len(self.completions)} completions but {len(self.games)} "
                              "game ids", hint="give one game id per completion")

    @property
    def items(self) -> int:
        return len(self.completions)

    @property
    def game_ids(self) -> list[str]:
        return list(self.games) if self.games is not None else [self.game] * self.items


@frozen(kw_only=True)
class GetRewardBody(ConfigBase):
    """``POST /get_reward``: OpenRLHF's remote reward request."""

    section = "get_reward request"

    query: tuple[str, ...] = field(converter=as_tuple, validator=_strings,
                                   metadata=help_("each prompt followed by its response"))
    prompts: tuple[str, ...] = field(converter=as_tuple, validator=_strings,
                                     metadata=help_("the prompts, one per query"))
    labels: tuple[str, ...] = field(converter=as_tuple, validator=_game_ids,
                                    metadata=help_("the game ids (OpenRLHF's --label_key)"))

    def __attrs_post_init__(self) -> None:
        if not len(self.query) == len(self.prompts) == len(self.labels):
            raise ConfigError(f"{len(self.query)} queries, {len(self.prompts)} prompts and "
                              f"{len(self.labels)} labels", hint="one of each per response")

    @property
    def items(self) -> int:
        return len(self.query)


def parse_body(cls, data):
    """``data`` (a decoded JSON value) as the body class ``cls``."""
    if not isinstance(data, dict):
        raise ConfigError(f"the {cls.section} must be a JSON object, got "
                          f"{type(data).__name__}",
                          hint="fields: " + ", ".join(cls.describe()))
    cls.check_keys(data)  # a misspelt field first: its did-you-mean is the fix
    missing = [name for name, (default, _) in cls.describe().items()
               if name not in data and default is attrs.NOTHING]
    if missing:
        raise ConfigError(f"the {cls.section} has no '{missing[0]}'",
                          hint="fields: " + ", ".join(cls.describe()))
    return cls.from_dict(data)
