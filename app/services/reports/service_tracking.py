"""1-3-1-1 service tracking (003 § 20) and monthly contact of the registered unemployed (002 annex § 51).

Every difficult graduate (priority group ``difficult_graduate``) has a file (一人一档) of
services delivered: at least 1 career-guidance session, 3 job recommendations, 1 training
offer and 1 traineeship opportunity. An actual traineeship counts as the opportunity, and
each recommendation an office pushes from a match report is recorded as a service. The
registered unemployed (not employed, registered since a date) must be contacted at least
once a month; a service a person of the office delivered is a contact, an automated push of a
match run is not. The contact list shows phones masked: revealing one is audited, and so is
exporting the list to phone from.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable

from sqlalchemy import select

from app.errors import Forbidden, RuleViolation
from app.extensions import db
from app.identifiers import mask_phone
from app.models import Posting, Seeker, ServiceRecord, Traineeship, User
from app.models.service_record import SERVICE_KINDS
from app.services.common import (
    audit,
    check_district,
    commit,
    get_or_404,
    office_scope,
    require_office,
    require_office_over,
)
from app.services.seekers import can_manage

PACKAGE = {"guidance": 1, "recommendation": 3, "training": 1, "traineeship": 1}
"""The 1-3-1-1 package: service kind → how many each difficult graduate must receive."""

PACKAGE_NAMES = {
    "guidance": ("职业指导", "career guidance"),
    "recommendation": ("岗位推荐", "job recommendations"),
    "training": ("职业培训", "vocational training offer"),
    "traineeship": ("见习机会", "traineeship opportunity"),
    "contact": ("联系", "contact"),
}
DIFFICULT_GRADUATE = "difficult_graduate"
CONTACT_DAYS = 30


def record_service(
    user: User,
    seeker_id: int,
    kind: str,
    delivered_on: dt.date | None = None,
    posting_id: int | None = None,
    note: str | None = None,
) -> ServiceRecord:
    """An office records a service it delivered to a seeker of its district."""
    require_office(user)
    seeker = get_or_404(Seeker, seeker_id, "求职者")
    if not can_manage(user, seeker):
        raise Forbidden("不在本机构辖区 / outside your office's district")
    if kind not in SERVICE_KINDS:
        raise RuleViolation(f"未知服务类别 {kind} / unknown service kind", field="kind")
    if posting_id is not None:
        get_or_404(Posting, posting_id, "岗位")
    day = delivered_on or dt.date.today()
    if day > dt.date.today():
        raise RuleViolation(
            "服务日期不能晚于今天 / the date cannot be in the future", field="delivered_on"
        )
    record = ServiceRecord(
        seeker_id=seeker.id,
        kind=kind,
        delivered_on=day,
        by_user_id=user.id,
        by_name=user.display_name or user.username,
        district_code=office_scope(user) or seeker.district_code,
        posting_id=posting_id,
        note=note,
    )
    db.session.add(record)
    db.session.flush()
    audit(
        user,
        "record_service",
        "service_record",
        record.id,
        None,
        {"seeker_id": seeker.id, "kind": kind, "delivered_on": day, "posting_id": posting_id},
    )
    commit(what="record service")
    return record


def _record_view(r: ServiceRecord) -> dict:
    zh, en = PACKAGE_NAMES[r.kind]
    return {
        "id": r.id,
        "kind": r.kind,
        "kind_name": {"zh": zh, "en": en},
        "delivered_on": r.delivered_on,
        "by_user_id": r.by_user_id,
        "by_name": r.by_name,
        "posting_id": r.posting_id,
        "match_run_id": r.match_run_id,
        "note": r.note,
    }


def report_scope(user: User | None, district: str | None) -> str | None:
    """The district a report is limited to: the office's own, or the one a city user picked.

    ``user=None`` is the trusted operator at the shell, who may pick any district or the city.
    """
    if district is not None:
        check_district(district)
    if user is None:
        return district
    require_office(user)
    if district is not None:
        require_office_over(user, district)
        return district
    return office_scope(user)


def _seekers(district: str | None) -> list[Seeker]:
    stmt = select(Seeker).order_by(Seeker.id)
    if district is not None:
        stmt = stmt.where(Seeker.of_district(district))
    return list(db.session.scalars(stmt))


def _records(seeker_ids: list[int], until: dt.date) -> dict[int, list[ServiceRecord]]:
    out: dict[int, list[ServiceRecord]] = defaultdict(list)
    for start in range(0, len(seeker_ids), 900):
        part = seeker_ids[start : start + 900]
        for r in db.session.scalars(
            select(ServiceRecord)
            .where(ServiceRecord.seeker_id.in_(part), ServiceRecord.delivered_on <= until)
            .order_by(ServiceRecord.delivered_on, ServiceRecord.id)
        ):
            out[r.seeker_id].append(r)
    return out


def _trainees(seeker_ids: list[int], until: dt.date) -> set[int]:
    found: set[int] = set()
    for start in range(0, len(seeker_ids), 900):
        part = seeker_ids[start : start + 900]
        found.update(
            db.session.scalars(
                select(Traineeship.seeker_id).where(
                    Traineeship.seeker_id.in_(part), Traineeship.started_on <= until
                )
            )
        )
    return found


def package_of(records: list[ServiceRecord], in_traineeship: bool) -> dict:
    """Counts of each package service delivered, what is missing and whether the package is complete."""
    counts = {kind: sum(1 for r in records if r.kind == kind) for kind in PACKAGE}
    if in_traineeship:
        counts["traineeship"] = max(counts["traineeship"], 1)
    missing = {kind: need - counts[kind] for kind, need in PACKAGE.items() if counts[kind] < need}
    return {"counts": counts, "missing": missing, "complete": not missing}


def service_file(user: User, seeker_id: int) -> dict:
    """One person's file (一人一档): every service with who delivered it and when, and the package status."""
    require_office(user)
    seeker = get_or_404(Seeker, seeker_id, "求职者")
    if not can_manage(user, seeker):
        raise Forbidden("不在本机构辖区 / outside your office's district")
    today = dt.date.today()
    records = _records([seeker.id], today)[seeker.id]
    return {
        "seeker_id": seeker.id,
        "name": seeker.name,
        "priority_groups": list(seeker.priority_groups or []),
        "difficult_graduate": DIFFICULT_GRADUATE in (seeker.priority_groups or []),
        "package": package_of(records, seeker.id in _trainees([seeker.id], today)),
        "records": [_record_view(r) for r in records],
    }


