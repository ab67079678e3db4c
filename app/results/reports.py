"""Reports (issue 6, item 4; R11; 章程 Art.27): the count report 计票结果报告单 and the
announcement 当选名单 as PDF with an embedded CJK font, the tally as CSV, and the
combined congress report for the higher union.

Every figure comes from the sealed result (`round.result_json`, produced by
`app.rules.decide`), so a report can be printed again at any time and says exactly
what was signed.
"""

from __future__ import annotations

import io
import logging
from functools import lru_cache
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace
from sqlite_utils import Database

from ..errors import AppError
from ..rules import quorum_needed
from ..security.anchor import round_anchor
from ..security.csv_cells import FormulaSafeWriter
from .digest import short_digest
from .rounds import RoundInfo, congress_rounds, load_round
from .sealing import signatures_of

# WenQuanYi Zen Hei (TrueType outlines: subsetting it is several times faster than the
# CFF outlines of Noto Sans CJK), else Noto Sans CJK SC (index 2 of Debian's collection).
FONTS = (("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0),
         ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2))

OUTCOME_TEXT = {
    "decided": "选举有效，应选名额已选足",
    "revote": "得票相等，须就票数相等的被选举人再次投票（R5）",
    "shortfall": "当选人数少于应选名额（R6）",
    "void": "收回选票多于发出选票，本轮选举无效，应重新选举（R2）",
    "no_quorum": "参加选举人数未达到法定人数，本轮不能进行选举（R1）",
    "incomplete": "计票未完成",
}
STATUS_TEXT = {"elected": "当选", "tie": "再次投票", "not_elected": "未当选"}
KIND_TEXT = {"first": "第一次投票", "revote": "再次投票", "another_election": "另行选举",
             "repeat": "重新选举"}
SETTING_TEXT: dict[str, tuple[str, dict[Any, str]]] = {
    "quorum": ("法定人数（R1）", {"at_least_two_thirds": "应到会人数三分之二以上（含本数）",
                              "more_than_two_thirds": "超过应到会人数三分之二",
                              "more_than_half": "超过应到会人数半数"}),
    "threshold_base": ("当选票数基数（R4）", {"entitled": "应到会有选举权人数",
                                       "present": "实到会人数", "returned_ballots": "收回选票数",
                                       "valid_ballots": "有效选票数"}),
    "differential_rate_percent": ("差额比例（R7）", {}),
    "tie_break": ("票数相等（R5）", {"revote": "再次投票", "fewest_no": "不赞成票少者当选，仍相等再次投票"}),
    "shortfall": ("名额不足（R6）", {"another_election": "另行选举", "reduce_seats": "经大会同意减少名额",
                                "vacant": "名额空缺"}),
    "unreadable": ("无法辨认的标记（R3）", {"void_ballot": "整张选票作废",
                                       "count_as_abstain": "该项按弃权计"}),
    "write_in_needs_yes_mark": ("另选他人须划赞成符号（R3）", {True: "是", False: "否"}),
}
# fontTools says it drops the bitmap (BDF) table of WenQuanYi when subsetting: expected.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)

ROLE_LINE = (("chief_scrutineer", "总监票人"), ("scrutineer", "监票人"), ("teller", "计票人"))


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int]:
    for path, index in FONTS:
        if Path(path).exists():
            return path, index
    raise RuntimeError("no CJK font: install fonts-noto-cjk or fonts-wqy-zenhei")


