"""Pieces every service uses: pagination, sorting, scoping, audit and committing."""

import datetime as dt
import logging
from collections.abc import Iterable
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError

from app.errors import Conflict, Forbidden, NotFound
from app.extensions import db
from app.identifiers import mask_id_number, mask_phone
from app.models import AuditEvent, District, Occupation, User

T = TypeVar("T")
log = logging.getLogger("jianxi.services")

# Constraint names (see models/base.py naming convention) → (field, message) for 409 bodies.
CONSTRAINT_FIELDS = {
    "uq_employer_credit_code": ("credit_code", "该统一社会信用代码已登记 / this credit code is already registered"),
    "uq_seeker_id_number": ("id_number", "该身份证号已登记 / this ID number is already registered"),
    "uq_user_account_username": ("username", "用户名已被使用 / this username is taken"),
    "uq_application_seeker_id": ("posting_id", "已申请过该岗位 / already applied to this posting"),
    "uq_program_key": ("key", "计划代码已存在 / a program with this key exists"),
    "uq_traineeship_one_active": ("seeker_id", "此人已有进行中的见习 / this person already has an active traineeship"),
    "uq_subsidy_line_traineeship_id": ("month", "该月该类补贴已存在 / this subsidy line already exists"),
    "ck_program_seats_within_quota": ("quota", "计划名额已满 / the program's quota is full"),
    "ck_posting_slots_range": ("slots", "岗位名额已满 / the posting has no free slot"),
}


def commit(*, what: str = "write") -> None:
    """Commit the session, turning a known constraint violation into a 409 naming the field."""
    try:
        db.session.commit()
    except IntegrityError as exc:
        db.session.rollback()
        text = str(exc.orig)
        for name, (field, message) in CONSTRAINT_FIELDS.items():
            if name in text or (name.startswith("uq_") and _sqlite_unique_hit(name, text)):
                raise Conflict(message, field=field) from exc
        log.warning("integrity error during %s: %s", what, text)
        raise Conflict("与现有记录冲突 / conflicts with an existing record") from exc


def _sqlite_unique_hit(constraint: str, text: str) -> bool:
    # SQLite reports "UNIQUE constraint failed: employer.credit_code" instead of the name.
    table_col = {
        "uq_employer_credit_code": "employer.credit_code",
        "uq_seeker_id_number": "seeker.id_number",
        "uq_user_account_username": "user_account.username",
        "uq_application_seeker_id": "application.seeker_id",
        "uq_program_key": "program.key",
        "uq_traineeship_one_active": "traineeship.seeker_id",
        "uq_subsidy_line_traineeship_id": "subsidy_line.traineeship_id",
    }
    return table_col.get(constraint, "\0") in text


def get_or_404(model: type[T], ident: Any, what: str) -> T:
    """Load a row by primary key or raise NotFound naming what was missing."""
    obj = db.session.get(model, ident)
    if obj is None:
        raise NotFound(f"{what}不存在 / {what_en(what)} not found")
    return obj


_WHAT_EN = {"用人单位": "employer", "求职者": "seeker", "岗位": "posting", "计划": "program", "申请": "application", "见习": "traineeship", "用户": "user"}


def what_en(what: str) -> str:
    """English name of an entity named in Chinese in messages."""
    return _WHAT_EN.get(what, what)


def paginate(stmt: Select, page: int, page_size: int) -> tuple[list, int]:
    """Run a select for one page and count all matching rows."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery())) or 0
    items = list(db.session.scalars(stmt.limit(page_size).offset((page - 1) * page_size)))
    return items, total


def apply_sort(stmt: Select, model: type, sort: str | None, allowed: Iterable[str], default: str) -> Select:
    """Order by ``sort`` (``-field`` for descending) from the allowed fields, then by id."""
    key = sort or default
    desc = key.startswith("-")
    name = key.lstrip("-")
    if name not in allowed:
        name, desc = default.lstrip("-"), default.startswith("-")
    column = getattr(model, name)
    return stmt.order_by(column.desc() if desc else column.asc(), model.id.desc() if desc else model.id.asc())


def office_scope(user: User) -> str | None:
    """The district an office user is limited to, or None for city staff and admins."""
    return None if user.is_city_office else user.office_district


def require_office_over(user: User, *districts: str | None) -> None:
    """Refuse an office user acting outside their district."""
    scope = office_scope(user)
    if user.role not in ("office", "admin"):
        raise Forbidden("仅限就业服务机构 / offices only")
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
    return {k: _PERSONAL[k](v) if k in _PERSONAL else v for k, v in values.items() if k != "password_hash"}


def audit(user: User | None, action: str, entity: str, entity_id: Any, before: dict | None = None, after: dict | None = None) -> None:
    """Record a write by an office or employer user (added to the current transaction)."""
    if user is None or user.role not in ("office", "admin", "employer"):
        return
    db.session.add(
        AuditEvent(
            user_id=user.id,
            action=action,
            entity=entity,
            entity_id=str(entity_id),
            before=_mask(before),
            after=_mask(after),
        )
    )
    log.info("audit user=%s %s %s#%s fields=%s", user.id, action, entity, entity_id, sorted((after or {}).keys()))
