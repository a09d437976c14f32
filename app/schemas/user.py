"""Login and accounts."""

from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from app.passwords import MAX_LENGTH, MIN_LENGTH, password_problem
from app.schemas.common import StrictSchema


class LoginSchema(StrictSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(
        required=True, load_only=True, validate=validate.Length(min=1, max=200)
    )
    totp = fields.String(
        load_only=True,
        validate=validate.Length(max=10),
        metadata={"description": "the 6-digit one-time code; required for staff with TOTP"},
    )


class UserSchema(Schema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String()
    display_name = fields.String(allow_none=True)
    employer_id = fields.Integer(allow_none=True)
    office_district = fields.String(allow_none=True)
    seeker_id = fields.Function(lambda u: u.seeker.id if u.seeker else None)


class TokenSchema(Schema):
    token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    user = fields.Nested(UserSchema)


class AccountFields(StrictSchema):
    """Username and password of a new account."""

    username = fields.String(
        required=True,
        validate=validate.Regexp(
            r"^[A-Za-z0-9_.@-]{3,80}$",
            error="3–80 个字母、数字或 _.@- / 3–80 letters, digits or _.@-",
        ),
    )
    password = fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(
            min=MIN_LENGTH,
            max=MAX_LENGTH,
            error=f"密码至少 {MIN_LENGTH} 位、最多 {MAX_LENGTH} 位 / "
            f"the password needs {MIN_LENGTH} to {MAX_LENGTH} characters",
        ),
        metadata={"description": "at least 12 characters, not a common password, not the username"},
    )
    email = fields.Email(validate=validate.Length(max=255))

    @validates_schema
    def password_is_strong(self, data: dict, **_: object) -> None:
        """Refuse a common or guessable password, or one holding the username."""
        if "password" in data and (
            problem := password_problem(data["password"], data.get("username"))
        ):
            raise ValidationError(problem, field_name="password")


class OfficeUserCreateSchema(AccountFields):
    role = fields.String(required=True, validate=validate.OneOf(["office", "admin"]))
    office_district = fields.String(allow_none=True, validate=validate.Regexp(r"^50\d{4}$"))
    display_name = fields.String(validate=validate.Length(max=80))
