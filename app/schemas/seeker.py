"""Seekers: the profile they keep, what they see of themselves, and what an employer may see."""

from marshmallow import Schema, ValidationError, fields, post_load, validate, validates_schema

from app.identifiers import mask_id_number, mask_phone
from app.schemas.common import (
    ANY_DISTRICT_CODE,
    DISTRICT_CODE,
    EDUCATION,
    OCCUPATION_CODE,
    YUAN,
    Date,
    Integer,
    SortArgs,
    StrictSchema,
    check_id_number,
    short_text,
    string_list,
)
from app.schemas.user import AccountFields
from app.services import declared_facts
from matching.conditions import PRIORITY_GROUPS


class _HistoryEntry(StrictSchema):
    """A period of study or work: it ends (if it has ended) on or after it starts."""

    start = Date(required=True)
    end = Date(allow_none=True, metadata={"description": "empty while it goes on"})

    @validates_schema
    def end_after_start(self, data: dict, **_: object) -> None:
        """Refuse an end before the start."""
        if data.get("end") and data["end"] < data["start"]:
            raise ValidationError("结束不能早于开始 / it cannot end before it starts", "end")

    @post_load
    def dates_as_text(self, data: dict, **_: object) -> dict:
        """Store the dates as ISO text (the history is kept as JSON)."""
        return {k: v.isoformat() if hasattr(v, "isoformat") else v for k, v in data.items()}


class EducationEntrySchema(_HistoryEntry):
    """A school attended."""

    school = short_text(120, min_len=1, required=True)
    major = short_text(120, allow_none=True)
    level = fields.String(allow_none=True, validate=EDUCATION)


class WorkEntrySchema(_HistoryEntry):
    """A job held."""

    employer = short_text(120, min_len=1, required=True)
    title = short_text(80, min_len=1, required=True)
    duties = short_text(500, allow_none=True)


class SeekerProfileSchema(StrictSchema):
    """Fields a seeker edits about themselves."""

    name = short_text(40, min_len=1)
    gender = fields.String(allow_none=True, validate=validate.OneOf(["F", "M"]))
    phone = fields.String(
        allow_none=True,
        validate=validate.Regexp(
            r"^1\d{10}$", error="应为11位手机号 / must be an 11-digit mobile number"
        ),
    )
    hukou_district = fields.String(allow_none=True, validate=DISTRICT_CODE)
    district_code = fields.String(allow_none=True, validate=DISTRICT_CODE)
    education = fields.String(validate=EDUCATION)
    school = short_text(120, allow_none=True)
    major = short_text(120, allow_none=True)
    graduation_date = Date(allow_none=True)
    employed = fields.Boolean()
    registered_unemployed_since = Date(allow_none=True)
    registered_unemployed_district = fields.String(
        allow_none=True,
        validate=ANY_DISTRICT_CODE,
        metadata={"description": "Where the unemployment was registered (GB/T 2260 code)."},
    )
    skills = string_list()
    desired_occupations = fields.List(
        fields.String(validate=OCCUPATION_CODE),
        validate=validate.Length(max=5),
        metadata={
            "description": "Codes chosen apart from the desired jobs; the profile's list adds "
            "the codes of the jobs named (at most 5 in all)."
        },
    )
    desired_jobs = fields.List(
        fields.String(validate=validate.Length(min=1, max=60)),
        validate=validate.Length(max=5),
        load_only=True,
        metadata={
            "description": "Desired jobs in free text (e.g. 软件测试), replacing those named "
            "before; each is coded to CSCO-2022 automatically and an office may correct it."
        },
    )
    desired_districts = fields.List(
        fields.String(validate=DISTRICT_CODE), validate=validate.Length(max=38)
    )
    education_history = fields.List(
        fields.Nested(EducationEntrySchema), validate=validate.Length(max=10)
    )
    work_history = fields.List(fields.Nested(WorkEntrySchema), validate=validate.Length(max=10))
    expected_salary = Integer(allow_none=True, validate=YUAN)
    disability = fields.Boolean()
    visible = fields.Boolean()
    summary = short_text(2000, allow_none=True)


class SeekerCreateSchema(SeekerProfileSchema):
    """A new seeker: identity is required and checked against GB 11643."""

    name = short_text(40, min_len=1, required=True)
    id_number = fields.String(required=True, validate=check_id_number)
    education = fields.String(required=True, validate=EDUCATION)


class SeekerRegisterSchema(AccountFields):
    profile = fields.Nested(SeekerCreateSchema, required=True)


class SeekerOfficeUpdateSchema(SeekerProfileSchema):
    """Offices also certify priority groups."""

    priority_groups = fields.List(
        fields.String(validate=validate.OneOf(PRIORITY_GROUPS)),
        validate=validate.Length(max=len(PRIORITY_GROUPS)),
    )
    priority_certified_by = short_text(80, allow_none=True)
    priority_certified_on = Date(allow_none=True)

    @validates_schema
    def certified_groups_name_who(self, data: dict, **kwargs) -> None:
        """Priority groups need who certified them."""
        if data.get("priority_groups") and not data.get("priority_certified_by"):
            raise ValidationError(
                "认定重点群体须注明认定机构 / say who certified the priority groups",
                "priority_certified_by",
            )


