"""Delegates' check-in cards: an A4 PDF, ten cards a page, each with the person's name,
unit and a QR code of their card code, which a handheld scanner types into the
attendance page. The card identifies a person for attendance only; it has nothing to
do with any ballot (R10).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import qrcode
from fpdf import FPDF

from ..fonts import FontMissing, find_cjk_font  # noqa: F401  (FontMissing: raised from here)

CARD_W, CARD_H = 85.0, 54.0  # mm, the size of a bank card
COLUMNS, ROWS = 2, 5
GAP_X, GAP_Y = 10.0, 3.0
QR_SIZE = 30.0


def cjk_font() -> tuple[str, int]:
    """(path, face index) of the CJK font (app/fonts.py); FontMissing when none is installed."""
    font = find_cjk_font()
    return font.path, font.index


def _qr_matrix(text: str) -> list[list[bool]]:
    """The QR modules of `text`, quiet zone included. One fixed mask pattern instead of
    trying all eight: the search is most of the time spent, and any mask decodes."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=2,
                         mask_pattern=0)
    code.add_data(text)
    code.make(fit=True)
    return code.get_matrix()


def _draw_qr(pdf: FPDF, text: str, x: float, y: float, size: float) -> None:
    """The QR drawn as vector rectangles (one per horizontal run of dark modules): sharp
    at any printer resolution, and far quicker than embedding an image per card."""
    matrix = _qr_matrix(text)
    module = size / len(matrix)
    pdf.set_fill_color(0)
    for row_index, row in enumerate(matrix):
        start = None
        for col_index, dark in enumerate([*row, False]):
            if dark and start is None:
                start = col_index
            elif not dark and start is not None:
                pdf.rect(x + start * module, y + row_index * module, (col_index - start) * module,
                         module, style="F")
                start = None


def _fit(pdf: FPDF, text: str, width: float) -> str:
    """Cut `text` to fit `width` mm at the current font size, marking the cut with …."""
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"


def cards_pdf(congress_name: str, people: Iterable[dict[str, Any]]) -> bytes:
    """One card per person (name, unit, note, QR of card_code, the code in print)."""
    path, index = cjk_font()
    pdf = FPDF(unit="mm", format="A4")
    pdf.set_auto_page_break(False)
    pdf.add_font("cjk", "", path, collection_font_number=index)
    pdf.set_title(f"{congress_name} 代表证（签到卡）")
    margin_x = (210 - COLUMNS * CARD_W - (COLUMNS - 1) * GAP_X) / 2
    margin_y = (297 - ROWS * CARD_H - (ROWS - 1) * GAP_Y) / 2
    per_page = COLUMNS * ROWS
    for number, person in enumerate(people):
        slot = number % per_page
        if slot == 0:
            pdf.add_page()
        x = margin_x + (slot % COLUMNS) * (CARD_W + GAP_X)
        y = margin_y + (slot // COLUMNS) * (CARD_H + GAP_Y)
        pdf.set_draw_color(150)
        pdf.set_line_width(0.2)
        pdf.rect(x, y, CARD_W, CARD_H)  # the cut line
        text_w = CARD_W - QR_SIZE - 8
        pdf.set_text_color(90)
        pdf.set_font("cjk", size=7)
        pdf.set_xy(x + 4, y + 4)
        pdf.cell(CARD_W - 8, 4, _fit(pdf, congress_name, CARD_W - 8))
        pdf.set_text_color(0)
        pdf.set_font("cjk", size=18)
        pdf.set_xy(x + 4, y + 14)
        pdf.cell(text_w, 9, _fit(pdf, person["name"], text_w))
        pdf.set_font("cjk", size=9)
        pdf.set_xy(x + 4, y + 26)
        pdf.cell(text_w, 5, _fit(pdf, person.get("unit") or "", text_w))
        if person.get("note"):
            pdf.set_xy(x + 4, y + 32)
            pdf.cell(text_w, 5, _fit(pdf, person["note"], text_w))
        pdf.set_font("cjk", size=7)
        pdf.set_xy(x + 4, y + CARD_H - 9)
        pdf.cell(text_w, 4, "签到时请出示此卡")
        qr_x = x + CARD_W - QR_SIZE - 3
        qr_y = y + 9
        _draw_qr(pdf, person["card_code"], qr_x, qr_y, QR_SIZE)
        pdf.set_font("cjk", size=8)
        pdf.set_xy(qr_x, qr_y + QR_SIZE + 1)
        pdf.cell(QR_SIZE, 4, person["card_code"], align="C")
    if not pdf.pages:
        pdf.add_page()
        pdf.set_font("cjk", size=14)
        pdf.set_xy(20, 20)
        pdf.cell(170, 10, "名册中没有人员。")
    return bytes(pdf.output())
