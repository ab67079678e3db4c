"""Errors are values with a code and a message for people, turned into a 4xx at the edge.

Nothing a user sees ever carries a traceback: an unexpected error is logged and
answered with a plain 500 that says nothing was changed (the request's transaction
rolled back).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException

from .field_messages import translate
from .i18n import current_locale, t
from .rules import RuleError

log = logging.getLogger(__name__)


class AppError(Exception):
    """A refusal with an HTTP status, a stable code and a message key for people."""

    def __init__(self, status: int, code: str, message_key: str | None = None,
                 **params: Any) -> None:
        super().__init__(code)
        self.status = status
        self.code = code
        self.message_key = message_key or code
        self.params = params

    def message(self) -> str:
        return t(self.message_key, **self.params)

    def body(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message(),
                          **({"details": self.params["details"]} if "details" in self.params else {})}}


def _json_error(status: int, code: str, message: str, **extra: Any):
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    return response


_HTTP_KEYS = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
              413: "too_large", 415: "unsupported_media", 429: "rate_limited"}


def _summarize(messages: Any, prefix: str = "") -> str:
    """Field problems as one line, in the user's language: `json.seats: 应为整数; …`."""
    if isinstance(messages, dict):
        return "; ".join(_summarize(value, f"{prefix}{key}.") for key, value in messages.items())
    locale = current_locale()
    items = messages if isinstance(messages, list) else [messages]
    text = " ".join(translate(str(item), locale) for item in items)
    return text if prefix == "" else f"{prefix.rstrip('.')}: {text}"


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def app_error(error: AppError):
        return _json_error(error.status, error.code, error.message(),
                           **({"details": error.params["details"]}
                              if "details" in error.params else {}))

    @app.errorhandler(RuleError)
    def rule_error(error: RuleError):
        return _json_error(400, "invalid_input", t("invalid_input", detail=str(error)),
                           where=error.where)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        status = error.code or 500
        key = _HTTP_KEYS.get(status)
        if key == "too_large":
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            message = t(key, limit=f"{limit // (1024 * 1024)} MB")
        elif status == 422:
            # flask-smorest's validation failure: name every field that is wrong.
            messages = (getattr(error, "data", None) or {}).get("messages", {})
            return _json_error(422, "invalid_input",
                               t("invalid_input", detail=_summarize(messages)), details=messages)
        elif key in ("bad_request", "unsupported_media"):
            message = t(key, detail=error.description or "")
        elif key:
            message = t(key)
        else:
            message = error.description or error.name
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return _json_error(status, key or error.name.lower().replace(" ", "_"), message)
        return error.get_response()

    @app.errorhandler(Exception)
    def unexpected(error: Exception):
        # The route's pattern, not the path: a path may hold a serial or a person id (R10).
        log.exception("unhandled error on %s %s", request.method,
                      request.url_rule.rule if request.url_rule else "(no route)")
        return _json_error(500, "server_error", t("server_error"))
