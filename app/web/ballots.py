"""The secretariat's ballot page (/admin/ballots): print a round's ballots with a
progress bar and download the PDF; void spare ballots by scanning or typing their code,
or by count; see and enter the issuance accounting (I, R) with R2 shown live.

The page only calls the JSON API (app/api/ballots.py); each action there checks the role.
"""

from __future__ import annotations

from flask import Blueprint, render_template, request

from .. import permissions
from ..auth import current_user
from ..ballots.issue import MAX_PER_BATCH
from ..edge.page_guard import page_for
from ..i18n import register
from ..roles import RESULT_READERS
from .admin import _nav
from .day import chosen_congress_id

bp = Blueprint("ballots_web", __name__, template_folder="templates")

# Who may open the page: the secretariat prints, the chief scrutineer voids spares and
# enters R; scrutineers watch the figures.
PAGE_ROLES = RESULT_READERS

register({
    "ballots_title": {"zh-CN": "选票印制与发放", "en": "Ballot printing and issuance"},
    "ballots_round_n": {"zh-CN": "第 {number} 轮", "en": "round {number}"},
    "ballots_round": {"zh-CN": "选举事项与轮次", "en": "Contest and round"},
    "ballots_state_draft": {"zh-CN": "未开始", "en": "draft"},
    "ballots_state_open": {"zh-CN": "进行中", "en": "open"},
    "ballots_state_sealed": {"zh-CN": "已封存", "en": "sealed"},
    "ballots_print": {"zh-CN": "印制选票", "en": "Print ballots"},
    "ballots_count": {"zh-CN": "张数", "en": "Number of ballots"},
    "ballots_print_go": {"zh-CN": "生成 PDF", "en": "Make the PDF"},
    "ballots_print_note": {
        "zh-CN": "每张选票一页（候选人少时用 A5，否则 A4），带唯一编号和防伪二维码。"
                 "只有进行中的轮次才能印制。",
        "en": "One page per ballot (A5 for a short slate, otherwise A4), each with a unique code "
              "and a signed QR code. Only an open round can be printed."},
    "ballots_progress": {"zh-CN": "已生成 {done} / {total} 张", "en": "{done} of {total} made"},
    "ballots_download": {"zh-CN": "下载 PDF（第 {batch} 批）", "en": "Download the PDF (batch {batch})"},
    "ballots_delete_pdf": {"zh-CN": "打印完毕，删除 PDF", "en": "Printed: delete the PDF"},
    "ballots_delete_note": {
        "zh-CN": "PDF 中选票编号的顺序与纸张叠放顺序相同；为保证无记名投票，打印后请删除。",
        "en": "The PDF lists the codes in the order of the stacked sheets; delete it once "
              "printed to keep the vote secret."},
    "ballots_deleted": {"zh-CN": "PDF 已删除。", "en": "The PDF was deleted."},
    "ballots_accounting": {"zh-CN": "选票发放统计", "en": "Issuance accounting"},
    "ballots_printed": {"zh-CN": "已印制", "en": "Printed"},
    "ballots_voided": {"zh-CN": "已作废", "en": "Voided"},
    "ballots_voided_detail": {"zh-CN": "扫码作废 {scanned}，按张数作废 {by_count}",
                              "en": "{scanned} scanned, {by_count} by count"},
    "ballots_issued": {"zh-CN": "发出选票（I）", "en": "Ballots issued (I)"},
    "ballots_issued_auto": {"zh-CN": "= 已印制 − 已作废", "en": "= printed − voided"},
    "ballots_issued_entered": {"zh-CN": "手工填写", "en": "entered by hand"},
    "ballots_returned": {"zh-CN": "收回选票（R）", "en": "Ballots returned (R)"},
    "ballots_r2": {"zh-CN": "选举是否有效（收回的选票不多于发出的选票）",
                   "en": "Round valid (no more ballots returned than issued)"},
    "ballots_r2_valid": {"zh-CN": "有效", "en": "valid"},
    "ballots_r2_void": {"zh-CN": "无效：收回的选票多于发出的选票，应重新选举",
                        "en": "void: more ballots returned than issued; vote again"},
    "ballots_r2_unknown": {"zh-CN": "待总监票人填写收回张数",
                           "en": "waiting for the chief scrutineer to enter the ballots returned"},
    "ballots_void": {"zh-CN": "作废空白选票", "en": "Void spare ballots"},
    "ballots_void_code": {"zh-CN": "扫描二维码或输入编号", "en": "Scan the QR code or type the code"},
    "ballots_void_go": {"zh-CN": "作废此张", "en": "Void this one"},
    "ballots_voided_one": {"zh-CN": "已作废：{serial}", "en": "Voided: {serial}"},
    "ballots_void_count": {"zh-CN": "按张数作废（合计）", "en": "Voided by count (total)"},
    "ballots_save": {"zh-CN": "保存", "en": "Save"},
    "ballots_issued_enter": {"zh-CN": "手工填写发出张数（留空则按印制减作废计算）",
                             "en": "Enter the ballots issued by hand (empty: printed − voided)"},
    "ballots_returned_enter": {"zh-CN": "收回张数（总监票人填写）",
                               "en": "Ballots returned (entered by the chief scrutineer)"},
    "ballots_saved": {"zh-CN": "已保存。", "en": "Saved."},
    "ballots_batches": {"zh-CN": "印制批次", "en": "Print batches"},
    "ballots_no_rounds": {"zh-CN": "还没有选举事项。", "en": "There are no contests yet."},
    "ballots_beijing": {"zh-CN": "北京时间", "en": "Beijing time"},
    "ballots_batch_line": {"zh-CN": "第 {number} 批：印制 {printed} 张，{at}（北京时间）",
                           "en": "Batch {number}: {printed} printed, {at} (Beijing time)"},
    "ballots_over_present": {
        "zh-CN": "发出 {issued} 张多于参加选举人数 {present} 人：请作废多余的空白票，或在封存前写明原因。",
        "en": "{issued} issued to {present} present: void the spare ballots, or give the reason "
              "before sealing."},
    "ballots_over_present_ack": {"zh-CN": "发出 {issued} 张多于参加选举人数 {present} 人，"
                                          "已确认原因：{reason}",
                                 "en": "{issued} issued to {present} present, acknowledged: {reason}"},
    "ballots_over_present_reason": {"zh-CN": "发出张数多于参加选举人数的原因（写明后再保存）",
                                    "en": "Why more were issued than are present (write it, then save)"},
})


@bp.get("/admin/ballots")
@page_for(*PAGE_ROLES, title="ballots_title")
def ballots_page():
    user = current_user()
    return render_template("ballots.html", max_count=MAX_PER_BATCH,
                           may_print=permissions.is_secretariat(user),
                           may_keep_spares=permissions.may_keep_spares(user),
                           may_record_returned=permissions.may_record_returned(user),
                           congress_id=chosen_congress_id(), wanted_round=request.args.get("round", type=int),
                           admin_nav=_nav() if permissions.is_secretariat(user) else [])
