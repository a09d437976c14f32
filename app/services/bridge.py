"""The one place that converts database rows to and from the matching library's plain types."""

import datetime as dt
from functools import lru_cache

from app.models import Posting, Program, Seeker
from app.services.seeding import REFERENCE_DIR
from matching.occupations import OccupationCoder, read_testcases
from matching.profiles import PostingProfile, SeekerProfile


@lru_cache(maxsize=1)
def occupation_coder() -> OccupationCoder:
    """The occupation coder, built once per process from CSCO-2022 and the labelled titles."""
    titles, codes = read_testcases(REFERENCE_DIR / "testcases.csv")
    return OccupationCoder.from_csv(
        REFERENCE_DIR / "csco22.csv", training_titles=list(zip(titles, codes, strict=True))
    )


def code_titles(titles: list[str]) -> list[str]:
    """CSCO-2022 codes for posting titles or desired jobs."""
    return occupation_coder().predict(titles)


def seeker_profile(seeker: Seeker) -> SeekerProfile:
    """The matching library's view of a seeker (no identity, no protected attributes)."""
    return SeekerProfile(
        id=str(seeker.id),
        text=" ".join(p for p in (seeker.summary, seeker.major, seeker.school) if p),
        desired_occupations=list(seeker.desired_occupations or []),
        skills=list(seeker.skills or []),
        education=seeker.education,
        major=seeker.major,
        district=seeker.district_code,
        desired_districts=list(seeker.desired_districts or []),
        expected_salary=seeker.expected_salary,
        priority_groups=list(seeker.priority_groups or []),
        visible=seeker.visible,
    )


def posting_profile(posting: Posting) -> PostingProfile:
    """The matching library's view of a posting; only published postings with free slots are open."""
    return PostingProfile(
        id=str(posting.id),
        kind=posting.kind,  # type: ignore[arg-type]
        title=posting.title,
        text=posting.description or "",
        occupation_code=posting.occupation_code,
        skills=list(posting.skills or []),
        min_education=posting.min_education,
        majors=list(posting.majors or []),
        district=posting.district_code,
        salary_min=posting.salary_min,
        salary_max=posting.salary_max,
        open=posting.status == "published",
        slots_left=max(posting.slots - posting.slots_filled, 0),
        program=str(posting.program_id) if posting.program_id else None,
    )


def program_day(program: Program, day: dt.date) -> dt.date:
    """The day a program's rules are read on: the given day, kept inside the program's period."""
    return min(max(day, program.starts_on), program.ends_on)
