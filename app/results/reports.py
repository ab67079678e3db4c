"""Reports (issue 6, item 4; issue 11; R11; 章程 Art.27) as a union files them: the count
report 选举计票结果报告单 per round, the announcement of the elected 当选名单公告, the tally
as CSV, and the report to the higher union (each body's elected with gender and unit,
the women's share, then every round's count report). PDFs embed a CJK font; every text
is in the reader's language (Chinese or English), with no internal code on the page.

Every figure comes from the sealed result (`round.result_json`, produced by
`app.rules.decide`), so a report can be printed again at any time and says exactly
what was signed.
"""

from __future__ import annotations

import io
import logging
from datetime import datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace
from sqlite_utils import Database

from ..ballots.plausibility import acknowledgement
from ..digest import short_digest
from ..errors import AppError, Kind
from ..fonts import NOTO_SANS_CJK_SC, WQY_ZEN_HEI, find_cjk_font
from ..i18n import current_locale
from ..roles import CONTEST_OFFICES
from ..rules import Result, quorum_needed
from ..rules.names import normalize_name, sort_by_name
from ..rules.result import NamedRef
from ..security.anchor import round_anchor
from ..security.csv_cells import FormulaSafeWriter
from .line_breaks import JOIN, unbroken, wrap_lines
from .report_texts import KIND, OUTCOME, SETTINGS, STATUS, words
from .rounds import RoundInfo, congress_rounds, load_round
from .sealing import signatures_of

# WenQuanYi Zen Hei (TrueType outlines: subsetting it is several times faster than the
# CFF outlines of Noto Sans CJK), else Noto Sans CJK SC.
FONTS = (WQY_ZEN_HEI, NOTO_SANS_CJK_SC)
BEIJING = timezone(timedelta(hours=8))  # China keeps no daylight saving time
# fontTools says it drops the bitmap (BDF) table of WenQuanYi when subsetting: expected.
logging.getLogger("fontTools.subset").setLevel(logging.ERROR)


@lru_cache(maxsize=1)
def cjk_font() -> tuple[str, int]:
    font = find_cjk_font(FONTS)  # FontMissing (a RuntimeError) when none is installed
    return font.path, font.index


def beijing_date(iso: str | None, locale: str) -> str:
    """2026年12月6日 (or 6 December 2026) in Beijing time; blank when unknown."""
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso).astimezone(BEIJING)
    if locale == "en":
        return f"{moment.day} {moment:%B} {moment.year}"
    return f"{moment.year}年{moment.month}月{moment.day}日"


def beijing_time(iso: str | None, locale: str) -> str:
    if not iso:
        return ""
    moment = datetime.fromisoformat(iso).astimezone(BEIJING)
    return f"{beijing_date(iso, locale)} {moment:%H:%M}"


def _names(separator: str, people: list[Any]) -> str:
    """People's names joined for a sentence, each kept whole on one line."""
    return separator.join(unbroken(person["name"]) for person in people)


def padded(name: str) -> str:
    """Two-character names take the width of three in a formal list: 万丽 → 万　丽."""
    return f"{name[0]}\u3000{name[1]}" if len(name) == 2 else name


