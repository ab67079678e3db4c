"""Each role's part of the congress day, in order, as the steps its home page shows:
what to do next, where to click, and how far it has come (figures from the database).

Secretariat: congress → roster → attendance → contests and officials → print → accounts
and tablets. Chief scrutineer, per round: R → conflicts and doubtful ballots → close and
seal → reports → next round (or the plenary). Scrutineers: the same rounds, watching.
"""

from __future__ import annotations

from typing import Any

from flask import current_app, url_for

from ..congress.progress import rounds_under_way, secretariat_figures
from ..db import Database
from ..i18n import register, t

register({
    "step_title": {"zh-CN": "大会当天流程", "en": "The congress day, step by step"},
    "step_congress": {"zh-CN": "大会信息", "en": "The congress"},
    "step_roster": {"zh-CN": "导入代表名册", "en": "Import the roster"},
    "step_attendance": {"zh-CN": "签到", "en": "Check-in"},
    "step_contests": {"zh-CN": "选举事项与监票人、计票人", "en": "Contests and their officials"},
    "step_print": {"zh-CN": "开始投票并印制选票", "en": "Open the vote and print ballots"},
    "step_accounts": {"zh-CN": "账号与计票平板", "en": "Accounts and tablets"},
    "step_roster_n": {"zh-CN": "名册 {n} 人", "en": "{n} on the roster"},
    "step_present_n": {"zh-CN": "实到 {present} 人 / 应到 {entitled} 人",
                      "en": "{present} present of {entitled}"},
    "step_contests_n": {"zh-CN": "{contests} 项选举事项，{officials} 名监票人、计票人",
                        "en": "{contests} contests, {officials} officials"},
    "step_rounds_n": {"zh-CN": "{open} 轮投票中，已印制 {printed} 张",
                     "en": "{open} rounds open, {printed} ballots printed"},
    "step_accounts_n": {"zh-CN": "{n} 个账号", "en": "{n} accounts"},
    "step_attendance_report": {"zh-CN": "未签到名单、分单位统计、签到簿",
                              "en": "Absentees, by unit, sign-in register"},
    "step_officials_list": {"zh-CN": "监票人、计票人建议名单（供大会通过）",
                            "en": "Proposed officials (for the congress to approve)"},
    "step_done": {"zh-CN": "已完成", "en": "done"},
    "step_todo": {"zh-CN": "待办", "en": "to do"},
    # the chief scrutineer's and scrutineers' rounds
    "step_rounds_title": {"zh-CN": "各轮计票：按顺序完成", "en": "Each round, in order"},
    "step_round": {"zh-CN": "选举事项与轮次", "en": "Contest and round"},
    "step_enter_r": {"zh-CN": "① 填写收回选票数", "en": "① Enter ballots returned"},
    "step_review": {"zh-CN": "② 处理冲突与存疑选票", "en": "② Conflicts and doubtful ballots"},
    "step_close": {"zh-CN": "③ 核对结果并封存", "en": "③ Check and seal"},
    "step_reports": {"zh-CN": "④ 计票结果报告单与公告", "en": "④ Count report and announcement"},
    "step_next": {"zh-CN": "⑤ 下一轮", "en": "⑤ Next round"},
    "step_r_value": {"zh-CN": "收回 {r} 张", "en": "{r} returned"},
    "step_r_missing": {"zh-CN": "尚未填写", "en": "not entered"},
    "step_conflicts_n": {"zh-CN": "待裁定 {n}", "en": "{n} to decide"},
    "step_go_review": {"zh-CN": "在本页下方处理", "en": "below on this page"},
    "step_seal_open": {"zh-CN": "核对并封存", "en": "Check and seal"},
    "step_sealed_view": {"zh-CN": "已封存，查看", "en": "sealed: view"},
    "step_report_pdf": {"zh-CN": "报告单", "en": "report"},
    "step_announcement_pdf": {"zh-CN": "公告", "en": "announcement"},
    "step_no_next": {"zh-CN": "已选足，无需下一轮", "en": "all seats filled: none needed"},
    "step_next_on_close": {"zh-CN": "封存后在封存页安排", "en": "after sealing, on the seal page"},
    "step_not_yet": {"zh-CN": "封存后可用", "en": "after sealing"},
    "step_no_rounds": {"zh-CN": "本大会还没有开始投票的轮次。",
                      "en": "No round of this congress is open yet."},
    "step_plenaries": {"zh-CN": "全体会议", "en": "Plenaries"},
    "step_board": {"zh-CN": "计票大屏", "en": "Hall board"},
})


def _link(endpoint: str, **values: Any) -> str | None:
    return url_for(endpoint, **values) if endpoint in current_app.view_functions else None


def secretariat_steps(db: Database, congress_id: int) -> list[dict[str, Any]]:
    """The secretariat's six steps for this body, each with its page, a figure and done."""
    figures = secretariat_figures(db, congress_id)
    roster, entitled, present = figures.roster, figures.entitled, figures.present
    contests, officials, printed = figures.contests, figures.officials, figures.printed
    open_rounds, accounts = figures.rounds_open, figures.accounts
    args = {"congress": congress_id}
    return [
        {"key": "congress", "label": t("step_congress"), "href": _link("admin.overview", **args),
         "figure": "", "done": True},
        {"key": "roster", "label": t("step_roster"), "href": _link("admin.roster", **args),
         "figure": t("step_roster_n", n=roster), "done": roster > 0},
        {"key": "attendance", "label": t("step_attendance"), "href": _link("admin.attendance", **args),
         "figure": t("step_present_n", present=present, entitled=entitled), "done": present > 0,
         "extra": [(t("step_attendance_report"), _link("day_pages.attendance_report", **args))]},
        {"key": "contests", "label": t("step_contests"), "href": _link("admin.contests", **args),
         "figure": t("step_contests_n", contests=contests, officials=officials),
         "done": contests > 0 and officials > 0,
         "extra": [(t("step_officials_list"), _link("day_pages.officials_list", **args))]},
        {"key": "print", "label": t("step_print"), "href": _link("ballots_web.ballots_page", **args),
         "figure": t("step_rounds_n", open=open_rounds, printed=printed), "done": printed > 0},
        {"key": "accounts", "label": t("step_accounts"), "href": _link("users_web.users_page", **args),
         "figure": t("step_accounts_n", n=accounts), "done": accounts > 1},
    ]


def round_steps(db: Database, congress_id: int) -> list[dict[str, Any]]:
    """Every round of this body that is open or sealed, with where each step is done."""
    steps = []
    for row in rounds_under_way(db, congress_id):
        rid, sealed = row.round_id, row.sealed
        steps.append({
            "round_id": rid, "title": row.title, "number": row.number, "sealed": sealed,
            "returned": row.returned, "conflicts": row.conflicts,
            "next_needed": sealed and row.outcome != "decided",  # a decided contest has no next round
            "ballots_href": _link("ballots_web.ballots_page", congress=congress_id, round=rid),
            "close_href": _link("board.close_page", round_id=rid),
            "report_href": f"/api/results/rounds/{rid}/report.pdf" if sealed else None,
            "announcement_href": f"/api/results/rounds/{rid}/announcement.pdf" if sealed else None,
        })
    return steps
