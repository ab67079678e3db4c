"""The request's language, read at the edge and handed to app/i18n.py.

`?lang=`, then the `lang` cookie, then the browser's Accept-Language, then the
configured default (zh-CN).
"""

from __future__ import annotations

from flask import current_app, has_request_context, request

from ..i18n import LANGUAGES, set_locale_source


def request_locale() -> str | None:
    """The language of the request being answered, or None outside a request."""
    if not has_request_context():
        return None
    chosen = request.args.get("lang") or request.cookies.get("lang")
    if chosen in LANGUAGES:
        return chosen
    best = request.accept_languages.best_match(LANGUAGES)
    return best or current_app.config.get("DEFAULT_LOCALE", "zh-CN")


def install() -> None:
    set_locale_source(request_locale)
