"""Employers: what they send, what everyone sees, and what offices see."""

from marshmallow import Schema, fields, validate

from app.identifiers import mask_phone
from app.schemas.common import (
    DISTRICT_CODE,
    Integer,
    SortArgs,
    StrictSchema,
    check_credit_code,
    short_text,
)
from app.schemas.user import AccountFields


class EmployerInSchema(StrictSchema):
    name = short_text(120, min_len=2, required=True)
    credit_code = fields.String(required=True, validate=check_credit_code)
    size_class = fields.String(load_default="sme", validate=validate.OneOf(["sme", "large"]))
    industry = short_text(80)
    district_code = fields.String(required=True, validate=DISTRICT_CODE)
    employees = Integer(validate=validate.Range(min=0, max=10_000_000))
    public_institution = fields.Boolean(load_default=False)
    contact_phone = fields.String(validate=validate.Regexp(r"^[0-9-]{7,20}$"))


class EmployerUpdateSchema(EmployerInSchema):
    class Meta:
        partial = True


class EmployerOfficeUpdateSchema(EmployerUpdateSchema):
    host_approved = fields.Boolean()
    host_cap = Integer(allow_none=True, validate=validate.Range(min=0, max=100_000))
    blacklisted = fields.Boolean()
    blacklist_reason = short_text(500, allow_none=True)


class EmployerRegisterSchema(AccountFields):
    employer = fields.Nested(EmployerInSchema, required=True)


class EmployerPublicSchema(Schema):
    id = fields.Integer()
    name = fields.String()
    size_class = fields.String()
    industry = fields.String(allow_none=True)
    district_code = fields.String()
    public_institution = fields.Boolean()


class EmployerSchema(EmployerPublicSchema):
    credit_code = fields.String()
    employees = fields.Integer(allow_none=True)
    contact_phone = fields.Function(lambda e: mask_phone(e.contact_phone))
    host_approved = fields.Boolean()
    host_cap = fields.Integer(allow_none=True)
    blacklisted = fields.Boolean()
    blacklist_reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


class EmployerQuery(SortArgs):
    district = fields.String(validate=DISTRICT_CODE)
    q = fields.String(validate=validate.Length(max=60))
    blacklisted = fields.Boolean()
    host_approved = fields.Boolean()
