"""Traineeships: enrolment, outcomes, listing, and eligibility checks."""

import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.schemas.common import (
    ANY_DISTRICT_CODE,
    DISTRICT_CODE,
    EDUCATION,
    Date,
    Integer,
    SortArgs,
    StrictSchema,
)
from app.schemas.seeker import DeclaredFactSchema

OUTCOMES = ("active", "completed", "retained", "converted_early", "left_early")
ENDED = OUTCOMES[1:]


class TraineeshipInSchema(StrictSchema):
    seeker_id = Integer(required=True, validate=validate.Range(min=1))
    program_id = Integer(required=True, validate=validate.Range(min=1))
    posting_id = Integer(required=True, validate=validate.Range(min=1))
    started_on = Date(required=True)
    planned_months = Integer(
        validate=validate.Range(min=3, max=12, error="见习期限应为3—12个月 / 3 to 12 months")
    )


class TraineeshipOutcomeSchema(StrictSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(ENDED))
    ended_on = Date(required=True)


class TraineeshipQuery(SortArgs):
    program_id = Integer()
    host_id = Integer()
    seeker_id = Integer()
    posting_id = Integer()
    outcome = fields.String(validate=validate.OneOf(OUTCOMES))
    started_from = Date()
    started_until = Date()


class TraineeSchema(Schema):
    """A trainee as hosts and offices see them in the register (no ID number)."""

    id = fields.Integer()
    name = fields.String()
    education = fields.String()
    graduation_date = fields.Date(allow_none=True)


class NamedSchema(Schema):
    id = fields.Integer()
    name = fields.String()


class PostRefSchema(Schema):
    id = fields.Integer()
    title = fields.String()


class TraineeshipSchema(Schema):
    id = fields.Integer()
    seeker = fields.Nested(TraineeSchema)
    host = fields.Nested(NamedSchema)
    program = fields.Nested(NamedSchema, allow_none=True)
    posting = fields.Nested(PostRefSchema, allow_none=True)
    started_on = fields.Date()
    planned_months = fields.Integer()
    ended_on = fields.Date(allow_none=True)
    outcome = fields.String()
    planned_end = fields.Date()
    awaiting_outcome = fields.Method(
        "_awaiting_outcome",
        metadata={
            "description": "Still active after its planned end (as of today): an outcome is due."
        },
    )
    rulebook_version = fields.String(allow_none=True)
    created_at = fields.DateTime()

    def _awaiting_outcome(self, traineeship) -> bool:
        return traineeship.awaiting_outcome(dt.date.today())


class PersonInSchema(StrictSchema):
    """A person record to check without storing it."""

    birth_date = Date(required=True)
    hukou_district = fields.String(allow_none=True, validate=DISTRICT_CODE)
    education = fields.String(allow_none=True, validate=EDUCATION)
    graduation_date = Date(allow_none=True)
    employed = fields.Boolean(load_default=False)
    registered_unemployed_since = Date(allow_none=True)
    registered_unemployed_district = fields.String(allow_none=True, validate=ANY_DISTRICT_CODE)
    has_active_traineeship = fields.Boolean(load_default=False)


class EligibilityInSchema(StrictSchema):
    program_id = Integer(required=True, validate=validate.Range(min=1))
    started_on = Date(required=True)
    planned_months = Integer(validate=validate.Range(min=1, max=36))
    seeker_id = Integer(validate=validate.Range(min=1))
    person = fields.Nested(PersonInSchema)

    @validates_schema
    def one_subject(self, data: dict, **kwargs) -> None:
        """Check either a stored seeker or a person record, not both."""
        if ("seeker_id" in data) == ("person" in data):
            raise ValidationError(
                "请提供 seeker_id 或 person 之一 / give either seeker_id or person", "person"
            )


class MessageSchema(Schema):
    zh = fields.String()
    en = fields.String()


class ReasonSchema(Schema):
    rule = fields.String()
    tested = fields.List(fields.String(), data_key="fields", attribute="fields")
    source = fields.String()
    passed = fields.Boolean()
    message = fields.Nested(MessageSchema)


class EligibilitySchema(Schema):
    program_id = fields.Integer()
    eligible = fields.Boolean()
    on = fields.Date()
    rulebook = fields.String()
    rulebook_version = fields.String()
    reasons = fields.List(fields.Nested(ReasonSchema))
    declared_facts = fields.List(
        fields.Nested(DeclaredFactSchema),
        metadata={
            "description": "facts the seeker declared that the reasons rely on, confirmed or not"
        },
    )


class MineQuery(StrictSchema):
    on = fields.Date(
        metadata={"description": "look at the traineeships as of this day (default today)"}
    )


class SubsidyStatusSchema(Schema):
    paid = fields.Integer(metadata={"description": "yuan paid to the host for this traineeship"})
    due = fields.Integer(metadata={"description": "yuan settled and not yet paid"})
    settled_through = fields.String(allow_none=True)
    in_program = fields.Boolean()


class MyTraineeshipSchema(Schema):
    traineeship = fields.Nested(TraineeshipSchema)
    planned_end = fields.Date()
    awaiting_outcome = fields.Boolean()
    subsidy = fields.Nested(SubsidyStatusSchema)
