"""WTForms forms of the pages; labels and messages are translated, rules are shared with the API."""

from typing import Any

import wtforms
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    DateTimeLocalField,
    FieldList,
    FormField,
    HiddenField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    EqualTo,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)
from wtforms.widgets import CheckboxInput, HiddenInput, ListWidget

from app.identifiers import InvalidIdentifier, parse_id_number, validate_credit_code
from app.passwords import password_problem
from app.schemas.common import FIRST_DAY, INT32, LAST_DAY
from app.web.helpers import bi

REQUIRED = _l("This field is required.")
USERNAME = Regexp(r"^[A-Za-z0-9_.@-]{3,80}$", message=_l("3 to 80 letters, digits or _ . @ -"))
EMAIL = Regexp(r"^[^@\s]+@[^@\s]+\.[^@\s]+$", message=_l("Enter a valid e-mail address."))
PHONE = Regexp(r"^1\d{10}$", message=_l("Enter an 11-digit mobile number."))
OCCUPATION_CODES = Regexp(
    r"^\s*(\d-\d{2}-\d{2}-\d{2}\s*[,，、]?\s*)*$",
    message=_l("Use CSCO codes such as 4-04-05-02, separated by commas."),
)


class IntegerField(wtforms.IntegerField):
    """A whole number that fits the database's 32-bit columns."""

    def pre_validate(self, form: FlaskForm) -> None:
        """Refuse a number too large for any column before a query sees it."""
        if self.data is not None and not INT32.min <= self.data <= INT32.max:
            raise ValidationError(gettext("The number is too large."))


class _PlausibleDate:
    """Refuse a day outside 1900–2100 (0001-01-01 and 9999-12-31 are typing errors)."""

    def pre_validate(self, form: FlaskForm) -> None:
        """Refuse a day outside 1900–2100, naming the range."""
        if self.data is not None and not FIRST_DAY <= self.data <= LAST_DAY:
            raise ValidationError(
                gettext(
                    "Enter a date between %(first)s and %(last)s.", first=FIRST_DAY, last=LAST_DAY
                )
            )


class DateField(_PlausibleDate, wtforms.DateField):
    """A date between 1900 and 2100."""


class MonthField(_PlausibleDate, wtforms.MonthField):
    """A month between 1900 and 2100."""


CSCO_CODE = Regexp(r"^\d-\d{2}-\d{2}-\d{2}$", message=_l("Use a CSCO code such as 4-04-05-02."))


class ManyChoicesField(SelectMultipleField):
    """A multiple choice whose refusal of an unknown value is translated (WTForms' own is not)."""

    def pre_validate(self, form: FlaskForm) -> None:
        """Refuse values that are not among the choices, naming them."""
        allowed = {str(value) for value, _label in self.choices or ()}
        unknown = [value for value in self.data or () if value not in allowed]
        if unknown:
            raise ValidationError(
                gettext("Not among the choices: %(values)s", values=", ".join(unknown))
            )


def _desired_occupations_field() -> StringField:
    return StringField(
        _l("Desired occupations (CSCO codes, up to 5)"), validators=[Optional(), OCCUPATION_CODES]
    )


def _desired_jobs_field() -> StringField:
    return StringField(
        _l("Jobs you want, in your own words (separated by commas, up to 5)"),
        validators=[Optional(), _length(400)],
    )


def _required() -> DataRequired:
    return DataRequired(message=REQUIRED)


def _length(high: int, low: int = 0) -> Length:
    return Length(
        min=low, max=high, message=_l("Between %(min)d and %(max)d characters.", min=low, max=high)
    )


def _yuan() -> NumberRange:
    return NumberRange(min=0, max=1_000_000, message=_l("Between 0 and 1,000,000 yuan."))


def _int_msg() -> str:
    return _l("Enter a whole number.")


def check_id_number(form: FlaskForm, field: StringField) -> None:
    """Refuse an ID number that fails GB 11643."""
    try:
        parse_id_number((field.data or "").strip().upper())
    except InvalidIdentifier as exc:
        raise ValidationError(_l("Not a valid resident ID number.")) from exc


def check_credit_code(form: FlaskForm, field: StringField) -> None:
    """Refuse a unified social credit code that fails GB 32100."""
    try:
        validate_credit_code((field.data or "").strip().upper())
    except InvalidIdentifier as exc:
        raise ValidationError(_l("Not a valid unified social credit code.")) from exc


