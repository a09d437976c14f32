"""Seekers: registration, profile, office view and priority-group certification."""

from sqlalchemy import or_, select

from app.errors import Forbidden, RuleViolation
from app.extensions import db
from app.identifiers import parse_id_number
from app.models import DesiredJob, Seeker, User
from app.models.base import utcnow
from app.services import bridge, declared_facts, employment
from app.services.common import (
    apply_changes,
    apply_sort,
    audit,
    check_district,
    check_occupation,
    commit,
    get_or_404,
    office_scope,
    paginate,
    require_office,
    require_office_over,
    security_event,
)
from app.services.users import new_user


def can_manage(user: User, seeker: Seeker) -> bool:
    """The seeker themself, or an office covering their household or residence district."""
    if user.role == "seeker":
        return seeker.user_id == user.id
    if user.role in ("office", "admin"):
        scope = office_scope(user)
        return scope is None or scope in (seeker.hukou_district, seeker.district_code)
    return False


def get_seeker(user: User, seeker_id: int) -> Seeker:
    """Load a seeker the user may see in full."""
    seeker = get_or_404(Seeker, seeker_id, "求职者")
    if not can_manage(user, seeker):
        raise Forbidden("无权查看该求职者 / you may not see this seeker")
    return seeker


def own_seeker(user: User) -> Seeker:
    """The seeker profile of a seeker account."""
    if user.role != "seeker" or user.seeker is None:
        raise Forbidden("仅限求职者 / seekers only")
    return user.seeker


MAX_DESIRED_OCCUPATIONS = 5


def _name_jobs(seeker: Seeker, jobs: list[str]) -> None:
    """Replace the jobs a seeker named in their own words.

    A job named again keeps its code, an office's check included; a new one is coded from
    its words.
    """
    titles = list(dict.fromkeys(" ".join(j.split()) for j in jobs if j.strip()))
    before = {job.title: job for job in seeker.desired_jobs}
    new = [t for t in titles if t not in before]
    coded = dict(zip(new, bridge.code_titles(new), strict=True)) if new else {}
    if titles != [job.title for job in seeker.desired_jobs]:
        seeker.updated_at = utcnow()  # the words are in the ranking text: indexes resync the seeker
    seeker.desired_jobs = [
        before.get(t) or DesiredJob(title=t, occupation_code=coded[t]) for t in titles
    ]
    for position, job in enumerate(seeker.desired_jobs):
        job.position = position


def desired_codes(chosen: list[str], job_codes: list[str], field: str) -> list[str]:
    """A seeker's desired occupations: the codes chosen apart from the jobs named, then the jobs' codes.

    At most five in all; more is refused, naming ``field``.
    """
    wanted = list(dict.fromkeys([*chosen, *job_codes]))
    if len(wanted) > MAX_DESIRED_OCCUPATIONS:
        raise RuleViolation(
            f"意向职业连同所填工作最多{MAX_DESIRED_OCCUPATIONS}个，现有{len(wanted)}个 / "
            f"at most {MAX_DESIRED_OCCUPATIONS} desired occupations with the jobs named, "
            f"here {len(wanted)}",
            field=field,
        )
    return wanted


def _desired_occupations(seeker: Seeker, data: dict) -> None:
    """Name the jobs in the data, and make its desired occupations the chosen codes plus theirs.

    ``desired_occupations`` in a write are the codes chosen apart from the jobs named; when
    only jobs are given, the codes chosen before are kept.
    """
    jobs = data.pop("desired_jobs", None)
    if jobs is None and "desired_occupations" not in data:
        return
    chosen = data.get("desired_occupations")
    if chosen is None:
        chosen = codes_apart_from_jobs(seeker)
    if jobs is not None:
        _name_jobs(seeker, jobs)
    field = "desired_occupations" if jobs is None else "desired_jobs"
    data["desired_occupations"] = desired_codes(
        chosen, [job.occupation_code for job in seeker.desired_jobs], field
    )


def codes_apart_from_jobs(seeker: Seeker) -> list[str]:
    """The seeker's desired occupations that none of the jobs they named gave."""
    from_jobs = {job.occupation_code for job in seeker.desired_jobs}
    return [c for c in seeker.desired_occupations or [] if c not in from_jobs]


def _check_references(data: dict) -> None:
    for field in ("hukou_district", "district_code"):
        check_district(data.get(field), field)
    for code in data.get("desired_districts") or []:
        check_district(code, "desired_districts")
    for code in data.get("desired_occupations") or []:
        check_occupation(code, "desired_occupations")


