"""Pages for people: sign-in, the secretariat's admin pages, the teller's tablet page,
the scrutineers' page and the hall's results board. Server-rendered Jinja templates in
Simplified Chinese (English with ?lang=en) with small scripts that call the JSON API.

Each area adds its own blueprint module here and lists it in AREAS.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

from ..auth import ROLE_NAMES, current_user
from ..i18n import current_locale, t

AREAS = ["pages", "day", "day_pages", "users", "board", "ballots", "admin", "teller", "scrutineer",
         "batch"]


def register_web(app: Flask) -> None:
    @app.context_processor
    def page_globals():
        locale = current_locale()
        user = current_user()
        return {"t": t, "locale": locale, "user": user,
                "role_name": (ROLE_NAMES[user.role][locale] if user else "")}

    for area in AREAS:
        app.register_blueprint(import_module(f".{area}", __name__).bp)
