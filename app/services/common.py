"""Pieces every service uses: pagination, sorting, scoping, audit and committing."""

import datetime as dt
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from flask import has_request_context, request
from sqlalchemy import Select, func, or_, select, update

from app.errors import Conflict, Forbidden, NotFound
from app.extensions import db
from app.identifiers import mask_id_number, mask_phone
from app.models import (
    Application,
    AuditEvent,
    DesiredJob,
    District,
    Employer,
    Employment,
    HiringSubsidyGrant,
    Invitation,
    MatchRun,
    Occupation,
    Posting,
    Program,
    Seeker,
    Traineeship,
    User,
)

Stages = Callable[[float, str], None]
"""A progress callback of a long service call: the fraction done and the stage it is in."""


def no_stages(fraction: float, stage: str) -> None:
    """Show no progress (calls from the API and pages)."""


T = TypeVar("T")
log = logging.getLogger("jianxi.services")


def commit(*, what: str = "write") -> None:
    """Commit the session; a constraint violation becomes a 409 naming the field (app/errors.py)."""
    db.session.commit()
    log.debug("committed %s", what)


def take_one(model: type, row_id: int, used: str, cap: str, message: str, field: str) -> None:
    """Count one more against a capacity with a conditional UPDATE, so concurrent takers can never overfill it.

    The UPDATE matches no row once ``used`` has reached ``cap`` (a NULL cap is no cap); a CHECK
    constraint on the table backs it up.
    """
    used_col, cap_col = getattr(model, used), getattr(model, cap)
    taken = db.session.execute(
        update(model)
        .where(model.id == row_id, or_(cap_col.is_(None), used_col < cap_col))
        .values({used: used_col + 1})
        .execution_options(synchronize_session=False)
    ).rowcount
    if taken != 1:
        raise Conflict(message, field=field)


def give_back(model: type, row_id: int, used: str) -> None:
    """Count one less against a capacity (never below zero), in the same single UPDATE as ``take_one``."""
    used_col = getattr(model, used)
    db.session.execute(
        update(model)
        .where(model.id == row_id, used_col > 0)
        .values({used: used_col - 1})
        .execution_options(synchronize_session=False)
    )


def get_or_404(model: type[T], ident: Any, what: str) -> T:
    """Load a row by primary key or raise NotFound naming what was missing."""
    obj = db.session.get(model, ident)
    if obj is None:
        raise NotFound(f"{what}不存在 / {what_en(what)} not found")
    return obj


_WHAT_EN = {
    "用人单位": "employer",
    "求职者": "seeker",
    "岗位": "posting",
    "计划": "program",
    "申请": "application",
    "见习": "traineeship",
    "用户": "user",
}


def what_en(what: str) -> str:
    """English name of an entity named in Chinese in messages."""
    return _WHAT_EN.get(what, what)


def paginate(stmt: Select, page: int, page_size: int) -> tuple[list, int]:
    """Run a select for one page and count all matching rows."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(db.session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)))
    return items, total


def apply_sort(
    stmt: Select, model: type, sort: str | None, allowed: Iterable[str], default: str
) -> Select:
    """Order by ``sort`` (``-field`` for descending) from the allowed fields, then by id."""
    key = sort or default
    desc = key.startswith("-")
    name = key.lstrip("-")
    if name not in allowed:
        name, desc = default.lstrip("-"), default.startswith("-")
    column = getattr(model, name)
    return stmt.order_by(
        column.desc() if desc else column.asc(), model.id.desc() if desc else model.id.asc()
    )


def office_scope(user: User) -> str | None:
    """The district an office user is limited to, or None for city staff and admins."""
    return None if user.is_city_office else user.office_district


def require_office(user: User) -> None:
    """Refuse anyone but office staff and admins."""
    if user.role not in ("office", "admin"):
        raise Forbidden("仅限就业服务机构 / offices only")


def require_office_over(user: User, *districts: str | None) -> None:
    """Refuse an office user acting outside their district."""
    require_office(user)
    scope = office_scope(user)
    if scope is not None and scope not in districts:
        raise Forbidden("不在本机构辖区 / outside your office's district")


def check_district(code: str | None, field: str = "district_code") -> None:
    """Refuse a district code that is not one of Chongqing's."""
    if code is not None and db.session.get(District, code) is None:
        raise NotFound(f"区县代码 {code} 不存在 / unknown district {code}", field=field)


