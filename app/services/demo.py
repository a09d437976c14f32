"""Load the deterministic demo data set (seed/demo) into the database, once, in one transaction."""

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable

from sqlalchemy import func, select

from app.extensions import db
from app.models import (
    Application,
    DesiredJob,
    Employer,
    Occupation,
    Posting,
    Program,
    Seeker,
    Traineeship,
)
from app.services.bridge import code_titles
from app.services.employment import open_demo_hires
from app.services.postings import search_text_of
from app.services.rulebooks import default_files, load_files
from app.services.screening import screen_posting
from app.services.seekers import desired_codes
from app.services.users import new_user
from seed.demo.generator import generate

DEMO_PASSWORD = "jianxi-demo"
"""Password of every demo account (demo data only; never use it on a real service)."""

Progress = Callable[[str], Callable[[Iterable], Iterable]]

UNCODED_EVERY = 3
"""Every third demo job comes without an occupation, as when an employer leaves it empty: it
is coded from its title, and the office's occupation-code check (/office/occupations) has work."""


NAMED_JOB_EVERY = 10
"""Every tenth demo seeker also named a job in their own words (an alias of their first desired
occupation): it is coded from those words, and the office seeker page has a code to check."""


def _named_jobs(seekers: list) -> dict[str, str]:
    """The words of the job each tenth demo seeker named, by seeker key."""
    picked = seekers[::NAMED_JOB_EVERY]
    wanted = {s.desired_occupations[0] for s in picked if s.desired_occupations}
    words = {
        o.code: next((a.strip() for a in (o.aliases or "").split(",") if a.strip()), o.name)
        for o in db.session.scalars(select(Occupation).where(Occupation.code.in_(wanted)))
    }
    return {s.key: words[s.desired_occupations[0]] for s in picked if s.desired_occupations}


def _at_noon(day: dt.date | None) -> dt.datetime | None:
    return dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC) if day else None


def demo_loaded() -> bool:
    """Whether the demo programs exist (everything is loaded in the same transaction)."""
    return (
        db.session.scalar(
            select(func.count()).select_from(Program).where(Program.key == "wulong-2023-enterprise")
        )
        > 0
    )


