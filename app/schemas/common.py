"""Shared schema pieces: strict base schemas, list arguments and field validators."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.identifiers import InvalidIdentifier, parse_id_number, validate_credit_code
from matching.education import EDUCATION_LEVELS

DISTRICT_CODE = validate.Regexp(
    r"^50\d{4}$",
    error="应为重庆市区县代码，如 500156 / must be a Chongqing district code such as 500156",
)
OCCUPATION_CODE = validate.Regexp(
    r"^\d-\d{2}-\d{2}-\d{2}$",
    error="应为职业代码，如 4-02-06-01 / must be a CSCO code such as 4-02-06-01",
)
EDUCATION = validate.OneOf(EDUCATION_LEVELS)
YUAN = validate.Range(min=0, max=1_000_000)


class StrictSchema(Schema):
    """Refuse unknown fields (the default in marshmallow, stated here on purpose)."""

    class Meta:
        unknown = "raise"
        ordered = True


def check_id_number(value: str) -> None:
    """Refuse an ID number that fails GB 11643."""
    try:
        parse_id_number(value)
    except InvalidIdentifier as exc:
        raise ValidationError(str(exc)) from exc


def check_credit_code(value: str) -> None:
    """Refuse a unified social credit code that fails GB 32100."""
    try:
        validate_credit_code(value)
    except InvalidIdentifier as exc:
        raise ValidationError(str(exc)) from exc


def short_text(max_len: int, **kwargs) -> fields.String:
    """A string field with a length limit (``min_len`` for a lower one)."""
    return fields.String(
        validate=validate.Length(min=kwargs.pop("min_len", 0), max=max_len), **kwargs
    )


def string_list(max_items: int = 50, max_len: int = 60, **kwargs) -> fields.List:
    """A list of short strings."""
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=max_len)),
        validate=validate.Length(max=max_items),
        **kwargs,
    )


class SortArgs(Schema):
    """``sort``: a field name, with ``-`` in front for descending."""

    sort = fields.String(validate=validate.Length(max=40))


class SalaryRangeMixin:
    """Check that salary_min ≤ salary_max when both are given."""

    @validates_schema
    def check_salary(self, data: dict, **kwargs) -> None:
        """Refuse a range whose minimum exceeds its maximum."""
        low, high = data.get("salary_min"), data.get("salary_max")
        if low is not None and high is not None and low > high:
            raise ValidationError(
                "最低薪资不能高于最高薪资 / salary_min must not exceed salary_max", "salary_min"
            )
