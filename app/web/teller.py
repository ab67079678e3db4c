"""The teller's tablet page (/teller): pick the contest round, then per ballot take a
photo, scan the QR with a handheld scanner or type the code; check and correct what was
read; confirm. Confirmed ballots wait in the tablet's own queue (localStorage) until the
server acknowledges them, so a Wi-Fi drop loses nothing.

The page only calls the JSON API (app/api/counting.py, the photo reader and the layout);
the API checks every role.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, url_for

from ..auth import current_user
from ..i18n import register, t
from ..roles import COUNTERS

bp = Blueprint("teller", __name__, template_folder="templates")

PAGE_ROLES = COUNTERS

# Texts the page's script needs, in the user's language (read from a JSON block).
SCRIPT_TEXTS = {
    "tl_pick_round": {"zh-CN": "请选择选举事项和轮次", "en": "Choose the contest and round"},
    "tl_round_n": {"zh-CN": "第 {number} 轮", "en": "round {number}"},
    "tl_yes": {"zh-CN": "赞成", "en": "Approve"},
    "tl_no": {"zh-CN": "不赞成", "en": "Disapprove"},
    "tl_abstain": {"zh-CN": "弃权", "en": "Abstain"},
    "tl_unreadable": {"zh-CN": "无法辨认", "en": "Unreadable"},
    "tl_unsure": {"zh-CN": "待确认", "en": "Check"},
    "tl_valid": {"zh-CN": "有效票", "en": "Valid ballot"},
    "tl_invalid": {"zh-CN": "无效票", "en": "Invalid ballot"},
    "tl_verdict_offline": {"zh-CN": "离线：暂无法预判有效性", "en": "Offline: validity not checked yet"},
    "tl_approvals": {"zh-CN": "赞成 {n} 人（应选 {seats} 名）", "en": "{n} approved ({seats} seats)"},
    "tl_added": {"zh-CN": "已计入", "en": "Counted"},
    "tl_duplicate": {"zh-CN": "此票已计过，未重复计入", "en": "Already counted; not counted again"},
    "tl_conflict": {"zh-CN": "与先前结果不一致，已交监票人裁定",
                    "en": "Differs from an earlier reading: sent to the scrutineers"},
    "tl_refused": {"zh-CN": "被拒绝", "en": "Refused"},
    "tl_queue_empty": {"zh-CN": "全部已送达", "en": "All delivered"},
    "tl_queue_waiting": {"zh-CN": "{n} 张待发送", "en": "{n} waiting to send"},
    "tl_offline": {"zh-CN": "网络中断，稍后自动重发", "en": "No connection; will resend"},
    "tl_login_again": {"zh-CN": "登录已过期，请重新登录（待发送的选票会保留）",
                       "en": "Session expired: sign in again (queued ballots are kept)"},
    "tl_resolve_unsure": {"zh-CN": "请先确认标黄的候选人", "en": "Decide the highlighted candidates first"},
    "tl_reason_needed": {"zh-CN": "请填写无效的理由", "en": "Say why the sheet is invalid"},
    "tl_scanning": {"zh-CN": "正在识别照片…", "en": "Reading the photo…"},
    "tl_scan_offline": {"zh-CN": "无法识别照片（网络中断）：请输入选票编号",
                        "en": "Cannot read the photo (offline): type the code"},
    "tl_already_recorded": {"zh-CN": "注意：此票已计入，再次确认将作为复核",
                            "en": "Note: this ballot is already counted; confirming again is a re-check"},
    "tl_in_conflict": {"zh-CN": "注意：此票正待监票人裁定", "en": "Note: this ballot awaits the scrutineers"},
    "tl_unverified": {"zh-CN": "离线：编号尚未核验", "en": "Offline: code not checked yet"},
    "tl_write_in_name": {"zh-CN": "另选他人姓名", "en": "Write-in name"},
    "tl_no_rounds": {"zh-CN": "目前没有正在计票的轮次", "en": "No round is open for counting"},
    "tl_serial": {"zh-CN": "选票编号", "en": "Ballot"},
    "tl_finish_first": {"zh-CN": "请先确认或放弃当前这张选票，再处理下一张",
                        "en": "Confirm or discard the current ballot before the next one"},
}
register(SCRIPT_TEXTS)
register({
    "tl_title": {"zh-CN": "计票", "en": "Counting"},
    "tl_round": {"zh-CN": "选举事项与轮次", "en": "Contest and round"},
    "tl_my_count": {"zh-CN": "本人已计", "en": "My ballots"},
    "tl_code_placeholder": {"zh-CN": "扫描二维码，或输入选票编号后按回车",
                            "en": "Scan the QR code, or type the code and press Enter"},
    "tl_code_go": {"zh-CN": "确定", "en": "Go"},
    "tl_photo": {"zh-CN": "拍照识别", "en": "Take a photo"},
    "tl_camera": {"zh-CN": "实时取景", "en": "Live camera"},
    "tl_shoot": {"zh-CN": "拍摄", "en": "Shoot"},
    "tl_candidate": {"zh-CN": "候选人", "en": "Candidate"},
    "tl_write_ins": {"zh-CN": "另选他人", "en": "Write-ins"},
    "tl_add_write_in": {"zh-CN": "添加另选他人", "en": "Add a write-in"},
    "tl_sheet_invalid": {"zh-CN": "整张选票当场认定无效（破损、作记号等）",
                         "en": "The whole sheet is invalid on its face (torn, identifying marks)"},
    "tl_invalid_reason": {"zh-CN": "无效理由", "en": "Why it is invalid"},
    "tl_confirm": {"zh-CN": "确认（回车）", "en": "Confirm (Enter)"},
    "tl_discard": {"zh-CN": "放弃此票", "en": "Discard"},
    "tl_recent": {"zh-CN": "最近处理", "en": "Recent"},
    "tl_forbidden": {"zh-CN": "只有计票人、监票人和总监票人可以计票。",
                     "en": "Only tellers and scrutineers count ballots."},
})


@bp.get("/teller")
def page():
    user = current_user()
    if user is None:
        return redirect(url_for("pages.login_page"))
    if user.role not in PAGE_ROLES:
        return render_template("teller_forbidden.html"), 403
    return render_template("teller.html", texts={key: t(key) for key in SCRIPT_TEXTS})
