"""The copier page (/batch): pick the round, upload the scanned stack, watch it being
read, then review: every page small with its reading drawn over it, the clean ones
confirmed in one action, the others one by one with one-tap corrections. Also the
printable reject list and the scrutineers' cross-check (server-rendered, for paper).

The page only calls the JSON API (app/api/batch.py), which checks every role.
"""

from __future__ import annotations

from flask import Blueprint, render_template

from .. import permissions
from ..auth import current_user
from ..ballots.round_layout import load_round
from ..batch import messages  # noqa: F401  (registers the area's words)
from ..batch.reports import cross_check, reject_list
from ..db import get_db
from ..edge.page_guard import page_for
from ..i18n import register, t
from ..roles import COUNTERS, SCRUTINEERS

bp = Blueprint("batch_web", __name__, template_folder="templates")

PAGE_ROLES = COUNTERS

SCRIPT_TEXTS = {
    "bt_pick_round": {"zh-CN": "请选择选举事项和轮次", "en": "Choose the contest and round"},
    "bt_round_n": {"zh-CN": "第 {number} 轮", "en": "round {number}"},
    "bt_no_rounds": {"zh-CN": "目前没有正在计票的轮次", "en": "No round is open for counting"},
    "bt_uploading": {"zh-CN": "正在上传…", "en": "Uploading…"},
    "bt_reading": {"zh-CN": "正在识别：{done} / {pages} 页", "en": "Reading: page {done} of {pages}"},
    "bt_opening": {"zh-CN": "正在打开文件…", "en": "Opening the file…"},
    "bt_ready": {"zh-CN": "识别完成：{pages} 页，用时 {seconds} 秒",
                 "en": "Read: {pages} pages in {seconds} s"},
    "bt_failed": {"zh-CN": "识别失败：{reason}", "en": "Reading failed: {reason}"},
    "bt_interrupted": {"zh-CN": "识别中断（服务进程已停止），请重新上传。",
                       "en": "Reading was interrupted (the server stopped); upload again."},
    "bt_confirm_clean": {"zh-CN": "确认 {n} 张无疑问的选票", "en": "Confirm the {n} clean ballots"},
    "bt_nothing_clean": {"zh-CN": "没有待确认的无疑问选票", "en": "No clean ballot waiting"},
    "bt_confirmed": {"zh-CN": "已计入 {added} 张；重复 {duplicate} 张；不一致 {conflict} 张（交监票人）",
                     "en": "Counted {added}; duplicates {duplicate}; conflicts {conflict} (to scrutineers)"},
    "bt_page": {"zh-CN": "第 {page} 页", "en": "Page {page}"},
    "bt_clean": {"zh-CN": "无疑问", "en": "Clean"},
    "bt_check": {"zh-CN": "需人工确认", "en": "Check"},
    "bt_added": {"zh-CN": "已计入", "en": "Counted"},
    "bt_duplicate": {"zh-CN": "已计过（重复）", "en": "Already counted"},
    "bt_conflict": {"zh-CN": "不一致，交监票人", "en": "Conflict: to the scrutineers"},
    "bt_yes": {"zh-CN": "赞成", "en": "Approve"},
    "bt_no": {"zh-CN": "不赞成", "en": "Disapprove"},
    "bt_abstain": {"zh-CN": "弃权", "en": "Abstain"},
    "bt_unreadable": {"zh-CN": "无法辨认", "en": "Unreadable"},
    "bt_write_in": {"zh-CN": "另选他人第 {row} 行", "en": "Write-in row {row}"},
    "bt_write_in_name": {"zh-CN": "所写姓名", "en": "Name written"},
    "bt_marked": {"zh-CN": "划了赞成", "en": "Marked"},
    "bt_not_marked": {"zh-CN": "未划", "en": "Not marked"},
    "bt_decide_first": {"zh-CN": "请先确认标黄的各行", "en": "Decide the highlighted rows first"},
    "bt_name_needed": {"zh-CN": "请填写另选他人的姓名", "en": "Type the written-in name"},
    "bt_reason_needed": {"zh-CN": "请填写无效的理由", "en": "Say why the sheet is invalid"},
    "bt_page_done": {"zh-CN": "第 {page} 页：{outcome}", "en": "Page {page}: {outcome}"},
    "bt_all_checked": {"zh-CN": "需人工确认的页面已全部处理", "en": "Every page needing a check is done"},
    "bt_batch_name": {"zh-CN": "{name}（{time} 上传）", "en": "{name} (uploaded {time})"},
    "bt_state_reading": {"zh-CN": "识别中", "en": "reading"},
    "bt_state_ready": {"zh-CN": "待确认", "en": "to confirm"},
    "bt_state_failed": {"zh-CN": "失败", "en": "failed"},
    "bt_batch_line": {"zh-CN": "{name}：{pages} 页，已计入 {recorded}，待确认 {open}，退回 {rejected}",
                      "en": "{name}: {pages} pages, {recorded} counted, {open} to confirm, {rejected} out"},
    "bt_open": {"zh-CN": "查看", "en": "Open"},
}
register(SCRIPT_TEXTS)
register({
    "bt_title": {"zh-CN": "扫描计票（复印机）", "en": "Counting by copier scan"},
    "bt_round": {"zh-CN": "选举事项与轮次", "en": "Contest and round"},
    "bt_upload_title": {"zh-CN": "上传扫描件", "en": "Upload the scan"},
    "bt_upload_help": {"zh-CN": "在复印机上把整叠选票扫描为一个 PDF 或多页 TIFF（也可为图片 ZIP），"
                                "正反面、方向均可。上传后自动识别，确认之前不计入任何选票。",
                       "en": "Scan the whole stack on the copier to one PDF or multi-page TIFF (or a ZIP "
                             "of images), any side and any way up. It is read at once; nothing is counted "
                             "until you confirm."},
    "bt_file": {"zh-CN": "扫描文件", "en": "Scanned file"},
    "bt_upload": {"zh-CN": "上传并识别", "en": "Upload and read"},
    "bt_batches": {"zh-CN": "本轮的扫描批次", "en": "This round's scanned batches"},
    "bt_review": {"zh-CN": "核对与确认", "en": "Review and confirm"},
    "bt_reject_list": {"zh-CN": "打印退回清单", "en": "Print the reject list"},
    "bt_cross_check": {"zh-CN": "平板与扫描结果核对", "en": "Tablets vs scanner cross-check"},
    "bt_legend": {"zh-CN": "绿框：赞成；红框：不赞成；黄色：需人工确认。",
                  "en": "Green frame: approve; red frame: disapprove; amber: needs a person."},
    "bt_check_page": {"zh-CN": "逐张确认", "en": "Check page by page"},
    "bt_sheet_invalid": {"zh-CN": "整张选票当场认定无效", "en": "The whole sheet is invalid on its face"},
    "bt_invalid_reason": {"zh-CN": "无效理由", "en": "Why it is invalid"},
    "bt_confirm_page": {"zh-CN": "确认此页", "en": "Confirm this page"},
    "bt_skip": {"zh-CN": "跳过", "en": "Skip"},
    "bt_view_only": {"zh-CN": "监票人可查看；上传和确认由计票人或总监票人进行。",
                     "en": "Scrutineers may look; a teller or the chief scrutineer uploads and confirms."},
    "bt_rejects_title": {"zh-CN": "退回清单", "en": "Reject list"},
    "bt_rejects_help": {"zh-CN": "请从扫描的这叠纸中抽出下列页面，重新扫描或用平板计票。",
                        "en": "Pull these sheets from the stack; rescan them or count them by tablet."},
    "bt_page_no": {"zh-CN": "页码", "en": "Page"},
    "bt_serial": {"zh-CN": "选票编号", "en": "Ballot code"},
    "bt_reason": {"zh-CN": "原因", "en": "Reason"},
    "bt_no_rejects": {"zh-CN": "没有需要退回的页面。", "en": "No sheet to pull."},
    "bt_blank_skipped": {"zh-CN": "另有 {n} 页空白页（双面扫描的背面）已跳过。",
                         "en": "{n} blank pages (backs of a duplex scan) were skipped."},
    "bt_file_line": {"zh-CN": "文件：{name}，共 {pages} 页", "en": "File: {name}, {pages} pages"},
    "bt_print": {"zh-CN": "打印", "en": "Print"},
    "bt_cross_help": {"zh-CN": "以下选票既经平板计票又经扫描识别，两者结果不一致，请监票人核对原票。",
                      "en": "These ballots were read both by a tablet and by the scanner, and the readings "
                            "differ: scrutineers, check the paper."},
    "bt_read_by_both": {"zh-CN": "两种方式都读过的选票：{n} 张", "en": "Ballots read both ways: {n}"},
    "bt_no_differences": {"zh-CN": "两种方式的结果全部一致。", "en": "Every reading agrees."},
    "bt_candidate": {"zh-CN": "候选人", "en": "Candidate"},
    "bt_tablet": {"zh-CN": "平板", "en": "Tablet"},
    "bt_scanner": {"zh-CN": "扫描", "en": "Scanner"},
    "bt_back": {"zh-CN": "返回扫描计票", "en": "Back to counting by scan"},
    "bt_mark_valid": {"zh-CN": "有效", "en": "valid"},
    "bt_mark_invalid": {"zh-CN": "无效", "en": "invalid"},
})

