"""Closing a round (issue 6, item 2): check that counting is complete, compute the
outcome with `app.rules.decide`, record the signatures, and seal.

The sealed result is computed from a full count of the counted ballots — exactly what
the export contains — and must agree with the live tally the board showed; it carries
the digest of those ballots. Once sealed, the database's own triggers (migration
m500_results_seal) refuse any change to the round, whatever path a write takes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from sqlite_utils import Database

from ..ballots.plausibility import covered, require_plausible
from ..digest import ballots_digest, short_digest
from ..errors import AppError, Kind
from ..i18n import current_locale, register, t
from ..roles import ROLE_NAMES
from ..rules import Ballot, Result, conservation_problems, count_ballots, decide, quorum_met
from ..store import audit, write_transaction
from ..store.clock import now
from ..store.states import OPEN, SEALED
from .rounds import RoundInfo, load_round
from .source import counted_ballots, live_tally, open_conflicts

SIGNER_ROLES = ("chief_scrutineer", "scrutineer", "teller")

register({
    "round_sealed": {"zh-CN": "第 {number} 轮已封存，任何人不能再更改。",
                     "en": "Round {number} is sealed; nobody can change it any more."},
    "round_not_open": {"zh-CN": "第 {number} 轮尚未开始投票，不能结束。",
                       "en": "Round {number} is not open for voting; it cannot be closed."},
    "round_not_ready": {"zh-CN": "第 {number} 轮还不能封存：{problems}",
                        "en": "Round {number} cannot be sealed yet: {problems}"},
    "issued_missing": {"zh-CN": "尚未录入发出选票数", "en": "ballots issued (I) not entered"},
    "returned_missing": {"zh-CN": "总监票人尚未录入收回选票数", "en":
                         "the chief scrutineer has not entered ballots returned (R)"},
    "conflicts_open": {"zh-CN": "还有 {count} 张有争议的选票待监票人裁定",
                       "en": "{count} conflicting ballots await a scrutineer's decision"},
    "counting_incomplete": {"zh-CN": "已计 {recorded} 张，收回 {returned} 张，计票未完成",
                            "en": "{recorded} of {returned} returned ballots counted"},
    "live_tally_mismatch": {"zh-CN": "实时计票与逐张复核不一致，请联系秘书处",
                            "en": "the live tally disagrees with a full recount; call the secretariat"},
    "conservation_failed": {"zh-CN": "计票核对未通过：{detail}", "en": "count check failed: {detail}"},
    "signatures_needed": {"zh-CN": "封存需要总监票人签名，并列出监票人、计票人姓名。",
                          "en": "Sealing needs the chief scrutineer's signature and the "
                                "scrutineers' and tellers' names."},
    "signer_not_official": {"zh-CN": "{name} 不是本选举事项经大会通过的{role}。",
                            "en": "{name} is not an approved {role} of this contest."},
    "signer_twice": {"zh-CN": "{name} 重复签名。", "en": "{name} signed twice."},
})



@dataclass
class Closing:
    """What the chief scrutineer sees before signing: the outcome and what still blocks."""

    info: RoundInfo
    result: Result
    digest: str
    ballots: list[Ballot]
    problems: list[str] = field(default_factory=list)  # sentences for people

    @property
    def ready(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {"round_id": self.info.id, "number": self.info.number, "ready": self.ready,
                "problems": self.problems, "result": self.result, "digest": self.digest,
                "digest_short": short_digest(self.digest)}


def _require_open(info: RoundInfo) -> None:
    if info.state == SEALED:
        raise AppError(Kind.CONFLICT, "round_sealed", number=info.number)
    if info.state != OPEN:
        raise AppError(Kind.CONFLICT, "round_not_open", number=info.number, state=info.state)


def closing(db: Database, round_id: int) -> Closing:
    """The outcome of an open round as it would be sealed now, with what still blocks."""
    info = load_round(db, round_id)
    _require_open(info)
    no_quorum = not quorum_met(info.entitled or 0, info.present or 0, info.rules.quorum)
    ballots = counted_ballots(db, round_id)
    contest = info.contest()
    full = count_ballots(contest, ballots)
    result = decide(contest, full)
    problems: list[str] = []
    if not no_quorum:  # R1: without quorum no vote is held, so nothing else is needed
        if info.issued is None:
            problems.append(t("issued_missing"))
        elif not covered(db, round_id, info.issued, info.present):
            problems.append(t("issued_over_present_open", issued=info.issued, present=info.present))
        if info.returned is None:
            problems.append(t("returned_missing"))
        elif result["outcome"] != "void":  # R2: a void round needs no count
            conflicts = open_conflicts(db, round_id)
            if conflicts:
                problems.append(t("conflicts_open", count=conflicts))
            if full.recorded != info.returned:
                problems.append(t("counting_incomplete", recorded=full.recorded,
                                  returned=info.returned))
    live, _version = live_tally(db, round_id)
    if decide(contest, live) != result:
        problems.append(t("live_tally_mismatch"))
    checks = conservation_problems(contest, result)
    if checks:
        problems.append(t("conservation_failed", detail="; ".join(checks)))
    return Closing(info, result, ballots_digest(ballots), ballots, problems)


def _check_signatures(db: Database, info: RoundInfo, signatures: list[dict[str, str]]) -> None:
    """R11/R12: the chief scrutineer signs; every signer is an approved official of the
    contest in that role (when the contest lists its officials)."""
    if not any(s["role"] == "chief_scrutineer" for s in signatures):
        raise AppError(Kind.BAD_REQUEST, "signatures_needed")
    officials = {(row["name"], row["role"]) for row in db.execute(
        "SELECT name, role FROM contest_official WHERE contest_id = ?", [info.contest_id])}
    seen: set[str] = set()
    for signature in signatures:
        name = signature["name"].strip()
        if name in seen:
            raise AppError(Kind.BAD_REQUEST, "signer_twice", name=name)
        seen.add(name)
        if officials and (name, signature["role"]) not in officials:
            raise AppError(Kind.BAD_REQUEST, "signer_not_official", name=name,
                           role=ROLE_NAMES[signature["role"]][current_locale()])


def seal(db: Database, round_id: int, signatures: list[dict[str, str]], actor: str,
         issued_over_present_reason: str | None = None) -> dict[str, Any]:
    """Sign and seal the round: one transaction, audited; refused unless ready. Issued
    ballots above those present (I > P) need a reason, given here or when I was entered."""
    with write_transaction(db):
        if issued_over_present_reason:
            info = load_round(db, round_id)
            _require_open(info)
            require_plausible(db, round_id, info.issued, info.present,
                              issued_over_present_reason, actor)
        state = closing(db, round_id)  # inside the write lock: nothing can slip in between
        info = state.info
        if not state.ready:
            raise AppError(Kind.CONFLICT, "round_not_ready", number=info.number,
                           problems="；".join(state.problems), details=state.problems)
        _check_signatures(db, info, signatures)
        at = now()
        for signature in signatures:
            db.execute("INSERT INTO signature (round_id, name, role, signed_at) VALUES (?, ?, ?, ?)",
                       [round_id, signature["name"].strip(), signature["role"], at])
        db.execute("UPDATE round SET state = ?, sealed_at = ?, result_json = ?, digest = ?"
                   " WHERE id = ? AND state = ?",
                   [SEALED, at, json.dumps(state.result, ensure_ascii=False), state.digest,
                    round_id, OPEN])
        audit.append(db, actor, "round.seal", f"round:{round_id}",
                     {"outcome": state.result["outcome"], "digest": state.digest,
                      "elected": [p["name"] for p in state.result["elected"]],
                      "signed_by": [{"name": s["name"].strip(), "role": s["role"]}
                                    for s in signatures]})
    return {**state.as_dict(), "state": SEALED, "sealed_at": at}


def signatures_of(db: Database, round_id: int) -> list[dict[str, str]]:
    return [dict(row) for row in db.execute(
        "SELECT name, role, signed_at FROM signature WHERE round_id = ? ORDER BY"
        " CASE role WHEN 'chief_scrutineer' THEN 0 WHEN 'scrutineer' THEN 1 ELSE 2 END, id",
        [round_id])]


def refuse_if_sealed(info: RoundInfo) -> None:
    """For any write path about a round: a clear 409 before the database refuses."""
    if info.state == SEALED:
        raise AppError(Kind.CONFLICT, "round_sealed", number=info.number)