class ReportPDF(FPDF):
    def __init__(self, locale: str, page: str = "A4") -> None:
        super().__init__(format=page)
        self.locale = locale
        path, index = cjk_font()
        self.add_font("cjk", "", path, collection_font_number=index)
        self.set_auto_page_break(True, margin=18)
        self.set_margins(20, 14, 20)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("cjk", size=8)
        self.cell(0, 6, words("page", self.locale, n=self.page_no()), align="C")

    def heading(self, text: str, size: int = 18) -> None:
        self.set_font("cjk", size=size)
        self.multi_cell(0, size * 0.55, text, align="C", new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def line_text(self, text: str, size: float = 11, height: float = 6.5, align: str = "L") -> None:
        self.set_font("cjk", size=size)
        if self.locale != "en":  # Chinese line-breaking rules: no line starts with 、，。
            room = self.w - self.l_margin - self.r_margin - 2 * self.c_margin - 0.01
            text = "\n".join(wrap_lines(text, room, self.get_string_width))
        text = text.replace(JOIN, "")  # (English: fpdf2 breaks at spaces, never inside a name)
        self.multi_cell(0, height, text, align=align, new_x="LMARGIN", new_y="NEXT")

    def grid(self, rows: list[list[str]], widths: list[float], header: bool = True,
             size: int = 10, align: str = "CENTER") -> None:
        self.set_font("cjk", size=size)
        with self.table(col_widths=widths, text_align=align, first_row_as_headings=header,
                        line_height=5.6,
                        headings_style=FontFace(emphasis="", fill_color=(235, 235, 235))) as table:
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(str(value))
        self.ln(3)

    def seal_area(self, caption: str, date: str, top: float | None = None) -> None:
        """A dashed circle where the union's seal goes, with the date under it, at the
        right margin from `top` (default: here); the cursor ends below whichever is lower."""
        radius = 19.0
        below = self.get_y()
        if top is None:
            if below + 2 * radius + 16 > self.h - 18:
                self.add_page()
                below = self.get_y()
            top = below + 2
        x = self.w - self.r_margin - 2 * radius - 4
        with self.local_context():
            self.set_draw_color(150, 150, 150)
            self.set_dash_pattern(dash=1.2, gap=1.2)
            self.ellipse(x, top, 2 * radius, 2 * radius)
        self.set_font("cjk", size=10)
        self.set_text_color(120, 120, 120)
        self.set_xy(x, top + radius - 3)
        self.cell(2 * radius, 6, caption, align="C")
        self.set_text_color(0, 0, 0)
        self.set_xy(x - 30, top + 2 * radius + 3)
        self.set_font("cjk", size=11)
        self.cell(2 * radius + 30, 7, date, align="R")
        self.set_xy(self.l_margin, max(below, top + 2 * radius + 12))


def _sealed(db: Database, round_id: int) -> RoundInfo:
    info = load_round(db, round_id)
    if info.result is None:
        raise AppError(Kind.CONFLICT, "round_not_sealed", number=info.number)
    return info


def _congress(db: Database, congress_id: int) -> dict[str, Any]:
    row = db.execute("SELECT * FROM congress WHERE id = ?", [congress_id]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "congress_not_found", congress_id=congress_id)
    return dict(row)


def _round_title(info: RoundInfo, locale: str) -> str:
    kind = words(KIND[info.kind], locale) if info.kind in KIND else ""
    return words("round_title", locale, title=info.title, number=info.number, kind=kind)


def _settings_lines(result: Result, locale: str) -> list[str]:
    lines = []
    for key, value in result["rules"].items():
        if key not in SETTINGS:
            continue
        label, choices = SETTINGS[key]
        if key == "differential_rate_percent":
            text = words("rate_value", locale, value=value)
        else:
            choice = choices.get(value)
            text = words(choice, locale) if choice else str(value)
        lines.append(f"{words(label, locale)}：{text}" if locale != "en"
                     else f"{words(label, locale)}: {text}")
    return lines


def draw_count_report(pdf: ReportPDF, db: Database, info: RoundInfo) -> None:
    """R11: every figure of one round in words and numbers, the settings, one signature
    line per official, the seal, and the digest."""
    result = info.result
    assert result is not None
    locale = pdf.locale
    congress = _congress(db, info.congress_id)
    w = lambda key, **params: words(key, locale, **params)  # noqa: E731
    comma = w("list_separator")  # "、" or ", "
    pdf.add_page()
    pdf.heading(congress["name"], 14)
    pdf.heading(w("count_report_title"), 20)
    pdf.heading(_round_title(info, locale), 13)
    pdf.line_text(f"{w('date')}{beijing_date(info.sealed_at, locale)}"
                  f"{'　' * 3 if locale != 'en' else '    '}"
                  f"{w('place')}{congress.get('place') or '_' * 24}", 11, 7)
    pdf.ln(1)
    entitled, present = info.entitled or 0, info.present or 0
    counts = result["ballots"]
    dash = "—"
    pdf.grid([
        [w("entitled"), str(entitled), w("present"), str(present)],
        [w("quorum"), str(quorum_needed(entitled, info.rules.quorum)),
         w("quorum_met"), w("yes") if result["quorum_met"] else w("no")],
        [w("issued"), str(info.issued if info.issued is not None else dash),
         w("returned"), str(info.returned if info.returned is not None else dash)],
        [w("valid"), str(counts["valid"]), w("invalid"), str(counts["invalid"])],
        [w("seats"), str(info.seats), w("threshold"), str(result["threshold"])],
        [w("round_valid"), w("valid_round") if result["round_valid"] else w("void_round"),
         w("recorded"), str(counts["recorded"])],
    ], [48, 37, 48, 37], header=False)
    over = acknowledgement(db, info.id)
    if over and info.issued is not None and info.issued > present:  # I > P, acknowledged (issue 16)
        pdf.line_text(w("over_present_line", issued=info.issued, present=present,
                        reason=over["reason"]), 9, 4.6)
    pdf.line_text(f"{w('outcome')}{words(OUTCOME[result['outcome']], locale)}", 12, 7)
    pdf.ln(1)
    rows = [[w("col_no"), w("col_name"), w("col_yes"), w("col_against"), w("col_abstain"),
             w("col_result")]]
    for index, row in enumerate(result["tally"], start=1):
        name = row["name"] + (w("write_in_tag") if row["write_in"] else "")
        # A write-in only has votes for: against and abstain do not apply to it.
        rows.append([str(index), name, str(row["yes"]),
                     dash if row["write_in"] else str(row["no"]),
                     dash if row["write_in"] else str(row["abstain"]),
                     words(STATUS[row["status"]], locale)])
    pdf.grid(rows, [12, 58, 22, 22, 22, 34])
    base = result["rules"].get("threshold_base", "entitled")
    pdf.line_text(w("threshold_sentence", threshold=result["threshold"],
                    base=words(SETTINGS["threshold_base"][1].get(base, "base_entitled"), locale)), 11)
    elected = sort_by_name(result["elected"], lambda person: person["name"])
    pdf.line_text(w("elected_line", names=_names(comma, elected) or w("none")), 12, 7)
    if result["revote"]:
        pdf.line_text(w("revote_line", names=_names(comma, result["revote"]["candidates"]),
                        seats=result["revote"]["seats"]), 11)
    if result["open_seats"]:
        pdf.line_text(w("open_seats_line", seats=result["open_seats"]), 11)
    if result.get("size_warning"):
        pdf.line_text(w("size_warning", warning=result["size_warning"]), 10)
    pdf.ln(1)
    separator = "；" if locale != "en" else "; "
    pdf.line_text(w("settings_title") + separator.join(_settings_lines(result, locale))
                  + ("。" if locale != "en" else "."), 9.5, 5.2)
    pdf.ln(1)
    pdf.line_text(w("digest_line", digest=short_digest(info.digest)), 10, 6)
    pdf.line_text(w("digest_full", digest=info.digest or ""), 7, 4)
    # The paper anchor of the audit log: `verify-audit --head` checks it (app/security/anchor.py).
    pdf.line_text(w("audit_head", head=round_anchor(db, info.id)["audit_head"]), 7, 4)
    pdf.line_text(w("sealed_at", at=beijing_time(info.sealed_at, locale)), 10, 6)
    pdf.ln(3)
    signed = signatures_of(db, info.id)
    if pdf.get_y() + max(SIGN_ROW_MM * len(signed), 38) + 12 > pdf.h - pdf.b_margin:
        pdf.add_page()
    top = pdf.get_y()
    _signature_lines(pdf, signed)
    pdf.seal_area(w("seal_caption"), beijing_date(info.sealed_at, locale), top=top)


# A signature line's height: room for a handwritten name, and five officials' lines still fit
# under a ten-candidate count on the report's one sheet.
SIGN_ROW_MM = 8.0


def _signature_lines(pdf: ReportPDF, signed: list[dict[str, str]]) -> None:
    """One line per official who signed at sealing, with room for the handwritten name
    (left of the seal)."""
    locale = pdf.locale
    pdf.set_font("cjk", size=11)
    for role in CONTEST_OFFICES:
        for person in [s for s in signed if s["role"] == role]:
            pdf.cell(30, SIGN_ROW_MM, words(f"role_{role}", locale))
            pdf.cell(34, SIGN_ROW_MM, person["name"])
            pdf.cell(18 if locale != "en" else 20, SIGN_ROW_MM, words("sign_here", locale))
            pdf.cell(38, SIGN_ROW_MM, "", border="B", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)


def count_report_pdf(db: Database, round_id: int, locale: str | None = None) -> bytes:
    locale = locale or current_locale()
    pdf = ReportPDF(locale)
    pdf.set_title(words("count_report_title", locale))
    draw_count_report(pdf, db, _sealed(db, round_id))
    return bytes(pdf.output())


def announcement_pdf(db: Database, round_id: int, locale: str | None = None) -> bytes:
    """当选名单公告 for the presiding officer: formal wording, the elected in stroke order
    (R9) with two-character names padded, the issuing body and the date."""
    locale = locale or current_locale()
    info = _sealed(db, round_id)
    result = info.result
    assert result is not None
    congress = _congress(db, info.congress_id)
    w = lambda key, **params: words(key, locale, **params)  # noqa: E731
    comma = w("list_separator")  # "、" or ", "
    pdf = ReportPDF(locale)
    pdf.set_title(w("announcement_title"))
    pdf.add_page()
    pdf.ln(6)
    pdf.heading(w("announcement_title"), 24)
    pdf.ln(6)
    names = [p["name"] for p in sort_by_name(result["elected"], lambda person: person["name"])]
    if names:
        pdf.line_text("　　" * (locale != "en") + w("announcement_text", congress=congress["name"],
                                                      title=info.title), 14, 9)
    else:
        pdf.line_text(w("announcement_nobody", congress=congress["name"], title=info.title), 14, 9)
    pdf.ln(6)
    pdf.set_font("cjk", size=18)
    per_line = 4 if locale != "en" else 3
    cell = (pdf.w - pdf.l_margin - pdf.r_margin) / per_line
    for start in range(0, len(names), per_line):
        for name in names[start:start + per_line]:
            pdf.cell(cell, 13, padded(name) if locale != "en" else name, align="C")
        pdf.ln(13)
    pdf.ln(6)
    if result["revote"]:
        pdf.line_text(w("revote_line", names=_names(comma, result["revote"]["candidates"]),
                        seats=result["revote"]["seats"]), 12, 8)
    if result["open_seats"]:
        pdf.line_text(w("open_seats_line", seats=result["open_seats"]), 12, 8)
    pdf.ln(4)
    pdf.line_text(w("announcement_count", seats=info.seats, elected=len(names)), 12, 8)
    pdf.ln(16)
    issuer = congress.get("issuing_body") or w("default_issuer", congress=congress["name"])
    pdf.line_text(issuer, 14, 9, align="R")
    pdf.line_text(beijing_date(info.sealed_at, locale), 14, 9, align="R")
    pdf.ln(10)
    pdf.line_text(w("announcement_digest", number=info.number, digest=short_digest(info.digest)), 9, 6)
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


def _roster(db: Database, congress: dict[str, Any]) -> dict[str, dict[str, str]]:
    """Gender and unit by name, from the congress's roster (and its parent's: a plenary
    elects from the committee, whose members are on the congress's roster)."""
    ids = [congress["id"]]
    if congress.get("parent_id"):
        ids.append(congress["parent_id"])
    people: dict[str, dict[str, str]] = {}
    for congress_id in reversed(ids):
        for row in db.execute("SELECT name, gender, unit FROM person WHERE congress_id = ?", [congress_id]):
            people[normalize_name(row["name"])] = {"gender": row["gender"], "unit": row["unit"]}
    return people


def congress_report_pdf(db: Database, congress_id: int, locale: str | None = None) -> bytes:
    """章程 Art.27: the whole congress for the higher union — per body, its elected with
    gender and unit and the women's share; then the count report of every sealed round;
    then the same for each first plenary the congress's committees held (R13)."""
    locale = locale or current_locale()
    congress = _congress(db, congress_id)
    pdf = ReportPDF(locale)
    pdf.set_title(words("congress_report_title", locale))
    _draw_body_report(pdf, db, congress, locale)
    for plenary in db.execute("SELECT * FROM congress WHERE parent_id = ? ORDER BY id", [congress_id]):
        _draw_body_report(pdf, db, dict(plenary), locale)
    return bytes(pdf.output())


def _draw_body_report(pdf: ReportPDF, db: Database, congress: dict[str, Any], locale: str) -> None:
    """One body's part of the report: the congress, or a first plenary (R13) with its E."""
    congress_id = congress["id"]
    w = lambda key, **params: words(key, locale, **params)  # noqa: E731
    rounds = [load_round(db, rid) for rid in congress_rounds(db, congress_id)]
    sealed = [info for info in rounds if info.result is not None]
    roster = _roster(db, congress)
    pdf.add_page()
    pdf.heading(congress["name"], 16)
    pdf.heading(w("congress_report_title"), 20)
    if congress.get("parent_id") is None:
        pdf.line_text(w("congress_summary", kind=w(f"kind_{congress['kind']}"),
                        assembly=w(f"assembly_{congress['assembly']}"), members=congress["members"],
                        place=congress.get("place") or "—"), 11)
    else:
        source = db.execute("SELECT title FROM contest WHERE id = ?",
                            [congress["source_contest_id"]]).fetchone()
        members = db.execute("SELECT count(*) FROM person WHERE congress_id = ?",
                             [congress_id]).fetchone()[0]
        pdf.line_text(w("plenary_summary", source=source["title"] if source else "—",
                        members=members), 11)
    last = max((info.sealed_at or "" for info in sealed), default="")
    pdf.line_text(w("report_date", date=beijing_date(last, locale) or "—"), 11)
    pdf.ln(2)
    if not sealed:
        pdf.line_text(w("nothing_sealed"), 12)
    by_contest: dict[int, list[RoundInfo]] = {}
    for info in sealed:
        by_contest.setdefault(info.contest_id, []).append(info)
    for infos in by_contest.values():
        elected: list[NamedRef] = []
        for info in infos:
            assert info.result is not None
            elected.extend(info.result["elected"])
        first = infos[0]
        pdf.line_text(w("body_heading", title=first.title, seats=first.seats, elected=len(elected)), 13, 8)
        rows = [[w("col_no"), w("col_name"), w("col_gender"), w("col_unit")]]
        women = 0
        for index, person in enumerate(sort_by_name(elected, lambda p: p["name"]), start=1):
            facts = roster.get(normalize_name(person["name"]), {})
            gender = facts.get("gender", "")
            women += gender == "女"
            rows.append([str(index), person["name"], _gender(gender, locale) or "—",
                         facts.get("unit") or "—"])
        if len(rows) == 1:
            rows.append(["—", w("none"), "—", "—"])
        pdf.grid(rows, [14, 46, 20, 90], size=10)
        share = f"{100 * women / len(elected):.1f}%" if elected else "—"
        pdf.line_text(w("women_share", women=women, total=len(elected), share=share), 11)
        rounds_text = "；".join(
            f"{w('round_short', number=info.number)}{words(OUTCOME[info.result['outcome']], locale)}"
            for info in infos if info.result is not None)
        pdf.line_text(w("rounds_line", rounds=rounds_text), 10)
        pdf.ln(3)
    motions = db.execute("SELECT m.*, c.title FROM contest_motion m JOIN contest c"
                         " ON c.id = m.contest_id WHERE c.congress_id = ?", [congress_id]).fetchall()
    for motion in motions:
        what = (w("motion_reduce", before=motion["seats_before"], after=motion["seats_after"])
                if motion["kind"] == "reduce_seats" else w("motion_vacant"))
        pdf.line_text(f"{motion['title']}：{what}。{motion['text']}", 10)
    pdf.ln(4)
    pdf.line_text(w("attached", count=len(sealed)), 11)
    pdf.seal_area(w("seal_caption"), beijing_date(last, locale))
    for info in sealed:
        draw_count_report(pdf, db, info)


def _gender(value: str, locale: str) -> str:
    if locale == "en":
        return {"男": "male", "女": "female"}.get(value, value)
    return value
