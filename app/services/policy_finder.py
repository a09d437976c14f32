"""Policy finds the person (政策找人): hires in the database checked against the one-off hiring subsidies.

Each hire has an employment record (opened when an application is hired or a trainee kept on)
holding the facts the subsidies test: labour-contract length and months of social and
unemployment insurance, recorded by the employer or the office. A hire older than those records
is read from its application or traineeship with every fact unrecorded. Facts are never
guessed: who the person is decides whether they are a candidate; the recorded facts then decide
the status of the finding:

* ``qualifies``: every condition holds, with the evidence, and every fact the seeker declared
  that the rule relies on (unemployment registration, 户籍, graduation, employment status) has
  been confirmed by an office;
* ``to_confirm`` (待核实): every condition holds, but on a fact the seeker declared that no
  office has confirmed yet; nothing is payable until an office confirms it;
* ``months_short``: only months of insurance still accruing are short ("社保 4/6 个月");
* ``facts_missing``: a fact the rule tests is not recorded yet;
* ``not_qualifying``: a recorded fact that time will not change fails (a contract too short).

A subsidy already paid to the person (a ``HiringSubsidyGrant`` for the same rulebook and rule,
recorded by any office) overrides all of these:

* ``granted``: paid once already, with the grant's date, amount and reference; never payable
  again. It sorts right after ``qualifies``: still worth seeing, no longer to act on.

A person is listed once per subsidy: the best status wins, then the earliest hire; a granted
subsidy shows the hire it was granted for when that hire is still listed.
"""

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import exists, select
from sqlalchemy.orm import joinedload

from app.errors import Forbidden, RuleViolation
from app.extensions import db
from app.models import (
    Application,
    Employer,
    Employment,
    HiringSubsidyGrant,
    Posting,
    Seeker,
    Traineeship,
    User,
)
from app.services import declared_facts, employment
from app.services.common import office_scope, require_office
from app.services.rulebooks import latest_rulebooks
from app.services.traineeships import person_of
from matching import finder
from matching.conditions import FIELDS, Check, Condition, Leaf, Not, evaluate, fields_of
from matching.policy import Person
from matching.rulebook import Rule, Rulebook

TERMS = {
    "employment.contract_months": "contract_months",
    "employment.social_insurance_months": "social_insurance_months",
    "employment.unemployment_insurance_months": "unemployment_insurance_months",
}
# Facts about the person that the office records on the seeker's file; unrecorded, they make a
# finding ``facts_missing`` (with a stand-in that passes while asking about candidacy).
PERSON_TERMS = {"person.registered_unemployed_district": "registered_unemployed_district"}
_ASSUMED_PERSON = {"person.registered_unemployed_district": "500000"}
ACCRUING = {"employment.social_insurance_months", "employment.unemployment_insurance_months"}
STATUSES = ("qualifies", "to_confirm", "granted", "months_short", "facts_missing", "not_qualifying")
# Stand-in for every employment fact while asking whether the person is a candidate at all.
_ASSUMED_MONTHS = 10_000
_OPS = {"ge": "≥", "gt": ">", "le": "≤", "lt": "<", "eq": "=", "between": "between"}


@dataclass(frozen=True)
class Hire:
    """A hire the office can see, with the facts recorded so far (None while unrecorded)."""

    seeker: Seeker
    employer: Employer
    hire_date: dt.date
    record: str
    contract_months: int | None = None
    social_insurance_months: int | None = None
    unemployment_insurance_months: int | None = None


