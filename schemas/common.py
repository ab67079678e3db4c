"""Schemas shared by every area: the error body."""

from __future__ import annotations

from marshmallow import Schema, fields


class ErrorBody(Schema):
    code = fields.String(required=True, metadata={"description": "stable machine code"})
    message = fields.String(required=True, metadata={"description": "for people, in their language"})
    details = fields.Raw(metadata={"description": "per-field problems, when there are some"})
    where = fields.String()


class ApiErrorSchema(Schema):
    error = fields.Nested(ErrorBody, required=True)
