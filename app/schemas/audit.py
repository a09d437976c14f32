"""The audit trail as the API shows it."""

from marshmallow import Schema, fields, validate

from app.schemas.common import Date, Integer, StrictSchema


class AuditQuery(StrictSchema):
    """Filters of the audit trail."""

    seeker_id = Integer(metadata={"description": "events about this person"})
    posting_id = Integer()
    subsidy_line_id = Integer()
    user_id = Integer(metadata={"description": "events by this user"})
    action = fields.String(validate=validate.Length(max=40))
    entity = fields.String(validate=validate.Length(max=40))
    since = Date()
    until = Date()


class AuditEventSchema(Schema):
    """Who did what to which record, when, from where, with the values before and after."""

    id = fields.Integer()
    at = fields.DateTime()
    user_id = fields.Integer(allow_none=True)
    action = fields.String()
    entity = fields.String()
    entity_id = fields.String()
    district = fields.String(allow_none=True)
    ip = fields.String(allow_none=True)
    before = fields.Dict(allow_none=True)
    after = fields.Dict(allow_none=True)
