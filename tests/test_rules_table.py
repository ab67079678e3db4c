"""Each rule at its edges (RULES.md §2), as tables."""

from fractions import Fraction

import pytest

from app.rules import (
    Ballot,
    BallotJudge,
    Candidate,
    Contest,
    RuleSettings,
    WriteIn,
    check_slate,
    count_ballots,
    decide,
    min_candidates,
    quorum_met,
    quorum_needed,
    size_warning,
)
from app.rules.rounds import round_valid
from app.rules.selection import Person, select
from app.rules.threshold import qualifies, threshold


# R1 quorum ------------------------------------------------------------------------------
@pytest.mark.parametrize("entitled, present, rule, met", [
    (120, 80, "at_least_two_thirds", True),     # exactly 2/3
    (120, 79, "at_least_two_thirds", False),
    (120, 80, "more_than_two_thirds", False),   # exactly 2/3 is not more
    (120, 81, "more_than_two_thirds", True),
    (100, 67, "at_least_two_thirds", True),     # 2/3 of 100 = 66.67
    (100, 66, "at_least_two_thirds", False),
    (120, 60, "more_than_half", False),
    (120, 61, "more_than_half", True),
    (1, 1, "at_least_two_thirds", True),
    (100, 80, "at_least_four_fifths", True),    # exactly 4/5
    (100, 79, "at_least_four_fifths", False),
    (100, 80, "more_than_four_fifths", False),  # exactly 4/5 is not more
    (100, 81, "more_than_four_fifths", True),
    (21, 17, "at_least_four_fifths", True),     # 4/5 of 21 = 16.8
    (21, 16, "at_least_four_fifths", False),
    (21, 17, "more_than_four_fifths", True),    # 17 > 16.8
    (21, 16, "more_than_four_fifths", False),
    (5, 4, "at_least_four_fifths", True),
    (5, 4, "more_than_four_fifths", False),
    (5, 5, "more_than_four_fifths", True),
    (1, 1, "more_than_four_fifths", True),
    (1, 0, "at_least_four_fifths", False),
])
def test_quorum_edges(entitled, present, rule, met):
    assert quorum_met(entitled, present, rule) is met
    needed = quorum_needed(entitled, rule)
    assert quorum_met(entitled, needed, rule) and not quorum_met(entitled, needed - 1, rule)


# R2 round validity ----------------------------------------------------------------------
@pytest.mark.parametrize("issued, returned, valid", [(50, 50, True), (50, 49, True), (50, 51, False)])
def test_round_valid_iff_returned_at_most_issued(issued, returned, valid):
    assert round_valid(issued, returned) is valid


# R4 threshold ---------------------------------------------------------------------------
@pytest.mark.parametrize("base, yes, ok", [(60, 30, False), (60, 31, True), (61, 30, False),
                                           (61, 31, True), (1, 1, True), (2, 1, False)])
def test_threshold_is_more_than_half(base, yes, ok):
    assert qualifies(yes, base) is ok
    assert (yes >= threshold(base)) is ok


# R7 slate -------------------------------------------------------------------------------
@pytest.mark.parametrize("seats, least", [(1, 2), (7, 8), (15, 16), (20, 21), (21, 23), (45, 48)])
def test_differential_slate_needs_five_percent_rounded_up(seats, least):
    assert min_candidates("differential", seats) == least
    assert check_slate("differential", seats, least).ok
    short = check_slate("differential", seats, least - 1)
    assert not short.ok and str(least) in short.problems[0] and str(least - 1) in short.problems[0]


def test_equal_slate_needs_exactly_as_many_candidates_as_seats():
    assert check_slate("equal", 3, 3).ok
    assert not check_slate("equal", 3, 4).ok
    assert not check_slate("equal", 3, 2).ok


def test_slate_rate_is_a_setting():
    assert min_candidates("differential", 15, 10) == 17  # 差额 10%: ceil(1.5) = 2


# R8 size --------------------------------------------------------------------------------
@pytest.mark.parametrize("members, seats, warns", [
    (24, 5, False), (24, 6, True), (24, 1, False), (25, 7, False), (25, 8, True), (200, 3, False),
    (201, 6, True), (1000, 15, False), (1001, 21, False), (5001, 20, True), (50001, 45, False),
    (None, 99, False)])
