"""`cwmkit verify` and `cwmkit doctor` as a user runs them."""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TTT = ROOT / "plugins" / "games" / "tic_tac_toe" / "reference.py"


def cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "cwmkit", *args], capture_output=True,
                          text=True, cwd=cwd or ROOT, timeout=300)


def test_verify_json_has_the_documented_fields_and_exit_zero_on_a_pass():
    result = cli("verify", str(TTT), "--game", "tic_tac_toe", "--json", "--playouts", "8")
    assert result.returncode == 0, result.stderr
    [line] = result.stdout.splitlines()
    report = json.loads(line)
    assert {"file", "status", "score", "tiers", "version", "sandbox", "output"} <= set(report)
    assert (report["status"], report["score"]) == ("ok", 1.0)
    tiers = report["tiers"]
    assert tiers["static"]["score"] == 1.0 and tiers["information"]["score"] is None
    from cwmkit.verify import VerificationReport

    parsed = VerificationReport.from_dict(report)
    assert parsed.tier_scores["information"] is None and parsed.score == 1.0


def test_verify_a_folder_reports_each_file_and_fails_on_a_broken_one(tmp_path):
    (tmp_path / "good.py").write_text(TTT.read_text())
    anti_diagonal_missed = TTT.read_text().replace("[(0, 2), (1, 1), (2, 0)]",
                                                   "[(0, 2), (1, 1), (2, 1)]")
    (tmp_path / "bad.py").write_text(anti_diagonal_missed)
    result = cli("verify", str(tmp_path), "--game", "tic_tac_toe", "--playouts", "8")
    assert result.returncode == 1
    assert "bad.py" in result.stdout and "summary" in result.stdout
    assert "1/2 programs score 1.0" in " ".join(result.stdout.split())


def test_verify_shows_a_counterexample_trace(tmp_path):
    broken = tmp_path / "broken.py"
    broken.write_text(TTT.read_text().replace('board = [list(cells) for cells in state["board"]]',
                                          'board = state["board"]'))
    result = cli("verify", str(broken), "--game", "tic_tac_toe", "--playouts", "8")
    assert result.returncode == 1
    out = " ".join(result.stdout.split())
    assert "dynamics.immutable_states" in out and "actions:" in out


def test_verify_mistakes_are_usage_errors_without_traceback(tmp_path):
    for args in (("verify", str(TTT), "--game", "tic_tac_to"),
                 ("verify", str(TTT)),
                 ("verify", str(tmp_path / "absent.py"), "--game", "tic_tac_toe"),
                 ("verify", str(TTT), "--game", "tic_tac_toe", "--set", "playout=3")):
        result = cli(*args)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr and "error:" in result.stderr


def test_doctor_reports_a_working_sandbox():
    result = cli("doctor", "--json")
    assert result.returncode == 0, result.stdout
    facts = json.loads(result.stdout)
    assert facts["sandbox"]["working"] is True
    assert "network_namespace" in facts["sandbox"]["isolation"]
    assert facts["extras"]["pyspiel"] in (True, False)
