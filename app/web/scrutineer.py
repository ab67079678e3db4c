"""The scrutineers' page (/scrutineer): progress of each round (recorded against R, per
teller), the conflicts with every version side by side, the doubtful ballots (invalid or
with an unreadable mark), a decision with a reason, and look-up of any ballot by its code.

The page only calls the JSON API (app/api/counting.py); the API checks every role.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from ..db import get_db
from ..edge.page_guard import page_for
from ..i18n import register, t
from ..roles import SCRUTINEERS

bp = Blueprint("scrutineer", __name__, template_folder="templates")

PAGE_ROLES = SCRUTINEERS

SCRIPT_TEXTS = {
    "sc_round_n": {"zh-CN": "第 {number} 轮", "en": "round {number}"},
    "sc_pick_round": {"zh-CN": "请选择选举事项和轮次", "en": "Choose the contest and round"},
    "sc_state_open": {"zh-CN": "计票中", "en": "counting"},
    # Ballots recorded with no account behind them (the demo's own count).
    "sc_teller_no_account": {"zh-CN": "演示数据（无账号）", "en": "demo data (no account)"},
    "sc_state_sealed": {"zh-CN": "已封存", "en": "sealed"},
    "sc_not_entered": {"zh-CN": "未填", "en": "not entered"},
    "sc_yes": {"zh-CN": "赞成", "en": "approve"},
    "sc_no": {"zh-CN": "不赞成", "en": "disapprove"},
    "sc_abstain": {"zh-CN": "弃权", "en": "abstain"},
    "sc_unreadable": {"zh-CN": "无法辨认", "en": "unreadable"},
    "sc_valid": {"zh-CN": "有效票", "en": "valid"},
    "sc_invalid": {"zh-CN": "无效票", "en": "invalid"},
    "sc_version": {"zh-CN": "版本 {n}", "en": "Version {n}"},
    "sc_by": {"zh-CN": "{names}", "en": "{names}"},
    "sc_choose": {"zh-CN": "采用此版本", "en": "Choose this version"},
    "sc_enter": {"zh-CN": "录入正确结果", "en": "Enter the correct reading"},
    "sc_submit": {"zh-CN": "提交裁定", "en": "Decide"},
    "sc_reason": {"zh-CN": "裁定理由（必填）", "en": "Reason (required)"},
    "sc_reason_needed": {"zh-CN": "请先填写裁定理由", "en": "Give a reason first"},
    "sc_decided": {"zh-CN": "已裁定：{serial}", "en": "Decided: {serial}"},
    "sc_status_counted": {"zh-CN": "已计入", "en": "counted"},
    "sc_status_conflict": {"zh-CN": "有冲突，待裁定", "en": "conflict, awaiting a decision"},
    "sc_status_not_recorded": {"zh-CN": "已印制，尚未计入", "en": "printed, not recorded"},
    "sc_write_ins": {"zh-CN": "另选他人", "en": "write-ins"},
    "sc_sheet_invalid": {"zh-CN": "整张无效", "en": "sheet invalid"},
    "sc_none": {"zh-CN": "无", "en": "none"},
    "sc_candidate": {"zh-CN": "候选人", "en": "Candidate"},
    "sc_voided": {"zh-CN": "（此编号已作废）", "en": "(this serial is voided)"},
}
register(SCRIPT_TEXTS)
register({
    "sc_title": {"zh-CN": "监票", "en": "Scrutiny"},
    "sc_round": {"zh-CN": "选举事项与轮次", "en": "Contest and round"},
    "sc_progress": {"zh-CN": "计票进度", "en": "Progress"},
    "sc_recorded": {"zh-CN": "已录入 / 收回（R）", "en": "Recorded / returned (R)"},
    "sc_counted": {"zh-CN": "已计入", "en": "Counted"},
    "sc_conflicts": {"zh-CN": "冲突待裁定", "en": "Conflicts"},
    "sc_valid_invalid": {"zh-CN": "有效 / 无效", "en": "Valid / invalid"},
    "sc_printed": {"zh-CN": "已印制（未作废）", "en": "Printed (not voided)"},
    "sc_issued": {"zh-CN": "发出选票（I）", "en": "Ballots issued (I)"},
    "sc_teller": {"zh-CN": "计票人", "en": "Teller"},
    "sc_teller_ballots": {"zh-CN": "经手张数", "en": "Ballots"},
    "sc_teller_added": {"zh-CN": "首次录入", "en": "First recorded"},
    "sc_teller_duplicates": {"zh-CN": "重复", "en": "Duplicates"},
    "sc_teller_conflicts": {"zh-CN": "不一致", "en": "Disagreements"},
    "sc_conflict_list": {"zh-CN": "冲突选票（两次录入不一致，暂不计入）",
                         "en": "Conflicts (readings disagree; not counted yet)"},
    "sc_doubtful_list": {"zh-CN": "存疑选票（无效票、无法辨认）",
                         "en": "Doubtful ballots (invalid, unreadable)"},
    "sc_lookup": {"zh-CN": "按编号查询选票", "en": "Look up a ballot by its code"},
    "sc_lookup_go": {"zh-CN": "查询", "en": "Look up"},
    "sc_code_placeholder": {"zh-CN": "选票编号或扫描二维码", "en": "Ballot code"},
    "sc_empty": {"zh-CN": "暂无", "en": "None"},
    "sc_flag_list": {"zh-CN": "计票人标记可能有误的选票（请查原票，必要时裁定）",
                     "en": "Ballots tellers flagged as possibly confirmed wrong (check the sheet)"},
})


@bp.get("/scrutineer")
@page_for(*PAGE_ROLES, title="sc_title")
def page():
    from .day import chosen_congress_id
    from .day_steps import round_steps

    congress_id = chosen_congress_id()
    steps = round_steps(get_db(), congress_id) if congress_id else []
    return render_template("scrutineer.html", texts={key: t(key) for key in (*SCRIPT_TEXTS, "sc_empty")},
                           round_steps=steps, congress_id=congress_id)