def test_committee_size_band_warns(members, seats, warns):
    assert (size_warning(members, seats) is not None) is warns


# R3 ballot validity ---------------------------------------------------------------------
def contest(seats=2, names=("周红", "吴刚", "郑和"), rules=None, **counts):
    defaults = {"entitled": 10, "present": 10, "ballots_issued": 10, "ballots_returned": 10}
    defaults.update(counts)
    return Contest(title="t", method="differential", seats=seats,
                   candidates=tuple(Candidate(f"c{i}", n) for i, n in enumerate(names, 1)),
                   rules=rules or RuleSettings(), **defaults)


def judge(ballot, **kwargs):
    return BallotJudge(contest(**kwargs)).judge(ballot)


def test_approving_exactly_the_seats_is_valid_and_one_more_is_not():
    assert judge(Ballot("a", {"c1": "yes", "c2": "yes"})).valid
    verdict = judge(Ballot("b", {"c1": "yes", "c2": "yes", "c3": "yes"}))
    assert not verdict.valid and verdict.reason == "overvote"


def test_blank_ballot_is_valid():
    verdict = judge(Ballot("a", {}))
    assert verdict.valid and verdict.approvals == 0


def test_disapprovals_do_not_count_toward_the_seat_limit():
    assert judge(Ballot("a", {"c1": "no", "c2": "no", "c3": "no"})).valid


def test_write_in_overvote_voids_the_ballot():
    verdict = judge(Ballot("a", {"c1": "yes", "c2": "yes"}, (WriteIn("赵六", "yes"),)))
    assert not verdict.valid and verdict.reason == "overvote" and verdict.approvals == 3


def test_write_in_without_yes_mark_counts_only_when_setting_allows():
    ballot = Ballot("a", {"c1": "yes", "c2": "yes"}, (WriteIn("赵六", "none"),))
    assert judge(ballot).valid and judge(ballot).write_ins == ()
    lenient = RuleSettings(write_in_needs_yes_mark=False)
    verdict = judge(ballot, rules=lenient)
    assert not verdict.valid and verdict.reason == "overvote"


def test_write_in_of_a_printed_name_is_that_candidate_once():
    ballot = Ballot("a", {"c1": "yes"}, (WriteIn("周 红", "yes"), WriteIn("周\u3000红", "yes")))
    verdict = judge(ballot)
    assert verdict.valid and verdict.yes == ("c1",) and verdict.write_ins == () and verdict.approvals == 1


def test_write_in_of_a_printed_name_overrides_a_no_mark():
    verdict = judge(Ballot("a", {"c1": "no"}, (WriteIn("周红", "yes"),)))
    assert verdict.yes == ("c1",) and verdict.no == ()


def test_write_in_matching_two_candidates_of_the_same_name_stays_a_write_in():
    verdict = judge(Ballot("a", {}, (WriteIn("张伟", "yes"),)), names=("张伟", "张伟", "郑和"))
    assert verdict.yes == () and verdict.write_ins == ("张伟",)


def test_unreadable_mark_voids_the_ballot_by_default():
    verdict = judge(Ballot("a", {"c1": "yes", "c2": "unreadable"}))
    assert not verdict.valid and verdict.reason == "unreadable"


def test_unreadable_mark_is_abstain_under_count_as_abstain():
    verdict = judge(Ballot("a", {"c1": "yes", "c2": "unreadable"}),
                    rules=RuleSettings(unreadable="count_as_abstain"))
    assert verdict.valid and verdict.yes == ("c1",) and verdict.no == ()


def test_declared_invalid_sheet_is_invalid_whatever_its_marks():
    verdict = judge(Ballot("a", {"c1": "yes"}, invalid=True))
    assert not verdict.valid and verdict.reason == "declared_invalid"


# R5 selection and ties ------------------------------------------------------------------
def person(ref, yes, no=0):
    return Person(ref, ref, False, yes, no, 0)


