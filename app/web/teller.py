"""The teller's tablet page (/teller): pick the contest round, then per ballot take a
photo, scan the QR with a handheld scanner or type the code; check and correct what was
read; confirm. Confirmed ballots wait in the tablet's own queue (localStorage) until the
server acknowledges them, so a Wi-Fi drop loses nothing.

The page only calls the JSON API (app/api/counting.py, the photo reader and the layout);
the API checks every role.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, current_app, render_template, request, url_for

from ..edge.page_guard import page_for
from ..i18n import register, t
from ..roles import COUNTERS
from ..security import tls
from ..security.enrollment import qr_png_data_uri
from .day import chosen_congress_id

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
    "tl_no_rounds": {"zh-CN": "当前大会没有正在计票的轮次",
                     "en": "No round of this congress is open for counting"},
    "tl_serial": {"zh-CN": "选票编号", "en": "Ballot"},
    "tl_seen_same": {"zh-CN": "已计过：此票已按相同结果计入，确认不会重复计数",
                     "en": "Already counted with this same reading: confirming does not count it twice"},
    "tl_seen_different": {"zh-CN": "与已计结果不同，确认后交监票人裁定",
                          "en": "Differs from the counted reading: confirming sends it to the scrutineers"},
    "tl_progress_returned": {"zh-CN": "已计 {n} / 收回 {total}", "en": "Counted {n} / returned {total}"},
    "tl_progress_issued": {"zh-CN": "已计 {n} / 发出 {total}", "en": "Counted {n} / issued {total}"},
    "tl_progress_plain": {"zh-CN": "已计 {n}", "en": "Counted {n}"},
    "tl_cam_waiting": {"zh-CN": "放上选票，保持不动即自动拍摄", "en": "Place a ballot and hold it still"},
    "tl_cam_steady": {"zh-CN": "正在对准…", "en": "Finding the ballot…"},
    "tl_cam_no_qr": {"zh-CN": "未找到选票二维码：请将整张选票放入画面",
                     "en": "No ballot QR code: get the whole sheet in view"},
    "tl_cam_blurred": {"zh-CN": "画面模糊：请拿稳", "en": "Blurred: hold it steady"},
    "tl_cam_captured": {"zh-CN": "已拍摄：请核对，换下一张时移开本张",
                        "en": "Captured: check it; take the sheet away for the next"},
    "tl_cam_hold": {"zh-CN": "请先确认当前选票", "en": "Confirm the current ballot first"},
    "tl_flag": {"zh-CN": "标记有误", "en": "Flag"},
    "tl_flagged": {"zh-CN": "已交监票人复核", "en": "Sent to the scrutineers"},
    "tl_flag_confirm": {"zh-CN": "将选票 {serial} 标记为“可能确认有误”，交监票人复核？（已计结果不会被修改）",
                        "en": "Flag ballot {serial} as possibly confirmed wrong, for the scrutineers? "
                              "(the counted reading is not changed)"},
    "tl_flag_note": {"zh-CN": "备注（可不填）：哪里读错了，勿写投票人姓名",
                     "en": "Note (optional): what was read wrong; never who voted"},
    "tl_flag_send": {"zh-CN": "交监票人复核", "en": "Send to the scrutineers"},
    "tl_flag_cancel": {"zh-CN": "取消", "en": "Cancel"},
    "tl_sign_out_queued": {"zh-CN": "还有 {n} 张选票尚未送达服务器。现在退出，它们会留在本平板上，"
                                    "下次用本账号登录后再发送。确定退出？",
                           "en": "{n} ballots have not reached the server yet. If you sign out now they "
                                 "stay on this tablet until you sign in again. Sign out?"},
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
    "tl_flag_hint": {"zh-CN": "确认错了？点“标记有误”交监票人复核",
                     "en": "Confirmed a wrong reading? Flag it"},
})


@bp.get("/teller")
@page_for(*PAGE_ROLES, title="tl_title")
def page():
    return render_template("teller.html", texts={key: t(key) for key in SCRIPT_TEXTS},
                           congress_id=chosen_congress_id())  # the switcher's choice, as elsewhere


register({
    "tls_title": {"zh-CN": "平板安装本机证书（启用实时取景）",
                  "en": "Install this server's certificate on tablets (live camera)"},
    "tls_why": {"zh-CN": "平板浏览器只在 HTTPS 下允许实时取景、自动连续拍票。"
                         "每台平板需安装一次本服务的根证书；证书只属于本次安装，不含任何密钥。",
                "en": "A tablet's browser allows the live camera (automatic capture) only over "
                      "HTTPS. Install this installation's root certificate once on each tablet; "
                      "it holds no secret."},
    "tls_missing": {"zh-CN": "尚未生成证书：请以 UNION_HTTPS=1 启动服务（见说明文档）。",
                    "en": "No certificate yet: start the service with UNION_HTTPS=1 (see the README)."},
    "tls_scan": {"zh-CN": "用平板扫描二维码下载证书：",
                 "en": "Scan the QR code with the tablet to download it:"},
    "tls_fingerprint": {"zh-CN": "证书指纹（SHA-256，安装时核对）",
                        "en": "Fingerprint (SHA-256, check it when installing)"},
    "tls_android": {"zh-CN": "安卓平板", "en": "Android tablet"},
    # Steps are separated by "|" (one list item each).
    "tls_android_steps": {
        "zh-CN": "扫码下载 ca.crt（浏览器提示不安全时选“继续访问”）|"
                 "打开“设置 → 安全 → 更多安全设置 → 加密与凭据 → 安装证书 → CA 证书”"
                 "（各品牌名称略有不同，可在设置中搜索“CA 证书”）|"
                 "选择“仍然安装”，再选刚下载的 ca.crt|"
                 "回到浏览器，打开 https://本机地址:端口/teller，地址栏显示锁形图标即成功",
        "en": "Scan the QR code to download ca.crt (if the browser warns, continue)|"
              "Open Settings → Security → More security settings → Encryption & credentials → "
              "Install a certificate → CA certificate (search Settings for “CA certificate” "
              "if the names differ)|"
              "Tap “Install anyway” and pick the downloaded ca.crt|"
              "Back in the browser, open https://ADDRESS:PORT/teller: a padlock means done"},
    "tls_ipad": {"zh-CN": "iPad（iPadOS）", "en": "iPad (iPadOS)"},
    "tls_ipad_steps": {
        "zh-CN": "用 Safari 扫码打开链接，选择“允许”下载描述文件|"
                 "打开“设置 → 通用 → VPN 与设备管理”，点“已下载的描述文件”，按“安装”并输入锁屏密码|"
                 "打开“设置 → 通用 → 关于本机 → 证书信任设置”，打开该证书的开关（完全信任）|"
                 "回到 Safari，打开 https://本机地址:端口/teller，不再出现警告即成功",
        "en": "Open the link with Safari and allow the profile download|"
              "Settings → General → VPN & Device Management → the downloaded profile → Install "
              "(enter the passcode)|"
              "Settings → General → About → Certificate Trust Settings → switch full trust on "
              "for the certificate|"
              "Back in Safari, open https://ADDRESS:PORT/teller: no warning means done"},
})


@bp.get("/ca.crt")
def ca_certificate() -> Response:
    """The installation's CA certificate, for tablets to trust (public by nature: no sign-in)."""
    data = tls.ca_certificate(current_app.config["INSTANCE_DIR"])
    if data is None:
        abort(404)
    return Response(data, mimetype="application/x-x509-ca-cert",
                    headers={"Content-Disposition": 'attachment; filename="union-ca.crt"'})


@bp.app_context_processor
def tls_guide() -> dict[str, Any]:
    """What the secretariat's accounts page shows to put the CA on tablets (tls_guide.html)."""

    def guide() -> dict[str, Any]:
        fingerprint = tls.ca_fingerprint(current_app.config["INSTANCE_DIR"])
        base = (current_app.config.get("PUBLIC_BASE_URL") or request.host_url).rstrip("/")
        url = base + url_for("teller.ca_certificate")
        return {"ready": fingerprint is not None, "url": url, "fingerprint": fingerprint or "",
                "qr": qr_png_data_uri(url) if fingerprint else "",
                "android": t("tls_android_steps").split("|"), "ipad": t("tls_ipad_steps").split("|")}

    return {"tls_guide": guide}
