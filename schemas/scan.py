"""The photo reader's request (a multipart upload) and its answer."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields, validate

VERDICTS = ("yes", "no", "abstain", "unsure")


class ScanUploadSchema(Schema):
    photo = Upload(required=True, metadata={"description": "JPEG, PNG or WebP photo of one ballot"})


class BoxScoresSchema(Schema):
    yes = fields.Float(required=True, metadata={"description": "mean ink in the 赞成 box above the "
                                                "page's empty boxes (0 paper … 1 toner)"})
    no = fields.Float(required=True)


class WriteInReadingSchema(Schema):
    index = fields.Integer(required=True)
    has_name = fields.Boolean(required=True)
    mark = fields.String(required=True, validate=validate.OneOf(("yes", "none", "unsure")))
    score = fields.Float(required=True)
    name_crop = fields.String(required=True, metadata={"description": "data:image/png;base64 crop "
                                                       "of the name area, for the teller to type"})


class ReviewItemSchema(Schema):
    ref = fields.String(metadata={"description": "a printed candidate's ref"})
    write_in = fields.Integer(metadata={"description": "a write-in row's index"})
    reason = fields.String(required=True, metadata={
        "description": "faint, smudged, both_marked, crosses_box, mark_beside_box, low_confidence, "
                       "unsure_mark, unsure_name, mark_without_name"})


class TimingsSchema(Schema):
    decode = fields.Float(required=True)
    align = fields.Float(required=True)
    score = fields.Float(required=True)
    total = fields.Float(required=True)


class ScanReadingSchema(Schema):
    serial = fields.String(required=True)
    contest_id = fields.Integer(required=True)
    round_id = fields.Integer(required=True)
    marks = fields.Dict(keys=fields.String(), values=fields.String(validate=validate.OneOf(VERDICTS)),
                        required=True)
    scores = fields.Dict(keys=fields.String(), values=fields.Nested(BoxScoresSchema), required=True)
    write_ins = fields.List(fields.Nested(WriteInReadingSchema), required=True)
    needs_review = fields.List(fields.Nested(ReviewItemSchema), required=True)
    confidence = fields.Float(required=True)
    page_to_image = fields.List(fields.List(fields.Float()), required=True,
                                metadata={"description": "3×3 homography: page mm → photo pixels"})
    image_size = fields.List(fields.Integer(), required=True, metadata={"description": "[width, height]"})
    timings_ms = fields.Nested(TimingsSchema, required=True)
