"""Signing in and the health check."""

from __future__ import annotations

from marshmallow import Schema, fields, validate


class HealthSchema(Schema):
    status = fields.String(required=True, metadata={"description": "ok, or disk_full"})
    schema_version = fields.Integer(required=True)
    disk_free_mb = fields.Integer(metadata={"description": "free space where the database is"})
    message = fields.String()


class LoginSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=64))
    password = fields.String(required=True, validate=validate.Length(min=1, max=256))


class UserSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True)


class SessionSchema(Schema):
    user = fields.Nested(UserSchema, allow_none=True, required=True)
    csrf_token = fields.String()