class LoginForm(FlaskForm):
    username = StringField(_l("Username"), validators=[_required(), _length(80)])
    password = PasswordField(_l("Password"), validators=[_required(), _length(200)])
    remember = BooleanField(_l("Keep me logged in"))
    next = HiddenField()
    submit = SubmitField(_l("Log in"))


class TotpForm(FlaskForm):
    """The six-digit code of an authenticator app (login's second step, enrolment)."""

    code = StringField(
        _l("One-time code"),
        validators=[_required(), Regexp(r"^\s*\d{6}\s*$", message=_l("Enter the 6 digits."))],
        render_kw={"autocomplete": "one-time-code", "inputmode": "numeric"},
    )
    submit = SubmitField(_l("Confirm"))


def strong_password(form: FlaskForm, field) -> None:
    """A new password: long enough, not common or guessable, without the username."""
    username = form.username.data if hasattr(form, "username") else current_user.username
    if problem := password_problem(field.data or "", username):
        raise ValidationError(bi(problem))


class EraseAccountForm(FlaskForm):
    password = PasswordField(_l("Your password"), validators=[_required()])
    submit = SubmitField(_l("Delete my account"))


class PasswordForm(FlaskForm):
    current = PasswordField(_l("Current password"), validators=[_required()])
    new = PasswordField(
        _l("New password (at least 12 characters)"), validators=[_required(), strong_password]
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[_required(), EqualTo("new", message=_l("The passwords do not match."))],
    )
    submit = SubmitField(_l("Change password"))


class AccountMixin:
    username = StringField(_l("Username"), validators=[_required(), USERNAME])
    password = PasswordField(
        _l("Password (at least 12 characters)"), validators=[_required(), strong_password]
    )
    email = StringField(_l("E-mail (optional)"), validators=[Optional(), EMAIL, _length(255)])


class SeekerRegisterForm(AccountMixin, FlaskForm):
    name = StringField(_l("Full name"), validators=[_required(), _length(40, 1)])
    id_number = StringField(_l("Resident ID number"), validators=[_required(), check_id_number])
    education = SelectField(_l("Education"), validators=[_required()])
    phone = StringField(_l("Mobile number (optional)"), validators=[Optional(), PHONE])
    district_code = SelectField(_l("District where you live"), validators=[Optional()])
    visible = BooleanField(_l("Employers may find my profile and invite me to apply"))
    submit = SubmitField(_l("Create account"))


class OrganisationMixin:
    """The organisation's own fields, shared by sign-up and the profile page."""

    name = StringField(_l("Organisation name"), validators=[_required(), _length(120, 2)])
    size_class = SelectField(_l("Size"), validators=[_required()])
    industry = StringField(_l("Industry (optional)"), validators=[Optional(), _length(80)])
    district_code = SelectField(_l("District"), validators=[_required()])
    employees = IntegerField(
        _l("Employees (optional)"),
        validators=[Optional(), NumberRange(min=0, max=10_000_000)],
        render_kw={"inputmode": "numeric"},
    )
    public_institution = BooleanField(
        _l("Public institution (government agency or public service unit)")
    )
    contact_phone = StringField(
        _l("Contact phone (optional)"),
        validators=[Optional(), Regexp(r"^[0-9-]{7,20}$", message=_l("7 to 20 digits or dashes."))],
    )

    def organisation_data(self) -> dict:
        """The organisation's fields as the API's schemas take them; empty optional ones left out."""
        data = {
            "name": self.name.data.strip(),
            "size_class": self.size_class.data,
            "district_code": self.district_code.data,
            "public_institution": self.public_institution.data,
        }
        for key in ("industry", "employees", "contact_phone"):
            value = getattr(self, key).data
            if value not in (None, ""):
                data[key] = value
        return data


class EmployerRegisterForm(AccountMixin, OrganisationMixin, FlaskForm):
    credit_code = StringField(
        _l("Unified social credit code"), validators=[_required(), check_credit_code]
    )
    submit = SubmitField(_l("Create account"))


class EmployerProfileForm(OrganisationMixin, FlaskForm):
    submit = SubmitField(_l("Save"))


