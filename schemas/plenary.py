"""R13: the new committee's first plenary, started from a sealed contest of the congress."""

from __future__ import annotations

from marshmallow import Schema, fields


class PlenarySourceSchema(Schema):
    contest_id = fields.Integer(required=True)
    title = fields.String(required=True, metadata={"description": "the congress's contest"})
    office = fields.String(required=True, metadata={"description": "committee or audit_committee"})
    plenary_title = fields.String(required=True, metadata={"description": "the plenary's name"})
    plenary_id = fields.Integer(allow_none=True, metadata={"description": "once started"})
    ready = fields.Boolean(required=True, metadata={
        "description": "sealed and settled, no plenary yet: it can be started now"})
    reason = fields.String(allow_none=True, metadata={"description": "why not yet, as a code"})
    reason_text = fields.String(allow_none=True, metadata={"description": "why not yet, in words"})


class PlenaryListSchema(Schema):
    congress_id = fields.Integer(required=True)
    leaders_elected_by = fields.String(required=True, metadata={"description": "congress or plenary"})
    sources = fields.List(fields.Nested(PlenarySourceSchema), required=True)


class PlenaryStartedSchema(Schema):
    id = fields.Integer(required=True, metadata={"description": "the plenary's id (a congress id)"})
    name = fields.String(required=True)
    parent_id = fields.Integer(required=True)
    body = fields.String(required=True)
    members = fields.Integer(required=True, metadata={"description": "E: the members elected"})
