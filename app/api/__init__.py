"""JSON endpoints, one flask-smorest blueprint per area; the OpenAPI document is served
at /api/openapi.json, generated from the marshmallow schemas in `schemas/`.

To add an area: write `app/api/<area>.py` with `bp = Blueprint(...)` from flask_smorest,
decorate views with `@bp.arguments(Schema)` / `@bp.response(200, Schema)` and
`@error_responses(bp, 401, 403, …)` (app/api/docs.py), and add it to AREAS below.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

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
    """flask-smorest's Api, with the OpenAPI document written when it is first asked for
    (/api/openapi.json, `flask openapi print`) instead of at start-up: documenting every
    route was three quarters of building the application, paid by every server worker,
    every command and every test, and almost never read."""

    # Errors are documented as they are sent: {"error": {"code", "message", …}}.
    ERROR_SCHEMA = ApiErrorSchema

    def _init_spec(self, *args: Any, **kwargs: Any) -> None:
        super()._init_spec(*args, **kwargs)
        self._undocumented: list[tuple[Any, str, Any]] = []
        written = self.spec.to_dict

        def to_dict() -> dict[str, Any]:
            self._document()
            return written()

        self.spec.to_dict = to_dict

    def register_blueprint(self, blp: Any, *, parameters: Any = None, **options: Any) -> None:
        """Route the blueprint now, as flask-smorest does; document it later."""
        name = options.get("name", blp.name)
        self._app.extensions["flask-smorest"]["blp_name_to_api"][name] = self
        self._app.register_blueprint(blp, **options)
        self._undocumented.append((blp, name, parameters))

    def _document(self) -> None:
        """What flask-smorest's register_blueprint documents, for every blueprint in order."""
        while self._undocumented:
            blp, name, parameters = self._undocumented.pop(0)
            blp.register_views_in_doc(self, self._app, self.spec, name=name, parameters=parameters)
            self.spec.tag({"name": name, "description": blp.description})


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
