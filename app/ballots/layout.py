"""One description of the ballot page, in millimetres: the printer draws it, the photo
reader measures against it, the tablet overlays it. They can never drift apart.

The page is A5 portrait when the slate fits it at a comfortable row height (a chair's
ballot is not a sheet of empty paper), else A4 portrait. The header names the congress,
then "<contest> 选票" and the round; an optional 盖章 area (the union's stamp) sits
at the bottom right. Four solid square alignment marks sit at the corners; the QR
code (serial, contest, round, tag) sits at the top right, inside the marks, with the
short code printed under it. Candidates are in stroke order (R9), one row each with a
赞成 (approve) and a 不赞成 (disapprove) box; rows flow into a second column when there
are many. Write-in rows (另选他人) have a name area and an approve box only: a write-in
only ever receives approvals.

Every rectangle is {"x", "y", "w", "h"} from the page's top-left corner.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypedDict

LAYOUT_FORMAT = "union-ballot-layout/1"

PAGE_W, PAGE_H = 210.0, 297.0  # A4
PAGES = {"A5": (148.0, 210.0), "A4": (PAGE_W, PAGE_H)}  # smallest first
COMFORT_ROW = 9.5  # mm: a row at least this tall on the smaller page, else the larger
STAMP_BAND = 24.0  # mm kept free above the bottom marks for the 盖章 area
MARK_SIZE = 8.0  # alignment squares
MARK_INSET = 8.0  # from the paper's edge to a mark's outer side
QR_SIZE = 30.0
MAX_CANDIDATES = 60
MAX_WRITE_INS = 5

# The table area: below the header, inside the marks.
_LEFT = MARK_INSET + MARK_SIZE + 4.0
_INSTRUCTIONS_TOP = 56.0
_INSTRUCTIONS_H = {"A4": 23.0, "A5": 27.0}  # a narrower page needs more lines
_HEADER_ROW = 7.0
_COLUMN_GAP = 6.0
_MAX_ROW = 11.0
_QR_TOP = MARK_INSET + MARK_SIZE + 1.0
_ONE_COLUMN_ROWS = 18  # more rows than this (candidates + write-ins) → two columns
BOX_MARGIN = 3.0  # free paper left and right of a box, inside its column
WRITE_IN_GAP = 3.0  # above the first write-in row: room for the 另选他人 label


class Rect(TypedDict):
    x: float
    y: float
    w: float
    h: float


class Mark(Rect):
    id: str


class TextArea(Rect):
    text: str


class Instructions(Rect):
    lines: list[str]


class Page(TypedDict):
    width: float
    height: float


class Boxes(TypedDict, total=False):
    yes: Rect
    no: Rect  # candidates only: a write-in is only ever approved


class CandidateRow(TypedDict):
    ref: str
    name: str
    note: str
    row: Rect
    name_area: Rect
    boxes: Boxes


class WriteInRow(TypedDict):
    index: int
    row: Rect
    name_area: Rect
    boxes: Boxes


class HeaderColumn(Rect):
    yes_x: float
    no_x: float
    box_column: float


class Table(TypedDict):
    columns: list[HeaderColumn]
    row_height: float
    box_margin: float
    write_in_gap: float
    headers: dict[str, str]


class Layout(TypedDict):
    """The whole page (union-ballot-layout/1); app/ballots/round_layout.py adds the ids."""

    format: str
    unit: str
    page: Page
    paper: str  # "A5" or "A4"
    marks: list[Mark]
    qr: Rect
    code: Rect
    congress: TextArea
    title: TextArea
    subtitle: TextArea
    instructions: Instructions
    stamp: TextArea | None  # the 盖章 area, when the congress asks for one
    table: Table
    seats: int
    candidates: list[CandidateRow]
    write_ins: list[WriteInRow]


class RoundLayout(Layout):
    """A round's ballot: the page and which contest round it belongs to."""

    contest_id: int
    round_id: int


@dataclass(frozen=True)
class Entry:
    ref: str
    name: str
    note: str = ""