def _hires(user: User, seeker_id: int | None = None) -> list[Hire]:
    """Employment records in the user's district, and hires that predate such records.

    With ``seeker_id``, only that person's hires.
    """
    scope = office_scope(user)
    # Only labour contracts: a hire on a trainee post is an enrolment (a trainee kept on is a hire).
    records = employment.scoped(user).where(~employment.TRAINEE_POST_HIRE)
    out = [
        Hire(
            e.seeker,
            e.employer,
            e.hire_date,
            f"employment:{e.id}",
            e.contract_months,
            e.social_insurance_months,
            e.unemployment_insurance_months,
        )
        for e in db.session.scalars(
            records if seeker_id is None else records.where(Employment.seeker_id == seeker_id)
        )
    ]
    apps = (
        select(Application)
        .join(Application.posting)
        .join(Posting.employer)
        .options(
            joinedload(Application.seeker),
            joinedload(Application.posting).joinedload(Posting.employer),
        )
        .where(
            Application.status == "hired",
            Application.decided_at.is_not(None),
            Posting.kind != "traineeship",
            ~exists().where(Employment.application_id == Application.id),
        )
    )
    trainees = (
        select(Traineeship)
        .join(Traineeship.host)
        .options(joinedload(Traineeship.seeker), joinedload(Traineeship.host))
        .where(
            Traineeship.outcome.in_(employment.HIRED_TRAINEES),
            Traineeship.ended_on.is_not(None),
            ~exists().where(Employment.traineeship_id == Traineeship.id),
        )
    )
    if scope:
        apps = apps.where(Employer.district_code == scope)
        trainees = trainees.where(Employer.district_code == scope)
    if seeker_id is not None:
        apps = apps.where(Application.seeker_id == seeker_id)
        trainees = trainees.where(Traineeship.seeker_id == seeker_id)
    for a in db.session.scalars(apps):
        out.append(
            Hire(
                a.seeker,
                a.posting.employer,
                employment.local_date(a.decided_at),
                f"application:{a.id}",
            )
        )
    for t in db.session.scalars(trainees):
        out.append(
            Hire(
                t.seeker,
                t.host,
                employment.hire_date_of_trainee(t.ended_on),
                f"traineeship:{t.id}",
            )
        )
    return out


def _leaves(condition: Condition | None) -> list[Leaf]:
    if condition is None:
        return []
    if isinstance(condition, Leaf):
        return [condition]
    if isinstance(condition, Not):
        return _leaves(condition.item)
    return [leaf for item in condition.items for leaf in _leaves(item)]


def _required(leaf: Leaf) -> str:
    if leaf.op == "between":
        return f"{leaf.value[0]}–{leaf.value[1]}"
    return f"{_OPS.get(leaf.op, leaf.op)} {leaf.value}"


def _missing(leaf: Leaf, check: Check, recorded: int | None) -> dict[str, Any]:
    """A failed employment fact: unrecorded (to be recorded) or recorded and short."""
    spec = FIELDS[leaf.field]
    if recorded is None:
        want = _required(leaf)
        message = {
            "zh": f"{spec.zh}：未登记，请用人单位或经办机构补录（要求 {want} {spec.unit_zh}）",
            "en": f"{spec.en}: not recorded yet; the employer or office records it (required {want} {spec.unit_en})",
        }
    else:
        message = {"zh": check.zh, "en": check.en}
    return {
        "field": leaf.field,
        "required": {"op": leaf.op, "value": leaf.value},
        "message": message,
    }


def _status(
    failed: list[Check], recorded: dict[str, int | None], declared: list[dict[str, Any]]
) -> str:
    if any(recorded[c.field] is not None and c.field not in ACCRUING for c in failed):
        return "not_qualifying"
    if any(recorded[c.field] is None for c in failed):
        return "facts_missing"
    if failed:
        return "months_short"
    return "qualifies" if all(d["confirmed"] for d in declared) else "to_confirm"


def assess(
    book: Rulebook, rule: Rule, person: Person, employer: finder.Employer, hire: Hire
) -> dict[str, Any] | None:
    """Check one hire against one hiring-subsidy rule; None when the person is not a candidate."""
    assumed = finder.Employment(
        person.person_id,
        employer.employer_id,
        hire.hire_date,
        _ASSUMED_MONTHS,
        _ASSUMED_MONTHS,
        _ASSUMED_MONTHS,
    )
    facts = finder.employment_facts(person, employer, assumed)
    facts.update({f: v for f, v in _ASSUMED_PERSON.items() if facts.get(f) is None})
    if rule.when is None or finder.assess(book, rule, facts, hire.hire_date) is None:
        return None
    recorded = {name: getattr(hire, attribute) for name, attribute in TERMS.items()}
    recorded.update({name: getattr(hire.seeker, a) for name, a in PERSON_TERMS.items()})
    facts.update(recorded)
    checks = evaluate(rule.when, facts, hire.hire_date).checks
    failed = [c for c in checks if not c.passed and c.field in recorded]
    leaf_of = {leaf.field: leaf for leaf in _leaves(rule.when) if leaf.field in recorded}
    declared = declared_facts.relied_on(hire.seeker, fields_of(rule.when))
    return {
        "seeker_id": hire.seeker.id,
        "seeker_name": hire.seeker.name,
        "employer_id": hire.employer.id,
        "employer_name": hire.employer.name,
        "hire_date": hire.hire_date,
        "hire_record": hire.record,
        "rulebook": book.id,
        "rulebook_version": book.version,
        "rule": rule.id,
        "source": rule.source,
        "name": {"zh": rule.name_zh, "en": rule.name_en},
        "amount": rule.amounts.get("once", 0),
        "status": _status(failed, recorded, declared),
        "evidence": [
            {"field": c.field, "message": {"zh": c.zh, "en": c.en}} for c in checks if c.passed
        ],
        "missing": [_missing(leaf_of[c.field], c, recorded[c.field]) for c in failed],
        "declared": declared,
        "grant": None,
    }


