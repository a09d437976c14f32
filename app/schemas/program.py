"""Traineeship programs."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.schemas.common import DISTRICT_CODE, YUAN, Date, Integer, StrictSchema, short_text


class ProgramInSchema(StrictSchema):
    key = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9-]{3,60}$"))
    name = short_text(120, min_len=2, required=True)
    name_en = short_text(160)
    district_code = fields.String(required=True, validate=DISTRICT_CODE)
    kind = fields.String(required=True, validate=validate.OneOf(["enterprise", "public"]))
    quota = Integer(
        load_default=None,
        allow_none=True,
        validate=validate.Range(min=0, max=1_000_000),
        metadata={"description": "optional cap on seats (a budget); null: no cap"},
    )
    floor = Integer(
        load_default=0,
        validate=validate.Range(min=0, max=1_000_000),
        metadata={"description": "the target to reach (e.g. 000 § 11: at least 200)"},
    )
    monthly_rate = Integer(required=True, validate=YUAN)
    rulebook = fields.String(required=True, validate=validate.Regexp(r"^[a-z0-9-]+\.toml$"))
    starts_on = Date(required=True)
    ends_on = Date(required=True)

    @validates_schema
    def check_period(self, data: dict, **kwargs) -> None:
        """The period ends after it starts."""
        if data.get("starts_on") and data.get("ends_on") and data["ends_on"] < data["starts_on"]:
            raise ValidationError(
                "结束日期不能早于开始日期 / ends_on must not be before starts_on", "ends_on"
            )


class ProgramUpdateSchema(StrictSchema):
    name = short_text(120, min_len=2)
    name_en = short_text(160)
    quota = Integer(allow_none=True, validate=validate.Range(min=0, max=1_000_000))
    floor = Integer(validate=validate.Range(min=0, max=1_000_000))
    ends_on = Date()


class ProgramSchema(Schema):
    id = fields.Integer()
    key = fields.String()
    name = fields.String()
    name_en = fields.String(allow_none=True)
    district_code = fields.String()
    kind = fields.String()
    quota = fields.Integer(allow_none=True, metadata={"description": "optional cap; null: no cap"})
    floor = fields.Integer(metadata={"description": "the target the program reports against"})
    seats_taken = fields.Integer()
    monthly_rate = fields.Integer()
    rulebook = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()


class ProgramQuery(Schema):
    district = fields.String(validate=DISTRICT_CODE)
    kind = fields.String(validate=validate.OneOf(["enterprise", "public"]))
