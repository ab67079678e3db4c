"""Ballot issuing and printing: the layout, print jobs, spare ballots, issuance accounting."""

from __future__ import annotations

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.ballots.issue import MAX_ACCOUNTING, MAX_PER_BATCH


class RectSchema(Schema):
    x = fields.Float(required=True)
    y = fields.Float(required=True)
    w = fields.Float(required=True)
    h = fields.Float(required=True)


class MarkSchema(RectSchema):
    id = fields.String(required=True)


class TextRectSchema(RectSchema):
    text = fields.String(required=True)


class InstructionsSchema(RectSchema):
    lines = fields.List(fields.String(), required=True)


class PageSchema(Schema):
    width = fields.Float(required=True)
    height = fields.Float(required=True)


class LayoutSchema(Schema):
    """The ballot page of a round in millimetres from the page's top-left corner: what the
    PDF is drawn from and what the photo reader and the tablet measure against
    (format union-ballot-layout/1, see app/ballots/layout.py)."""

    format = fields.String(required=True)
    unit = fields.String(required=True)
    contest_id = fields.Integer(required=True)
    round_id = fields.Integer(required=True)
    page = fields.Nested(PageSchema, required=True)
    marks = fields.List(fields.Nested(MarkSchema), required=True)
    qr = fields.Nested(RectSchema, required=True)
    code = fields.Nested(RectSchema, required=True)
    paper = fields.String(metadata={"description": "the paper size the page is: A4 or A5"})
    congress = fields.Nested(TextRectSchema, metadata={"description": "the congress's name"})
    title = fields.Nested(TextRectSchema, required=True)
    subtitle = fields.Nested(TextRectSchema, required=True)
    stamp = fields.Nested(TextRectSchema, allow_none=True,
                          metadata={"description": "where the union stamps the ballot, if it does"})
    instructions = fields.Nested(InstructionsSchema, required=True)
    table = fields.Dict(required=True, metadata={"description": "columns, row_height, headers"})
    seats = fields.Integer(required=True)
    candidates = fields.List(fields.Dict(), required=True,
                             metadata={"description": "ref, name, note, row, name_area, "
                                                      "boxes {yes, no}; in stroke order (R9)"})
    write_ins = fields.List(fields.Dict(), required=True,
                            metadata={"description": "index, row, name_area, boxes {yes}"})


class PrintJobRequestSchema(Schema):
    count = fields.Integer(required=True, strict=True,
                           validate=validate.Range(min=1, max=MAX_PER_BATCH))


class JobErrorSchema(Schema):
    code = fields.String(required=True)
    message = fields.String(required=True)


class PrintJobSchema(Schema):
    id = fields.String(required=True)
    round_id = fields.Integer(required=True)
    contest_id = fields.Integer(required=True)
    count = fields.Integer(required=True)
    state = fields.String(required=True, metadata={"description": "running, done or failed"})
    done = fields.Integer(required=True, metadata={"description": "pages drawn so far"})
    batch = fields.Integer(allow_none=True)
    error = fields.Nested(JobErrorSchema, allow_none=True)
    download_url = fields.String(allow_none=True)
    created_at = fields.String(required=True)


class VoidSpareSchema(Schema):
    """A spare ballot to void: its scanned QR text or its typed short code (one of the two)."""

    payload = fields.String(validate=validate.Length(min=1, max=200))
    code = fields.String(validate=validate.Length(min=1, max=64))

    @validates_schema
    def one_of_two(self, data, **_kwargs):
        if ("payload" in data) == ("code" in data):
            raise ValidationError("give either payload (the scanned QR) or code (typed)",
                                  "_schema")


class VoidCountSchema(Schema):
    voided_by_count = fields.Integer(required=True, strict=True,
                                     validate=validate.Range(min=0, max=MAX_ACCOUNTING))


class IssuedSchema(Schema):
    issued = fields.Integer(required=True, strict=True, allow_none=True,
                            validate=validate.Range(min=0, max=MAX_ACCOUNTING),
                            metadata={"description": "I entered by hand; null: printed − voided"})
    reason = fields.String(load_default=None, allow_none=True, validate=validate.Length(max=2000),
                           metadata={"description": "why I may exceed those present (P); "
                                                    "without it I > P is refused (409)"})


class ReturnedSchema(Schema):
    returned = fields.Integer(required=True, strict=True,
                              validate=validate.Range(min=0, max=MAX_ACCOUNTING))


class BatchSchema(Schema):
    batch = fields.Integer(required=True)
    printed = fields.Integer(required=True)
    layout_sha256 = fields.String(required=True)
    created_at = fields.String(required=True)


class OverPresentReasonSchema(Schema):
    reason = fields.String(required=True, validate=validate.Length(max=2000),
                           metadata={"description": "why more ballots were issued than present"})


class IssuedOverPresentSchema(Schema):
    issued = fields.Integer(required=True)
    present = fields.Integer(required=True)
    reason = fields.String(required=True)
    acknowledged_by = fields.String(required=True)
    acknowledged_at = fields.String(required=True)


class AccountingSchema(Schema):
    round_id = fields.Integer(required=True)
    contest_id = fields.Integer(required=True)
    state = fields.String(required=True)
    printed = fields.Integer(required=True)
    voided_scanned = fields.Integer(required=True)
    voided_by_count = fields.Integer(required=True)
    voided = fields.Integer(required=True)
    issued = fields.Integer(required=True, metadata={"description": "I (发出选票)"})
    issued_entered = fields.Boolean(required=True)
    returned = fields.Integer(allow_none=True, metadata={"description": "R (收回选票)"})
    round_valid = fields.Boolean(allow_none=True, metadata={"description": "R2: R ≤ I"})
    batches = fields.List(fields.Nested(BatchSchema), required=True)
    present = fields.Integer(allow_none=True, metadata={"description": "P, set when the round opened"})
    issued_over_present = fields.Nested(IssuedOverPresentSchema, allow_none=True,
                                        metadata={"description": "I > P acknowledged with a reason"})


class VoidedSchema(Schema):
    serial = fields.String(required=True)
    accounting = fields.Nested(AccountingSchema, required=True)


class BallotRoundSchema(Schema):
    round_id = fields.Integer(required=True)
    congress_id = fields.Integer()
    congress_name = fields.String()
    contest_id = fields.Integer(required=True)
    contest_title = fields.String(required=True)
    number = fields.Integer(required=True)
    kind = fields.String(required=True)
    state = fields.String(required=True)
    seats = fields.Integer(required=True)