def test_tie_at_the_cut_off_goes_to_a_revote_for_the_remaining_seats():
    result = select([person("a", 30), person("b", 25), person("c", 25), person("d", 22)], 2)
    assert [p.ref for p in result.elected] == ["a"]
    assert {p.ref for p in result.tied} == {"b", "c"} and result.revote_seats == 1


def test_tie_above_the_cut_off_is_no_tie():
    result = select([person("a", 30), person("b", 30), person("c", 25)], 2)
    assert {p.ref for p in result.elected} == {"a", "b"} and not result.tied


def test_tie_below_the_cut_off_is_no_tie():
    result = select([person("a", 30), person("b", 28), person("c", 25), person("d", 25)], 2)
    assert {p.ref for p in result.elected} == {"a", "b"} and not result.tied


def test_three_way_tie_for_two_seats():
    result = select([person("a", 25), person("b", 25), person("c", 25)], 2)
    assert result.elected == [] and len(result.tied) == 3 and result.revote_seats == 2


def test_fewest_no_breaks_a_tie_and_a_tie_in_no_still_goes_to_revote():
    broken = select([person("a", 30), person("b", 25, no=3), person("c", 25, no=5)], 2, "fewest_no")
    assert {p.ref for p in broken.elected} == {"a", "b"} and not broken.tied
    still = select([person("a", 30), person("b", 25, no=3), person("c", 25, no=3)], 2, "fewest_no")
    assert {p.ref for p in still.elected} == {"a"} and len(still.tied) == 2 and still.revote_seats == 1


def test_fewer_qualifiers_than_seats_is_a_shortfall():
    result = select([person("a", 30)], 3)
    assert [p.ref for p in result.elected] == ["a"] and result.open_seats == 2


# Whole rounds ---------------------------------------------------------------------------
def run(ballots, **kwargs):
    c = contest(**kwargs)
    return decide(c, count_ballots(c, ballots))


def test_threshold_at_exactly_half_of_entitled_does_not_qualify():
    # E = 10: 5 yes is exactly half, not more than half.
    ballots = [Ballot(f"b{i}", {"c1": "yes"} if i < 5 else {}) for i in range(10)]
    result = run(ballots)
    row = next(r for r in result["tally"] if r["ref"] == "c1")
    assert result["threshold"] == 6 and row["yes"] == 5 and not row["qualified"]
    assert result["outcome"] == "shortfall" and result["open_seats"] == 2


@pytest.mark.parametrize("base, expected", [("entitled", 11), ("present", 9), ("returned_ballots", 8),
                                             ("valid_ballots", 7)])
def test_threshold_base_setting(base, expected):
    ballots = [Ballot(f"b{i}", {}) for i in range(12)]
    ballots += [Ballot(f"v{i}", {}, invalid=True) for i in range(2)]
    result = run(ballots, rules=RuleSettings(threshold_base=base), entitled=20, present=16,
                 ballots_issued=16, ballots_returned=14)
    assert result["ballots"] == {"recorded": 14, "valid": 12, "invalid": 2}
    assert result["threshold"] == expected


def test_no_quorum_elects_nobody_but_reports_the_tally():
    result = run([Ballot("a", {"c1": "yes"})], entitled=10, present=6, ballots_issued=6,
                 ballots_returned=1)
    assert result["outcome"] == "no_quorum" and result["elected"] == []
    assert sum(row["yes"] for row in result["tally"]) == 1


def test_more_returned_than_issued_voids_the_round():
    ballots = [Ballot(f"b{i}", {"c1": "yes"}) for i in range(11)]
    result = run(ballots, ballots_issued=10, ballots_returned=11)
    assert result["outcome"] == "void" and result["elected"] == [] and not result["round_valid"]


def test_incomplete_count_elects_nobody():
    result = run([Ballot("a", {"c1": "yes"})])
    assert result["outcome"] == "incomplete" and not result["counting_complete"]
    assert result["elected"] == []


def test_write_in_can_win_and_is_listed_after_printed_candidates():
    ballots = [Ballot(f"b{i}", {"c1": "yes"}, (WriteIn("赵六", "yes"),)) for i in range(8)]
    ballots += [Ballot(f"n{i}", {}) for i in range(2)]
    result = run(ballots)
    assert result["outcome"] == "decided"
    assert [p["name"] for p in result["elected"]] == ["周红", "赵六"]
    assert result["tally"][-1] == {"ref": None, "name": "赵六", "write_in": True, "yes": 8, "no": 0,
                                   "abstain": 0, "qualified": True, "status": "elected"}


