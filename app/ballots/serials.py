"""Ballot serials and the signed QR payload.

A serial is 50 random bits written as ten Crockford base-32 characters, `K7Q2M-9XD3A`:
unguessable, with no order that could be matched to the order of handing out, and short
enough to type when a QR code will not scan. It is also the code printed beside the QR.

The QR payload names the contest and round and nothing about any voter (R10):

    UB1:C{contest_id}:R{round_id}:{serial}:{tag}

`tag` is HMAC-SHA256 under the installation's ballot key over the other fields, cut to
65 bits (13 base-32 characters): a forged or altered QR code is refused. Every character
is in the QR alphanumeric set, so the code stays small and robust.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass

PREFIX = "UB1"
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford base 32: no I, L, O, U
_SERIAL_RE = re.compile(rf"^[{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}$")
_PAYLOAD_RE = re.compile(rf"^{PREFIX}:C(\d{{1,9}}):R(\d{{1,9}}):([{ALPHABET}]{{5}}-[{ALPHABET}]{{5}}):"
                         rf"([{ALPHABET}]{{13}})$")
_CONFUSABLE = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})


class PayloadError(ValueError):
    """A QR payload that is not one of ours (`not_ours`) or whose tag fails (`bad_tag`)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Payload:
    contest_id: int
    round_id: int
    serial: str
    tag: str

    def text(self) -> str:
        return f"{PREFIX}:C{self.contest_id}:R{self.round_id}:{self.serial}:{self.tag}"


def _base32(value: int, length: int) -> str:
    chars = []
    for _ in range(length):
        value, digit = divmod(value, 32)
        chars.append(ALPHABET[digit])
    return "".join(reversed(chars))


def new_serial() -> str:
    """A fresh random serial, e.g. `K7Q2M-9XD3A`."""
    raw = _base32(secrets.randbits(50), 10)
    return f"{raw[:5]}-{raw[5:]}"


def normalize_code(typed: str) -> str | None:
    """A serial as a person typed it (any case, with or without the dash, I/L/O/U for
    1/1/0/V) in canonical form, or None when it cannot be a serial."""
    text = re.sub(r"[\s\-–—_]", "", typed.upper()).translate(_CONFUSABLE)
    if len(text) != 10:
        return None
    serial = f"{text[:5]}-{text[5:]}"
    return serial if _SERIAL_RE.match(serial) else None


def _tag(key: str, contest_id: int, round_id: int, serial: str) -> str:
    message = f"{PREFIX}|{contest_id}|{round_id}|{serial}".encode()
    digest = hmac.new(key.encode(), message, hashlib.sha256).digest()
    return _base32(int.from_bytes(digest[:9], "big") >> 7, 13)


def sign(key: str, contest_id: int, round_id: int, serial: str) -> Payload:
    """The payload for one ballot, with its tag."""
    return Payload(contest_id, round_id, serial, _tag(key, contest_id, round_id, serial))


def parse_and_verify(key: str, text: str) -> Payload:
    """Read a scanned QR text; raise PayloadError unless it is ours and untouched."""
    match = _PAYLOAD_RE.match(text.strip())
    if not match:
        raise PayloadError("not_ours")
    contest_id, round_id, serial, tag = int(match[1]), int(match[2]), match[3], match[4]
    if not hmac.compare_digest(tag, _tag(key, contest_id, round_id, serial)):
        raise PayloadError("bad_tag")
    return Payload(contest_id, round_id, serial, tag)
