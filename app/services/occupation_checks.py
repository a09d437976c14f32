"""Offices check the occupation codes the coder gave postings; every check teaches the coder.

A posting without a code chosen by its employer is coded from its title
(``occupation_source = "auto"``). An office confirms or corrects that code here; the posting
is then marked ``"office"``, and ``bridge.occupation_coder`` learns from its title and code.
"""

from sqlalchemy import select

from app.errors import RuleViolation
from app.extensions import db
from app.models import Occupation, Posting, User
from app.models.posting import OCCUPATION_SOURCES
from app.services import bridge
from app.services.common import (
    audit,
    check_occupation,
    commit,
    log,
    office_scope,
    require_office,
)
from app.services.listing_hints import occupations_by_code
from app.services.postings import get_managed_posting, list_postings, search_text_of


def postings_to_check(
    user: User, source: str, page: int, page_size: int
) -> tuple[list[Posting], int]:
    """The office's postings whose code came from the given source, newest first."""
    require_office(user)
    if source not in OCCUPATION_SOURCES:
        raise RuleViolation(
            f"来源应为 {', '.join(OCCUPATION_SOURCES)} / source must be one of {', '.join(OCCUPATION_SOURCES)}",
            field="source",
        )
    args = {"occupation_source": source, "sort": "-created_at"}
    scope = office_scope(user)
    if scope is not None:
        args["district"] = scope
    return list_postings(user, args, page, page_size)


def suggestions(postings: list[Posting], k: int = 3) -> dict[int, list[Occupation]]:
    """The posting's current code and the coder's k best codes for its title, by posting id."""
    ranked = bridge.occupation_coder().predict_topk([p.title for p in postings], k=k)
    wanted = {p.occupation_code for p in postings if p.occupation_code}
    wanted.update(code for top in ranked for code, _score in top)
    names = occupations_by_code(sorted(wanted))
    result = {}
    for posting, top in zip(postings, ranked, strict=True):
        codes = [posting.occupation_code, *(code for code, _score in top)]
        result[posting.id] = [names[c] for c in dict.fromkeys(codes) if c in names]
    return result


def check_posting_occupation(user: User, posting_id: int, code: str | None) -> Posting:
    """An office confirms or corrects a posting's occupation code; it becomes a training label."""
    posting = get_managed_posting(user, posting_id)
    require_office(user)
    code = (code or "").strip()
    if not code:
        raise RuleViolation(
            "请选择或填写职业代码 / choose or enter an occupation code", field="occupation_code"
        )
    check_occupation(code)
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
    commit(what="check posting occupation")
    return posting


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
    log.info(
        "recoded %d postings coded from their titles: %d codes %s",
        len(rows),
        len(changes),
        "would change (dry run)" if dry_run else "changed",
    )
    return {"read": len(rows), "changed": len(changes), "changes": changes, "dry_run": dry_run}
