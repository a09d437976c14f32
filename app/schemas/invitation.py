"""Invitations to apply."""

from marshmallow import Schema, fields, validate

from app.schemas.common import StrictSchema, short_text


class InvitationInSchema(StrictSchema):
    seeker_id = fields.Integer(required=True, validate=validate.Range(min=1))
    message = short_text(500)


class InvitationAnswerSchema(StrictSchema):
    note = short_text(
        1000, metadata={"description": "accepting: the cover note of the application"}
    )


class InvitedPostSchema(Schema):
    id = fields.Integer()
    title = fields.String()


class InvitationSchema(Schema):
    id = fields.Integer()
    posting = fields.Nested(InvitedPostSchema)
    seeker_id = fields.Integer()
    employer_id = fields.Integer()
    message = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "pending, accepted or declined"})
    created_at = fields.DateTime()
    responded_at = fields.DateTime(allow_none=True)
    application_id = fields.Integer(allow_none=True)
