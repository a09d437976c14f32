"""Applications."""

from marshmallow import Schema, fields, validate

from app.schemas.common import SortArgs, StrictSchema, short_text
from app.schemas.posting import PostingSchema
from app.schemas.seeker import SeekerCandidateSchema

STATUSES = ["applied", "shortlisted", "invited", "hired", "rejected", "withdrawn"]


class ApplicationInSchema(StrictSchema):
    posting_id = fields.Integer(required=True)
    note = short_text(1000)


class ApplicationUpdateSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES[1:]))
    note = short_text(1000)


class ApplicationSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    note = fields.String(allow_none=True)
    applied_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    posting = fields.Nested(PostingSchema)
    seeker = fields.Nested(SeekerCandidateSchema)


class ApplicationQuery(SortArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    posting_id = fields.Integer()
    seeker_id = fields.Integer()
