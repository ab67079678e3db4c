"""Contests: the slate, every RULES.md setting, officials (R12), and opening a round (R7, R8).

    GET/POST   /api/congresses/<id>/contests
    GET/PATCH  /api/contests/<id>                       editable while round 1 is in draft
    POST       /api/contests/<id>/officials             R12: never a candidate of the contest
    DELETE     /api/contests/<id>/officials/<oid>
    POST       /api/rounds/<round_id>/open              refused with the numbers when R7 fails

Writes are the secretariat's (admin); reads are for anyone signed in.
"""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from schemas.common import ApiErrorSchema
from schemas.contests import (
    ContestInSchema,
    ContestListSchema,
    ContestPatchSchema,
    ContestSchema,
    OfficialInSchema,
    RoundOpenedSchema,
)

from ..auth import actor_name, require_role
from ..congress import queries
from ..congress.officials import appoint_person
from ..congress.rounds import open_round
from ..congress.setup import (
    create_checked_contest,
    dismiss_official,
    tidy_name,
    update_contest,
)
from ..db import get_db
from ..errors import AppError, Kind
from ..i18n import current_locale, register
from ..rules import RuleSettings
from .congress import _congress_or_404
from .docs import error_responses

bp = Blueprint("contests", __name__, url_prefix="/api", description="Contests, officials, opening")

register({
    "setup_contest_not_found": {"zh-CN": "找不到该选举事项（可能已被删除），请刷新页面。",
                                "en": "There is no such contest (perhaps removed); reload the page."},
    "setup_contest_not_draft": {
        "zh-CN": "第一轮投票已经开始，选举事项不能再修改。",
        "en": "Round 1 has already been opened; the contest can no longer change."},
    "setup_contest_sealed": {
        "zh-CN": "第一轮投票已结束并封存，选举事项不能再修改。",
        "en": "Round 1 is over and sealed; the contest can no longer change."},
    "setup_candidate_duplicate": {
        "zh-CN": "候选人 {name} 重名：两位同名候选人须用不同的备注区分（如单位）。",
        "en": "Two candidates are named {name}: tell them apart with different notes (e.g. unit)."},
    "setup_candidate_not_found": {"zh-CN": "本选举事项没有这位候选人（可能已被删除），请刷新页面。",
                                  "en": "This contest has no such candidate (perhaps removed); "
                                        "reload the page."},
    "setup_official_is_candidate": {
        "zh-CN": "{name} 是本选举事项的候选人，不能担任监票人或计票人。",
        "en": "{name} is a candidate of this contest and cannot be a scrutineer or teller."},
    "setup_official_not_on_roster": {
        "zh-CN": "名册中没有“{name}”：监票人、计票人须从本次大会的代表名册中选定。",
        "en": "“{name}” is not on the roster: officials are chosen from this congress's roster."},
    "setup_official_person_required": {"zh-CN": "请从名册中选定一人。",
                                      "en": "Choose a person from the roster."},
    "setup_official_name_ambiguous": {
        "zh-CN": "名册中有多人名为“{name}”（{units}），请在列表中选定其中一位。",
        "en": "Several people on the roster are named “{name}” ({units}); pick one from the list."},
    "setup_official_already": {"zh-CN": "{name} 已在本选举事项中担任职务。",
                               "en": "{name} already holds a duty in this contest."},
    "setup_official_role_unknown": {"zh-CN": "未知的职责 {role}。", "en": "Unknown role {role}."},
    "setup_official_not_found": {"zh-CN": "找不到这位监票/计票人（可能已被移除），请刷新页面。",
                                 "en": "There is no such scrutineer or teller (perhaps removed); "
                                       "reload the page."},
    "setup_user_not_found": {"zh-CN": "找不到所选的账号（可能已被删除），请刷新页面。",
                             "en": "There is no such account (perhaps removed); reload the page."},
    "setup_official_user_role": {
        "zh-CN": "所选账号与该职责不符：总监票人、监票人、计票人须各自关联同一职责的账号。",
        "en": "That account does not fit the duty: link each official to an account of the "
              "same duty (chief scrutineer, scrutineer, teller)."},
    "setup_round_not_found": {"zh-CN": "找不到该轮投票，请刷新页面。",
                        "en": "That round does not exist; reload the page."},
    "setup_round_not_draft": {"zh-CN": "该轮投票已经开始或已封存，不能再开始。",
                        "en": "This round has already been opened or sealed; it cannot be opened again."},
    "setup_slate_breaks_r7_differential": {
        "zh-CN": "不能开始投票：差额选举应选 {seats} 名，差额率不低于 {rate_percent}%，"
                 "候选人至少须 {min_candidates} 名，现有 {candidates} 名（条例第十二条）。",
        "en": "Voting cannot open: a differential election for {seats} seats at a rate of at "
              "least {rate_percent}% needs at least {min_candidates} candidates; there are "
              "{candidates} (union election rules, article 12)."},
    "setup_slate_breaks_r7_equal": {
        "zh-CN": "不能开始投票：等额选举的候选人数须等于应选名额，应选 {seats} 名，"
                 "现有候选人 {candidates} 名（条例第十二条）。",
        "en": "Voting cannot open: an equal election needs exactly as many candidates as seats: "
              "{seats} seats, {candidates} candidates (union election rules, article 12)."},
})