MARK_WORDS = {"yes": "bt_yes", "no": "bt_no", "abstain": "bt_abstain", "unreadable": "bt_unreadable",
              "valid": "bt_mark_valid", "invalid": "bt_mark_invalid"}


@bp.get("/batch")
@page_for(*PAGE_ROLES, title="bt_title")
def page():
    user = current_user()
    return render_template("batch.html", texts={key: t(key) for key in SCRIPT_TEXTS},
                           can_upload=permissions.may_upload_scans(user),
                           can_cross_check=permissions.may_cross_check(user))


@bp.get("/batch/<int:batch_id>/rejects")
@page_for(*PAGE_ROLES, title="bt_title")
def rejects(batch_id: int):
    report = reject_list(get_db(), batch_id)
    round_row = load_round(get_db(), report["round_id"])
    return render_template("batch_rejects.html", report=report, round=round_row)


@bp.get("/batch/rounds/<int:round_id>/cross-check")
@page_for(*SCRUTINEERS, title="bt_title")
def cross_check_page(round_id: int):
    report = cross_check(get_db(), round_id)
    round_row = load_round(get_db(), round_id)
    words = {key: t(value) for key, value in MARK_WORDS.items()}
    return render_template("batch_cross_check.html", report=report, round=round_row, words=words)
