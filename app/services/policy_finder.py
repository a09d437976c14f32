"""Policy finds the person (政策找人): hires in the database checked against the one-off hiring subsidies.

The database records who was hired, by whom and when (hired applications; trainees retained or
converted early), but not the labour-contract length or months of social and unemployment
insurance that the subsidies test. Those facts are never guessed: a hire whose recorded facts
satisfy a rule is listed as a candidate, with the evidence, and the unrecorded facts the office
must confirm are listed as missing.
"""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.errors import Forbidden
from app.extensions import db
from app.models import Application, Employer, Posting, Seeker, Traineeship, User
from app.services.common import office_scope
from app.services.rulebooks import latest_rulebooks
from app.services.traineeships import person_of
from matching import finder
from matching.conditions import FIELDS, Condition, Leaf, Not, evaluate

UNRECORDED = (
    "employment.contract_months",
    "employment.social_insurance_months",
    "employment.unemployment_insurance_months",
)
# Stand-in for an unrecorded count of months: large enough that only the recorded facts decide.
_ASSUMED_MONTHS = 10_000
_OPS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "=", "between": "between"}


@dataclass(frozen=True)
class Hire:
    """A hire the database knows of, and where the office can see it."""

    seeker: Seeker
    employer: Employer
    hire_date: dt.date
    evidence: str


def _hires(user: User) -> list[Hire]:
    """Hired applications and retained trainees in the user's district."""
    scope = office_scope(user)
    out: list[Hire] = []
    apps = (
        select(Application)
        .join(Application.posting)
        .options(
            joinedload(Application.seeker),
            joinedload(Application.posting).joinedload(Posting.employer),
        )
        .where(Application.status == "hired", Application.decided_at.is_not(None))
    )
    trainees = (
        select(Traineeship)
        .join(Traineeship.host)
        .options(joinedload(Traineeship.seeker), joinedload(Traineeship.host))
        .where(
            Traineeship.outcome.in_(("retained", "converted_early")),
            Traineeship.ended_on.is_not(None),
        )
    )
    if scope:
        apps = apps.join(Posting.employer).where(Employer.district_code == scope)
        trainees = trainees.where(Employer.district_code == scope)
    for a in db.session.scalars(apps):
        out.append(Hire(a.seeker, a.posting.employer, a.decided_at.date(), f"application:{a.id}"))
    for t in db.session.scalars(trainees):
        out.append(Hire(t.seeker, t.host, t.ended_on + dt.timedelta(days=1), f"traineeship:{t.id}"))
    return out


def _leaves(condition: Condition | None) -> list[Leaf]:
    if condition is None:
        return []
    if isinstance(condition, Leaf):
        return [condition]
    if isinstance(condition, Not):
        return _leaves(condition.item)
    return [leaf for item in condition.items for leaf in _leaves(item)]


def _missing(leaf: Leaf) -> dict[str, Any]:
    spec = FIELDS[leaf.field]
    want = (
        f"{leaf.value[0]}–{leaf.value[1]}"
        if leaf.op == "between"
        else f"{_OPS.get(leaf.op, leaf.op)} {leaf.value}"
    )
    return {
        "field": leaf.field,
        "required": {"op": leaf.op, "value": leaf.value},
        "message": {
            "zh": f"{spec.zh}：系统未登记，需核实（要求 {want} {spec.unit_zh}）".replace(
                " ）", "）"
            ),
            "en": f"{spec.en}: not recorded in the system, to be confirmed (required {want} {spec.unit_en})".replace(
                " )", ")"
            ),
        },
    }


def find(user: User, rule_id: str | None = None) -> dict[str, Any]:
    """Who may qualify for which one-off hiring subsidy, with evidence and the facts still missing."""
    if user.role not in ("office", "admin"):
        raise Forbidden("仅限就业服务机构 / offices only")
    books = {book.id: book for book in latest_rulebooks()}
    hires = _hires(user)
    people = {str(h.seeker.id): person_of(h.seeker, False) for h in hires}
    employers = {
        str(h.employer.id): finder.Employer(
            str(h.employer.id), h.employer.district_code, h.employer.size_class
        )
        for h in hires
    }
    employments = [
        finder.Employment(
            str(h.seeker.id),
            str(h.employer.id),
            h.hire_date,
            _ASSUMED_MONTHS,
            _ASSUMED_MONTHS,
            _ASSUMED_MONTHS,
        )
        for h in hires
    ]
    source = {(str(h.seeker.id), str(h.employer.id), h.hire_date): h for h in hires}
    hire_of = {(e.person_id, e.employer_id): e.hire_date for e in employments}
    findings = []
    for found in finder.find_subsidies(
        books.values(), people.values(), employers.values(), employments
    ):
        if rule_id and found.rule != rule_id:
            continue
        book = books[found.rulebook]
        rule = book.rule(found.rule)
        hire_date = hire_of[(found.person_id, found.employer_id)]
        hire = source[(found.person_id, found.employer_id, hire_date)]
        facts = finder.employment_facts(
            people[found.person_id],
            employers[found.employer_id],
            finder.Employment(found.person_id, found.employer_id, hire_date, None, 0),
        )
        for name in UNRECORDED:
            facts[name] = None
        checks = evaluate(rule.when, facts, hire_date).checks if rule.when is not None else ()
        missing = [_missing(leaf) for leaf in _leaves(rule.when) if leaf.field in UNRECORDED]
        findings.append(
            {
                "seeker_id": hire.seeker.id,
                "seeker_name": hire.seeker.name,
                "employer_id": hire.employer.id,
                "employer_name": hire.employer.name,
                "hire_date": hire_date,
                "hire_record": hire.evidence,
                "rulebook": found.rulebook,
                "rulebook_version": found.version,
                "rule": found.rule,
                "source": found.source,
                "name": {"zh": found.name_zh, "en": found.name_en},
                "amount": found.amount,
                "status": "facts_missing" if missing else "qualifies",
                "evidence": [
                    {"field": c.field, "message": {"zh": c.zh, "en": c.en}}
                    for c in checks
                    if c.passed and c.field not in UNRECORDED
                ],
                "missing": missing,
            }
        )
    return {
        "hires_checked": len(hires),
        "rulebooks": sorted(f"{book.id}@{book.version[:12]}" for book in books.values()),
        "note": {
            "zh": "系统未记录劳动合同期限和社会保险、失业保险缴费月数；列出的人员需经办机构核实后方可发放。",
            "en": "The system does not record contract length or months of social and unemployment insurance; "
            "every candidate must be confirmed by the office before payment.",
        },
        "findings": findings,
    }
