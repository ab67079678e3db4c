"""The hall's results board (a big screen) and the chief scrutineer's closing page.

The board needs no sign-in: whether the hall sees live counts is the congress's
setting (`congress.live_board_public`); the data and its visibility come from
/api/results/board and its event stream.
"""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template

from .. import permissions
from ..auth import current_user
from ..congress.queries import congress_name
from ..db import get_db
from ..edge.page_guard import page_for
from ..i18n import register, t
from ..results.rounds import load_round
from ..roles import RESULT_READERS
from ..security.anchor import anchor_qr_svg, round_anchor
from .day import choose_congress, chosen_congress_id

bp = Blueprint("board", __name__, template_folder="templates")

register({
    "board_title": {"zh-CN": "选举计票实况", "en": "Live count"},
    "board_no_congress": {"zh-CN": "还没有建立大会。", "en": "No congress yet."},
    "board_connecting": {"zh-CN": "正在连接…", "en": "Connecting…"},
    "board_live": {"zh-CN": "实时", "en": "Live"},
    "board_all_sealed": {"zh-CN": "结果已全部封存", "en": "All results sealed"},
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
    "close_round": {"zh-CN": "第 {number} 轮", "en": "Round {number}"},
    "close_col_name": {"zh-CN": "姓名", "en": "Name"},
    "close_col_yes": {"zh-CN": "赞成", "en": "Yes"},
    "close_col_no": {"zh-CN": "不赞成", "en": "No"},
    "close_col_abstain": {"zh-CN": "弃权", "en": "Abstain"},
    "close_col_half": {"zh-CN": "过半数", "en": "Above half"},
    "close_col_result": {"zh-CN": "结果", "en": "Result"},
    "close_digest": {"zh-CN": "选票摘要", "en": "Ballot digest"},
    "close_signers_hint": {"zh-CN": "请在场签字的人员逐一勾选；总监票人必须签名。",
                           "en": "Tick each official who signs; the chief scrutineer must sign."},
    "close_next_title": {"zh-CN": "下一步", "en": "What follows"},
    "report_count": {"zh-CN": "计票结果报告单", "en": "Count report"},
    "report_announcement": {"zh-CN": "当选名单", "en": "Announcement"},
    "report_csv": {"zh-CN": "计票表 CSV", "en": "Tally CSV"},
    "report_export": {"zh-CN": "选票记录导出", "en": "Ballot record export"},
    "report_congress": {"zh-CN": "大会选举结果报告", "en": "Congress report"},
    "close_over_present_title": {"zh-CN": "发出选票多于参加选举人数",
                                 "en": "More ballots issued than present"},
    "close_over_present_hint": {
        "zh-CN": "请先核对发出张数（作废多余的空白票）。如确有原因，请写明原因；"
                 "原因将记入审计日志和计票结果报告单。",
        "en": "First check the number issued (void the spare ballots). If there is a reason, write it; "
              "it goes into the audit log and onto the count report."},
    "close_over_present_reason": {"zh-CN": "原因", "en": "Reason"},
    "close_over_present_save": {"zh-CN": "确认并记录原因", "en": "Acknowledge with this reason"},
})


