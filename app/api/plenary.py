"""R13: the new committee's (or 经审委's) first plenary, started once its contest is sealed.

    GET   /api/congresses/<id>/plenaries     the committee contests and their plenaries
    POST  /api/contests/<id>/plenary         start the first plenary of a sealed contest

The plenary is a congress with a parent: its roster, attendance, contests, ballots,
counting, seal and reports are those of /api/congresses/<plenary id>/… unchanged.
"""

from __future__ import annotations

from flask_smorest import Blueprint

from schemas.plenary import PlenaryListSchema, PlenaryStartedSchema

from ..auth import actor_name, require_role
from ..congress import plenary
from ..congress.queries import roster_size
from ..db import get_db
from ..i18n import register, t
from .congress import _congress_or_404
from .docs import error_responses

bp = Blueprint("plenary", __name__, url_prefix="/api", description="R13: the first plenary")

register({
    "setup_plenary_contest_not_sealed": {
        "zh-CN": "该选举事项尚未封存，不能召开第一次全体会议。",
        "en": "This contest is not sealed yet; its first plenary cannot start."},
    "setup_plenary_contest_not_settled": {
        "zh-CN": "该选举事项还须再次投票或另行选举，选举结束后才能召开第一次全体会议。",
        "en": "This contest still needs a re-vote or another election; its first plenary "
              "starts once the election is over."},
    "setup_plenary_nobody_elected": {"zh-CN": "该选举事项无人当选，不能召开第一次全体会议。",
                                     "en": "Nobody was elected in this contest; there is no plenary."},
    "setup_plenary_wrong_office": {
        "zh-CN": "只有大会选出的委员会或经费审查委员会才召开第一次全体会议。",
        "en": "Only a committee or funds-audit committee elected by the congress holds a first plenary."},
    "setup_plenary_exists": {"zh-CN": "该委员会的第一次全体会议已经开始。",
                             "en": "This committee's first plenary has already started."},
    "setup_office_not_of_body": {
        "zh-CN": "本会议不选举该职务（{office_text}）。",
        "en": "This meeting does not elect that office ({office_text})."},
    "setup_leaders_elected_elsewhere": {
        "zh-CN": "按大会设置，{office_text}不由本会议选举（见大会选举事项页的“主席、副主席的产生方式”）。",
        "en": "By the congress's setting, the {office_text} is not elected by this meeting "
              "(see “how the chair and vice-chairs are elected” on the congress's contests page)."},
    "setup_leaders_setting_unknown": {"zh-CN": "主席、副主席的产生方式只能是大会选举或委员会全体会议选举。",
                                      "en": "The chair and vice-chairs are elected by the congress or by "
                                            "the committee's plenary."},
    "setup_leaders_setting_of_plenary": {
        "zh-CN": "主席、副主席的产生方式由大会设置。",
        "en": "How the chair and vice-chairs are elected is the congress's setting."},
    "setup_leaders_contest_exists": {
        "zh-CN": "已有主席或副主席的选举事项，须先删除，才能更改其产生方式。",
        "en": "A chair or vice-chair contest already exists; remove it before changing who elects them."},
    "setup_official_not_member": {
        "zh-CN": "{name} 不是本次全体会议的成员；全体会议的监票人、计票人须从当选委员中产生。",
        "en": "{name} is not a member of this plenary; its scrutineers and tellers are its members."},
})
OFFICE_TEXT = {"chair": {"zh-CN": "主席", "en": "chair"},
               "vice_chair": {"zh-CN": "副主席", "en": "vice-chair"},
               "committee": {"zh-CN": "委员会委员", "en": "committee member"},
               "audit_committee": {"zh-CN": "经费审查委员会委员", "en": "funds-audit committee member"},
               "standing_committee": {"zh-CN": "常务委员会委员", "en": "standing committee member"},
               "women_committee": {"zh-CN": "女职工委员会委员", "en": "women's committee member"},
               "audit_chair": {"zh-CN": "经费审查委员会主任", "en": "funds-audit committee chair"},
               "other": {"zh-CN": "其他", "en": "other"}}
register({f"plenary_office_{office}": text for office, text in OFFICE_TEXT.items()})


@bp.get("/congresses/<int:congress_id>/plenaries")
@bp.response(200, PlenaryListSchema)
@error_responses(bp, 401, 404)
@require_role()
def list_plenaries(congress_id: int):
    congress = _congress_or_404(congress_id)
    sources = plenary.plenary_candidates(get_db(), congress_id)
    for source in sources:
        source["reason_text"] = t(f"setup_{source['reason']}") if source["reason"] else None
    return {"congress_id": congress_id, "leaders_elected_by": congress["leaders_elected_by"],
            "sources": sources}


@bp.post("/contests/<int:contest_id>/plenary")
@bp.response(201, PlenaryStartedSchema)
@error_responses(bp, 401, 403, 404, 409)
@require_role("admin")
def start(contest_id: int):
    db = get_db()
    plenary_id = plenary.start_plenary(db, contest_id, actor_name())  # SetupError → its 4xx
    body = _congress_or_404(plenary_id)
    members = roster_size(db, plenary_id)
    return {"id": plenary_id, "name": body["name"], "parent_id": body["parent_id"], "body": body["body"],
            "members": members}
