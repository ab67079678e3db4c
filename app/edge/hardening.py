"""Request and response hardening that every route shares:

- JSON bodies: a number too long for Python, nesting deeper than MAX_JSON_DEPTH and lone
  surrogates in strings are refused as a 400 (they used to reach the code as 500s);
- a whole number too large for SQLite (a path or query id) is a 400, not a 500;
- a full disk is a 503 that says so;
- security headers on every answer (CSP, nosniff, no framing, referrer to ourselves only);
- the session cookie is `Secure` whenever the request came over HTTPS.
"""

from __future__ import annotations

import errno
import json
import sqlite3
from typing import Any

from flask import Flask, Request, Response, request
from flask.json.provider import DefaultJSONProvider
from flask.sessions import SecureCookieSessionInterface
from werkzeug.exceptions import BadRequest

from ..i18n import register, t
from .errors import json_error as _json_error

MAX_JSON_DEPTH = 32

register({
    "json_too_deep": {"zh-CN": "请求内容嵌套过深。", "en": "The request body is nested too deeply."},
    "json_bad_text": {"zh-CN": "请求内容含有无效字符（不成对的代理字符）。",
                      "en": "The request body holds an invalid character (a lone surrogate)."},
    "json_bad_number": {"zh-CN": "请求内容中的数字过长。", "en": "A number in the request body is too long."},
    "number_too_large": {"zh-CN": "编号或数字过大。", "en": "An id or number is too large."},
    "disk_full": {"zh-CN": "服务器磁盘已满，操作未完成，数据未改变。请立即通知技术人员释放磁盘空间。",
                  "en": "The server's disk is full; nothing was changed. Tell the technician to "
                        "free disk space now."},
})

CONTENT_SECURITY_POLICY = (
    "default-src 'self'; "
    # No inline script, handler or style at all (issue 16): every page's code and style is a
    # static file, its words a <script type="application/json"> block (data, never run).
    # Styles set from code through the CSSOM (element.style) are not inline styles.
    "script-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob:; media-src 'self' blob:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)


class _BadJSON(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(key)
        self.key = key


def _check(value: Any, depth: int = 0) -> None:
    if depth > MAX_JSON_DEPTH:
        raise _BadJSON("json_too_deep")
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            raise _BadJSON("json_bad_text") from None
    elif isinstance(value, dict):
        for key, item in value.items():
            _check(key, depth + 1)
            _check(item, depth + 1)
    elif isinstance(value, list):
        for item in value:
            _check(item, depth + 1)


class SafeJSONProvider(DefaultJSONProvider):
    """Flask's JSON, refusing what would otherwise fail deep inside a view."""

    def loads(self, s: str | bytes, **kwargs: Any) -> Any:
        try:
            data = json.loads(s, **kwargs)
        except RecursionError:
            raise _BadJSON("json_too_deep") from None
        except ValueError as error:
            if "digits" in str(error):  # int() over sys.get_int_max_str_digits
                raise _BadJSON("json_bad_number") from None
            raise
        _check(data)
        return data


class SafeRequest(Request):
    def on_json_loading_failed(self, e: ValueError | None) -> Any:
        if isinstance(e, _BadJSON):
            raise BadRequest(t(e.key))
        return super().on_json_loading_failed(e)


class HTTPSAwareSessions(SecureCookieSessionInterface):
    """`Secure` on the session cookie whenever the request came over HTTPS (directly or
    through the front server, which says so in X-Forwarded-Proto)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def _disk_full(error: BaseException) -> bool:
    if isinstance(error, OSError) and error.errno == errno.ENOSPC:
        return True
    return isinstance(error, sqlite3.OperationalError) and "full" in str(error)


def init_hardening(app: Flask) -> None:
    if app.config.get("BEHIND_PROXY"):  # the client's address and scheme, as nginx saw them
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1)  # type: ignore[method-assign]
    app.json = SafeJSONProvider(app)
    app.request_class = SafeRequest
    app.session_interface = HTTPSAwareSessions()

    @app.before_request
    def check_json_body() -> None:
        """Parse a JSON body once through SafeJSONProvider before the view's own parser
        (webargs) sees it, so the refusals above are 400s; after the role check."""
        if request.is_json and request.content_length:
            request.get_json(silent=False)

    @app.errorhandler(OverflowError)
    def too_large(_error: OverflowError):
        return _json_error(400, "number_too_large", t("number_too_large"))

    for kind in (OSError, sqlite3.OperationalError):
        @app.errorhandler(kind)
        def maybe_full(error: Exception):
            if _disk_full(error):
                return _json_error(503, "disk_full", t("disk_full"))
            raise error

    @app.after_request
    def security_headers(response: Response) -> Response:
        headers = response.headers
        headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        headers.setdefault("X-Content-Type-Options", "nosniff")
        headers.setdefault("X-Frame-Options", "DENY")
        # same-origin, not no-referrer: CSRF protection over HTTPS checks the Referer.
        headers.setdefault("Referrer-Policy", "same-origin")
        return response
