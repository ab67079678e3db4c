"""R13 on the secretariat's pages: the first plenaries of the congress's committees.

On the congress's contests page: each committee / 经审委 contest with whether its first
plenary can start, a button to start it, and a link to it once started; the congress's
setting for who elects 主席/副主席. On a plenary's pages: which congress it belongs to.
The work is done by plenary.js through the JSON API (app/api/plenary.py).
"""

from __future__ import annotations

from typing import Any

from ..congress import offices, plenary
from ..congress.queries import congress_name, roster_size
from ..db import Database
from ..i18n import register, t

register({
    "plenary_section": {"zh-CN": "新一届委员会第一次全体会议", "en": "First plenaries of the new committees"},
    "plenary_hint": {
        "zh-CN": "委员会（或经费审查委员会）的选举封存后，由当选委员召开第一次全体会议，选举主席、副主席、"
                 "常务委员会委员（经审委选举主任）。出席对象为当选委员。",
        "en": "Once the committee (or funds-audit committee) election is sealed, the members elected hold "
              "their first plenary to elect the chair, vice-chairs and standing committee (the audit "
              "committee elects its chair). Only the members elected take part."},
    "plenary_start": {"zh-CN": "召开第一次全体会议", "en": "Start the first plenary"},
    "plenary_open": {"zh-CN": "进入全体会议", "en": "Go to the plenary"},
    "plenary_not_ready": {"zh-CN": "尚不能召开：", "en": "Not yet: "},
    "plenary_none": {"zh-CN": "本大会没有委员会或经费审查委员会的选举事项。",
                     "en": "This congress has no committee or funds-audit committee contest."},
    "plenary_leaders": {"zh-CN": "主席、副主席的产生方式", "en": "How the chair and vice-chairs are elected"},
    "plenary_leaders_congress": {"zh-CN": "由大会直接选举", "en": "by the congress directly"},
    "plenary_leaders_plenary": {"zh-CN": "由委员会第一次全体会议选举",
                                "en": "by the committee's first plenary"},
    "plenary_save": {"zh-CN": "保存", "en": "Save"},
    "plenary_saved": {"zh-CN": "已保存", "en": "Saved"},
    "plenary_of": {"zh-CN": "本会议是“{parent}”选出的委员的第一次全体会议，出席对象为当选委员 {members} 人。",
                   "en": "This is the first plenary of the members elected by “{parent}”: "
                         "{members} members take part."},
    "plenary_back": {"zh-CN": "返回大会", "en": "Back to the congress"},
    "plenary_title_of": {"zh-CN": "{contest}第一次全体会议",
                         "en": "First plenary of the members elected as {contest}"},
})

# Texts plenary.js needs (handed over with the page's admin-data).
JS_TEXTS = ("plenary_start", "plenary_open", "plenary_saved")


def offices_of(congress: dict[str, Any] | None, choices: tuple[str, ...]) -> tuple[str, ...]:
    """The offices this body may elect, in the page's usual order (R13)."""
    if congress is None:
        return choices
    allowed = offices.OFFICES_OF_BODY.get(congress.get("body") or "congress", choices)
    return tuple(office for office in choices if office in allowed)


def context(db: Database, congress: dict[str, Any] | None) -> dict[str, Any] | None:
    """What the contests page shows about plenaries, or None without a congress."""
    if congress is None:
        return None
    if congress.get("parent_id"):
        parent_id = congress["parent_id"]
        return {"is_plenary": True, "parent_id": parent_id,
                "text": t("plenary_of", parent=congress_name(db, parent_id),
                          members=roster_size(db, congress["id"]))}
    sources = plenary.plenary_candidates(db, congress["id"])
    for source in sources:
        source["reason_text"] = t(f"setup_{source['reason']}") if source["reason"] else ""
    return {"is_plenary": False, "sources": sources,
            "leaders_elected_by": congress.get("leaders_elected_by") or "congress",
            "leaders_choices": offices.LEADERS_ELECTED_BY}


__all__ = ["JS_TEXTS", "context", "offices_of"]
