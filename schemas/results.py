"""Results: the board, closing and sealing a round, the next round, reports, export."""

from __future__ import annotations

from marshmallow import Schema, fields, validate

SIGNER_ROLES = ("chief_scrutineer", "scrutineer", "teller")


class BoardQuerySchema(Schema):
    congress_id = fields.Integer(validate=validate.Range(min=1),
                                 metadata={"description": "default: the latest congress"})


class BoardSchema(Schema):
    congress = fields.Dict(required=True)
    official = fields.Boolean(required=True, metadata={"description": "live counts always shown"})
    version = fields.String(required=True)
    contests = fields.List(fields.Dict(), required=True,
                           metadata={"description": "per contest, its rounds (E, P, quorum, I, R, "
                                     "counts, tally in stroke order, status)"})


class ClosingSchema(Schema):
    round_id = fields.Integer(required=True)
    number = fields.Integer(required=True)
    ready = fields.Boolean(required=True)
    problems = fields.List(fields.String(), required=True)
    result = fields.Dict(required=True, metadata={"description": "union-ballot-result/1"})
    digest = fields.String(required=True, metadata={"description": "SHA-256 of the counted ballots"})
    digest_short = fields.String(required=True)
    officials = fields.List(fields.Dict())
    state = fields.String()
    sealed_at = fields.String()
    signatures = fields.List(fields.Dict(), metadata={"description": "who signed (sealed rounds)"})
    next_step = fields.String(allow_none=True, metadata={
        "description": "sealed rounds: null when the contest is decided, 'taken' when the next "
                       "step is arranged, else revote, another_election, reduce_seats, vacant, "
                       "repeat"})
    figures = fields.Dict(metadata={"description": "E, P, I, R and seats"})


class SignatureSchema(Schema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=64))
    role = fields.String(required=True, validate=validate.OneOf(SIGNER_ROLES))


class SealSchema(Schema):
    # An empty list is refused by the service with a sentence (the chief scrutineer signs).
    signatures = fields.List(fields.Nested(SignatureSchema), required=True,
                             validate=validate.Length(max=100))
    issued_over_present_reason = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=2000),
        metadata={"description": "why more ballots were issued than delegates present (I > P); "
                                 "without it such a round is not sealed"})


class NextRoundArgsSchema(Schema):
    motion = fields.String(validate=validate.Length(max=2000),
                           metadata={"description": "the congress's motion, for reduce_seats (R6)"})


class NextRoundSchema(Schema):
    kind = fields.String(required=True, metadata={
        "description": "revote, another_election, repeat, reduce_seats or vacant"})
    round_id = fields.Integer(allow_none=True, required=True)
    number = fields.Integer(allow_none=True, required=True)
    seats = fields.Integer(required=True)
    method = fields.String(allow_none=True, required=True)
    candidates = fields.List(fields.String(), required=True)
    motion = fields.String(allow_none=True)
    open_seats = fields.Integer()


class RecordSchema(Schema):
    format = fields.String(required=True)
    contest = fields.Dict(required=True)
    ballots = fields.List(fields.Dict(), required=True)
