"""Reading a ballot photo: POST /api/rounds/<round_id>/scan (multipart field `photo`).

The answer is the reader's interpretation for the teller to confirm; nothing is
recorded here (recording is the counting area's job, keyed by the serial). The QR is
checked against this round (check_ballot: not ours, forged, another contest or round,
never printed, voided) before the page is measured.
"""

from __future__ import annotations

import io

from flask import current_app
from flask_smorest import Blueprint
from PIL import Image

from schemas.scan import ScanReadingSchema, ScanUploadSchema

from ..auth import require_role
from ..ballots.issue import check_ballot
from ..ballots.layout import RoundLayout
from ..ballots.round_layout import printed_layout, round_layout
from ..ballots.serials import Payload
from ..db import get_db
from ..errors import AppError, Kind
from ..i18n import register
from ..roles import WATCHERS
from ..scan import ScanError, read_ballot
from .docs import error_responses

bp = Blueprint("scan", __name__, url_prefix="/api", description="Reading a ballot from a photo")

register({
    "scan.not_an_image": {"zh-CN": "上传的文件不是照片（请用 JPEG 或 PNG）。",
                          "en": "The upload is not a photo (use JPEG or PNG)."},
    "scan.image_too_large": {"zh-CN": "照片太大（上限 {limit}）。请降低相机分辨率后重拍。",
                             "en": "The photo is too large (limit {limit}). Lower the camera resolution."},
    "scan.too_dark": {"zh-CN": "照片太暗，无法区分纸面和笔迹。请到光线充足处重拍。",
                      "en": "The photo is too dark to tell ink from paper. Retake it in better light."},
    "scan.too_blurred": {"zh-CN": "照片模糊。请拿稳平板、对焦后重拍。",
                         "en": "The photo is blurred. Hold the tablet still, focus and retake it."},
    "scan.glare": {"zh-CN": "选票上有反光，部分方框看不清。请稍微倾斜平板或避开灯光后重拍。",
                   "en": "A reflection hides some boxes. Tilt the tablet a little or move away from the "
                         "lamp and retake it."},
    "scan.no_ballot_found": {"zh-CN": "照片中找不到选票的二维码。请将整张选票拍入画面。",
                             "en": "No ballot QR code in the photo. Get the whole ballot in the frame."},
    "scan.page_cut_off": {"zh-CN": "选票没有完整拍入：四角的定位方块必须都在画面内。",
                          "en": "The ballot is cut off: all four corner squares must be in the photo."},
    "scan.photo_too_small": {"zh-CN": "照片太小（每边至少 {side} 像素），无法读取选票。请重拍。",
                             "en": "The photo is too small (at least {side} pixels a side) to "
                                   "read a ballot. Retake it."},
    "scan.not_ours": {"zh-CN": "这不是本系统印制的选票二维码。",
                      "en": "This QR code is not one of our ballots."},
    "scan.bad_tag": {"zh-CN": "选票二维码校验失败（可能被伪造或篡改），请交监票人处理。",
                     "en": "The ballot's QR code fails its check (forged or altered): call a scrutineer."},
})

MIN_PHOTO_SIDE = 200  # pixels; no ballot can be read from less (a 1×1 image crashed the reader)


def _refuse_tiny(data: bytes) -> None:
    """A refusal for a photo too small to hold a ballot, read from its header only."""
    try:
        width, height = Image.open(io.BytesIO(data)).size
    except Exception:  # noqa: BLE001  (not an image: the reader names that itself)
        return
    if min(width, height) < MIN_PHOTO_SIDE:
        raise AppError(Kind.INVALID, "photo_too_small", "scan.photo_too_small", side=MIN_PHOTO_SIDE)


@bp.post("/rounds/<int:round_id>/scan")
@require_role(*WATCHERS)
@bp.arguments(ScanUploadSchema, location="files")
@bp.response(200, ScanReadingSchema)
@error_responses(bp, 401, 403, 404, 409, 413, 415, 422)
def scan_photo(files, round_id: int):
    """Read one ballot photo: the marks, their scores, write-ins and what needs a look."""
    db = get_db()
    key = current_app.config["BALLOT_KEY"]
    round_layout(db, round_id)  # 404 for a round that does not exist, before any work

    def layout_for(payload: Payload) -> RoundLayout:
        serial = check_ballot(db, key, payload_text=payload.text(), round_id=round_id)
        return printed_layout(db, round_id, serial)  # refused if printed from another layout

    data = files["photo"].read(current_app.config["MAX_CONTENT_LENGTH"] + 1)
    _refuse_tiny(data)
    try:
        return read_ballot(data, key=key, layout_for=layout_for,
                           max_bytes=current_app.config["MAX_CONTENT_LENGTH"],
                           max_pixels=current_app.config["MAX_IMAGE_PIXELS"])
    except ScanError as error:  # an AppError: its kind gives the status (app/edge/errors.py)
        raise error from None
