"""Helpers for the board and document tests (no tests here): a hall-sized congress whose
counts run to three digits, with long names, a write-in, a 60-candidate contest still
being counted and a sealed round — everything the hall's board and the official
documents must show without a figure cut off or covered."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlite_utils import Database

from app.ballots.plausibility import require_plausible
from app.congress.rounds import open_round
from app.congress.setup import (
    NewPerson,
    add_official,
    add_people,
    check_in,
    create_congress,
    create_contest,
)
from app.counting.record import Teller, record
from app.results.sealing import seal
from app.store import write_transaction
from tests.test_results_support import OFFICIALS, SIGNATURES, print_serials

ENTITLED, PRESENT, ISSUED = 480, 462, 465
# Three more issued than present: acknowledged with a reason, as the secretariat would (issue 16).
OVER_PRESENT_REASON = "三张选票污损后补发，污损选票已收回"
COMMITTEE = ["王建国", "欧阳明华", "李丽", "阿依古丽·买买提明", "张伟", "司马相如意", "万丽", "陈思远"]
WOMEN = ("李丽", "万丽", "阿依古丽·买买提明")
WRITE_IN = "诸葛孔明亮"
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章"


@dataclass
class HallCongress:
    congress_id: int
    committee_round: int
    many_round: int
    chair_round: int
    # What was recorded, per round: {name: {"yes": n, "no": n, "abstain": n}}
    expected: dict[int, dict[str, dict[str, int]]] = field(default_factory=dict)
    invalid: dict[int, int] = field(default_factory=dict)


def _round_of(db: Database, contest_id: int) -> int:
    return db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1", [contest_id]).fetchone()[0]


def _refs(db: Database, round_id: int) -> dict[str, str]:
    return {row[0]: row[1] for row in db.execute(
        "SELECT c.ref, c.name FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ?", [round_id])}


def build_hall(db: Database, key: str, *, seal_chair: bool = True) -> HallCongress:
    """480 entitled, 462 present. 委员会 (差额 7 of 8): 462 ballots returned and counted,
    every count three digits; 经审委 (等额, 60 candidates): five ballots so far, R not
    entered; 主席: counted and (with `seal_chair`) sealed."""
    congress_id = create_congress(db, name="青石市机械制造行业工会第十二次会员代表大会",
                                  kind="renewal", assembly="delegates", members=3200, actor="test")
    people = add_people(db, congress_id, [
        NewPerson(name=f"代表{i:03d}", unit=f"第{i % 7 + 1}车间工会", gender="女" if i % 3 else "男")
        for i in range(ENTITLED - len(COMMITTEE))] + [
        NewPerson(name=name, unit="机关工会", gender="女" if name in WOMEN else "男")
        for name in COMMITTEE], "test")
    for person_id in people[:PRESENT]:
        check_in(db, person_id, "test")
    committee = create_contest(db, congress_id, title="第十二届工会委员会委员", office="committee",
                               method="differential", seats=7,
                               candidates=[(name, "") for name in COMMITTEE], actor="test", position=1)
    many_names = [SURNAMES[i % 40] + "东西"[i // 40] + "一二三四五六七八九十"[i % 10]
                  + ("华" if i % 4 else "") for i in range(60)]
    many = create_contest(db, congress_id, title="第十二届经费审查委员会委员（扩大）",
                          office="audit_committee",
                          method="equal", seats=60, candidates=[(n, "") for n in many_names],
                          actor="test", position=2)
    chair = create_contest(db, congress_id, title="工会主席", office="chair", method="equal", seats=1,
                           candidates=[("王建国", "")], actor="test", position=3)
    for contest_id in (committee, many, chair):
        for name, role in OFFICIALS:
            add_official(db, contest_id, name, role, "test")
    hall = HallCongress(congress_id, _round_of(db, committee), _round_of(db, many), _round_of(db, chair))
    teller = Teller(None, "teller:test")

    # 委员会: 250 ballots for the first seven, 100 for 陈思远 alone, 100 abstaining on all
    # with a write-in, 12 invalid: 462 returned.
    round_id = hall.committee_round
    open_round(db, round_id, "test")
    refs = _refs(db, round_id)
    serials = iter(print_serials(db, round_id, ISSUED))
    expected = {name: {"yes": 0, "no": 0, "abstain": 0} for name in COMMITTEE}
    expected[WRITE_IN] = {"yes": 0, "no": 0, "abstain": 0}
    plan: list[tuple[dict[str, str], list[dict[str, str]], bool]] = []
    plan += [({ref: "yes" if name != "陈思远" else "no" for ref, name in refs.items()}, [], False)] * 250
    plan += [({ref: "yes" if name == "陈思远" else "no" for ref, name in refs.items()}, [], False)] * 100
    plan += [({ref: "abstain" for ref in refs}, [{"name": WRITE_IN, "mark": "yes"}], False)] * 100
    plan += [({}, [], True)] * 12
    with write_transaction(db):
        for marks, write_ins, invalid in plan:
            record(db, round_id, next(serials), marks, write_ins, invalid, "撕破" if invalid else None,
                   teller, ballot_key=key)
            if invalid:
                continue
            for ref, mark in marks.items():
                expected[refs[ref]][mark] += 1
            for write_in in write_ins:
                expected[write_in["name"]]["yes"] += 1
        db.execute("UPDATE round SET ballots_issued = ?, ballots_returned = ? WHERE id = ?",
                   [ISSUED, len(plan), round_id])
        require_plausible(db, round_id, ISSUED, PRESENT, OVER_PRESENT_REASON, "test")  # I > P
    hall.expected[round_id] = expected
    hall.invalid[round_id] = 12

    # 经审委: five ballots so far, every one approving all 60; R not yet entered.
    round_id = hall.many_round
    open_round(db, round_id, "test")
    refs = _refs(db, round_id)
    serials = iter(print_serials(db, round_id, 10))
    with write_transaction(db):
        for _ in range(5):
            record(db, round_id, next(serials), {ref: "yes" for ref in refs}, [], False, None,
                   teller, ballot_key=key)
    hall.expected[round_id] = {name: {"yes": 5, "no": 0, "abstain": 0} for name in refs.values()}
    hall.invalid[round_id] = 0

    # 主席: 300 for, 102 against, 60 abstaining; sealed.
    round_id = hall.chair_round
    open_round(db, round_id, "test")
    refs = _refs(db, round_id)
    (ref,) = refs
    serials = iter(print_serials(db, round_id, ISSUED))
    with write_transaction(db):
        for mark in ["yes"] * 300 + ["no"] * 102 + ["abstain"] * 60:
            record(db, round_id, next(serials), {ref: mark}, [], False, None, teller, ballot_key=key)
        db.execute("UPDATE round SET ballots_issued = ?, ballots_returned = ? WHERE id = ?",
                   [ISSUED, PRESENT, round_id])
        require_plausible(db, round_id, ISSUED, PRESENT, OVER_PRESENT_REASON, "test")  # I > P
    hall.expected[round_id] = {"王建国": {"yes": 300, "no": 102, "abstain": 60}}
    hall.invalid[round_id] = 0
    if seal_chair:
        seal(db, round_id, SIGNATURES, "test")
    return hall
