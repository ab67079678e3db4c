"""Ballot photos for the scrutineers: the tablet sends the photo it read a ballot from once
the ballot is acknowledged (best effort: the count never waits for a photo). A photo is
kept as taken; sending the same one again (same client id) changes nothing."""

from __future__ import annotations

from sqlite_utils import Database

from ..errors import AppError, Kind
from ..i18n import register
from ..store import audit, row_id, write_transaction
from ..store.clock import now
from .context import load_context
from .record import Teller

MAX_PHOTO_BYTES = 4 * 1024 * 1024
# A ballot is photographed by the teller who records it, perhaps again on a rescan or a
# conflict: a few photos each. More is someone filling the disk.
MAX_PHOTOS_PER_BALLOT = 6

register({
    "counting_too_many_photos": {
        "zh-CN": "编号 {serial} 的选票已有 {limit} 张照片，不再接收更多照片。",
        "en": "Ballot {serial} already has {limit} photos; no more are taken."},
})
_KINDS = {b"\xff\xd8\xff": "image/jpeg", b"\x89PNG": "image/png"}


def add_photo(db: Database, round_id: int, serial: str, client_id: str, data: bytes,
              teller: Teller) -> int:
    """Keep the photo of a recorded ballot; returns its id."""
    kind = next((kind for magic, kind in _KINDS.items() if data.startswith(magic)), None)
    if kind is None:
        raise AppError(Kind.UNSUPPORTED, "photo_not_an_image", "counting_photo_not_an_image")
    if len(data) > MAX_PHOTO_BYTES:
        raise AppError(Kind.TOO_LARGE, "photo_too_large", "counting_photo_too_large",
                       limit=f"{MAX_PHOTO_BYTES // (1024 * 1024)} MB")
    with write_transaction(db):
        load_context(db, round_id, need_open=True)
        if db.execute("SELECT 1 FROM ballot WHERE serial = ? AND round_id = ?",
                      [serial, round_id]).fetchone() is None:
            raise AppError(Kind.NOT_FOUND, "ballot_not_recorded", "counting_ballot_not_recorded",
                           serial=serial)
        known = db.execute("SELECT id, serial FROM ballot_photo WHERE client_id = ?", [client_id]).fetchone()
        if known is not None:
            if known["serial"] != serial:
                raise AppError(Kind.CONFLICT, "client_id_reused", "counting_client_id_reused",
                               client_id=client_id)
            return known["id"]
        kept = db.execute("SELECT count(*) FROM ballot_photo WHERE serial = ?", [serial]).fetchone()[0]
        if kept >= MAX_PHOTOS_PER_BALLOT:
            raise AppError(Kind.CONFLICT, "too_many_photos", "counting_too_many_photos", serial=serial,
                           limit=MAX_PHOTOS_PER_BALLOT)
        photo_id = db.execute(
            "INSERT INTO ballot_photo (serial, round_id, client_id, content_type, image, uploaded_by,"
            " uploaded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [serial, round_id, client_id, kind, data, teller.user_id, now()]).lastrowid
        audit.append(db, teller.actor, "ballot.photo", f"round:{round_id}",
                     {"serial": serial, "photo_id": photo_id, "bytes": len(data)})
    return row_id(photo_id)


def photo_ids(db: Database, serial: str) -> list[int]:
    return [row[0] for row in db.execute("SELECT id FROM ballot_photo WHERE serial = ? ORDER BY id",
                                         [serial])]


def get_photo(db: Database, photo_id: int) -> tuple[bytes, str]:
    row = db.execute("SELECT image, content_type FROM ballot_photo WHERE id = ?", [photo_id]).fetchone()
    if row is None:
        raise AppError(Kind.NOT_FOUND, "photo_not_found", "counting_photo_not_found", photo_id=photo_id)
    return row["image"], row["content_type"]
