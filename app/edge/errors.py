"""The one place where a refusal becomes an HTTP status or a command's exit.

A service raises `AppError(Kind.CONFLICT, code, key, **params)`; here its kind picks the
status (`STATUS`) and its message is filled in the user's language. Nothing a user sees
ever carries a traceback: an unexpected error is logged and answered with a plain 500
that says nothing was changed (the request's transaction rolled back).
"""

from __future__ import annotations

import logging
import sqlite3
import sys
from typing import Any, NoReturn

import click
from flask import Flask, Response, jsonify, redirect, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from ..errors import AppError, Kind
from ..field_messages import translate
from ..i18n import CATALOG, current_locale, register, t
from ..roles import roles_in_words
from ..rules import RuleError
from . import field_labels  # noqa: F401  (registers the labels of fields no area names)
from .page_guard import PageRefusal

log = logging.getLogger(__name__)

register({
    "round_sealed_db": {"zh-CN": "该轮次已封存，数据库拒绝了这次更改。",
                        "en": "That round is sealed; the database refused the change."},
})

STATUS: dict[Kind, int] = {
    Kind.BAD_REQUEST: 400,
    Kind.UNAUTHENTICATED: 401,
    Kind.FORBIDDEN: 403,
    Kind.NOT_FOUND: 404,
    Kind.GONE: 410,
    Kind.CONFLICT: 409,
    Kind.TOO_LARGE: 413,
    Kind.UNSUPPORTED: 415,
    Kind.INVALID: 422,
    Kind.UNAVAILABLE: 503,
}

# Commands: one line on standard error, this exit code, nothing on standard output.
CLI_EXIT_CODE = 2


def status_of(error: AppError) -> int:
    return STATUS[error.kind]


def json_error(status: int, code: str, message: str, **extra: Any) -> Response:
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    return response


def app_error_response(error: AppError) -> Response:
    """A refusal as the API answers it: its status and `{"error": {code, message}}`."""
    return json_error(status_of(error), error.code, error.message(),
                      **({"details": error.params["details"]} if "details" in error.params else {}))


def cli_fail(message: str) -> NoReturn:
    """End a command: the message on standard error and exit code 2."""
    click.echo(message, err=True)
    sys.exit(CLI_EXIT_CODE)


def cli_refusal(error: AppError) -> NoReturn:
    cli_fail(error.message())


_HTTP_KEYS = {400: "bad_request", 404: "not_found", 405: "method_not_allowed",
              413: "too_large", 415: "unsupported_media", 429: "rate_limited"}


# Where flask-smorest found the field: not a word for the person reading the message.
_LOCATIONS = ("json", "form", "query", "files", "headers", "cookies")


def _field_label(key: object) -> str:
    """A field as the form calls it (`field_<name>` when an area registered one); the
    n-th item of a list is "第 n 项"."""
    if isinstance(key, int) or (isinstance(key, str) and key.isdigit()):
        return t("field_item", n=int(key) + 1)
    for label_key in (f"field_{key}", f"setting_{key}"):  # a contest's rule settings: setting_*
        if label_key in CATALOG:
            return t(label_key)
    return str(key)


def _summarize(messages: Any, prefix: str = "") -> str:
    """Field problems as one line, in the user's language: `应选名额: 应为整数; …`."""
    if isinstance(messages, dict):
        return "; ".join(_summarize(value, prefix if not prefix and key in _LOCATIONS
                                    else f"{prefix}{_field_label(key)}.")
                         for key, value in messages.items())
    locale = current_locale()
    items = messages if isinstance(messages, list) else [messages]
    text = " ".join(translate(str(item), locale) for item in items)
    return text if prefix == "" else f"{prefix.rstrip('.').replace('.', ' · ')}: {text}"


def page_refusal_response(refusal: PageRefusal) -> Any:
    """A page's refusal: nobody signed in goes to the sign-in page; a wrong role gets the
    one forbidden page, with the status of its kind (403), saying who the page is for."""
    if refusal.error.kind is Kind.UNAUTHENTICATED:
        return redirect(url_for("pages.login_page", next=request.path) if refusal.come_back
                        else url_for("pages.login_page"))
    needed = t("page_for_roles", roles=roles_in_words(refusal.roles, current_locale()))
    return render_template("forbidden.html", title=t(refusal.title) if refusal.title else None,
                           needed=needed), status_of(refusal.error)


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(AppError)
    def app_error(error: AppError) -> Response:
        return app_error_response(error)

    @app.errorhandler(PageRefusal)
    def page_refused(refusal: PageRefusal) -> Any:
        return page_refusal_response(refusal)

    @app.errorhandler(sqlite3.IntegrityError)
    def sealed_by_database(error: sqlite3.IntegrityError) -> Response:
        """The m500 triggers refused a write to a sealed round, whatever path it took."""
        if "round is sealed" in str(error):
            return json_error(STATUS[Kind.CONFLICT], "round_sealed", t("round_sealed_db"))
        log.exception("integrity error")
        return json_error(500, "server_error", t("server_error"))

    @app.errorhandler(RuleError)
    def rule_error(error: RuleError) -> Response:
        return json_error(400, "invalid_input", t("invalid_input", detail=str(error)),
                          where=error.where)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException) -> Any:
        status = error.code or 500
        key = _HTTP_KEYS.get(status)
        if key == "too_large":
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            message = t(key, limit=f"{limit // (1024 * 1024)} MB")
        elif status == 422:
            # flask-smorest's validation failure: name every field that is wrong.
            messages = (getattr(error, "data", None) or {}).get("messages", {})
            return json_error(422, "invalid_input",
                              t("invalid_input", detail=_summarize(messages)), details=messages)
        elif key in ("bad_request", "unsupported_media"):
            message = t(key, detail=error.description or "")
        elif key:
            message = t(key)
        else:
            message = error.description or error.name
        if request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json":
            return json_error(status, key or error.name.lower().replace(" ", "_"), message)
        return error.get_response()

    @app.errorhandler(Exception)
    def unexpected(error: Exception) -> Response:
        # The route's pattern, not the path: a path may hold a serial or a person id (R10).
        log.exception("unhandled error on %s %s", request.method,
                      request.url_rule.rule if request.url_rule else "(no route)")
        return json_error(500, "server_error", t("server_error"))
