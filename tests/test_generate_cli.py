"""'cwmkit generate' end to end on the tiny model: records written once, a second run
adds nothing, --verify scores every program, and the records' format is the pipeline's."""

from __future__ import annotations

import json

import pytest

from cwmkit.cli import main

pytest.importorskip("transformers", reason="generation needs the 'train' extra")


def test_generate_writes_records_once_and_verifies_them(tmp_path, capsys):
    out = tmp_path / "gen"
    args = ["generate", "--model", "tiny", "--games", "tic_tac_toe,matching_pennies",
            "--samples", "2", "--max-new-tokens", "6", "--temperature", "1.0", "--out",
            str(out), "--verify", "--json", "--set", "batch_size=2"]
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert (summary["records"], summary["written"], summary["games"]) == (4, 4, 2)
    records = [json.loads(line) for line in (out / "generations.jsonl").read_text()
               .splitlines()]
    assert [r["id"] for r in records] == ["matching_pennies/0", "matching_pennies/1",
                                          "tic_tac_toe/0", "tic_tac_toe/1"]
    assert records[0]["model"] == "tiny" and records[0]["settings"]["max_new_tokens"] == 6
    reports = [json.loads(line) for line in (out / "reports.jsonl").read_text().splitlines()]
    assert [r["id"] for r in reports] == [r["id"] for r in records]
    assert all(r["status"] == "no_code" and r["score"] == 0.0 for r in reports)
    assert summary["evaluation"]["overall"]["programs"] == 4
    # The same command again: everything is there, nothing is generated twice.
    assert main(args) == 0
    again = json.loads(capsys.readouterr().out)
    assert (again["records"], again["written"]) == (4, 0)
    assert len((out / "generations.jsonl").read_text().splitlines()) == 4


def test_a_backend_setting_of_another_backend_is_refused(tmp_path, capsys):
    assert main(["generate", "--model", "tiny", "--games", "tic_tac_toe", "--out",
                 str(tmp_path / "g"), "--set", "tensor_parallel_size=2"]) == 2
    err = capsys.readouterr().err
    assert "'tensor_parallel_size' is a setting of the vllm backend" in err
    assert not (tmp_path / "g").exists()  # refused before any work
