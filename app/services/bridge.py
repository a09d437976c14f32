"""The one place that converts database rows to and from the matching library's plain types."""

import datetime as dt
import os
import pickle
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from flask import current_app
from sqlalchemy import select

from app.extensions import db
from app.models import DesiredJob, Posting, Program, Seeker
from app.services.common import log
from app.services.seeding import REFERENCE_DIR
from matching.profiles import PostingProfile, SeekerProfile

if TYPE_CHECKING:
    from matching.occupation_encoder import OccupationEncoder
    from matching.occupations import OccupationCoder


def office_coded_titles() -> tuple[tuple[str, str], ...]:
    """(title, code) of every posting title and desired job whose occupation an office checked.

    An office's check is a label of a real title in the words people use, so the coder
    learns from it next to the labelled titles: postings' titles in id order, then the jobs
    seekers named in id order. Codes employers chose for their own postings are not used:
    nobody checked them.
    """
    postings = db.session.execute(
        select(Posting.title, Posting.occupation_code)
        .where(Posting.occupation_source == "office", Posting.occupation_code.is_not(None))
        .order_by(Posting.id)
    )
    jobs = db.session.execute(
        select(DesiredJob.title, DesiredJob.occupation_code)
        .where(DesiredJob.occupation_source == "office")
        .order_by(DesiredJob.id)
    )
    return tuple((title, code) for title, code in [*postings, *jobs])


def training_titles(checked: tuple[tuple[str, str], ...]) -> list[tuple[str, str]]:
    """(title, code) the coder learns from: the labelled titles, then the titles offices checked."""
    from matching.occupations import read_testcases

    titles, codes = read_testcases(REFERENCE_DIR / "testcases.csv")
    return [*zip(titles, codes, strict=True), *checked]


def encoder_file() -> tuple[str, int] | None:
    """Path and modification time of the fine-tuned occupation encoder, if one has been trained."""
    path = current_app.config.get("OCCUPATION_ENCODER_PATH")
    try:
        return (path, os.stat(path).st_mtime_ns) if path else None
    except FileNotFoundError:
        return None


@lru_cache(maxsize=1)
def _read_encoder(path: str, _mtime_ns: int) -> "OccupationEncoder":
    """The encoder saved at path, read once per version of the file."""
    from matching.occupation_encoder import OccupationEncoder

    start = time.perf_counter()
    encoder = OccupationEncoder.load(path)
    log.info(
        "occupation encoder read from %s (%d training rows) in %.1f s",
        path,
        encoder.rows,
        time.perf_counter() - start,
    )
    return encoder


def _attach_encoder(coder: "OccupationCoder", saved: tuple[str, int] | None) -> None:
    """Blend the saved encoder into the coder; a file that cannot be used is logged and left out."""
    if saved is None:
        return
    try:
        coder.attach_encoder(_read_encoder(*saved))
    except ImportError as e:
        log.warning(
            "occupation encoder %s not used: the encoder extra is missing (%s)", saved[0], e
        )
    except (ValueError, OSError, RuntimeError, KeyError, pickle.UnpicklingError) as e:
        log.warning("occupation encoder %s not used: %s", saved[0], e)


@lru_cache(maxsize=2)
def _build_coder(
    checked: tuple[tuple[str, str], ...], saved: tuple[str, int] | None
) -> "OccupationCoder":
    """The coder learned from the labelled titles and the titles offices checked, with the encoder if one is saved.

    The last two are kept (15 MB each): a check undone, or a database emptied between tests,
    brings back the earlier coder without another 3.5 s of training.
    """
    from matching.occupations import OccupationCoder  # scikit-learn: loaded when first needed

    start = time.perf_counter()
    pairs = training_titles(checked)
    coder = OccupationCoder.from_csv(REFERENCE_DIR / "csco22.csv", training_titles=pairs)
    _attach_encoder(coder, saved)
    log.info(
        "occupation coder built from %d labelled titles and %d office checks%s in %.1f s",
        len(pairs) - len(checked),
        len(checked),
        " with the fine-tuned encoder" if coder.encoder_ is not None else "",
        time.perf_counter() - start,
    )
    return coder


@dataclass
class _Built:
    """The coder this process uses, the office checks and encoder file it was built with, and when."""

    checked: tuple[tuple[str, str], ...] | None = None
    saved: tuple[str, int] | None = None
    coder: "OccupationCoder | None" = None
    at: float = 0.0


_built = _Built()
_building = threading.Lock()


def occupation_coder(checked: tuple[tuple[str, str], ...] | None = None) -> "OccupationCoder":
    """The process's occupation coder, rebuilt when offices' checks changed and it is old enough.

    ``OCCUPATION_CODER_MAX_AGE`` (seconds) keeps an office clicking through checks from
    waiting for a rebuild after each one. A newly trained encoder is picked up at once.
    """
    checked = office_coded_titles() if checked is None else checked
    saved = encoder_file()
    with _building:
        age = time.monotonic() - _built.at
        if (
            _built.coder is None
            or _built.saved != saved
            or (_built.checked != checked and age >= current_app.config["OCCUPATION_CODER_MAX_AGE"])
        ):
            _built.coder = _build_coder(checked, saved)
            _built.checked, _built.saved, _built.at = checked, saved, time.monotonic()
        return _built.coder


def encoder_trained_at() -> dt.datetime | None:
    """When the encoder the process's coder blends in was saved; None when the coder works alone."""
    occupation_coder()
    with _building:
        coder, saved = _built.coder, _built.saved
    if coder.encoder_ is None or saved is None:
        return None
    return dt.datetime.fromtimestamp(saved[1] / 1e9, tz=dt.UTC)


@lru_cache(maxsize=1)
def _checked_codes(checked: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The checked code of each cleaned title (the latest check wins), worked out once per set of checks."""
    from matching.occupations import title_key

    return {title_key(title): code for title, code in checked}


def code_titles(titles: list[str]) -> list[str]:
    """CSCO-2022 codes for posting titles or desired jobs.

    A title or desired job an office checked gets the checked code (the latest check of the same cleaned
    title), whether or not the coder has been rebuilt since.
    """
    from matching.occupations import title_key

    checked = office_coded_titles()
    by_title = _checked_codes(checked)
    coded = occupation_coder(checked).predict(titles)
    return [by_title.get(title_key(t), c) for t, c in zip(titles, coded, strict=True)]


def seeker_profile(seeker: Seeker) -> SeekerProfile:
    """The matching library's view of a seeker (no identity, no protected attributes).

    The text is the summary, the jobs the seeker named in their own words, the major and the
    school; load ``Seeker.desired_jobs`` with the seekers when building many profiles.
    """
    jobs = [job.title for job in seeker.desired_jobs]
    return SeekerProfile(
        id=str(seeker.id),
        text=" ".join(p for p in (seeker.summary, *jobs, seeker.major, seeker.school) if p),
        desired_occupations=list(seeker.desired_occupations or []),
        skills=list(seeker.skills or []),
        education=seeker.education,
        major=seeker.major,
        district=seeker.district_code,
        desired_districts=list(seeker.desired_districts or []),
        expected_salary=seeker.expected_salary,
        priority_groups=list(seeker.priority_groups or []),
        visible=seeker.visible,
        employed=seeker.employed,
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
