"""Counting: what a tablet sends for one ballot, what it gets back, and the scrutineers'
views and decisions. Marks and write-in marks are checked by the service (app.counting)
so that the message names the candidate in the user's language."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate

from app.congress.names import name_problem


def _write_in_name(value: str) -> None:
    """A written-in name, when there is one, is a person's name (app/congress/names.py)."""
    problem = name_problem(value) if value.strip() else None
    if problem:
        raise ValidationError(problem)


class WriteInInSchema(Schema):
    name = fields.String(load_default="", validate=[validate.Length(max=40), _write_in_name])
    mark = fields.String(load_default="yes", metadata={"description": "yes or none"})


class ReadingSchema(Schema):
    """What the teller confirmed a sheet carries."""

    marks = fields.Dict(keys=fields.String(), values=fields.String(), load_default=dict,
                        metadata={"description": "candidate ref → yes, no, abstain or unreadable;"
                                                 " a candidate left out is abstain"})
    write_ins = fields.List(fields.Nested(WriteInInSchema), load_default=list,
                            validate=validate.Length(max=20))
    invalid = fields.Boolean(load_default=False,
                             metadata={"description": "declared invalid on its face (R3)"})
    invalid_reason = fields.String(load_default="", validate=validate.Length(max=200))


class BallotSourceMixin(Schema):
    serial = fields.String(validate=validate.Length(min=1, max=40),
                           metadata={"description": "the serial the photo reader returned"})
    payload = fields.String(validate=validate.Length(min=1, max=200),
                            metadata={"description": "the raw QR text from a handheld scanner"})
    code = fields.String(validate=validate.Length(min=1, max=40),
                         metadata={"description": "the short code typed by hand"})


class BallotSubmitSchema(ReadingSchema, BallotSourceMixin):
    client_id = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9-]{8,64}$"),
                              metadata={"description": "made by the tablet once per confirmed ballot;"
                                                       " a resend with the same id is harmless"})


class BallotPreviewSchema(ReadingSchema, BallotSourceMixin):
    pass


class VerdictSchema(Schema):
    valid = fields.Boolean(required=True)
    reason = fields.String(allow_none=True)
    reason_text = fields.String()
    approvals = fields.Integer()


class RecordedSchema(Schema):
    status = fields.String(required=True, metadata={"description": "added, duplicate or conflict"})
    serial = fields.String(required=True)
    verdict = fields.Nested(VerdictSchema, required=True)
    my_count = fields.Integer(required=True)


class PreviewSchema(Schema):
    serial = fields.String(allow_none=True)
    state = fields.String(metadata={"description": "new, recorded or conflict"})
    same_reading = fields.Boolean(allow_none=True, metadata={
        "description": "for a recorded ballot: true if this reading is the recorded one (confirming "
                       "it is a duplicate), false if not (it would go to the scrutineers)"})
    verdict = fields.Nested(VerdictSchema, required=True)


class TellerProgressSchema(Schema):
    user_id = fields.Integer(allow_none=True)
    name = fields.String()
    username = fields.String()
    ballots = fields.Integer()
    added = fields.Integer()
    duplicates = fields.Integer()
    conflicts = fields.Integer()
    first = fields.Integer(allow_none=True,
                           metadata={"description": "ballots this teller recorded first"})


class ProgressSchema(Schema):
    round_id = fields.Integer(required=True)
    contest_id = fields.Integer()
    title = fields.String()
    number = fields.Integer()
    state = fields.String()
    seats = fields.Integer()
    ballots_issued = fields.Integer(allow_none=True)
    ballots_returned = fields.Integer(allow_none=True, metadata={"description": "R, once entered"})
    printed = fields.Integer()
    recorded = fields.Integer()
    counted = fields.Integer()
    conflicts = fields.Integer()
    valid = fields.Integer()
    invalid = fields.Integer()
    tally_version = fields.Integer()
    tellers = fields.List(fields.Nested(TellerProgressSchema))


class SubmissionSchema(Schema):
    submission_id = fields.Integer()
    by = fields.String()
    at = fields.String()
    outcome = fields.String()
    reason = fields.String()


class VersionSchema(Schema):
    submission_id = fields.Integer()
    marks = fields.Dict(keys=fields.String(), values=fields.String())
    write_ins = fields.List(fields.Dict())
    invalid = fields.Boolean()
    invalid_reason = fields.String()
    verdict = fields.Nested(VerdictSchema)
    submissions = fields.List(fields.Nested(SubmissionSchema))


class CurrentSchema(Schema):
    marks = fields.Dict(keys=fields.String(), values=fields.String())
    write_ins = fields.List(fields.Dict())
    invalid = fields.Boolean()
    invalid_reason = fields.String()
    verdict = fields.Nested(VerdictSchema)


class BallotViewSchema(Schema):
    serial = fields.String(required=True)
    round_id = fields.Integer()
    status = fields.String(metadata={"description": "counted, conflict or not_recorded"})
    current = fields.Nested(CurrentSchema, allow_none=True)
    versions = fields.List(fields.Nested(VersionSchema))
    contest_id = fields.Integer()
    title = fields.String()
    number = fields.Integer()
    round_state = fields.String()
    serial_state = fields.String()
    photos = fields.List(fields.Integer(), metadata={"description": "ids of the photos the tablets sent;"
                                                                    " GET /api/ballot-photos/<id>"})


class BallotListSchema(Schema):
    ballots = fields.List(fields.Nested(BallotViewSchema), required=True)


class ResolveSchema(ReadingSchema):
    submission_id = fields.Integer(metadata={"description": "the version chosen; or send the"
                                                            " correct reading instead"})
    reason = fields.String(required=True, validate=validate.Length(min=1, max=500))


class CandidateSchema(Schema):
    ref = fields.String()
    name = fields.String()
    note = fields.String(allow_none=True)


class CountingRoundSchema(Schema):
    round_id = fields.Integer()
    contest_id = fields.Integer()
    congress_id = fields.Integer()
    congress_name = fields.String(metadata={"description": "the body (congress or plenary) it belongs to"})
    title = fields.String()
    number = fields.Integer()
    kind = fields.String()
    state = fields.String()
    seats = fields.Integer()
    candidates = fields.List(fields.Nested(CandidateSchema))


class CountingRoundListSchema(Schema):
    rounds = fields.List(fields.Nested(CountingRoundSchema), required=True)


class PhotoUploadSchema(Schema):
    photo = Upload(required=True)


class PhotoFormSchema(Schema):
    client_id = fields.String(required=True, validate=validate.Regexp(r"^[A-Za-z0-9-]{8,64}$"))


class PhotoAddedSchema(Schema):
    photo_id = fields.Integer(required=True)


class FlagInSchema(Schema):
    note = fields.String(load_default="", validate=validate.Length(max=200),
                         metadata={"description": "what the teller thinks is wrong (optional)"})


class FlagSchema(Schema):
    flag_id = fields.Integer(required=True)
    serial = fields.String(required=True)
    note = fields.String()
    flagged_at = fields.String()
    by = fields.String()
    status = fields.String(metadata={"description": "counted, conflict or not_recorded"})


class FlagListSchema(Schema):
    flags = fields.List(fields.Nested(FlagSchema))
