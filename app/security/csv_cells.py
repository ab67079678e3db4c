"""CSV cells that a spreadsheet will not run as formulas (OWASP "CSV injection"): a text
cell starting with = + - @ or a tab/carriage return gets a leading apostrophe, which
spreadsheets show as text. Numbers are written as they are."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import Any, TextIO

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(_TRIGGERS):
        return "'" + value
    return value


class FormulaSafeWriter:
    """csv.writer with every text cell passed through safe_cell."""

    def __init__(self, out: TextIO, **options: Any) -> None:
        self._writer = csv.writer(out, **options)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([safe_cell(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
