"""Parse and validate game specs; for a spec next to a ``reference.py``, also run the
reference on the spec's scenarios. What a plugin author runs on a new spec.

Each argument is a spec file, a folder (searched recursively for ``spec.game``) or the id
of a registered game. Besides syntax and meaning, the minimums every game meets are
reported (at least 8 scenarios, prose sections of at least 15 words): the same bar the
conformance checks (``cwmkit check-plugin``) hold a game to.
"""

from __future__ import annotations

from pathlib import Path

from cwmkit.cli._output import console, error_console, escape, print_json
from cwmkit.core.errors import ConfigError, SpecError
from cwmkit.spec.dsl import load_spec

NAME = "check-spec"
HELP = "check game specs (syntax, meaning, minimums, and the reference's scenarios)"

SPEC_FILE = "spec.game"


def add_arguments(parser) -> None:
    parser.add_argument("targets", nargs="+", metavar="FILE|DIR|GAME",
                        help="spec files (.game), folders holding spec.game files (searched "
                             "recursively) or ids of registered games")
    parser.add_argument("--no-reference", action="store_true",
                        help="do not run reference.py against the scenarios")
    parser.add_argument("--json", action="store_true", help="print a JSON list of results")


def resolve(targets: list[str]) -> list[Path]:
    """The spec files ``targets`` name: files, folders (recursively) or registered ids."""
    paths: list[Path] = []
    for target in targets:
        path = Path(target)
        if path.is_dir():
            found = sorted(p for p in path.rglob(SPEC_FILE) if "__pycache__" not in p.parts)
            if not found:
                raise ConfigError(f"{path}: no {SPEC_FILE} in this folder or below")
            paths.extend(found)
        elif path.exists() or path.suffix == ".game" or "/" in target:
            paths.append(path)  # a missing file is reported as that file's error
        else:
            from cwmkit.core.plugins import get_host

            game = get_host().get("games", target)  # an unknown id: did-you-mean, exit 2
            if game.spec_path is None:
                raise ConfigError(f"game '{target}' has no spec file")
            paths.append(Path(game.spec_path))
    return paths


def _check(path: Path, with_reference: bool) -> dict:
    from cwmkit.spec.games import REFERENCE_FILE, Game
    from cwmkit.verify.conformance import spec_minimums

    result: dict = {"file": str(path), "ok": False, "errors": [], "scenarios": []}
    try:
        spec = load_spec(path)
    except SpecError as exc:
        result["errors"].append(str(exc))
        result["spec_error"] = True
        return result
    result["game"] = spec.id
    result["errors"].extend(f"{path}: {problem}" for problem in spec_minimums(spec))
    if spec.verify:
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
    results = [_check(p, not args.no_reference) for p in resolve(args.targets)]
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
