"""The hall's results board (a big screen) and the chief scrutineer's closing page.

The board needs no sign-in: whether the hall sees live counts is the congress's
setting (`congress.live_board_public`); the data and its visibility come from
/api/results/board and its event stream.
"""

from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for

from ..auth import current_user
from ..db import get_db
from ..i18n import register
from ..results.live import default_congress
from ..results.rounds import load_round
from ..roles import RESULT_READERS

bp = Blueprint("board", __name__, template_folder="templates")

register({
    "board_title": {"zh-CN": "选举计票实况", "en": "Live count"},
    "board_no_congress": {"zh-CN": "还没有建立大会。", "en": "No congress yet."},
    "board_connecting": {"zh-CN": "正在连接…", "en": "Connecting…"},
    "board_live": {"zh-CN": "实时", "en": "Live"},
    "board_reconnecting": {"zh-CN": "连接中断，正在重新连接…", "en": "Connection lost, reconnecting…"},
    "close_title": {"zh-CN": "结束计票与封存", "en": "Close and seal the round"},
    "close_problems": {"zh-CN": "尚不能封存：", "en": "Cannot seal yet:"},
    "close_ready": {"zh-CN": "计票已完成，核对无误后请签名并封存。",
                    "en": "Counting is complete; check, sign and seal."},
    "close_signers": {"zh-CN": "签名（总监票人、监票人、计票人）",
                      "en": "Signatures (chief scrutineer, scrutineers, tellers)"},
    "close_seal": {"zh-CN": "签名并封存", "en": "Sign and seal"},
    "close_sealed": {"zh-CN": "本轮已封存。", "en": "This round is sealed."},
    "close_next": {"zh-CN": "安排下一轮", "en": "Next round"},
    "close_motion": {"zh-CN": "大会决议（减少名额时必填）",
                     "en": "The congress's motion (needed to reduce seats)"},
    "close_reports": {"zh-CN": "报告", "en": "Reports"},
    "report_count": {"zh-CN": "计票结果报告单", "en": "Count report"},
    "report_announcement": {"zh-CN": "当选名单", "en": "Announcement"},
    "report_csv": {"zh-CN": "计票表 CSV", "en": "Tally CSV"},
    "report_export": {"zh-CN": "选票记录导出", "en": "Ballot record export"},
    "report_congress": {"zh-CN": "大会选举结果报告", "en": "Congress report"},
})


@bp.get("/board")
def board_page():
    """The big screen: ?congress=ID (default: the latest congress)."""
    congress_id = request.args.get("congress", type=int) or default_congress(get_db())
    return render_template("board.html", congress_id=congress_id)


@bp.get("/board/rounds/<int:round_id>/close")
def close_page(round_id: int):
    """The chief scrutineer closes, signs and seals a round; scrutineers and the
    secretariat see the same page without the seal button."""
    user = current_user()
    if user is None:
        return redirect(url_for("pages.login_page", next=request.path))
    if user.role not in RESULT_READERS:
        return render_template("board_close.html", info=None, forbidden=True), 403
    info = load_round(get_db(), round_id)
    return render_template("board_close.html", info=info, forbidden=False,
                           can_seal=user.role == "chief_scrutineer",
                           can_next=user.role in ("admin", "chief_scrutineer"))
