"""The pages of an uploaded scan, one at a time, never the whole file decoded.

A copier's scan-to-USB or scan-to-mail gives a multi-page PDF (each page usually one
JPEG image) or a multi-page TIFF; a folder or a zip of page images also works. A
`PageSource` is a small picklable description (kind and path) so that each worker
process opens the file itself and renders only the page it was given.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

WORK_LONG_SIDE = 1600     # pixels on the page's long side: ~5.5 px/mm on A4, what the reader uses
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".tif", ".tiff", ".webp", ".bmp")
MAX_PAGES = 2000
MAX_PAGE_PIXELS = 60_000_000


class SourceError(Exception):
    """The file is not one we can read pages from (`code` names why)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class PageSource:
    kind: str            # pdf | tiff | folder | zip
    path: str
    members: tuple[str, ...] = ()   # folder or zip: the image files in page order

    def render(self, index: int) -> np.ndarray:
        """Page `index` (0-based) as an 8-bit grey image, long side WORK_LONG_SIDE or less."""
        return _RENDERERS[self.kind](self, index)


def open_source(path: str | Path) -> tuple[PageSource, int]:
    """The source for `path` and its page count; SourceError when it is none of ours."""
    path = Path(path)
    if path.is_dir():
        members = tuple(str(p.relative_to(path)) for p in sorted(path.rglob("*"))
                        if p.is_file() and p.suffix.lower() in IMAGE_SUFFIXES)
        return _checked(PageSource("folder", str(path), members), len(members))
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError:
        raise SourceError("unreadable_file") from None
    if head.startswith(b"%PDF"):
        import pypdfium2 as pdfium

        try:
            document = pdfium.PdfDocument(str(path))
        except pdfium.PdfiumError:
            raise SourceError("bad_file") from None
        try:
            return _checked(PageSource("pdf", str(path)), len(document))
        finally:
            document.close()
    if head[:4] in (b"II*\0", b"MM\0*"):
        try:
            with Image.open(path) as image:
                return _checked(PageSource("tiff", str(path)), getattr(image, "n_frames", 1))
        except (UnidentifiedImageError, OSError):
            raise SourceError("bad_file") from None
    if head.startswith(b"PK"):
        try:
            with zipfile.ZipFile(path) as archive:
                members = tuple(sorted(
                    info.filename for info in archive.infolist()
                    if not info.is_dir() and Path(info.filename).suffix.lower() in IMAGE_SUFFIXES
                    and not Path(info.filename).name.startswith(".")))
        except zipfile.BadZipFile:
            raise SourceError("bad_file") from None
        return _checked(PageSource("zip", str(path), members), len(members))
    raise SourceError("unknown_format")


def _checked(source: PageSource, pages: int) -> tuple[PageSource, int]:
    if pages == 0:
        raise SourceError("no_pages")
    if pages > MAX_PAGES:
        raise SourceError("too_many_pages")
    return source, pages


def _fit(gray: np.ndarray) -> np.ndarray:
    """At most WORK_LONG_SIDE on the long side. Shrinking by less than half (a 200 dpi
    page, or a 300 dpi one libjpeg already halved) is bilinear: each new pixel still
    draws on the 2×2 old ones around it, and it costs a sixth of area averaging, which
    is kept for larger steps where bilinear would skip pixels."""
    long_side = max(gray.shape)
    if long_side <= WORK_LONG_SIDE:
        return gray
    factor = WORK_LONG_SIDE / long_side
    return cv2.resize(gray, (round(gray.shape[1] * factor), round(gray.shape[0] * factor)),
                      interpolation=cv2.INTER_LINEAR if factor >= 0.5 else cv2.INTER_AREA)


_PDF_CACHE: dict[str, object] = {}
_PDF_PAGES_PER_OPEN = 50  # reopen the document now and then: pdfium keeps what it has parsed
_pdf_renders = 0


