"""Property tests on random contests (hypothesis): the rules keep their promises."""

from __future__ import annotations

import json
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.record import dump_record, parse_record, recount
from app.rules import (
    Ballot,
    BallotJudge,
    Candidate,
    Contest,
    RuleSettings,
    Tally,
    WriteIn,
    conservation_problems,
    count_ballots,
    decide,
)

NAMES = ["周红", "吴刚", "郑和", "王芳", "李娜", "张伟", "张伟", "孔明", "于洋", "万里"]
MARK = st.sampled_from(["yes", "yes", "no", "abstain", "unreadable", None])
FAST = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@st.composite
def contests(draw) -> tuple[Contest, list[Ballot]]:
    seats = draw(st.integers(1, 4))
    count = draw(st.integers(seats + 1, min(seats + 4, len(NAMES))))
    candidates = tuple(Candidate(f"c{i}", NAMES[i], f"n{i}") for i in range(count))
    n_ballots = draw(st.integers(0, 40))
    ballots = []
    for index in range(n_ballots):
        marks = {c.ref: m for c in candidates if (m := draw(MARK)) is not None}
        write_ins = tuple(
            WriteIn(draw(st.sampled_from(["赵六", "周红", "钱七", " 赵 六"])),
                    draw(st.sampled_from(["yes", "none"])))
            for _ in range(draw(st.integers(0, 1))))
        ballots.append(Ballot(f"B{index:04d}", marks, write_ins, draw(st.booleans()) and index % 7 == 0))
    entitled = draw(st.integers(max(1, n_ballots // 2), n_ballots + 20))
    present = draw(st.integers(0, entitled))
    issued = draw(st.integers(0, present + 2))
    returned = draw(st.sampled_from([n_ballots, n_ballots, issued, n_ballots + 1]))
    rules = RuleSettings(
        quorum=draw(st.sampled_from(["at_least_two_thirds", "more_than_two_thirds", "more_than_half",
                                                  "at_least_four_fifths", "more_than_four_fifths"])),
        threshold_base=draw(st.sampled_from(["entitled", "present", "returned_ballots", "valid_ballots"])),
        tie_break=draw(st.sampled_from(["revote", "fewest_no"])),
        unreadable=draw(st.sampled_from(["void_ballot", "count_as_abstain"])),
        write_in_needs_yes_mark=draw(st.booleans()))
    contest = Contest("t", "differential", seats, candidates, entitled, present, issued, returned,
                      rules=rules)
    return contest, ballots


@FAST
@given(contests())
def test_conservation_checks_always_hold(case):
    contest, ballots = case
    result = decide(contest, count_ballots(contest, ballots))
    assert conservation_problems(contest, result) == []
    assert result["ballots"]["recorded"] == len(ballots)


@FAST
@given(contests(), st.randoms(use_true_random=False))
def test_permuting_the_ballots_never_changes_the_result(case, rng):
    contest, ballots = case
    shuffled = list(ballots)
    rng.shuffle(shuffled)
    original = decide(contest, count_ballots(contest, ballots))
    assert decide(contest, count_ballots(contest, shuffled)) == original


@FAST
@given(contests())
def test_a_ballots_validity_depends_only_on_its_own_marks(case):
    contest, ballots = case
    judge = BallotJudge(contest)
    for ballot in ballots:
        alone = count_ballots(contest, [ballot])
        assert (alone.valid == 1) is judge.judge(ballot).valid
    # …and the verdict does not change with the company it keeps
    together = count_ballots(contest, ballots)
    assert together.valid == sum(judge.judge(b).valid for b in ballots)


@FAST
@given(contests())
def test_fast_path_tally_equals_judging_every_ballot(case):
    contest, ballots = case
    judge = BallotJudge(contest)
    slow = Tally()
    for ballot in ballots:
        slow.add(judge.judge(ballot))
    fast = count_ballots(contest, ballots)
    assert fast.as_dict() == slow.as_dict()
    assert decide(contest, fast) == decide(contest, slow)


@FAST
@given(contests())
def test_adding_and_removing_a_ballot_restores_the_tally(case):
    contest, ballots = case
    judge = BallotJudge(contest)
    tally = count_ballots(contest, ballots)
    before = decide(contest, tally)
    extra = judge.judge(Ballot("EXTRA", {contest.candidates[0].ref: "yes"}))
    tally.add(extra)
    tally.remove(extra)
    assert decide(contest, tally) == before


@FAST
@given(contests(), st.integers(0, 10_000))
def test_raising_one_candidates_yes_never_unelects_them(case, seed):
    contest, ballots = case
    before = decide(contest, count_ballots(contest, ballots))
    elected = [row["ref"] for row in before["tally"] if row["status"] == "elected" and row["ref"]]
    if not elected:
        return
    rng = random.Random(seed)
    ref = rng.choice(elected)
    judge = BallotJudge(contest)
    # Turn one valid ballot's abstain/no for `ref` into a yes, keeping the ballot valid.
    for index, ballot in enumerate(ballots):
        verdict = judge.judge(ballot)
        if (verdict.valid and not ballot.write_ins and ballot.marks.get(ref) in (None, "no", "abstain")
                and verdict.approvals < contest.seats and "unreadable" not in ballot.marks.values()):
            raised = Ballot(ballot.id, {**ballot.marks, ref: "yes"})
            after = decide(contest, count_ballots(contest, ballots[:index] + [raised] + ballots[index + 1:]))
            status = next(row["status"] for row in after["tally"] if row["ref"] == ref)
            assert status == "elected", (ref, before, after)
            return


@FAST
@given(contests())
def test_export_then_recount_gives_the_same_result(case):
    contest, ballots = case
    record = json.dumps(dump_record(contest, ballots), ensure_ascii=False)
    again_contest, again_ballots = parse_record(record)
    assert recount(again_contest, again_ballots) == recount(contest, ballots)
