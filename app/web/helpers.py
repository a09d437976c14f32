"""Shared pieces of the page blueprints: access checks, labels, formatting and form errors."""

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable
from functools import wraps
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit
from zoneinfo import ZoneInfo

from flask import redirect, request, url_for
from flask_babel import format_date, format_datetime, format_decimal, get_locale
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from flask_wtf import FlaskForm
from jinja2.utils import htmlsafe_json_dumps
from markupsafe import Markup, escape
from marshmallow import Schema, ValidationError
from sqlalchemy.exc import IntegrityError

from app.errors import DomainError, Forbidden, RuleViolation, conflict_from_integrity
from app.extensions import db
from app.models import User
from app.schemas.common import FIRST_DAY, INT32, LAST_DAY
from app.services import reference
from app.services.search import terms_of
from app.services.totp import must_enrol

LOCAL_TZ = ZoneInfo("Asia/Shanghai")

KIND_LABELS = {"job": _l("Job"), "traineeship": _l("Traineeship"), "internship": _l("Internship")}
BENEFIT_LABELS = {
    "social_insurance": _l("Social insurance (五险)"),
    "housing_fund": _l("Housing fund (公积金)"),
    "meals": _l("Meals provided"),
    "housing": _l("Housing provided"),
    "paid_leave": _l("Paid annual leave"),
    "bonus": _l("Year-end bonus"),
    "transport": _l("Transport allowance"),
    "training": _l("Training before starting"),
}
POSTING_STATUS_LABELS = {
    "draft": _l("Draft"),
    "pending_review": _l("Held for review"),
    "published": _l("Published"),
    "closed": _l("Closed"),
    "rejected": _l("Rejected"),
}
APPLICATION_STATUS_LABELS = {
    "applied": _l("Applied"),
    "shortlisted": _l("Shortlisted"),
    "invited": _l("Invited to interview"),
    "hired": _l("Hired"),
    "rejected": _l("Not selected"),
    "withdrawn": _l("Withdrawn"),
}
EDUCATION_LABELS = {
    "junior_high": _l("Junior high school"),
    "senior_high": _l("Senior high school"),
    "secondary_vocational": _l("Secondary vocational school"),
    "junior_college": _l("Junior college"),
    "bachelor": _l("Bachelor's degree"),
    "master": _l("Master's degree"),
    "doctor": _l("Doctorate"),
}
INVITATION_LABELS = {
    "pending": _l("Invited to apply: no answer yet"),
    "accepted": _l("Accepted the invitation"),
    "declined": _l("Declined the invitation"),
}
OUTCOME_LABELS = {
    "active": _l("In progress"),
    "completed": _l("Completed, not retained"),
    "retained": _l("Completed and retained"),
    "converted_early": _l("Contract signed early"),
    "left_early": _l("Left early"),
}
TIER_LABELS = {
    "higher": _l("Higher tier"),
    "base": _l("Base tier"),
    "pending": _l("Pending (traineeships still running)"),
    "none": _l("Not applicable"),
}
FEATURE_LABELS = {
    "text": _l("Description"),
    "occupation": _l("Occupation"),
    "skills": _l("Skills"),
    "education": _l("Education"),
    "major": _l("Major"),
    "district": _l("District"),
    "salary": _l("Salary"),
    "availability": _l("Availability"),
}
MODE_LABELS = {"stable": _l("Stable (no one prefers to swap)"), "best_total": _l("Best total fit")}
SERVICE_KIND_LABELS = {
    "guidance": _l("Career guidance"),
    "recommendation": _l("Job recommendation"),
    "training": _l("Training offer"),
    "traineeship": _l("Traineeship opportunity"),
    "contact": _l("Contact"),
}
RUN_STATUS_LABELS = {
    "queued": _l("Queued"),
    "running": _l("Running"),
    "done": _l("Done"),
    "failed": _l("Failed"),
}
FINDER_STATUS_LABELS = {
    "qualifies": _l("Qualifies"),
    "to_confirm": _l("To confirm"),
    "granted": _l("Paid"),
    "months_short": _l("Months short"),
    "facts_missing": _l("Facts missing"),
    "not_qualifying": _l("Does not qualify"),
}
PHASE_LABELS = {
    "not_started": _l("Not started"),
    "running": _l("Running"),
    "ended": _l("Ended"),
}
ATTRIBUTE_LABELS = {
    "district": _l("District of residence"),
    "hukou": _l("Household registration"),
    "gender": _l("Gender"),
    "age_band": _l("Age band"),
    "disability": _l("Disability"),
}
GROUP_LABELS = {
    "local": _l("Registered in this district"),
    "other": _l("Registered elsewhere"),
    "unknown": _l("Not recorded"),
    "F": _l("Women"),
    "M": _l("Men"),
    "disabled": _l("With a disability"),
    "not_disabled": _l("Without a disability"),
    "under-16": _l("Under 16"),
}
PRIORITY_LABELS = {
    "graduate_2y": _l("Graduate within 2 years of leaving school, not employed"),
    "unemployed_youth": _l("Registered unemployed youth aged 16–24"),
    "difficult_graduate": _l("Graduate in difficulty"),
    "poor_graduate": _l("Graduate from a poor family"),
    "low_income_family": _l("Minimum-living-allowance (低保) family"),
    "zero_employment_family": _l("Zero-employment family"),
    "poverty_alleviated": _l("Household lifted out of poverty"),
    "rural_poor": _l("Registered rural poor labour"),
    "disabled": _l("Person with a disability"),
    "long_term_unemployed": _l("Long-term unemployed"),
    "veteran": _l("Veteran"),
    "released_prisoner": _l("Released prisoner"),
    "rehabilitated": _l("Rehabilitated drug user"),
    "capacity_reduction": _l("Worker from a capacity-reduction firm"),
    "returning_migrant": _l("Returning migrant worker"),
    "retired_fisher": _l("Fisher retired under the Yangtze fishing ban"),
    "4050": _l("“4050” person (women 40+, men 50+)"),
}
SIZE_LABELS = {"sme": _l("Small or medium-sized"), "large": _l("Large")}
PROGRAM_KIND_LABELS = {"enterprise": _l("Enterprises"), "public": _l("Public institutions")}
CATEGORY_LABELS = {
    "gender": _l("Gender"),
    "age": _l("Age"),
    "ethnicity": _l("Ethnicity"),
    "race": _l("Race"),
    "religion": _l("Religion"),
    "household_registration": _l("Household registration"),
    "region": _l("Region"),
    "disability": _l("Disability"),
    "school": _l("School"),
    "marital_status": _l("Marital status"),
    "health": _l("Health"),
    "appearance": _l("Appearance"),
    "identity": _l("Identity"),
}