def test_two_candidates_with_the_same_name_are_counted_apart():
    c = Contest(title="t", method="differential", seats=1, entitled=10, present=10,
                ballots_issued=10, ballots_returned=10,
                candidates=(Candidate("c1", "张伟", "财务部"), Candidate("c2", "张伟", "办公室")))
    ballots = [Ballot(f"b{i}", {"c1": "yes"} if i < 7 else {"c2": "yes"}) for i in range(10)]
    result = decide(c, count_ballots(c, ballots))
    assert [(r["ref"], r["yes"]) for r in result["tally"]] == [("c2", 3), ("c1", 7)]  # 办公室 < 财务部
    assert result["elected"] == [{"ref": "c1", "name": "张伟"}]


def test_unreadable_settings_change_the_result():
    ballots = [Ballot(f"b{i}", {"c1": "yes"}) for i in range(5)]
    ballots += [Ballot("u", {"c1": "yes", "c2": "unreadable"})]
    ballots += [Ballot(f"n{i}", {}) for i in range(4)]
    strict = run(ballots)
    lenient = run(ballots, rules=RuleSettings(unreadable="count_as_abstain"))
    yes_for_zhou = {name: next(r["yes"] for r in res["tally"] if r["ref"] == "c1")
                    for name, res in (("strict", strict), ("lenient", lenient))}
    assert strict["ballots"]["invalid"] == 1 and yes_for_zhou["strict"] == 5
    assert lenient["ballots"]["invalid"] == 0 and yes_for_zhou["lenient"] == 6


# Explanations ---------------------------------------------------------------------------
def test_every_status_has_an_explanation_citing_its_rule():
    from app.rules.explain import explain

    ballots = [Ballot(f"b{i}", {"c1": "yes", "c2": "yes"}) for i in range(6)]
    ballots += [Ballot(f"d{i}", {"c1": "yes", "c3": "yes"}) for i in range(2)]
    ballots += [Ballot(f"n{i}", {}) for i in range(2)]
    result = run(ballots)  # E = 10: threshold 6; 周红 8, 吴刚 6, 郑和 2
    rows = {row["name"]: row for row in result["tally"]}
    assert result["outcome"] == "decided"
    assert "R5" in explain(result, rows["周红"], 10) and "当选" in explain(result, rows["周红"], 10)
    low = explain(result, rows["郑和"], 10)
    assert "R4" in low and "2 票" in low and "6 票" in low
    tie = run([Ballot(f"b{i}", {"c1": "yes", "c2": "yes"}) for i in range(4)]
              + [Ballot(f"c{i}", {"c1": "yes", "c3": "yes"}) for i in range(4)]
              + [Ballot(f"d{i}", {"c2": "yes", "c3": "yes"}) for i in range(2)])  # 8, 6, 6
    tie_rows = {row["name"]: row for row in tie["tally"]}
    assert tie["outcome"] == "revote" and "再次投票" in explain(tie, tie_rows["吴刚"], 10)


@pytest.mark.parametrize("rule, fraction, strict", [
    ("at_least_two_thirds", Fraction(2, 3), False), ("more_than_two_thirds", Fraction(2, 3), True),
    ("more_than_half", Fraction(1, 2), True),
    ("at_least_four_fifths", Fraction(4, 5), False), ("more_than_four_fifths", Fraction(4, 5), True),
])
def test_quorum_against_exact_fractions_around_every_boundary(rule, fraction, strict):
    # R1 with 民法典 1259: "以上" includes the number itself, "超过" does not.
    for entitled in range(1, 301):
        for present in range(entitled + 1):
            share = Fraction(present, entitled)
            assert quorum_met(entitled, present, rule) is (share > fraction if strict else share >= fraction)
        needed = quorum_needed(entitled, rule)
        assert quorum_met(entitled, needed, rule) and not quorum_met(entitled, needed - 1, rule)