class _PeriodForm(wtforms.Form):
    """A period of study or work within the profile form (months; an open end goes on)."""

    start = MonthField(_l("From"), validators=[Optional()])
    end = MonthField(_l("To (empty if still there)"), validators=[Optional()])

    def is_blank(self) -> bool:
        """Whether the seeker left this row empty (it is then ignored)."""
        return not any(f.data for f in self if f.name.rsplit("-", 1)[-1] != "level")

    def validate(self, extra_validators=None) -> bool:
        """A filled row needs its main fields and a start; the end is not before the start."""
        ok = super().validate(extra_validators)
        if self.is_blank():
            return ok
        for f in self:
            if f.name.rsplit("-", 1)[-1] in self.needed and not (f.data or "").strip():
                f.errors = [*f.errors, gettext("Required.")]
                ok = False
        if not self.start.data:
            self.start.errors = [*self.start.errors, gettext("Required.")]
            ok = False
        elif self.end.data and self.end.data < self.start.data:
            self.end.errors = [*self.end.errors, gettext("Cannot end before it starts.")]
            ok = False
        return ok

    def entry(self) -> dict:
        """The row as the API's schema takes it."""
        data = {k: (v.strip() or None) if isinstance(v, str) else v for k, v in self.data.items()}
        for key in ("start", "end"):
            data[key] = data[key].isoformat() if data[key] else None
        return data


class EducationEntryForm(_PeriodForm):
    needed = ("school",)
    school = StringField(_l("School"), validators=[Optional(), _length(120)])
    major = StringField(_l("Major"), validators=[Optional(), _length(120)])
    level = SelectField(_l("Level"), validators=[Optional()])


class WorkEntryForm(_PeriodForm):
    needed = ("employer", "title")
    employer = StringField(_l("Employer"), validators=[Optional(), _length(120)])
    title = StringField(_l("Job title"), validators=[Optional(), _length(80)])
    duties = TextAreaField(_l("What you did"), validators=[Optional(), _length(500)])