def _contest_or_404(contest_id: int) -> dict[str, Any]:
    contest = queries.contest(get_db(), contest_id)
    if contest is None:
        raise AppError(Kind.NOT_FOUND, "contest_not_found", "setup_contest_not_found", contest_id=contest_id)
    return contest


def _candidates(items: list[dict[str, Any]]) -> list[tuple[int | None, str, str]]:
    return [(item.get("id"), tidy_name(item["name"]), item.get("note", "").strip())
            for item in items]


@bp.get("/congresses/<int:congress_id>/contests")
@bp.response(200, ContestListSchema)
@bp.alt_response(404, schema=ApiErrorSchema)
@require_role()
def list_contests(congress_id: int):
    _congress_or_404(congress_id)
    db = get_db()
    return {"contests": [queries.contest(db, cid) for cid in queries.contest_ids(db, congress_id)]}


@bp.post("/congresses/<int:congress_id>/contests")
@bp.arguments(ContestInSchema)
@bp.response(201, ContestSchema)
@error_responses(bp, 403, 404, 409, 422)
@require_role("admin")
def new_contest(data, congress_id: int):
    """A contest with its first round in draft. The slate may still break R7 here; opening
    the round is what refuses it."""
    contest_id = create_checked_contest(
        get_db(), congress_id, title=data["title"].strip(), office=data["office"],
        method=data["method"], seats=data["seats"],
        candidates=[(name, note) for _id, name, note in _candidates(data["candidates"])],
        actor=actor_name(), rules=RuleSettings(**data["rules"]), position=data["position"])
    return _contest_or_404(contest_id)


@bp.get("/contests/<int:contest_id>")
@bp.response(200, ContestSchema)
@bp.alt_response(404, schema=ApiErrorSchema)
@require_role()
def get_contest(contest_id: int):
    return _contest_or_404(contest_id)


@bp.patch("/contests/<int:contest_id>")
@bp.arguments(ContestPatchSchema)
@bp.response(200, ContestSchema)
@error_responses(bp, 403, 404, 409, 422)
@require_role("admin")
def patch_contest(data, contest_id: int):
    changes: dict[str, Any] = {key: value for key, value in data.items()
                               if key not in ("rules", "candidates")}
    if "title" in changes:
        changes["title"] = changes["title"].strip()
    if "rules" in data:
        changes["rules"] = RuleSettings(**data["rules"])
    if "candidates" in data:
        changes["candidates"] = _candidates(data["candidates"])
    update_contest(get_db(), contest_id, changes, actor_name())
    return _contest_or_404(contest_id)


@bp.post("/contests/<int:contest_id>/officials")
@bp.arguments(OfficialInSchema)
@bp.response(201, ContestSchema)
@error_responses(bp, 403, 404, 409, 422)
@require_role("admin")
def add_official(data, contest_id: int):
    """A chief scrutineer, scrutineer or teller; refused when a candidate of this contest (R12)."""
    appoint_person(get_db(), contest_id, data["role"], actor_name(), person_id=data["person_id"],
                   name=tidy_name(data["name"]) if data["name"] else None, user_id=data["user_id"])
    return _contest_or_404(contest_id)


@bp.delete("/contests/<int:contest_id>/officials/<int:official_id>")
@bp.response(200, ContestSchema)
@error_responses(bp, 403, 404)
@require_role("admin")
def remove_official(contest_id: int, official_id: int):
    dismiss_official(get_db(), contest_id, official_id, actor_name())
    return _contest_or_404(contest_id)


@bp.post("/rounds/<int:round_id>/open")
@bp.response(200, RoundOpenedSchema)
@error_responses(bp, 403, 404, 409)
@require_role("admin")
def open_a_round(round_id: int):
    """Open a draft round: R7 refused with the numbers; E and P taken now; R8 warns."""
    db = get_db()
    opened = open_round(db, round_id, actor_name())  # RoundError: an AppError, 404/409
    warning = opened.size_warning
    if warning and current_locale() == "en":
        warning = f"R8 (Art.8): {warning}"
    return {"round_id": opened.round_id, "entitled": opened.entitled, "present": opened.present,
            "quorum_met": opened.quorum_met, "size_warning": warning,
            "contest": _contest_or_404(opened.contest_id)}