def _new_seeker(profile: dict, user_id: int | None) -> Seeker:
    _check_references(profile)
    profile = {**profile, "id_number": profile["id_number"].strip().upper()}
    seeker = Seeker(desired_occupations=[], birth_date=parse_id_number(profile["id_number"]))
    _desired_occupations(seeker, profile)
    # Employers see a profile only with the person's consent (PIPL): not given unless asked for.
    apply_changes(seeker, {"visible": False, **profile, "user_id": user_id})
    db.session.add(seeker)
    return seeker


def register_seeker(data: dict) -> tuple[User, Seeker]:
    """A seeker signs up: a login and a profile in one transaction."""
    user = new_user(
        data["username"],
        data["password"],
        "seeker",
        email=data.get("email"),
        display_name=data["profile"]["name"],
    )
    db.session.flush()
    seeker = _new_seeker(data["profile"], user.id)
    security_event(user, "consent_given" if seeker.visible else "consent_not_given")
    commit(what="register seeker")
    return user, seeker


def create_seeker(user: User, profile: dict) -> Seeker:
    """An office registers a walk-in seeker living or registered in its district."""
    require_office_over(user, profile.get("hukou_district"), profile.get("district_code"))
    seeker = _new_seeker(profile, None)
    # The office registers the person from their papers: the facts it types in are checked.
    facts = declared_facts.facts_of_fields(profile)
    declared_facts.confirm(seeker, facts, user, employment.local_date(utcnow()))
    db.session.flush()
    audit(user, "create", "seeker", seeker.id, None, profile)
    commit(what="create seeker")
    return seeker


def update_seeker(user: User, seeker_id: int, data: dict) -> Seeker:
    """Edit a profile; only offices certify priority groups."""
    seeker = get_seeker(user, seeker_id)
    if (
        user.role == "seeker"
        and {"priority_groups", "priority_certified_by", "priority_certified_on"} & data.keys()
    ):
        raise Forbidden("重点群体由就业服务机构认定 / offices certify priority groups")
    _check_references(data)
    named_before = [job.title for job in seeker.desired_jobs]
    if "visible" in data and data["visible"] != seeker.visible:
        consent = "consent_given" if data["visible"] else "consent_withdrawn"
        security_event(user, consent, {"seeker_id": seeker.id})
    _desired_occupations(seeker, data)
    before, after = apply_changes(seeker, data)
    confirmed_before = seeker.confirmed_facts or {}
    declared_facts.after_change(seeker, after, user, employment.local_date(utcnow()))
    if seeker.confirmed_facts != confirmed_before:
        before["confirmed_facts"], after["confirmed_facts"] = (
            sorted(confirmed_before),
            sorted(seeker.confirmed_facts),
        )
    named = [job.title for job in seeker.desired_jobs]
    if named != named_before:
        before["desired_jobs"], after["desired_jobs"] = named_before, named
    audit(user, "update", "seeker", seeker.id, before, after)
    commit(what="update seeker")
    return seeker


def confirm_facts(user: User, seeker_id: int, facts: list[str]) -> Seeker:
    """An office confirms self-declared facts of a seeker in its district against its records."""
    require_office(user)
    seeker = get_seeker(user, seeker_id)
    before = {f: declared_facts.is_confirmed(seeker, f) for f in facts}
    declared_facts.confirm(seeker, facts, user, employment.local_date(utcnow()))
    audit(
        user,
        "confirm_facts",
        "seeker",
        seeker.id,
        {"confirmed": sorted(f for f, done in before.items() if done)},
        {
            "confirmed": sorted(facts),
            "values": {f: declared_facts.value_of(seeker, f) for f in facts},
        },
    )
    commit(what="confirm seeker facts")
    return seeker


def list_seekers(user: User, args: dict, page: int, page_size: int) -> tuple[list[Seeker], int]:
    """Seekers in the office's district, filtered and sorted (offices only)."""
    require_office(user)
    stmt = select(Seeker)
    scope = office_scope(user)
    if scope:
        stmt = stmt.where(Seeker.of_district(scope))
    if args.get("district"):
        stmt = stmt.where(Seeker.of_district(args["district"]))
    if args.get("education"):
        stmt = stmt.where(Seeker.education == args["education"])
    if args.get("graduated_after"):
        stmt = stmt.where(Seeker.graduation_date >= args["graduated_after"])
    if args.get("q"):
        term = args["q"]
        stmt = stmt.where(
            or_(
                Seeker.name.contains(term, autoescape=True),
                Seeker.major.contains(term, autoescape=True),
                Seeker.school.contains(term, autoescape=True),
            )
        )
    if args.get("priority_group"):
        # JSON arrays differ between backends; a quoted-element text match works on both.
        stmt = stmt.where(
            Seeker.priority_groups.cast(db.String).contains(f'"{args["priority_group"]}"')
        )
    stmt = apply_sort(
        stmt, Seeker, args.get("sort"), ("name", "graduation_date", "created_at", "id"), "id"
    )
    return paginate(stmt, page, page_size)
