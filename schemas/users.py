"""Accounts and tablet enrollment (the secretariat's user management)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

ROLES = ("admin", "chief_scrutineer", "scrutineer", "teller")


class AccountSchema(Schema):
    id = fields.Integer(required=True)
    username = fields.String(required=True)
    display_name = fields.String(required=True)
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    active = fields.Boolean(required=True)
    created_at = fields.String(required=True)


class AccountListSchema(Schema):
    users = fields.List(fields.Nested(AccountSchema), required=True)


class NewAccountSchema(Schema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=32),
                             metadata={"description": "letters, digits, . _ -"})
    display_name = fields.String(required=True, validate=validate.Length(min=1, max=40))
    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256),
                             metadata={"description": "at least 8 characters; stored as a scrypt hash"})


class PasswordResetSchema(Schema):
    password = fields.String(required=True, load_only=True, validate=validate.Length(min=1, max=256))


class EnrollmentSchema(Schema):
    user = fields.Nested(AccountSchema, required=True)
    url = fields.String(required=True, metadata={"description": "what the QR code holds"})
    qr_png = fields.String(required=True, metadata={"description": "the QR code, a PNG data: URI"})
    expires_at = fields.String(required=True)
    lifetime_seconds = fields.Integer(required=True)
