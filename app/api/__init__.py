"""JSON endpoints, one flask-smorest blueprint per area; the OpenAPI document is served
at /api/openapi.json, generated from the marshmallow schemas in `schemas/`.

To add an area: write `app/api/<area>.py` with `bp = Blueprint(...)` from flask_smorest,
decorate views with `@bp.arguments(Schema)` / `@bp.response(200, Schema)` and
`@error_responses(bp, 401, 403, …)` (app/api/docs.py), and add it to AREAS below.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask
from flask_smorest import Api
from werkzeug.routing import IntegerConverter

from schemas.common import ApiErrorSchema

AREAS = ["health", "session", "counting", "users", "congress", "contests", "results", "ballots", "scan",
         "plenary", "batch"]

SQLITE_MAX_INT = 2**63 - 1


class IdConverter(IntegerConverter):
    """`<int:…>` in every route: an id beyond what SQLite can store is simply not found
    (404), instead of an overflow deep in a query."""

    def __init__(self, url_map, *args, **kwargs) -> None:
        kwargs.setdefault("max", SQLITE_MAX_INT)
        super().__init__(url_map, *args, **kwargs)


class UnionApi(Api):
    # Errors are documented as they are sent: {"error": {"code", "message", …}}.
    ERROR_SCHEMA = ApiErrorSchema


api = UnionApi()


def register_api(app: Flask) -> None:
    app.config.setdefault("API_TITLE", "工会选举计票服务 Union ballot counting")
    app.config.setdefault("API_VERSION", "1")
    app.config.setdefault("OPENAPI_VERSION", "3.0.3")
    app.config.setdefault("OPENAPI_URL_PREFIX", "/api")
    app.config.setdefault("OPENAPI_JSON_PATH", "openapi.json")
    app.url_map.converters["int"] = IdConverter
    api.init_app(app)
    api.register_converter(IdConverter, lambda _converter: {
        "type": "integer", "minimum": 0, "maximum": SQLITE_MAX_INT})
    for area in AREAS:
        api.register_blueprint(import_module(f".{area}", __name__).bp)
