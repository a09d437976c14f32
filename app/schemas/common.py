"""Shared schema pieces: strict base schemas, bounded field types, list arguments and validators."""

import datetime as dt

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.identifiers import InvalidIdentifier, parse_id_number, validate_credit_code
from matching.education import EDUCATION_LEVELS

DISTRICT_CODE = validate.Regexp(
    r"^50\d{4}$",
    error="应为重庆市区县代码，如 500156 / must be a Chongqing district code such as 500156",
)
ANY_DISTRICT_CODE = validate.Regexp(
    r"^\d{6}$",
    error="应为6位行政区划代码，如 500156 / must be a 6-digit GB/T 2260 code such as 500156",
)
OCCUPATION_CODE = validate.Regexp(
    r"^\d-\d{2}-\d{2}-\d{2}$",
    error="应为职业代码，如 4-02-06-01 / must be a CSCO code such as 4-02-06-01",
)
EDUCATION = validate.OneOf(EDUCATION_LEVELS)
YUAN = validate.Range(min=0, max=1_000_000)
# Every integer column is a 32-bit INTEGER in PostgreSQL: a larger number is refused as input.
INT32 = validate.Range(
    min=-(2**31), max=2**31 - 1, error="数值超出范围 / must be between {min} and {max}"
)
FIRST_DAY, LAST_DAY = dt.date(1900, 1, 1), dt.date(2100, 12, 31)
BLANK = "不能为空白 / must not be blank"


def _with(first, validators) -> list:
    """A field's validators with ``first`` in front."""
    validators = validators or []
    return [first, *([validators] if callable(validators) else validators)]


class Integer(fields.Integer):
    """An integer that fits the database's 32-bit columns (documented as such in OpenAPI)."""

    def __init__(self, **kwargs):
        super().__init__(validate=_with(INT32, kwargs.pop("validate", None)), **kwargs)


def check_plausible_date(value: dt.date) -> None:
    """Refuse a date outside 1900–2100: no person, posting or program lies there."""
    if not FIRST_DAY <= value <= LAST_DAY:
        raise ValidationError(
            f"日期应在 {FIRST_DAY} 至 {LAST_DAY} 之间 / the date must lie between {FIRST_DAY} and {LAST_DAY}"
        )


class Date(fields.Date):
    """A calendar date between 1900 and 2100; 0001-01-01 or 9999-12-31 are typing errors."""

    def __init__(self, **kwargs):
        super().__init__(
            validate=_with(check_plausible_date, kwargs.pop("validate", None)), **kwargs
        )


class Text(fields.String):
    """A string stripped of surrounding blanks (ideographic spaces too) before it is validated."""

    def _deserialize(self, value, attr, data, **kwargs) -> str:
        return super()._deserialize(value, attr, data, **kwargs).strip()


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


def short_text(max_len: int, **kwargs) -> Text:
    """A stripped string with a length limit (``min_len`` for a lower one: blanks alone are refused)."""
    min_len = kwargs.pop("min_len", 0)
    checks = [validate.Length(max=max_len)]
    if min_len:
        checks = [validate.Length(min=1, error=BLANK), validate.Length(min=min_len, max=max_len)]
    return Text(validate=checks, **kwargs)


def string_list(max_items: int = 50, max_len: int = 60, **kwargs) -> fields.List:
    """A list of short strings."""
    return fields.List(
        Text(validate=validate.Length(min=1, max=max_len)),
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
