"""Check this installation: Python, optional extras, plugins, and which sandbox
isolations are active here for this user (a user namespace stands in for root where the
kernel allows it). Without network and filesystem isolation the verifier refuses to run
untrusted programs unless told otherwise (``--allow-unisolated``)."""

from __future__ import annotations

import importlib.util
import platform
import sys

from cwmkit.cli._output import console, escape, print_json

NAME = "doctor"
HELP = "check the installation, the extras and the sandbox's isolation"

EXTRAS = {
    "torch": "train", "transformers": "train", "trl": "train", "peft": "train",
    "datasets": "train", "accelerate": "train", "vllm": "vllm", "pyspiel": "openspiel",
}


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print a JSON object")


def sandbox_facts() -> dict:
    from cwmkit.sandbox.client import SandboxFailure, missing_isolation
    from cwmkit.verify.settings import VerifySettings
    from cwmkit.verify.verifier import Verifier

    try:
        # The probe is our own program: it may run without isolation, to say what is missing.
        with Verifier(VerifySettings(playouts=4, allow_unisolated=True)) as verifier:
            isolation = verifier.start()
            report = verifier.verify(PROBE, info="perfect", players=1)
    except SandboxFailure as exc:
        return {"working": False, "error": str(exc)}
    missing = missing_isolation(isolation)
    return {
        "working": report.status == "ok",
        "isolation": isolation,
        "isolated": not missing,
        "missing_isolation": missing,
        "unprivileged_user": bool(report.sandbox.get("dropped_privileges")),
        "missing_limits": report.sandbox.get("missing_limits", []),
        "watchdog": bool(report.sandbox.get("watchdog")),
        "probe_status": report.status,
    }


PROBE = '''
def get_initial_state():
    return {"done": False}
def get_current_player(state):
    return -4 if state["done"] else 0
def get_player_name(player_id):
    return "solo"
def get_legal_actions(state):
    return [] if state["done"] else ["stop"]
def apply_action(state, action):
    return {"done": True}
def get_rewards(state):
    return [0.0]
def get_observations(state):
    return [dict(state)]
'''


def run(args) -> int:
    from cwmkit import __version__
    from cwmkit.core.plugins import get_host

    host = get_host()
    facts = {
        "cwmkit": __version__,
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "extras": {m: importlib.util.find_spec(m) is not None for m in EXTRAS},
        "plugins": [i.name for i in host.plugins()],
        "skipped_plugins": [f"{p.plugin}: {p.message}" for p in host.problems],
        "sandbox": sandbox_facts(),
    }
    if args.json:
        print_json(facts)
        return 0 if facts["sandbox"].get("working") else 1
    out = console()
    out.print(f"cwmkit {facts['cwmkit']} on Python {facts['python']} ({facts['platform']})")
    for module, present in facts["extras"].items():
        install = escape(f"pip install cwmkit[{EXTRAS[module]}]")
        mark = "[green]yes[/]" if present else f"[dim]no ({install})[/]"
        out.print(f"  {module:13s} {mark}")
    out.print(f"plugins: {', '.join(facts['plugins'])}")
    for line in facts["skipped_plugins"]:
        out.print(f"  [yellow]skipped[/] {escape(line)}")
    sandbox = facts["sandbox"]
    if not sandbox.get("working"):
        out.print(f"[red]sandbox: not working[/] {escape(str(sandbox.get('error', '')))}")
        return 1
    out.print("sandbox: working" + ("" if sandbox["isolated"] else
                                    " [red]without isolation: untrusted programs are "
                                    "refused unless --allow-unisolated[/]"))
    for name, active in sandbox["isolation"].items():
        if name == "user_namespace":
            state = "[green]active[/]" if active else "[dim]not needed (root)[/]" \
                if not sandbox["missing_isolation"] else "[yellow]unavailable[/]"
        else:
            state = "[green]active[/]" if active else "[yellow]unavailable[/]"
        out.print(f"  {name.replace('_', ' '):20s} {state}")
    state = "[green]active[/]" if sandbox["unprivileged_user"] else "[yellow]no[/]"
    out.print(f"  {'no privileges':20s} {state}")
    state = "[green]active[/]" if sandbox["watchdog"] else "[yellow]unavailable[/]"
    out.print(f"  {'cpu watchdog':20s} {state}")
    out.print("  resource limits      " + ("[green]all applied[/]" if not sandbox["missing_limits"]
                                         else f"[yellow]missing {sandbox['missing_limits']}[/]"))
    return 0