class ReportPDF(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        path, index = cjk_font()
        self.add_font("cjk", "", path, collection_font_number=index)
        self.set_auto_page_break(True, margin=18)
        self.set_margins(18, 16, 18)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 6, f"第 {self.page_no()} 页", align="C")

    def heading(self, text: str, size: int = 18) -> None:
        self.set_font("cjk", size=size)
        self.multi_cell(0, size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(2)

    def line_text(self, text: str, size: int = 11, height: float = 6.5) -> None:
        self.set_font("cjk", size=size)
        self.multi_cell(0, height, text, new_x="LMARGIN", new_y="NEXT")

    def grid(self, rows: list[list[str]], widths: list[float], header: bool = True,
             size: int = 10) -> None:
        self.set_font("cjk", size=size)
        with self.table(col_widths=widths, text_align="CENTER", first_row_as_headings=header,
                        line_height=6.5,
                        headings_style=FontFace(emphasis="", fill_color=(235, 235, 235))) as table:
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.ln(3)


def _sealed(db: Database, round_id: int) -> RoundInfo:
    info = load_round(db, round_id)
    if info.result is None:
        raise AppError(409, "round_not_sealed", number=info.number)
    return info


def _congress_name(db: Database, info: RoundInfo) -> str:
    return db.execute("SELECT name FROM congress WHERE id = ?", [info.congress_id]).fetchone()[0]


def _setting_value(key: str, value: Any) -> str:
    label, choices = SETTING_TEXT.get(key, (key, {}))
    if key == "differential_rate_percent":
        return f"{label}：不低于 {value}%"
    return f"{label}：{choices.get(value, value)}"


def draw_count_report(pdf: ReportPDF, db: Database, info: RoundInfo) -> None:
    """R11: every figure of one round, the settings, the signatures and the digest."""
    result = info.result
    assert result is not None
    pdf.add_page()
    pdf.heading(_congress_name(db, info), 14)
    pdf.heading(f"{info.title} 第 {info.number} 轮（{KIND_TEXT.get(info.kind, info.kind)}）计票结果报告单")
    entitled, present = info.entitled or 0, info.present or 0
    counts = result["ballots"]
    pdf.grid([
        ["应到会有选举权人数", str(entitled), "实到会参加选举人数", str(present)],
        ["法定人数（R1）", f"{quorum_needed(entitled, info.rules.quorum)}",
         "是否达到法定人数", "是" if result["quorum_met"] else "否"],
        ["发出选票", str(info.issued if info.issued is not None else "—"),
         "收回选票", str(info.returned if info.returned is not None else "—")],
        ["本轮选举（R2）", "有效" if result["round_valid"] else "无效",
         "应选名额", str(info.seats)],
        ["有效票", str(counts["valid"]), "无效票", str(counts["invalid"])],
        ["已计选票", str(counts["recorded"]), "当选最低票数（R4）", str(result["threshold"])],
    ], [46, 41, 46, 41], header=False)
    pdf.line_text(f"结果：{OUTCOME_TEXT.get(result['outcome'], result['outcome'])}", 12)
    pdf.ln(1)
    rows = [["序号", "姓名", "赞成", "不赞成", "弃权", "过半数", "结果"]]
    for index, row in enumerate(result["tally"], start=1):
        name = row["name"] + ("（另选他人）" if row["write_in"] else "")
        rows.append([str(index), name, str(row["yes"]), str(row["no"]) if not row["write_in"] else "—",
                     str(row["abstain"]) if not row["write_in"] else "—",
                     "是" if row["qualified"] else "否", STATUS_TEXT.get(row["status"], row["status"])])
    pdf.grid(rows, [12, 52, 20, 20, 20, 20, 30])
    elected = "、".join(p["name"] for p in result["elected"]) or "无"
    pdf.line_text(f"当选人（按姓氏笔画为序）：{elected}", 12)
    if result["revote"]:
        tied = "、".join(p["name"] for p in result["revote"]["candidates"])
        pdf.line_text(f"再次投票：{tied}，应选 {result['revote']['seats']} 名")
    if result["open_seats"]:
        pdf.line_text(f"缺额：{result['open_seats']} 名")
    if result.get("size_warning"):
        pdf.line_text(f"提示：{result['size_warning']}", 10)
    pdf.ln(2)
    pdf.line_text("本轮适用的设置：", 11)
    for key, value in result["rules"].items():
        pdf.line_text("    " + _setting_value(key, value), 10, 5.5)
    pdf.ln(2)
    pdf.line_text(f"选票摘要（SHA-256）：{short_digest(info.digest)}", 11)
    pdf.line_text(f"完整摘要：{info.digest or ''}", 8, 4.5)
    # The paper anchor of the audit log: `verify-audit --head` checks it (app/security/anchor.py).
    pdf.line_text(f"审计链头：{round_anchor(db, info.id)['audit_head']}", 8, 4.5)
    pdf.line_text(f"封存时间（UTC）：{info.sealed_at or ''}", 9, 5)
    pdf.ln(3)
    signed = signatures_of(db, info.id)
    for role, label in ROLE_LINE:
        names = [s["name"] for s in signed if s["role"] == role]
        pdf.line_text(f"{label}签字：{'、'.join(names) if names else ''}"
                      "    ____________________", 11, 8)


def count_report_pdf(db: Database, round_id: int) -> bytes:
    pdf = ReportPDF()
    pdf.set_title("计票结果报告单")
    draw_count_report(pdf, db, _sealed(db, round_id))
    return bytes(pdf.output())


def announcement_pdf(db: Database, round_id: int) -> bytes:
    """当选名单 for the presiding officer: the elected in stroke order (R9, R11)."""
    info = _sealed(db, round_id)
    result = info.result
    assert result is not None
    pdf = ReportPDF()
    pdf.set_title("当选名单")
    pdf.add_page()
    pdf.heading(_congress_name(db, info), 16)
    pdf.heading(f"{info.title}当选名单", 24)
    pdf.heading("（按姓氏笔画为序）", 14)
    pdf.ln(4)
    pdf.set_font("cjk", size=26)
    names = [p["name"] for p in result["elected"]]
    for start in range(0, len(names), 4):
        pdf.cell(0, 16, "    ".join(names[start:start + 4]), align="C", new_x="LMARGIN", new_y="NEXT")
    if not names:
        pdf.cell(0, 16, "无人当选", align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.line_text(f"应选 {info.seats} 名，当选 {len(names)} 名。"
                  f"{OUTCOME_TEXT.get(result['outcome'], '')}。", 13, 8)
    if result["revote"]:
        tied = "、".join(p["name"] for p in result["revote"]["candidates"])
        pdf.line_text(f"{tied} 得票相等，就其再次投票，应选 {result['revote']['seats']} 名。", 13, 8)
    pdf.line_text(f"第 {info.number} 轮　选票摘要 {short_digest(info.digest)}", 11, 8)
    return bytes(pdf.output())


def tally_csv(db: Database, round_id: int) -> str:
    """The tally as CSV (UTF-8 with BOM, so spreadsheet programs read the Chinese)."""
    info = _sealed(db, round_id)
    result = info.result
    assert result is not None
    out = io.StringIO()
    out.write("\ufeff")
    writer = FormulaSafeWriter(out)  # a title starting with = is text, not a formula
    writer.writerow(["contest", "round", "ref", "name", "write_in", "yes", "no", "abstain",
                     "qualified", "status"])
    for row in result["tally"]:
        writer.writerow([info.title, info.number, row["ref"] or "", row["name"],
                         int(row["write_in"]), row["yes"], row["no"], row["abstain"],
                         int(row["qualified"]), row["status"]])
    writer.writerow([])
    for key, value in (("entitled", info.entitled), ("present", info.present),
                       ("ballots_issued", info.issued), ("ballots_returned", info.returned),
                       ("valid", result["ballots"]["valid"]), ("invalid", result["ballots"]["invalid"]),
                       ("threshold", result["threshold"]), ("outcome", result["outcome"]),
                       ("digest", info.digest)):
        writer.writerow([key, value])
    return out.getvalue()


def congress_report_pdf(db: Database, congress_id: int) -> bytes:
    """章程 Art.27: the whole congress for the higher union — the elected of every
    contest, then the count report of every sealed round."""
    congress = db.execute("SELECT * FROM congress WHERE id = ?", [congress_id]).fetchone()
    if congress is None:
        raise AppError(404, "congress_not_found", congress_id=congress_id)
    rounds = [load_round(db, rid) for rid in congress_rounds(db, congress_id)]
    sealed = [info for info in rounds if info.result is not None]
    pdf = ReportPDF()
    pdf.set_title("选举结果报告")
    pdf.add_page()
    pdf.heading(congress["name"], 18)
    pdf.heading("选举结果报告（报上一级工会审批）", 16)
    kind = "组建" if congress["kind"] == "founding" else "换届"
    assembly = "会员大会" if congress["assembly"] == "members" else "会员代表大会"
    pdf.line_text(f"{kind}选举，{assembly}，会员 {congress['members']} 人。", 12)
    pdf.ln(2)
    rows = [["选举事项", "应选", "轮次", "结果", "当选人（按姓氏笔画为序）"]]
    for info in sealed:
        result = info.result
        assert result is not None
        rows.append([info.title, str(info.seats), f"第 {info.number} 轮",
                     STATUS_OUTCOME.get(result["outcome"], result["outcome"]),
                     "、".join(p["name"] for p in result["elected"]) or "—"])
    if len(rows) == 1:
        rows.append(["—", "—", "—", "尚无封存的轮次", "—"])
    pdf.grid(rows, [40, 14, 18, 24, 78], size=9)
    motions = db.execute("SELECT m.*, c.title FROM contest_motion m JOIN contest c"
                         " ON c.id = m.contest_id WHERE c.congress_id = ?", [congress_id]).fetchall()
    for motion in motions:
        what = (f"经大会决议减少名额：{motion['seats_before']} 名减为 {motion['seats_after']} 名"
                if motion["kind"] == "reduce_seats" else "缺额名额空缺")
        pdf.line_text(f"{motion['title']}：{what}。{motion['text']}", 10)
    for info in sealed:
        draw_count_report(pdf, db, info)
    return bytes(pdf.output())


STATUS_OUTCOME = {"decided": "选足", "revote": "再次投票", "shortfall": "缺额", "void": "无效",
                  "no_quorum": "不足法定人数"}
