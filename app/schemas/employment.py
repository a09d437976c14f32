"""Employment records: the facts the one-off hiring subsidies test."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.schemas.common import Date, Integer, SortArgs, StrictSchema

MONTHS = validate.Range(
    min=0, max=600, error="应为 0–600 的整数月数 / must be a whole number of months from 0 to 600"
)


def months(**kwargs) -> fields.Integer:
    """A count of months: a whole number from 0, or null while not known."""
    return fields.Integer(allow_none=True, strict=True, validate=MONTHS, **kwargs)


class EmploymentSchema(Schema):
    id = fields.Integer()
    seeker_id = fields.Integer()
    seeker_name = fields.String(attribute="seeker.name")
    employer_id = fields.Integer()
    employer_name = fields.String(attribute="employer.name")
    hire_date = fields.Date()
    contract_months = fields.Integer(allow_none=True)
    social_insurance_months = fields.Integer(allow_none=True)
    unemployment_insurance_months = fields.Integer(allow_none=True)
    ended_on = fields.Date(allow_none=True)
    source = fields.String(allow_none=True)
    recorded_by = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    updated_at = fields.DateTime()


class EmploymentFactsSchema(StrictSchema):
    contract_months = months()
    social_insurance_months = months()
    unemployment_insurance_months = months()
    ended_on = Date(allow_none=True)

    @validates_schema
    def check_not_empty(self, data: dict, **kwargs) -> None:
        """Refuse a body that changes nothing."""
        if not data:
            raise ValidationError(
                "至少填写一项 / give at least one of contract_months, social_insurance_months, "
                "unemployment_insurance_months, ended_on",
                "_schema",
            )


class EmploymentQuery(SortArgs):
    seeker_id = Integer(validate=validate.Range(min=1))
    employer_id = Integer(validate=validate.Range(min=1))
    hired_from = Date()
    hired_until = Date()
    ongoing = fields.Boolean()
    facts_complete = fields.Boolean()
