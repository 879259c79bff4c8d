"""Parse and validate spec files; for a spec next to a ``reference.py``, also run the
reference on the spec's scenarios. What a plugin author runs on a new spec."""

from __future__ import annotations

from pathlib import Path

from cwmkit.cli._output import console, error_console, escape, print_json
from cwmkit.core.errors import SpecError
from cwmkit.spec.dsl import load_spec

NAME = "check-spec"
HELP = "check game spec files (syntax, meaning, and the reference's scenarios)"


def add_arguments(parser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE",
                        help="spec files (.game) or folders holding spec.game")
    parser.add_argument("--no-reference", action="store_true",
                        help="do not run reference.py against the scenarios")
    parser.add_argument("--json", action="store_true", help="print a JSON list of results")


def _check(path: Path, with_reference: bool) -> dict:
    from cwmkit.spec.games import REFERENCE_FILE, Game

    if path.is_dir():
        path = path / "spec.game"
    result: dict = {"file": str(path), "ok": False, "errors": [], "scenarios": []}
    try:
        spec = load_spec(path)
    except SpecError as exc:
        result["errors"].append(str(exc))
        result["spec_error"] = True
        return result
    result["game"] = spec.id
    if spec.verify:
        from cwmkit.core.errors import ConfigError
        from cwmkit.verify.settings import VerifySettings

        try:
            VerifySettings.check_keys(dict(spec.verify))
            VerifySettings().evolve(**dict(spec.verify))
        except ConfigError as exc:
            result["errors"].append(f"{path}: verify: {exc}")
    reference = path.parent / REFERENCE_FILE
    if with_reference and reference.is_file():
        from cwmkit.spec.scenarios import run_scenario, snapshot_after

        module = Game(spec, reference).reference()
        for scenario in spec.scenarios:
            outcome = run_scenario(scenario, spec.players,
                                   lambda h, module=module: snapshot_after(module, h))
            result["scenarios"].append({"name": scenario.name, "passed": outcome.passed,
                                        "failure": outcome.failure})
            if not outcome.passed:
                result["errors"].append(f"{path}: scenario '{scenario.name}': "
                                        f"{outcome.failure}")
    result["ok"] = not result["errors"]
    return result


def run(args) -> int:
    results = [_check(p, not args.no_reference) for p in args.files]
    if args.json:
        print_json(results)
    else:
        for r in results:
            if r["ok"]:
                ran = len(r["scenarios"])
                extra = f", reference passes {ran} scenarios" if ran else ""
                console().print(f"[green]ok[/] {escape(r['file'])} ({r['game']}{extra})",
                                soft_wrap=True)
            else:
                for e in r["errors"]:
                    error_console().print(f"[red]✗[/] {escape(e)}", soft_wrap=True)
    if any(r.get("spec_error") for r in results):
        return 3  # a spec that does not parse or validate, as the exit codes promise
    return 0 if all(r["ok"] for r in results) else 1
