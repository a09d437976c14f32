"""Postings: jobs, traineeship posts and internships."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.models.posting import BENEFITS, OCCUPATION_SOURCES
from app.schemas.common import (
    DISTRICT_CODE,
    EDUCATION,
    OCCUPATION_CODE,
    YUAN,
    Integer,
    SalaryRangeMixin,
    SortArgs,
    StrictSchema,
    short_text,
    string_list,
)
from app.schemas.employer import EmployerPublicSchema

KIND = validate.OneOf(["job", "traineeship", "internship"])
PHONE = validate.Regexp(r"^[0-9-]{7,20}$", error="电话号码格式不正确 / not a phone number")


class PostingDetailsMixin:
    """What applicants look for first: where, when, what else is offered, whom to ask, until when."""

    work_address = short_text(200, allow_none=True)
    work_hours = short_text(120, allow_none=True)
    benefits = fields.List(
        fields.String(validate=validate.OneOf(BENEFITS)),
        validate=validate.Length(max=len(BENEFITS)),
    )
    contact_name = short_text(60, allow_none=True)
    contact_phone = fields.String(allow_none=True, validate=PHONE)
    apply_by = fields.Date(allow_none=True)


class PostingInSchema(PostingDetailsMixin, SalaryRangeMixin, StrictSchema):
    kind = fields.String(required=True, validate=KIND)
    title = short_text(120, min_len=2, required=True)
    description = short_text(5000, load_default="")
    occupation_code = fields.String(allow_none=True, validate=OCCUPATION_CODE)
    skills = string_list()
    min_education = fields.String(allow_none=True, validate=EDUCATION)
    majors = string_list(max_items=20)
    salary_min = Integer(required=True, validate=YUAN)
    salary_max = Integer(required=True, validate=YUAN)
    district_code = fields.String(required=True, validate=DISTRICT_CODE)
    slots = Integer(load_default=1, validate=validate.Range(min=1, max=10_000))
    duration_months = Integer(allow_none=True, validate=validate.Range(min=1, max=36))
    program_id = Integer(allow_none=True)
    employer_id = Integer()
    publish = fields.Boolean(load_default=True, load_only=True)

    @validates_schema
    def check_traineeship_duration(self, data: dict, **kwargs) -> None:
        """Trainee posts last 3–12 months (001 § 6); only trainee posts join programs."""
        if data.get("kind") == "traineeship":
            months = data.get("duration_months")
            if months is None or not 3 <= months <= 12:
                raise ValidationError(
                    "见习期限应为3至12个月 / a traineeship lasts 3 to 12 months (001 § 6)",
                    "duration_months",
                )
        elif data.get("program_id") is not None:
            raise ValidationError(
                "只有见习岗位可以加入见习计划 / only traineeship posts join a program", "program_id"
            )


class PostingUpdateSchema(PostingDetailsMixin, SalaryRangeMixin, StrictSchema):
    title = short_text(120, min_len=2)
    description = short_text(5000)
    occupation_code = fields.String(allow_none=True, validate=OCCUPATION_CODE)
    skills = string_list()
    min_education = fields.String(allow_none=True, validate=EDUCATION)
    majors = string_list(max_items=20)
    salary_min = Integer(validate=YUAN)
    salary_max = Integer(validate=YUAN)
    district_code = fields.String(validate=DISTRICT_CODE)
    slots = Integer(validate=validate.Range(min=1, max=10_000))
    duration_months = Integer(allow_none=True, validate=validate.Range(min=1, max=36))
    status = fields.String(validate=validate.OneOf(["draft", "published", "closed"]))


class PostingReviewSchema(StrictSchema):
    decision = fields.String(required=True, validate=validate.OneOf(["approve", "reject"]))
    note = short_text(1000)


class PostingSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.String()
    description = fields.String()
    occupation_code = fields.String(allow_none=True)
    occupation_source = fields.String()
    skills = fields.List(fields.String())
    min_education = fields.String(allow_none=True)
    majors = fields.List(fields.String())
    salary_min = fields.Integer()
    salary_max = fields.Integer()
    district_code = fields.String()
    slots = fields.Integer()
    slots_filled = fields.Integer()
    duration_months = fields.Integer(allow_none=True)
    status = fields.String()
    program_id = fields.Integer(allow_none=True)
    work_address = fields.String(allow_none=True)
    work_hours = fields.String(allow_none=True)
    benefits = fields.List(fields.String())
    apply_by = fields.Date(allow_none=True)
    employer = fields.Nested(EmployerPublicSchema)
    published_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()


class PostingOwnerSchema(PostingSchema):
    """The employer and the office also see the screening result and review note."""

    screening = fields.Dict(allow_none=True)
    review_note = fields.String(allow_none=True)
    contact_name = fields.String(allow_none=True)
    contact_phone = fields.String(allow_none=True)


SORTABLE_POSTING_FIELDS = (
    "published_at",
    "salary_min",
    "salary_max",
    "created_at",
    "id",
    "relevance",
)


class PostingQuery(SalaryRangeMixin, SortArgs):
    q = fields.String(validate=validate.Length(max=60))
    district = fields.String(validate=DISTRICT_CODE)
    occupation = fields.String(
        validate=validate.Regexp(
            r"^\d(-\d{2}){0,3}$",
            error="职业代码或其前缀，如 4-02 / a CSCO code or prefix such as 4-02",
        )
    )
    kind = fields.String(validate=KIND)
    status = fields.String(
        validate=validate.OneOf(["draft", "pending_review", "published", "closed", "rejected"])
    )
    salary_min = Integer(validate=YUAN)
    salary_max = Integer(validate=YUAN)
    education = fields.String(validate=EDUCATION)
    employer_id = Integer()
    program_id = Integer()
    occupation_source = fields.String(validate=validate.OneOf(OCCUPATION_SOURCES))
    sort = fields.String(
        validate=validate.OneOf(
            ["relevance", *SORTABLE_POSTING_FIELDS, *(f"-{f}" for f in SORTABLE_POSTING_FIELDS)]
        ),
        metadata={
            "description": "relevance (the default with q: title hits first, then newest), "
            "or a field, - for descending (the default without q: -published_at)"
        },
    )
