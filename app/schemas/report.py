"""Office reports: match report runs, service records, dispatch, early warning and fairness."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.service_record import SERVICE_KINDS
from app.schemas.common import Date, Integer
from app.schemas.matching import below_education_field, exclude_employed_field
from app.schemas.posting import PostingSchema

DISTRICT = validate.Regexp(r"^\d{6}$")
LANG = validate.OneOf(["zh", "en"])


class MatchReportArgs(Schema):
    district_code = fields.String(load_default=None, validate=DISTRICT)
    program_id = Integer(load_default=None)
    k = Integer(load_default=10, validate=validate.Range(min=1, max=50))
    max_lists = Integer(load_default=3, validate=validate.Range(min=1, max=100))
    seed = Integer(load_default=0)
    below_education = below_education_field()
    exclude_employed = exclude_employed_field()

    @validates_schema
    def one_scope(self, data: dict, **kwargs) -> None:
        """Exactly one of district or program."""
        if (data.get("district_code") is None) == (data.get("program_id") is None):
            raise ValidationError(
                "请选择一个区县或一个计划 / give district_code or program_id", "district_code"
            )


class ReportViewArgs(Schema):
    lang = fields.String(load_default="zh", validate=LANG)


class ExportArgs(Schema):
    view = fields.String(load_default="posts", validate=validate.OneOf(["posts", "seekers"]))
    lang = fields.String(load_default="zh", validate=LANG)


class RunStatusSchema(Schema):
    id = fields.Integer()
    status = fields.String()
    progress = fields.Float()
    stage = fields.String(allow_none=True)
    error = fields.String(allow_none=True)
    district_code = fields.String(allow_none=True)
    program_id = fields.Integer(allow_none=True)
    k = fields.Integer(allow_none=True)
    max_lists = fields.Integer(allow_none=True)
    below_education = fields.String()
    exclude_employed = fields.Boolean()
    seed = fields.Integer()
    model_version = fields.String(allow_none=True)
    rulebook_version = fields.String(allow_none=True)
    rulebooks = fields.Dict(keys=fields.String(), values=fields.String())
    created_at = fields.DateTime()
    summary = fields.Dict(allow_none=True)
    exposure_note = fields.Dict(keys=fields.String(), values=fields.String())


class CandidateSchema(Schema):
    rank = fields.Integer()
    seeker_id = fields.Integer()
    posting_id = fields.Integer()
    name = fields.String(allow_none=True)
    title = fields.String(allow_none=True)
    score = fields.Float()
    parts = fields.Dict(keys=fields.String(), values=fields.Float())
    reasons = fields.String()
    employed = fields.Boolean(allow_none=True)
    meets_education = fields.Boolean()


class ReportPostSchema(Schema):
    posting_id = fields.Integer()
    title = fields.String(allow_none=True)
    employer = fields.String(allow_none=True)
    kind = fields.String(allow_none=True)
    program = fields.String(allow_none=True)
    district_code = fields.String(allow_none=True)
    slots_left = fields.Integer(allow_none=True)
    short_reason = fields.String(
        allow_none=True,
        metadata={
            "description": "why the list is shorter than k: exposure_cap or too_few_candidates"
        },
    )
    short_note = fields.String(allow_none=True)
    candidates = fields.List(fields.Nested(CandidateSchema))


class ReportSeekerSchema(Schema):
    seeker_id = fields.Integer()
    name = fields.String(allow_none=True)
    groups = fields.List(fields.String())
    posts = fields.List(fields.Nested(CandidateSchema))


class MatchReportSchema(RunStatusSchema):
    posts = fields.List(fields.Nested(ReportPostSchema))
    seekers = fields.List(fields.Nested(ReportSeekerSchema))


class PushResultSchema(Schema):
    run_id = fields.Integer()
    pushed = fields.Integer()
    already_pushed = fields.Integer()


class PushedRecommendationSchema(Schema):
    posting = fields.Nested(PostingSchema)
    posting_id = fields.Integer()
    title = fields.String()
    rank = fields.Integer()
    score = fields.Float()
    reasons = fields.Dict(keys=fields.String(), values=fields.String())
    recommended_by = fields.Dict(keys=fields.String(), values=fields.String())
    district_code = fields.String(allow_none=True)
    run_id = fields.Integer()
    pushed_at = fields.DateTime()


class ServiceRecordArgs(Schema):
    seeker_id = Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(SERVICE_KINDS))
    delivered_on = Date(load_default=None)
    posting_id = Integer(load_default=None)
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class ServiceRecordSchema(Schema):
    id = fields.Integer()
    seeker_id = fields.Integer()
    kind = fields.String()
    delivered_on = fields.Date()
    by_user_id = fields.Integer(allow_none=True)
    by_name = fields.String(allow_none=True)
    district_code = fields.String(allow_none=True)
    posting_id = fields.Integer(allow_none=True)
    match_run_id = fields.Integer(allow_none=True)
    note = fields.String(allow_none=True)


class ScopeArgs(Schema):
    district_code = fields.String(load_default=None, validate=DISTRICT)
    on = Date(load_default=None)


class DispatchArgs(Schema):
    period = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^(19|20)\d{2}(-(0[1-9]|1[0-2])|-Q[1-4]|-H[12])?$",
            error="期间应为 1900—2099 年的 YYYY-MM、YYYY-Qn、YYYY-Hn 或 YYYY / "
            "period must read YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY within 1900–2099",
        ),
        metadata={"description": "YYYY-MM, YYYY-Qn, YYYY-Hn or YYYY"},
    )
    district_code = fields.String(load_default=None, validate=DISTRICT)


class FairnessArgs(ScopeArgs):
    run_id = Integer(load_default=None)