def check_occupation(code: str | None, field: str = "occupation_code") -> None:
    """Refuse an occupation code that is not in CSCO-2022."""
    if code is not None and db.session.get(Occupation, code) is None:
        raise NotFound(f"职业代码 {code} 不存在 / unknown occupation {code}", field=field)


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return value


def apply_changes(obj: Any, data: dict) -> tuple[dict, dict]:
    """Set attributes from data; return the changed fields' values before and after."""
    before, after = {}, {}
    for key, value in data.items():
        old = getattr(obj, key)
        if old != value:
            before[key], after[key] = _plain(old), _plain(value)
            setattr(obj, key, value)
    return before, after


_PERSONAL = {"id_number": mask_id_number, "phone": mask_phone, "contact_phone": mask_phone}


def _mask(values: dict | None) -> dict | None:
    if values is None:
        return None
    return {
        k: _PERSONAL[k](v) if k in _PERSONAL else _plain(v)
        for k, v in values.items()
        if k != "password_hash"
    }


def client_ip() -> str | None:
    """The client's address in a request (behind ``TRUSTED_PROXIES``, the forwarded one), else None."""
    return request.remote_addr if has_request_context() else None


def district_of(user: User | None) -> str | None:
    """The district a user acts in: an office's, an employer's or a seeker's own."""
    if user is None:
        return None
    if user.role == "office":
        return user.office_district
    if user.role == "employer" and user.employer is not None:
        return user.employer.district_code
    if user.role == "seeker" and user.seeker is not None:
        return user.seeker.district_code or user.seeker.hukou_district
    return None


def _seeker_district(seeker: Seeker) -> str | None:
    return seeker.district_code or seeker.hukou_district


# Where each audited kind of record lies: staff who act city-wide (city office, admin) have no
# district of their own, so their writes are filed under the district of the record they touch.
_LIES_IN = {
    "seeker": (Seeker, _seeker_district),
    "desired_job": (DesiredJob, lambda job: _seeker_district(job.seeker)),
    "posting": (Posting, lambda posting: posting.district_code),
    "employer": (Employer, lambda employer: employer.district_code),
    "program": (Program, lambda program: program.district_code),
    "match_run": (MatchRun, lambda run: run.district_code),
    "traineeship": (
        Traineeship,
        lambda t: t.program.district_code if t.program else t.host.district_code,
    ),
    "application": (Application, lambda application: application.posting.district_code),
    "invitation": (Invitation, lambda invitation: invitation.posting.district_code),
    "employment": (Employment, lambda employment: employment.employer.district_code),
    "hiring_subsidy_grant": (HiringSubsidyGrant, lambda grant: grant.employer.district_code),
}


def district_acted_on(entity: str, entity_id: Any) -> str | None:
    """The district of an audited record, or None for records that lie in no district."""
    kind = _LIES_IN.get(entity)
    if kind is None or not str(entity_id).isdigit():
        return None
    model, district = kind
    row = db.session.get(model, int(entity_id))
    return district(row) if row is not None else None


def security_event(user: User | None, action: str, details: dict | None = None) -> None:
    """Record an authentication or account event of any user, or of an unknown name, with the client IP."""
    db.session.add(
        AuditEvent(
            user_id=user.id if user else None,
            action=action,
            entity="user",
            entity_id=str(user.id) if user else "-",
            after=details,
            ip=client_ip(),
            district=district_of(user),
        )
    )
    log.info(
        "security %s user=%s ip=%s %s", action, user.id if user else "-", client_ip(), details or ""
    )


def audit(
    user: User | None,
    action: str,
    entity: str,
    entity_id: Any,
    before: dict | None = None,
    after: dict | None = None,
) -> None:
    """Record a write by any user (added to the current transaction), seekers' own included."""
    if user is None:
        return
    db.session.add(
        AuditEvent(
            user_id=user.id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=_mask(before),
            after=_mask(after),
            ip=client_ip(),
            district=district_of(user) or district_acted_on(entity, entity_id),
        )
    )
    log.info(
        "audit user=%s %s %s#%s fields=%s",
        user.id,
        action,
        entity,
        entity_id,
        sorted((after or {}).keys()),
    )
