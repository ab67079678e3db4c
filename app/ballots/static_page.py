"""The one place that reaches into fpdf2's private parts: keeping a page's drawn bytes
and its resources (fonts) so that later pages reuse them (app/ballots/pdf.py, "Speed").

fpdf2 offers no public way to do this, so this adapter is written against one fpdf2
version and refuses any other: a new fpdf2 is checked here first (pages drawn both ways
must stay identical: tests/test_ballots_pdf.py), then FPDF2_VERSION is moved on.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import fpdf
from fpdf import FPDF

FPDF2_VERSION = "2.8.9"  # as pinned in requirements.txt

if fpdf.FPDF_VERSION != FPDF2_VERSION:
    raise RuntimeError(f"app/ballots/static_page.py is written for fpdf2 {FPDF2_VERSION}, "
                       f"not {fpdf.FPDF_VERSION}: check it and move FPDF2_VERSION on")


@dataclass
class StaticPart:
    """What one page drew between `begin` and `end`, ready to be pasted on later pages."""

    start: int
    content: bytes = b""
    resources: list[tuple[Any, set[Any]]] = field(default_factory=list)


def _contents(pdf: FPDF) -> bytearray:
    return pdf.pages[pdf.page].contents  # type: ignore[return-value]  # a bytearray while drawing


def begin(pdf: FPDF) -> StaticPart:
    """Start recording what is drawn on the current page (saved graphics state, q)."""
    part = StaticPart(start=len(_contents(pdf)))
    pdf._out("q")  # noqa: SLF001
    return part


def end(pdf: FPDF, part: StaticPart) -> StaticPart:
    """Stop recording (Q): keep the bytes drawn and the resources the page now uses."""
    pdf._out("Q")  # noqa: SLF001
    part.content = bytes(_contents(pdf)[part.start:])
    catalog = pdf._resource_catalog  # noqa: SLF001
    part.resources = [(kind, set(names)) for (number, kind), names
                      in catalog.resources_per_page.items() if number == pdf.page]
    return part


def paste(pdf: FPDF, part: StaticPart) -> None:
    """Draw a recorded part on the current page, its resources included."""
    _contents(pdf).extend(part.content)
    catalog = pdf._resource_catalog  # noqa: SLF001
    for kind, names in part.resources:
        catalog.resources_per_page[(pdf.page, kind)].update(names)
