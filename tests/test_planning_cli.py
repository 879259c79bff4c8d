"""``cwmkit play`` (a human on piped standard input, bots, JSON) and ``cwmkit plan-value``."""

from __future__ import annotations

import io
import json
import sys

import pytest

from cwmkit.cli import main


def _run(capsys, monkeypatch, argv, stdin=""):
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def test_a_human_plays_tic_tac_toe_on_piped_input(capsys, monkeypatch):
    # numbers or action strings; a wrong answer is asked again
    moves = "x(1,1)\nfoo\n1\n1\n1\n1\n"
    code, out, _ = _run(capsys, monkeypatch, ["play", "tic_tac_toe", "--sims", "50"], moves)
    assert code == 0
    assert "x (player 0), your observation:" in out
    assert "legal actions: 1) x(0,0)  2) x(0,1)" in out
    assert "    . x ." in out  # the board drawn as a grid
    assert "'foo' is not a legal action here" in out
    assert "x plays x(1,1)" in out and "o plays o(" in out
    assert "game over: payoffs" in out


def test_leaving_a_game_is_an_error_without_traceback(capsys, monkeypatch):
    code, out, err = _run(capsys, monkeypatch, ["play", "tic_tac_toe"], "quit\n")
    assert code == 1 and "left before its end" in err and "Traceback" not in err


def test_bots_play_and_report_as_json(capsys, monkeypatch):
    code, out, _ = _run(capsys, monkeypatch, ["play", "kuhn_poker", "--p0", "random",
                                             "--p1", "ismcts", "--sims", "30", "--games",
                                             "2", "--json"])
    assert code == 0
    data = json.loads(out)
    assert data["seats"] == ["random", "ismcts"] and len(data["games"]) == 2
    assert all(sum(g["payoffs"]) == 0 for g in data["games"])


def test_imperfect_information_hides_the_deal_from_a_human(capsys, monkeypatch):
    code, out, _ = _run(capsys, monkeypatch, ["play", "kuhn_poker", "--p1", "random"],
                        "1\n1\n1\n")
    assert code == 0 and "chance: (hidden)" in out and "my_card:" in out


def test_play_refuses_a_planner_that_does_not_fit(capsys, monkeypatch):
    code, _, err = _run(capsys, monkeypatch, ["play", "kuhn_poker", "--p0", "mcts"])
    assert code == 2 and "ismcts" in err
    code, _, err = _run(capsys, monkeypatch, ["play", "tic_tac_toe", "--p2", "random"])
    assert code == 2 and "2 players" in err


def test_play_with_a_program(capsys, monkeypatch, tmp_path, host):
    program = tmp_path / "ttt.py"
    program.write_text(host.get("games", "tic_tac_toe").reference_source)
    code, out, _ = _run(capsys, monkeypatch, ["play", "tic_tac_toe", "--program",
                                             str(program), "--p0", "mcts", "--p1", "random",
                                             "--sims", "40"])
    assert code == 0 and "x plays" in out and "sees:" in out


@pytest.mark.parametrize("as_json", [False, True])
def test_plan_value(capsys, monkeypatch, tmp_path, host, as_json):
    program = tmp_path / "ttt.py"
    program.write_text(host.get("games", "tic_tac_toe").reference_source)
    argv = ["plan-value", "tic_tac_toe", "--program", str(program), "--games", "2",
            "--sims", "30", "--records", str(tmp_path / "games.jsonl")]
    code, out, _ = _run(capsys, monkeypatch, argv + (["--json"] if as_json else []))
    assert code == 0
    if as_json:
        data = json.loads(out)
        assert data["games"] == 2 and data["forfeits"] == 0 and "interval" in data
    else:
        assert "wins" in out and "95% interval" in out and "forfeits 0" in out
    lines = (tmp_path / "games.jsonl").read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[0])["actions"]
