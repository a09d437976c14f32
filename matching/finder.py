"""Policy finds the person (政策找人): who qualifies for one-off hiring subsidies, with evidence."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from matching.conditions import All, Check, Leaf, evaluate
from matching.policy import Person, person_facts
from matching.rulebook import Rule, Rulebook


@dataclass(frozen=True)
class Employer:
    """An employer as the finder sees it: its district decides which rulebooks apply."""

    employer_id: str
    district: str
    size: str | None = None


@dataclass(frozen=True)
class Employment:
    """A hire: the facts the hiring subsidies test, counted in whole months up to today."""

    person_id: str
    employer_id: str
    hire_date: dt.date
    contract_months: int | None
    social_insurance_months: int
    unemployment_insurance_months: int = 0
    registered_unemployed_months: int | None = None


@dataclass(frozen=True)
class Finding:
    """A person and subsidy: qualifies now, or would with more months of the missing facts."""

    person_id: str
    employer_id: str
    rulebook: str
    version: str
    rule: str
    source: str
    name_zh: str
    name_en: str
    amount: int
    qualifies: bool
    evidence: tuple[Check, ...]
    missing: tuple[Check, ...] = field(default=())

    def as_dict(self) -> dict[str, Any]:
        """Return the finding as JSON-ready data."""

        def check(c: Check) -> dict[str, Any]:
            return {"field": c.field, "passed": c.passed, "message": {"zh": c.zh, "en": c.en}}

        return {
            "person_id": self.person_id,
            "employer_id": self.employer_id,
            "rulebook": self.rulebook,
            "version": self.version,
            "rule": self.rule,
            "source": self.source,
            "name": {"zh": self.name_zh, "en": self.name_en},
            "amount": self.amount,
            "qualifies": self.qualifies,
            "evidence": [check(c) for c in self.evidence],
            "missing": [check(c) for c in self.missing],
        }


def _months_between(start: dt.date, end: dt.date) -> int:
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - (1 if end.day < start.day else 0)


def employment_facts(person: Person, employer: Employer, employment: Employment) -> dict[str, Any]:
    """Return the named fields of a hire, derived facts included."""
    facts = person_facts(person)
    registered = employment.registered_unemployed_months
    if registered is None and person.registered_unemployed_since is not None:
        registered = max(
            0, _months_between(person.registered_unemployed_since, employment.hire_date)
        )
    year = facts["person.graduation_year"]
    facts.update(
        {
            "employer.district": employer.district,
            "employer.size": employer.size,
            "employment.hire_date": employment.hire_date,
            "employment.in_graduation_year": year is not None and year == employment.hire_date.year,
            "employment.contract_months": employment.contract_months,
            "employment.social_insurance_months": employment.social_insurance_months,
            "employment.unemployment_insurance_months": employment.unemployment_insurance_months,
            "employment.registered_unemployed_months": registered,
        }
    )
    return facts


def _accrues(check: Check) -> bool:
    """Whether a failed check can still pass by time alone (months of insurance still accruing)."""
    return check.shortfall and check.field in {
        "employment.social_insurance_months",
        "employment.unemployment_insurance_months",
    }


def assess(
    rulebook: Rulebook, rule: Rule, facts: Mapping[str, Any], hire: dt.date
) -> Finding | None:
    """Assess one hire against one hiring-subsidy rule; None when the person is not a candidate."""
    if (
        not rule.in_force(hire)
        or not rulebook.covers(facts["employer.district"])
        or rule.when is None
    ):
        return None
    outcome = evaluate(rule.when, facts, hire)
    leaves = _leaf_checks(rule, facts, hire)
    failed = tuple(c for c in leaves if not c.passed)
    if not outcome.passed and not (failed and all(_accrues(c) for c in failed)):
        return None
    return Finding(
        person_id="",
        employer_id="",
        rulebook=rulebook.id,
        version=rulebook.version,
        rule=rule.id,
        source=rule.source,
        name_zh=rule.name_zh,
        name_en=rule.name_en,
        amount=rule.amounts.get("once", 0),
        qualifies=outcome.passed,
        evidence=outcome.checks,
        missing=() if outcome.passed else failed,
    )


def _leaf_checks(rule: Rule, facts: Mapping[str, Any], on: dt.date) -> tuple[Check, ...]:
    """Return the checks of the rule's top-level conditions that are plain field tests."""
    when = rule.when
    if when is None:
        return ()
    items = when.items if isinstance(when, All) else (when,)
    out: list[Check] = []
    for item in items:
        outcome = evaluate(item, facts, on)
        if isinstance(item, Leaf):
            out.extend(outcome.checks)
        elif not outcome.passed:
            out.append(Check("*", False, outcome.zh, outcome.en))
    return tuple(out)


def find_subsidies(
    rulebooks: Iterable[Rulebook],
    people: Iterable[Person],
    employers: Iterable[Employer],
    employments: Iterable[Employment],
    already_paid: Iterable[tuple[str, str]] = (),
) -> list[Finding]:
    """List who qualifies (or is still accruing months) for the one-off hiring subsidies.

    A person appears at most once per subsidy (rulebook and rule): the qualifying hire wins, then
    the earliest. `already_paid` holds (person_id, "rulebook/rule") pairs to leave out.
    """
    by_person = {p.person_id: p for p in people}
    by_employer = {e.employer_id: e for e in employers}
    paid = set(already_paid)
    best: dict[tuple[str, str, str], tuple[tuple[bool, dt.date], Finding]] = {}
    books = list(rulebooks)
    for hire in sorted(employments, key=lambda e: (e.hire_date, e.person_id, e.employer_id)):
        person = by_person.get(hire.person_id)
        employer = by_employer.get(hire.employer_id)
        if person is None or employer is None:
            continue
        facts = employment_facts(person, employer, hire)
        for book in books:
            for rule in book.of_kind("hiring_subsidy"):
                if (person.person_id, f"{book.id}/{rule.id}") in paid:
                    continue
                found = assess(book, rule, facts, hire.hire_date)
                if found is None:
                    continue
                found = replace(found, person_id=person.person_id, employer_id=employer.employer_id)
                key = (person.person_id, book.id, rule.id)
                rank = (not found.qualifies, hire.hire_date)
                if key not in best or rank < best[key][0]:
                    best[key] = (rank, found)
    return [
        finding for _, finding in sorted(best.values(), key=lambda v: (v[1].person_id, v[1].rule))
    ]


__all__ = ["Employer", "Employment", "Finding", "assess", "employment_facts", "find_subsidies"]
