"""Reading a roster file (CSV or Excel .xlsx) into checked roster entries.

Pure: bytes in, people and problems out; nothing touches the database. A file with any
problem yields no people at all, so the caller can never import half of it.

Accepted columns (header row, any order, extra columns ignored and reported):
姓名/name, 单位/unit, 性别/gender, 有选举权/entitled or 是否保留会籍/retained (its
opposite), 备注/note. Yes/no cells accept 是/否, Y/N, yes/no, 1/0, true/false, √/×.
CSV text may be UTF-8 (with or without a BOM) or GB18030, which Chinese Excel writes.
"""

from __future__ import annotations

import csv
import io
import time
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from ..rules import normalize_name
from .names import name_problem
from .setup import NewPerson, tidy_name

MAX_ROWS = 20_000
MAX_LENGTH = {"name": 40, "unit": 100, "gender": 10, "note": 100}
MAX_ERRORS = 200

HEADERS: dict[str, str] = {
    "姓名": "name", "名字": "name", "name": "name",
    "单位": "unit", "工作单位": "unit", "所在单位": "unit", "unit": "unit",
    "性别": "gender", "gender": "gender", "sex": "gender",
    "有选举权": "entitled", "是否有选举权": "entitled", "选举权": "entitled", "entitled": "entitled",
    "是否保留会籍": "retained", "保留会籍": "retained", "retained": "retained",
    "备注": "note", "note": "note", "notes": "note",
}
YES = {"是", "y", "yes", "1", "true", "√", "✓", "有"}
NO = {"否", "n", "no", "0", "false", "×", "✗", "无"}
GENDERS = {"男": "男", "女": "女", "m": "男", "f": "女", "male": "男", "female": "女"}



@dataclass(frozen=True)
class RowError:
    """One problem: the row as the spreadsheet numbers it (header = 1, 0 = the whole file)."""

    row: int
    column: str
    code: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class ParsedRoster:
    people: list[NewPerson]
    errors: list[RowError]
    ignored_columns: list[str]
    rows: list[int] = field(default_factory=list)  # the file row of each person

    def clashes_with(self, existing: Iterable[tuple[str, str, str]]) -> list[RowError]:
        """Rows naming someone already on the roster (same name, unit and note)."""
        taken = {(normalize_name(name), unit, note) for name, unit, note in existing}
        return [RowError(row, "name", "roster_already_listed", {"name": person.name})
                for person, row in zip(self.people, self.rows, strict=True)
                if (normalize_name(person.name), person.unit, person.note) in taken]


class RosterFileError(Exception):
    """The file as a whole cannot be read (not CSV/xlsx, no header, too many rows)."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def _header_key(text: str) -> str:
    return "".join(str(text).split()).strip("：:*").lower()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def decode_csv(data: bytes) -> str:
    """UTF-8 (BOM or not) first; else GB18030, the encoding of Chinese Excel's CSV."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("gb18030")
    except UnicodeDecodeError as error:
        raise RosterFileError("roster_encoding") from error


def _csv_rows(data: bytes) -> Iterator[list[str]]:
    text = decode_csv(data)
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",\t;，")
    except csv.Error:
        dialect = csv.excel
    try:
        yield from csv.reader(io.StringIO(text, newline=""), dialect)
    except csv.Error as error:
        raise RosterFileError("roster_csv_broken", detail=str(error)) from error


def _xlsx_rows(data: bytes) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    # An uploaded workbook is untrusted input: whatever openpyxl or the XML parser
    # raises on a damaged file (BadZipFile, KeyError, ParseError, InvalidFileException…)
    # means one thing to the user: this is not a readable .xlsx.
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001
        raise RosterFileError("roster_xlsx_broken") from error
    try:
        sheet = workbook.worksheets[0]
        # Columns past MAX_COLUMNS are never read: a sheet may claim 16,384 of them.
        for values in sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS, max_row=MAX_ROWS + 1):
            yield [_cell_text(value) for value in values]
    except RosterFileError:
        raise
    except Exception as error:  # noqa: BLE001
        raise RosterFileError("roster_xlsx_broken") from error
    finally:
        workbook.close()


# Bounds on an uploaded roster (a small .xlsx can unpack to gigabytes of XML, or list
# millions of empty cells): what it unpacks to, its rows, its columns, the time to read it.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 30
MAX_SECONDS = 20.0


