"""Contests: office, method, seats, the slate, every RULES.md setting, officials (R12)."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

from app.rules import RuleSettings
from app.rules.settings import (
    QUORUM_CHOICES,
    SHORTFALL_CHOICES,
    THRESHOLD_BASE_CHOICES,
    TIE_BREAK_CHOICES,
    UNREADABLE_CHOICES,
)

from .congress import name_field, text_field

OFFICES = ("committee", "audit_committee", "chair", "vice_chair", "standing_committee",
           "women_committee", "other", "audit_chair")
METHODS = ("differential", "equal")
OFFICIAL_ROLES = ("chief_scrutineer", "scrutineer", "teller")
MAX_CANDIDATES = 60  # the most one ballot page holds
_DEFAULT = RuleSettings()


class ContestRulesSchema(Schema):
    """Every setting of RULES.md, each with its default."""

    quorum = fields.String(load_default=_DEFAULT.quorum, validate=validate.OneOf(QUORUM_CHOICES),
                           metadata={"description": "R1"})
    threshold_base = fields.String(load_default=_DEFAULT.threshold_base,
                                   validate=validate.OneOf(THRESHOLD_BASE_CHOICES),
                                   metadata={"description": "R4"})
    differential_rate_percent = fields.Integer(load_default=_DEFAULT.differential_rate_percent,
                                               strict=True, validate=validate.Range(min=0, max=100),
                                               metadata={"description": "R7"})
    tie_break = fields.String(load_default=_DEFAULT.tie_break,
                              validate=validate.OneOf(TIE_BREAK_CHOICES),
                              metadata={"description": "R5"})
    shortfall = fields.String(load_default=_DEFAULT.shortfall,
                              validate=validate.OneOf(SHORTFALL_CHOICES),
                              metadata={"description": "R6"})
    unreadable = fields.String(load_default=_DEFAULT.unreadable,
                               validate=validate.OneOf(UNREADABLE_CHOICES),
                               metadata={"description": "R3"})
    write_in_needs_yes_mark = fields.Boolean(load_default=_DEFAULT.write_in_needs_yes_mark,
                                             metadata={"description": "R3"})


class CandidateInSchema(Schema):
    id = fields.Integer(strict=True, metadata={"description": "keep this existing candidate"})
    name = name_field(40, required=True)
    note = text_field(100, load_default="", blank=True,
                      metadata={"description": "tells apart two people of the same name"})


class ContestInSchema(Schema):
    title = text_field(100, required=True)
    office = fields.String(required=True, validate=validate.OneOf(OFFICES))
    method = fields.String(required=True, validate=validate.OneOf(METHODS),
                           metadata={"description": "differential 差额 or equal 等额"})
    seats = fields.Integer(required=True, strict=True, validate=validate.Range(min=1, max=MAX_CANDIDATES))
    candidates = fields.List(fields.Nested(CandidateInSchema), load_default=list,
                             validate=validate.Length(max=MAX_CANDIDATES))
    rules = fields.Nested(ContestRulesSchema, load_default=lambda: ContestRulesSchema().load({}))
    position = fields.Integer(load_default=0, strict=True, validate=validate.Range(min=0, max=1000))


class ContestPatchSchema(Schema):
    title = text_field(100)
    office = fields.String(validate=validate.OneOf(OFFICES))
    method = fields.String(validate=validate.OneOf(METHODS))
    seats = fields.Integer(strict=True, validate=validate.Range(min=1, max=MAX_CANDIDATES))
    candidates = fields.List(fields.Nested(CandidateInSchema),
                             validate=validate.Length(max=MAX_CANDIDATES))
    rules = fields.Nested(ContestRulesSchema)
    position = fields.Integer(strict=True, validate=validate.Range(min=0, max=1000))


class SlateCandidateSchema(Schema):
    id = fields.Integer(required=True)
    ref = fields.String(required=True)
    name = fields.String(required=True)
    note = fields.String(required=True)


class UnknownStrokeCharSchema(Schema):
    char = fields.String(required=True)
    names = fields.List(fields.String(), required=True)


class SlateCheckSchema(Schema):
    ok = fields.Boolean(required=True, metadata={"description": "R7 holds for round 1"})
    min_candidates = fields.Integer(required=True)
    candidates = fields.Integer(required=True)
    seats = fields.Integer(required=True)
    problems = fields.List(fields.String(), required=True)


class OfficialInSchema(Schema):
    person_id = fields.Integer(strict=True, allow_none=True, load_default=None,
                               metadata={"description": "the roster person (else by a unique name)"})
    name = name_field(40, load_default=None, allow_none=True)
    role = fields.String(required=True, validate=validate.OneOf(OFFICIAL_ROLES))
    user_id = fields.Integer(strict=True, allow_none=True, load_default=None)


class ContestOfficialSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    person_id = fields.Integer(allow_none=True)
    unit = fields.String()
    role = fields.String(required=True)
    user_id = fields.Integer(allow_none=True)


class ContestRoundSchema(Schema):
    id = fields.Integer(required=True)
    number = fields.Integer(required=True)
    kind = fields.String(required=True)
    method = fields.String(required=True)
    seats = fields.Integer(required=True)
    state = fields.String(required=True)
    entitled = fields.Integer(allow_none=True)
    present = fields.Integer(allow_none=True)
    opened_at = fields.String(allow_none=True)
    sealed_at = fields.String(allow_none=True)


class ContestSchema(Schema):
    id = fields.Integer(required=True)
    congress_id = fields.Integer(required=True)
    title = fields.String(required=True)
    office = fields.String(required=True)
    method = fields.String(required=True)
    seats = fields.Integer(required=True)
    position = fields.Integer(required=True)
    created_at = fields.String(required=True)
    rules = fields.Nested(ContestRulesSchema, required=True)
    candidates = fields.List(fields.Nested(SlateCandidateSchema), required=True,
                             metadata={"description": "in R9 stroke order"})
    unknown_characters = fields.List(fields.Nested(UnknownStrokeCharSchema), required=True,
                                     metadata={"description": "R9: no stroke data; check by hand"})
    slate = fields.Nested(SlateCheckSchema, required=True)
    size_warning = fields.String(allow_none=True, metadata={"description": "R8"})
    officials = fields.List(fields.Nested(ContestOfficialSchema), required=True)
    rounds = fields.List(fields.Nested(ContestRoundSchema), required=True)
    editable = fields.Boolean(required=True, metadata={"description": "round 1 still in draft"})


class ContestListSchema(Schema):
    contests = fields.List(fields.Nested(ContestSchema), required=True)


class RoundOpenedSchema(Schema):
    round_id = fields.Integer(required=True)
    entitled = fields.Integer(required=True)
    present = fields.Integer(required=True)
    quorum_met = fields.Boolean(required=True)
    size_warning = fields.String(allow_none=True, metadata={"description": "R8"})
    contest = fields.Nested(ContestSchema, required=True)
