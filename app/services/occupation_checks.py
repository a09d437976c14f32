"""Offices check the occupation codes the coder gave; every check teaches the coder.

A posting without a code chosen by its employer is coded from its title, and a job a seeker
named in their own words is coded from those words (``occupation_source = "auto"``). An
office confirms or corrects that code here; the posting or desired job is then marked
``"office"``, and ``bridge.occupation_coder`` learns from its words and code.
"""

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from app.errors import NotFound, RuleViolation
from app.extensions import db
from app.models import DesiredJob, Occupation, Posting, Seeker, User
from app.models.desired_job import DESIRED_JOB_SOURCES
from app.models.posting import OCCUPATION_SOURCES
from app.services import bridge
from app.services.common import (
    audit,
    check_occupation,
    commit,
    log,
    office_scope,
    paginate,
    require_office,
)
from app.services.listing_hints import occupations_by_code
from app.services.postings import get_managed_posting, list_postings, search_text_of
from app.services.seekers import codes_apart_from_jobs, desired_codes, get_seeker


def _check_source(source: str, sources: tuple[str, ...]) -> None:
    if source not in sources:
        raise RuleViolation(
            f"来源应为 {', '.join(sources)} / source must be one of {', '.join(sources)}",
            field="source",
        )


def postings_to_check(
    user: User, source: str, page: int, page_size: int
) -> tuple[list[Posting], int]:
    """The office's postings whose code came from the given source, newest first."""
    require_office(user)
    _check_source(source, OCCUPATION_SOURCES)
    args = {"occupation_source": source, "sort": "-created_at"}
    scope = office_scope(user)
    if scope is not None:
        args["district"] = scope
    return list_postings(user, args, page, page_size)


def desired_jobs_to_check(
    user: User, source: str, page: int, page_size: int
) -> tuple[list[DesiredJob], int]:
    """Jobs named by seekers of the office's district whose code came from the given source, newest first."""
    require_office(user)
    _check_source(source, DESIRED_JOB_SOURCES)
    stmt = (
        select(DesiredJob)
        .join(Seeker)
        .where(DesiredJob.occupation_source == source)
        .order_by(DesiredJob.id.desc())
    )
    scope = office_scope(user)
    if scope is not None:
        stmt = stmt.where(Seeker.of_district(scope))
    return paginate(stmt, page, page_size)


def suggestions(items: list[Posting] | list[DesiredJob], k: int = 3) -> dict[int, list[Occupation]]:
    """The current code and the coder's k best codes for each posting's or desired job's title, by id.

    An empty list needs no coder (building one takes seconds).
    """
    if not items:
        return {}
    ranked = bridge.occupation_coder().predict_topk([item.title for item in items], k=k)
    wanted = {item.occupation_code for item in items if item.occupation_code}
    wanted.update(code for top in ranked for code, _score in top)
    names = occupations_by_code(sorted(wanted))
    result = {}
    for item, top in zip(items, ranked, strict=True):
        codes = [item.occupation_code, *(code for code, _score in top)]
        result[item.id] = [names[c] for c in dict.fromkeys(codes) if c in names]
    return result


def _checked_code(code: str | None) -> str:
    code = (code or "").strip()
    if not code:
        raise RuleViolation(
            "请选择或填写职业代码 / choose or enter an occupation code", field="occupation_code"
        )
    check_occupation(code)
    return code


def check_posting_occupation(user: User, posting_id: int, code: str | None) -> Posting:
    """An office confirms or corrects a posting's occupation code; it becomes a training label."""
    posting = get_managed_posting(user, posting_id)
    require_office(user)
    _set_posting_code(user, posting, _checked_code(code))
    commit(what="check posting occupation")
    return posting


def confirm_posting_codes(user: User, posting_ids: list[int]) -> int:
    """An office confirms the current codes of several postings at once (all or none); how many."""
    require_office(user)
    postings = [get_managed_posting(user, posting_id) for posting_id in dict.fromkeys(posting_ids)]
    for posting in postings:
        _set_posting_code(user, posting, _checked_code(posting.occupation_code))
    commit(what="confirm posting occupations")
    return len(postings)


def _set_posting_code(user: User, posting: Posting, code: str) -> None:
    """Record an office's code for a posting (a training label for the coder), with its audit line."""
    before = {
        "occupation_code": posting.occupation_code,
        "occupation_source": posting.occupation_source,
    }
    posting.occupation_code = code
    posting.occupation_source = "office"
    posting.search_text = search_text_of(posting)
    audit(
        user,
        "check_occupation",
        "posting",
        posting.id,
        before,
        {"occupation_code": code, "occupation_source": "office"},
    )


