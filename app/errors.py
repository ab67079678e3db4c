"""The services' one error type: a refusal with a kind, a stable code and a message key.

Services (app/ballots, app/counting, app/results, app/security, …) raise `AppError` and
never choose an HTTP status or an exit code: the edge maps the kind to a status
(app/edge/errors.py, `STATUS`) or to exit code 2 (commands), and fills the message in the
language of the person being answered (app/i18n.py). This module knows nothing of Flask.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from .i18n import t


class Kind(StrEnum):
    """What sort of refusal: the edge turns each into one HTTP status."""

    BAD_REQUEST = "bad_request"  # something needed is missing or malformed (400)
    UNAUTHENTICATED = "unauthenticated"  # nobody is signed in, or the session ended (401)
    FORBIDDEN = "forbidden"  # signed in, but not allowed to do this (403)
    NOT_FOUND = "not_found"  # the thing named does not exist (404)
    GONE = "gone"  # it existed and was removed on purpose, e.g. a downloaded print file (410)
    CONFLICT = "conflict"  # the request is fine but the state forbids it now (409)
    TOO_LARGE = "too_large"  # an upload over its limit (413)
    UNSUPPORTED = "unsupported"  # an upload of a type we do not read (415)
    INVALID = "invalid"  # well-formed, but its content breaks a rule (422)
    UNAVAILABLE = "unavailable"  # the server lacks something it needs, e.g. a font (503)


class AppError(Exception):
    """A refusal: its kind, a stable code for programs and a message key for people."""

    def __init__(self, kind: Kind, code: str, message_key: str | None = None,
                 **params: Any) -> None:
        if not isinstance(kind, Kind):
            raise TypeError(f"AppError takes a Kind, not {kind!r} (the edge chooses HTTP statuses)")
        super().__init__(code)
        self.kind = kind
        self.code = code
        self.message_key = message_key or code
        self.params = params

    def message(self) -> str:
        """The message in the language of the person being answered."""
        return t(self.message_key, **self.params)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message(),
                          **({"details": self.params["details"]} if "details" in self.params else {})}}
