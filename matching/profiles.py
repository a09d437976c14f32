"""Plain profiles of job seekers and postings, as the ranking library sees them.

The app converts database rows into these (``app/services/bridge.py``); the library never
touches the database. Codes are strings: CSCO-2022 occupation codes such as ``2-02-10-03``,
GB/T 2260 district codes such as ``500156``, education levels from
:data:`matching.education.EDUCATION_LEVELS`. Money is integer yuan per month.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

PostingKind = Literal["job", "traineeship", "internship"]


@dataclass
class SeekerProfile:
    """A job seeker as the ranker sees them.

    ``text`` is free text: summary, desired jobs and experience. ``skills`` may be free
    text or canonical skill ids; the features normalise them. ``visible`` is the seeker's
    consent to be shown to employers: invisible seekers are never ranked for a posting.
    ``priority_groups`` are certified 重点群体 tags (e.g. ``"low_income_family"``) used by
    the traineeship boost. ``employed`` says the seeker already has a job (shown with the
    candidate; an office may leave employed people out).
    """

    id: str
    text: str = ""
    desired_occupations: list[str] = field(default_factory=list)
    skills: list[str] = field(default_factory=list)
    education: str | None = None
    major: str | None = None
    district: str | None = None
    desired_districts: list[str] = field(default_factory=list)
    expected_salary: int | None = None
    available_from: date | None = None
    priority_groups: list[str] = field(default_factory=list)
    visible: bool = True
    employed: bool = False


@dataclass
class PostingProfile:
    """A job, traineeship or internship posting as the ranker sees it.

    ``occupation_code`` may stop above 细类 (``2-02-00-00``). ``majors`` lists accepted
    majors (empty: any). ``open`` is false once the posting is closed; ``slots_left`` is
    the number of seats still free (0: full). ``program`` names the traineeship program a
    见习 post belongs to; ``start`` is when the work starts.
    """

    id: str
    kind: PostingKind = "job"
    title: str = ""
    text: str = ""
    occupation_code: str | None = None
    skills: list[str] = field(default_factory=list)
    min_education: str | None = None
    majors: list[str] = field(default_factory=list)
    district: str | None = None
    salary_min: int | None = None
    salary_max: int | None = None
    open: bool = True
    slots_left: int = 1
    program: str | None = None
    start: date | None = None
