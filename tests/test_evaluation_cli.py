"""cwmkit eval end to end with a scripted generation backend (no model) and the real
sandboxed verifier: two models side by side on one game, every completion verified,
results.json and the report written into one run directory that a second run resumes."""

from __future__ import annotations

import json

import pytest

from cwmkit import hookimpl
from cwmkit.cli import main
from cwmkit.core.plugins import PluginHost, get_host, reset_host
from cwmkit.generation import Completion

GAME = "tic_tac_toe"


class Scripted:
    """Answers by the model's name: 'good' writes the reference, 'bad' a reference without
    its diagonals for even samples and prose for odd ones."""

    name = "scripted"
    description = "answers from a script (tests)"

    def __init__(self, reference: str) -> None:
        self.reference = reference
        self.calls = 0

    def create(self, config):
        backend = self

        class Generator:
            def generate(self, prompts, seed=None):
                backend.calls += 1
                out = []
                for prompt in prompts:
                    for i in range(config.n):
                        code = backend.reference
                        if config.model == "bad":
                            code = code.replace("+ [[(0, 0), (1, 1), (2, 2)], [(0, 2), (1, 1), "
                                                "(2, 0)]]  # diagonals", "")
                        text = f"```python\n{code}\n```" if config.model == "good" or \
                            i % 2 == 0 else "No idea, sorry."
                        out.append(Completion(prompt, text, "scripted", config.model,
                                              config.sampling(), 0.0, i))
                return out

        return Generator()


@pytest.fixture
def scripted(host):
    reference = host.get("games", GAME).reference_source
    backend = Scripted(reference)

    class Plugin:
        @hookimpl
        def register_generators(self, register):
            register(backend)

    previous = get_host()
    fresh = PluginHost()
    fresh.add_plugin(Plugin(), name="scripted-eval-test")
    reset_host(fresh)
    yield backend
    reset_host(previous)


def test_cwmkit_eval_compares_two_models_and_resumes(scripted, tmp_path, capsys):
    out = tmp_path / "run"
    argv = ["eval", "--backend", "scripted", "--model", "good", "--model", "bad",
            "--label", "weak", "--games", GAME, "-n", "3", "--out", str(out),
            "--resamples", "200", "--verify-set", "playouts=4", "--json"]
    assert main(argv) == 0
    results = json.loads(capsys.readouterr().out)
    assert list(results["models"]) == ["good", "weak"]
    good, weak = results["models"]["good"], results["models"]["weak"]
    assert good["overall"]["verified"] == 3 and good["overall"]["mean_score"] == 1.0
    assert weak["overall"]["statuses"] == {"no_code": 1, "ok": 2}
    assert weak["overall"]["verified"] == 0 and weak["overall"]["mean_score"] < 1.0
    failed = weak["games"][GAME]["failed_checks"]
    assert any(r["example"]["counterexample"] for r in failed)  # a diagonal win missed
    assert results["paired"][0]["measures"]["mean_score"]["delta"] > 0
    for name in ("eval.json", "results.json", "report.md", "report.html",
                 "models/good/generations.jsonl", "models/weak/reports.jsonl"):
        assert (out / name).is_file(), name
    calls = scripted.calls
    assert main(argv) == 0  # everything was there: nothing generated again
    again = json.loads(capsys.readouterr().out)
    assert scripted.calls == calls
    assert again["models"]["weak"]["overall"] == weak["overall"]
    changed = [a if a != "3" else "4" for a in argv]
    assert main(changed) == 2  # other settings, same run directory: refused
    assert "another --out" in capsys.readouterr().err


def test_cwmkit_eval_needs_a_model_and_checks_backend_settings(scripted, tmp_path, capsys):
    assert main(["eval", "--games", GAME, "--out", str(tmp_path / "a")]) == 2
    assert "at least one --model" in capsys.readouterr().err
    assert main(["eval", "--model", "x", "--backend", "openai", "--set", "batch_size=2",
                 "--out", str(tmp_path / "b")]) == 2
    assert main(["eval", "--model", "x", "--base-url", "http://127.0.0.1:9/v1",
                 "--backend", "transformers", "--out", str(tmp_path / "c")]) == 2
    assert "--base-url is a setting of the openai backend" in capsys.readouterr().err


def test_cwmkit_eval_of_an_openai_compatible_endpoint(host, tmp_path, capsys):
    from tests.test_generators import FakeServer

    reference = host.get("games", GAME).reference_source
    server = FakeServer()
    server.reply = lambda prompt, i: f"```python\n{reference}\n```" if i == 0 else "?"
    try:
        code = main(["eval", "--model", "teacher", "--base-url", server.url,
                     "--set", "api_key_env=CWMKIT_TEST_KEY", "--set", "backoff=0.01",
                     "--games", GAME, "-n", "2", "--out", str(tmp_path / "run"),
                     "--resamples", "200", "--json"])
    finally:
        server.close()
    assert code == 0
    model = json.loads(capsys.readouterr().out)["models"]["teacher"]
    assert model["backend"] == "openai"
    assert model["overall"]["statuses"] == {"no_code": 1, "ok": 1}
    assert model["overall"]["verified"] == 1
    assert server.requests and server.requests[0]["model"] == "teacher"