def _unpacked_size_ok(data: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return sum(info.file_size for info in archive.infolist()) <= MAX_UNPACKED_BYTES
    except (zipfile.BadZipFile, ValueError):
        return True  # openpyxl names a broken file itself


def _bounded(rows: Iterator[list[str]]) -> Iterator[list[str]]:
    started = time.monotonic()
    for number, row in enumerate(rows, start=1):
        if number > MAX_ROWS:
            raise RosterFileError("roster_too_big", rows=MAX_ROWS, columns=MAX_COLUMNS)
        if number % 500 == 0 and time.monotonic() - started > MAX_SECONDS:
            raise RosterFileError("roster_too_big", rows=MAX_ROWS, columns=MAX_COLUMNS)
        if len(row) > MAX_COLUMNS:
            if any(cell.strip() for cell in row[MAX_COLUMNS:]):
                raise RosterFileError("roster_too_big", rows=MAX_ROWS, columns=MAX_COLUMNS)
            row = row[:MAX_COLUMNS]
        yield row


def file_rows(filename: str, data: bytes) -> Iterator[list[str]]:
    """The rows of a roster file, chosen by its content (xlsx is a zip) and its name;
    refused beyond MAX_UNPACKED_BYTES, MAX_ROWS, MAX_COLUMNS or MAX_SECONDS."""
    lower = filename.lower()
    if lower.endswith(".xls") and not data.startswith(b"PK"):
        raise RosterFileError("roster_old_excel")
    if data.startswith(b"PK\x03\x04") or lower.endswith(".xlsx"):
        if not _unpacked_size_ok(data):
            raise RosterFileError("roster_too_big", rows=MAX_ROWS, columns=MAX_COLUMNS)
        return _bounded(_xlsx_rows(data))
    return _bounded(_csv_rows(data))


def _problem(value: str, column: str) -> tuple[str, dict[str, Any]] | None:
    """Control characters and overlong values, for any text cell."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs") and char not in "\t":
            return "roster_control_char", {"codepoint": f"U+{ord(char):04X}"}
    limit = MAX_LENGTH.get(column)
    if limit and len(value) > limit:
        return "roster_too_long", {"length": len(value), "limit": limit}
    return None


def _yes_no(value: str) -> bool | None:
    key = value.strip().lower()
    if key in YES:
        return True
    if key in NO:
        return False
    return None


def parse_rows(rows: Iterable[list[str]]) -> ParsedRoster:
    """Check every row; collect every problem (up to MAX_ERRORS) rather than stop at one."""
    iterator = iter(rows)
    header: list[str] | None = None
    row_number = 0
    for raw in iterator:
        row_number += 1
        if any(_cell_text(cell).strip() for cell in raw):
            header = [_cell_text(cell) for cell in raw]
            break
    if header is None:
        raise RosterFileError("roster_empty")
    columns: dict[int, str] = {}
    ignored: list[str] = []
    for index, title in enumerate(header):
        key = HEADERS.get(_header_key(title))
        if key is None:
            if title.strip():
                ignored.append(title.strip())
        elif key in columns.values():
            raise RosterFileError("roster_header_twice", column=title.strip())
        else:
            columns[index] = key
    if "name" not in columns.values():
        found = "、".join(title.strip() for title in header if title.strip())
        raise RosterFileError("roster_no_name_column", found=found)
    if "entitled" in columns.values() and "retained" in columns.values():
        raise RosterFileError("roster_entitled_and_retained")

    people: list[NewPerson] = []
    person_rows: list[int] = []
    errors: list[RowError] = []
    seen: dict[tuple[str, str, str], int] = {}
    for raw in iterator:
        row_number += 1
        if row_number > MAX_ROWS + 1:
            raise RosterFileError("roster_too_many_rows", limit=MAX_ROWS)
        cells = [_cell_text(cell) for cell in raw]
        if not any(cell.strip() for cell in cells):
            continue
        values = {key: (cells[index].strip() if index < len(cells) else "")
                  for index, key in columns.items()}
        row_errors: list[RowError] = []
        for column, value in values.items():
            problem = _problem(value, column)
            if problem:
                row_errors.append(RowError(row_number, column, problem[0], problem[1]))
        name = tidy_name(values.get("name", ""))
        if not name:
            row_errors.append(RowError(row_number, "name", "roster_missing_name"))
        elif not row_errors and name_problem(name):
            row_errors.append(RowError(row_number, "name", "roster_bad_name", {"name": name}))
        gender = values.get("gender", "")
        if gender:
            gender_value = GENDERS.get(gender.lower())
            if gender_value is None:
                row_errors.append(RowError(row_number, "gender", "roster_unknown_value",
                                           {"value": gender, "allowed": "男/女"}))
            gender = gender_value or ""
        entitled = True
        for column in ("entitled", "retained"):
            text = values.get(column, "")
            if text:
                flag = _yes_no(text)
                if flag is None:
                    row_errors.append(RowError(row_number, column, "roster_unknown_value",
                                               {"value": text, "allowed": "是/否、Y/N、1/0、true/false"}))
                else:
                    entitled = flag if column == "entitled" else not flag
        same_person = (normalize_name(name), values.get("unit", ""), values.get("note", ""))
        if name and same_person in seen and not row_errors:
            row_errors.append(RowError(row_number, "name", "roster_duplicate",
                                       {"name": name, "other_row": seen[same_person]}))
        seen.setdefault(same_person, row_number)
        if row_errors:
            errors.extend(row_errors)
            if len(errors) >= MAX_ERRORS:
                break
            continue
        people.append(NewPerson(name=name, unit=values.get("unit", ""), gender=gender,
                                entitled=entitled, note=values.get("note", "")))
        person_rows.append(row_number)
    if errors:
        people, person_rows = [], []
    return ParsedRoster(people=people, errors=errors[:MAX_ERRORS], ignored_columns=ignored,
                        rows=person_rows)


def parse_roster(filename: str, data: bytes) -> ParsedRoster:
    """Read and check a whole roster file."""
    return parse_rows(file_rows(filename, data))
