"""The CJK fonts every PDF embeds (ballots, check-in cards, reports), found in one place.

Debian's fonts-noto-cjk (Noto Sans CJK SC is face 2 of its .ttc collection) and
fonts-wqy-zenhei. fpdf2 reads a face out of a collection with `collection_font_number`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

NOTO_SANS_CJK_SC = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2)
# TrueType outlines: subsetting it is several times faster than Noto's CFF outlines.
WQY_ZEN_HEI = ("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0)
DEFAULT_ORDER: tuple[tuple[str, int], ...] = (NOTO_SANS_CJK_SC, WQY_ZEN_HEI)

# fontTools logs every subsetting step at INFO; the app's log level would show them all.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class FontMissing(RuntimeError):
    """No CJK font to embed: install fonts-noto-cjk or fonts-wqy-zenhei."""


@dataclass(frozen=True)
class CjkFont:
    path: str
    index: int  # the face in a .ttc collection


def find_cjk_font(order: Sequence[tuple[str, int]] = DEFAULT_ORDER,
                  override: str | None = None) -> CjkFont:
    """`override` ("path" or "path#index") when given, else the first installed of `order`."""
    if override:
        path, _, face = override.partition("#")
        if not Path(path).is_file():
            raise FontMissing(path)
        return CjkFont(path, int(face or 0))
    for path, index in order:
        if Path(path).is_file():
            return CjkFont(path, index)
    raise FontMissing(", ".join(path for path, _ in order))