def _grants(seeker_ids: set[int]) -> dict[tuple[int, str, str], HiringSubsidyGrant]:
    """Grants already recorded for these people, by (person, rulebook, rule)."""
    if not seeker_ids:
        return {}
    rows = db.session.scalars(
        select(HiringSubsidyGrant).where(HiringSubsidyGrant.seeker_id.in_(seeker_ids))
    )
    return {(g.seeker_id, g.rulebook_id, g.rule_id): g for g in rows}


def _search(
    user: User,
    books: list[Rulebook],
    rule_id: str | None = None,
    seeker_id: int | None = None,
    progress: Callable[[Iterable], Iterable] = iter,
) -> tuple[list[Hire], list[dict[str, Any]]]:
    """The hires checked and the best finding per person and subsidy, best status first."""
    hires = _hires(user, seeker_id)
    people = {h.seeker.id: person_of(h.seeker, False) for h in hires}
    employers = {
        h.employer.id: finder.Employer(
            str(h.employer.id), h.employer.district_code, h.employer.size_class
        )
        for h in hires
    }
    granted = _grants(set(people))
    best: dict[tuple[int, str, str], tuple[tuple[bool, int, dt.date, str], dict[str, Any]]] = {}
    for hire in progress(hires):
        for book in books:
            for rule in book.of_kind("hiring_subsidy"):
                if rule_id and rule.id != rule_id:
                    continue
                found = assess(
                    book, rule, people[hire.seeker.id], employers[hire.employer.id], hire
                )
                if found is None:
                    continue
                key = (hire.seeker.id, book.id, rule.id)
                grant = granted.get(key)
                rank = (
                    grant is not None and grant.hire_record != hire.record,
                    STATUSES.index(found["status"]),
                    hire.hire_date,
                    hire.record,
                )
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, found)
    for key, (_, found) in best.items():
        grant = granted.get(key)
        if grant is not None:
            found["status"] = "granted"
            found["grant"] = {
                "id": grant.id,
                "granted_on": grant.granted_on,
                "amount": grant.amount,
                "reference": grant.reference,
                "hire_record": grant.hire_record,
            }
    findings = sorted(
        (found for _, found in best.values()),
        key=lambda f: (STATUSES.index(f["status"]), f["seeker_id"], f["rule"]),
    )
    return hires, findings


def find(
    user: User, rule_id: str | None = None, progress: Callable[[Iterable], Iterable] = iter
) -> dict[str, Any]:
    """Who qualifies, or may, for which one-off hiring subsidy, with evidence and what is missing."""
    require_office(user)
    books = latest_rulebooks()
    hires, findings = _search(user, books, rule_id, progress=progress)
    return {
        "hires_checked": len(hires),
        "rulebooks": sorted(f"{book.id}@{book.version[:12]}" for book in books),
        "note": {
            "zh": "劳动合同期限和社会保险、失业保险缴费月数取自就业记录（由用人单位或经办机构登记）；"
            "发放前须经办机构核实。",
            "en": "Contract length and months of social and unemployment insurance come from the "
            "employment records kept by employers and offices; the office confirms every "
            "candidate before payment.",
        },
        "findings": findings,
    }


def finding(user: User, seeker_id: int, rule_id: str) -> dict[str, Any] | None:
    """The finder's finding for one person and one subsidy rule, or None when the rule does not cover them.

    Rule ids name one rule across the rulebooks in force. An office may only ask about a
    person hired in its district.
    """
    require_office(user)
    books = latest_rulebooks()
    if not any(rule.id == rule_id for book in books for rule in book.of_kind("hiring_subsidy")):
        raise RuleViolation(
            f"没有一次性就业补贴规则 {rule_id} / no one-off hiring subsidy rule {rule_id}",
            field="rule",
        )
    hires, findings = _search(user, books, rule_id, seeker_id)
    if not hires and office_scope(user) is not None:
        raise Forbidden(
            "此人在本机构辖区没有招用记录 / this person has no hire in your office's district"
        )
    return findings[0] if findings else None