class SeekerProfileForm(FlaskForm):
    name = StringField(_l("Full name"), validators=[_required(), _length(40, 1)])
    phone = StringField(_l("Mobile number (optional)"), validators=[Optional(), PHONE])
    district_code = SelectField(_l("District where you live"), validators=[Optional()])
    hukou_district = SelectField(_l("District of household registration"), validators=[Optional()])
    education = SelectField(_l("Education"), validators=[_required()])
    school = StringField(_l("School"), validators=[Optional(), _length(120)])
    major = StringField(_l("Major"), validators=[Optional(), _length(120)])
    graduation_date = DateField(_l("Graduation date"), validators=[Optional()])
    skills = TextAreaField(
        _l("Skills (separated by commas)"), validators=[Optional(), _length(2000)]
    )
    desired_jobs = _desired_jobs_field()
    desired_occupations = ManyChoicesField(
        _l("Occupations you are matched on (untick to remove)"),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    add_occupation = StringField(
        _l("Add an occupation: type its name and choose it from the list"),
        validators=[Optional(), _length(80)],
    )
    desired_districts = ManyChoicesField(
        _l("Desired districts"),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    expected_salary = IntegerField(
        _l("Expected monthly salary (yuan)"),
        validators=[Optional(), _yuan()],
        render_kw={"inputmode": "numeric"},
    )
    summary = TextAreaField(_l("A few words to employers"), validators=[Optional(), _length(2000)])
    education_history = FieldList(FormField(EducationEntryForm), max_entries=10)
    work_history = FieldList(FormField(WorkEntryForm), max_entries=10)
    visible = BooleanField(_l("Employers may find my profile"))
    submit = SubmitField(_l("Save profile"))


class PostingForm(FlaskForm):
    kind = SelectField(_l("Kind"), validators=[_required()])
    title = StringField(_l("Title"), validators=[_required(), _length(120, 2)])
    description = TextAreaField(
        _l("Description"), validators=[Optional(), _length(5000)], render_kw={"rows": 8}
    )
    occupation_code = StringField(
        _l("Occupation (CSCO code, optional)"),
        validators=[
            Optional(),
            CSCO_CODE,
        ],
    )
    skills = StringField(_l("Skills (separated by commas)"), validators=[Optional(), _length(2000)])
    min_education = SelectField(_l("Minimum education"), validators=[Optional()])
    salary_min = IntegerField(
        _l("Monthly salary from (yuan)"),
        validators=[InputRequired(message=REQUIRED), _yuan()],
        render_kw={"inputmode": "numeric"},
    )
    salary_max = IntegerField(
        _l("Monthly salary to (yuan)"),
        validators=[InputRequired(message=REQUIRED), _yuan()],
        render_kw={"inputmode": "numeric"},
    )
    district_code = SelectField(_l("District"), validators=[_required()])
    slots = IntegerField(
        _l("Places"),
        default=1,
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=10_000, message=_l("Between 1 and 10,000.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    duration_months = IntegerField(
        _l("Duration in months (traineeships: 3 to 12)"),
        validators=[Optional(), NumberRange(min=1, max=36, message=_l("Between 1 and 36 months."))],
        render_kw={"inputmode": "numeric"},
    )
    program_id = SelectField(_l("Traineeship program (optional)"), validators=[Optional()])
    work_address = StringField(_l("Work address"), validators=[Optional(), _length(200)])
    work_hours = StringField(
        _l("Working hours"),
        validators=[Optional(), _length(120)],
        render_kw={"placeholder": _l("e.g. 9:00–17:30, weekends off")},
    )
    benefits = ManyChoicesField(
        _l("Benefits"),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    contact_name = StringField(_l("Contact person"), validators=[Optional(), _length(60)])
    contact_phone = StringField(
        _l("Contact phone"),
        validators=[
            Optional(),
            Regexp(r"^[0-9-]{7,20}$", message=_l("Digits and dashes, 7 to 20.")),
        ],
        render_kw={"inputmode": "tel"},
    )
    apply_by = DateField(_l("Apply by (optional)"), validators=[Optional()])
    publish = SubmitField(_l("Check wording and publish"))
    save_draft = SubmitField(_l("Save as draft"))

    def validate_salary_max(self, field: IntegerField) -> None:
        """The range's top is not below its bottom."""
        if (
            field.data is not None
            and self.salary_min.data is not None
            and field.data < self.salary_min.data
        ):
            raise ValidationError(_l("Must not be below the lowest salary."))


class ApplyForm(FlaskForm):
    note = TextAreaField(
        _l("Note to the employer (optional)"), validators=[Optional(), _length(1000)]
    )
    submit = SubmitField(_l("Apply"))


class ButtonForm(FlaskForm):
    """A form that is only a button (the CSRF token travels with it)."""

    submit = SubmitField(_l("Confirm"))


class MoveForm(FlaskForm):
    status = HiddenField(validators=[_required()])
    note = StringField(_l("Note (optional)"), validators=[Optional(), _length(500)])
    interview_at = DateTimeLocalField(
        _l("Interview time"), format="%Y-%m-%dT%H:%M", validators=[Optional()]
    )
    interview_place = StringField(_l("Interview place"), validators=[Optional(), _length(200)])
    started_on = DateField(_l("Traineeship starts on"), validators=[Optional()])


class SaveSearchForm(FlaskForm):
    name = StringField(_l("Name of this search"), validators=[_required(), _length(80, 1)])
    query = HiddenField()
    submit = SubmitField(_l("Save search"))


class OccupationCheckForm(FlaskForm):
    occupation_code = StringField(_l("Occupation"), validators=[Optional(), CSCO_CODE])
    other_code = StringField(_l("Another code"), validators=[Optional(), CSCO_CODE])
    submit = SubmitField(_l("Save the code"))

    def chosen_code(self) -> str:
        """The code typed in the box, or else the one picked from the suggestions."""
        return (self.other_code.data or "").strip() or (self.occupation_code.data or "").strip()


class OfficeSeekerForm(FlaskForm):
    desired_occupations = _desired_occupations_field()
    registered_unemployed_since = DateField(
        _l("Registered unemployed since"), validators=[Optional()]
    )
    registered_unemployed_district = StringField(
        _l("Registered unemployed in (district code)"),
        validators=[Optional(), Regexp(r"^\d{6}$", message=_l("Enter a 6-digit district code."))],
    )
    priority_groups = ManyChoicesField(
        _l("Priority groups"),
        validators=[Optional()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    priority_certified_by = StringField(_l("Certified by"), validators=[Optional(), _length(80)])
    priority_certified_on = DateField(_l("Certified on"), validators=[Optional()])
    submit = SubmitField(_l("Save"))


class ConfirmFactsForm(FlaskForm):
    facts = ManyChoicesField(
        _l("Facts checked against the office's records"),
        validators=[_required()],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
    )
    submit = SubmitField(_l("Confirm the checked facts"))


class ReviewForm(FlaskForm):
    decision = SelectField(_l("Decision"), validators=[_required()])
    note = TextAreaField(_l("Reason (required when rejecting)"), validators=[_length(1000)])
    submit = SubmitField(_l("Record decision"))

    def validate_note(self, field: TextAreaField) -> None:
        """A rejection says why."""
        if self.decision.data == "reject" and not (field.data or "").strip():
            raise ValidationError(_l("Say why the posting is rejected."))


class BlacklistForm(FlaskForm):
    blacklisted = BooleanField(_l("On the blacklist (may not post)"))
    blacklist_reason = TextAreaField(_l("Reason"), validators=[_length(500)])
    submit = SubmitField(_l("Save"))

    def validate_blacklist_reason(self, field: TextAreaField) -> None:
        """Blacklisting says why."""
        if self.blacklisted.data and not (field.data or "").strip():
            raise ValidationError(_l("Say why the employer is blacklisted."))


class OutcomeForm(FlaskForm):
    outcome = SelectField(_l("Outcome"), validators=[_required()])
    ended_on = DateField(_l("End date"), validators=[InputRequired(message=REQUIRED)])
    submit = SubmitField(_l("Record outcome"))


class ProposeForm(FlaskForm):
    mode = SelectField(_l("Mode"), validators=[_required()])
    seed = IntegerField(
        _l("Lottery seed (breaks ties)"),
        default=0,
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=0, max=2**31 - 1, message=_l("Between 0 and 2,147,483,647.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    submit = SubmitField(_l("Propose placements"))


class OverrideForm(FlaskForm):
    seeker_id = SelectField(_l("Person"), validators=[_required()])
    posting_id = SelectField(_l("Place at"), validators=[Optional()])
    reason = TextAreaField(_l("Reason"), validators=[_required(), _length(500, 2)])
    submit = SubmitField(_l("Change placement"))


class ConfirmForm(FlaskForm):
    start_date = DateField(_l("Start date"), validators=[InputRequired(message=REQUIRED)])
    submit = SubmitField(_l("Confirm and enrol"))


class TransferForm(FlaskForm):
    to_program_id = SelectField(_l("To program"), validators=[_required()])
    seats = IntegerField(
        _l("Seats"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=100_000, message=_l("Between 1 and 100,000.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    approval = TextAreaField(
        _l("Approval (who approved, when, document number)"),
        validators=[_required(), _length(500, 2)],
    )
    submit = SubmitField(_l("Move seats"))


class SettleForm(FlaskForm):
    month = MonthField(_l("Month"), validators=[InputRequired(message=REQUIRED)])
    submit = SubmitField(_l("Run settlement"))


class MatchReportForm(FlaskForm):
    district_code = SelectField(_l("District"), validators=[Optional()])
    program_id = SelectField(_l("Or one program"), validators=[Optional()])
    k = IntegerField(
        _l("Candidates per post (k)"),
        default=10,
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=50, message=_l("Between 1 and 50.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    max_lists = IntegerField(
        _l("Exposure cap (lists per person)"),
        default=3,
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, max=50, message=_l("Between 1 and 50.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    below_education = SelectField(
        _l("Below a post's minimum education"),
        choices=[
            SelectChoice("last", _l("List after everyone who meets it, marked")),
            SelectChoice("exclude", _l("Leave out")),
        ],
        default="last",
    )
    exclude_employed = BooleanField(_l("Leave out people who already have a job"))
    submit = SubmitField(_l("Run the match report"))


class ServiceForm(FlaskForm):
    seeker_id = IntegerField(
        _l("Job seeker number"),
        validators=[
            InputRequired(message=REQUIRED),
            NumberRange(min=1, message=_l("Enter the number shown in the lists.")),
        ],
        render_kw={"inputmode": "numeric"},
    )
    kind = SelectField(_l("Service"), validators=[_required()])
    delivered_on = DateField(_l("Date delivered"), validators=[InputRequired(message=REQUIRED)])
    note = TextAreaField(_l("Note"), validators=[Optional(), _length(500)])
    submit = SubmitField(_l("Record service"))


def _months_field(text: Any) -> IntegerField:
    return IntegerField(
        text,
        validators=[Optional(), NumberRange(min=0, max=600, message=_l("Between 0 and 600."))],
        render_kw={"inputmode": "numeric"},
    )


class EmploymentFactsForm(FlaskForm):
    contract_months = _months_field(_l("Labour contract (months)"))
    social_insurance_months = _months_field(_l("Social insurance paid (months)"))
    unemployment_insurance_months = _months_field(_l("Unemployment insurance paid (months)"))
    ended_on = DateField(_l("Employment ended on"), validators=[Optional()])
    submit = SubmitField(_l("Save the facts"))


class HiringGrantForm(FlaskForm):
    """Record a qualifying one-off hiring subsidy as paid (one per row of the policy finder)."""

    seeker_id = IntegerField(validators=[InputRequired(message=REQUIRED)], widget=HiddenInput())
    rule = HiddenField(validators=[_required()])
    reference = StringField(_l("Payment reference"), validators=[_required(), _length(200, 2)])
    granted_on = DateField(_l("Paid on"), validators=[Optional()])
    submit = SubmitField(_l("Record as paid"))
