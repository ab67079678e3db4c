"""The ballot-counting service for trade-union congresses: the Flask application factory.

Importing the package imports nothing else: `python -m app.recount` (the auditor's light
recount) must not load Flask, the database, OpenCV or the PDF library on its way in.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Flask


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the application: config from the environment (or `test_config`), the
    database migrated, blueprints and commands registered. Nothing happens at import."""
    import logging

    from flask import Flask

    from config import load_config

    from .db import close_db, init_db
    from .edge import locale, sessions
    from .edge.errors import register_error_handlers
    from .extensions import init_extensions

    # No app-level static route: it would shadow /static of app/web (pages.static).
    app = Flask(__name__, static_folder=None)
    locale.install()  # app/i18n.py speaks the request's language
    app.config.from_mapping(load_config())
    if test_config:
        app.config.from_mapping(test_config)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

    init_db(app)
    app.teardown_appcontext(close_db)

    from .api import register_api
    from .cli import register_commands
    from .web import register_web

    register_api(app)
    register_web(app)
    register_commands(app)
    # After flask-smorest's own handlers, so that every error speaks the user's language.
    register_error_handlers(app)
    init_extensions(app)
    # After CSRF: session age, deactivated users, early role check (app/edge/sessions.py).
    app.before_request(sessions.check_request)
    from .edge.hardening import init_hardening

    init_hardening(app)  # JSON limits, 400/503 for overflow and full disk, headers, Secure cookie
    return app
