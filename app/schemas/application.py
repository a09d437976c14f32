"""Applications."""

import datetime as dt

from marshmallow import Schema, fields, validate

from app.schemas.common import Integer, SortArgs, StrictSchema, short_text
from app.schemas.posting import PostingSchema
from app.schemas.seeker import SeekerCandidateSchema

STATUSES = ["applied", "shortlisted", "invited", "hired", "rejected", "withdrawn"]


class ApplicationInSchema(StrictSchema):
    posting_id = Integer(required=True)
    note = short_text(1000)


class ApplicationUpdateSchema(StrictSchema):
    status = fields.String(required=True, validate=validate.OneOf(STATUSES[1:]))
    note = short_text(1000)
    started_on = fields.Date(
        metadata={
            "description": "hiring on a trainee post enrols the person from this day (default today)"
        }
    )
    interview_at = fields.AwareDateTime(
        default_timezone=dt.timezone(dt.timedelta(hours=8)),
        metadata={
            "description": "with status invited: the interview's time (Chongqing time if no offset)"
        },
    )
    interview_place = short_text(200)


class NoteSchema(Schema):
    author = fields.String(allow_none=True, metadata={"description": "seeker, employer or office"})
    text = fields.String()
    at = fields.DateTime(allow_none=True)


class ApplicationSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    note = fields.String(allow_none=True, metadata={"description": "the seeker's cover note"})
    notes = fields.List(fields.Nested(NoteSchema), dump_only=True)
    applied_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)
    posting = fields.Nested(PostingSchema)
    seeker = fields.Nested(SeekerCandidateSchema)


class ApplicationQuery(SortArgs):
    status = fields.String(validate=validate.OneOf(STATUSES))
    posting_id = Integer()
    seeker_id = Integer()


class WhoSchema(Schema):
    zh = fields.String()
    en = fields.String()


class TimelineStepSchema(Schema):
    status = fields.String()
    at = fields.DateTime(allow_none=True)
    by = fields.Nested(WhoSchema)
    detail = fields.Dict(
        metadata={
            "description": "an invitation's interview_at, interview_at_local, interview_place"
        }
    )


class TimelineSchema(Schema):
    application = fields.Nested(ApplicationSchema)
    steps = fields.List(fields.Nested(TimelineStepSchema))
