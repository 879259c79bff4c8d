"""The reward server's settings: where it listens, what it verifies with, its limits."""

from __future__ import annotations

from attrs import field, frozen

from cwmkit.core.config import ConfigBase, choice, help_, mapping, number, text
from cwmkit.core.errors import ConfigError

__all__ = ["ServeConfig"]

LOG_LEVELS = ("critical", "error", "warning", "info", "debug")


def _verify_settings(instance, attribute, value) -> None:
    mapping(instance, attribute, value)
    from cwmkit.verify.settings import VerifySettings

    try:
        VerifySettings.from_dict(value)
    except ConfigError as exc:
        raise ConfigError(f"serve.verify: {exc.message}", hint=exc.hint) from None


@frozen(kw_only=True)
class ServeConfig(ConfigBase):
    """How ``cwmkit serve`` listens, verifies and sheds load."""

    section = "serve"

    host: str = field(default="127.0.0.1", validator=text(),
                      metadata=help_("address to listen on (the default: this machine only)"))
    port: int = field(default=8000, validator=number(int, minimum=0, maximum=65535),
                      metadata=help_("TCP port to listen on"))
    shaper: str = field(default="cwmkit", validator=text(),
                        metadata=help_("reward shaper of /reward and /get_reward"))
    verify: dict = field(factory=dict, validator=_verify_settings,
                         metadata=help_("verification settings (workers: programs verified "
                                        "at once, playouts, ...)"))
    max_concurrency: int = field(default=8, validator=number(int, minimum=1, maximum=4096),
                                 metadata=help_("requests being verified at once"))
    max_queue: int = field(default=256, validator=number(int, minimum=0, maximum=1_000_000),
                           metadata=help_("requests waiting for their turn; beyond that a "
                                          "request is refused with 503 at once"))
    request_timeout: float = field(default=300.0, validator=number(above=0),
                                   metadata=help_("seconds a request may wait and be "
                                                  "verified before it is answered 504"))
    max_body_bytes: int = field(default=32 * 1024 * 1024, validator=number(int, minimum=1024),
                                metadata=help_("largest request body, in bytes (413 above)"))
    max_items: int = field(default=4096, validator=number(int, minimum=1),
                           metadata=help_("most programs or completions in one request"))
    cache_size: int = field(default=4096, validator=number(int, minimum=0),
                            metadata=help_("reports kept for programs seen again (a "
                                           "verdict is deterministic); 0: none kept"))
    retries: int = field(default=1, validator=number(int, minimum=0, maximum=10),
                         metadata=help_("new tries for a program whose sandbox failed"))
    log_level: str = field(default="info", validator=choice(*LOG_LEVELS),
                           metadata=help_("uvicorn's log level"))

    @property
    def workers(self) -> int:
        from cwmkit.verify.settings import VerifySettings

        return VerifySettings.from_dict(self.verify).workers
