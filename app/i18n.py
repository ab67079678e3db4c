"""The interface's two languages: Simplified Chinese (default) and English.

Messages are kept side by side in one catalog so that a Chinese-speaking maintainer
sees both texts together. Every area registers its own messages beside its code
(`register`), services included: this module knows nothing of Flask or requests.

Whose language `t` speaks: a language pinned with `using_locale` (a command, a test),
else the one the edge says the person being answered reads (`set_locale_source`,
installed by app/edge/locale.py: `?lang=`, cookie, Accept-Language, default), else zh-CN.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

LANGUAGES = ("zh-CN", "en")
DEFAULT_LOCALE = "zh-CN"

_pinned: ContextVar[str | None] = ContextVar("pinned_locale", default=None)
_source: Callable[[], str | None] | None = None

CATALOG: dict[str, dict[str, str]] = {
    "bad_request": {"zh-CN": "请求有误：{detail}", "en": "Bad request: {detail}"},
    "not_found": {"zh-CN": "找不到所请求的内容。", "en": "Not found."},
    "method_not_allowed": {"zh-CN": "不支持此操作方法。", "en": "Method not allowed."},
    "too_large": {"zh-CN": "上传的内容太大（上限 {limit}）。", "en": "Upload too large (limit {limit})."},
    "server_error": {"zh-CN": "服务器内部错误，操作未完成，数据未改变。请重试或联系秘书处。",
                     "en": "Internal error: nothing was changed. Try again or call the secretariat."},
    "unsupported_media": {"zh-CN": "不支持的内容类型：{detail}", "en": "Unsupported content type: {detail}"},
    "invalid_input": {"zh-CN": "输入有误：{detail}", "en": "Invalid input: {detail}"},
    "login_required": {"zh-CN": "请先登录。", "en": "Please sign in first."},
    "forbidden_role": {"zh-CN": "您的角色（{role}）无权执行此操作。",
                       "en": "Your role ({role}) may not do this."},
    "csrf_failed": {"zh-CN": "页面已过期或请求来源无效，请刷新页面后重试。",
                    "en": "The page expired or the request's origin is invalid; reload and retry."},
    "rate_limited": {"zh-CN": "尝试次数过多，请稍后再试。", "en": "Too many attempts; try again later."},
}


def set_locale_source(source: Callable[[], str | None] | None) -> None:
    """The edge's answer to "which language does the person being answered read?"
    (None outside a request). Installed once when the application is built."""
    global _source
    _source = source


@contextmanager
def using_locale(locale: str) -> Iterator[None]:
    """Speak `locale` inside the block, whatever the edge would say."""
    token = _pinned.set(locale if locale in LANGUAGES else DEFAULT_LOCALE)
    try:
        yield
    finally:
        _pinned.reset(token)


def current_locale() -> str:
    pinned = _pinned.get()
    if pinned is not None:
        return pinned
    chosen = _source() if _source is not None else None
    return chosen if chosen in LANGUAGES else DEFAULT_LOCALE


def t(key: str, locale: str | None = None, **params: object) -> str:
    """The message `key` in the request's language, with `params` filled in."""
    entry = CATALOG.get(key)
    if entry is None:
        return key
    text = entry.get(locale or current_locale()) or entry["zh-CN"]
    return text.format(**params) if params else text


def register(messages: dict[str, dict[str, str]]) -> None:
    """Add an area's messages to the catalog (each area keeps its own beside its code)."""
    for key in messages:
        if key in CATALOG and CATALOG[key] != messages[key]:
            raise ValueError(f"message {key!r} is defined twice with different texts")
    CATALOG.update(messages)
