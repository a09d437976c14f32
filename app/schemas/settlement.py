"""Subsidy settlement, host subsidy views, claim sheets and the policy finder."""

from marshmallow import Schema, fields, pre_load, validate

from app.schemas.common import Date, Integer, StrictSchema, short_text
from app.schemas.seeker import DeclaredFactSchema
from app.schemas.traineeship import MessageSchema

RULE = validate.Regexp(r"^[a-z0-9][a-z0-9_.-]{0,79}$", error="规则代码无效 / not a rule id")
MONTH = validate.Regexp(
    r"^(19|20)\d{2}-(0[1-9]|1[0-2])$",
    error="月份应为 YYYY-MM（1900—2099）/ month must read YYYY-MM (1900–2099)",
)


class MonthArgs(Schema):
    month = fields.String(required=True, validate=MONTH)


class PaymentSchema(Schema):
    class Meta:
        unknown = "raise"

    month = fields.String(required=True, validate=MONTH)
    reference = short_text(200, min_len=2, required=True)


class PaymentResultSchema(Schema):
    program_id = fields.Integer()
    month = fields.String()
    lines_paid = fields.Integer()
    paid_total = fields.Integer()
    reference = fields.String()


class OptionalMonthArgs(Schema):
    month = fields.String(validate=MONTH)


class ClaimsArgs(OptionalMonthArgs):
    host_id = Integer(validate=validate.Range(min=1))


class SubsidyArgs(Schema):
    on = Date()


class LineSchema(Schema):
    id = fields.Integer()
    traineeship_id = fields.Integer()
    host_id = fields.Integer()
    month = fields.String()
    kind = fields.String()
    rate = fields.Integer()
    amount = fields.Integer()
    rule = fields.String()
    source = fields.String()
    rulebook_version = fields.String()
    revision = fields.Integer()
    corrects = fields.String(allow_none=True)
    status = fields.String()
    explanation = fields.Nested(MessageSchema)


class HostSchema(Schema):
    host_id = fields.Integer()
    host_name = fields.String(allow_none=True)
    program = fields.String()
    retention_rate = fields.Float(allow_none=True)
    tier = fields.String()
    tier_name = fields.Nested(MessageSchema)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    paid = fields.Integer()
    due = fields.Integer()
    months_served = fields.Integer()


class RefusedSchema(Schema):
    traineeship_id = fields.Integer()
    field = fields.String()
    reason = fields.String()


class SettlementRunSchema(Schema):
    program_id = fields.Integer()
    month = fields.String()
    until = fields.Date()
    rulebook_version = fields.String()
    total = fields.Integer()
    lines = fields.List(fields.Nested(LineSchema))
    hosts = fields.List(fields.Dict())
    conflicts = fields.List(fields.Dict())
    errors = fields.List(fields.Nested(RefusedSchema))


class SettlementViewSchema(Schema):
    program_id = fields.Integer()
    month = fields.String(allow_none=True)
    until = fields.Date()
    rulebook_version = fields.String()
    total = fields.Integer()
    lines = fields.List(fields.Nested(LineSchema))
    hosts = fields.List(fields.Nested(HostSchema))
    errors = fields.List(fields.Nested(RefusedSchema))


class TrainedSchema(Schema):
    traineeship_id = fields.Integer()
    name = fields.String()
    started_on = fields.Date()
    planned_months = fields.Integer()
    ended_on = fields.Date(allow_none=True)
    outcome = fields.String()
    months_served = fields.Integer()
    paid = fields.Integer()


class ProgramSubsidySchema(Schema):
    program_id = fields.Integer()
    program_key = fields.String()
    program_name = fields.String()
    retention_rate = fields.Float(allow_none=True)
    tier = fields.String()
    tier_name = fields.Nested(MessageSchema)
    counts = fields.Dict(keys=fields.String(), values=fields.Integer())
    paid = fields.Integer()
    due_now = fields.Integer()
    expected_total = fields.Integer()
    tier_distance = fields.Dict(allow_none=True)
    forecast = fields.Dict(allow_none=True)
    trainees = fields.List(fields.Nested(TrainedSchema))
    errors = fields.List(fields.Nested(RefusedSchema))


class EmployerSubsidySchema(Schema):
    employer_id = fields.Integer()
    employer_name = fields.String()
    on = fields.Date()
    programs = fields.List(fields.Nested(ProgramSubsidySchema))


class CheckSchema(Schema):
    field = fields.String()
    message = fields.Nested(MessageSchema)


class MissingSchema(CheckSchema):
    required = fields.Dict()


class GrantBriefSchema(Schema):
    id = fields.Integer()
    granted_on = fields.Date()
    amount = fields.Integer()
    reference = fields.String()
    hire_record = fields.String()


class FindingSchema(Schema):
    seeker_id = fields.Integer()
    seeker_name = fields.String()
    employer_id = fields.Integer()
    employer_name = fields.String()
    hire_date = fields.Date()
    hire_record = fields.String()
    rulebook = fields.String()
    rulebook_version = fields.String()
    rule = fields.String()
    source = fields.String()
    name = fields.Nested(MessageSchema)
    amount = fields.Integer()
    status = fields.String()
    evidence = fields.List(fields.Nested(CheckSchema))
    missing = fields.List(fields.Nested(MissingSchema))
    declared = fields.List(
        fields.Nested(DeclaredFactSchema),
        metadata={
            "description": "facts the person declared that the rule relies on, confirmed or not"
        },
    )
    grant = fields.Nested(GrantBriefSchema, allow_none=True)


class FinderSchema(Schema):
    hires_checked = fields.Integer()
    rulebooks = fields.List(fields.String())
    note = fields.Nested(MessageSchema)
    findings = fields.List(fields.Nested(FindingSchema))


class FinderArgs(Schema):
    rule = fields.String(validate=RULE)


class HiringGrantInSchema(StrictSchema):
    seeker_id = Integer(required=True, strict=True, validate=validate.Range(min=1))
    rule = fields.String(required=True, validate=RULE)
    reference = short_text(200, min_len=2, required=True)
    granted_on = Date()

    @pre_load
    def trim(self, data, **kwargs):
        """Payment references are compared without surrounding spaces."""
        if isinstance(data, dict) and isinstance(data.get("reference"), str):
            return {**data, "reference": data["reference"].strip()}
        return data


class HiringGrantSchema(Schema):
    id = fields.Integer()
    seeker_id = fields.Integer()
    seeker_name = fields.String(attribute="seeker.name")
    employer_id = fields.Integer()
    employer_name = fields.String(attribute="employer.name")
    rulebook = fields.String(attribute="rulebook_id")
    rulebook_version = fields.String()
    rule = fields.String(attribute="rule_id")
    source = fields.String()
    amount = fields.Integer()
    hire_date = fields.Date()
    hire_record = fields.String()
    granted_on = fields.Date()
    reference = fields.String()
    recorded_by = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