def load_demo(
    seed: int = 2023, progress: Progress = lambda label: iter, **sizes: int
) -> dict[str, int]:
    """Insert demo employers, postings, seekers, programs, applications and traineeships, plus demo logins.

    ``sizes`` (``employers``, ``postings``, ``seekers``) load a smaller data set, as tests do.
    """
    if demo_loaded():
        return {"already loaded": 1}
    load_files(default_files())  # the demo programs run under these rulebooks
    data = generate(seed, **sizes)
    db.session.scalars(select(Occupation)).all()  # warm the identity map for search texts

    programs = {}
    for p in data.programs:
        programs[p.key] = Program(
            key=p.key,
            name=p.name,
            name_en=p.name_en,
            district_code=p.district,
            kind=p.kind,
            quota=p.cap,
            floor=p.floor,
            monthly_rate=p.monthly_rate,
            rulebook=p.rulebook,
            starts_on=p.start,
            ends_on=p.end,
        )
    db.session.add_all(programs.values())

    employers = {}
    for e in progress("用人单位 employers")(data.employers):
        employers[e.key] = Employer(
            name=e.name,
            credit_code=e.credit_code,
            size_class=e.size_class,
            industry=e.industry,
            district_code=e.district,
            employees=e.employees,
            public_institution=e.public_institution,
            contact_phone=e.contact_phone,
        )
    db.session.add_all(employers.values())

    hosts = {t.host_key for t in data.traineeships} | {
        p.employer_key for p in data.postings if p.kind == "traineeship"
    }
    for key in hosts:
        employers[key].host_approved = True

    jobs = [p for p in data.postings if p.kind == "job"]
    uncoded = jobs[::UNCODED_EVERY]
    coded = dict(
        zip((p.key for p in uncoded), code_titles([p.title for p in uncoded]), strict=True)
    )
    # A post's slot is held by an active traineeship or a hire into a job; on a trainee post the
    # hire is the traineeship, so its hired application holds nothing more.
    trainee_posts = {p.key for p in data.postings if p.kind == "traineeship"}
    filled = Counter(t.posting_key for t in data.traineeships if t.outcome == "active")
    filled.update(
        a.posting_key
        for a in data.applications
        if a.status == "hired" and a.posting_key not in trainee_posts
    )
    postings = {}
    for p in progress("岗位 postings")(data.postings):
        posting = Posting(
            employer=employers[p.employer_key],
            kind=p.kind,
            title=p.title,
            description=p.description,
            occupation_code=coded.get(p.key, p.occupation_code),
            occupation_source="auto" if p.key in coded else "given",
            skills=list(p.skills),
            min_education=p.min_education,
            majors=list(p.majors),
            salary_min=p.salary_min,
            salary_max=p.salary_max,
            district_code=p.district,
            slots=p.slots,
            slots_filled=min(filled[p.key], p.slots),
            duration_months=p.duration_months,
            status=p.status,
            published_at=_at_noon(p.published_at),
            work_address=p.work_address,
            work_hours=p.work_hours,
            benefits=list(p.benefits),
            contact_name=p.contact_name,
            contact_phone=p.contact_phone,
        )
        if p.program_key:
            posting.program = programs[p.program_key]
        posting.search_text = search_text_of(posting)
        if posting.status == "pending_review":
            posting.screening = screen_posting(posting)
        postings[p.key] = posting
    db.session.add_all(postings.values())

    named = _named_jobs(data.seekers)
    named_codes = dict(zip(named, code_titles(list(named.values())), strict=True))
    seekers = {}
    for s in progress("求职者 seekers")(data.seekers):
        seekers[s.key] = Seeker(
            name=s.name,
            gender=s.gender,
            id_number=s.id_number,
            birth_date=s.birth_date,
            phone=s.phone,
            hukou_district=s.hukou_district,
            district_code=s.district,
            education=s.education,
            school=s.school,
            major=s.major,
            graduation_date=s.graduation_date,
            employed=s.employed,
            registered_unemployed_since=s.registered_unemployed_since,
            skills=list(s.skills),
            desired_occupations=list(s.desired_occupations),
            desired_districts=list(s.desired_districts),
            expected_salary=s.expected_salary,
            priority_groups=list(s.priority_groups),
            priority_certified_by="区就业和人才服务局（演示） / district employment office (demo)"
            if s.priority_groups
            else None,
            priority_certified_on=data.today if s.priority_groups else None,
            disability=s.disability,
            visible=s.visible,
            summary=s.summary,
        )
        if s.key in named:
            code = named_codes[s.key]
            seekers[s.key].desired_jobs = [DesiredJob(title=named[s.key], occupation_code=code)]
            seekers[s.key].desired_occupations = desired_codes(
                list(s.desired_occupations), [code], "desired_jobs"
            )
    db.session.add_all(seekers.values())
    db.session.flush()

    db.session.add_all(
        Application(
            seeker_id=seekers[a.seeker_key].id,
            posting_id=postings[a.posting_key].id,
            status=a.status,
            applied_at=_at_noon(a.applied_at),
            decided_at=_at_noon(a.applied_at) if a.status in ("hired", "rejected") else None,
        )
        for a in progress("申请 applications")(data.applications)
    )
    taken = Counter()
    for t in progress("见习 traineeships")(data.traineeships):
        db.session.add(
            Traineeship(
                seeker_id=seekers[t.seeker_key].id,
                posting_id=postings[t.posting_key].id,
                program=programs[t.program_key] if t.program_key else None,
                host_id=employers[t.host_key].id,
                started_on=t.start,
                planned_months=t.planned_months,
                ended_on=t.end,
                outcome=t.outcome,
                rulebook_version=programs[t.program_key].rulebook if t.program_key else None,
            )
        )
        if t.program_key and t.outcome != "left_early":
            taken[t.program_key] += 1
    for key, program in programs.items():
        program.seats_taken = taken[key]
    open_demo_hires(data.today)

    _demo_accounts(employers, seekers)
    db.session.commit()
    return {
        "programs": len(programs),
        "employers": len(employers),
        "postings": len(postings),
        "seekers": len(seekers),
        "applications": len(data.applications),
        "traineeships": len(data.traineeships),
    }


def _demo_accounts(employers: dict[str, Employer], seekers: dict[str, Seeker]) -> None:
    """One login per role, so a visitor can try every screen."""
    wulong_host = next(
        e
        for e in employers.values()
        if e.district_code == "500156" and e.host_approved and not e.public_institution
    )
    wulong_seeker = next(
        s
        for s in seekers.values()
        if s.hukou_district == "500156" and s.graduation_date and not s.employed
    )
    new_user("admin", DEMO_PASSWORD, "admin", display_name="系统管理员")
    new_user("city-office", DEMO_PASSWORD, "office", display_name="重庆市就业服务管理局（演示）")
    new_user(
        "wulong-office",
        DEMO_PASSWORD,
        "office",
        office_district="500156",
        display_name="武隆区就业和人才服务局（演示）",
    )
    new_user(
        "wulong-employer",
        DEMO_PASSWORD,
        "employer",
        employer_id=None,
        display_name=wulong_host.name,
    ).employer = wulong_host
    seeker_user = new_user(
        "wulong-seeker", DEMO_PASSWORD, "seeker", display_name=wulong_seeker.name
    )
    wulong_seeker.user = seeker_user
