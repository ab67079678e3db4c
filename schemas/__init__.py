"""marshmallow schemas for every request and response; the OpenAPI document at
/api/openapi.json is built from them (flask-smorest + apispec).

One module per area. Every schema forbids unknown fields (marshmallow's default RAISE),
so a typo in a request is a clear 422, never silently ignored.
"""