def percent(rate: float | None) -> str:
    """A 0–1 rate as a whole percentage, e.g. 50%."""
    return "—" if rate is None else format_decimal(round(100 * rate, 1)) + "%"


def is_english() -> bool:
    """Whether this request is displayed in English."""
    return str(get_locale() or "zh_CN").startswith("en")


def html_lang() -> str:
    """The value of ``<html lang>`` for this request."""
    return "en" if is_english() else "zh-CN"


def bi(message: Any) -> str:
    """Pick the half of a ``中文 / English`` service message that matches the locale."""
    text = str(message or "")
    if " / " not in text:
        return text
    zh, en = text.split(" / ", 1)
    return en if is_english() else zh


def money(amount: int | None) -> str:
    """Yuan with thousands separators for the locale, e.g. ¥4,000."""
    if amount is None:
        return "—"
    return "¥" + format_decimal(amount, format="#,##0")


def number(value: int | float | None) -> str:
    """A number with the locale's separators."""
    return "—" if value is None else format_decimal(value)


def local_date(value: dt.date | dt.datetime | None) -> str:
    """A date (or the date of a timestamp, in Chongqing time) in the locale's medium format."""
    if value is None:
        return "—"
    if isinstance(value, dt.datetime):
        value = value.astimezone(LOCAL_TZ).date()
    return format_date(value, "medium")


