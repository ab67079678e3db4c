"""The printed ballot: an A4 PDF, one ballot per page, drawn only from the layout
(app/ballots/layout.py) so that what is printed is exactly what the reader measures.

A CJK font is embedded (subset) so that every printer shows the same glyphs: Noto Sans
CJK SC, else WenQuanYi Zen Hei (app/fonts.py).

Speed: every page of a round is the same except its QR code and short code. The static
part (marks, title, instructions, table, names, boxes) is drawn once with fpdf2 on the
first page; its bytes are kept and appended to every later page, wrapped in q/Q so the
graphics state fpdf2 tracks stays true, with the page resources (fonts) copied over.
Only the QR and the code are drawn per page. `reuse_static=False` draws every page in
full (the slow path, kept to check that both give the same page).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Sequence
from typing import BinaryIO

import qrcode
from fpdf import FPDF
from fpdf.enums import WrapMode
from qrcode.constants import ERROR_CORRECT_M

from ..fonts import CjkFont, FontMissing, find_cjk_font  # noqa: F401  (FontMissing: raised from here)
from . import static_page
from .layout import Boxes, Instructions, Layout, Rect, TextArea

Progress = Callable[[int, int], None]

FONT_FAMILY = "ballot-cjk"
PT_PER_MM = 72 / 25.4
LINE_THIN = 0.2
LINE_BOX = 0.35
GREY = (110, 110, 110)

BallotFont = CjkFont


def find_font(override: str | None = None) -> BallotFont:
    """The CJK font to embed: `override` or $UNION_BALLOT_FONT ("path" or "path#index"),
    else the first installed (app/fonts.py)."""
    return find_cjk_font(override=override or os.environ.get("UNION_BALLOT_FONT"))


def qr_matrix(text: str) -> list[list[bool]]:
    """The QR symbol's modules (no quiet zone). Error correction M (15 %): the payload fits
    version 2 or 3, so a module is over 1 mm on paper and reads from a tablet photo; M
    also computes about twice as fast as H, which matters at 1,000 pages."""
    code = qrcode.QRCode(error_correction=ERROR_CORRECT_M, border=0)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def _runs(row: Sequence[bool]) -> Iterable[tuple[int, int]]:
    """(start, length) of each run of dark modules in a row."""
    start = None
    for index, dark in enumerate(row):
        if dark and start is None:
            start = index
        elif not dark and start is not None:
            yield start, index - start
            start = None
    if start is not None:
        yield start, len(row) - start


class BallotPDF:
    """Draws ballots of one layout into one fpdf2 document."""

    def __init__(self, layout: Layout, font: BallotFont | None = None, *,
                 reuse_static: bool = True) -> None:
        self.layout = layout
        self.reuse_static = reuse_static
        page = layout["page"]
        self.pdf = FPDF(unit="mm", format=(page["width"], page["height"]))
        self.pdf.set_auto_page_break(False)
        self.pdf.set_margins(0, 0, 0)
        self.pdf.set_creator("union-ballot")
        self.pdf.set_title(f"{layout['title']['text']} {layout['subtitle']['text']}")
        font = font or find_font()
        self.pdf.add_font(FONT_FAMILY, fname=font.path, collection_font_number=font.index)
        self._static: static_page.StaticPart | None = None

    # --- one page -------------------------------------------------------------------

    def add_ballot(self, qr_text: str, code: str) -> None:
        pdf = self.pdf
        pdf.add_page()
        self._draw_serial(qr_text, code)
        if self._static is not None:
            static_page.paste(pdf, self._static)
            return
        part = static_page.begin(pdf)  # see the module docstring
        self._draw_static()
        part = static_page.end(pdf, part)
        if self.reuse_static:
            self._static = part

    def output(self, out: str | os.PathLike | BinaryIO) -> None:
        if isinstance(out, (str, os.PathLike)):
            self.pdf.output(str(out))
        else:
            out.write(self.pdf.output())

    # --- the per-page part: QR and short code --------------------------------------

    def _draw_serial(self, qr_text: str, code: str) -> None:
        pdf = self.pdf
        box = self.layout["qr"]
        matrix = qr_matrix(qr_text)
        # The dark modules as one filled path of rectangles (one per run of dark modules
        # in a row), written as PDF operators in one go: calling pdf.rect() for each of
        # ~300 runs per page costs more than the rest of the page. Points, origin bottom-left.
        k, top = pdf.k, pdf.h
        module = box["w"] / len(matrix)
        ops = ["q 0 g"]
        for y, row in enumerate(matrix):
            y_pt = (top - box["y"] - (y + 1) * module) * k
            for x, length in _runs(row):
                # A hair of overlap so that no white seam shows between runs on screen.
                ops.append(f"{(box['x'] + x * module) * k:.3f} {y_pt:.3f} "
                           f"{(length * module + 0.01) * k:.3f} {(module + 0.01) * k:.3f} re")
        ops.append("f Q")
        pdf._out(" ".join(ops))  # noqa: SLF001
        area = self.layout["code"]
        pdf.set_text_color(0, 0, 0)
        pdf.set_font(FONT_FAMILY, size=min(12.0, area["h"] * 0.75 * PT_PER_MM))
        pdf.set_xy(area["x"], area["y"])
        pdf.cell(area["w"], area["h"], code, align="C")

    # --- the static part, the same on every page -----------------------------------

    def _draw_static(self) -> None:
        pdf, layout = self.pdf, self.layout
        pdf.set_fill_color(0, 0, 0)
        for mark in layout["marks"]:
            pdf.rect(mark["x"], mark["y"], mark["w"], mark["h"], style="F")
        congress = layout.get("congress") or {}
        if congress.get("text"):
            self._text_in(congress, congress["text"], 12.0)
        self._text_in(layout["title"], layout["title"]["text"], 20.0)
        self._text_in(layout["subtitle"], layout["subtitle"]["text"], 13.0)
        self._instructions(layout["instructions"])
        self._table()
        stamp = layout.get("stamp")
        if stamp:
            self._stamp(stamp)

    def _stamp(self, area: TextArea) -> None:
        """A dashed grey circle where the union stamps the ballot (盖章)."""
        pdf = self.pdf
        with pdf.local_context():
            pdf.set_draw_color(*GREY)
            pdf.set_line_width(LINE_THIN)
            pdf.set_dash_pattern(dash=1.0, gap=1.0)
            pdf.ellipse(area["x"], area["y"], area["w"], area["h"])
        pdf.set_text_color(*GREY)
        pdf.set_font(FONT_FAMILY, size=9.0)
        pdf.set_xy(area["x"], area["y"] + area["h"] / 2 - 2.5)
        pdf.cell(area["w"], 5.0, area["text"], align="C")
        pdf.set_text_color(0, 0, 0)

    def _fit_size(self, text: str, width: float, size_pt: float, floor_pt: float = 6.0) -> float:
        pdf = self.pdf
        pdf.set_font(FONT_FAMILY, size=size_pt)
        while size_pt > floor_pt and pdf.get_string_width(text) > width:
            size_pt -= 0.5
            pdf.set_font(FONT_FAMILY, size=size_pt)
        return size_pt

    def _text_in(self, area: Rect, text: str, max_pt: float, align: str = "L") -> None:
        pdf = self.pdf
        size = min(max_pt, area["h"] * 0.8 * PT_PER_MM)
        self._fit_size(text, area["w"], size)
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(area["x"], area["y"])
        pdf.cell(area["w"], area["h"], text, align=align)

    def _instructions(self, area: Instructions) -> None:
        """The instruction lines, shrunk until they fit the area."""
        pdf = self.pdf
        text = "\n".join(area["lines"])
        size = 10.5
        while True:
            pdf.set_font(FONT_FAMILY, size=size)
            line_h = size / PT_PER_MM * 1.35
            lines: list[str] = pdf.multi_cell(  # type: ignore[assignment]  # output="LINES": a list
                area["w"], line_h, text, align="L", wrapmode=WrapMode.CHAR, dry_run=True, output="LINES")
            if len(lines) * line_h <= area["h"] or size <= 6.5:
                break
            size -= 0.5
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(area["x"], area["y"])
        pdf.multi_cell(area["w"], line_h, text, align="L", wrapmode=WrapMode.CHAR)

    def _table(self) -> None:
        pdf, layout = self.pdf, self.layout
        table = layout["table"]
        headers = table["headers"]
        row_h = table["row_height"]
        name_pt = min(12.0, row_h * 0.62 * PT_PER_MM)
        pdf.set_draw_color(0, 0, 0)
        pdf.set_line_width(LINE_THIN)
        for column in table["columns"]:
            pdf.rect(column["x"], column["y"], column["w"], column["h"])
            self._text_in({"x": column["x"] + 1.0, "y": column["y"], "w": column["w"],
                           "h": column["h"]}, headers["name"], 10.0)
            for key, x in (("yes", column["yes_x"]), ("no", column["no_x"])):
                pdf.line(x, column["y"], x, column["y"] + column["h"])
                self._text_in({"x": x, "y": column["y"], "w": column["box_column"],
                               "h": column["h"]}, headers[key], 10.0, align="C")
        box_column = table["columns"][0]["box_column"]
        for candidate in layout["candidates"]:
            self._row(candidate["row"], box_column, 2)
            self._name(candidate["name_area"], candidate["name"], candidate["note"], name_pt)
            self._boxes(candidate["boxes"])
        for index, write_in in enumerate(layout["write_ins"]):
            row = write_in["row"]
            if index == 0 or row["y"] < layout["write_ins"][index - 1]["row"]["y"]:
                # The 另选他人 label sits in the gap above the first write-in row of a column.
                gap = layout["table"]["write_in_gap"]
                self._text_in({"x": row["x"], "y": row["y"] - gap, "w": row["w"], "h": gap},
                              headers["write_in"], 8.0)
            self._row(row, box_column, 1)
            area = write_in["name_area"]
            pdf.set_draw_color(*GREY)
            pdf.line(area["x"] + 1.0, area["y"] + area["h"] - 0.6, area["x"] + area["w"] - 1.0,
                     area["y"] + area["h"] - 0.6)
            pdf.set_draw_color(0, 0, 0)
            self._boxes(write_in["boxes"])

    def _row(self, row: Rect, box_column: float, box_columns: int) -> None:
        """A row's outline and the lines between its name and box columns."""
        pdf = self.pdf
        right = row["x"] + row["w"]
        if box_columns == 1:  # a write-in has no 不赞成 box: shade that cell
            pdf.set_fill_color(225, 225, 225)
            pdf.rect(right - box_column, row["y"], box_column, row["h"], style="F")
            pdf.set_fill_color(0, 0, 0)
        pdf.set_line_width(LINE_THIN)
        pdf.rect(row["x"], row["y"], row["w"], row["h"])
        for index in (1, 2):
            x = right - index * box_column
            pdf.line(x, row["y"], x, row["y"] + row["h"])

    def _name(self, area: Rect, name: str, note: str, name_pt: float) -> None:
        """The name, with its note (to tell apart two people of the same name) small after it."""
        pdf = self.pdf
        size = self._fit_size(name, area["w"] * (0.6 if note else 1.0), name_pt)
        pdf.set_text_color(0, 0, 0)
        pdf.set_xy(area["x"] + 1.0, area["y"])
        pdf.cell(pdf.get_string_width(name) + 1.0, area["h"], name)
        if note:
            used = pdf.get_string_width(name) + 2.5
            self._fit_size(note, area["w"] - used - 1.0, min(size * 0.7, 8.0), 4.5)
            pdf.set_text_color(*GREY)
            pdf.set_xy(area["x"] + used, area["y"])
            pdf.cell(area["w"] - used, area["h"], note)
            pdf.set_text_color(0, 0, 0)

    def _boxes(self, boxes: Boxes) -> None:
        pdf = self.pdf
        pdf.set_line_width(LINE_BOX)
        for box in (boxes[side] for side in ("yes", "no") if side in boxes):
            pdf.rect(box["x"], box["y"], box["w"], box["h"])
        pdf.set_line_width(LINE_THIN)


def render_ballots(layout: Layout, ballots: Sequence[tuple[str, str]],
                   out: str | os.PathLike | BinaryIO, *, progress: Progress | None = None,
                   font: BallotFont | None = None, reuse_static: bool = True) -> None:
    """Write one page per (qr_text, code) in `ballots` to `out`. `progress(done, total)` is
    called after each page and once more when the file is written (done == total + 1 never:
    the last call repeats total)."""
    document = BallotPDF(layout, font, reuse_static=reuse_static)
    total = len(ballots)
    for done, (qr_text, code) in enumerate(ballots, start=1):
        document.add_ballot(qr_text, code)
        if progress:
            progress(done, total)
    document.output(out)
    if progress:
        progress(total, total)
