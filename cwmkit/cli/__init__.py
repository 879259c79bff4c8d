"""The ``cwmkit`` command line: one module per subcommand.

Each subcommand module defines ``NAME``, ``HELP``, ``add_arguments(parser)`` and
``run(args) -> int``. A :class:`CwmkitError` is printed as its message and hint, never
as a traceback, and mapped to its ``exit_code``.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import warnings

from cwmkit.core.errors import CwmkitError

__all__ = ["main"]

# Subcommand modules, in the order ``cwmkit --help`` lists them.
SUBCOMMANDS = (
    "games",
    "show",
    "prompt",
    "check_spec",
    "check_plugin",
    "new",
    "verify",
    "plugins",
    "doctor",
    "data",
    "mutate",
    "train",
    "run",
    "generate",
    "eval",
    "report",
    "model",
    "serve",
    "play",
    "plan_value",
    "refine",
)

EXIT_CODES = """\
exit codes:
  0  success
  1  the command ran and found problems (e.g. a spec or program that fails checks)
  2  usage error: unknown name, bad option or configuration value
  3  a spec file that does not parse or validate
  4  a broken plugin (in strict mode)
  5  an optional extra is missing (the message names the pip install)
  130 interrupted
"""


def build_parser() -> argparse.ArgumentParser:
    from cwmkit import __version__

    parser = argparse.ArgumentParser(
        prog="cwmkit",
        description="Train and verify language models that write game code world models.",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"cwmkit {__version__}")
    parser.add_argument("--strict-plugins", action="store_true",
                        help="fail on a broken plugin instead of skipping it "
                             "(also CWMKIT_STRICT_PLUGINS=1)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMANDS:
        module = importlib.import_module(f"cwmkit.cli.{name}")
        p = sub.add_parser(module.NAME, help=module.HELP, description=module.__doc__,
                           formatter_class=argparse.RawDescriptionHelpFormatter,
                           **getattr(module, "PARSER_OPTIONS", {}))
        module.add_arguments(p)
        p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "_run", None):
        parser.print_help()
        return 2
    from cwmkit.cli._output import error_console, escape
    from cwmkit.core.plugins import PluginHost, PluginWarning, reset_host

    default_showwarning = warnings.showwarning

    def showwarning(message, category, *rest, **kw):
        if issubclass(category, PluginWarning):
            error_console().print(f"[yellow]warning:[/] {escape(str(message))}",
                                  soft_wrap=True)
        else:
            default_showwarning(message, category, *rest, **kw)

    warnings.showwarning = showwarning
    try:
        if args.strict_plugins:
            reset_host(PluginHost(strict=True))
        return int(args._run(args) or 0)
    except CwmkitError as exc:
        error_console().print(f"[bold red]error:[/] {exc.message}", markup=True,
                              highlight=False, soft_wrap=True)
        if exc.hint:
            error_console().print(f"[yellow]hint:[/] {exc.hint}", highlight=False,
                                  soft_wrap=True)
        return exc.exit_code
    except KeyboardInterrupt:
        error_console().print("interrupted")
        return 130
    except BrokenPipeError:
        return 0


def _entry() -> None:
    sys.exit(main())
