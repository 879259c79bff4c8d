"""The facts sheet's Liar's Dice strings, played through the reference."""

from tests.study.play import play

ROLLS = [f"roll:{face}" for face in range(1, 7)]
DICE = ["roll:3", "roll:1", "roll:4", "roll:2", "roll:2", "roll:6"]  # 3 1 4 | 2 2 6


def test_six_roll_nodes_then_player_0_opens():
    for n in range(6):
        module, state = play("liars_dice", DICE[:n])
        assert module.get_current_player(state) == -1
        assert sorted(module.get_legal_actions(state)) == ROLLS
    module, state = play("liars_dice", DICE)
    assert module.get_current_player(state) == 0
    legal = module.get_legal_actions(state)
    assert len(legal) == 36 and "liar" not in legal
    assert {"bid:1:1", "bid:4:2", "bid:6:6"} <= set(legal)


def test_liar_is_listed_first_once_a_bid_exists():
    module, state = play("liars_dice", DICE + ["bid:4:2"])
    assert module.get_current_player(state) == 1
    legal = module.get_legal_actions(state)
    assert legal[0] == "liar"
    assert set(legal[1:]) == {f"bid:4:{f}" for f in (3, 4, 5, 6)} | {
        f"bid:{q}:{f}" for q in (5, 6) for f in range(1, 7)}
    module, state = play("liars_dice", DICE + ["bid:6:6"])
    assert module.get_legal_actions(state) == ["liar"]


def test_ones_are_wild_except_for_bids_on_ones():
    # Dice 3 1 4 2 2 6: two 2s plus one 1 make three 2s; a single 1.
    cases = {
        "bid:3:2": [1, -1],   # exactly three: the bidder (player 0) wins
        "bid:4:2": [-1, 1],   # one short: the caller wins
        "bid:2:6": [1, -1],   # a 6 and the 1
        "bid:1:1": [1, -1],   # one 1
        "bid:2:1": [-1, 1],   # 1s count only themselves
    }
    for bid, payoffs in cases.items():
        module, state = play("liars_dice", DICE + [bid])
        assert module.get_rewards(state) == [0, 0]
        module, state = play("liars_dice", DICE + [bid, "liar"])
        assert module.get_current_player(state) == -4
        assert module.get_legal_actions(state) == []
        assert module.get_rewards(state) == payoffs, bid


def test_player_1_as_the_bidder():
    module, state = play("liars_dice", DICE + ["bid:1:5", "bid:3:2", "liar"])
    assert module.get_rewards(state) == [-1, 1]
    module, state = play("liars_dice", DICE + ["bid:1:5", "bid:3:3", "liar"])
    assert module.get_rewards(state) == [1, -1]


def test_observations_hide_the_opponents_dice_even_at_the_end():
    end = ["bid:3:2", "liar"]
    module, state = play("liars_dice", DICE + end)
    _, other = play("liars_dice", DICE[:3] + ["roll:5"] * 3 + end)
    mine, theirs = module.get_observations(state), module.get_observations(other)
    assert mine[0] == theirs[0]
    assert mine[1] != theirs[1]
    assert sorted(mine[0]["my_dice"]) == [1, 3, 4]
    assert mine[0]["calls"] == end
