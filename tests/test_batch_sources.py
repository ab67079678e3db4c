"""The pages of a copier's PDF: a page that is one JPEG filling it is decoded from the
JPEG's own bytes (the fast path), anything else is rendered by pdfium; both give the
same picture at the working size."""

from __future__ import annotations

import io
from pathlib import Path

import cv2
import numpy as np
import pypdfium2 as pdfium
import pytest

from app.batch.sources import WORK_LONG_SIDE, _scanned_jpeg, open_source

A4_MM = (210.0, 297.0)


def _sheet(dpi: int, colour: bool) -> np.ndarray:
    """A scanned-looking A4 page: paper, a dark frame, bars of grey and text-like strokes."""
    width, height = round(A4_MM[0] * dpi / 25.4), round(A4_MM[1] * dpi / 25.4)
    page = np.full((height, width), 235, np.uint8)
    cv2.rectangle(page, (width // 10, height // 10), (width * 9 // 10, height * 9 // 10), 20, dpi // 50)
    for row in range(12):
        y = height // 6 + row * height // 18
        bar_end = width // 5 + (row + 3) * width // 30
        cv2.rectangle(page, (width // 5, y), (bar_end, y + dpi // 12), 20 * row, -1)
        cv2.putText(page, f"ROW {row}", (width * 2 // 3, y + dpi // 12), cv2.FONT_HERSHEY_SIMPLEX,
                    dpi / 150, 30, max(1, dpi // 100))
    return cv2.cvtColor(page, cv2.COLOR_GRAY2BGR) if colour else page


def _pdf(path: Path, image: np.ndarray, margin_mm: float = 0.0) -> None:
    from fpdf import FPDF

    ok, data = cv2.imencode(".jpg", image, [cv2.IMWRITE_JPEG_QUALITY, 90])
    assert ok
    pdf = FPDF(unit="mm", format="A4")
    pdf.add_page()
    pdf.image(io.BytesIO(data.tobytes()), x=margin_mm, y=margin_mm, w=A4_MM[0] - 2 * margin_mm,
              h=A4_MM[1] - 2 * margin_mm)
    pdf.output(str(path))


def _rendered_by_pdfium(path: Path, size: tuple[int, int]) -> np.ndarray:
    document = pdfium.PdfDocument(str(path))
    page = document[0]
    bitmap = page.render(scale=WORK_LONG_SIDE / max(page.get_size()), grayscale=True)
    picture = np.array(bitmap.to_pil().convert("L"))
    page.close()
    document.close()
    return cv2.resize(picture, size, interpolation=cv2.INTER_AREA)


def _fast_path(path: Path) -> bool:
    document = pdfium.PdfDocument(str(path))
    page = document[0]
    try:
        return _scanned_jpeg(page) is not None
    finally:
        page.close()
        document.close()


@pytest.mark.parametrize(("dpi", "colour"), [(200, False), (300, False), (200, True), (300, True)])
def test_a_copier_page_is_decoded_from_its_jpeg_like_pdfium_renders_it(tmp_path, dpi, colour):
    path = tmp_path / "scan.pdf"
    _pdf(path, _sheet(dpi, colour))
    assert _fast_path(path)
    source, pages = open_source(path)
    gray = source.render(0)
    assert pages == 1 and gray.ndim == 2 and max(gray.shape) == WORK_LONG_SIDE
    reference = _rendered_by_pdfium(path, (gray.shape[1], gray.shape[0]))
    difference = np.abs(gray.astype(np.int16) - reference.astype(np.int16))
    assert float(difference.mean()) < 0.8, float(difference.mean())  # a pixel's shift is 1.2


def test_a_page_that_is_not_one_full_page_jpeg_is_rendered_by_pdfium(tmp_path):
    path = tmp_path / "letter.pdf"
    _pdf(path, _sheet(200, False), margin_mm=15.0)  # the picture sits inside a white margin
    assert not _fast_path(path)
    gray = open_source(path)[0].render(0)
    assert max(gray.shape) == WORK_LONG_SIDE
    margin = round(15.0 * gray.shape[1] / A4_MM[0])
    assert float(gray[:, : margin - 2].mean()) > 250  # the white margin, as the PDF shows it
    assert float(gray[margin + 10:-margin - 10, margin + 10:-margin - 10].mean()) < 235
