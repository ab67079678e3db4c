"""The pages' role guard: the same permission check as the API's `@require_role`
(app/permissions.py), answered as a page instead of JSON.

    @bp.get("/scrutineer")
    @page_for(*SCRUTINEERS, title="sc_title")
    def page(): ...

Nobody signed in is sent to the sign-in page; a wrong role gets the one forbidden page
(templates/forbidden.html, rendered by app/edge/errors.py) saying who the page is for.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from .. import permissions
from ..auth import current_user
from ..errors import AppError
from ..i18n import register

F = TypeVar("F", bound=Callable[..., Any])

register({
    "page_for_roles": {"zh-CN": "此页面仅供{roles}使用。", "en": "This page is for {roles} only."},
    "page_your_role": {"zh-CN": "您当前登录的角色是{role}；如需使用此页面，请退出后用相应的账号登录。",
                       "en": "You are signed in as {role}; to use this page, sign out and sign in "
                             "with an account that has one of those roles."},
})


class PageRefusal(Exception):
    """A page refused by app/permissions.py: the refusal itself (its kind picks the
    answer), the roles the page admits, the page's title key, and whether the sign-in
    page should come back here afterwards."""

    def __init__(self, error: AppError, roles: tuple[str, ...], title: str | None,
                 come_back: bool) -> None:
        super().__init__(error.code)
        self.error = error
        self.roles = roles
        self.title = title
        self.come_back = come_back


def page_for(*roles: str, title: str | None = None, come_back: bool = False) -> Callable[[F], F]:
    """Admit signed-in users with one of `roles` to a page (no roles: anyone signed in).
    `title`: the message key of the page's heading, shown on the forbidden page too;
    `come_back`: after signing in, return to this page (`?next=`)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            try:
                permissions.require_role(current_user(), roles)
            except AppError as error:
                raise PageRefusal(error, roles, title, come_back) from error
            return view(*args, **kwargs)

        guarded.page_roles = roles  # type: ignore[attr-defined]
        return guarded  # type: ignore[return-value]

    return decorate
