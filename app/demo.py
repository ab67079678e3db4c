"""A realistic demo congress: a 镇总工会 换届 (end-of-term) delegates' congress.

About 120 entitled delegates (plus a few 保留会籍 members with no vote), attendance
taken, and three contests: 委员会委员 (差额), 经费审查委员会委员 (等额) and 主席 (等额),
with scrutineers, tellers and sign-in accounts for each role.

`add_demo_plenary` (`flask --app app demo --plenary`) goes on to the second half of the
day (R13): the committee is elected and sealed, and its first plenary is started.

No known password: each account gets a random one (`flask --app app demo` shows them once
and keeps them in the instance folder, readable by its owner only). The test suite alone
sets `UNION_DEMO_PASSWORD` to give every demo account its own per-run password.
"""

from __future__ import annotations

import os
import random
from collections.abc import Mapping
from typing import Any

from sqlite_utils import Database

from .congress.officials import appoint_person
from .congress.rounds import open_round
from .congress.setup import (
    NewPerson,
    add_people,
    check_in,
    create_congress,
    create_contest,
    create_user,
)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉梅文斌辉鹏飞晨雪"
    "琳婷宇浩宁波春燕海峰云龙丹丽萍凤英德胜新民学庆永安小东"
)
UNITS = ["镇政府机关工会", "镇中心小学工会", "镇卫生院工会", "镇农业服务中心工会", "东湖村工会",
         "西岭村工会", "南坪社区工会", "北山社区工会", "宏达机械有限公司工会", "绿源食品有限公司工会",
         "永兴建材有限公司工会", "镇供电所工会"]

DEMO_USERNAMES = ("admin", "chief", "scrutineer", "teller1", "teller2", "teller3")
TEST_PASSWORD_VARIABLE = "UNION_DEMO_PASSWORD"  # set by tests/conftest.py only


def demo_passwords() -> dict[str, str]:
    """Each demo account's password: random ones, or the tests' one from the environment."""
    from .security.passwords import random_password

    shared = os.environ.get(TEST_PASSWORD_VARIABLE)
    return {name: shared or random_password() for name in DEMO_USERNAMES}


def _names(rng: random.Random, count: int) -> list[str]:
    names: list[str] = []
    while len(names) < count:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2))))
        if name not in names:
            names.append(name)
    return names