def _rect(x: float, y: float, w: float, h: float) -> Rect:
    return {"x": round(x, 2), "y": round(y, 2), "w": round(w, 2), "h": round(h, 2)}


def instructions(seats: int, write_in_rows: int) -> list[str]:
    """The voting instructions printed on the ballot (zh-CN), with the seat count and the
    over-vote rule (R3)."""
    lines = [
        f"本项应选 {seats} 名。对候选人赞成的，在“赞成”栏内划“○”；不赞成的，在“不赞成”栏内划“×”；"
        "弃权的，不划任何符号。",
        f"所选人数（含另选他人）多于 {seats} 名的为无效票。请用黑色或蓝色笔填写，不得涂改。",
    ]
    if write_in_rows:
        lines.append("如另选他人，请在“另选他人”栏内写上其姓名，并在其后“赞成”栏内划“○”。")
    return lines


def _table_span(page: str, stamp: bool) -> tuple[float, float]:
    """Top and bottom (mm) of the candidates' table on `page`."""
    height = PAGES[page][1]
    top = _INSTRUCTIONS_TOP + _INSTRUCTIONS_H[page] + 1.0
    bottom = height - MARK_INSET - MARK_SIZE - 6.0 - (STAMP_BAND if stamp else 0.0)
    return top, bottom


def page_for(rows: int, write_in_rows: int, stamp: bool) -> str:
    """The smallest page on which `rows` rows (one column) get a comfortable height."""
    for page in PAGES:
        top, bottom = _table_span(page, stamp)
        available = bottom - top - _HEADER_ROW - (WRITE_IN_GAP if write_in_rows else 0.0)
        if page == "A4" or (rows <= _ONE_COLUMN_ROWS and available / rows >= COMFORT_ROW):
            return page
    return "A4"


def ballot_title(title: str) -> str:
    """"<contest>选票", unless the contest's title already says it is a ballot."""
    return title if title.endswith(("选票", "选举票")) else f"{title}选票"