def local_datetime(value: dt.datetime | None) -> str:
    """A timestamp in Chongqing time, in the locale's medium format."""
    if value is None:
        return "—"
    return format_datetime(value.astimezone(LOCAL_TZ), "medium", rebase=False)


def label(mapping: dict, key: str | None) -> str:
    """The translated label of a code, or the code itself when unknown."""
    if key is None:
        return "—"
    return str(mapping.get(key, key))


def district_choices(blank: Any = None) -> list[tuple[str, str]]:
    """(code, name) pairs of all districts in the locale, with an optional blank first."""
    english = is_english()
    pairs = [(code, d.name_en if english else d.name) for code, d in reference.districts().items()]
    return ([("", str(blank))] if blank is not None else []) + pairs


def district_name(code: str | None) -> str:
    """A district's name in the locale."""
    district = reference.districts().get(code or "")
    if district is None:
        return code or "—"
    return district.name_en if is_english() else district.name


def occupation_name(code: str | None) -> str:
    """An occupation's name (CSCO-2022 names are Chinese), or the code when unknown."""
    if not code:
        return "—"
    found = reference.occupations().get(code)
    return found.name if found else code


def education_choices(blank: Any = None) -> list[tuple[str, str]]:
    """(code, label) pairs of education levels, lowest first."""
    pairs = [(k, str(v)) for k, v in EDUCATION_LABELS.items()]
    return ([("", str(blank))] if blank is not None else []) + pairs


def safe_next(target: str | None, default: str) -> str:
    """A same-site path to go back to, or the default."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def without_lang(url: str) -> str:
    """A path with any ``lang`` query argument removed, so the cookie decides."""
    parts = urlsplit(url)
    args = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != "lang"]
    return parts.path + (f"?{urlencode(args)}" if args else "")


def url_with(**changes: Any) -> str:
    """The current page's URL with some query arguments changed (None removes one)."""
    args = {k: v for k, v in request.args.items() if k not in changes and k != "lang"}
    args.update({k: v for k, v in changes.items() if v not in (None, "")})
    return request.path + (f"?{urlencode(args)}" if args else "")


def role_required(*roles: str) -> Callable:
    """Send anonymous visitors to the login page and refuse other roles with a 403 page."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
            if current_user.role not in roles:
                raise Forbidden("无权访问此页面 / your role may not open this page")
            if must_enrol(current_user):
                return redirect(url_for("account.totp_enrol"))
            return view(*args, **kwargs)

        return wrapper

    return decorator


def me() -> User:
    """The logged-in user (views behind ``role_required`` only)."""
    return current_user._get_current_object()


def _flatten(errors: dict, into: dict[str, list[str]]) -> None:
    for key, value in errors.items():
        if isinstance(value, dict):
            _flatten(value, into)
        else:
            name = str(key).rsplit(".", 1)[-1]
            messages = value if isinstance(value, list) else [value]
            into.setdefault(name, []).extend(str(m) for m in messages)


def attach_errors(form: FlaskForm, errors: dict | None, message: str | None = None) -> None:
    """Show field errors next to their fields; anything else goes to the top of the form."""
    flat: dict[str, list[str]] = {}
    _flatten(errors or {}, flat)
    extra = form.form_errors
    for name, messages in flat.items():
        field = form._fields.get(name)
        target = field.errors if field is not None else extra
        if field is not None and isinstance(target, tuple):
            field.errors = target = list(target)
        target.extend(bi(m) for m in messages)
    if message and not flat:
        extra.append(bi(message))


def load_with(schema: Schema, data: dict, form: FlaskForm) -> dict | None:
    """Check data with the API's schema so pages and the API share every rule; None on errors."""
    try:
        return schema.load(data)
    except ValidationError as err:
        attach_errors(
            form, err.messages if isinstance(err.messages, dict) else {"_schema": err.messages}
        )
        return None