def create_demo(db: Database, seed: int = 2026,
                passwords: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Build the demo congress and return the ids it created (never the passwords: with
    no `passwords` given, see demo_passwords)."""
    passwords = passwords or demo_passwords()
    rng = random.Random(seed)
    actor = "demo"
    congress_id = create_congress(db, name="青石镇总工会第五次会员代表大会", kind="renewal",
                                  assembly="delegates", members=860, actor=actor)
    names = _names(rng, 126)
    people = [NewPerson(name=name, unit=rng.choice(UNITS), gender=rng.choice("男女"),
                        entitled=index < 120, note="" if index < 120 else "保留会籍（退休）")
              for index, name in enumerate(names)]
    person_ids = add_people(db, congress_id, people, actor)
    present = [pid for pid in person_ids[:120] if rng.random() < 0.9]
    for pid in present:
        check_in(db, pid, actor)

    candidates = names[:10]  # the first ten delegates stand for the committee
    committee = create_contest(db, congress_id, title="第五届工会委员会委员", office="committee",
                               method="differential", seats=9,
                               candidates=[(name, "") for name in candidates], actor=actor, position=1)
    audit = create_contest(db, congress_id, title="第五届经费审查委员会委员", office="audit_committee",
                           method="equal", seats=3,
                           candidates=[(name, "") for name in names[10:13]], actor=actor, position=2)
    chair = create_contest(db, congress_id, title="工会主席", office="chair", method="equal", seats=1,
                           candidates=[(candidates[0], "")], actor=actor, position=3)

    officials = names[20:26]
    users = {
        "admin": create_user(db, username="admin", display_name="秘书处", password=passwords["admin"],
                             role="admin", actor=actor),
        "chief": create_user(db, username="chief", display_name=officials[0],
                             password=passwords["chief"],
                             role="chief_scrutineer", actor=actor),
        "scrutineer": create_user(db, username="scrutineer", display_name=officials[1],
                                  password=passwords["scrutineer"], role="scrutineer", actor=actor),
    }
    for number in range(1, 4):
        users[f"teller{number}"] = create_user(
            db, username=f"teller{number}", display_name=officials[1 + number],
            password=passwords[f"teller{number}"], role="teller", actor=actor)
    official_ids = person_ids[20:26]  # officials are people of the roster (R12)
    for contest_id in (committee, audit, chair):
        appoint_person(db, contest_id, "chief_scrutineer", actor, person_id=official_ids[0],
                       user_id=users["chief"])
        appoint_person(db, contest_id, "scrutineer", actor, person_id=official_ids[1],
                       user_id=users["scrutineer"])
        for number in range(1, 4):
            appoint_person(db, contest_id, "teller", actor, person_id=official_ids[1 + number],
                           user_id=users[f"teller{number}"])
    return {
        "congress_id": congress_id,
        "contest_ids": {"committee": committee, "audit_committee": audit, "chair": chair},
        "entitled": 120,
        "present": len(present),
        "user_ids": users,
    }


def run_demo_contest(db: Database, contest_id: int, signers: list[tuple[str, str]], actor: str,
                     ballot_key: str, seed: int = 2026) -> int:
    """Hold round 1 of a demo contest from start to seal through the services a congress
    uses (open, issue ballots, record each ballot as a teller, I and R, sign and seal):
    each voter present approves all but one candidate, so that the candidate listed last
    falls short and the rest are elected. Returns the round's id."""
    from .ballots.issue import issue_serials, set_issued, set_returned
    from .congress.rounds import open_round
    from .counting.record import Teller, record
    from .results.sealing import seal

    rng = random.Random(seed)
    round_id = db.execute("SELECT id FROM round WHERE contest_id = ? AND number = 1",
                          [contest_id]).fetchone()[0]
    if db.execute("SELECT state FROM round WHERE id = ?", [round_id]).fetchone()[0] == "draft":
        open_round(db, round_id, actor)  # the demo opens every round 1 already
    present = db.execute("SELECT present FROM round WHERE id = ?", [round_id]).fetchone()[0]
    refs = [row[0] for row in db.execute(
        "SELECT c.ref FROM round_candidate rc JOIN candidate c ON c.id = rc.candidate_id"
        " WHERE rc.round_id = ? ORDER BY c.id", [round_id])]
    seats = db.execute("SELECT seats FROM round WHERE id = ?", [round_id]).fetchone()[0]
    serials = issue_serials(db, round_id, present, actor).serials
    for serial in serials:
        # Most approve the first S candidates; some swap one of them for the last.
        approve = set(refs[:seats])
        if len(refs) > seats and rng.random() < 0.2:
            approve.discard(rng.choice(refs[:seats]))
            approve.add(refs[-1])
        marks = {ref: "yes" if ref in approve else rng.choice(("no", "abstain")) for ref in refs}
        record(db, round_id, serial, marks, [], False, None, Teller(None, actor), ballot_key=ballot_key)
    set_issued(db, round_id, len(serials), actor)
    set_returned(db, round_id, len(serials), actor)
    seal(db, round_id, [{"name": name, "role": role} for name, role in signers], actor)
    return round_id


def add_demo_plenary(db: Database, ids: dict[str, Any], ballot_key: str,
                     seed: int = 2026) -> dict[str, Any]:
    """R13 in the demo: the committee contest is held and sealed, and the new committee's
    first plenary is started with its roster (the nine elected), attendance taken, and a
    standing-committee contest (差额) with officials from among its members, in draft.
    (The demo congress elects its chair itself, so the plenary does not.)"""
    from .congress.plenary import start_plenary

    rng = random.Random(seed)
    actor = "demo"
    signers = [(row["name"], row["role"]) for row in db.execute(
        "SELECT name, role FROM contest_official WHERE contest_id = ? ORDER BY id",
        [ids["contest_ids"]["committee"]])]
    committee_round = run_demo_contest(db, ids["contest_ids"]["committee"], signers, actor,
                                       ballot_key, seed)
    plenary_id = start_plenary(db, ids["contest_ids"]["committee"], actor)
    members = [(row["id"], row["name"]) for row in db.execute(
        "SELECT id, name FROM person WHERE congress_id = ? ORDER BY id", [plenary_id])]
    absent = rng.choice(members)[0]
    for person_id, _name in members:
        if person_id != absent:
            check_in(db, person_id, actor)
    names = [name for _id, name in members]
    standing = create_contest(db, plenary_id, title="第五届工会委员会常务委员会委员",
                              office="standing_committee", method="differential", seats=3,
                              candidates=[(name, "") for name in names[:4]], actor=actor, position=1)
    for name, role in zip(names[4:7], ("chief_scrutineer", "scrutineer", "teller"), strict=True):
        appoint_person(db, standing, role, actor, name=name)
    return {**ids, "committee_round_id": committee_round, "plenary_id": plenary_id,
            "plenary_contest_ids": {"standing_committee": standing}}
def open_demo_rounds(db: Database, ids: dict[str, Any]) -> list[int]:
    """Open round 1 of every demo contest, so that printing and counting work at once
    (`flask --app app demo`). A real congress starts with its rounds in draft."""
    opened = []
    for contest_id in ids["contest_ids"].values():
        round_id, state = db.execute("SELECT id, state FROM round WHERE contest_id = ? AND number = 1",
                                     [contest_id]).fetchone()
        if state == "draft":  # with --plenary the committee's round is already sealed
            open_round(db, round_id, "demo")
            opened.append(round_id)
    return opened