def ballot_layout(*, title: str, round_label: str, seats: int, entries: list[Entry],
                  write_in_rows: int, congress: str = "", stamp: bool = False,
                  page: str | None = None) -> Layout:
    """The layout of one contest round's ballot. `entries` must already be in stroke order.
    `page` ("A4", "A5") is chosen to fit the slate unless given."""
    if not 1 <= len(entries) <= MAX_CANDIDATES:
        raise ValueError(f"a ballot holds 1 to {MAX_CANDIDATES} candidates, not {len(entries)}")
    if not 0 <= write_in_rows <= MAX_WRITE_INS:
        raise ValueError(f"a ballot holds 0 to {MAX_WRITE_INS} write-in rows, not {write_in_rows}")
    rows = len(entries) + write_in_rows
    page = page or page_for(rows, write_in_rows, stamp)
    page_w, page_h = PAGES[page]
    right = page_w - MARK_INSET - MARK_SIZE - 4.0
    table_top, table_bottom = _table_span(page, stamp)
    columns = 1 if rows <= _ONE_COLUMN_ROWS else 2
    per_column = -(-rows // columns)
    gap_above_write_ins = WRITE_IN_GAP if write_in_rows else 0.0
    available = table_bottom - table_top - _HEADER_ROW - gap_above_write_ins
    row_h = min(_MAX_ROW, available / per_column)
    col_w = (right - _LEFT - _COLUMN_GAP * (columns - 1)) / columns
    box_h = round(min(8.0, row_h * 0.72), 2)
    box_w = round(box_h * 1.6, 2)
    box_col = box_w + 2 * BOX_MARGIN  # width of a 赞成 / 不赞成 column

    def cell(index: int) -> tuple[float, float]:
        column, row = divmod(index, per_column)
        x = _LEFT + column * (col_w + _COLUMN_GAP)
        gap = gap_above_write_ins if index >= len(entries) else 0.0
        return x, table_top + _HEADER_ROW + row * row_h + gap

    def box(x_right: float, y: float) -> Rect:
        return _rect(x_right - box_col + BOX_MARGIN, y + (row_h - box_h) / 2, box_w, box_h)

    candidates: list[CandidateRow] = []
    for index, entry in enumerate(entries):
        x, y = cell(index)
        no_box = box(x + col_w, y)
        yes_box = box(x + col_w - box_col, y)
        candidates.append({
            "ref": entry.ref, "name": entry.name, "note": entry.note,
            "row": _rect(x, y, col_w, row_h),
            "name_area": _rect(x + 1.0, y, col_w - 2 * box_col - 2.0, row_h),
            "boxes": {"yes": yes_box, "no": no_box},
        })
    write_ins: list[WriteInRow] = []
    for index in range(write_in_rows):
        x, y = cell(len(entries) + index)
        write_ins.append({
            "index": index,
            "row": _rect(x, y, col_w, row_h),
            "name_area": _rect(x + 1.0, y + 0.5, col_w - 2 * box_col - 2.0, row_h - 1.0),
            "boxes": {"yes": box(x + col_w - box_col, y)},
        })
    header_columns: list[HeaderColumn] = [
        {"x": round(_LEFT + c * (col_w + _COLUMN_GAP), 2), "y": table_top, "w": round(col_w, 2),
         "h": _HEADER_ROW, "yes_x": round(_LEFT + c * (col_w + _COLUMN_GAP) + col_w - 2 * box_col, 2),
         "no_x": round(_LEFT + c * (col_w + _COLUMN_GAP) + col_w - box_col, 2), "box_column": box_col}
        for c in range(columns)
    ]
    far = page_w - MARK_INSET - MARK_SIZE
    bottom = page_h - MARK_INSET - MARK_SIZE
    header_w = right - _LEFT - QR_SIZE - 4.0
    stamp_d = STAMP_BAND - 4.0
    return {
        "format": LAYOUT_FORMAT,
        "unit": "mm",
        "page": {"width": page_w, "height": page_h},
        "paper": page,
        "marks": [
            {"id": "top_left", **_rect(MARK_INSET, MARK_INSET, MARK_SIZE, MARK_SIZE)},
            {"id": "top_right", **_rect(far, MARK_INSET, MARK_SIZE, MARK_SIZE)},
            {"id": "bottom_left", **_rect(MARK_INSET, bottom, MARK_SIZE, MARK_SIZE)},
            {"id": "bottom_right", **_rect(far, bottom, MARK_SIZE, MARK_SIZE)},
        ],
        "qr": _rect(right - QR_SIZE, _QR_TOP, QR_SIZE, QR_SIZE),
        # The short code, under the QR with a clear gap (the QR's quiet zone).
        "code": _rect(right - QR_SIZE - 10.0, _QR_TOP + QR_SIZE + 2.0, QR_SIZE + 10.0, 5.0),
        "congress": {**_rect(_LEFT, 17.0, header_w, 6.5), "text": congress},
        "title": {**_rect(_LEFT, 24.0, header_w, 11.0), "text": ballot_title(title)},
        "subtitle": {**_rect(_LEFT, 36.0, header_w, 6.5), "text": round_label},
        "instructions": {**_rect(_LEFT, _INSTRUCTIONS_TOP, right - _LEFT, _INSTRUCTIONS_H[page]),
                         "lines": instructions(seats, write_in_rows)},
        # Where the union stamps the ballot (盖章), clear of every box the reader looks at.
        "stamp": ({**_rect(right - stamp_d, table_bottom + 2.0, stamp_d, stamp_d), "text": "（盖章）"}
                  if stamp else None),
        "table": {"columns": header_columns, "row_height": round(row_h, 2),
                  "box_margin": BOX_MARGIN, "write_in_gap": gap_above_write_ins,
                  "headers": {"name": "候选人姓名", "yes": "赞成", "no": "不赞成",
                              "write_in": "另选他人"}},
        "seats": seats,
        "candidates": candidates,
        "write_ins": write_ins,
    }