class SeekerCandidateSchema(Schema):
    """What an employer sees of an applicant: no ID number, masked phone."""

    id = fields.Integer()
    name = fields.String()
    education = fields.String()
    school = fields.String(allow_none=True)
    major = fields.String(allow_none=True)
    graduation_date = fields.Date(allow_none=True)
    skills = fields.List(fields.String())
    district_code = fields.String(allow_none=True)
    expected_salary = fields.Integer(allow_none=True)
    summary = fields.String(allow_none=True)
    phone = fields.Function(lambda s: mask_phone(s.phone))
    employed = fields.Boolean(metadata={"description": "already has a job"})
    education_history = fields.List(fields.Dict(), metadata={"description": "schools attended"})
    work_history = fields.List(fields.Dict(), metadata={"description": "jobs held"})


class DesiredJobSchema(Schema):
    """A job the seeker named in their own words and the code it was given."""

    id = fields.Integer()
    title = fields.String()
    occupation_code = fields.String()
    occupation_source = fields.String(
        metadata={"description": "auto: coded from the words; office: checked by an office"}
    )


class DesiredJobCheckSchema(StrictSchema):
    """An office's code for a desired job."""

    occupation_code = fields.String(required=True, validate=OCCUPATION_CODE)


class DeclaredFactSchema(Schema):
    """A fact the seeker declared that decides money, and whether an office has confirmed it."""

    fact = fields.String(metadata={"enum": list(declared_facts.FACTS)})
    label = fields.Dict(keys=fields.String(), values=fields.String())
    confirmed = fields.Boolean(
        metadata={"description": "false: self-declared (待核实) until an office checks it"}
    )
    confirmed_by = fields.String(allow_none=True)
    confirmed_on = fields.Date(allow_none=True)


class ConfirmFactsSchema(StrictSchema):
    """Facts an office has checked against its records (the values now on file)."""

    facts = fields.List(
        fields.String(validate=validate.OneOf(list(declared_facts.FACTS))),
        required=True,
        validate=validate.Length(min=1, max=len(declared_facts.FACTS)),
    )


class SeekerSchema(SeekerCandidateSchema):
    """What the seeker and their office see: identity masked in lists.

    The birth year, not the date: the masked digits of an ID number are the birth date, so a
    full date beside them would undo the mask.
    """

    id_number = fields.Function(lambda s: mask_id_number(s.id_number))
    gender = fields.String(allow_none=True)
    birth_year = fields.Function(lambda s: s.birth_date.year if s.birth_date else None)
    hukou_district = fields.String(allow_none=True)
    employed = fields.Boolean()
    registered_unemployed_since = fields.Date(allow_none=True)
    registered_unemployed_district = fields.String(allow_none=True)
    desired_occupations = fields.List(fields.String())
    desired_jobs = fields.List(fields.Nested(DesiredJobSchema))
    desired_districts = fields.List(fields.String())
    priority_groups = fields.List(fields.String())
    priority_certified_by = fields.String(allow_none=True)
    priority_certified_on = fields.Date(allow_none=True)
    disability = fields.Boolean()
    visible = fields.Boolean()
    declared_facts = fields.Method("_declared_facts")
    created_at = fields.DateTime()

    def _declared_facts(self, seeker) -> list[dict]:
        return DeclaredFactSchema(many=True).dump(declared_facts.statuses(seeker))


class SeekerQuery(SortArgs):
    district = fields.String(validate=DISTRICT_CODE)
    education = fields.String(validate=EDUCATION)
    priority_group = fields.String(validate=validate.OneOf(PRIORITY_GROUPS))
    graduated_after = Date()
    q = fields.String(validate=validate.Length(max=60))


class PersonalDataSchema(Schema):
    """A seeker's copy of their personal data: each section as stored, dates as ISO text."""

    exported_at = fields.String()
    account = fields.Dict()
    profile = fields.Dict()
    desired_jobs = fields.List(fields.Dict())
    applications = fields.List(fields.Dict())
    application_events = fields.List(fields.Dict())
    invitations = fields.List(fields.Dict())
    favourites = fields.List(fields.Dict())
    saved_searches = fields.List(fields.Dict())
    notifications = fields.List(fields.Dict())
    office_recommendations = fields.List(fields.Dict())
    traineeships = fields.List(fields.Dict())
    subsidy_lines = fields.List(fields.Dict())
    employments = fields.List(fields.Dict())
    hiring_subsidy_grants = fields.List(fields.Dict())
    service_records = fields.List(fields.Dict())


class EraseAccountSchema(StrictSchema):
    """The password, given again to delete the account."""

    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=200)
    )