def _codes_with(job: DesiredJob, code: str) -> list[str]:
    """The seeker's desired occupations once the job's code becomes ``code`` (``desired_codes``)."""
    seeker = job.seeker
    job_codes = [code if other is job else other.occupation_code for other in seeker.desired_jobs]
    return desired_codes(codes_apart_from_jobs(seeker), job_codes, "occupation_code")


def check_desired_job(user: User, seeker_id: int, job_id: int, code: str | None) -> DesiredJob:
    """An office confirms or corrects the code of a job a seeker named; it becomes a training label.

    The seeker's desired occupations follow.
    """
    seeker = get_seeker(user, seeker_id)
    require_office(user)
    job = db.session.get(DesiredJob, job_id)
    if job is None or job.seeker_id != seeker.id:
        raise NotFound("求职意向不存在 / desired job not found")
    code = _checked_code(code)
    old = job.occupation_code
    before = {
        "title": job.title,
        "occupation_code": old,
        "occupation_source": job.occupation_source,
        "desired_occupations": list(seeker.desired_occupations or []),
    }
    codes = _codes_with(job, code)
    job.occupation_code, job.occupation_source = code, "office"
    seeker.desired_occupations = codes
    audit(
        user,
        "check_occupation",
        "desired_job",
        job.id,
        before,
        {
            "title": job.title,
            "occupation_code": code,
            "occupation_source": "office",
            "desired_occupations": seeker.desired_occupations,
        },
    )
    commit(what="check desired job occupation")
    return job


def _log_recode(what: str, read: int, changed: int, dry_run: bool) -> None:
    verb = "would change (dry run)" if dry_run else "changed"
    log.info("recoded %d %s: %d codes %s", read, what, changed, verb)


def recode_automatic(dry_run: bool = False, progress=None) -> dict:
    """Code again, with the coder as it is now, every posting whose code came from its title.

    After offices check codes the coder learns from them, but postings coded before keep
    their old code until they are coded again. Codes an office checked or an employer chose
    are never touched. Returns how many postings were read and how many codes changed, with
    the changes as (posting id, title, old code, new code).
    """
    rows = db.session.execute(
        select(Posting.id, Posting.title, Posting.occupation_code)
        .where(Posting.occupation_source == "auto")
        .order_by(Posting.id)
    ).all()
    codes = bridge.code_titles([title for _id, title, _old in rows]) if rows else []
    changes = [
        (posting_id, title, old, new)
        for (posting_id, title, old), new in zip(rows, codes, strict=True)
        if new != old
    ]
    if not dry_run:
        for posting_id, _title, _old, new in progress(changes) if progress else changes:
            posting = db.session.get(Posting, posting_id)
            posting.occupation_code = new
            posting.search_text = search_text_of(posting)
        commit(what="recode postings")
    _log_recode("postings coded from their titles", len(rows), len(changes), dry_run)
    return {"read": len(rows), "changed": len(changes), "changes": changes, "dry_run": dry_run}


def recode_desired_jobs(dry_run: bool = False, progress=None) -> dict:
    """Code again, with the coder as it is now, every desired job whose code came from its words.

    Like ``recode_automatic`` for postings; the seekers' desired occupations follow each
    change. Jobs an office checked are never touched. Returns how many jobs were read and
    how many codes changed, with the changes as (seeker id, words, old code, new code).
    """
    jobs = db.session.scalars(
        select(DesiredJob)
        .where(DesiredJob.occupation_source == "auto")
        .order_by(DesiredJob.id)
        .options(selectinload(DesiredJob.seeker).selectinload(Seeker.desired_jobs))
    ).all()
    codes = bridge.code_titles([job.title for job in jobs]) if jobs else []
    changes = [
        (job, job.occupation_code, new)
        for job, new in zip(jobs, codes, strict=True)
        if new != job.occupation_code
    ]
    if not dry_run:
        for job, _old, new in progress(changes) if progress else changes:
            job.seeker.desired_occupations = _codes_with(job, new)
            job.occupation_code = new
        commit(what="recode desired jobs")
    _log_recode("desired jobs coded from their words", len(jobs), len(changes), dry_run)
    return {
        "read": len(jobs),
        "changed": len(changes),
        "changes": [(job.seeker_id, job.title, old, new) for job, old, new in changes],
        "dry_run": dry_run,
    }