def _render_pdf(source: PageSource, index: int) -> np.ndarray:
    """A copier's page is one JPEG filling the page: its bytes are taken from the PDF as
    they are and decoded straight to grey by OpenCV (a quarter of what rendering the
    page costs). Any other page is rendered by pdfium at the working size."""
    import pypdfium2 as pdfium

    global _pdf_renders
    _pdf_renders += 1
    document = _PDF_CACHE.get(source.path)
    # One open document per worker process, kept for its pages and reopened now and then.
    if document is None or _pdf_renders % _PDF_PAGES_PER_OPEN == 0:
        for old in _PDF_CACHE.values():
            old.close()  # type: ignore[attr-defined]
        _PDF_CACHE.clear()
        document = _PDF_CACHE[source.path] = pdfium.PdfDocument(source.path)
    page = document[index]  # type: ignore[index]
    try:
        scanned = _scanned_jpeg(page)
        if scanned is not None:
            gray = _decode_jpeg(scanned)
            if gray is not None:
                return _fit(gray)
        width, height = page.get_size()
        scale = min(WORK_LONG_SIDE / max(width, height), 600 / 72)
        bitmap = page.render(scale=scale, grayscale=True)
        return _fit(np.array(bitmap.to_pil().convert("L")))
    finally:
        page.close()


@dataclass(frozen=True)
class _Jpeg:
    data: bytes
    long_side: int


def _scanned_jpeg(page: Any) -> _Jpeg | None:
    """The page's JPEG when the page is nothing but one upright grey or colour JPEG
    covering it (what a copier writes); None for anything else."""
    import pypdfium2.raw as pdfium_c

    objects = list(page.get_objects(max_depth=1))
    if len(objects) != 1 or objects[0].type != pdfium_c.FPDF_PAGEOBJ_IMAGE or page.get_rotation():
        return None
    image = objects[0]
    if image.get_filters() != ["DCTDecode"]:
        return None
    matrix = image.get_matrix()
    if matrix.b or matrix.c or matrix.a <= 0 or matrix.d <= 0:  # turned or mirrored
        return None
    if any(abs(a - b) > 1.0 for a, b in zip(image.get_bounds(), page.get_bbox(), strict=True)):
        return None  # placed with margins: render the page as the PDF shows it
    metadata = image.get_metadata()
    plain = {pdfium_c.FPDF_COLORSPACE_DEVICEGRAY: 8, pdfium_c.FPDF_COLORSPACE_CALGRAY: 8,
             pdfium_c.FPDF_COLORSPACE_DEVICERGB: 24, pdfium_c.FPDF_COLORSPACE_CALRGB: 24}
    bits = plain.get(metadata.colorspace)
    if metadata.colorspace == pdfium_c.FPDF_COLORSPACE_ICCBASED and metadata.bits_per_pixel in (8, 24):
        bits = metadata.bits_per_pixel
    if bits != metadata.bits_per_pixel or metadata.width * metadata.height > MAX_PAGE_PIXELS:
        return None  # CMYK, indexed, Lab…: pdfium knows their colours
    return _Jpeg(bytes(image.get_data(decode_simple=False)), max(metadata.width, metadata.height))


def _decode_jpeg(jpeg: _Jpeg) -> np.ndarray | None:
    """Grey pixels of a JPEG; one twice the working size or more is decoded at half
    scale by libjpeg itself (a 300 dpi page then costs about what a 150 dpi one does)."""
    flag = cv2.IMREAD_REDUCED_GRAYSCALE_2 if jpeg.long_side >= 2 * WORK_LONG_SIDE else cv2.IMREAD_GRAYSCALE
    # A PDF shows an embedded JPEG as stored, whatever EXIF orientation it carries.
    gray = cv2.imdecode(np.frombuffer(jpeg.data, np.uint8), flag | cv2.IMREAD_IGNORE_ORIENTATION)
    if gray is None or gray.size == 0:
        return None
    return gray


def _pil_gray(image: Image.Image) -> np.ndarray:
    if image.width * image.height > MAX_PAGE_PIXELS:
        raise SourceError("page_too_large")
    if image.mode in ("1", "L", "I;16", "I", "F"):
        gray = image.convert("L")
    else:
        gray = image.convert("RGB").convert("L")
    return _fit(np.asarray(gray))


def _render_tiff(source: PageSource, index: int) -> np.ndarray:
    with Image.open(source.path) as image:
        image.seek(index)
        return _pil_gray(image)


def _render_folder(source: PageSource, index: int) -> np.ndarray:
    with Image.open(Path(source.path) / source.members[index]) as image:
        return _pil_gray(image)


def _render_zip(source: PageSource, index: int) -> np.ndarray:
    with zipfile.ZipFile(source.path) as archive:
        data = archive.read(source.members[index])
    with Image.open(io.BytesIO(data)) as image:
        return _pil_gray(image)


_RENDERERS = {"pdf": _render_pdf, "tiff": _render_tiff, "folder": _render_folder, "zip": _render_zip}
