"""Hiring subsidy grants: the office records a one-off hiring subsidy as paid, once per person and rule.

A grant is recorded only while the policy finder rates the person ``qualifies`` for the rule in
the office's district (so never on a fact the person declared that no office has confirmed); its amount, clause and rulebook version are the rule's. The database
refuses a second grant of the same rule to the same person (unique person, rulebook, rule),
so two offices recording it at the same moment still leave one grant.
"""

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from app.errors import Conflict, RuleViolation
from app.extensions import db
from app.models import Employer, HiringSubsidyGrant, Seeker, User
from app.models.base import utcnow
from app.services import employment, policy_finder
from app.services.common import (
    audit,
    commit,
    get_or_404,
    office_scope,
    paginate,
    require_office,
)

_NOT_YET = {
    "to_confirm": (
        "本人申报的信息待经办机构核实",
        "facts the person declared are not confirmed yet",
    ),
    "months_short": ("保险缴费月数尚不足", "insurance months are still short"),
    "facts_missing": ("就业信息待补录", "employment facts are not recorded yet"),
    "not_qualifying": ("不符合条件", "a recorded fact fails the rule"),
}


def _refusal(found: dict) -> RuleViolation:
    """A 422 naming every fact that keeps the person from qualifying, with the finder's reasons."""
    errors: dict[str, list[str]] = {}
    reasons = []
    for missing in found["missing"]:
        message = missing["message"]
        errors.setdefault(missing["field"], []).append(f"{message['zh']} / {message['en']}")
        reasons.append({"rule": found["rule"], "source": found["source"], **missing})
    for fact in found["declared"]:
        if not fact["confirmed"]:
            label = fact["label"]
            errors.setdefault(fact["fact"], []).append(
                f"{label['zh']}：本人申报，待经办机构核实 / "
                f"{label['en']}: declared by the person, not yet confirmed by an office"
            )
    zh, en = _NOT_YET[found["status"]]
    return RuleViolation(
        f"尚不能发放：{zh} / not payable: {en} ({found['status']})",
        errors=errors,
        reasons=reasons,
    )


def grant(
    user: User, seeker_id: int, rule_id: str, reference: str, granted_on: dt.date | None = None
) -> HiringSubsidyGrant:
    """Record a one-off hiring subsidy as paid to the person's employer, if the person qualifies now.

    The finder only sees hires of the office's district, so an office grants only for its
    district's employers.
    """
    require_office(user)
    get_or_404(Seeker, seeker_id, "求职者")
    found = policy_finder.finding(user, seeker_id, rule_id)
    if found is None:
        raise RuleViolation(
            f"此人不在补贴 {rule_id} 的对象范围内 / this person is not covered by {rule_id}",
            field="seeker_id",
        )
    if found["status"] == "granted":
        done = found["grant"]
        raise Conflict(
            f"此人已于 {done['granted_on']} 领取该项补贴（凭证 {done['reference']}）/ "
            f"already granted to this person on {done['granted_on']} "
            f"(reference {done['reference']})",
            field="rule",
        )
    if found["status"] != "qualifies":
        raise _refusal(found)
    today = employment.local_date(utcnow())
    granted_on = granted_on or today
    if granted_on > today:
        raise RuleViolation(
            "发放日期不能晚于今天 / granted_on must not be in the future", field="granted_on"
        )
    if granted_on < found["hire_date"]:
        raise RuleViolation(
            f"发放日期不能早于招用日期 {found['hire_date']} / granted_on must not precede the hire date {found['hire_date']}",
            field="granted_on",
        )
    row = HiringSubsidyGrant(
        seeker_id=seeker_id,
        employer_id=found["employer_id"],
        rulebook_id=found["rulebook"],
        rule_id=found["rule"],
        rulebook_version=found["rulebook_version"],
        source=found["source"],
        amount=found["amount"],
        hire_date=found["hire_date"],
        hire_record=found["hire_record"],
        granted_on=granted_on,
        reference=reference.strip(),
        recorded_by=user.id,
    )
    db.session.add(row)
    db.session.flush()
    audit(
        user,
        "grant_hiring_subsidy",
        "hiring_subsidy_grant",
        row.id,
        None,
        {
            "seeker_id": seeker_id,
            "employer_id": row.employer_id,
            "rulebook": row.rulebook_id,
            "rule": row.rule_id,
            "rulebook_version": row.rulebook_version,
            "amount": row.amount,
            "hire_record": row.hire_record,
            "granted_on": granted_on,
            "reference": row.reference,
        },
    )
    commit(what="hiring subsidy grant")
    return row


def grants(user: User, page: int = 1, page_size: int = 20) -> tuple[list[HiringSubsidyGrant], int]:
    """One-off hiring subsidies paid to employers in the user's district, latest first."""
    require_office(user)
    stmt = (
        select(HiringSubsidyGrant)
        .join(HiringSubsidyGrant.employer)
        .options(joinedload(HiringSubsidyGrant.seeker), joinedload(HiringSubsidyGrant.employer))
        .order_by(HiringSubsidyGrant.granted_on.desc(), HiringSubsidyGrant.id.desc())
    )
    scope = office_scope(user)
    if scope is not None:
        stmt = stmt.where(Employer.district_code == scope)
    return paginate(stmt, page, page_size)