def call_service(form: FlaskForm, fn: Callable[..., Any], *args: Any) -> Any:
    """Call a service for a submitted form; a refused request becomes errors on the form (None)."""
    try:
        return fn(*args)
    except IntegrityError as exc:
        db.session.rollback()
        err = conflict_from_integrity(exc)
    except DomainError as exc:
        db.session.rollback()
        if exc.code in (403, 404) and not exc.errors:
            raise
        err = exc
    attach_errors(form, err.errors, err.message)
    return None


def iso_date(day: dt.date | None) -> str | None:
    """A form's date as the API's schemas take it (None when left empty)."""
    return day.isoformat() if day else None


def split_list(text: str | None) -> list[str]:
    """Items of a comma, 、 or newline separated field, trimmed and de-duplicated."""
    raw = (text or "").replace("，", ",").replace("、", ",").replace("\n", ",")
    seen: list[str] = []
    for item in (p.strip() for p in raw.split(",")):
        if item and item not in seen:
            seen.append(item)
    return seen


def join_list(items: Iterable[str] | None) -> str:
    """Items for a comma separated field."""
    return ", ".join(items or [])


def highlight(text: str, findings: list[dict]) -> list[tuple[str, dict | None]]:
    """Cut text into plain pieces and flagged pieces at the screening offsets."""
    pieces: list[tuple[str, dict | None]] = []
    cursor = 0
    for finding in sorted(findings, key=lambda f: (f["start"], f["end"])):
        start, end = max(finding["start"], cursor), min(finding["end"], len(text))
        if start >= end:
            continue
        if start > cursor:
            pieces.append((text[cursor:start], None))
        pieces.append((text[start:end], finding))
        cursor = end
    if cursor < len(text):
        pieces.append((text[cursor:], None))
    return pieces


def pages(total: int, page: int, page_size: int) -> dict[str, int]:
    """Page numbers for a pager."""
    last = max(1, -(-total // page_size))
    return {"page": page, "last": last, "total": total}


def on_arg() -> dt.date:
    """The ``on`` query argument (the day a page shows things as of), today in Chongqing by default."""
    text = request.args.get("on")
    if not text:
        return dt.datetime.now(LOCAL_TZ).date()
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        day = None
    if day is None or not FIRST_DAY <= day <= LAST_DAY:
        raise RuleViolation(
            f"日期应为 {FIRST_DAY} 至 {LAST_DAY} 之间的 YYYY-MM-DD / "
            f"the date must be YYYY-MM-DD between {FIRST_DAY} and {LAST_DAY}",
            field="on",
        )
    return day


def int_arg(name: str, source=None) -> int | None:
    """An integer argument (query by default) that fits a 32-bit column; anything else is absent."""
    value = (request.args if source is None else source).get(name, type=int)
    return value if value is not None and INT32.min <= value <= INT32.max else None


def page_arg() -> int:
    """The ``page`` query argument, at least 1."""
    return max(1, int_arg("page") or 1)


def script_json(value: Any) -> str:
    """JSON for a ``<script type="application/json">`` block, escaped as ``|tojson`` escapes it.

    ``<``, ``>``, ``&`` and ``'`` become ``\\u`` escapes, so no value can end the script element;
    unlike Flask's ``tojson`` the keys keep their order (the charts' series) and Chinese stays readable.
    """
    return htmlsafe_json_dumps(value, dumps=json.dumps, ensure_ascii=False)


def mark_terms(text: str, query: str | None) -> Markup:
    """The text, HTML-escaped, with every occurrence of the query's terms marked (``<mark>``)."""
    terms = sorted(terms_of(query or ""), key=len, reverse=True)
    if not terms or not text:
        return escape(text or "")
    pattern = re.compile("|".join(map(re.escape, terms)), re.IGNORECASE)
    parts, last = [], 0
    for found in pattern.finditer(text):
        parts += [escape(text[last : found.start()]), Markup("<mark>%s</mark>") % found.group()]
        last = found.end()
    return Markup("").join([*parts, escape(text[last:])])
