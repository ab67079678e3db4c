"""JSON endpoints, one flask-smorest blueprint per area; the OpenAPI document is served
at /api/openapi.json, generated from the marshmallow schemas in `schemas/`.

To add an area: write `app/api/<area>.py` with `bp = Blueprint(...)` from flask_smorest,
decorate views with `@bp.arguments(Schema)` / `@bp.response(200, Schema)` and
`@bp.alt_response(4xx, schema=ApiErrorSchema)`, and add it to AREAS below.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask
from flask_smorest import Api

AREAS = ["health", "session", "counting", "users", "congress", "contests", "results", "ballots", "scan"]

api = Api()


def register_api(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "工会选举计票服务 Union ballot counting")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    api.init_app(app)
    for area in AREAS:
        api.register_blueprint(import_module(f".{area}", __name__).bp)
