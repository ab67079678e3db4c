"""The congress, its roster, attendance and the live quorum figure (R1)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Any

from flask_smorest.fields import Upload
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.congress.names import name_problem

KINDS = ("founding", "renewal")
ASSEMBLIES = ("members", "delegates")
LEADERS_ELECTED_BY = ("congress", "plenary")


def plain_text(value: str) -> None:
    """No control or format characters: they print as nothing and hide differences."""
    for char in value:
        if unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs"):
            raise ValidationError(f"contains the control character U+{ord(char):04X}.")


def not_blank(value: str) -> None:
    if not value.strip():
        raise ValidationError("must not be blank.")


def person_name(value: str) -> None:
    """A person's name: letters, spaces and the marks real names carry (app/congress/names.py)."""
    problem = name_problem(value)
    if problem:
        raise ValidationError(problem)


def name_field(max_length: int, *, required: bool = False, **kwargs) -> fields.String:
    return fields.String(required=required, validate=[validate.Length(max=max_length), person_name],
                         **kwargs)


def text_field(max_length: int, *, required: bool = False, blank: bool = False,
               **kwargs) -> fields.String:
    checks: list[Callable[[Any], Any]] = [validate.Length(max=max_length), plain_text]
    if not blank:
        checks.append(not_blank)
    return fields.String(required=required, validate=checks, **kwargs)


class CongressInSchema(Schema):
    name = text_field(100, required=True, metadata={"description": "e.g. 某某镇总工会第五次会员代表大会"})
    kind = fields.String(required=True, validate=validate.OneOf(KINDS),
                         metadata={"description": "founding 组建 or renewal 换届"})
    assembly = fields.String(required=True, validate=validate.OneOf(ASSEMBLIES),
                             metadata={"description": "members 会员大会 or delegates 会员代表大会"})
    members = fields.Integer(required=True, strict=True,
                             validate=validate.Range(min=1, max=100_000_000),
                             metadata={"description": "M, union members (R8 size band)"})
    live_board_public = fields.Boolean(load_default=True)
    place = text_field(120, blank=True, load_default="",
                       metadata={"description": "where it meets (count report)"})
    issuing_body = text_field(120, blank=True, load_default="", metadata={
        "description": "who issues the announcement of the elected; empty: <congress>主席团"})
    ballot_stamp = fields.Boolean(load_default=False,
                                  metadata={"description": "ballots carry an area for the stamp"})


class CongressPatchSchema(Schema):
    name = text_field(100)
    kind = fields.String(validate=validate.OneOf(KINDS))
    assembly = fields.String(validate=validate.OneOf(ASSEMBLIES))
    members = fields.Integer(strict=True, validate=validate.Range(min=1, max=100_000_000))
    live_board_public = fields.Boolean()
    leaders_elected_by = fields.String(validate=validate.OneOf(LEADERS_ELECTED_BY), metadata={
        "description": "R13: 主席/副主席 elected by the congress itself or by the committee's plenary"})
    place = text_field(120, blank=True, metadata={"description": "where it meets (count report)"})
    issuing_body = text_field(120, blank=True, metadata={
        "description": "who issues the announcement of the elected, e.g. 大会主席团"})
    ballot_stamp = fields.Boolean(metadata={"description": "ballots carry an area for the stamp"})


class CongressSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    kind = fields.String(required=True)
    assembly = fields.String(required=True)
    members = fields.Integer(required=True)
    live_board_public = fields.Boolean(required=True)
    created_at = fields.String(required=True)
    parent_id = fields.Integer(allow_none=True, metadata={
        "description": "R13: for a plenary, the congress that elected it; else null"})
    body = fields.String(metadata={"description": "congress, committee_plenary or audit_plenary"})
    source_contest_id = fields.Integer(allow_none=True, metadata={
        "description": "R13: for a plenary, the congress's contest whose elected are its roster"})
    leaders_elected_by = fields.String(metadata={"description": "congress or plenary (R13)"})
    place = fields.String()
    issuing_body = fields.String()
    ballot_stamp = fields.Boolean()


class CongressListSchema(Schema):
    congresses = fields.List(fields.Nested(CongressSchema), required=True)


class QuorumRuleCheckSchema(Schema):
    rule = fields.String(required=True, metadata={"description": "the R1 setting"})
    needed = fields.Integer(required=True, metadata={"description": "least P that meets it"})
    met = fields.Boolean(required=True)


class QuorumFigureSchema(Schema):
    congress_id = fields.Integer(required=True)
    entitled = fields.Integer(required=True, metadata={"description": "E: entitled voters"})
    present = fields.Integer(required=True, metadata={"description": "P: entitled and checked in"})
    roster = fields.Integer(required=True, metadata={"description": "everyone on the roster"})
    checks = fields.List(fields.Nested(QuorumRuleCheckSchema), required=True)


class RosterPersonSchema(Schema):
    id = fields.Integer(required=True)
    name = fields.String(required=True)
    unit = fields.String(required=True)
    gender = fields.String(required=True)
    entitled = fields.Boolean(required=True)
    note = fields.String(required=True)
    present = fields.Boolean(required=True)
    checked_in_at = fields.String(allow_none=True)
    card_code = fields.String(metadata={"description": "shown to the secretariat only"})


class PeopleQuerySchema(Schema):
    q = fields.String(load_default="", validate=validate.Length(max=100))
    limit = fields.Integer(load_default=200, validate=validate.Range(min=1, max=2000))
    offset = fields.Integer(load_default=0, validate=validate.Range(min=0))


class PeopleSchema(Schema):
    total = fields.Integer(required=True)
    people = fields.List(fields.Nested(RosterPersonSchema), required=True)


class RosterFileSchema(Schema):
    file = Upload(required=True, metadata={"description": "CSV (UTF-8 or GB18030) or .xlsx"})


class RosterFormSchema(Schema):
    replace = fields.Boolean(load_default=False,
                             metadata={"description": "replace the roster (only before check-in)"})


class RosterImportSchema(Schema):
    added = fields.Integer(required=True)
    removed = fields.Integer(required=True)
    ignored_columns = fields.List(fields.String(), required=True)
    quorum = fields.Nested(QuorumFigureSchema, required=True)


class CheckInSchema(Schema):
    person_id = fields.Integer(strict=True)
    card_code = fields.String(validate=validate.Length(min=1, max=64),
                              metadata={"description": "as a scanner types it; spaces ignored"})

    @validates_schema
    def one_of_them(self, data, **_kwargs) -> None:
        if ("person_id" in data) == ("card_code" in data):
            raise ValidationError("give either person_id or card_code.")


class CheckInResultSchema(Schema):
    person = fields.Nested(RosterPersonSchema, required=True)
    already_present = fields.Boolean(required=True)
    quorum = fields.Nested(QuorumFigureSchema, required=True)


class UndoResultSchema(Schema):
    person = fields.Nested(RosterPersonSchema, required=True)
    quorum = fields.Nested(QuorumFigureSchema, required=True)


class ArchiveSchema(Schema):
    archived = fields.Boolean(required=True, metadata={"description": "true: archive; false: bring back"})
