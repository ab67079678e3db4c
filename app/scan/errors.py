"""Why a photo cannot be read: a stable code the tablet page shows to the teller.

The scan library raises ScanError with one of CODES; the edge turns its
kind into a 4xx (app/edge/errors.py) with a message in the teller's language.
"""

from __future__ import annotations

from typing import Any

from ..errors import AppError, Kind

CODES = (
    "not_an_image",    # the upload is not a JPEG/PNG/WebP picture
    "image_too_large",  # too many bytes or pixels (decompression bombs included)
    "too_dark",         # not enough light to tell paper from ink
    "too_blurred",      # out of focus or shaken
    "glare",            # a reflection washes out boxes
    "no_ballot_found",  # no QR code of a ballot in the picture
    "page_cut_off",     # the QR was found but not all four corner marks / boxes are in view
    "not_ours",         # a QR code, but not one of our ballots
    "bad_tag",          # our format, but the tag does not verify: forged or altered
)


# A photo refused for what it is rather than what it shows; every other refusal is INVALID.
_KINDS = {"image_too_large": Kind.TOO_LARGE, "not_an_image": Kind.UNSUPPORTED}


class ScanError(AppError):
    """A photo the reader refuses, with a code from CODES (or one raised by the ballot
    check: other_contest, other_round, never_printed, voided) and numbers for the message."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(_KINDS.get(code, Kind.INVALID), code, f"scan.{code}", **params)
