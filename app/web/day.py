"""What every page shares for the congress day: the chosen language and body kept across
pages (cookies), the body switcher in the top bar, times in Beijing time, the favicon.

`?lang=en` and `?congress=ID` on any page are remembered in cookies, so a click on a plain
link keeps them. The switcher lists every body: each congress with its plenaries (R13).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, current_app, g, request, send_from_directory

from ..auth import current_user
from ..congress import bodies
from ..db import get_db
from ..i18n import LANGUAGES, register

bp = Blueprint("day", __name__, template_folder="templates")

BEIJING = ZoneInfo("Asia/Shanghai")
COOKIE_YEAR = 365 * 24 * 3600
LANG_COOKIE = "lang"
CONGRESS_COOKIE = "congress"

register({
    "day_switch_body": {"zh-CN": "当前大会", "en": "Congress"},
    "day_archived": {"zh-CN": "（已归档）", "en": " (archived)"},
    "day_no_body": {"zh-CN": "尚无大会", "en": "No congress yet"},
    "day_go": {"zh-CN": "切换", "en": "Switch"},
})


def choose_congress(congress_id: int) -> None:
    """This request works on `congress_id` whatever was asked or remembered (a page about
    one round of one congress); it is remembered for the next pages."""
    g.chosen_congress_id = congress_id


def chosen_congress_id() -> int | None:
    """The body this request works on: ?congress=, else the cookie, else the newest open one."""
    forced = g.get("chosen_congress_id")
    if forced is not None:
        return int(forced)
    asked = request.args.get("congress", type=int)
    remembered = request.cookies.get(CONGRESS_COOKIE, type=int)
    return bodies.choose(get_db(), asked, remembered)


def beijing(value: str | datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A stored UTC time shown in Beijing time (Asia/Shanghai), as people read it."""
    if not value:
        return ""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(BEIJING).strftime(fmt)


def lang_url(lang: str) -> str:
    """This page in another language, every other query argument kept."""
    args = {key: value for key, value in request.args.items() if key != "lang"}
    args["lang"] = lang
    return f"{request.path}?{urlencode(args)}"


@bp.app_template_filter("beijing")
def beijing_filter(value: str | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    return beijing(value, fmt)


@bp.app_context_processor
def day_globals() -> dict[str, Any]:
    def switcher() -> dict[str, Any]:
        if current_user() is None:
            return {"bodies": [], "current": None}
        db = get_db()
        return {"bodies": bodies.all_bodies(db), "current": chosen_congress_id()}
    return {"lang_url": lang_url, "body_switcher": switcher}


@bp.after_app_request
def remember_choices(response: Response) -> Response:
    """Keep ?lang= and ?congress= for the next pages (SameSite=Lax, readable by no script)."""
    if request.path.startswith("/api/"):
        return response  # a script's call is not a person's choice
    lang = request.args.get("lang")
    if lang in LANGUAGES and request.cookies.get(LANG_COOKIE) != lang:
        response.set_cookie(LANG_COOKIE, lang, max_age=COOKIE_YEAR, samesite="Lax", httponly=True)
    congress = g.get("chosen_congress_id") or request.args.get("congress", type=int)
    if congress is not None and request.cookies.get(CONGRESS_COOKIE) != str(congress):
        response.set_cookie(CONGRESS_COOKIE, str(congress), max_age=COOKIE_YEAR, samesite="Lax",
                            httponly=True)
    return response


@bp.get("/favicon.ico")
def favicon() -> Response:
    return send_from_directory(current_app.blueprints["pages"].static_folder or "", "favicon.svg",
                               mimetype="image/svg+xml", max_age=86400)