def is_registered_unemployed(seeker: Seeker, on: dt.date) -> bool:
    """Registered unemployed on a day: registered by then and not employed."""
    since = seeker.registered_unemployed_since
    return since is not None and since <= on and not seeker.employed


def is_contact(record: ServiceRecord) -> bool:
    """A service a person of the office delivered; an automated push from a match run is not a contact."""
    return record.match_run_id is None


def last_contact(records: list[ServiceRecord]) -> dt.date | None:
    """The day of the latest contact among a person's records (in date order)."""
    days = [r.delivered_on for r in records if is_contact(r)]
    return days[-1] if days else None


def tracking_report(
    user: User | None,
    district: str | None = None,
    on: dt.date | None = None,
    progress: Callable[[Iterable], Iterable] = iter,
) -> dict:
    """Difficult graduates with their 1-3-1-1 package and who still misses what; uncontacted registered unemployed."""
    scope = report_scope(user, district)
    on = on or dt.date.today()
    people = _seekers(scope)
    ids = [s.id for s in people]
    records = _records(ids, on)
    trainees = _trainees(ids, on)
    graduates = []
    for s in progress(people):
        if DIFFICULT_GRADUATE not in (s.priority_groups or []):
            continue
        package = package_of(records[s.id], s.id in trainees)
        graduates.append(
            {
                "seeker_id": s.id,
                "name": s.name,
                "district_code": s.district_code,
                "employed": s.employed,
                **package,
                "last_service_on": records[s.id][-1].delivered_on if records[s.id] else None,
            }
        )
    since = on - dt.timedelta(days=CONTACT_DAYS)
    uncontacted = []
    for s in people:
        if not is_registered_unemployed(s, on):
            continue
        last = last_contact(records[s.id])
        if last is None or last < since:
            uncontacted.append(
                {
                    "seeker_id": s.id,
                    "name": s.name,
                    "phone_masked": mask_phone(s.phone) or None,
                    "district_code": s.district_code,
                    "registered_unemployed_since": s.registered_unemployed_since,
                    "last_contact_on": last,
                    "days_since_contact": (on - last).days if last else None,
                }
            )
    missing_totals = {kind: sum(g["missing"].get(kind, 0) for g in graduates) for kind in PACKAGE}
    return {
        "district_code": scope,
        "on": on,
        "contact_window_days": CONTACT_DAYS,
        "package": PACKAGE,
        "difficult_graduates": len(graduates),
        "complete": sum(1 for g in graduates if g["complete"]),
        "missing_totals": missing_totals,
        "graduates": graduates,
        "still_missing": [g for g in graduates if not g["complete"]],
        "registered_unemployed": sum(1 for s in people if is_registered_unemployed(s, on)),
        "uncontacted": uncontacted,
    }


def reveal_phone(user: User, seeker_id: int) -> dict:
    """Show an office a seeker's phone number to call them; every reveal is audited."""
    require_office(user)
    seeker = get_or_404(Seeker, seeker_id, "求职者")
    if not can_manage(user, seeker):
        raise Forbidden("不在本机构辖区 / outside your office's district")
    audit(user, "reveal_phone", "seeker", seeker.id, None, {"purpose": "contact"})
    commit(what="reveal phone")
    return {"seeker_id": seeker.id, "name": seeker.name, "phone": seeker.phone}


def contact_list(user: User, district: str | None = None, on: dt.date | None = None) -> dict:
    """The registered unemployed not contacted in the window, with phones, to export; the export is audited."""
    report = tracking_report(user, district, on)
    people = {p.id: p for p in _seekers(report["district_code"])}
    rows = [{**u, "phone": people[u["seeker_id"]].phone} for u in report["uncontacted"]]
    audit(
        user,
        "export_contact_list",
        "contact_list",
        report["district_code"] or "city",
        None,
        {"on": report["on"], "seeker_ids": [r["seeker_id"] for r in rows]},
    )
    commit(what="export contact list")
    return {"district_code": report["district_code"], "on": report["on"], "rows": rows}
