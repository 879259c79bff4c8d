"""Verdicts are reproducible: the same program gives the same report every time, and a
comment, a docstring or a new layout re-rolls nothing (seeds come from the normalised
syntax tree). The program's own ``random`` and its set orders are seeded too, and the
verifier's threads share no random state."""

from __future__ import annotations

import random
import threading
from pathlib import Path

import pytest

from cwmkit.core.plugins import get_host
from cwmkit.verify.settings import VerifySettings
from cwmkit.verify.verifier import Verifier, normalised_hash

GAMES = Path(__file__).resolve().parents[1] / "plugins" / "games"
TTT = (GAMES / "tic_tac_toe" / "reference.py").read_text()

#: A program whose verdict depends on its own randomness and on the order of a set of
#: strings: both must repeat. It lists the legal actions in a shuffled order, drawn from
#: its own ``random`` (a fresh generator and the module's), and pays a random draw.
RANDOM_PROGRAM = TTT + '''

import random as _random

_legal_actions = get_legal_actions
_rewards_of = get_rewards
_own = _random.Random()


def get_legal_actions(state):
    actions = list(set(_legal_actions(state)))
    _own.shuffle(actions)
    if _random.random() < 0.1:
        actions.reverse()
    return actions


def get_rewards(state):
    rewards = _rewards_of(state)
    return [r * 2 for r in rewards] if _random.random() < 0.3 else rewards
'''

#: The same program with comments, docstrings, blank lines and another layout.
RESTYLED = "# a comment at the top\n" + \
    RANDOM_PROGRAM.replace('"""Tic-tac-toe as', '"""Another docstring: tic-tac-toe as', 1) \
    .replace("def get_rewards(state):\n",
                           "def get_rewards(state):  # a comment\n"
                           "    \"\"\"Pays, sometimes double.\"\"\"\n\n") \
    .replace("actions.reverse()", "actions.reverse()   # reversed\n")

SETTINGS = VerifySettings(playouts=24, differential_trajectories=12)


def comparable(report) -> dict:
    """A report without what may differ between identical runs: the CPU it took and the
    hash of the program's raw text."""
    data = report.to_dict()
    data.pop("cpu_seconds", None)
    data.pop("program_sha256", None)
    return data


def test_normalised_hash_ignores_comments_docstrings_and_layout():
    assert normalised_hash(RANDOM_PROGRAM) == normalised_hash(RESTYLED)
    assert normalised_hash(RANDOM_PROGRAM) != normalised_hash(RANDOM_PROGRAM + "\nX = 1\n")
    assert normalised_hash("def f(:\n") == normalised_hash("def f(:\n")


def test_the_same_program_five_times_and_restyled_gives_identical_reports():
    reports = []
    for source in [RANDOM_PROGRAM] * 5 + [RESTYLED]:
        with Verifier(SETTINGS) as verifier:  # a fresh sandbox every time
            reports.append(verifier.verify(source, game="tic_tac_toe"))
    first = comparable(reports[0])
    assert reports[0].status == "ok" and reports[0].score < 1.0  # its randomness shows
    for report in reports[1:]:
        assert comparable(report) == first


def test_reports_do_not_depend_on_workers_or_order():
    sources = [RANDOM_PROGRAM, TTT, RESTYLED]
    with Verifier(SETTINGS.evolve(workers=1)) as verifier:
        one = [comparable(verifier.verify(s, game="tic_tac_toe")) for s in sources]
    with Verifier(SETTINGS.evolve(workers=2)) as verifier:
        many = [comparable(r) for r in verifier.verify_many(sources[::-1],
                                                            game="tic_tac_toe")][::-1]
    assert one == many


def test_the_privacy_tier_leaves_the_global_random_alone_across_threads():
    from cwmkit_plugins.checks.privacy import SeededReference

    reference = get_host().get("games", "kuhn_poker").reference()
    view = [({"my_card": "K", "betting": []}, "Call")]

    def draws(seeded: SeededReference, seed: int) -> list:
        seeded.seed(seed)
        return [seeded.resample_history(list(view), 0) for _ in range(50)]

    expected = draws(SeededReference(reference), 11)
    assert len({tuple(d) for d in expected}) > 1  # it samples
    results, stop = [], threading.Event()

    def meddle():
        while not stop.is_set():
            random.seed(0)

    def worker():
        results.append(draws(SeededReference(reference), 11))

    meddler = threading.Thread(target=meddle)
    meddler.start()
    try:
        workers = [threading.Thread(target=worker) for _ in range(4)]
        for t in workers:
            t.start()
        for t in workers:
            t.join()
    finally:
        stop.set()
        meddler.join()
    assert results == [expected] * 4
    random.seed(5)
    state = random.getstate()
    SeededReference(reference).resample_history(list(view), 0)
    assert random.getstate() == state


@pytest.mark.parametrize("game", ["kuhn_poker"])
def test_an_imperfect_information_reference_verifies_identically_twice(game):
    source = get_host().get("games", game).reference_source
    runs = []
    for _ in range(2):
        with Verifier(VerifySettings(playouts=16)) as verifier:
            runs.append(comparable(verifier.verify(source, game=game)))
    assert runs[0] == runs[1]