# The closing page's script speaks through these (key → text in the page's language).
CLOSE_TEXTS: dict[str, dict[str, str]] = {
    "write_in_tag": {"zh-CN": "（另选他人）", "en": " (write-in)"},
    "colon": {"zh-CN": "：", "en": ": "},
    "not_applicable": {"zh-CN": "—", "en": "—"},
    "yes": {"zh-CN": "是", "en": "yes"},
    "no": {"zh-CN": "否", "en": "no"},
    "none": {"zh-CN": "无", "en": "none"},
    "status_elected": {"zh-CN": "当选", "en": "elected"},
    "status_tie": {"zh-CN": "票数相等", "en": "tie"},
    "status_not_elected": {"zh-CN": "未当选", "en": "not elected"},
    "fig_seats": {"zh-CN": "应选名额", "en": "Seats"},
    "fig_entitled": {"zh-CN": "应到会人数", "en": "Entitled"},
    "fig_present": {"zh-CN": "实到会人数", "en": "Present"},
    "fig_issued": {"zh-CN": "发出选票", "en": "Ballots issued"},
    "fig_returned": {"zh-CN": "收回选票", "en": "Ballots returned"},
    "fig_recorded": {"zh-CN": "已计选票", "en": "Ballots counted"},
    "fig_valid": {"zh-CN": "有效票", "en": "Valid"},
    "fig_invalid": {"zh-CN": "无效票", "en": "Invalid"},
    "fig_threshold": {"zh-CN": "当选票数", "en": "Votes to be elected"},
    "outcome": {"zh-CN": "结果：", "en": "Outcome: "},
    "outcome_decided": {"zh-CN": "选举有效，应选名额已选足", "en": "valid; every seat filled"},
    "outcome_revote": {"zh-CN": "得票相等，须就票数相等的被选举人再次投票",
                       "en": "a tie: the tied people are voted on again"},
    "outcome_shortfall": {"zh-CN": "当选人数少于应选名额", "en": "fewer elected than seats"},
    "outcome_void": {"zh-CN": "收回选票多于发出选票，本轮选举无效",
                     "en": "more ballots returned than issued: this round is void"},
    "outcome_no_quorum": {"zh-CN": "参加选举人数未达到法定人数，本轮不能进行选举",
                          "en": "no quorum: no vote can be held"},
    "outcome_incomplete": {"zh-CN": "计票未完成", "en": "counting incomplete"},
    "elected_list": {"zh-CN": "当选（按姓氏笔画为序）：", "en": "Elected (in order of surname strokes): "},
    "ready": {"zh-CN": "计票已完成，核对无误后请签名并封存。",
              "en": "Counting is complete; check, sign and seal."},
    "not_ready": {"zh-CN": "尚不能封存：", "en": "Cannot seal yet:"},
    "role_chief_scrutineer": {"zh-CN": "总监票人", "en": "Chief scrutineer"},
    "role_scrutineer": {"zh-CN": "监票人", "en": "Scrutineer"},
    "role_teller": {"zh-CN": "计票人", "en": "Teller"},
    "nobody_ticked": {"zh-CN": "还没有人签名：请勾选在场签字的总监票人、监票人和计票人。",
                      "en": "Nobody has signed yet: tick the chief scrutineer, scrutineers and "
                            "tellers who sign."},
    "chief_not_ticked": {"zh-CN": "总监票人必须签名：请勾选总监票人。",
                         "en": "The chief scrutineer must sign: tick the chief scrutineer."},
    "sealed_toast": {"zh-CN": "已封存", "en": "Sealed"},
    "sealed_at": {"zh-CN": "本轮已于 {at}（北京时间）签名封存，任何人不能再更改。",
                  "en": "This round was signed and sealed on {at} (Beijing time); nobody can change it."},
    "next_none": {"zh-CN": "本选举事项已选出全部应选名额，无需下一轮。",
                  "en": "Every seat of this contest is filled; no further round."},
    "next_taken": {"zh-CN": "本轮之后的安排已经确定。", "en": "What follows this round is already arranged."},
    "next_revote": {"zh-CN": "得票相等：须就票数相等的被选举人再次投票。",
                    "en": "A tie: the tied people must be voted on again."},
    "next_another_election": {"zh-CN": "当选人数少于应选名额：对不足的名额另行选举。",
                              "en": "Fewer elected than seats: another election for the open seats."},
    "next_reduce_seats": {"zh-CN": "当选人数少于应选名额：经大会同意可减少名额，请录入大会决议。",
                          "en": "Fewer elected than seats: the congress may reduce the seats; "
                                "enter its motion."},
    "next_vacant": {"zh-CN": "当选人数少于应选名额：不足的名额空缺。",
                    "en": "Fewer elected than seats: the open seats stay vacant."},
    "next_repeat": {"zh-CN": "本轮未能有效进行：须重新选举。", "en": "This round did not stand: vote again."},
    "next_made": {"zh-CN": "已建立第 {number} 轮（{kind}），应选 {seats} 名：{names}",
                  "en": "Round {number} ({kind}) set up for {seats} seats: {names}"},
    "next_recorded": {"zh-CN": "已记录：{kind}", "en": "Recorded: {kind}"},
    "kind_revote": {"zh-CN": "再次投票", "en": "re-vote"},
    "kind_another_election": {"zh-CN": "另行选举", "en": "another election"},
    "kind_repeat": {"zh-CN": "重新选举", "en": "repeat election"},
    "kind_reduce_seats": {"zh-CN": "减少名额", "en": "seats reduced"},
    "kind_vacant": {"zh-CN": "名额空缺", "en": "seats left vacant"},
    "over_present_ack": {"zh-CN": "发出选票 {issued} 张多于参加选举人数 {present} 人，"
                                  "已书面确认原因：{reason}",
                         "en": "{issued} ballots issued to {present} present, acknowledged in "
                               "writing: {reason}"},
    "over_present_saved": {"zh-CN": "原因已记录。", "en": "Reason recorded."},
}
register({f"closejs_{key}": texts for key, texts in CLOSE_TEXTS.items()})


@bp.get("/board")
def board_page():
    """The big screen: the congress chosen as on every other page (?congress=, the
    remembered choice, else the default body), not a board-only default."""
    congress_id = chosen_congress_id()
    return render_template("board.html", congress_id=congress_id)


@bp.get("/board/rounds/<int:round_id>/close")
@page_for(*RESULT_READERS, title="close_title", come_back=True)
def close_page(round_id: int):
    """The chief scrutineer closes, signs and seals a round; scrutineers and the
    secretariat see the same page without the seal button."""
    user = current_user()
    db = get_db()
    info = load_round(db, round_id)
    # The round belongs to one congress: the top bar's switcher (and every later page)
    # works on that one, not on whichever was chosen before.
    choose_congress(info.congress_id)
    return render_template("board_close.html", info=info, congress_name=congress_name(db, info.congress_id),
                           close_texts={key: t(f"closejs_{key}") for key in CLOSE_TEXTS},
                           can_seal=permissions.may_seal(user),
                           can_next=permissions.may_start_next_round(user))


@bp.get("/board/rounds/<int:round_id>/anchor.svg")
def anchor_qr(round_id: int):
    """A sealed round's paper anchor (audit head and ballot digest) as a QR code, for the
    board; public like the sealed result itself. Nothing for a round not yet sealed."""
    db = get_db()
    anchor = round_anchor(db, round_id)
    if not anchor["sealed"] or not anchor["digest"]:
        abort(404)
    return Response(anchor_qr_svg(anchor), mimetype="image/svg+xml",
                    headers={"Cache-Control": "public, max-age=86400"})  # a sealed round never changes
