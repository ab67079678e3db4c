"""The secretariat's printable lists: attendance (absentees, by unit, the sign-in
register) and the proposed officials for the congress to approve. Plain HTML styled for
print (A4), so the browser's print gives the paper; the figures come from the services."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, redirect, render_template, request, url_for

from ..congress import attendance_lists, queries
from ..congress.officials import proposed_officials
from ..congress.rounds import electorate
from ..db import get_db
from ..edge.page_guard import page_for
from ..i18n import register
from ..roles import SECRETARIAT
from . import day_steps  # noqa: F401  (registers the steps' messages at start-up)
from .admin import _nav
from .day import chosen_congress_id

bp = Blueprint("day_pages", __name__, template_folder="templates")

VIEWS = ("absent", "units", "register")

register({
    "att_title": {"zh-CN": "签到统计", "en": "Attendance"},
    "att_absent": {"zh-CN": "未签到名单", "en": "Absentees"},
    "att_units": {"zh-CN": "分单位签到统计", "en": "Attendance by unit"},
    "att_register": {"zh-CN": "签到簿", "en": "Sign-in register"},
    "att_print": {"zh-CN": "打印", "en": "Print"},
    "att_summary": {"zh-CN": "应到 {entitled} 人，实到 {present} 人，未到 {absent} 人；"
                             "保留会籍 {retained} 人不计入应到人数。",
                    "en": "{entitled} entitled, {present} present, {absent} absent; {retained} retained "
                          "members are not counted as entitled."},
    "att_none_absent": {"zh-CN": "有选举权的人员均已签到。", "en": "Everyone entitled has checked in."},
    "att_number": {"zh-CN": "序号", "en": "No."},
    "att_entitled": {"zh-CN": "应到", "en": "Entitled"},
    "att_present": {"zh-CN": "实到", "en": "Present"},
    "att_absent_n": {"zh-CN": "未到", "en": "Absent"},
    "att_retained": {"zh-CN": "保留会籍", "en": "Retained"},
    "att_rate": {"zh-CN": "到会率", "en": "Turnout"},
    "att_total": {"zh-CN": "合计", "en": "Total"},
    "att_checked_at": {"zh-CN": "签到时间（北京时间）", "en": "Checked in (Beijing time)"},
    "att_signature": {"zh-CN": "本人签名", "en": "Signature"},
    "att_no_vote": {"zh-CN": "保留会籍，无选举权", "en": "retained, no vote"},
    "att_printed_at": {"zh-CN": "打印时间：{at}（北京时间）", "en": "Printed {at} (Beijing time)"},
    "att_no_unit": {"zh-CN": "（未填单位）", "en": "(no unit)"},
    "off_title": {"zh-CN": "总监票人、监票人、计票人建议名单",
                 "en": "Proposed chief scrutineer, scrutineers and tellers"},
    "off_intro": {"zh-CN": "提请大会表决通过。监票人、计票人均从代表名册中选定，"
                           "不得为其所监督的选举事项的候选人。",
                  "en": "For the congress to approve. Every official is chosen from the roster and is "
                        "never a candidate of the contest they oversee."},
    "off_none": {"zh-CN": "尚未指定", "en": "none yet"},
    "off_duty": {"zh-CN": "职务", "en": "Duty"},
    "off_account": {"zh-CN": "计票账号", "en": "Account"},
    "off_no_account": {"zh-CN": "未关联", "en": "not linked"},
    "off_linked": {"zh-CN": "已关联", "en": "linked"},
})


def _congress() -> dict[str, Any] | None:
    congress_id = chosen_congress_id()
    return queries.congress_row(get_db(), congress_id) if congress_id else None


@bp.get("/admin/attendance/report")
@page_for(*SECRETARIAT, title="att_title")
def attendance_report():
    congress = _congress()
    if congress is None:
        return redirect(url_for("admin.overview"))
    view = request.args.get("view", "absent")
    view = view if view in VIEWS else "absent"
    db = get_db()
    entitled, present = electorate(db, congress["id"])
    units = attendance_lists.by_unit(db, congress["id"])
    retained = sum(unit["retained"] for unit in units)
    return render_template(
        "day_attendance.html", congress=congress, view=view, views=VIEWS, admin_nav=_nav(),
        entitled=entitled, present=present, absent=entitled - present, retained=retained,
        absentees=attendance_lists.absentees(db, congress["id"]) if view == "absent" else [],
        units=units, register_rows=(attendance_lists.register_rows(db, congress["id"])
                                    if view == "register" else []),
        printed_at=datetime.now(UTC).isoformat())


@bp.get("/admin/officials")
@page_for(*SECRETARIAT, title="off_title")
def officials_list():
    congress = _congress()
    if congress is None:
        return redirect(url_for("admin.overview"))
    return render_template("day_officials.html", congress=congress, admin_nav=_nav(),
                           contests=proposed_officials(get_db(), congress["id"]),
                           printed_at=datetime.now(UTC).isoformat())
