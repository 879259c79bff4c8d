"""Refinement with a scripted generation backend (no model): the verifier's failed checks
and counterexamples go back to the generator, the best program is kept, and a verified
one becomes an SFT record."""

from __future__ import annotations

import json

import pytest

from cwmkit import hookimpl
from cwmkit.cli import main
from cwmkit.core.plugins import PluginHost, get_host, reset_host
from cwmkit.generation import Completion
from cwmkit.planning.refine import feedback, refine


class ScriptedBackend:
    """Answers prompts from a script, and keeps the prompts it was given."""

    name = "scripted"
    description = "answers from a script (tests)"

    def __init__(self, answers: list[str]) -> None:
        self.answers = list(answers)
        self.prompts: list = []

    def create(self, config):
        return ScriptedGenerator(self, config)


class ScriptedGenerator:
    def __init__(self, backend: ScriptedBackend, config) -> None:
        self.backend = backend
        self.config = config

    def generate(self, prompts):
        out = []
        for prompt in prompts:
            self.backend.prompts.append(prompt)
            for i in range(self.config.n):
                out.append(Completion(prompt, self.backend.answers.pop(0), "scripted",
                                      self.config.model, self.config.sampling(), 0.0, i))
        return out


@pytest.fixture(scope="module")
def sources(host):
    reference = host.get("games", "tic_tac_toe").reference_source
    mutant = reference.replace(
        "+ [[(0, 0), (1, 1), (2, 2)], [(0, 2), (1, 1), (2, 0)]]  # diagonals", "")
    assert mutant != reference
    return reference, mutant


@pytest.fixture(scope="module")
def verifier():
    from cwmkit.verify.verifier import Verifier

    with Verifier() as v:
        yield v


def _fenced(code: str) -> str:
    return f"Here it is:\n```python\n{code}```\n"


def test_refine_feeds_the_counterexample_back_and_keeps_the_verified_program(host, sources,
                                                                            verifier):
    reference, mutant = sources
    backend = ScriptedBackend(["no code, sorry", _fenced(mutant), _fenced(reference)])
    game = host.get("games", "tic_tac_toe")
    result = refine(game, backend.create(_config()), rounds=4, verifier=verifier)
    assert [r.status for r in result.rounds] == ["no_code", "ok", "ok"]
    assert result.verified and result.best.index == 3 and result.best.program == reference
    assert not result.rounds[1].verified and result.rounds[1].score < 1.0
    second, third = backend.prompts[1], backend.prompts[2]
    assert [m["role"] for m in third] == ["user", "assistant", "user"]
    assert "python" in second[-1]["content"]
    assert "# rows" in third[1]["content"] and "# diagonals" not in third[1]["content"]
    assert "failed these checks" in third[2]["content"]
    assert "after the actions" in third[2]["content"]
    records = result.records(game)
    assert len(records) == 1 and records[0]["source"] == "refine:scripted:tiny"
    assert reference.strip() in records[0]["completion"][0]["content"]


def test_the_best_round_is_kept_when_no_round_verifies(host, sources, verifier):
    _, mutant = sources
    backend = ScriptedBackend([_fenced(mutant), _fenced("def get_initial_state(:\n")])
    result = refine(host.get("games", "tic_tac_toe"), backend.create(_config()), rounds=2,
                    verifier=verifier)
    assert not result.verified and result.best.index == 1
    assert result.records(host.get("games", "tic_tac_toe")) == []
    # the second round repaired the best program, not the broken one
    assert "# rows" in backend.prompts[1][1]["content"]


def test_feedback_names_a_program_that_did_not_run(verifier):
    report = verifier.verify("def get_initial_state(:\n", game="tic_tac_toe")
    text = feedback(report)
    assert "did not run to the end (compile_error)" in text and "```python" in text


def _config(**kw):
    from cwmkit.generation import GenerationConfig

    return GenerationConfig.from_dict({"model": "tiny", **kw})


@pytest.fixture
def scripted_host(sources):
    backend = ScriptedBackend([_fenced(sources[1]), _fenced(sources[0])])

    class Plugin:
        @hookimpl
        def register_generators(self, register):
            register(backend)

    previous = get_host()
    host = PluginHost()
    host.add_plugin(Plugin(), name="scripted-test")
    reset_host(host)
    yield backend
    reset_host(previous)


def test_cwmkit_refine_with_a_registered_backend(scripted_host, tmp_path, capsys):
    out, records = tmp_path / "best.py", tmp_path / "sft.jsonl"
    code = main(["refine", "tic_tac_toe", "--generator", "scripted", "--model", "tiny",
                 "--rounds", "3", "--out", str(out), "--records", str(records)])
    printed = capsys.readouterr().out
    assert code == 0
    assert "round 1: ok" in printed and "round 2: ok, score 1.000, verified" in printed
    assert "# diagonals" in out.read_text()  # the reference: the verified best
    lines = records.read_text().splitlines()
    assert len(lines) == 1 and json.loads(lines[0])["game"] == "tic_tac_toe"
