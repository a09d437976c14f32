"""Plain frozen records produced by the demo generator; the loader maps them 1:1 to models.

Sequences are tuples so every record is immutable and hashable; amounts are integer yuan.
"""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class EmployerRecord:
    """An employer (用人单位), also a traineeship host when it offers trainee posts."""

    key: str
    name: str
    credit_code: str
    size_class: str
    industry: str
    district: str
    employees: int
    public_institution: bool
    contact_phone: str


@dataclass(frozen=True)
class PostingRecord:
    """A job, traineeship (见习) or internship (实习) posting."""

    key: str
    employer_key: str
    kind: str
    title: str
    description: str
    occupation_code: str
    skills: tuple[str, ...]
    min_education: str | None
    majors: tuple[str, ...]
    salary_min: int
    salary_max: int
    district: str
    slots: int
    duration_months: int | None
    status: str
    program_key: str | None
    published_at: dt.date | None
    work_address: str | None = None
    work_hours: str | None = None
    benefits: tuple[str, ...] = ()
    contact_name: str | None = None
    contact_phone: str | None = None


@dataclass(frozen=True)
class SeekerRecord:
    """A synthetic job seeker (求职者); no real person's data."""

    key: str
    name: str
    gender: str
    id_number: str
    birth_date: dt.date
    phone: str
    hukou_district: str
    district: str
    education: str
    school: str
    major: str | None
    graduation_date: dt.date
    employed: bool
    registered_unemployed_since: dt.date | None
    skills: tuple[str, ...]
    desired_occupations: tuple[str, ...]
    desired_districts: tuple[str, ...]
    expected_salary: int
    priority_groups: tuple[str, ...]
    disability: bool
    visible: bool
    summary: str


@dataclass(frozen=True)
class ProgramRecord:
    """A traineeship program with its floor (the target), optional cap, monthly subsidy rate and rulebook."""

    key: str
    name: str
    name_en: str
    kind: str
    district: str
    floor: int
    cap: int | None
    monthly_rate: int
    rulebook: str
    start: dt.date
    end: dt.date


@dataclass(frozen=True)
class ApplicationRecord:
    """A seeker's application to a posting."""

    seeker_key: str
    posting_key: str
    status: str
    applied_at: dt.date


@dataclass(frozen=True)
class TraineeshipRecord:
    """A traineeship: seeker × posting × program × host, with its outcome so far."""

    seeker_key: str
    posting_key: str
    program_key: str | None
    host_key: str
    start: dt.date
    planned_months: int
    end: dt.date | None
    outcome: str


@dataclass(frozen=True)
class SimulatedTraineeship:
    """One traineeship of a synthetic history: the features the system holds and the outcome."""

    host_key: str
    host_large: bool
    occupation_agreement: int
    district_fit: int
    offered_salary: int
    expected_salary: int
    planned_months: int
    education: str
    start: dt.date
    end: dt.date | None
    outcome: str


@dataclass(frozen=True)
class DemoData:
    """Everything one generator run produces, as of the reference date ``today``."""

    today: dt.date
    employers: tuple[EmployerRecord, ...]
    postings: tuple[PostingRecord, ...]
    seekers: tuple[SeekerRecord, ...]
    programs: tuple[ProgramRecord, ...]
    applications: tuple[ApplicationRecord, ...]
    traineeships: tuple[TraineeshipRecord, ...]
