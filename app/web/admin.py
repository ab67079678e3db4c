"""The secretariat's pages (大会秘书处): congress overview with the live quorum, roster
import, attendance check-in and contests. Server-rendered shells; the work is done by
admin.js through the JSON API (app/api/congress.py and contests.py), so the pages and
the API can never disagree about a rule.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, render_template, request, url_for

from ..congress import queries
from ..congress.bodies import is_archived
from ..congress.officials import accounts_for_duties
from ..db import get_db
from ..edge.page_guard import page_for
from ..i18n import register, t
from ..roles import CONTEST_OFFICES, SECRETARIAT
from ..rules import RuleSettings
from ..rules.settings import (
    QUORUM_CHOICES,
    SHORTFALL_CHOICES,
    THRESHOLD_BASE_CHOICES,
    TIE_BREAK_CHOICES,
    UNREADABLE_CHOICES,
)
from . import plenary as plenary_web
from .day import chosen_congress_id

bp = Blueprint("admin", __name__, template_folder="templates")

register({
    "admin_overview": {"zh-CN": "大会概况", "en": "Overview"},
    "admin_roster": {"zh-CN": "代表名册", "en": "Roster"},
    "admin_attendance": {"zh-CN": "签到", "en": "Check-in"},
    "admin_contests": {"zh-CN": "选举事项", "en": "Contests"},
    "admin_users_link": {"zh-CN": "账号", "en": "Accounts"},
    "admin_ballots_link": {"zh-CN": "选票", "en": "Ballots"},
    "admin_board_link": {"zh-CN": "计票大屏", "en": "Live board"},
    "admin_forbidden": {"zh-CN": "此页面仅供大会秘书处使用。",
                        "en": "This page is for the secretariat only."},
    "admin_no_congress": {"zh-CN": "尚未建立大会，请先填写下面的表格。",
                          "en": "No congress yet: fill in the form below first."},
    "admin_go_overview": {"zh-CN": "前往大会概况", "en": "Go to the overview"},
    # the live quorum bar (R1)
    "admin_entitled": {"zh-CN": "应到会有选举权人数 E", "en": "Entitled voters E"},
    "admin_present": {"zh-CN": "实到人数 P", "en": "Present P"},
    "admin_needed": {"zh-CN": "法定人数（{rule}）至少", "en": "Quorum ({rule}) needs at least"},
    "admin_quorum_met": {"zh-CN": "已达法定人数", "en": "Quorum met"},
    "admin_quorum_not_met": {"zh-CN": "未达法定人数", "en": "No quorum"},
    "admin_roster_total": {"zh-CN": "名册人数", "en": "On the roster"},
    "rule_at_least_two_thirds": {"zh-CN": "三分之二以上（含）", "en": "at least two thirds"},
    "rule_more_than_two_thirds": {"zh-CN": "超过三分之二", "en": "more than two thirds"},
    "rule_more_than_half": {"zh-CN": "超过半数", "en": "more than half"},
    "rule_at_least_four_fifths": {"zh-CN": "五分之四以上（含）", "en": "at least four fifths"},
    "rule_more_than_four_fifths": {"zh-CN": "超过五分之四", "en": "more than four fifths"},
    # congress form
    "admin_congress": {"zh-CN": "大会信息", "en": "The congress"},
    "admin_congress_name": {"zh-CN": "大会名称", "en": "Name"},
    "admin_kind": {"zh-CN": "选举类型", "en": "Kind"},
    "kind_founding": {"zh-CN": "组建", "en": "founding"},
    "kind_renewal": {"zh-CN": "换届", "en": "renewal"},
    "admin_assembly": {"zh-CN": "会议形式", "en": "Assembly"},
    "assembly_members": {"zh-CN": "会员大会", "en": "members' assembly"},
    "assembly_delegates": {"zh-CN": "会员代表大会", "en": "delegates' congress"},
    "admin_members": {"zh-CN": "会员人数", "en": "Union members"},
    "admin_board_public": {"zh-CN": "计票大屏公开显示", "en": "Live board is public"},
    "admin_place": {"zh-CN": "会议地点", "en": "Place"},
    "admin_place_hint": {"zh-CN": "印在每轮的计票结果报告单上", "en": "Printed on each round's count report"},
    "admin_place_example": {"zh-CN": "如：镇政府三楼会议室", "en": "e.g. Town hall, room 301"},
    "admin_issuing_body": {"zh-CN": "发文单位", "en": "Issuing body"},
    "admin_issuing_body_hint": {"zh-CN": "当选名单公告的落款；不填则为“大会名称＋主席团”",
                                "en": "Signs the announcement of the elected; empty: the presidium of "
                                      "the congress"},
    "admin_issuing_default": {"zh-CN": "{congress}主席团", "en": "Presidium of the {congress}"},
    "admin_ballot_stamp": {"zh-CN": "选票留盖章区", "en": "Ballots have a stamp area"},
    "admin_ballot_stamp_hint": {"zh-CN": "（选票上留出圆形区域，供加盖工会印章）",
                                "en": "(a round area on each ballot for the union's stamp)"},
    "admin_save": {"zh-CN": "保存", "en": "Save"},
    "admin_new_congress": {"zh-CN": "新建大会", "en": "New congress"},
    "admin_new_congress_help": {"zh-CN": "新建的大会从空白开始：没有名册、签到和选举事项。",
                                "en": "A new congress starts clean: no roster, no check-ins, no contests."},
    "admin_archive": {"zh-CN": "归档此大会", "en": "Archive this congress"},
    "admin_unarchive": {"zh-CN": "取消归档", "en": "Bring back from the archive"},
    "admin_archive_help": {"zh-CN": "归档后，此大会的全部记录保留不变，但不再默认显示；"
                                    "可随时从顶部的大会列表中重新选择。",
                           "en": "An archived congress keeps every record but is no longer shown by default; "
                                 "choose it again in the list at the top at any time."},
    "admin_archived_note": {"zh-CN": "此大会已归档。", "en": "This congress is archived."},
    "admin_retained_no_check_in": {"zh-CN": "保留会籍，无选举权，无需签到",
                                   "en": "retained member: no vote, no check-in"},
    "admin_officials_person": {"zh-CN": "姓名（从名册选定）", "en": "Name (from the roster)"},
    "admin_duty": {"zh-CN": "职责", "en": "Duty"},
    "admin_officials_account": {"zh-CN": "代其操作的账号", "en": "Account acting for them"},
    "admin_no_account": {"zh-CN": "（不关联账号）", "en": "(no account)"},
    "admin_officials_list": {"zh-CN": "打印建议名单", "en": "Print the proposed list"},
    "admin_quorum_empty": {"zh-CN": "名册中尚无有选举权的人员", "en": "nobody entitled on the roster yet"},
    "admin_create": {"zh-CN": "建立大会", "en": "Create the congress"},
    "admin_saved": {"zh-CN": "已保存。", "en": "Saved."},
    # roster
    "admin_import": {"zh-CN": "导入名册", "en": "Import the roster"},
    "admin_import_help": {
        "zh-CN": "CSV（UTF-8 或 GB18030 编码）或 Excel .xlsx 文件。第一行为表头：姓名、单位、性别、"
                 "是否保留会籍（或“有选举权”）、备注；是否类的列可填 是/否、Y/N、1/0。"
                 "文件有任何错误时不导入任何人员。",
        "en": "CSV (UTF-8 or GB18030) or Excel .xlsx. Header row: 姓名/name, 单位/unit, 性别/gender, "
              "是否保留会籍 (or 有选举权/entitled), 备注/note; yes/no cells take 是/否, Y/N, 1/0. "
              "A file with any problem imports nobody."},
    "admin_file": {"zh-CN": "名册文件", "en": "Roster file"},
    "admin_replace": {"zh-CN": "替换现有名册（仅在无人签到时）",
                      "en": "Replace the roster (only before check-in)"},
    "admin_upload": {"zh-CN": "上传并导入", "en": "Upload and import"},
    "admin_imported": {"zh-CN": "已导入 {added} 人。", "en": "{added} people imported."},
    "admin_ignored": {"zh-CN": "已忽略的列：{columns}", "en": "Columns ignored: {columns}"},
    "admin_row": {"zh-CN": "行", "en": "Row"},
    "admin_column": {"zh-CN": "列", "en": "Column"},
    "admin_problem": {"zh-CN": "问题", "en": "Problem"},
    "admin_search": {"zh-CN": "查找（姓名、单位、备注）", "en": "Search (name, unit, note)"},
    "admin_name": {"zh-CN": "姓名", "en": "Name"},
    "admin_unit": {"zh-CN": "单位", "en": "Unit"},
    "admin_gender": {"zh-CN": "性别", "en": "Gender"},
    "admin_entitled_col": {"zh-CN": "选举权", "en": "Vote"},
    "admin_note": {"zh-CN": "备注", "en": "Note"},
    "admin_card": {"zh-CN": "签到卡号", "en": "Card"},
    "admin_state": {"zh-CN": "状态", "en": "State"},
    "admin_yes": {"zh-CN": "有", "en": "yes"},
    "admin_retained": {"zh-CN": "保留会籍（无）", "en": "retained (none)"},
    "admin_cards_pdf": {"zh-CN": "打印签到卡（PDF）", "en": "Print check-in cards (PDF)"},
    "admin_shown": {"zh-CN": "共 {total} 人，显示 {shown} 人", "en": "{total} found, {shown} shown"},
    # attendance
    "admin_scan": {"zh-CN": "扫描签到卡", "en": "Scan a card"},
    "admin_scan_help": {"zh-CN": "将光标放在此框内，用扫码枪扫描代表证上的二维码（或输入卡号后按回车）。",
                        "en": "Keep the cursor here and scan the card's QR code "
                              "(or type the code and press Enter)."},
    "admin_check_in": {"zh-CN": "签到", "en": "Check in"},
    "admin_undo": {"zh-CN": "撤销签到", "en": "Undo"},
    "admin_checked_in": {"zh-CN": "已签到", "en": "present"},
    "admin_not_checked_in": {"zh-CN": "未签到", "en": "absent"},
    "admin_done_check_in": {"zh-CN": "{name}（{unit}）签到成功。", "en": "{name} ({unit}) checked in."},
    "admin_already": {"zh-CN": "{name}（{unit}）此前已签到。",
                      "en": "{name} ({unit}) was already checked in."},
    "admin_done_undo": {"zh-CN": "已撤销 {name}（{unit}）的签到。",
                        "en": "Check-in of {name} ({unit}) undone."},
    "admin_recent": {"zh-CN": "本机最近签到", "en": "Recent check-ins here"},
    "admin_find_person": {"zh-CN": "按姓名查找", "en": "Find by name"},
    # contests
    "admin_new_contest": {"zh-CN": "新建选举事项", "en": "New contest"},
    "admin_title": {"zh-CN": "名称", "en": "Title"},
    "admin_office": {"zh-CN": "选举职务", "en": "Office"},
    "office_committee": {"zh-CN": "委员会委员", "en": "committee"},
    "office_audit_committee": {"zh-CN": "经费审查委员会委员", "en": "audit committee"},
    "office_chair": {"zh-CN": "主席", "en": "chair"},
    "office_vice_chair": {"zh-CN": "副主席", "en": "vice-chair"},
    "office_standing_committee": {"zh-CN": "常务委员会委员", "en": "standing committee"},
    "office_women_committee": {"zh-CN": "女职工委员会委员", "en": "women's committee"},
    "office_other": {"zh-CN": "其他", "en": "other"},
    "office_audit_chair": {"zh-CN": "经费审查委员会主任", "en": "audit committee chair"},
    "admin_method": {"zh-CN": "选举方式", "en": "Method"},
    "method_differential": {"zh-CN": "差额", "en": "differential"},
    "method_equal": {"zh-CN": "等额", "en": "equal"},
    "admin_seats": {"zh-CN": "应选名额", "en": "Seats"},
    "admin_candidates": {"zh-CN": "候选人（按姓氏笔画为序）", "en": "Candidates (stroke order)"},
    "admin_candidates_input": {"zh-CN": "候选人，每行一人；同名者在逗号后写备注，如：王芳，一车间",
                               "en": "Candidates, one a line; a note after a comma tells same names apart"},
    "admin_candidate_count": {"zh-CN": "候选人数", "en": "Candidates"},
    "admin_slate_column": {"zh-CN": "候选人数要求", "en": "Slate"},
    "admin_slate_short": {"zh-CN": "不符合", "en": "too few"},
    "admin_slate_needs_at_least": {"zh-CN": "不符合：候选人至少须 {n} 名",
                                   "en": "too few: needs at least {n} candidates"},
    "admin_slate_needs_exactly": {"zh-CN": "不符合：候选人须为 {n} 名",
                                  "en": "does not fit: needs exactly {n} candidates"},
    "admin_add_candidate": {"zh-CN": "添加候选人", "en": "Add candidate"},
    "admin_remove": {"zh-CN": "删除", "en": "Remove"},
    "admin_settings": {"zh-CN": "计票规则设置", "en": "Settings"},
    "admin_officials": {"zh-CN": "监票人、计票人", "en": "Scrutineers and tellers"},
    "admin_add_official": {"zh-CN": "添加", "en": "Add"},
    "role_chief_scrutineer": {"zh-CN": "总监票人", "en": "chief scrutineer"},
    "role_scrutineer": {"zh-CN": "监票人", "en": "scrutineer"},
    "role_teller": {"zh-CN": "计票人", "en": "teller"},
    "admin_open_round": {"zh-CN": "开始第一轮投票", "en": "Open round 1"},
    "admin_opened": {"zh-CN": "第 {number} 轮投票已开始：应到 {entitled} 人，实到 {present} 人。",
                     "en": "Round {number} is open: {entitled} entitled, {present} present."},
    "admin_no_quorum_warning": {"zh-CN": "注意：未达法定人数，选举不能进行。",
                                "en": "Note: no quorum; the vote cannot be held."},
    "admin_slate_ok": {"zh-CN": "候选人数符合要求。", "en": "The slate has enough candidates."},
    "admin_size_note": {"zh-CN": "委员会规模提示：", "en": "Committee size: "},
    "admin_unknown_chars": {"zh-CN": "笔画数据中没有“{char}”（{names}），排在已知字之后，请人工核对顺序。",
                            "en": "No stroke data for “{char}” ({names}); sorted last, check by hand."},
    "admin_round": {"zh-CN": "第 {number} 轮", "en": "Round {number}"},
    "state_draft": {"zh-CN": "草稿", "en": "draft"},
    "state_open": {"zh-CN": "投票中", "en": "open"},
    "state_sealed": {"zh-CN": "已封存", "en": "sealed"},
    "admin_not_editable": {"zh-CN": "第一轮已开始，选举事项不能再修改。",
                           "en": "Round 1 has started; the contest can no longer change."},
    "admin_no_contests": {"zh-CN": "尚无选举事项。", "en": "No contests yet."},
    "setting_quorum": {"zh-CN": "法定人数", "en": "Quorum"},
    "setting_threshold_base": {"zh-CN": "当选票数基数", "en": "Threshold base"},
    "setting_differential_rate_percent": {"zh-CN": "差额率下限 %", "en": "Least differential rate %"},
    "setting_tie_break": {"zh-CN": "票数相等", "en": "Ties"},
    "setting_shortfall": {"zh-CN": "当选不足", "en": "Shortfall"},
    "setting_unreadable": {"zh-CN": "无法辨认的标记", "en": "Unreadable marks"},
    "setting_write_in_needs_yes_mark": {"zh-CN": "另选他人须划赞成", "en": "Write-in needs a yes mark"},
    "threshold_entitled": {"zh-CN": "应到会有选举权人数", "en": "entitled (E)"},
    "threshold_present": {"zh-CN": "实到人数", "en": "present (P)"},
    "threshold_returned_ballots": {"zh-CN": "收回选票数", "en": "returned ballots (R)"},
    "threshold_valid_ballots": {"zh-CN": "有效票数", "en": "valid ballots"},
    "tie_revote": {"zh-CN": "再次投票", "en": "re-vote"},
    "tie_fewest_no": {"zh-CN": "不赞成票少者当选", "en": "fewest no votes"},
    "shortfall_another_election": {"zh-CN": "另行选举", "en": "another election"},
    "shortfall_reduce_seats": {"zh-CN": "经大会同意减少名额", "en": "reduce seats"},
    "shortfall_vacant": {"zh-CN": "名额空缺", "en": "leave vacant"},
    "unreadable_void_ballot": {"zh-CN": "整张作废票", "en": "void the ballot"},
    "unreadable_count_as_abstain": {"zh-CN": "该项按弃权计", "en": "count as abstain"},
    "admin_true": {"zh-CN": "是", "en": "yes"},
    "admin_false": {"zh-CN": "否", "en": "no"},
    "admin_default": {"zh-CN": "（默认）", "en": " (default)"},
})

SETTINGS_CHOICES: dict[str, tuple[str, tuple[str, ...]]] = {
    # setting → (message prefix of its choices, choices)
    "quorum": ("rule_", QUORUM_CHOICES),
    "threshold_base": ("threshold_", THRESHOLD_BASE_CHOICES),
    "tie_break": ("tie_", TIE_BREAK_CHOICES),
    "shortfall": ("shortfall_", SHORTFALL_CHOICES),
    "unreadable": ("unreadable_", UNREADABLE_CHOICES),
}
OFFICES = ("committee", "audit_committee", "chair", "vice_chair", "standing_committee",
           "women_committee", "other", "audit_chair")

# Texts admin.js needs, handed over once per page in the page's language.
JS_TEXTS = (
    "admin_entitled", "admin_present", "admin_needed", "admin_quorum_met", "admin_quorum_not_met",
    "admin_roster_total", "admin_saved", "admin_imported", "admin_ignored", "admin_row",
    "admin_column", "admin_problem", "admin_yes", "admin_retained", "admin_shown",
    "admin_check_in", "admin_undo", "admin_checked_in", "admin_not_checked_in",
    "admin_done_check_in", "admin_already", "admin_done_undo", "admin_remove",
    "admin_opened", "admin_no_quorum_warning", "admin_slate_ok", "admin_unknown_chars",
    "admin_round",
    "admin_not_editable", "admin_no_contests", "admin_add_candidate",
    "admin_add_official", "admin_open_round", "admin_save", "admin_settings", "admin_officials",
    "admin_candidates", "admin_name", "admin_note", "admin_true", "admin_false", "admin_default",
    "admin_method", "admin_seats", "admin_office", "admin_slate_short",
    "admin_slate_needs_at_least", "admin_slate_needs_exactly",
    "admin_retained_no_check_in", "admin_officials_person", "admin_officials_account",
    "admin_no_account", "admin_quorum_empty", "admin_unit", "admin_size_note", "admin_duty",
    *(f"rule_{c}" for c in QUORUM_CHOICES), *(f"state_{s}" for s in ("draft", "open", "sealed")),
    *(f"office_{o}" for o in OFFICES), "method_differential", "method_equal",
    *(f"role_{r}" for r in CONTEST_OFFICES),
    *(f"setting_{s}" for s in ("quorum", "threshold_base", "differential_rate_percent", "tie_break",
                              "shortfall", "unreadable", "write_in_needs_yes_mark")),
    *(prefix + choice for prefix, choices in SETTINGS_CHOICES.values() for choice in choices),
)

NAV = (("admin.overview", "admin_overview"), ("admin.roster", "admin_roster"),
       ("admin.attendance", "admin_attendance"), ("admin.contests", "admin_contests"),
       ("users_web.users_page", "admin_users_link"), ("ballots_web.ballots_page", "admin_ballots_link"),
       ("board.board_page", "admin_board_link"))


def _nav() -> list[dict[str, Any]]:
    """Links to the secretariat's pages, including other areas' pages when they exist.
    The congress (or plenary, R13) being worked on stays chosen from page to page."""
    links = []
    chosen = request.args.get("congress", type=int)
    for endpoint, key in NAV:
        if endpoint in current_app.view_functions:
            href = url_for(endpoint, congress=chosen) if chosen and endpoint.startswith("admin.") \
                else url_for(endpoint)
            links.append({"href": href, "label": t(key),
                          "active": request.endpoint == endpoint})
    return links


def _page(template: str, **context: Any):
    db = get_db()
    congress_id = chosen_congress_id()
    congress = queries.congress_row(db, congress_id) if congress_id else None
    offices = plenary_web.offices_of(congress, OFFICES)  # R13: what this body elects
    if congress is not None:
        congress["archived"] = is_archived(db, congress["id"])
    data = {"congress_id": congress["id"] if congress else None,
            "texts": {key: t(key) for key in (*JS_TEXTS, *plenary_web.JS_TEXTS)},
            "settings": {name: list(choices) for name, (_p, choices) in SETTINGS_CHOICES.items()},
            "offices": list(offices), "official_roles": list(CONTEST_OFFICES),
            "setting_order": list(RuleSettings().as_dict()),
            "accounts": accounts_for_duties(db)}
    return render_template(template, congress=congress, admin_nav=_nav(), admin_data=data,
                           offices=offices, plenary=plenary_web.context(db, congress), **context)


@bp.get("/admin")
@page_for(*SECRETARIAT, title="admin_overview")
def overview():
    from .day_steps import secretariat_steps

    congress_id = chosen_congress_id()
    steps = secretariat_steps(get_db(), congress_id) if congress_id else []
    return _page("admin_overview.html", steps=steps)


@bp.get("/admin/roster")
@page_for(*SECRETARIAT, title="admin_roster")
def roster():
    return _page("admin_roster.html")


@bp.get("/admin/attendance")
@page_for(*SECRETARIAT, title="admin_attendance")
def attendance():
    return _page("admin_attendance.html")


@bp.get("/admin/contests")
@page_for(*SECRETARIAT, title="admin_contests")
def contests():
    return _page("admin_contests.html")
