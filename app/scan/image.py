"""Loading an uploaded photo safely and quickly.

The bytes are bounded first, then the picture's header (no pixels decoded yet) is
checked against the pixel limit, so a decompression bomb is refused before it costs
memory. PIL reads the header and the EXIF orientation; OpenCV decodes the pixels
straight to grey, and a JPEG much larger than the reader needs at a reduced scale
(libjpeg's DCT scaling): a 12 MP photo costs about what a 3 MP one does. The
camera's EXIF orientation is applied, so coordinates are those of the picture as every browser shows it.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image, UnidentifiedImageError

from .errors import ScanError

FORMATS = {"JPEG", "MPO", "PNG", "WEBP"}
WORK_LONG_SIDE = 1600  # the reader needs about 4 px/mm of page; more only costs time

# EXIF orientation → numpy steps that show the picture upright.
_ORIENT = {
    2: lambda a: a[:, ::-1], 3: lambda a: a[::-1, ::-1], 4: lambda a: a[::-1, :],
    5: lambda a: a.T, 6: lambda a: np.rot90(a, -1), 7: lambda a: a[::-1, ::-1].T,
    8: lambda a: np.rot90(a, 1),
}


@dataclass(frozen=True)
class Photo:
    gray: np.ndarray          # the working picture, 8-bit grey, upright
    size: tuple[int, int]     # (width, height) of the original picture, upright
    scale: float              # original pixels per working pixel


def load_photo(data: bytes, *, max_bytes: int, max_pixels: int) -> Photo:
    """The photo in `data` as a grey working image; ScanError when it is not a picture
    we accept or is too large."""
    if len(data) > max_bytes:
        raise ScanError("image_too_large", limit=f"{max_bytes // (1024 * 1024)} MB")
    if not data:
        raise ScanError("not_an_image")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(io.BytesIO(data))
            width, height = image.size
            if image.format not in FORMATS:
                raise ScanError("not_an_image")
            if width * height > max_pixels or width > 20000 or height > 20000:
                raise ScanError("image_too_large", limit=f"{max_pixels / 1e6:.0f} MP")
            orientation = image.getexif().get(0x0112, 1) if image.format != "PNG" else 1
    except ScanError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ScanError("image_too_large", limit=f"{max_pixels / 1e6:.0f} MP") from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, EOFError):
        raise ScanError("not_an_image") from None
    # OpenCV decodes straight to grey into a numpy array (no colour conversion, no copy
    # through PIL) and, for a JPEG much larger than needed, at 1/2 or 1/4 scale.
    flags = cv2.IMREAD_GRAYSCALE
    if image.format in ("JPEG", "MPO"):
        if max(width, height) >= 4 * WORK_LONG_SIDE:
            flags = cv2.IMREAD_REDUCED_GRAYSCALE_4
        elif max(width, height) >= 2 * WORK_LONG_SIDE:
            flags = cv2.IMREAD_REDUCED_GRAYSCALE_2
    gray = cv2.imdecode(np.frombuffer(data, np.uint8), flags | cv2.IMREAD_IGNORE_ORIENTATION)
    if gray is None or gray.size == 0:
        raise ScanError("not_an_image")
    scale = width / gray.shape[1]
    if orientation in _ORIENT:
        gray = np.ascontiguousarray(_ORIENT[orientation](gray))
        if orientation >= 5:
            width, height = height, width
    if max(gray.shape) > 2 * WORK_LONG_SIDE:  # a PNG or WebP that could not be decoded small
        factor = max(gray.shape) / WORK_LONG_SIDE
        gray = cv2.resize(gray, (round(gray.shape[1] / factor), round(gray.shape[0] / factor)),
                          interpolation=cv2.INTER_AREA)
        scale = width / gray.shape[1]
    return Photo(gray=gray, size=(width, height), scale=scale)
