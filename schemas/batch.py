"""Batch reading of a scanned stack (issue 13): the upload, a batch with its staged
pages, confirmations, the reject list and the cross-check."""

from __future__ import annotations

from flask_smorest.fields import Upload
from marshmallow import Schema, fields

from .counting import ReadingSchema  # noqa: F401  (a page's correction is a tablet reading)


class ScanBatchUploadSchema(Schema):
    file = Upload(required=True, metadata={"description": "the copier's multi-page PDF or TIFF, "
                                                          "or a ZIP of page images"})


class ScanWriteInRowSchema(Schema):
    row = fields.Integer(required=True)
    mark = fields.String(required=True, metadata={"description": "yes, none or unsure"})
    has_name = fields.Boolean(required=True)


class ScanReviewSchema(Schema):
    ref = fields.String()
    write_in = fields.Integer()
    reason = fields.String(required=True)


class StagedPageSchema(Schema):
    page = fields.Integer(required=True, metadata={"description": "1-based, in file order"})
    serial = fields.String(allow_none=True)
    refused = fields.String(allow_none=True, metadata={
        "description": "not_a_ballot, blank_page, other_round, duplicate_in_batch, unreadable, "
                       "forged, never_printed, voided"})
    refused_text = fields.String(allow_none=True)
    marks = fields.Dict(keys=fields.String(), values=fields.String(),
                        metadata={"description": "candidate ref → yes, no, abstain or unsure"})
    write_ins = fields.List(fields.Nested(ScanWriteInRowSchema))
    review = fields.List(fields.Nested(ScanReviewSchema))
    needs_person = fields.Boolean(metadata={"description": "an unsure row or a write-in name to type"})
    unsure_rows = fields.Integer()
    state = fields.String(metadata={"description": "staged or recorded"})
    outcome = fields.String(allow_none=True, metadata={"description": "added, duplicate or conflict"})
    image_url = fields.String(allow_none=True)


class ScanBatchCountsSchema(Schema):
    read_pages = fields.Integer()
    clean = fields.Integer(metadata={"description": "staged pages a teller can confirm in one action"})
    to_check = fields.Integer(metadata={"description": "staged pages a teller must look at"})
    rejected = fields.Integer()
    blank = fields.Integer()
    recorded = fields.Integer()
    unsure = fields.Integer()


class ScanBatchSchema(Schema):
    id = fields.Integer(required=True)
    round_id = fields.Integer(required=True)
    source_name = fields.String()
    state = fields.String(metadata={"description": "reading, ready or failed"})
    error = fields.String(allow_none=True, metadata={"description": "why reading failed (a code)"})
    error_text = fields.String(allow_none=True)
    pages = fields.Integer()
    done = fields.Integer()
    seconds = fields.Float(allow_none=True)
    created_at = fields.String()
    counts = fields.Nested(ScanBatchCountsSchema)
    page_list = fields.List(fields.Nested(StagedPageSchema))


class ScanBatchListSchema(Schema):
    batches = fields.List(fields.Nested(ScanBatchSchema))


class ScanConfirmedSchema(Schema):
    added = fields.Integer()
    duplicate = fields.Integer()
    conflict = fields.Integer()


class ScanPageConfirmedSchema(Schema):
    page = fields.Integer()
    outcome = fields.String(metadata={"description": "added, duplicate or conflict"})


class ScanRejectSchema(Schema):
    page = fields.Integer()
    serial = fields.String(allow_none=True)
    reason = fields.String()
    reason_text = fields.String()


class ScanRejectListSchema(Schema):
    batch_id = fields.Integer()
    round_id = fields.Integer()
    source_name = fields.String()
    pages = fields.Integer()
    blank_pages = fields.Integer()
    rejects = fields.List(fields.Nested(ScanRejectSchema))


class CrossCheckDifferenceSchema(Schema):
    ref = fields.String(allow_none=True)
    name = fields.String()
    tablet = fields.String()
    scanner = fields.String()


class CrossCheckItemSchema(Schema):
    serial = fields.String()
    batch_id = fields.Integer()
    file = fields.String(metadata={"description": "the uploaded file the page came from"})
    page = fields.Integer()
    differences = fields.List(fields.Nested(CrossCheckDifferenceSchema))


class CrossCheckSchema(Schema):
    round_id = fields.Integer()
    read_by_both = fields.Integer()
    differing = fields.List(fields.Nested(CrossCheckItemSchema))
